//! Marking resolution: TLP 1.0 / 2.0, granular markings, feed-defined
//! markings resolved by id (never by name), the unmarked default, and
//! unreadable markings failing closed.

use serde_json::json;
use stix_core::marking::{MarkingResolver, MarkingSettings, ResolvedMarking, TlpSource};
use stix_core::tlp::{TlpLevel, TlpVersion};
use stix_core::StixObject;

const TLP1_GREEN: &str = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
const TLP1_RED: &str = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
const TLP2_CLEAR: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
const TLP2_GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const TLP2_AMBER_STRICT: &str = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
const TLP2_RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

fn indicator(extra: serde_json::Value) -> StixObject {
    let mut v = json!({
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "pattern": "[domain-name:value = 'x.example']", "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z", "description": "d",
        "external_references": [{"source_name": "a", "url": "https://a.example"}]
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    StixObject::from_value(v).unwrap()
}

fn resolver() -> MarkingResolver {
    MarkingResolver::new(MarkingSettings::default())
}

#[test]
fn most_restrictive_object_marking_across_editions() {
    let o = indicator(json!({"object_marking_refs": [TLP2_CLEAR, TLP1_GREEN, TLP2_AMBER_STRICT]}));
    let m = resolver().markings_of(&o);
    assert_eq!(m.tlp, TlpLevel::AmberStrict);
    assert_eq!(m.tlp_version, Some(TlpVersion::V2));
    assert_eq!(m.source, TlpSource::Marked);
    assert_eq!(m.markings.len(), 3);
    let o = indicator(json!({"object_marking_refs": [TLP1_RED, TLP2_CLEAR]}));
    let m = resolver().markings_of(&o);
    assert_eq!(
        (m.tlp, m.tlp_version),
        (TlpLevel::Red, Some(TlpVersion::V1))
    );
}

#[test]
fn unmarked_objects_count_at_the_setting() {
    let o = indicator(json!({}));
    let m = resolver().markings_of(&o);
    assert_eq!((m.tlp, m.source), (TlpLevel::Amber, TlpSource::Unmarked));
    assert_eq!(m.unmarked_default, TlpLevel::Amber);
    for level in [TlpLevel::Clear, TlpLevel::Red] {
        let r = MarkingResolver::new(MarkingSettings {
            unmarked: level,
            ..MarkingSettings::default()
        });
        assert_eq!(r.markings_of(&o).tlp, level);
    }
}

#[test]
fn granular_markings_raise_the_object_and_their_property() {
    let o = indicator(json!({
        "object_marking_refs": [TLP1_GREEN],
        "granular_markings": [
            {"marking_ref": TLP2_RED, "selectors": ["pattern"]},
            {"marking_ref": TLP2_AMBER_STRICT, "selectors": ["external_references.[0].url"]},
            {"lang": "en", "selectors": ["description"]}
        ]
    }));
    let m = resolver().markings_of(&o);
    // The object counts at its most restrictive marking.
    assert_eq!(m.tlp, TlpLevel::Red);
    assert_eq!(m.base_level(), TlpLevel::Green);
    assert_eq!(m.level_of("pattern"), TlpLevel::Red);
    assert_eq!(m.level_of("description"), TlpLevel::Green);
    assert_eq!(m.level_of("external_references"), TlpLevel::AmberStrict);
    assert_eq!(
        m.level_of("external_references.[0].url"),
        TlpLevel::AmberStrict
    );
    assert_eq!(m.level_of("external_references.[1]"), TlpLevel::Green);
    assert_eq!(
        m.level_of("pattern_type"),
        TlpLevel::Green,
        "prefix of another name"
    );
    assert_eq!(m.granular.len(), 2);
}

#[test]
fn granular_only_markings_never_lower_the_default() {
    let o = indicator(json!({
        "granular_markings": [{"marking_ref": TLP2_CLEAR, "selectors": ["pattern"]}]
    }));
    let m = resolver().markings_of(&o);
    assert_eq!(m.source, TlpSource::Unmarked);
    assert_eq!(m.tlp, TlpLevel::Amber);
    assert_eq!(m.level_of("pattern"), TlpLevel::Amber);
}

#[test]
fn feed_definitions_resolve_by_id_not_by_name() {
    let statement = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
        "created": "2020-12-22T00:00:00.000Z", "definition_type": "statement",
        "name": "TLP:CLEAR",
        "definition": {"statement": "Copyright 2020 MITRE"}
    }))
    .unwrap();
    // A feed marking that states RED under a made-up id and a CLEAR name.
    let feed_red = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--11111111-1111-4111-8111-111111111111",
        "created": "2020-12-22T00:00:00.000Z", "name": "TLP:CLEAR",
        "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
            {"extension_type": "property-extension", "tlp_2_0": "red"}}
    }))
    .unwrap();
    // A feed object reusing an official id cannot change what it means.
    let impostor = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1", "id": TLP1_RED,
        "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp",
        "name": "TLP:WHITE", "definition": {"tlp": "white"}
    }))
    .unwrap();
    let custom = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--22222222-2222-4222-8222-222222222222",
        "created": "2020-12-22T00:00:00.000Z", "name": "PAP:RED",
        "extensions": {"extension-definition--00000000-0000-4000-8000-000000000000":
            {"extension_type": "property-extension", "pap": "red"}}
    }))
    .unwrap();
    let mut r = resolver();
    r.add_objects([&statement, &feed_red, &impostor, &custom]);

    let o = indicator(json!({"object_marking_refs": [
        TLP2_CLEAR,
        "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
        "marking-definition--22222222-2222-4222-8222-222222222222",
        "marking-definition--33333333-3333-4333-8333-333333333333"
    ]}));
    let m = r.markings_of(&o);
    assert_eq!(
        (m.tlp, m.source),
        (TlpLevel::Red, TlpSource::Marked),
        "the reference nobody defines fails closed"
    );
    assert_eq!(m.object_tlp, Some(TlpLevel::Clear));
    assert_eq!(m.statements(), ["Copyright 2020 MITRE"]);
    let others = m.other_markings();
    assert_eq!(others.len(), 2);
    assert!(matches!(others[0], ResolvedMarking::Custom { name: Some(n), .. } if n == "PAP:RED"));
    assert!(matches!(others[1], ResolvedMarking::Unknown { .. }));
    // Without it, the statement's TLP-like name and the custom marking
    // change nothing.
    let o = indicator(json!({"object_marking_refs": [
        TLP2_CLEAR,
        "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
        "marking-definition--22222222-2222-4222-8222-222222222222"
    ]}));
    assert_eq!(r.markings_of(&o).tlp, TlpLevel::Clear);

    let o = indicator(json!({"object_marking_refs": [
        TLP2_CLEAR, "marking-definition--11111111-1111-4111-8111-111111111111"
    ]}));
    let m = r.markings_of(&o);
    assert_eq!(m.tlp, TlpLevel::Red, "a feed TLP marking can only raise");
    let o = indicator(json!({"object_marking_refs": [TLP1_RED]}));
    assert_eq!(r.markings_of(&o).tlp, TlpLevel::Red);
    assert!(matches!(
        r.resolve(TLP1_RED),
        ResolvedMarking::Tlp {
            level: TlpLevel::Red,
            version: TlpVersion::V1,
            ..
        }
    ));
}

