//! Routing and normalising the bundled sample feed (`data/sample-feed.json`)
//! with the default configuration, checked value by value.

use std::collections::BTreeSet;

use stix_core::marking::{MarkingResolver, MarkingSettings, ResolvedMarking, TlpSource};
use stix_core::normalize::{self, OutputFormat, SkipReason};
use stix_core::route::{Router, RoutingReport};
use stix_core::tlp::{TlpLevel, TlpVersion};
use stix_core::{parse_bundle, StixObject, Timestamp};

fn sample() -> Vec<StixObject> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/sample-feed.json");
    let bytes = std::fs::read(path).expect("data/sample-feed.json must exist");
    let doc = parse_bundle(&bytes).expect("sample parses");
    let objects: Vec<StixObject> = doc.objects().cloned().collect();
    assert_eq!(
        objects.len(),
        doc.items.len(),
        "every sample object is typed"
    );
    objects
}

/// Inside every indicator's validity window of the sample.
fn mid_2024() -> Timestamp {
    Timestamp::parse("2024-07-01T00:00:00.000Z").unwrap()
}

fn route_default(objects: &[StixObject]) -> RoutingReport {
    Router::with_default_config().route(objects, &mid_2024())
}

fn text_of(r: &normalize::Rendered) -> String {
    r.files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn lines(r: &normalize::Rendered, path: &str) -> BTreeSet<String> {
    match r.file(path) {
        Some(f) => String::from_utf8(f.bytes.clone())
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect(),
        None => BTreeSet::new(),
    }
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn markings_of_the_sample_resolve_by_id() {
    let objects = sample();
    let mut resolver = MarkingResolver::new(MarkingSettings::default());
    resolver.add_objects(&objects);
    let by_name = |name: &str| {
        objects
            .iter()
            .find(|o| normalize::context::object_name(o).as_deref() == Some(name))
            .unwrap()
    };
    // TLP 2.0 AMBER+STRICT actor.
    let m = resolver.markings_of(by_name("Copper Heron"));
    assert_eq!(m.tlp, TlpLevel::AmberStrict);
    assert_eq!(m.tlp_version, Some(TlpVersion::V2));
    assert_eq!(m.source, TlpSource::Marked);
    // TLP 1.0 GREEN actor.
    let m = resolver.markings_of(by_name("Silent Marten"));
    assert_eq!(
        (m.tlp, m.tlp_version),
        (TlpLevel::Green, Some(TlpVersion::V1))
    );
    // CLEAR plus a statement marking defined in the same feed.
    let m = resolver.markings_of(by_name("Operation Paper Trail"));
    assert_eq!(m.tlp, TlpLevel::Clear);
    assert_eq!(
        m.statements(),
        ["Copyright 2024 Example CTI Team. Redistribution within the sharing community only."]
    );
    assert!(m
        .markings
        .iter()
        .any(|x| matches!(x, ResolvedMarking::Statement { .. })));
    // Unmarked indicator: the default, and said so.
    let unmarked = objects
        .iter()
        .find(|o| o.type_name() == "indicator" && o.object_marking_refs().is_empty())
        .unwrap();
    let m = resolver.markings_of(unmarked);
    assert_eq!((m.tlp, m.source), (TlpLevel::Amber, TlpSource::Unmarked));
    let red = MarkingResolver::new(MarkingSettings {
        unmarked: TlpLevel::Red,
        ..MarkingSettings::default()
    });
    assert_eq!(red.markings_of(unmarked).tlp, TlpLevel::Red);
}

#[test]
fn red_content_goes_only_to_restricted() {
    let objects = sample();
    let report = route_default(&objects);
    assert_eq!(report.unmarked_tlp, TlpLevel::Amber);
    let red: Vec<&str> = report
        .objects
        .iter()
        .filter(|r| r.markings.tlp == TlpLevel::Red)
        .map(|r| r.id.as_str())
        .collect();
    assert!(red.len() >= 5, "the sample has TLP:RED content");
    for r in &report.objects {
        if r.markings.tlp == TlpLevel::Red {
            assert_eq!(r.destinations, ["restricted"], "{}", r.id);
        }
    }
    for (name, d) in &report.destinations {
        for id in &d.object_ids {
            let r = report.objects.iter().find(|r| &r.id == id).unwrap();
            assert!(r.markings.tlp <= d.max_tlp, "{id} in {name}");
        }
    }
    // Red indicators were asked for by the indicator rule and refused.
    let w: Vec<_> = report
        .withheld
        .iter()
        .filter(|w| w.object_type == "indicator" && w.object_tlp == TlpLevel::Red)
        .collect();
    assert!(!w.is_empty());
    for w in &w {
        assert_ne!(w.destination, "restricted");
        assert!(w.reason.contains("TLP:RED"), "{}", w.reason);
    }
    // AMBER+STRICT goes to the TIP (ceiling AMBER+STRICT) but not the SIEM.
    let heron = report
        .objects
        .iter()
        .find(|r| r.markings.tlp == TlpLevel::AmberStrict && r.object_type == "threat-actor")
        .unwrap();
    assert_eq!(heron.destinations, ["tip"]);
    let strict_ind = report
        .objects
        .iter()
        .find(|r| r.markings.tlp == TlpLevel::AmberStrict && r.object_type == "indicator")
        .unwrap();
    assert_eq!(strict_ind.destinations, ["tip"]);
    assert_eq!(
        strict_ind
            .withheld
            .iter()
            .map(|w| w.destination.as_str())
            .collect::<Vec<_>>(),
        ["siem", "blocklist", "soar"]
    );
    let counts = report.counts();
    assert_eq!(
        counts["restricted"].keys().collect::<Vec<_>>(),
        [&TlpLevel::Red]
    );
}

#[test]
fn blocklists_value_by_value() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("blocklist", &objects).unwrap();
    let r = normalize::render(&batch, &[OutputFormat::Blocklist]);
    assert_eq!(
        lines(&r, "domains.txt"),
        set(&[
            "a.example.com",
            "b.example.com",
            "c.example.com",
            "cdn-sync.example.org",
            "login-example-bank.example",
            "telemetry.example.com",
        ])
    );
    assert_eq!(lines(&r, "ipv4.txt"), set(&["198.51.100.23"]));
    assert_eq!(lines(&r, "ipv6.txt"), set(&["2001:db8::4f"]));
    assert_eq!(
        lines(&r, "urls.txt"),
        set(&["https://files.example.net/invoice.zip"])
    );
    assert_eq!(
        lines(&r, "sha256.txt"),
        set(&["6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b"])
    );
    assert_eq!(
        lines(&r, "md5.txt"),
        set(&["3773a88f65a5e780c8dff9cdc3a056f3"])
    );
    assert_eq!(
        lines(&r, "sha1.txt"),
        set(&["a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"])
    );
    // RED CIDR and e-mail: nothing; no other list at all.
    let names: BTreeSet<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "domains.txt",
            "ipv4.txt",
            "ipv6.txt",
            "md5.txt",
            "sha1.txt",
            "sha256.txt",
            "urls.txt"
        ]
        .into_iter()
        .collect()
    );
    // Not flattenable (FOLLOWEDBY, AND) and revoked: skipped with reasons.
    let mut reasons: Vec<SkipReason> = r.skipped.iter().map(|s| s.reason).collect();
    reasons.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(
        reasons,
        [
            SkipReason::NotFlat,
            SkipReason::NotFlat,
            SkipReason::Revoked
        ]
    );
    let not_flat = r
        .skipped
        .iter()
        .find(|s| s.detail.iter().any(|d| d.contains("FOLLOWEDBY")))
        .expect("the FOLLOWEDBY pattern is reported");
    assert_eq!(not_flat.reason, SkipReason::NotFlat);
    assert!(!text_of(&r).contains("203.0.113.5"), "revoked value");
}

