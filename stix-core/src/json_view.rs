//! A borrowed, order-preserving view of one JSON document.
//!
//! Validation walks every property of every object. Building a
//! `serde_json::Value` for that would allocate a `String` per key and per
//! string value and hash or sort every map; this view borrows strings from
//! the input wherever they contain no escapes and keeps members in document
//! order in a plain `Vec`, which is all a rule walk needs.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON number as read: integers keep their exact value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer that fits in `u64`.
    U(u64),
    /// A negative integer that fits in `i64`.
    I(i64),
    /// Any other number (has a fraction or exponent, or is out of range).
    F(f64),
}

impl Number {
    /// The value as an `i128` when it is an integer (including floats such
    /// as `3.0`, which JSON does not distinguish from `3`).
    pub fn as_integer(&self) -> Option<i128> {
        match *self {
            Number::U(u) => Some(u as i128),
            Number::I(i) => Some(i as i128),
            Number::F(f) if f.fract() == 0.0 && f.abs() < 1e30 => Some(f as i128),
            Number::F(_) => None,
        }
    }

    /// The value as a float.
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::U(u) => u as f64,
            Number::I(i) => i as f64,
            Number::F(f) => f,
        }
    }
}

/// One JSON value, borrowing from the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonView<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string (borrowed unless it contained escapes).
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<JsonView<'a>>),
    /// An object, members in document order (duplicates kept).
    Object(Vec<(Cow<'a, str>, JsonView<'a>)>),
}

