//! The parse-level side of the regression cases in `shared/cases/model` and
//! `shared/cases/bindings`: round-trip exactness, located errors that name
//! the property, version detection and timestamp ordering. (The validator's
//! verdicts on the same cases are tested with the validator.)

use std::path::{Path, PathBuf};

use serde_json::Value;
use stix_core::{parse_document, ItemObject, ParsedDocument, SpecVersion, StixObject};

fn case_dir() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/cases");
    assert!(p.is_dir(), "../shared/cases is missing: {}", p.display());
    p
}

fn load(name: &str) -> (Vec<u8>, Value, Value) {
    let dir = case_dir();
    let text = std::fs::read(dir.join(format!("{name}.json"))).unwrap();
    let input = serde_json::from_slice(&text).unwrap();
    let expect =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{name}.expect.json"))).unwrap())
            .unwrap();
    (text, input, expect)
}

fn parse(text: &[u8]) -> ParsedDocument {
    parse_document(text).expect("well-formed JSON")
}

/// Every case marked `roundtrip_equal` gives back its input exactly, and
/// all its objects are typed.
#[test]
fn roundtrip_cases_are_exact() {
    let mut n = 0;
    for sub in ["model", "bindings"] {
        let mut names: Vec<String> = std::fs::read_dir(case_dir().join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".expect.json"))
            .map(|f| format!("{sub}/{}", f.trim_end_matches(".expect.json")))
            .collect();
        names.sort();
        for name in names {
            let (text, input, expect) = load(&name);
            if expect["roundtrip_equal"] != Value::Bool(true) {
                continue;
            }
            let doc = parse(&text);
            assert!(
                doc.items
                    .iter()
                    .all(|i| matches!(i.object, ItemObject::Typed(_))),
                "{name}: {:?}",
                doc.diagnostics().collect::<Vec<_>>()
            );
            assert_eq!(doc.to_value(), input, "{name}");
            n += 1;
        }
    }
    assert!(n >= 10, "{n}");
}

/// Cases whose fault is a value the typed model cannot hold: the object
/// comes back raw with an error whose path and message name the property.
#[test]
fn parse_level_faults_name_the_property() {
    for (name, pointer, rule) in [
        ("model/ts_empty_fraction", "/valid_from", "STIX-TS-01"),
        ("model/ts_no_zone_and_space", "/valid_from", "STIX-TS-01"),
        ("model/ts_numeric_utc_offset", "/created", "STIX-TS-02"),
        (
            "model/ref_with_non_uuid_id",
            "/objects/1/target_ref",
            "STIX-ID-01",
        ),
        (
            "model/created_by_ref_embedded_object",
            "/created_by_ref",
            "STIX-PARSE-01",
        ),
        (
            "model/extension_type_not_in_enum",
            "/extensions/extension-definition--a736357e-8e82-4020-9048-83eb74645968/extension_type",
            "STIX-VAL-09",
        ),
    ] {
        let (text, input, expect) = load(name);
        let needle = expect["error_contains"].as_str().unwrap();
        assert_eq!(expect["valid"], Value::Bool(false));
        let doc = parse(&text);
        let diags: Vec<_> = doc.diagnostics().collect();
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        let d = diags[0];
        assert!(d.is_error());
        assert_eq!(d.path, pointer, "{name}");
        assert_eq!(d.rule, rule, "{name}");
        assert!(d.message.contains(needle), "{name}: {}", d.message);
        assert!(d.line.is_some() && d.column.is_some());
        // The bad object is kept verbatim; its good neighbours are typed.
        let bad = doc
            .items
            .iter()
            .find(|i| !i.diagnostics.is_empty())
            .unwrap();
        assert!(matches!(bad.object, ItemObject::Raw(_)));
        assert_eq!(doc.to_value(), input, "{name}");
        if name == "model/ref_with_non_uuid_id" {
            assert!(matches!(doc.items[0].object, ItemObject::Typed(_)));
            assert_eq!(
                d.object_id.as_deref(),
                Some("relationship--8935b28f-afb5-454b-b80b-86486a2a1812")
            );
        }
    }
}

/// `parse_object` reports the same faults as an `Error::Object` naming the
/// property.
#[test]
fn parse_object_errors_name_the_property() {
    let (text, _, _) = load("model/ts_empty_fraction");
    let err = stix_core::parse_object(&text).unwrap_err();
    assert!(err.to_string().contains("valid_from"), "{err}");
    match err {
        stix_core::Error::Object { path, line, .. } => {
            assert_eq!(path, "/valid_from");
            assert_eq!(line, Some(13));
        }
        other => panic!("{other:?}"),
    }
}

