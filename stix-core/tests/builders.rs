//! Builders: complete, valid objects, and typed refusals for what the
//! validator would reject.

use serde_json::{json, Map, Value};
use stix_core::builder::{
    sco, statement_marking, tlp_marking_definition, BundleBuilder, IndicatorBuilder,
    MalwareBuilder, ObservedDataBuilder, RelationshipBuilder, SightingBuilder, ThreatActorBuilder,
};
use stix_core::tlp::{TlpLevel, TlpVersion, TLP1, TLP2};
use stix_core::validate::{validate_str, ValidationOptions};
use stix_core::{Error, Identifier, StixObject, Timestamp};

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn props(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn build_error(e: Error) -> (String, String, String) {
    match e {
        Error::Build {
            rule,
            path,
            message,
            diagnostics,
            ..
        } => {
            assert!(!diagnostics.is_empty());
            (rule, path, message)
        }
        other => panic!("expected a build error, got {other:?}"),
    }
}

#[test]
fn indicator_with_tlp_and_millisecond_timestamps() {
    let i = IndicatorBuilder::new("[domain-name:value = 'c2.example.net']")
        .name("C2 domain")
        .indicator_type("malicious-activity")
        .confidence(80)
        .tlp(TlpLevel::Green, TlpVersion::V2)
        .build()
        .unwrap();
    let c = &i.common;
    assert_eq!(c.id.object_type(), "indicator");
    assert_eq!(c.id.uuid_version(), 4);
    assert_eq!(c.spec_version.as_deref(), Some("2.1"));
    let created = c.created.as_ref().unwrap();
    assert_eq!(created.fraction_digits(), 3);
    assert_eq!(c.modified.as_ref(), Some(created));
    assert_eq!(i.valid_from.as_ref(), Some(created));
    assert_eq!(
        c.object_marking_refs.as_ref().unwrap()[0].as_str(),
        TLP2[1].id
    );
    assert_eq!(i.pattern_type.as_deref(), Some("stix"));
    // Two builds, two ids.
    let j = IndicatorBuilder::new("[domain-name:value = 'c2.example.net']")
        .build()
        .unwrap();
    assert_ne!(i.common.id, j.common.id);
}

#[test]
fn invalid_combinations_are_refused_with_the_validator_rules() {
    // valid_until before valid_from.
    let e = IndicatorBuilder::new("[ipv4-addr:value = '198.51.100.1']")
        .valid_from(ts("2024-06-01T00:00:00.000Z"))
        .valid_until(ts("2024-05-01T00:00:00.000Z"))
        .build()
        .unwrap_err();
    let (rule, path, message) = build_error(e);
    assert_eq!(path, "/valid_until", "{rule}: {message}");
    // An invalid pattern, with its position inside the pattern.
    let e = IndicatorBuilder::new("[ipv4-addr:value = '198.51.100.1'")
        .build()
        .unwrap_err();
    let (_, path, message) = build_error(e);
    assert_eq!(path, "/pattern");
    assert!(message.contains("column"), "{message}");
    // Confidence 101.
    let e = MalwareBuilder::new("x", true)
        .confidence(101)
        .build()
        .unwrap_err();
    let (_, path, _) = build_error(e);
    assert_eq!(path, "/confidence");
    // A TLP 1.0 AMBER+STRICT does not exist.
    let e = ThreatActorBuilder::new("x")
        .tlp(TlpLevel::AmberStrict, TlpVersion::V1)
        .build()
        .unwrap_err();
    let (rule, _, _) = build_error(e);
    assert_eq!(rule, "BUILD-02");
    // stop_time before start_time.
    let a = Identifier::parse("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").unwrap();
    let e = RelationshipBuilder::new(a.clone(), "indicates", a)
        .start_time(ts("2024-06-01T00:00:00.000Z"))
        .stop_time(ts("2024-05-01T00:00:00.000Z"))
        .build()
        .unwrap_err();
    let (_, path, _) = build_error(e);
    assert_eq!(path, "/stop_time");
}

#[test]
fn every_builder_gives_objects_the_validator_accepts() {
    let actor = ThreatActorBuilder::new("Copper Heron")
        .threat_actor_type("crime-syndicate")
        .alias("CH")
        .tlp(TlpLevel::Amber, TlpVersion::V1)
        .build()
        .unwrap();
    let malware = MalwareBuilder::new("NightOwl", true)
        .malware_type("remote-access-trojan")
        .build()
        .unwrap();
    let ind = IndicatorBuilder::new("[file:hashes.'SHA-256' = '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b']")
        .valid_until(ts("2030-01-01T00:00:00.000Z"))
        .tlp(TlpLevel::Red, TlpVersion::V2)
        .build()
        .unwrap();
    let rel = RelationshipBuilder::new(
        ind.common.id.clone(),
        "indicates",
        malware.common.id.clone(),
    )
    .build()
    .unwrap();
    let uses = RelationshipBuilder::new(actor.common.id.clone(), "uses", malware.common.id.clone())
        .build()
        .unwrap();
    let domain = sco("domain-name", props(json!({"value": "c2.example.net"}))).unwrap();
    let again = sco("domain-name", props(json!({"value": "c2.example.net"}))).unwrap();
    assert_eq!(domain.id(), again.id(), "SCO ids are deterministic");
    assert_eq!(domain.id().uuid_version(), 5);
    let od = ObservedDataBuilder::new(
        ts("2024-06-01T00:00:00.000Z"),
        ts("2024-06-02T00:00:00.000Z"),
        3,
    )
    .object_ref(domain.id().clone())
    .build()
    .unwrap();
    let sighting = SightingBuilder::new(ind.common.id.clone())
        .count(2)
        .observed_data(od.common.id.clone())
        .build()
        .unwrap();
    let copyright = statement_marking("Copyright 2026 Example").unwrap();
    let malware = {
        let mut m = malware;
        m.common.object_marking_refs = Some(vec![copyright.common.id.clone()]);
        m
    };
    let bundle = BundleBuilder::new()
        .object(actor)
        .object(malware)
        .object(ind)
        .object(rel)
        .object(uses)
        .object(domain)
        .object(od)
        .object(sighting)
        .object(copyright)
        .build()
        .unwrap();
    let objects = bundle.objects.as_ref().unwrap();
    // The TLP definitions referred to were added, exactly as published.
    let ids: Vec<&str> = objects.iter().map(|o| o.id().as_str()).collect();
    assert!(ids.contains(&TLP1[2].id) && ids.contains(&TLP2[4].id));
    let text = serde_json::to_string(&bundle).unwrap();
    let report = validate_str(&text, &ValidationOptions::default());
    let errors: Vec<_> = report.all_diagnostics().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(report.valid());
    assert_eq!(report.objects.len(), 11);
}

#[test]
fn tlp_definitions_match_the_published_objects() {
    for (path, level) in [
        (
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb.json",
            TlpLevel::Green,
        ),
        (
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003.json",
            TlpLevel::AmberStrict,
        ),
        (
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1.json",
            TlpLevel::Red,
        ),
    ] {
        let file = format!(
            "{}/../../shared/corpus/real/valid/oasis-cti-stix-common-objects/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let published: Value = serde_json::from_str(&text).unwrap();
        let built = StixObject::from(tlp_marking_definition(level, TlpVersion::V2).unwrap());
        assert_eq!(built.to_value(), published["objects"][0], "{path}");
    }
    let v1 = StixObject::from(tlp_marking_definition(TlpLevel::Clear, TlpVersion::V1).unwrap());
    assert_eq!(
        v1.to_value(),
        json!({"type": "marking-definition", "spec_version": "2.1",
               "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
               "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
               "name": "TLP:WHITE", "definition": {"tlp": "white"}})
    );
    assert!(tlp_marking_definition(TlpLevel::AmberStrict, TlpVersion::V1).is_err());
    assert!(statement_marking("  ").is_err());
}

#[test]
fn sco_refuses_what_has_no_id_properties() {
    let e = sco("domain-name", props(json!({"resolves_to_refs": []}))).unwrap_err();
    assert!(matches!(e, Error::Build { .. }), "{e:?}");
    let ip = sco("ipv4-addr", props(json!({"value": "198.51.100.7"}))).unwrap();
    assert_eq!(ip.type_name(), "ipv4-addr");
}