#[test]
fn expired_indicators_leave_every_list() {
    let objects = sample();
    // The sample's one short-lived indicator (telemetry.example.com) is
    // gone once its window closes; the others stay.
    let mid_2025 = Timestamp::parse("2025-06-01T00:00:00.000Z").unwrap();
    let report = Router::with_default_config().route(&objects, &mid_2025);
    let batch = report.batch("blocklist", &objects).unwrap();
    let r = normalize::render(&batch, &[OutputFormat::Blocklist]);
    let domains = lines(&r, "domains.txt");
    assert!(!domains.contains("telemetry.example.com"));
    assert!(domains.contains("cdn-sync.example.org"));
    assert!(r.skipped.iter().any(|s| s.reason == SkipReason::Expired));
    let later = Timestamp::parse("2031-01-01T00:00:00.000Z").unwrap();
    let report = Router::with_default_config().route(&objects, &later);
    for dest in ["blocklist", "siem", "soar"] {
        let batch = report.batch(dest, &objects).unwrap();
        let r = normalize::render(&batch, &[OutputFormat::Blocklist, OutputFormat::Splunk]);
        assert!(r.files.is_empty(), "{dest}: {:?}", r.files);
        assert!(r.skipped.iter().all(|s| s.reason == SkipReason::Expired
            || s.reason == SkipReason::Revoked
            || s.reason == SkipReason::NotFlat));
        let x = normalize::xsoar_indicators(&batch);
        assert!(x.iter().all(|v| v["type"] == "Course of Action"), "{x:?}");
    }
}

