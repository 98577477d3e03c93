//! The typed STIX 2.1 object model.
//!
//! [`StixObject`] has one variant per object type of the specification and
//! [`StixObject::Custom`] for any other type. Each struct keeps the common
//! properties in [`Common`], its own properties as typed optional fields,
//! and every other property verbatim in `custom`, so that serialising a
//! parsed object gives back JSON equal to the input.

#[macro_use]
pub(crate) mod macros;
pub mod bundle;
pub mod common;
pub mod custom;
pub mod extension;
pub mod meta;
pub mod sco;
pub mod sdo;
pub mod sro;

pub use bundle::Bundle;
pub(crate) use common::CommonBuilder;
pub use common::{Common, ExternalReference, GranularMarking, Hashes, KillChainPhase};
pub use custom::CustomObject;
pub use extension::{Extension, ExtensionType, Extensions};
pub use meta::{ExtensionDefinition, LanguageContent, MarkingDefinition};
pub use sco::{
    Artifact, AutonomousSystem, Directory, DomainName, EmailAddr, EmailMessage, EmailMimePart,
    EncryptionAlgorithm, File, Ipv4Addr, Ipv6Addr, MacAddr, Mutex, NetworkTraffic, Process,
    Software, Url, UserAccount, WindowsRegistryDatatype, WindowsRegistryKey, WindowsRegistryValue,
    X509Certificate, X509V3Extensions,
};
pub use sdo::{
    AttackPattern, Campaign, CourseOfAction, Grouping, Identity, Incident, Indicator,
    Infrastructure, IntrusionSet, Location, Malware, MalwareAnalysis, Note, ObservedData, Opinion,
    OpinionValue, Report, ThreatActor, Tool, Vulnerability,
};
pub use sro::{Relationship, Sighting};

use serde_json::{Map, Value};

use crate::{Identifier, Timestamp};

/// The category of an object type (SPEC §3.2 summary table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectCategory {
    /// STIX Domain Object.
    Sdo,
    /// STIX Relationship Object.
    Sro,
    /// STIX Cyber-observable Object.
    Sco,
    /// Meta object (marking-definition, language-content, extension-definition).
    Meta,
    /// A type the specification does not define.
    Custom,
}

