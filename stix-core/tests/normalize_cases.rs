//! Normaliser edge cases: granular markings on `pattern`, patterns that
//! cannot be used, values that would break a line-based list, and the type
//! mappings of MISP and XSOAR.

use serde_json::json;
use stix_core::normalize::{self, OutputFormat, SkipReason};
use stix_core::route::Router;
use stix_core::{StixObject, Timestamp};

const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
const AMBER: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";

fn indicator(n: u32, pattern: &str, extra: serde_json::Value) -> StixObject {
    let mut v = json!({
        "type": "indicator", "spec_version": "2.1",
        "id": format!("indicator--00000000-0000-4000-8000-{n:012}"),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "pattern": pattern, "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z", "object_marking_refs": [GREEN]
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    StixObject::from_value(v).unwrap()
}

fn batch(objects: &[StixObject], max: &str) -> stix_core::route::DestinationBatch {
    let text = format!(
        "[destinations.out]\nmax_tlp = \"{max}\"\n[[rule]]\ntypes = [\"indicator\"]\ndestinations = [\"out\"]\n"
    );
    let router = Router::from_toml_str(&text).unwrap();
    let now = Timestamp::parse("2024-07-01T00:00:00.000Z").unwrap();
    router.route(objects, &now).batch("out", objects).unwrap()
}

#[test]
fn values_of_a_granularly_marked_pattern_carry_its_level() {
    let o = indicator(
        1,
        "[domain-name:value = 'amber.example']",
        json!({"granular_markings": [{"marking_ref": AMBER, "selectors": ["pattern"]}]}),
    );
    let objects = [o];
    // GREEN destination: the indicator counts at AMBER and stays out.
    let b = batch(&objects, "green");
    assert!(b.objects.is_empty());
    let r = normalize::render(&b, &OutputFormat::ALL);
    for f in &r.files {
        assert!(
            !String::from_utf8_lossy(&f.bytes).contains("amber.example"),
            "{}",
            f.path
        );
    }
    // AMBER destination: the value is there, tagged AMBER, not GREEN.
    let b = batch(&objects, "amber");
    let event = normalize::misp_event(&b);
    let a = &event["Event"]["Attribute"][0];
    assert_eq!(a["value"], "amber.example");
    assert_eq!(a["Tag"][0]["name"], "tlp:amber");
    let x = normalize::xsoar_indicators(&b);
    assert_eq!(x[0]["fields"]["trafficlightprotocol"], "AMBER");
    let e = &normalize::indicator_entries(&b)[0];
    assert_eq!(e.value_tlp, stix_core::tlp::TlpLevel::Amber);
}

#[test]
fn unusable_patterns_are_reported_with_reasons() {
    let objects = [
        indicator(
            1,
            "[file:hashes.MD5 = '3773a88f65a5e780c8dff9cdc3a056f3' AND file:name = 'a.exe']",
            json!({}),
        ),
        indicator(
            2,
            "alert tcp any any -> any 80 (msg:\"x\";)",
            json!({"pattern_type": "snort"}),
        ),
        indicator(3, "[domain-name:value = 'unterminated.example'", json!({})),
        indicator(4, "[domain-name:value != 'not-this.example']", json!({})),
        indicator(
            5,
            "[domain-name:value = 'ok.example'] OR [url:value = 'http://ok.example/a']",
            json!({}),
        ),
    ];
    let b = batch(&objects, "amber");
    let r = normalize::render(&b, &[OutputFormat::Blocklist]);
    let reasons: Vec<(String, SkipReason)> = r
        .skipped
        .iter()
        .map(|s| (s.id[s.id.len() - 1..].to_owned(), s.reason))
        .collect();
    assert_eq!(
        reasons,
        [
            ("1".to_owned(), SkipReason::NotFlat),
            ("2".to_owned(), SkipReason::NotStix),
            ("3".to_owned(), SkipReason::InvalidPattern),
            ("4".to_owned(), SkipReason::NotFlat),
        ]
    );
    assert!(r.skipped[0].detail.iter().any(|d| d.contains("AND")));
    assert!(r.skipped[2].detail[0].contains("column"));
    let text: String = r
        .files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert_eq!(text, "ok.example\nhttp://ok.example/a\n");
    assert!(
        !text.contains("not-this.example"),
        "a != value is no blocklist entry"
    );
    // MISP keeps compound values as context, never as detections.
    let event = normalize::misp_event(&b);
    let attrs = event["Event"]["Attribute"].as_array().unwrap();
    let md5 = attrs.iter().find(|a| a["type"] == "md5").unwrap();
    assert_eq!(md5["to_ids"], false);
    assert!(md5["comment"].as_str().unwrap().contains("compound"));
    let ok = attrs.iter().find(|a| a["value"] == "ok.example").unwrap();
    assert_eq!(ok["to_ids"], true);
}

#[test]
fn values_never_break_a_line_based_list() {
    let objects = [indicator(
        1,
        "[domain-name:value = 'evil.example\nmicrosoft.com']",
        json!({}),
    )];
    let b = batch(&objects, "amber");
    let lists = normalize::blocklists(&b);
    for values in lists.lists.values() {
        for v in values {
            assert!(!v.contains('\n'));
        }
    }
    assert!(!lists.lists.values().flatten().any(|v| v == "microsoft.com"));
    let lookups = normalize::splunk_lookups(&b);
    for l in &lookups {
        assert!(!l.csv.lines().any(|line| line.starts_with("microsoft.com")));
    }
}

/// Only well-formed values of a kind are listed: a wildcard, a spreadsheet
/// formula or a CSV fragment is not a domain name, and a catch-all range
/// would block far more than any indicator means. Good values of the same
/// pattern still land, and the refused ones are reported.
#[test]
fn values_that_are_not_what_their_kind_says_are_left_out() {
    let bad = [
        "*",
        "=HYPERLINK(\"http://evil\")",
        "csv,inject.example\"=cmd|calc",
        "two words.example",
        "a..b.example",
    ];
    let mut pattern = String::from("[domain-name:value = 'good.example']");
    for b in bad {
        pattern.push_str(&format!(
            " OR [domain-name:value = '{}']",
            b.replace('\'', "\\'")
        ));
    }
    pattern.push_str(" OR [ipv4-addr:value = '0.0.0.0/0'] OR [ipv4-addr:value = '10.0.0.0/7']");
    pattern
        .push_str(" OR [ipv4-addr:value = '198.51.100.0/24'] OR [ipv4-addr:value = '999.1.1.1']");
    pattern.push_str(" OR [ipv6-addr:value = '::/0'] OR [ipv6-addr:value = '2001:db8::/32']");
    pattern.push_str(" OR [domain-name:value = 'b\u{fc}cher.example.']");
    let objects = [indicator(1, &pattern, json!({}))];
    let b = batch(&objects, "amber");
    let lists = normalize::blocklists(&b);
    let all: Vec<&String> = lists.lists.values().flatten().collect();
    for want in [
        "good.example",
        "198.51.100.0/24",
        "2001:db8::/32",
        "b\u{fc}cher.example.",
    ] {
        assert!(all.iter().any(|v| *v == want), "{want} missing: {all:?}");
    }
    for refused in bad
        .iter()
        .copied()
        .chain(["0.0.0.0/0", "10.0.0.0/7", "999.1.1.1", "::/0"])
    {
        assert!(!all.iter().any(|v| *v == refused), "{refused} listed");
        assert!(
            lists.unsafe_values.iter().any(|v| v == refused),
            "{refused} not reported"
        );
    }
    // The same judgement in every format that lists values (the STIX
    // bundle and the JSON-lines records carry the pattern as it is).
    let r = normalize::render(&b, &OutputFormat::ALL);
    for f in &r.files {
        if f.path.ends_with("bundle.json") || f.path.ends_with(".jsonl") {
            continue;
        }
        let text = String::from_utf8_lossy(&f.bytes);
        for refused in ["HYPERLINK", "0.0.0.0/0", "inject.example"] {
            assert!(
                !text.contains(refused)
                    || f.path.ends_with(".jsonl")
                    || f.path.ends_with("stix.json"),
                "{refused} in {}",
                f.path
            );
        }
    }
}

#[test]
fn misp_and_xsoar_types() {
    let objects = [
        indicator(1, "[network-traffic:src_ref.value = '198.51.100.9' OR network-traffic:dst_ref.value = '2001:db8::1']", json!({})),
        indicator(2, "[email-message:from_ref.value = 'a@example.com' OR email-message:to_refs[*].value = 'b@example.com']", json!({})),
        indicator(3, "[x509-certificate:hashes.'SHA-1' = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3']", json!({})),
        indicator(4, "[ipv4-addr:value = '192.0.2.0/24'] OR [ipv6-addr:value = '2001:db8::/32']", json!({"indicator_types": ["benign"]})),
        indicator(5, "[file:hashes.'SHA-512' = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e']", json!({})),
    ];
    let b = batch(&objects, "amber");
    let event = normalize::misp_event(&b);
    let attrs = event["Event"]["Attribute"].as_array().unwrap();
    let ty = |v: &str| {
        attrs.iter().find(|a| a["value"] == v).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(ty("198.51.100.9"), "ip-src");
    assert_eq!(ty("2001:db8::1"), "ip-dst");
    assert_eq!(ty("a@example.com"), "email-src");
    assert_eq!(ty("b@example.com"), "email-dst");
    assert_eq!(
        ty("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
        "x509-fingerprint-sha1"
    );
    assert_eq!(ty("192.0.2.0/24"), "ip-dst");
    assert!(ty("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e") == "sha512");
    let x = normalize::xsoar_indicators(&b);
    let xt = |v: &str| x.iter().find(|i| i["value"] == v).unwrap();
    assert_eq!(xt("192.0.2.0/24")["type"], "CIDR");
    assert_eq!(xt("2001:db8::/32")["type"], "IPv6CIDR");
    assert_eq!(xt("192.0.2.0/24")["score"], 1, "benign");
    assert_eq!(xt("a@example.com")["type"], "Email");
    assert_eq!(xt("a@example.com")["score"], 2);
    let lists = normalize::blocklists(&b);
    assert_eq!(
        lists.lists["cidr"].iter().cloned().collect::<Vec<_>>(),
        ["192.0.2.0/24", "2001:db8::/32"]
    );
    assert_eq!(lists.lists["sha512"].len(), 1);
    assert_eq!(lists.lists["emails"].len(), 2);
    // An X.509 fingerprint is not a file hash.
    assert!(!lists.lists.contains_key("sha1"));
    assert_eq!(lists.lists["x509-sha1"].len(), 1);
    assert!(x
        .iter()
        .all(|i| i["value"] != "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"));
}
