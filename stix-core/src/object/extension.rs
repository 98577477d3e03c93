//! Extensions (SPEC §3.2 `extensions`, §7.3).

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde_json::{Map, Value};

string_enum! {
    /// `extension_type` values (SPEC §10.5, extension-type-enum).
    pub enum ExtensionType ("extension_type") {
        /// Defines a new SDO.
        NewSdo = "new-sdo",
        /// Defines a new SCO.
        NewSco = "new-sco",
        /// Defines a new SRO.
        NewSro = "new-sro",
        /// Adds properties inside the extension instance.
        PropertyExtension = "property-extension",
        /// Adds properties at the top level of the object.
        ToplevelPropertyExtension = "toplevel-property-extension",
    }
}

/// The `extensions` dictionary: extension name (a predefined `*-ext` name or
/// an `extension-definition--<UUID>` id) → extension instance.
pub type Extensions = BTreeMap<String, Extension>;

/// One extension instance. Predefined `*-ext` extensions and unknown ones
/// alike are kept as their property map, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extension {
    /// `extension_type` (present on extension-definition based instances).
    pub extension_type: Option<ExtensionType>,
    /// Every other property of the instance, verbatim.
    pub properties: Map<String, Value>,
}

impl serde::Serialize for Extension {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(t) = &self.extension_type {
            m.serialize_entry("extension_type", t)?;
        }
        for (k, v) in &self.properties {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Extension {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Extension;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object (extension instance)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Extension, A::Error> {
                use super::macros::{keep_custom, set_once, Key};
                let mut out = Extension::default();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    if key.as_str() == "extension_type" {
                        set_once(&mut out.extension_type, "extension_type", &mut map)?;
                    } else {
                        keep_custom(&mut out.properties, key, &mut map)?;
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}
