//! Rule conditions of the router, one by one, from TOML.

use serde_json::json;
use stix_core::route::Router;
use stix_core::tlp::TlpLevel;
use stix_core::{StixObject, Timestamp};

const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

fn indicator(n: u32, extra: serde_json::Value) -> StixObject {
    let mut v = json!({
        "type": "indicator", "spec_version": "2.1",
        "id": format!("indicator--00000000-0000-4000-8000-{n:012}"),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "pattern": format!("[domain-name:value = 'd{n}.example']"), "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "object_marking_refs": [GREEN]
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    StixObject::from_value(v).unwrap()
}

fn routed(toml_rule: &str, objects: &[StixObject]) -> Vec<String> {
    let text = format!(
        "[destinations.out]\nmax_tlp = \"red\"\nformats = [\"blocklist\"]\n\n[[rule]]\n{toml_rule}\ndestinations = [\"out\"]\n"
    );
    let router = Router::from_toml_str(&text).unwrap();
    let now = Timestamp::parse("2024-07-01T00:00:00.000Z").unwrap();
    let report = router.route(objects, &now);
    report.destinations["out"]
        .object_ids
        .iter()
        .map(|id| id[id.len() - 2..].to_owned())
        .collect()
}

fn feed() -> Vec<StixObject> {
    vec![
        indicator(1, json!({"labels": ["phishing"], "confidence": 90})),
        indicator(
            2,
            json!({"indicator_types": ["anonymization"], "confidence": 20}),
        ),
        indicator(3, json!({"revoked": true})),
        indicator(4, json!({"valid_until": "2024-03-01T00:00:00Z"})),
        indicator(
            5,
            json!({"object_marking_refs": [RED], "valid_until": "2030-01-01T00:00:00Z"}),
        ),
        StixObject::from_value(json!({
            "type": "malware", "spec_version": "2.1",
            "id": "malware--00000000-0000-4000-8000-000000000006",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
            "name": "m", "is_family": true, "labels": ["phishing"]
        }))
        .unwrap(),
    ]
}

#[test]
fn each_condition_selects_what_it_says() {
    let f = feed();
    assert_eq!(routed("types = [\"malware\"]", &f), ["06"]);
    assert_eq!(routed("labels = [\"phishing\"]", &f), ["01", "06"]);
    assert_eq!(routed("indicator_types = [\"anonymization\"]", &f), ["02"]);
    assert_eq!(routed("min_confidence = 50", &f), ["01"]);
    assert_eq!(
        routed("max_confidence = 50", &f),
        ["02", "03", "04", "05", "06"]
    );
    assert_eq!(routed("revoked = true", &f), ["03"]);
    assert_eq!(routed("expired = true", &f), ["04"]);
    assert_eq!(
        routed(
            "types = [\"indicator\"]\nrevoked = false\nexpired = false",
            &f
        ),
        ["01", "02", "05"]
    );
    assert_eq!(routed("tlp = [\"red\"]", &f), ["05"]);
    assert_eq!(
        routed("tlp_at_most = \"amber\"", &f),
        ["01", "02", "03", "04", "06"]
    );
    assert_eq!(
        routed("tlp_at_least = \"amber\"", &f),
        ["05", "06"],
        "unmarked malware counts as AMBER"
    );
}

#[test]
fn ceilings_win_over_rules_and_say_why() {
    let text = r#"
[settings]
unmarked_tlp = "green"

[destinations.partners]
max_tlp = "green"

[destinations.internal]
max_tlp = "amber+strict"

[[rule]]
name = "everything everywhere"
destinations = ["partners", "internal"]
"#;
    let router = Router::from_toml_str(text).unwrap();
    let f = feed();
    let now = Timestamp::parse("2024-07-01T00:00:00.000Z").unwrap();
    let report = router.route(&f, &now);
    assert_eq!(report.unmarked_tlp, TlpLevel::Green);
    let partners = &report.destinations["partners"];
    assert_eq!(partners.object_ids.len(), 5, "all but the RED one");
    assert_eq!(partners.withheld, 1);
    assert_eq!(report.destinations["internal"].withheld, 1);
    assert_eq!(report.withheld.len(), 2);
    for w in &report.withheld {
        assert!(w.object_id.ends_with("05"));
        assert_eq!(w.rule, "everything everywhere");
        assert_eq!(w.object_tlp, TlpLevel::Red);
        assert!(
            w.reason.contains("above the destination's ceiling"),
            "{}",
            w.reason
        );
    }
    // The unmarked malware counts as GREEN here, so partners may have it.
    assert!(partners
        .object_ids
        .iter()
        .any(|id| id.starts_with("malware--")));
}

#[test]
fn a_relationship_to_red_content_is_held_back() {
    let mut f = feed();
    f.push(
        StixObject::from_value(json!({
            "type": "relationship", "spec_version": "2.1",
            "id": "relationship--00000000-0000-4000-8000-000000000007",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
            "relationship_type": "indicates",
            "source_ref": "indicator--00000000-0000-4000-8000-000000000005",
            "target_ref": "malware--00000000-0000-4000-8000-000000000006",
            "object_marking_refs": [GREEN]
        }))
        .unwrap(),
    );
    let text = "[destinations.soc]\nmax_tlp = \"amber\"\n[[rule]]\ntypes = [\"relationship\"]\ndestinations = [\"soc\"]\n";
    let router = Router::from_toml_str(text).unwrap();
    let now = Timestamp::parse("2024-07-01T00:00:00.000Z").unwrap();
    let report = router.route(&f, &now);
    assert!(report.destinations["soc"].object_ids.is_empty());
    let w = &report.withheld[0];
    assert_eq!(w.object_tlp, TlpLevel::Green);
    assert!(
        w.reason
            .contains("indicator--00000000-0000-4000-8000-000000000005"),
        "{}",
        w.reason
    );
}