#[test]
fn splunk_lookups_with_context_within_the_ceiling() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("siem", &objects).unwrap();
    let lookups = normalize::splunk_lookups(&batch);
    let table = |name: &str| lookups.iter().find(|l| l.name == name).unwrap();
    let ip = table("ip_intel");
    assert_eq!(ip.header, ["description", "ip", "weight"]);
    let ips: BTreeSet<&str> = ip.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ips, ["198.51.100.23", "2001:db8::4f"].into_iter().collect());
    let dom = table("domain_intel");
    assert_eq!(dom.header, ["description", "domain", "weight"]);
    assert_eq!(dom.rows.len(), 6);
    let file = table("file_intel");
    assert_eq!(
        file.header,
        ["description", "file_hash", "file_name", "weight"]
    );
    let hashes: BTreeSet<&str> = file.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(hashes.len(), 3);
    assert!(file.rows.iter().all(|r| r[2].is_empty() && r[3] == "60"));
    let http = table("http_intel");
    assert_eq!(
        http.header,
        [
            "description",
            "http_referrer",
            "http_user_agent",
            "url",
            "weight"
        ]
    );
    assert_eq!(http.rows[0][3], "https://files.example.net/invoice.zip");
    assert!(
        lookups.iter().all(|l| l.name != "email_intel"),
        "email is RED"
    );
    // Context: the GREEN phishing domain indicates NightOwl Loader (GREEN)
    // and GlassFrog RAT through an AMBER+STRICT relationship: only the
    // first may be named in an AMBER destination.
    let row = dom
        .rows
        .iter()
        .find(|r| r[1] == "login-example-bank.example")
        .unwrap();
    assert!(row[0].contains("indicates NightOwl Loader"), "{}", row[0]);
    // The AMBER domain indicates Sandpiper Stealer, used by Silent Marten.
    let row = dom
        .rows
        .iter()
        .find(|r| r[1] == "telemetry.example.com")
        .unwrap();
    assert!(row[0].contains("Sandpiper Stealer"), "{}", row[0]);
    assert!(row[0].contains("used by Silent Marten"), "{}", row[0]);
    let all: String = lookups.iter().map(|l| l.csv.clone()).collect();
    for above in [
        "GlassFrog RAT",
        "Copper Heron",
        "account-verify.example",
        "203.0.113.77",
    ] {
        assert!(!all.contains(above), "{above} leaked into the SIEM");
    }
    assert!(all.starts_with("description,"));
}