impl<'a> JsonView<'a> {
    /// Parse one JSON text. Depth is bounded by serde_json's recursion limit.
    pub fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Parse one JSON text given as bytes. UTF-8 is checked once over the
    /// whole text (much cheaper than string by string); invalid UTF-8 goes
    /// through the byte reader for a located error.
    pub fn parse_slice(bytes: &'a [u8]) -> Result<Self, serde_json::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => serde_json::from_str(text),
            Err(_) => serde_json::from_slice(bytes),
        }
    }

    /// Read a typed value out of this view, as serde_json would read it
    /// out of the text the view came from, without tokenizing the text a
    /// second time. Errors carry no position: on failure, read the text
    /// itself to locate the fault.
    pub(crate) fn deserialize_into<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<T, serde_json::Error> {
        T::deserialize(ViewDeserializer(self))
    }

    /// The member `key` of an object (the first one, if repeated).
    pub fn get(&self, key: &str) -> Option<&JsonView<'a>> {
        match self {
            JsonView::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonView::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, JsonView<'a>)]> {
        match self {
            JsonView::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[JsonView<'a>]> {
        match self {
            JsonView::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            JsonView::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            JsonView::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The JSON type with its article (`an object`, `a string`, `null`),
    /// for messages such as "must be a list, found an object".
    pub fn kind(&self) -> &'static str {
        match self {
            JsonView::Null => "null",
            JsonView::Bool(_) => "a boolean",
            JsonView::Number(_) => "a number",
            JsonView::Str(_) => "a string",
            JsonView::Array(_) => "an array",
            JsonView::Object(_) => "an object",
        }
    }

    /// Convert to an owned `serde_json::Value` (used only for the few places
    /// that need one, such as computing deterministic SCO ids).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            JsonView::Null => Value::Null,
            JsonView::Bool(b) => Value::Bool(*b),
            JsonView::Number(Number::U(u)) => Value::from(*u),
            JsonView::Number(Number::I(i)) => Value::from(*i),
            JsonView::Number(Number::F(f)) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            JsonView::Str(s) => Value::String(s.to_string()),
            JsonView::Array(a) => Value::Array(a.iter().map(JsonView::to_value).collect()),
            JsonView::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Feed a hash of the content into `state`, independent of member order
    /// and of formatting, so two copies of one object hash alike without
    /// being re-serialised.
    pub fn content_hash<H: std::hash::Hasher>(&self, state: &mut H) {
        use std::hash::Hash;
        match self {
            JsonView::Null => 0u8.hash(state),
            JsonView::Bool(b) => (1u8, *b).hash(state),
            JsonView::Number(n) => {
                2u8.hash(state);
                match n.as_integer() {
                    Some(i) => (0u8, i).hash(state),
                    None => (1u8, n.as_f64().to_bits()).hash(state),
                }
            }
            JsonView::Str(s) => (3u8, s.as_ref()).hash(state),
            JsonView::Array(a) => {
                (4u8, a.len()).hash(state);
                for v in a {
                    v.content_hash(state);
                }
            }
            JsonView::Object(m) => {
                // Order-independent: combine per-member hashes commutatively.
                let mut acc: u64 = 0;
                for (k, v) in m {
                    let mut h = rustc_hash::FxHasher::default();
                    k.as_ref().hash(&mut h);
                    v.content_hash(&mut h);
                    acc = acc.wrapping_add(std::hash::Hasher::finish(&h));
                }
                (5u8, m.len(), acc).hash(state);
            }
        }
    }
}

/// A member name that borrows from the input when it can.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for JsonView<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ViewVisitor;
        impl<'de> Visitor<'de> for ViewVisitor {
            type Value = JsonView<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(JsonView::Bool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(JsonView::Number(Number::U(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(JsonView::Number(if v >= 0 {
                    Number::U(v as u64)
                } else {
                    Number::I(v)
                }))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(JsonView::Number(Number::F(v)))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonView::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonView::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonView::Str(Cow::Owned(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(JsonView::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(JsonView::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(v) = seq.next_element()? {
                    items.push(v);
                }
                Ok(JsonView::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((Key(k), v)) = map.next_entry::<Key<'de>, JsonView<'de>>()? {
                    members.push((k, v));
                }
                Ok(JsonView::Object(members))
            }
        }
        d.deserialize_any(ViewVisitor)
    }
}

/// A serde `Deserializer` over a parsed view, presenting it exactly as
/// serde_json presents the JSON text: the same visitor calls for the same
/// values (strings borrowed for the view's lifetime, numbers as read).
struct ViewDeserializer<'de, 'a>(&'de JsonView<'a>);

impl<'de, 'a> Deserializer<'de> for ViewDeserializer<'de, 'a> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            JsonView::Null => visitor.visit_unit(),
            JsonView::Bool(b) => visitor.visit_bool(*b),
            JsonView::Number(Number::U(u)) => visitor.visit_u64(*u),
            JsonView::Number(Number::I(i)) => visitor.visit_i64(*i),
            JsonView::Number(Number::F(f)) => visitor.visit_f64(*f),
            JsonView::Str(s) => visitor.visit_borrowed_str(s),
            JsonView::Array(items) => {
                let mut seq = SeqView(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                match seq.0.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::invalid_length(items.len(), &"fewer elements")),
                }
            }
            JsonView::Object(members) => {
                let mut map = MapView {
                    members: members.iter(),
                    value: None,
                };
                let value = visitor.visit_map(&mut map)?;
                match map.members.len() {
                    0 => Ok(value),
                    _ => Err(de::Error::invalid_length(members.len(), &"fewer members")),
                }
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            JsonView::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            JsonView::Str(s) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s.as_ref()))
            }
            // Enums written as objects do not occur in the model; the caller
            // reads the text instead.
            other => Err(de::Error::invalid_type(
                de::Unexpected::Other(other.kind()),
                &"a string",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct SeqView<'de, 'a>(std::slice::Iter<'de, JsonView<'a>>);

impl<'de> SeqAccess<'de> for SeqView<'de, '_> {
    type Error = serde_json::Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(ViewDeserializer(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapView<'de, 'a> {
    members: std::slice::Iter<'de, (Cow<'a, str>, JsonView<'a>)>,
    value: Option<&'de JsonView<'a>>,
}

impl<'de> MapAccess<'de> for MapView<'de, '_> {
    type Error = serde_json::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.members.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(k.as_ref()))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(ViewDeserializer(v)),
            None => Err(de::Error::custom(
                "a map value was asked for before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher;

    fn hash(v: &JsonView) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        v.content_hash(&mut h);
        h.finish()
    }

    #[test]
    fn borrows_plain_strings_and_owns_escaped_ones() {
        let text = r#"{"a":"plain","b":"esc\"aped","n":-3,"f":1.5,"u":18446744073709551615,"z":null,"l":[true]}"#;
        let v = JsonView::parse(text).unwrap();
        assert!(matches!(
            v.get("a"),
            Some(JsonView::Str(Cow::Borrowed("plain")))
        ));
        assert!(matches!(v.get("b"), Some(JsonView::Str(Cow::Owned(s))) if s == "esc\"aped"));
        assert_eq!(v.get("n").unwrap().as_number(), Some(Number::I(-3)));
        assert_eq!(v.get("f").unwrap().as_number(), Some(Number::F(1.5)));
        assert_eq!(v.get("u").unwrap().as_number(), Some(Number::U(u64::MAX)));
        assert_eq!(v.get("z"), Some(&JsonView::Null));
        assert_eq!(v.get("l").unwrap().as_array().unwrap().len(), 1);
        assert_eq!(
            v.to_value(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
    }

    #[test]
    fn content_hash_ignores_member_order_and_whitespace_only() {
        let a = JsonView::parse(r#"{"x":1,"y":[1,2],"z":{"k":"v"}}"#).unwrap();
        let b = JsonView::parse(r#"{ "z" : {"k":"v"}, "y":[1, 2], "x":1 }"#).unwrap();
        let c = JsonView::parse(r#"{"x":1,"y":[2,1],"z":{"k":"v"}}"#).unwrap();
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&c));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(JsonView::parse(&text).is_err());
    }
}
