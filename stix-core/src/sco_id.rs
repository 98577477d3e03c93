//! Deterministic identifiers of STIX Cyber-observable Objects (SPEC §2.9).
//!
//! An SCO id is `<type>--<UUIDv5>` where the UUID is computed in the STIX
//! namespace over the RFC 8785 (JCS) serialisation of a JSON object holding
//! the SCO's *ID contributing properties* that are present. Two producers that
//! see the same observable therefore mint the same id, which is what lets
//! consumers de-duplicate observables across feeds.

use serde_json::{Map, Value};
use uuid::Uuid;

/// The namespace of every deterministic SCO id (SPEC §2.9).
pub const SCO_NAMESPACE: Uuid = Uuid::from_bytes([
    0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
]);

/// Hash algorithms in the order the spec prefers them when a `hashes`
/// dictionary contributes to an id: exactly one is used.
const HASH_PREFERENCE: [&str; 4] = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

/// The ID contributing properties of an SCO type (SPEC §6.x), or `None` when
/// `sco_type` is not one of the 18 SCO types of STIX 2.1.
///
/// `process` has none: its id is always a UUIDv4.
pub fn id_contributing_properties(sco_type: &str) -> Option<&'static [&'static str]> {
    Some(match sco_type {
        "artifact" => &["hashes", "payload_bin"],
        "autonomous-system" => &["number"],
        "directory" => &["path"],
        "domain-name" | "email-addr" | "ipv4-addr" | "ipv6-addr" | "mac-addr" | "url" => &["value"],
        "email-message" => &["from_ref", "subject", "body"],
        "file" => &["hashes", "name", "extensions", "parent_directory_ref"],
        "mutex" => &["name"],
        "network-traffic" => &[
            "start",
            "end",
            "src_ref",
            "dst_ref",
            "src_port",
            "dst_port",
            "protocols",
            "extensions",
        ],
        "process" => &[],
        "software" => &["name", "cpe", "swid", "vendor", "version"],
        "user-account" => &["account_type", "user_id", "account_login"],
        "windows-registry-key" => &["key", "values"],
        "x509-certificate" => &["hashes", "serial_number"],
        _ => return None,
    })
}

/// Why a deterministic id could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoIdError {
    /// The type is not one of the STIX 2.1 SCO types.
    #[error("`{0}` is not a STIX 2.1 cyber-observable type")]
    NotAnSco(String),
}