macro_rules! stix_objects {
    ($( $var:ident($ty:ident) = $name:literal, $cat:ident; )*) => {
        /// Any STIX object: one variant per specification type, plus
        /// `Custom` for every other type. Variants are boxed so that the
        /// enum stays small whatever the type.
        #[derive(Debug, Clone, PartialEq)]
        pub enum StixObject {
            $(
                #[doc = concat!("`", $name, "`")]
                $var(Box<$ty>),
            )*
            /// An object of a type the specification does not define.
            Custom(Box<CustomObject>),
        }

        /// Every object type the specification defines, with its category.
        pub const KNOWN_TYPES: &[(&str, ObjectCategory)] = &[
            $( ($name, ObjectCategory::$cat), )*
        ];

        impl StixObject {
            /// The `type` property.
            pub fn type_name(&self) -> &str {
                match self {
                    $( StixObject::$var(_) => $name, )*
                    StixObject::Custom(o) => &o.type_name,
                }
            }

            /// The object's category.
            pub fn category(&self) -> ObjectCategory {
                match self {
                    $( StixObject::$var(_) => ObjectCategory::$cat, )*
                    StixObject::Custom(_) => ObjectCategory::Custom,
                }
            }

            /// The common properties.
            pub fn common(&self) -> &Common {
                match self {
                    $( StixObject::$var(o) => &o.common, )*
                    StixObject::Custom(o) => &o.common,
                }
            }

            /// The common properties, mutable.
            pub fn common_mut(&mut self) -> &mut Common {
                match self {
                    $( StixObject::$var(o) => &mut o.common, )*
                    StixObject::Custom(o) => &mut o.common,
                }
            }

            /// Properties outside the typed fields, kept verbatim (custom
            /// properties, toplevel-property-extension properties; for a
            /// custom object, everything but the common properties).
            pub fn custom_properties(&self) -> &Map<String, Value> {
                match self {
                    $( StixObject::$var(o) => &o.custom, )*
                    StixObject::Custom(o) => &o.custom,
                }
            }

            /// Read an object of a known `type` from JSON text. Unknown types
            /// give [`StixObject::Custom`].
            pub(crate) fn from_slice_typed(type_name: &str, bytes: &[u8]) -> serde_json::Result<StixObject> {
                Ok(match type_name {
                    $( $name => StixObject::$var(Box::new(de(bytes)?)), )*
                    _ => StixObject::Custom(Box::new(de(bytes)?)),
                })
            }

            /// Read an object of a known `type` from a parsed view of its
            /// JSON text, giving what `from_slice_typed` gives for that text
            /// (without a position on failure).
            pub(crate) fn from_view_typed(type_name: &str, view: &crate::json_view::JsonView<'_>) -> serde_json::Result<StixObject> {
                Ok(match type_name {
                    $( $name => StixObject::$var(Box::new(view.deserialize_into()?)), )*
                    _ => StixObject::Custom(Box::new(view.deserialize_into()?)),
                })
            }

            /// Same as `from_slice_typed`, recording the path of a failure.
            pub(crate) fn from_slice_tracked(type_name: &str, bytes: &[u8]) -> Result<StixObject, serde_path_to_error::Error<serde_json::Error>> {
                let mut de = serde_json::Deserializer::from_slice(bytes);
                let de = &mut de;
                Ok(match type_name {
                    $( $name => StixObject::$var(Box::new(serde_path_to_error::deserialize(de)?)), )*
                    _ => StixObject::Custom(Box::new(serde_path_to_error::deserialize(de)?)),
                })
            }

            /// Read an object from a `serde_json::Value`.
            pub fn from_value(value: Value) -> serde_json::Result<StixObject> {
                let type_name = match value.get("type") {
                    Some(Value::String(s)) => s.clone(),
                    _ => return Err(serde::de::Error::missing_field("type")),
                };
                Ok(match type_name.as_str() {
                    $( $name => StixObject::$var(Box::new(serde_json::from_value(value)?)), )*
                    _ => StixObject::Custom(Box::new(serde_json::from_value(value)?)),
                })
            }
        }

        impl serde::Serialize for StixObject {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( StixObject::$var(o) => o.serialize(s), )*
                    StixObject::Custom(o) => o.serialize(s),
                }
            }
        }

        $(
            impl From<$ty> for StixObject {
                fn from(o: $ty) -> StixObject {
                    StixObject::$var(Box::new(o))
                }
            }
        )*
    };
}

stix_objects! {
    AttackPattern(AttackPattern) = "attack-pattern", Sdo;
    Campaign(Campaign) = "campaign", Sdo;
    CourseOfAction(CourseOfAction) = "course-of-action", Sdo;
    Grouping(Grouping) = "grouping", Sdo;
    Identity(Identity) = "identity", Sdo;
    Incident(Incident) = "incident", Sdo;
    Indicator(Indicator) = "indicator", Sdo;
    Infrastructure(Infrastructure) = "infrastructure", Sdo;
    IntrusionSet(IntrusionSet) = "intrusion-set", Sdo;
    Location(Location) = "location", Sdo;
    Malware(Malware) = "malware", Sdo;
    MalwareAnalysis(MalwareAnalysis) = "malware-analysis", Sdo;
    Note(Note) = "note", Sdo;
    ObservedData(ObservedData) = "observed-data", Sdo;
    Opinion(Opinion) = "opinion", Sdo;
    Report(Report) = "report", Sdo;
    ThreatActor(ThreatActor) = "threat-actor", Sdo;
    Tool(Tool) = "tool", Sdo;
    Vulnerability(Vulnerability) = "vulnerability", Sdo;
    Relationship(Relationship) = "relationship", Sro;
    Sighting(Sighting) = "sighting", Sro;
    Artifact(Artifact) = "artifact", Sco;
    AutonomousSystem(AutonomousSystem) = "autonomous-system", Sco;
    Directory(Directory) = "directory", Sco;
    DomainName(DomainName) = "domain-name", Sco;
    EmailAddr(EmailAddr) = "email-addr", Sco;
    EmailMessage(EmailMessage) = "email-message", Sco;
    File(File) = "file", Sco;
    Ipv4Addr(Ipv4Addr) = "ipv4-addr", Sco;
    Ipv6Addr(Ipv6Addr) = "ipv6-addr", Sco;
    MacAddr(MacAddr) = "mac-addr", Sco;
    Mutex(Mutex) = "mutex", Sco;
    NetworkTraffic(NetworkTraffic) = "network-traffic", Sco;
    Process(Process) = "process", Sco;
    Software(Software) = "software", Sco;
    Url(Url) = "url", Sco;
    UserAccount(UserAccount) = "user-account", Sco;
    WindowsRegistryKey(WindowsRegistryKey) = "windows-registry-key", Sco;
    X509Certificate(X509Certificate) = "x509-certificate", Sco;
    MarkingDefinition(MarkingDefinition) = "marking-definition", Meta;
    LanguageContent(LanguageContent) = "language-content", Meta;
    ExtensionDefinition(ExtensionDefinition) = "extension-definition", Meta;
}

