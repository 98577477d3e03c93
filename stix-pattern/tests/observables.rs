//! Observable extraction: comparisons, typed values, and the blocklist ("flat") flag.

use stix_pattern::{parse, LiteralKind, ObservableKind as K, StixVersion};

fn obs(p: &str) -> stix_pattern::Observables {
    parse(p, StixVersion::V21)
        .unwrap_or_else(|e| panic!("{p}: {e:?}"))
        .observables()
}

#[test]
fn typed_values_from_equality_and_in() {
    let cases: &[(&str, K, &str, Option<&str>)] = &[
        ("[domain-name:value = 'evil.example']", K::Domain, "evil.example", None),
        ("[ipv4-addr:value = '198.51.100.7']", K::Ipv4, "198.51.100.7", None),
        ("[ipv4-addr:value = '198.51.100.0/24']", K::Ipv4Cidr, "198.51.100.0/24", None),
        ("[ipv6-addr:value = '2001:db8::1']", K::Ipv6, "2001:db8::1", None),
        ("[ipv6-addr:value = '2001:db8::/32']", K::Ipv6Cidr, "2001:db8::/32", None),
        ("[url:value = 'http://x.example/a?b=\\'c\\'']", K::Url, "http://x.example/a?b='c'", None),
        ("[email-addr:value = 'a@example.com']", K::EmailAddress, "a@example.com", None),
        ("[email-message:from_ref.value = 'a@example.com']", K::EmailAddress, "a@example.com", None),
        ("[email-message:to_refs[*].value = 'b@example.com']", K::EmailAddress, "b@example.com", None),
        ("[email-message:subject = 'Invoice']", K::EmailSubject, "Invoice", None),
        ("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", K::Hash, "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f", Some("SHA-256")),
        ("[file:hashes.SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", K::Hash, "aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f", Some("SHA-256")),
        ("[file:hashes.md5 = 'd41d8cd98f00b204e9800998ecf8427e']", K::Hash, "d41d8cd98f00b204e9800998ecf8427e", Some("MD5")),
        ("[artifact:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", K::Hash, "da39a3ee5e6b4b0d3255bfef95601890afd80709", Some("SHA-1")),
        ("[file:name = 'evil.exe']", K::FileName, "evil.exe", None),
        ("[directory:path = 'C:\\\\Temp']", K::DirectoryPath, "C:\\Temp", None),
        ("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Run']", K::RegistryKey, "HKEY_LOCAL_MACHINE\\Run", None),
        ("[mutex:name = 'Global\\\\m']", K::Mutex, "Global\\m", None),
        ("[mac-addr:value = 'd2:fb:49:24:37:18']", K::MacAddress, "d2:fb:49:24:37:18", None),
        ("[autonomous-system:number = 15169]", K::AutonomousSystem, "15169", None),
        ("[user-account:user_id = 'root']", K::UserAccount, "root", None),
        ("[process:name = 'evil.exe']", K::ProcessName, "evil.exe", None),
        ("[process:command_line = 'evil.exe -x']", K::CommandLine, "evil.exe -x", None),
        ("[network-traffic:dst_ref.value = '203.0.113.5']", K::Ipv4, "203.0.113.5", None),
        ("[network-traffic:dst_port = 443]", K::Port, "443", None),
        ("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Evil/1.0']", K::UserAgent, "Evil/1.0", None),
        ("[x509-certificate:serial_number = '01:02']", K::CertificateSerial, "01:02", None),
        ("[software:name = 'Word']", K::Software, "Word", None),
        ("[x-custom:thing = 'v']", K::Other, "v", None),
    ];
    for (p, kind, value, alg) in cases {
        let o = obs(p);
        assert_eq!(o.observables.len(), 1, "{p}");
        let x = &o.observables[0];
        assert_eq!(
            (x.kind, x.value.as_str(), x.algorithm.as_deref()),
            (*kind, *value, *alg),
            "{p}"
        );
        assert!(o.flat, "{p}: {:?}", o.reasons);
    }
}

#[test]
fn in_sets_yield_every_member() {
    let o = obs("[ipv4-addr:value IN ('198.51.100.1', '198.51.100.2', '10.0.0.0/8')]");
    let kinds: Vec<K> = o.observables.iter().map(|x| x.kind).collect();
    assert_eq!(kinds, vec![K::Ipv4, K::Ipv4, K::Ipv4Cidr]);
    assert!(o.flat);
    assert_eq!(o.comparisons.len(), 1);
    assert_eq!(o.comparisons[0].operator, "IN");
    assert_eq!(o.comparisons[0].values.len(), 3);
}

#[test]
fn or_lists_are_flat_blocklists() {
    let o = obs("[domain-name:value = 'a.example' OR domain-name:value = 'b.example'] OR [url:value = 'http://c.example/']");
    assert!(o.flat);
    assert_eq!(o.observables.len(), 3);
    assert_eq!(
        o.comparisons
            .iter()
            .map(|c| c.observation)
            .collect::<Vec<_>>(),
        vec![0, 0, 1]
    );
}

#[test]
fn richer_patterns_are_not_flat_and_say_why() {
    for (p, why) in [
        (
            "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
            "observations joined by FOLLOWEDBY",
        ),
        (
            "[file:name = 'a'] AND [file:name = 'b']",
            "observations joined by AND",
        ),
        ("[file:name = 'a'] WITHIN 5 SECONDS", "WITHIN qualifier"),
        ("[file:name = 'a'] REPEATS 5 TIMES", "REPEATS qualifier"),
        (
            "[file:name = 'a' AND file:size = 3]",
            "comparisons joined by AND",
        ),
        ("[file:name != 'a']", "operator !="),
        ("[file:name LIKE 'a%']", "operator LIKE"),
        ("[file:size > 10]", "operator >"),
        ("[file:name NOT = 'a']", "negated comparison (NOT)"),
        ("[EXISTS file:name]", "operator EXISTS"),
    ] {
        let o = obs(p);
        assert!(!o.flat, "{p}");
        assert!(o.reasons.iter().any(|r| r == why), "{p}: {:?}", o.reasons);
    }
    // Non-equality and negated comparisons are listed but yield no observable values.
    let o = obs("[file:name NOT = 'a' AND file:size > 10 AND file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");
    assert_eq!(o.comparisons.len(), 3);
    assert_eq!(o.observables.len(), 1);
    assert!(o.comparisons[0].negated);
    assert_eq!(o.comparisons[1].values, vec![LiteralKind::Int("10".into())]);
}

#[test]
fn comparisons_have_the_inspect_shape() {
    let o = obs("[file:hashes.'SHA-256' = 'x' OR file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");
    assert_eq!(o.comparisons[0].object_type, "file");
    assert_eq!(o.comparisons[0].property, "hashes.'SHA-256'");
    assert_eq!(
        o.comparisons[1].property,
        "extensions.'windows-pebinary-ext'.sections[*].entropy"
    );
    assert_eq!(o.comparisons[1].operator, ">");
    // serialisable for the bindings
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(
        json["comparisons"][0]["values"][0],
        serde_json::json!({"type": "string", "value": "x"})
    );
    assert_eq!(json["flat"], serde_json::json!(false));
    let back: stix_pattern::Observables = serde_json::from_value(json).unwrap();
    assert_eq!(back, o);
}
