//! The bundle (SPEC §8): a container for objects, not itself a STIX object.

use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use super::StixObject;
use crate::Identifier;

/// A bundle of typed objects, for building and writing bundles. (Reading
/// goes through [`crate::parse_bundle`] or [`crate::BundleReader`], which
/// also keep the elements that do not fit the model.)
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// `id` (`bundle--<UUID>`).
    pub id: Identifier,
    /// `objects`; `None` writes no `objects` property at all.
    pub objects: Option<Vec<StixObject>>,
    /// `spec_version` (STIX 2.0 bundles only; never set for 2.1).
    pub spec_version: Option<String>,
    /// Other bundle-level properties, verbatim.
    pub custom: Map<String, Value>,
}

impl Bundle {
    /// A new bundle with a random id holding `objects`.
    pub fn new(objects: Vec<StixObject>) -> Self {
        Bundle {
            // "bundle" is a valid type and v4 UUIDs are well-formed.
            id: Identifier::new_v4("bundle").expect("bundle id"),
            objects: Some(objects),
            spec_version: None,
            custom: Map::new(),
        }
    }
}

impl serde::Serialize for Bundle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", "bundle")?;
        m.serialize_entry("id", &self.id)?;
        if let Some(v) = &self.spec_version {
            m.serialize_entry("spec_version", v)?;
        }
        if let Some(v) = &self.objects {
            m.serialize_entry("objects", v)?;
        }
        for (k, v) in &self.custom {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
