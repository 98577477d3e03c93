//! Meta objects (SPEC §7): marking definitions, language content and
//! extension definitions.

use serde_json::{Map, Value};

use super::extension::ExtensionType;
use crate::{Identifier, Timestamp};

stix_object! {
    /// Marking Definition (SPEC §7.2.1). `definition` is kept as the JSON
    /// object it is (`{"tlp": "green"}`, `{"statement": "…"}`, …).
    pub struct MarkingDefinition = "marking-definition" {
        /// `name`.
        name: String,
        /// `definition_type` (deprecated; `tlp`, `statement`, …).
        definition_type: String,
        /// `definition` (deprecated).
        definition: Map<String, Value>,
    }
}

stix_object! {
    /// Language Content (SPEC §7.1).
    pub struct LanguageContent = "language-content" {
        /// `object_ref`.
        object_ref: Identifier,
        /// `object_modified`.
        object_modified: Timestamp,
        /// `contents`: language tag → property name → translation.
        contents: Map<String, Value>,
    }
}

stix_object! {
    /// Extension Definition (SPEC §7.3).
    pub struct ExtensionDefinition = "extension-definition" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `schema`.
        schema: String,
        /// `version`.
        version: String,
        /// `extension_types`.
        extension_types: Vec<ExtensionType>,
        /// `extension_properties`.
        extension_properties: Vec<String>,
    }
}