#[test]
fn markings_serialise_for_bindings() {
    let o = indicator(json!({"object_marking_refs": [TLP2_AMBER_STRICT]}));
    let m = resolver().markings_of(&o);
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(v["tlp"], "amber+strict");
    assert_eq!(v["markings"][0]["kind"], "tlp");
    let back: stix_core::marking::ObjectMarkings = serde_json::from_value(v).unwrap();
    assert_eq!(back, m);
}

#[test]
fn official_tlp_definitions_are_public() {
    let def = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1", "id": TLP2_RED,
        "created": "2022-10-01T00:00:00.000Z", "name": "TLP:RED",
        "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
            {"extension_type": "property-extension", "tlp_2_0": "red"}}
    }))
    .unwrap();
    let r = MarkingResolver::new(MarkingSettings {
        unmarked: TlpLevel::Red,
        ..MarkingSettings::default()
    });
    assert_eq!(r.markings_of(&def).tlp, TlpLevel::Clear);
    // Any other marking definition counts as unmarked content.
    let other = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
        "created": "2020-12-22T00:00:00.000Z", "definition_type": "statement",
        "definition": {"statement": "Copyright"}
    }))
    .unwrap();
    assert_eq!(r.markings_of(&other).tlp, TlpLevel::Red);
}

/// A marking that is present but cannot be read never counts as no marking:
/// a reference to a definition nobody supplies raises the object (or the
/// properties a granular marking selects) to the `unresolved` level, and a
/// feed definition that states a TLP level counts whatever the case or the
/// definition type it is written with.
#[test]
fn unreadable_markings_fail_closed() {
    let unknown = "marking-definition--44444444-4444-4444-8444-444444444444";
    let r = resolver();
    let o = indicator(json!({"object_marking_refs": [unknown]}));
    let m = r.markings_of(&o);
    assert_eq!((m.tlp, m.source), (TlpLevel::Red, TlpSource::Unresolved));
    let o = indicator(json!({"object_marking_refs": [TLP2_GREEN],
        "granular_markings": [{"marking_ref": unknown, "selectors": ["pattern"]}]}));
    let m = r.markings_of(&o);
    assert_eq!(m.base_level(), TlpLevel::Green);
    assert_eq!(m.level_of("pattern"), TlpLevel::Red);
    assert_eq!(m.level_of("name"), TlpLevel::Green);
    // The level is a setting.
    let lenient = MarkingResolver::new(MarkingSettings {
        unresolved: TlpLevel::Amber,
        ..MarkingSettings::default()
    });
    let o = indicator(json!({"object_marking_refs": [TLP2_GREEN, unknown]}));
    assert_eq!(lenient.markings_of(&o).tlp, TlpLevel::Amber);

    let mut r = resolver();
    let upper = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--55555555-5555-4555-8555-555555555555",
        "created": "2020-12-22T00:00:00.000Z", "definition_type": "TLP",
        "definition": {"tlp": "RED"}
    }))
    .unwrap();
    let odd_type = StixObject::from_value(json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": "marking-definition--66666666-6666-4666-8666-666666666666",
        "created": "2020-12-22T00:00:00.000Z", "definition_type": "x-handling",
        "definition": {"tlp": "amber"}
    }))
    .unwrap();
    r.add_objects([&upper, &odd_type]);
    for (def, level) in [(&upper, TlpLevel::Red), (&odd_type, TlpLevel::Amber)] {
        let o = indicator(json!({"object_marking_refs": [TLP2_CLEAR, def.id().as_str()]}));
        assert_eq!(r.markings_of(&o).tlp, level, "{}", def.id().as_str());
    }
}