#[test]
fn tip_gets_campaign_context_and_misp_event() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("tip", &objects).unwrap();
    let records = normalize::records(&batch);
    let heron = records
        .iter()
        .find(|r| r["name"] == "Copper Heron")
        .expect("AMBER+STRICT actor in the TIP");
    assert_eq!(heron["tlp"], "amber+strict");
    let malware: Vec<&str> = heron["context"]["malware"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let malware: BTreeSet<&str> = malware.into_iter().collect();
    assert_eq!(
        malware,
        ["NightOwl Loader", "PaperCut Wiper"].into_iter().collect()
    );
    // Indicator → malware → actor → intrusion set → campaign.
    let ind = records
        .iter()
        .find(|r| r["pattern"] == "[domain-name:value = 'login-example-bank.example']")
        .unwrap();
    let names = |key: &str| -> Vec<String> {
        ind["context"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut indicates = names("indicates");
    indicates.sort();
    assert_eq!(indicates, ["NightOwl Loader"]);
    assert_eq!(names("used_by"), ["Copper Heron"]);
    assert!(
        names("campaigns").contains(&"Operation Low Tide".to_owned()),
        "{:?}",
        names("campaigns")
    );
    assert!(names("intrusion_sets").contains(&"Heron Cluster 1".to_owned()));

    let event = normalize::misp_event(&batch);
    let attrs = event["Event"]["Attribute"].as_array().unwrap();
    let find = |v: &str| attrs.iter().find(|a| a["value"] == v).unwrap();
    let a = find("login-example-bank.example");
    assert_eq!(
        (a["type"].as_str(), a["category"].as_str()),
        (Some("domain"), Some("Network activity"))
    );
    assert_eq!(a["to_ids"], true);
    let tags: Vec<&str> = a["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags[0], "tlp:green");
    assert!(tags.contains(&"misp-galaxy:malware=\"NightOwl Loader\""));
    assert!(tags.contains(&"misp-galaxy:threat-actor=\"Copper Heron\""));
    assert_eq!(
        find("secure-update.example.net")["Tag"][0]["name"],
        "tlp:amber+strict"
    );
    assert_eq!(find("cdn-sync.example.org")["Tag"][0]["name"], "tlp:green");
    assert_eq!(find("198.51.100.23")["type"], "ip-dst");
    assert_eq!(find("198.51.100.23")["Tag"][0]["name"], "tlp:clear");
    assert_eq!(find("3773a88f65a5e780c8dff9cdc3a056f3")["type"], "md5");
    assert_eq!(find("Global\\NightOwlLoaderMutex")["type"], "mutex");
    assert_eq!(
        find("Global\\NightOwlLoaderMutex")["category"],
        "Artifacts dropped"
    );
    let reg = find("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater");
    assert_eq!(
        (reg["type"].as_str(), reg["category"].as_str()),
        (Some("regkey"), Some("Persistence mechanism"))
    );
    // Compound and revoked values are context, never detections.
    let revoked = find("203.0.113.5");
    assert_eq!(revoked["to_ids"], false);
    let all = event.to_string();
    assert!(!all.contains("203.0.113.77") && !all.contains("account-verify.example"));
    assert!(!all.contains("tlp:red"));
    let event_tags: Vec<&str> = event["Event"]["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(event_tags[0], "tlp:amber+strict");
}

#[test]
fn xsoar_indicators_of_the_sample() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("soar", &objects).unwrap();
    let x = normalize::xsoar_indicators(&batch);
    let find = |v: &str| {
        x.iter()
            .find(|i| i["value"] == v)
            .unwrap_or_else(|| panic!("{v}"))
    };
    let d = find("telemetry.example.com");
    assert_eq!(d["type"], "Domain");
    assert_eq!(d["score"], 3);
    assert_eq!(d["fields"]["trafficlightprotocol"], "AMBER");
    let rel = &d["relationships"][0];
    assert_eq!(rel["name"], "indicator-of");
    assert_eq!(rel["entityB"], "Sandpiper Stealer");
    assert_eq!(rel["entityBType"], "Malware");
    assert_eq!(find("198.51.100.23")["type"], "IP");
    assert_eq!(
        find("198.51.100.23")["fields"]["trafficlightprotocol"],
        "CLEAR"
    );
    assert_eq!(find("2001:db8::4f")["type"], "IPv6");
    assert_eq!(find("https://files.example.net/invoice.zip")["type"], "URL");
    assert_eq!(
        find("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3")["type"],
        "File"
    );
    let coa = find("Hunt for loader hashes");
    assert_eq!(coa["type"], "Course of Action");
    // AMBER+STRICT course of action is above the SOAR's AMBER ceiling.
    assert!(x
        .iter()
        .all(|i| i["value"] != "Patch public-facing VPN appliances"));
    assert!(x.iter().all(|i| i["value"] != "203.0.113.5"), "revoked");
}

#[test]
fn restricted_gets_red_bundle_and_records() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("restricted", &objects).unwrap();
    assert!(batch
        .objects
        .iter()
        .all(|o| batch.markings_of(o.id().as_str()).unwrap().tlp == TlpLevel::Red));
    let r = normalize::render(&batch, &[OutputFormat::Stix, OutputFormat::Jsonl]);
    let bundle: serde_json::Value =
        serde_json::from_slice(&r.file("bundle.json").unwrap().bytes).unwrap();
    let ids: BTreeSet<&str> = bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    for o in &batch.objects {
        assert!(ids.contains(o.id().as_str()));
    }
    // The TLP:RED marking definitions travel with the objects.
    assert!(ids.contains("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"));
    assert!(ids.contains("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"));
    let text = text_of(&r);
    assert!(text.contains("203.0.113.77") && text.contains("account-verify.example"));
    // Same input, same bytes.
    let again = normalize::render(&batch, &[OutputFormat::Stix, OutputFormat::Jsonl]);
    assert_eq!(r, again);
}

#[test]
fn write_misp_event_writes_loadable_json() {
    let objects = sample();
    let report = route_default(&objects);
    let batch = report.batch("tip", &objects).unwrap();
    let dir = std::env::temp_dir().join(format!("libstix-route-misp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("event.json");
    normalize::write_misp_event(&batch, &path).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(v, normalize::misp_event(&batch));
    std::fs::remove_dir_all(&dir).unwrap();
}
