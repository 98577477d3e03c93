//! The kinds of fault behind the regression cases, each over the whole
//! family of properties or types it concerns: every timestamp property,
//! every ordering rule, every reference-type rule, ranges, nulls, empty
//! values, naming, identifiers, markings, extensions, patterns, 2.0 rules.

use serde_json::{json, Value};
use stix_core::validate::{validate_str, BundleReport, ValidationOptions};
use stix_core::{Diagnostic, Severity};

const T: &str = "2021-03-04T05:06:07.000Z";

fn report(v: &Value) -> BundleReport {
    validate_str(&v.to_string(), &ValidationOptions::default())
}

fn diags(v: &Value) -> Vec<Diagnostic> {
    report(v).all_diagnostics().cloned().collect()
}

#[track_caller]
fn expect(v: &Value, severity: Severity, rule: &str, path: &str) {
    let d = diags(v);
    assert!(
        d.iter()
            .any(|d| d.rule == rule && d.path == path && d.severity == severity),
        "expected {severity:?} {rule} at {path} for {v}\ngot:\n{}",
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[track_caller]
fn expect_error(v: &Value, rule: &str, path: &str) {
    expect(v, Severity::Error, rule, path);
}

#[track_caller]
fn expect_clean(v: &Value) {
    let d = diags(v);
    assert!(
        d.iter().all(|d| !d.is_error()),
        "expected no error for {v}\ngot:\n{}",
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() && k.starts_with('-') {
            base.as_object_mut().unwrap().remove(&k[1..]);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

fn sdo(t: &str, id: &str, extra: Value) -> Value {
    with(
        json!({"type": t, "spec_version": "2.1", "id": format!("{t}--{id}"), "created": T, "modified": T}),
        extra,
    )
}

fn indicator() -> Value {
    sdo(
        "indicator",
        "6b0e8a3b-7f14-4a8f-9f3a-3c8b1d3f6d21",
        json!({"pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix", "valid_from": "2021-03-04T05:06:07Z"}),
    )
}

fn all_types_with_timestamps() -> Vec<(Value, Vec<&'static str>)> {
    vec![
        (indicator(), vec!["created", "modified", "valid_from"]),
        (
            sdo(
                "campaign",
                "0a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "c", "first_seen": T, "last_seen": T}),
            ),
            vec!["first_seen", "last_seen"],
        ),
        (
            sdo(
                "report",
                "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
                json!({"name": "r", "published": T, "object_refs": [indicator()["id"]]}),
            ),
            vec!["published"],
        ),
        (
            sdo(
                "observed-data",
                "2c3d4e5f-6071-4829-9a0b-1c2d3e4f5a6b",
                json!({"first_observed": T, "last_observed": T, "number_observed": 1, "object_refs": ["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}),
            ),
            vec!["first_observed", "last_observed"],
        ),
        (
            sdo(
                "relationship",
                "3d4e5f60-7182-439a-8b1c-2d3e4f5a6b7c",
                json!({"relationship_type": "indicates", "source_ref": indicator()["id"], "target_ref": "malware--4e5f6071-8293-44ab-9c2d-3e4f5a6b7c8d", "start_time": T, "stop_time": "2022-01-01T00:00:00Z"}),
            ),
            vec!["start_time", "stop_time"],
        ),
        (
            json!({"type": "network-traffic", "id": "network-traffic--5f607182-93a4-45bc-8d3e-4f5a6b7c8d9e", "protocols": ["tcp"], "src_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "start": T, "end": T}),
            vec!["start", "end"],
        ),
    ]
}

#[test]
fn every_timestamp_property_rejects_every_malformed_form() {
    let bad = [
        "2021-03-04 05:06:07",
        "2021-03-04T05:06:07.000+00:00",
        "2021-03-04T05:06:07.Z",
        "2021-03-04T05:06:07.000z",
        "2021-02-30T05:06:07.000Z",
        "2021-13-04T05:06:07.000Z",
        "2021-03-04T24:06:07.000Z",
        "2021-03-04",
    ];
    for (base, props) in all_types_with_timestamps() {
        for p in props {
            for b in bad {
                let v = with(base.clone(), json!({ p: b }));
                expect_error(&v, "STIX-TS-01", &format!("/{p}"));
            }
            // A number in place of a timestamp is a type error, not a panic.
            let v = with(base.clone(), json!({ p: 20210304 }));
            expect_error(&v, "STIX-VAL-11", &format!("/{p}"));
        }
        expect_clean(&base);
    }
}

#[test]
fn created_and_modified_precision_depends_on_the_version() {
    for p in ["created", "modified"] {
        for ts in [
            "2021-03-04T05:06:07Z",
            "2021-03-04T05:06:07.1Z",
            "2021-03-04T05:06:07.12Z",
        ] {
            let v = with(indicator(), json!({"created": ts, "modified": ts}));
            expect_error(&v, "STIX-TS-04", &format!("/{p}"));
        }
        let nine = "2021-03-04T05:06:07.123456789Z";
        expect_clean(&with(
            indicator(),
            json!({"created": nine, "modified": nine}),
        ));
    }
    // STIX 2.0 (a bundle with spec_version "2.0"): exactly three digits.
    let v20 = |ts: &str| {
        json!({"type": "bundle", "id": "bundle--6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "spec_version": "2.0", "objects": [
            {"type": "indicator", "id": "indicator--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", "created": ts, "modified": ts,
             "labels": ["malicious-activity"], "pattern": "[file:name = 'a']", "valid_from": "2021-03-04T05:06:07Z"}]})
    };
    expect_clean(&v20("2021-03-04T05:06:07.123Z"));
    for ts in ["2021-03-04T05:06:07.1234Z", "2021-03-04T05:06:07Z"] {
        expect_error(&v20(ts), "STIX-TS-04", "/objects/0/created");
    }
}

#[test]
fn every_ordering_rule() {
    let earlier = "2021-01-01T00:00:00.000Z";
    let later = "2021-06-01T00:00:00.000Z";
    let cases: Vec<(Value, &str, &str, bool)> = vec![
        (
            sdo(
                "campaign",
                "0a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "c"}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (
            sdo(
                "infrastructure",
                "0b3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "i"}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (
            sdo(
                "intrusion-set",
                "0c3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "i"}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (
            sdo(
                "malware",
                "0d3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "m", "is_family": true}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (
            sdo(
                "threat-actor",
                "0e3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"name": "t"}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (
            sdo(
                "sighting",
                "0f3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"sighting_of_ref": indicator()["id"]}),
            ),
            "first_seen",
            "last_seen",
            false,
        ),
        (indicator(), "valid_from", "valid_until", true),
        (
            sdo(
                "observed-data",
                "1a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"number_observed": 1, "object_refs": ["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}),
            ),
            "first_observed",
            "last_observed",
            false,
        ),
        (
            sdo(
                "relationship",
                "1b3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
                json!({"relationship_type": "uses", "source_ref": "malware--0d3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b", "target_ref": "malware--0d3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6c"}),
            ),
            "start_time",
            "stop_time",
            true,
        ),
        (
            json!({"type": "network-traffic", "id": "network-traffic--1c3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b", "protocols": ["tcp"], "dst_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"}),
            "start",
            "end",
            false,
        ),
    ];
    for (base, early, late, strict) in cases {
        let bad = with(base.clone(), json!({ early: later, late: earlier }));
        expect_error(&bad, "STIX-TS-10", &format!("/{late}"));
        let good = with(base.clone(), json!({ early: earlier, late: later }));
        expect_clean(&good);
        let equal = with(base.clone(), json!({ early: earlier, late: earlier }));
        if strict {
            expect_error(&equal, "STIX-TS-10", &format!("/{late}"));
        } else {
            expect_clean(&equal);
        }
    }
    let v = with(indicator(), json!({"created": later, "modified": earlier}));
    expect_error(&v, "STIX-TS-05", "/modified");
}

#[test]
fn every_reference_type_rule() {
    let ind = indicator();
    let mal = "malware--0d3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b";
    let ident = "identity--2a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b";
    let loc = "location--2b3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b";
    let rel = "relationship--1b3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b";
    let ip = "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4";
    let sighting = |extra: Value| {
        sdo(
            "sighting",
            "0f3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
            with(json!({"sighting_of_ref": ind["id"]}), extra),
        )
    };
    expect_error(
        &with(ind.clone(), json!({"created_by_ref": mal})),
        "STIX-ID-12",
        "/created_by_ref",
    );
    expect_clean(&with(ind.clone(), json!({"created_by_ref": ident})));
    expect_error(
        &with(ind.clone(), json!({"object_marking_refs": [ident]})),
        "STIX-ID-12",
        "/object_marking_refs/0",
    );
    expect_error(
        &sighting(json!({"where_sighted_refs": [ident, mal]})),
        "STIX-ID-12",
        "/where_sighted_refs/1",
    );
    expect_clean(&sighting(json!({"where_sighted_refs": [ident, loc]})));
    expect_error(
        &sighting(json!({"observed_data_refs": [mal]})),
        "STIX-ID-12",
        "/observed_data_refs/0",
    );
    expect_error(
        &sighting(json!({"sighting_of_ref": ip})),
        "STIX-SIG-01",
        "/sighting_of_ref",
    );
    expect_error(
        &sighting(json!({"sighting_of_ref": rel})),
        "STIX-SIG-01",
        "/sighting_of_ref",
    );
    for (p, target) in [
        ("source_ref", rel),
        (
            "target_ref",
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        ),
        ("target_ref", "bundle--2c3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b"),
    ] {
        let r = sdo(
            "relationship",
            "1b3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
            with(
                json!({"relationship_type": "uses", "source_ref": mal, "target_ref": ip}),
                json!({ p: target }),
            ),
        );
        expect_error(&r, "STIX-REL-02", &format!("/{p}"));
    }
    let sco = json!({"type": "domain-name", "id": "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7", "value": "example.com", "resolves_to_refs": [mal]});
    expect_error(&sco, "STIX-ID-12", "/resolves_to_refs/0");
    // References inside nested content are checked too.
    let nested = with(
        ind.clone(),
        json!({"x_acme_meta": {"owner_ref": "not-an-id"}}),
    );
    expect_error(&nested, "STIX-ID-01", "/x_acme_meta/owner_ref");
}

#[test]
fn ranges() {
    for c in [-1, 101] {
        expect_error(
            &with(indicator(), json!({"confidence": c})),
            "STIX-CP-02",
            "/confidence",
        );
    }
    expect_clean(&with(indicator(), json!({"confidence": 100})));
    let s = sdo(
        "sighting",
        "0f3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
        json!({"sighting_of_ref": indicator()["id"], "count": 1_000_000_000u64}),
    );
    expect_error(&s, "STIX-RNG-02", "/count");
    let od = sdo(
        "observed-data",
        "1a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
        json!({"first_observed": T, "last_observed": T, "number_observed": 0, "object_refs": ["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}),
    );
    expect_error(&od, "STIX-RNG-01", "/number_observed");
    let nt = json!({"type": "network-traffic", "id": "network-traffic--1c3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b", "protocols": ["tcp"], "dst_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "dst_port": 70000});
    expect_error(&nt, "STIX-RNG-03", "/dst_port");
    let big = with(
        indicator(),
        json!({"x_acme_counter": 9_007_199_254_740_993u64}),
    );
    expect_error(&big, "STIX-VAL-03", "/x_acme_counter");
}

#[test]
fn nulls_and_empty_values() {
    expect_error(
        &with(indicator(), json!({"description": null})),
        "STIX-VAL-07",
        "/description",
    );
    expect_error(
        &with(indicator(), json!({"labels": []})),
        "STIX-VAL-01",
        "/labels",
    );
    expect_error(
        &with(indicator(), json!({"external_references": []})),
        "STIX-VAL-01",
        "/external_references",
    );
    expect_error(
        &with(indicator(), json!({"extensions": {}})),
        "STIX-EXT-01",
        "/extensions",
    );
    expect_error(
        &with(
            indicator(),
            json!({"external_references": [{"source_name": "x", "url": null}]}),
        ),
        "STIX-VAL-07",
        "/external_references/0/url",
    );
    let file = json!({"type": "file", "id": "file--c6d780fd-8e6d-5c66-9442-cae82f5ae055", "name": "foo.exe", "hashes": {}});
    expect_error(&file, "STIX-VAL-02", "/hashes");
    // Inside custom content the list rule is advice only.
    expect(
        &with(indicator(), json!({"x_acme_tags": []})),
        Severity::Warning,
        "STIX-VAL-01",
        "/x_acme_tags",
    );
}

#[test]
fn custom_property_naming_and_reserved_names() {
    expect_error(&with(indicator(), json!({"xf": 1})), "STIX-CUS-01", "/xf");
    expect_error(
        &with(indicator(), json!({"X_Acme": 1})),
        "STIX-CUS-01",
        "/X_Acme",
    );
    expect(
        &with(indicator(), json!({"acme_score": 1})),
        Severity::Warning,
        "STIX-CUS-02",
        "/acme_score",
    );
    expect_clean(&with(indicator(), json!({"x_acme_score": 1})));
    for reserved in ["severity", "action", "username", "phone_number"] {
        expect_error(
            &with(indicator(), json!({ reserved: "x" })),
            "STIX-NAME-04",
            &format!("/{reserved}"),
        );
    }
}

#[test]
fn identifiers() {
    let mut v = indicator();
    v["id"] = json!("malware--6b0e8a3b-7f14-4a8f-9f3a-3c8b1d3f6d21");
    expect_error(&v, "STIX-ID-01", "/id");
    v["id"] = json!("indicator--6b0e8a3b-7f14-4a8f-cf3a-3c8b1d3f6d21");
    expect_error(&v, "STIX-ID-02", "/id");
    v["id"] = json!("indicator--6b0e8a3b-7f14-1a8f-9f3a-3c8b1d3f6d21");
    expect(&v, Severity::Warning, "STIX-ID-03", "/id");
    // SCOs: the deterministic id passes, another one is a warning.
    let ip = json!({"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "value": "198.51.100.3"});
    assert!(diags(&ip).is_empty(), "{:?}", diags(&ip));
    let other = with(ip.clone(), json!({"value": "198.51.100.4"}));
    expect(&other, Severity::Warning, "STIX-ID-05", "/id");
    let process =
        json!({"type": "process", "id": "process--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "pid": 4});
    expect_error(&process, "STIX-ID-06", "/id");
    let account = json!({"type": "user-account", "id": "user-account--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "display_name": "x"});
    expect_error(&account, "STIX-ID-06", "/id");
}

#[test]
fn granular_markings_and_tlp_definitions() {
    let base = with(
        indicator(),
        json!({"name": "n", "external_references": [{"source_name": "a", "external_id": "1"}]}),
    );
    let gm = |m: Value| with(base.clone(), json!({"granular_markings": [m]}));
    let green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    expect_clean(&gm(
        json!({"marking_ref": green, "selectors": ["name", "external_references.[0].external_id"]}),
    ));
    expect_error(
        &gm(json!({"marking_ref": green, "lang": "en", "selectors": ["name"]})),
        "STIX-MK-05",
        "/granular_markings/0",
    );
    expect_error(
        &gm(json!({"selectors": ["name"]})),
        "STIX-MK-05",
        "/granular_markings/0",
    );
    expect_error(
        &gm(json!({"marking_ref": green, "selectors": []})),
        "STIX-VAL-01",
        "/granular_markings/0/selectors",
    );
    expect_error(
        &gm(json!({"marking_ref": green, "selectors": ["external_references[0]"]})),
        "STIX-MK-06",
        "/granular_markings/0/selectors/0",
    );
    expect_error(
        &gm(json!({"marking_ref": green, "selectors": ["name.[0]"]})),
        "STIX-MK-07",
        "/granular_markings/0/selectors/0",
    );
    expect_error(
        &gm(json!({"marking_ref": green, "selectors": ["description"]})),
        "STIX-MK-07",
        "/granular_markings/0/selectors/0",
    );
    expect_error(
        &gm(json!({"lang": "not a tag", "selectors": ["name"]})),
        "STIX-MK-08",
        "/granular_markings/0/lang",
    );
    // TLP 1.0 definitions are fixed: the OpenCTI TLP:CLEAR-on-WHITE quirk.
    let white = json!({"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:WHITE", "definition": {"tlp": "white"}});
    expect_clean(&white);
    expect_error(
        &with(white.clone(), json!({"name": "TLP:CLEAR"})),
        "STIX-MK-04",
        "/name",
    );
    expect_error(
        &with(
            white.clone(),
            json!({"id": "marking-definition--11111111-1111-4111-8111-111111111111"}),
        ),
        "STIX-MK-04",
        "/id",
    );
    let statement = json!({"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
        "created": T, "definition_type": "statement", "definition": {"text": "x"}});
    expect_error(&statement, "STIX-MK-03", "/definition");
}

#[test]
fn extension_rules() {
    let ext = "extension-definition--4d0d21a3-710e-4c3f-9654-e963457642bd";
    expect_error(
        &with(indicator(), json!({"extensions": { ext: {"rank": 1} }})),
        "STIX-EXT-03",
        &format!("/extensions/{ext}"),
    );
    expect_error(
        &with(indicator(), json!({"extensions": { "acme": {"rank": 1} }})),
        "STIX-EXT-04",
        "/extensions/acme",
    );
    let nt = json!({"type": "network-traffic", "id": "network-traffic--1c3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b", "protocols": ["tcp"],
        "dst_ref": "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "extensions": {"socket-ext": {"is_listening": true}}});
    expect_error(&nt, "STIX-EXT-12", "/extensions/socket-ext");
    let nt2 = with(
        nt.clone(),
        json!({"extensions": {"socket-ext": {"address_family": "AF_MARS"}}}),
    );
    expect_error(&nt2, "STIX-VAL-09", "/extensions/socket-ext/address_family");
    let def = sdo(
        "extension-definition",
        "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        json!({"created_by_ref": "identity--2a3f3c10-3c7f-4a0e-9f4e-1c2d3e4f5a6b",
        "name": "n", "schema": "s", "version": "1", "extension_types": ["property-extension"], "extension_properties": ["rank"]}),
    );
    expect_error(&def, "STIX-EXT-06", "/extension_properties");
    let no_creator = with(
        def.clone(),
        json!({"-created_by_ref": null, "extension_types": ["toplevel-property-extension"]}),
    );
    expect_error(&no_creator, "STIX-REQ-01", "/created_by_ref");
}

#[test]
fn stix_patterns_are_parsed_and_errors_located() {
    let v = with(
        indicator(),
        json!({"pattern": "[ipv4-addr:value = '198.51.100.7'"}),
    );
    let d = diags(&v);
    let e = d
        .iter()
        .find(|d| d.rule == "STIX-IND-01")
        .expect("pattern error");
    assert_eq!(e.path, "/pattern");
    assert!(e.message.contains("line 1, column"), "{}", e.message);
    let repeats = with(
        indicator(),
        json!({"pattern": "[file:name = 'a'] REPEATS 0 TIMES"}),
    );
    expect_error(&repeats, "STIX-IND-01", "/pattern");
    // Other pattern languages are not judged by the STIX grammar.
    expect_clean(&with(
        indicator(),
        json!({"pattern_type": "snort", "pattern": "alert tcp any any -> any 80 (msg:\"x\";)"}),
    ));
}

#[test]
fn stix20_objects_are_judged_by_20_rules() {
    let bundle = |o: Value| json!({"type": "bundle", "id": "bundle--6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "spec_version": "2.0", "objects": [o]});
    let ind = json!({"type": "indicator", "id": "indicator--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", "created": T, "modified": T,
        "pattern": "[file:name = 'a']", "valid_from": "2021-03-04T05:06:07Z"});
    expect_error(&bundle(ind.clone()), "STIX-REQ-01", "/objects/0/labels");
    expect_clean(&bundle(with(
        ind,
        json!({"labels": ["malicious-activity"]}),
    )));
    let identity = json!({"type": "identity", "id": "identity--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", "created": T, "modified": T, "name": "n"});
    expect_error(
        &bundle(identity),
        "STIX-REQ-01",
        "/objects/0/identity_class",
    );
    let v1 = json!({"type": "malware", "id": "malware--7b8c9d0e-1f2a-1b3c-9d4e-5f6a7b8c9d0e", "created": T, "modified": T, "name": "n", "labels": ["trojan"]});
    expect_error(&bundle(v1), "STIX-ID-03", "/objects/0/id");
    let r = report(&bundle(
        json!({"type": "grouping", "id": "grouping--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e", "created": T, "modified": T, "context": "unspecified", "object_refs": ["malware--7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e"]}),
    ));
    assert!(r
        .all_diagnostics()
        .any(|d| d.rule == "STIX-CP-01" && d.message.contains("spec_version")));
}

#[test]
fn bundle_level_rules() {
    let b = |extra: Value| {
        with(
            json!({"type": "bundle", "id": "bundle--6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "objects": [indicator()]}),
            extra,
        )
    };
    expect_clean(&b(json!({})));
    expect(
        &b(json!({"spec_version": "2.1"})),
        Severity::Warning,
        "STIX-BUN-02",
        "/spec_version",
    );
    let strict = validate_str(
        &b(json!({"spec_version": "2.1"})).to_string(),
        &ValidationOptions {
            strict: true,
            ..Default::default()
        },
    );
    assert!(!strict.valid());
    expect_error(&b(json!({"id": "bundle--nope"})), "STIX-BUN-01", "/id");
    expect_error(&b(json!({"objects": []})), "STIX-VAL-01", "/objects");
    expect_error(
        &b(json!({"objects": {"0": indicator()}})),
        "STIX-BUN-03",
        "/objects",
    );
    // One bad object does not hide the good ones.
    let mixed = b(
        json!({"objects": [indicator(), with(indicator(), json!({"id": "indicator--bad"})), with(indicator(), json!({"id": "indicator--8b0e8a3b-7f14-4a8f-9f3a-3c8b1d3f6d21"}))]}),
    );
    let r = report(&mixed);
    assert_eq!(
        r.objects.iter().map(|o| o.valid).collect::<Vec<_>>(),
        [true, false, true]
    );
    assert_eq!(r.duplicates.len(), 0);
}

#[test]
fn warnings_as_errors_fails_objects_with_warnings() {
    let v = with(indicator(), json!({"acme_score": 1}));
    assert!(report(&v).valid());
    let r = validate_str(
        &v.to_string(),
        &ValidationOptions {
            warnings_as_errors: true,
            ..Default::default()
        },
    );
    assert!(!r.valid());
    assert!(!r.objects[0].valid);
}

#[test]
fn observable_values_are_checked() {
    let url = |v: &str| json!({"type": "url", "id": "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55", "value": v});
    expect_clean(&url("https://example.com/research/index.html"));
    for bad in [
        "http://84.38.133[.]149/img/icon.gif",
        "tunnel.us.ngrok[.]com",
        "4a5ikol.ru\u{a0}",
    ] {
        expect_error(&url(bad), "STIX-SCO-07", "/value");
    }
    let ip = |t: &str, v: &str| json!({"type": t, "id": format!("{t}--0198f97b-e65d-5025-87e5-58bc39d4bdb4"), "value": v});
    for good in ["1.2.3.4", "192.0.2.0/24", "10.0.0.0/8"] {
        expect_clean(&ip("ipv4-addr", good));
    }
    for bad in [
        "1.2.3",
        "192.0.2.0/33",
        "2001:db8::1",
        "198.51.100[.]1",
        "1.2.3.4/",
    ] {
        expect_error(&ip("ipv4-addr", bad), "STIX-SCO-08", "/value");
    }
    expect_clean(&ip("ipv6-addr", "2001:db8::/32"));
    expect_error(&ip("ipv6-addr", "1.2.3.4"), "STIX-SCO-08", "/value");
    let mac = |v: &str| json!({"type": "mac-addr", "id": "mac-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4", "value": v});
    expect_clean(&mac("00:0a:95:9d:68:16"));
    expect_error(&mac("00:0A:95:9D:68:16"), "STIX-SCO-05", "/value");
}

#[test]
fn pattern_property_names_follow_naming_rules() {
    let v = with(
        indicator(),
        json!({"pattern": "[file:x_ID = 'a'] OR [file:hashes.MD5 = '3773a88f65a5e780c8dff9cdc3a056f3']"}),
    );
    expect_error(&v, "STIX-IND-02", "/pattern");
    let d = diags(&v);
    assert_eq!(
        d.iter().filter(|d| d.rule == "STIX-IND-02").count(),
        1,
        "{d:?}"
    );
    expect_clean(&with(
        indicator(),
        json!({"pattern": "[file:x_acme_id = 'a' OR file:hashes.'SHA-256' = '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b']"}),
    ));
}

/// The level a report gives an object is its most restrictive official TLP
/// marking, granular ones included: a GREEN object with a TLP:RED pattern
/// carries RED content (the level routing and the summary use too).
#[test]
fn report_tlp_counts_granular_markings() {
    let green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    let red1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
    let base = json!({"type": "indicator", "spec_version": "2.1",
        "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": T, "modified": T,
        "pattern": "[domain-name:value = 'x.example']", "pattern_type": "stix", "valid_from": T,
        "object_marking_refs": [green]});
    let tlp = |v: &Value| {
        let r = report(v);
        (r.objects[0].tlp, r.objects[0].tlp_version)
    };
    use stix_core::tlp::{TlpLevel, TlpVersion};
    assert_eq!(tlp(&base), (Some(TlpLevel::Green), Some(TlpVersion::V2)));
    let granular = with(
        base.clone(),
        json!({"granular_markings": [{"marking_ref": red1, "selectors": ["pattern"]}]}),
    );
    assert_eq!(tlp(&granular), (Some(TlpLevel::Red), Some(TlpVersion::V1)));
    let only_granular = with(granular, json!({"-object_marking_refs": null}));
    assert_eq!(tlp(&only_granular).0, Some(TlpLevel::Red));
    let none = with(base, json!({"-object_marking_refs": null}));
    assert_eq!(tlp(&none), (None, None));
}
