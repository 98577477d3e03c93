//! Objects of a type the specification does not define: custom objects
//! (SPEC §11.1) and objects of new types defined through an
//! extension-definition (`new-sdo`, `new-sco`, `new-sro`, SPEC §7.3).

use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use super::{Common, CommonBuilder};

/// An object whose `type` is not one of the specification's: the common
/// properties are read (so ids, timestamps and markings work as for any
/// object) and every other property is kept verbatim.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomObject {
    /// The `type`, as written.
    pub type_name: String,
    /// The common properties.
    pub common: Common,
    /// Every other property, verbatim.
    pub custom: Map<String, Value>,
}

impl serde::Serialize for CustomObject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", &self.type_name)?;
        self.common.serialize_fields::<S>(&mut m)?;
        for (k, v) in &self.custom {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for CustomObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CustomObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object (STIX object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<CustomObject, A::Error> {
                use super::macros::{keep_custom, set_once, Key};
                let mut common = CommonBuilder::default();
                let mut type_name: Option<String> = None;
                let mut custom = Map::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "type" => set_once(&mut type_name, "type", &mut map)?,
                        k => {
                            if !common.visit(k, &mut map)? {
                                keep_custom(&mut custom, key, &mut map)?;
                            }
                        }
                    }
                }
                Ok(CustomObject {
                    type_name: type_name.ok_or_else(|| serde::de::Error::missing_field("type"))?,
                    common: common.finish()?,
                    custom,
                })
            }
        }
        d.deserialize_map(V)
    }
}
