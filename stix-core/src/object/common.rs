//! Common properties (SPEC §3.2) and the shared nested types:
//! external references (§2.5), kill-chain phases (§2.11), granular markings
//! (§7.2.3) and hashes (§2.7).

use std::collections::BTreeMap;

use serde::de::MapAccess;
use serde::ser::SerializeMap;

use super::extension::Extensions;
use super::macros::set_once;
use crate::{Identifier, Timestamp};

/// Hashes: algorithm name → hash value, keys kept exactly as written.
pub type Hashes = BTreeMap<String, String>;

/// The common properties of every STIX object (SPEC §3.2).
///
/// One struct for all categories: a property that is not allowed on a
/// category (say `created` on an SCO) is still read and kept here, so that
/// the validator can report it and a round trip keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Common {
    /// `id`.
    pub id: Identifier,
    /// `spec_version` as written (`"2.1"`; absent on STIX 2.0 objects).
    pub spec_version: Option<String>,
    /// `created`.
    pub created: Option<Timestamp>,
    /// `modified`.
    pub modified: Option<Timestamp>,
    /// `created_by_ref` (an identity).
    pub created_by_ref: Option<Identifier>,
    /// `revoked`.
    pub revoked: Option<bool>,
    /// `labels`.
    pub labels: Option<Vec<String>>,
    /// `confidence` (0–100 when valid).
    pub confidence: Option<i64>,
    /// `lang` (RFC 5646 tag).
    pub lang: Option<String>,
    /// `external_references`.
    pub external_references: Option<Vec<ExternalReference>>,
    /// `object_marking_refs`.
    pub object_marking_refs: Option<Vec<Identifier>>,
    /// `granular_markings`.
    pub granular_markings: Option<Vec<GranularMarking>>,
    /// `extensions`.
    pub extensions: Option<Extensions>,
    /// `defanged` (SCOs only).
    pub defanged: Option<bool>,
}

impl Common {
    /// Common properties with only `id` set.
    pub fn new(id: Identifier) -> Self {
        Common {
            id,
            spec_version: None,
            created: None,
            modified: None,
            created_by_ref: None,
            revoked: None,
            labels: None,
            confidence: None,
            lang: None,
            external_references: None,
            object_marking_refs: None,
            granular_markings: None,
            extensions: None,
            defanged: None,
        }
    }

    pub(crate) fn serialize_fields<S: serde::Serializer>(
        &self,
        m: &mut S::SerializeMap,
    ) -> Result<(), S::Error> {
        if let Some(v) = &self.spec_version {
            m.serialize_entry("spec_version", v)?;
        }
        m.serialize_entry("id", &self.id)?;
        macro_rules! opt {
            ($($f:ident),*) => {$(
                if let Some(v) = &self.$f {
                    m.serialize_entry(stringify!($f), v)?;
                }
            )*};
        }
        opt!(
            created,
            modified,
            created_by_ref,
            revoked,
            labels,
            confidence,
            lang,
            external_references,
            object_marking_refs,
            granular_markings,
            extensions,
            defanged
        );
        Ok(())
    }
}

/// Collects the common properties while an object is read.
#[derive(Default)]
pub(crate) struct CommonBuilder {
    id: Option<Identifier>,
    spec_version: Option<String>,
    created: Option<Timestamp>,
    modified: Option<Timestamp>,
    created_by_ref: Option<Identifier>,
    revoked: Option<bool>,
    labels: Option<Vec<String>>,
    confidence: Option<i64>,
    lang: Option<String>,
    external_references: Option<Vec<ExternalReference>>,
    object_marking_refs: Option<Vec<Identifier>>,
    granular_markings: Option<Vec<GranularMarking>>,
    extensions: Option<Extensions>,
    defanged: Option<bool>,
}

impl CommonBuilder {
    /// Read `key` if it is a common property; false when it is not one.
    pub(crate) fn visit<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "id" => set_once(&mut self.id, key, map)?,
            "spec_version" => set_once(&mut self.spec_version, key, map)?,
            "created" => set_once(&mut self.created, key, map)?,
            "modified" => set_once(&mut self.modified, key, map)?,
            "created_by_ref" => set_once(&mut self.created_by_ref, key, map)?,
            "revoked" => set_once(&mut self.revoked, key, map)?,
            "labels" => set_once(&mut self.labels, key, map)?,
            "confidence" => set_once(&mut self.confidence, key, map)?,
            "lang" => set_once(&mut self.lang, key, map)?,
            "external_references" => set_once(&mut self.external_references, key, map)?,
            "object_marking_refs" => set_once(&mut self.object_marking_refs, key, map)?,
            "granular_markings" => set_once(&mut self.granular_markings, key, map)?,
            "extensions" => set_once(&mut self.extensions, key, map)?,
            "defanged" => set_once(&mut self.defanged, key, map)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub(crate) fn finish<E: serde::de::Error>(self) -> Result<Common, E> {
        Ok(Common {
            id: self.id.ok_or_else(|| E::missing_field("id"))?,
            spec_version: self.spec_version,
            created: self.created,
            modified: self.modified,
            created_by_ref: self.created_by_ref,
            revoked: self.revoked,
            labels: self.labels,
            confidence: self.confidence,
            lang: self.lang,
            external_references: self.external_references,
            object_marking_refs: self.object_marking_refs,
            granular_markings: self.granular_markings,
            extensions: self.extensions,
            defanged: self.defanged,
        })
    }
}

stix_struct! {
    /// An external reference (SPEC §2.5).
    pub struct ExternalReference ("external reference") {
        /// `source_name` (required).
        source_name: String,
        /// `description`.
        description: String,
        /// `url`.
        url: String,
        /// `hashes`.
        hashes: Hashes,
        /// `external_id`.
        external_id: String,
    }
}

stix_struct! {
    /// A kill-chain phase (SPEC §2.11).
    pub struct KillChainPhase ("kill chain phase") {
        /// `kill_chain_name`.
        kill_chain_name: String,
        /// `phase_name`.
        phase_name: String,
    }
}

stix_struct! {
    /// A granular marking (SPEC §7.2.3): exactly one of `lang` /
    /// `marking_ref`, and the selectors it applies to.
    pub struct GranularMarking ("granular marking") {
        /// `lang`.
        lang: String,
        /// `marking_ref`.
        marking_ref: Identifier,
        /// `selectors`.
        selectors: Vec<String>,
    }
}
