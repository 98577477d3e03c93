//! The typed model's public API: accessors, building, serialising.

use serde_json::{json, Value};
use stix_core::object::{ExtensionType, Indicator, ObjectCategory, Relationship};
use stix_core::{parse_object, Bundle, Identifier, StixObject, Timestamp};

#[test]
fn accessors_on_every_category() {
    let o = parse_object(
        br#"{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.123Z",
        "created_by_ref":"identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
        "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
        "granular_markings":[{"marking_ref":"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82","selectors":["name"]}],
        "external_references":[{"source_name":"x","url":"https://example.com","x_note":1}],
        "extensions":{"extension-definition--4d0d21a3-710e-4c3f-9654-e963457642bd":{"extension_type":"toplevel-property-extension"}},
        "name":"n","pattern":"[ipv4-addr:value = '1.2.3.4']","pattern_type":"stix","valid_from":"2016-04-06T20:03:48Z",
        "risk_score":7,"x_acme":{"a":[1]}}"#,
    )
    .unwrap();
    assert_eq!(o.type_name(), "indicator");
    assert_eq!(o.category(), ObjectCategory::Sdo);
    assert_eq!(
        o.id().as_str(),
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
    );
    assert_eq!(o.spec_version(), Some("2.1"));
    assert!(o.created().unwrap() < o.modified().unwrap());
    assert_eq!(o.created_by_ref().unwrap().object_type(), "identity");
    assert_eq!(o.object_marking_refs().len(), 1);
    assert_eq!(
        o.granular_markings()[0].selectors.as_deref(),
        Some(&["name".to_owned()][..])
    );
    assert_eq!(o.external_references()[0].custom["x_note"], 1);
    let ext =
        &o.extensions().unwrap()["extension-definition--4d0d21a3-710e-4c3f-9654-e963457642bd"];
    assert_eq!(
        ext.extension_type,
        Some(ExtensionType::ToplevelPropertyExtension)
    );
    assert_eq!(o.custom_properties()["risk_score"], 7);
    match &o {
        StixObject::Indicator(i) => {
            assert_eq!(i.pattern_type.as_deref(), Some("stix"));
            assert_eq!(i.valid_from.as_ref().unwrap().fraction_digits(), 0);
        }
        other => panic!("{other:?}"),
    }

    let sco = parse_object(br#"{"type":"ipv4-addr","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}"#).unwrap();
    assert_eq!(sco.category(), ObjectCategory::Sco);
    assert!(sco.created().is_none() && sco.spec_version().is_none());
    assert!(sco.object_marking_refs().is_empty());

    let custom = parse_object(br#"{"type":"x-acme-ticket","spec_version":"2.1","id":"x-acme-ticket--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","severity_x":"high"}"#).unwrap();
    assert_eq!(custom.category(), ObjectCategory::Custom);
    assert_eq!(custom.type_name(), "x-acme-ticket");
    assert!(custom.created().is_some());
    assert_eq!(custom.custom_properties()["severity_x"], "high");

    let md = parse_object(br#"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:GREEN","definition":{"tlp":"green"}}"#).unwrap();
    assert_eq!(md.category(), ObjectCategory::Meta);
}

#[test]
fn a_wrong_type_for_the_struct_is_refused() {
    let e = serde_json::from_value::<Indicator>(
        json!({"type": "malware", "id": "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("indicator"), "{e}");
    let e = serde_json::from_value::<Indicator>(
        json!({"id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("type"), "{e}");
    let e = parse_object(br#"{"type":"indicator","spec_version":"2.1"}"#).unwrap_err();
    assert!(e.to_string().contains("`id`"), "{e}");
    let e = parse_object(br#"{"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","name":"a","name":"b"}"#).unwrap_err();
    assert!(e.to_string().contains("duplicate property `name`"), "{e}");
}

#[test]
fn build_and_write_new_objects() {
    let now = Timestamp::now_millis();
    let mut r = Relationship::new(Identifier::new_v4("relationship").unwrap());
    r.common.spec_version = Some("2.1".into());
    r.common.created = Some(now.clone());
    r.common.modified = Some(now.clone());
    r.relationship_type = Some("indicates".into());
    r.source_ref =
        Some(Identifier::parse("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").unwrap());
    r.target_ref =
        Some(Identifier::parse("malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b").unwrap());
    assert_eq!(r.common.id.uuid_version(), 4);
    assert!(r.common.id.is_rfc4122());
    let obj: StixObject = r.into();
    let v = obj.to_value();
    assert_eq!(v["type"], "relationship");
    assert_eq!(v["created"].as_str().unwrap().len(), 24);
    assert!(v.get("revoked").is_none() && v.get("description").is_none());
    // What is written reads back to the same object.
    let back = parse_object(obj.to_json().as_bytes()).unwrap();
    assert_eq!(back, obj);
    assert_eq!(StixObject::from_value(v.clone()).unwrap(), obj);
    let via_serde: StixObject = serde_json::from_value(v).unwrap();
    assert_eq!(via_serde, obj);

    let bundle = Bundle::new(vec![obj]);
    let bv = serde_json::to_value(&bundle).unwrap();
    assert_eq!(bv["type"], "bundle");
    assert!(bv.get("spec_version").is_none());
    assert_eq!(bv["objects"].as_array().unwrap().len(), 1);
    let doc = stix_core::parse_bundle(serde_json::to_string(&bundle).unwrap().as_bytes()).unwrap();
    assert_eq!(doc.to_value(), bv);
}

#[test]
fn numbers_keep_their_json_form() {
    let text = br#"{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","latitude":48,"longitude":2.35,"precision":1.0}"#;
    let o = parse_object(text).unwrap();
    let v: Value = serde_json::from_slice(text).unwrap();
    assert_eq!(o.to_value(), v);
    assert!(o.to_value()["latitude"].is_u64());
    assert!(o.to_value()["precision"].is_f64());
}