impl From<CustomObject> for StixObject {
    fn from(o: CustomObject) -> StixObject {
        StixObject::Custom(Box::new(o))
    }
}

/// Read JSON text, checking UTF-8 once for the whole text (much faster
/// than string by string); invalid UTF-8 goes through the byte reader for a
/// located error.
fn de<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(s) => serde_json::from_str(s),
        Err(_) => serde_json::from_slice(bytes),
    }
}

/// The category of a `type` name (`Custom` for types the specification
/// does not define).
pub fn category_of(type_name: &str) -> ObjectCategory {
    KNOWN_TYPES
        .iter()
        .find(|(n, _)| *n == type_name)
        .map_or(ObjectCategory::Custom, |(_, c)| *c)
}

impl StixObject {
    /// The `id`.
    pub fn id(&self) -> &Identifier {
        &self.common().id
    }

    /// `spec_version` as written, if present.
    pub fn spec_version(&self) -> Option<&str> {
        self.common().spec_version.as_deref()
    }

    /// `created`, if present.
    pub fn created(&self) -> Option<&Timestamp> {
        self.common().created.as_ref()
    }

    /// `modified`, if present.
    pub fn modified(&self) -> Option<&Timestamp> {
        self.common().modified.as_ref()
    }

    /// `created_by_ref`, if present.
    pub fn created_by_ref(&self) -> Option<&Identifier> {
        self.common().created_by_ref.as_ref()
    }

    /// `revoked`, if present.
    pub fn revoked(&self) -> Option<bool> {
        self.common().revoked
    }

    /// `object_marking_refs` (empty when absent).
    pub fn object_marking_refs(&self) -> &[Identifier] {
        self.common().object_marking_refs.as_deref().unwrap_or(&[])
    }

    /// `granular_markings` (empty when absent).
    pub fn granular_markings(&self) -> &[GranularMarking] {
        self.common().granular_markings.as_deref().unwrap_or(&[])
    }

    /// `external_references` (empty when absent).
    pub fn external_references(&self) -> &[ExternalReference] {
        self.common().external_references.as_deref().unwrap_or(&[])
    }

    /// `extensions`, if present.
    pub fn extensions(&self) -> Option<&Extensions> {
        self.common().extensions.as_ref()
    }

    /// The object as a JSON value (equal to the input it was read from).
    pub fn to_value(&self) -> Value {
        // Serialising our own types into a Value cannot fail: every map key
        // is a string and there are no non-finite floats.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The object as compact JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl<'de> serde::Deserialize<'de> for StixObject {
    /// Reads any object through a `serde_json::Value` (for use inside other
    /// structures); the parse functions of this crate are faster.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        StixObject::from_value(v).map_err(serde::de::Error::custom)
    }
}