/// The JSON object that is hashed for an SCO: the present contributing
/// properties, with `hashes` reduced to the single preferred entry.
///
/// Returns `Ok(None)` when no contributing property is present, in which case
/// the object must get a random (v4) UUID.
pub fn contributing_object(
    sco_type: &str,
    props: &Map<String, Value>,
) -> Result<Option<Map<String, Value>>, ScoIdError> {
    let names = id_contributing_properties(sco_type)
        .ok_or_else(|| ScoIdError::NotAnSco(sco_type.into()))?;
    let mut out = Map::new();
    for &name in names {
        let Some(value) = props.get(name) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        if name == "hashes" {
            if let Some(one) = preferred_hash(value) {
                out.insert(name.to_owned(), one);
            }
            continue;
        }
        out.insert(name.to_owned(), value.clone());
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// Pick the one hash that contributes to an id: the first of MD5, SHA-1,
/// SHA-256, SHA-512 that is present, else the first entry of the dictionary.
fn preferred_hash(hashes: &Value) -> Option<Value> {
    let map = hashes.as_object()?;
    let (key, value) = HASH_PREFERENCE
        .iter()
        .find_map(|alg| map.get_key_value(*alg))
        .or_else(|| map.iter().next())?;
    let mut one = Map::new();
    one.insert(key.clone(), value.clone());
    Some(Value::Object(one))
}

/// The deterministic UUIDv5 for an SCO of `sco_type` with these properties,
/// or `Ok(None)` when none of its contributing properties is present.
pub fn deterministic_uuid(
    sco_type: &str,
    props: &Map<String, Value>,
) -> Result<Option<Uuid>, ScoIdError> {
    let Some(obj) = contributing_object(sco_type, props)? else {
        return Ok(None);
    };
    let name = canonical_json(&Value::Object(obj));
    Ok(Some(Uuid::new_v5(&SCO_NAMESPACE, name.as_bytes())))
}

/// RFC 8785 serialisation of a JSON value.
fn canonical_json(value: &Value) -> String {
    // A serde_json::Value holds no non-finite numbers and only string keys,
    // the only inputs JCS refuses, so this cannot fail.
    serde_json_canonicalizer::to_string(value).unwrap_or_default()
}

/// The id a producer should give a new SCO: `<type>--<UUIDv5>` from its
/// contributing properties, or `<type>--<UUIDv4>` when none is present (and
/// always for `process`).
pub fn generate_sco_id(sco_type: &str, props: &Map<String, Value>) -> Result<String, ScoIdError> {
    let uuid = match deterministic_uuid(sco_type, props)? {
        Some(u) => u,
        None => Uuid::new_v4(),
    };
    Ok(format!("{sco_type}--{uuid}"))
}

/// How a given SCO id compares with the one its properties determine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoIdCheck {
    /// The id is the deterministic one.
    Matches,
    /// The id differs from the deterministic one (a SHOULD is not met).
    Mismatch {
        /// The id the properties determine.
        expected: String,
    },
    /// No contributing property is present: the id must be a UUIDv4.
    NoContributingProperties,
}

/// Compare the UUID part of `id` with the deterministic one for these
/// properties (hex case is ignored, as UUIDs are case-insensitive).
pub fn check_sco_id(
    sco_type: &str,
    id: &str,
    props: &Map<String, Value>,
) -> Result<ScoIdCheck, ScoIdError> {
    let Some(expected) = deterministic_uuid(sco_type, props)? else {
        return Ok(ScoIdCheck::NoContributingProperties);
    };
    let given = id.rsplit_once("--").map(|(_, u)| u).unwrap_or("");
    let same = Uuid::parse_str(given)
        .map(|u| u == expected)
        .unwrap_or(false);
    Ok(if same {
        ScoIdCheck::Matches
    } else {
        ScoIdCheck::Mismatch {
            expected: format!("{sco_type}--{expected}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id_of(sco_type: &str, props: Value) -> String {
        generate_sco_id(sco_type, props.as_object().unwrap()).unwrap()
    }

    const SHA256: &str = "6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b";

    #[test]
    fn golden_vectors_from_checklist() {
        let cases = [
            (
                "ipv4-addr",
                json!({"value": "198.51.100.3"}),
                "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
            ),
            (
                "ipv4-addr",
                json!({"value": "1.2.3.4"}),
                "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4",
            ),
            (
                "domain-name",
                json!({"value": "example.com"}),
                "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7",
            ),
            (
                "email-addr",
                json!({"value": "jane.smith@example.com"}),
                "email-addr--18050e7b-782c-517d-bad9-f8b5ae814863",
            ),
            (
                "url",
                json!({"value": "https://example.com/research/index.html"}),
                "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55",
            ),
            (
                "mutex",
                json!({"name": "__CLEANSWEEP__"}),
                "mutex--f93fe911-e545-5239-b9b0-597840d0c871",
            ),
            (
                "autonomous-system",
                json!({"number": 15139}),
                "autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff",
            ),
            (
                "file",
                json!({"name": "foo.exe", "hashes": {"SHA-256": SHA256}}),
                "file--c6d780fd-8e6d-5c66-9442-cae82f5ae055",
            ),
            (
                "file",
                json!({"name": "foo.exe", "hashes": {
                    "SHA-256": SHA256, "MD5": "3773a88f65a5e780c8dff9cdc3a056f3"}}),
                "file--fcf7cc3b-40aa-5905-8ed6-612be9a4a7d2",
            ),
            (
                "domain-name",
                json!({"value": "bücher.example"}),
                "domain-name--dbf3aff2-b3cd-57d2-9616-0ddfde9d01ad",
            ),
        ];
        for (t, props, expected) in cases {
            assert_eq!(id_of(t, props.clone()), expected, "{t} {props}");
        }
    }

    #[test]
    fn non_contributing_properties_do_not_change_the_id() {
        let a = id_of("ipv4-addr", json!({"value": "1.2.3.4"}));
        let b = id_of(
            "ipv4-addr",
            json!({"value": "1.2.3.4", "resolves_to_refs": ["mac-addr--00000000-0000-4000-8000-000000000000"], "x_note": "n"}),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn sha1_wins_over_sha256_and_sha512() {
        let only_sha1 = id_of("file", json!({"hashes": {"SHA-1": "a".repeat(40)}}));
        let all = id_of(
            "file",
            json!({"hashes": {"SHA-512": "c".repeat(128), "SHA-256": SHA256, "SHA-1": "a".repeat(40)}}),
        );
        assert_eq!(only_sha1, all);
    }

    #[test]
    fn process_and_empty_scos_get_random_v4() {
        for (t, props) in [
            ("process", json!({"pid": 4})),
            ("user-account", json!({"display_name": "x"})),
            ("x509-certificate", json!({"issuer": "x"})),
        ] {
            let id = id_of(t, props.clone());
            let uuid = Uuid::parse_str(id.rsplit_once("--").unwrap().1).unwrap();
            assert_eq!(uuid.get_version_num(), 4, "{t}");
            assert_eq!(
                check_sco_id(t, &id, props.as_object().unwrap()).unwrap(),
                ScoIdCheck::NoContributingProperties
            );
        }
    }

    #[test]
    fn check_reports_mismatch_with_expected_id() {
        let props = json!({"value": "198.51.100.3"});
        let map = props.as_object().unwrap();
        assert_eq!(
            check_sco_id(
                "ipv4-addr",
                "ipv4-addr--28BB3599-77CD-5A82-A950-B5BC3CAF07C4",
                map
            )
            .unwrap(),
            ScoIdCheck::Matches
        );
        // The namespace stix-rs 0.1.0 wrongly uses must not be accepted.
        let wrong = Uuid::new_v5(
            &Uuid::parse_str("00abedb4-aa42-466c-9c01-def7442f5a74").unwrap(),
            b"198.51.100.3",
        );
        assert_eq!(
            check_sco_id("ipv4-addr", &format!("ipv4-addr--{wrong}"), map).unwrap(),
            ScoIdCheck::Mismatch {
                expected: "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4".into()
            }
        );
    }

    #[test]
    fn not_an_sco_is_an_error() {
        let props = json!({"name": "x"});
        assert_eq!(
            generate_sco_id("malware", props.as_object().unwrap()),
            Err(ScoIdError::NotAnSco("malware".into()))
        );
    }
}