/// STIX 2.0 detection (checklist §11): per bundle and per object.
#[test]
fn spec_version_detection() {
    let (text, _, _) = load("model/bundle21_with_v20_object");
    let doc = parse(&text);
    assert_eq!(doc.spec_version(), SpecVersion::V21);
    assert_eq!(doc.items[0].spec_version, SpecVersion::V21);
    assert_eq!(doc.items[1].spec_version, SpecVersion::V20);
    // The 2.0 malware is a Malware, not an unknown custom type.
    assert!(matches!(doc.items[1].typed(), Some(StixObject::Malware(_))));

    for name in [
        "model/v20_created_microseconds",
        "model/v20_valid_from_whole_seconds",
    ] {
        let (text, _, expect) = load(name);
        assert_eq!(expect["spec_version"], "2.0");
        let doc = parse(&text);
        assert_eq!(doc.spec_version(), SpecVersion::V20, "{name}");
        assert!(doc.items.iter().all(|i| i.spec_version == SpecVersion::V20));
        assert!(matches!(
            doc.items[0].typed(),
            Some(StixObject::Indicator(_))
        ));
    }

    // A 2.1-only type without spec_version reads as 2.0 (the validator then
    // reports the missing spec_version) and stays typed.
    let (text, _, _) = load("model/infrastructure_missing_spec_version");
    let doc = parse(&text);
    assert!(doc.bundle.is_none());
    assert_eq!(doc.items[0].spec_version, SpecVersion::V20);
    assert!(matches!(
        doc.items[0].typed(),
        Some(StixObject::Infrastructure(_))
    ));

    // A bundle carrying spec_version "2.1" is detected as 2.0-style (the
    // bundle property is kept for the validator to judge); its objects
    // declare 2.1 themselves.
    let (text, input, _) = load("model/bundle_with_spec_version_21");
    let doc = parse(&text);
    assert_eq!(
        doc.bundle.as_ref().unwrap().spec_version.as_deref(),
        Some("2.1")
    );
    assert_eq!(doc.items[0].spec_version, SpecVersion::V21);
    assert_eq!(doc.to_value(), input);
}

/// Timestamp digits survive and order with full precision.
#[test]
fn timestamp_cases() {
    let (text, _, _) = load("bindings/python_access_nanosecond_timestamp");
    let doc = parse(&text);
    let o = doc.items[0].typed().unwrap();
    let (c, m) = (o.created().unwrap(), o.modified().unwrap());
    assert_eq!(c.as_str(), "2023-11-12T14:16:48.169979860Z");
    assert_eq!(m.as_str(), "2023-11-12T14:16:48.169979861Z");
    assert!(c < m);
    assert_eq!(c.fraction_digits(), 9);
    let json = o.to_json();
    assert!(json.contains("\"created\":\"2023-11-12T14:16:48.169979860Z\""));

    let (text, _, _) = load("bindings/ms_precision_preserved_on_output");
    let o = parse(&text).items.remove(0);
    let json = o.typed().unwrap().to_json();
    assert!(
        json.contains("\"created\":\"2024-01-24T12:38:07.927Z\""),
        "{json}"
    );
    assert!(
        json.contains("\"valid_from\":\"2024-01-24T12:38:07Z\""),
        "{json}"
    );

    // Whole-second created parses (the validator rejects it as 2.1
    // created) and is written back without an added fraction.
    let (text, input, _) = load("model/created_second_precision");
    let doc = parse(&text);
    let o = doc.items[0].typed().unwrap();
    assert_eq!(o.created().unwrap().fraction_digits(), 0);
    assert_eq!(doc.to_value(), input);

    let (text, input, _) = load("model/valid_from_second_precision");
    assert_eq!(parse(&text).to_value(), input);
}

/// No defaults are injected: an indicator without pattern_version or
/// revoked is written without them; empty lists stay empty lists.
#[test]
fn no_defaults_injected_and_empties_kept() {
    let text = br#"{"type":"indicator","spec_version":"2.1","id":"indicator--5fdd3a16-8a61-49a7-936c-d61319c06515",
      "created":"2024-01-24T12:38:07.927Z","modified":"2024-01-24T12:38:07.927Z",
      "pattern":"[ipv4-addr:value = '198.51.100.7']","pattern_type":"stix",
      "labels":[],"external_references":[],"x_acme_empty":{},"x_acme_null":null}"#;
    let o = stix_core::parse_object(text).unwrap();
    let v = o.to_value();
    let input: Value = serde_json::from_slice(text).unwrap();
    assert_eq!(v, input);
    assert!(v.get("pattern_version").is_none());
    assert!(v.get("revoked").is_none());
    assert!(v.get("valid_from").is_none());
    assert_eq!(o.common().labels.as_deref(), Some(&[][..]));
    // A null in a custom property is kept for the validator to report
    // (it has no typed home); a null in a typed property is an error.
    assert_eq!(o.custom_properties()["x_acme_null"], Value::Null);
    let text = br#"{"type":"indicator","spec_version":"2.1","id":"indicator--5fdd3a16-8a61-49a7-936c-d61319c06515","description":null}"#;
    let err = stix_core::parse_object(text).unwrap_err();
    match err {
        stix_core::Error::Object { path, rule, .. } => {
            assert_eq!(path, "/description");
            assert_eq!(rule, "STIX-VAL-07");
        }
        other => panic!("{other:?}"),
    }
}
