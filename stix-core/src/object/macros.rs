//! The macros that write the (de)serialisers of the object structs.
//!
//! Every STIX struct is read the same way: known keys go to typed fields,
//! everything else is kept verbatim in `custom`, a `null` is refused (typed
//! fields never accept it), and a key given twice is refused. Writing that
//! by hand forty times would be error-prone; `#[serde(flatten)]` would
//! buffer every object through serde's `Content` and be several times
//! slower. So a `macro_rules!` generates one direct visitor per struct.

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde_json::{Map, Value};

/// A map key, borrowed from the input when it has no escapes.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }
    pub(crate) fn into_owned(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Read the value of `key` into an empty slot (a repeated key is an error).
pub(crate) fn set_once<'de, A, T>(
    slot: &mut Option<T>,
    key: &str,
    map: &mut A,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::custom(format!("duplicate property `{key}`")));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keep an unknown property verbatim.
pub(crate) fn keep_custom<'de, A: MapAccess<'de>>(
    custom: &mut Map<String, Value>,
    key: Key<'de>,
    map: &mut A,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    let key = key.into_owned();
    if custom.contains_key(&key) {
        return Err(de::Error::custom(format!("duplicate property `{key}`")));
    }
    custom.insert(key, value);
    Ok(())
}

/// Check the `type` property of a typed object.
pub(crate) fn check_type<'de, A: MapAccess<'de>>(
    expected: &str,
    map: &mut A,
) -> Result<(), A::Error> {
    let t: Key<'de> = map.next_value()?;
    if t.as_str() != expected {
        return Err(de::Error::custom(format!(
            "`type` is {:?} where {:?} was expected",
            t.as_str(),
            expected
        )));
    }
    Ok(())
}

/// The JSON key of a field: its name, unless given explicitly.
macro_rules! field_key {
    ($f:ident) => {
        stringify!($f)
    };
    ($f:ident, $k:literal) => {
        $k
    };
}

/// A closed set of string values (a STIX enumeration).
macro_rules! string_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vm:meta])* $var:ident = $s:literal ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vm])* $var, )*
        }

        impl $name {
            /// Every value of the enumeration.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The value as written in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$var => $s, )*
                }
            }

            /// The variant for a JSON value, if it is one of the enumeration.
            pub fn from_name(s: &str) -> Option<Self> {
                match s {
                    $( $s => Some($name::$var), )*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let k = $crate::object::macros::Key::deserialize(d)?;
                $name::from_name(k.as_str()).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{:?} is not a valid {} value (expected one of: {})",
                        k.as_str(),
                        $what,
                        [$($s),*].join(", ")
                    ))
                })
            }
        }
    };
}

/// A nested STIX structure (external reference, kill-chain phase, …):
/// typed optional fields plus `custom` for anything else.
macro_rules! stix_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident ($what:literal) {
            $( $(#[$fm:meta])* $field:ident $(= $key:literal)? : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$fm])* pub $field: Option<$ty>, )*
            /// Properties not defined by the specification, kept verbatim.
            pub custom: serde_json::Map<String, serde_json::Value>,
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                $( if let Some(v) = &self.$field {
                    m.serialize_entry(field_key!($field $(, $key)?), v)?;
                } )*
                for (k, v) in &self.custom {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (", $what, ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        #[allow(unused_imports)]
                        use $crate::object::macros::{keep_custom, set_once, Key};
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                $( field_key!($field $(, $key)?) => set_once(&mut out.$field, key.as_str(), &mut map)?, )*
                                _ => keep_custom(&mut out.custom, key, &mut map)?,
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}

/// A top-level STIX object of one fixed `type`: common properties, typed
/// optional type-specific fields, and `custom` for anything else.
macro_rules! stix_object {
    (
        $(#[$m:meta])*
        pub struct $name:ident = $type:literal {
            $( $(#[$fm:meta])* $field:ident $(= $key:literal)? : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            /// The common properties (`id`, `created`, markings, …).
            pub common: $crate::object::Common,
            $( $(#[$fm])* pub $field: Option<$ty>, )*
            /// Properties not defined for this type (custom `x_` properties,
            /// toplevel-property-extension properties, …), kept verbatim.
            pub custom: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The STIX `type` of this object.
            pub const TYPE: &'static str = $type;

            /// A new object with only `id` set (and `type` implied).
            pub fn new(id: $crate::Identifier) -> Self {
                $name {
                    common: $crate::object::Common::new(id),
                    $( $field: None, )*
                    custom: serde_json::Map::new(),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("type", $type)?;
                self.common.serialize_fields::<S>(&mut m)?;
                $( if let Some(v) = &self.$field {
                    m.serialize_entry(field_key!($field $(, $key)?), v)?;
                } )*
                for (k, v) in &self.custom {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a JSON object (STIX ", $type, ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        #[allow(unused_imports)]
                        use $crate::object::macros::{check_type, keep_custom, set_once, Key};
                        let mut common = $crate::object::CommonBuilder::default();
                        let mut seen_type = false;
                        $( let mut $field: Option<$ty> = None; )*
                        let mut custom = serde_json::Map::new();
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                "type" => {
                                    if seen_type {
                                        return Err(serde::de::Error::custom("duplicate property `type`"));
                                    }
                                    seen_type = true;
                                    check_type($type, &mut map)?;
                                }
                                $( field_key!($field $(, $key)?) => set_once(&mut $field, key.as_str(), &mut map)?, )*
                                k => {
                                    if !common.visit(k, &mut map)? {
                                        keep_custom(&mut custom, key, &mut map)?;
                                    }
                                }
                            }
                        }
                        if !seen_type {
                            return Err(serde::de::Error::missing_field("type"));
                        }
                        Ok($name { common: common.finish()?, $( $field, )* custom })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}
