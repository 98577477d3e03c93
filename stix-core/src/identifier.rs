//! STIX identifiers (SPEC §2.9): `<object-type>--<UUID>`.
//!
//! Parsing checks the shape (a non-empty type, `--`, a hyphenated UUID of
//! hex digits) and keeps the string exactly as written (letter case
//! included). Whether the UUID is RFC 4122 compliant and which version it
//! is are separate questions, answered by [`Identifier::is_rfc4122`] and
//! [`Identifier::uuid_version`], so the validator can judge them.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// A STIX identifier such as `indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identifier {
    text: Box<str>,
}

const UUID_LEN: usize = 36;

impl Identifier {
    /// Parse an identifier, checking its `<type>--<UUID>` shape.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match check(text) {
            Ok(()) => Ok(Identifier { text: text.into() }),
            Err(reason) => Err(Error::Identifier {
                value: text.to_owned(),
                reason: reason.to_owned(),
            }),
        }
    }

    /// Build the identifier `<object_type>--<uuid>` (lower-case UUID).
    pub fn new(object_type: &str, uuid: uuid::Uuid) -> Result<Self, Error> {
        Self::parse(&format!("{object_type}--{}", uuid.hyphenated()))
    }

    /// A new identifier with a random (version 4) UUID.
    pub fn new_v4(object_type: &str) -> Result<Self, Error> {
        Self::new(object_type, uuid::Uuid::new_v4())
    }

    /// The identifier exactly as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The object type part, before `--`.
    pub fn object_type(&self) -> &str {
        &self.text[..self.text.len() - UUID_LEN - 2]
    }

    /// The UUID part, as written.
    pub fn uuid_str(&self) -> &str {
        &self.text[self.text.len() - UUID_LEN..]
    }

    /// The UUID part.
    pub fn uuid(&self) -> uuid::Uuid {
        // The shape was checked on parse: 8-4-4-4-12 hex digits.
        uuid::Uuid::try_parse(self.uuid_str()).unwrap_or_default()
    }

    /// The UUID version nibble (1–5 for RFC 4122 versions, 0 for nil, …).
    pub fn uuid_version(&self) -> u8 {
        (self.uuid().as_bytes()[6] >> 4) & 0x0f
    }

    /// True when the UUID has the RFC 4122 variant bits (`10xx`) and a
    /// version from 1 to 5 (the STIX JSON schema's rule, STIX-ID-02).
    pub fn is_rfc4122(&self) -> bool {
        let u = self.uuid();
        u.get_variant() == uuid::Variant::RFC4122 && (1..=5).contains(&self.uuid_version())
    }
}

static HEX_OR_DASH: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_hexdigit() || c == b'-' as usize;
        c += 1;
    }
    t
};

fn check(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    if b.len() < UUID_LEN + 3 {
        return Err("expected <object-type>--<UUID>");
    }
    let sep = b.len() - UUID_LEN - 2;
    if &b[sep..sep + 2] != b"--" {
        return Err("expected <object-type>--<UUID> (the UUID part is not 36 characters)");
    }
    let u = &b[sep + 2..];
    if u[8] != b'-' || u[13] != b'-' || u[18] != b'-' || u[23] != b'-' {
        return Err("the UUID part must be 8-4-4-4-12 hexadecimal digits");
    }
    if !u.iter().all(|&c| HEX_OR_DASH[c as usize]) {
        return Err("the UUID part must be 8-4-4-4-12 hexadecimal digits");
    }
    Ok(())
}

impl std::str::FromStr for Identifier {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Identifier::parse(s)
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identifier({})", self.text)
    }
}

impl AsRef<str> for Identifier {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Identifier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Identifier;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a STIX identifier string <object-type>--<UUID>")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Identifier, E> {
                Identifier::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_checks() {
        let id = Identifier::parse("indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F").unwrap();
        assert_eq!(id.object_type(), "indicator");
        assert_eq!(
            id.as_str(),
            "indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F"
        );
        assert_eq!(id.uuid_version(), 4);
        assert!(id.is_rfc4122());
        let v5 = Identifier::parse("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4").unwrap();
        assert_eq!(v5.object_type(), "ipv4-addr");
        assert_eq!(v5.uuid_version(), 5);
        // Version nibble 8 and variant bits 11xx: well-shaped but not RFC 4122.
        let bad = Identifier::parse("incident--1b75ee8f-44d6-819a-d729-1a2b3c4d5e6f").unwrap();
        assert!(!bad.is_rfc4122());
    }

    #[test]
    fn rejects_bad_shapes() {
        for s in [
            "malware--temporary",
            "--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3fx",
            "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3g",
            "indicator--{8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3}",
            "",
        ] {
            assert!(Identifier::parse(s).is_err(), "{s} accepted");
        }
        let err = serde_json::from_str::<Identifier>("\"malware--temporary\"").unwrap_err();
        assert!(err.to_string().contains("malware--temporary"));
    }
}
