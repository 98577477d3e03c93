//! Normalisers over the real corpus (`shared/corpus/real/valid/**`): the
//! blocklists and Splunk lookups of the default configuration hold exactly
//! the values the input patterns contain, for the indicators that may go
//! there. The expectation is worked out here from the raw JSON (official
//! TLP ids, validity window, revocation) and the pattern grammar, not from
//! the router.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use stix_core::normalize::{self, OutputFormat};
use stix_core::route::Router;
use stix_core::tlp::TlpLevel;
use stix_core::{parse_document, StixObject, Timestamp};
use stix_pattern::{ObservableKind, StixVersion};

const NOW: &str = "2024-07-01T00:00:00.000Z";

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real/valid");
    assert!(root.is_dir(), "{} is missing", root.display());
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() > 50);
    out
}

fn official_level(id: &str) -> Option<TlpLevel> {
    Some(match id.to_ascii_lowercase().as_str() {
        "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
        | "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487" => TlpLevel::Clear,
        "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
        | "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb" => TlpLevel::Green,
        "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
        | "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" => TlpLevel::Amber,
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003" => TlpLevel::AmberStrict,
        "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
        | "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1" => TlpLevel::Red,
        _ => return None,
    })
}

fn word_level(w: &str) -> Option<TlpLevel> {
    Some(match w.to_ascii_lowercase().as_str() {
        "white" | "clear" => TlpLevel::Clear,
        "green" => TlpLevel::Green,
        "amber" => TlpLevel::Amber,
        "amber+strict" => TlpLevel::AmberStrict,
        "red" => TlpLevel::Red,
        _ => return None,
    })
}

/// The feed's own (non-official) marking definitions, with the TLP level
/// each states (in `definition.tlp`, whatever the definition type, or in
/// the TLP 2.0 extension), `None` for the others.
fn feed_levels(objects: &[Value]) -> HashMap<String, Option<TlpLevel>> {
    let mut out = HashMap::new();
    for o in objects {
        if o["type"] != "marking-definition" {
            continue;
        }
        let id = o["id"].as_str().unwrap_or_default();
        if official_level(id).is_some() {
            continue;
        }
        let stated = o["definition"]["tlp"]
            .as_str()
            .and_then(word_level)
            .or_else(|| {
                o["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]
                    ["tlp_2_0"]
                    .as_str()
                    .and_then(word_level)
            });
        out.insert(id.to_ascii_lowercase(), stated);
    }
    out
}

/// A marking's level: official, stated by the feed, none for the feed's
/// other markings, RED for a reference nobody defines (it fails closed).
fn marking_level(r: &str, feed: &HashMap<String, Option<TlpLevel>>) -> Option<TlpLevel> {
    official_level(r).or_else(|| match feed.get(&r.to_ascii_lowercase()) {
        Some(stated) => *stated,
        None => Some(TlpLevel::Red),
    })
}

fn level(o: &Value, feed: &HashMap<String, Option<TlpLevel>>) -> TlpLevel {
    let refs: Vec<&str> = o["object_marking_refs"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let official = refs.iter().filter_map(|r| official_level(r)).max();
    let mut l = official.unwrap_or(TlpLevel::Amber);
    for r in &refs {
        if let Some(f) = marking_level(r, feed) {
            l = l.max(f);
        }
    }
    for g in o["granular_markings"].as_array().into_iter().flatten() {
        if let Some(x) = g["marking_ref"]
            .as_str()
            .and_then(|r| marking_level(r, feed))
        {
            l = l.max(x);
        }
    }
    l
}

fn refs_of(o: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in o.as_object().unwrap() {
        if k == "object_marking_refs" || !(k.ends_with("_ref") || k.ends_with("_refs")) {
            continue;
        }
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => out.extend(a.iter().filter_map(Value::as_str).map(str::to_owned)),
            _ => {}
        }
    }
    out
}

fn list_of(kind: ObservableKind, alg: Option<&str>, object_type: &str) -> Option<String> {
    Some(match kind {
        ObservableKind::Hash if object_type == "x509-certificate" => {
            format!("x509-{}", alg?.to_ascii_lowercase().replace("sha-", "sha"))
        }
        ObservableKind::Domain => "domains".into(),
        ObservableKind::Ipv4 => "ipv4".into(),
        ObservableKind::Ipv6 => "ipv6".into(),
        ObservableKind::Ipv4Cidr | ObservableKind::Ipv6Cidr => "cidr".into(),
        ObservableKind::Url => "urls".into(),
        ObservableKind::EmailAddress => "emails".into(),
        ObservableKind::Hash => alg?.to_ascii_lowercase().replace("sha-", "sha"),
        _ => return None,
    })
}

/// What the default `blocklist` destination (AMBER ceiling) must hold.
fn expected_blocklists(raw: &[Value], now: &Timestamp) -> BTreeMap<String, BTreeSet<String>> {
    let feed = feed_levels(raw);
    let mut latest: HashMap<&str, &Value> = HashMap::new();
    for o in raw {
        let Some(id) = o["id"].as_str() else { continue };
        let version = |x: &Value| {
            x["modified"]
                .as_str()
                .or(x["created"].as_str())
                .and_then(|t| Timestamp::parse(t).ok())
        };
        match latest.get(id) {
            Some(prev) if version(prev) >= version(o) => {}
            _ => {
                latest.insert(id, o);
            }
        }
    }
    let mut levels: HashMap<&str, TlpLevel> = HashMap::new();
    for o in raw {
        if let Some(id) = o["id"].as_str() {
            let l = level(o, &feed);
            let e = levels.entry(id).or_insert(l);
            *e = (*e).max(l);
        }
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for o in latest.values() {
        if o["type"] != "indicator" || level(o, &feed) > TlpLevel::Amber {
            continue;
        }
        if refs_of(o)
            .iter()
            .any(|r| levels.get(r.as_str()).is_some_and(|l| *l > TlpLevel::Amber))
        {
            continue;
        }
        if o["revoked"] == true {
            continue;
        }
        if let Some(u) = o["valid_until"].as_str() {
            if Timestamp::parse(u).unwrap() <= *now {
                continue;
            }
        }
        if !matches!(o["pattern_type"].as_str(), None | Some("stix")) {
            continue;
        }
        let Some(pattern) = o["pattern"].as_str() else {
            continue;
        };
        let version = if o["spec_version"].is_string() {
            StixVersion::V21
        } else {
            StixVersion::V20
        };
        let Ok(p) = stix_pattern::parse(pattern, version) else {
            continue;
        };
        let obs = p.observables();
        if !obs.flat {
            continue;
        }
        for v in obs.observables {
            if !well_formed(v.kind, v.value.trim()) {
                continue;
            }
            if let Some(list) = list_of(v.kind, v.algorithm.as_deref(), &v.object_type) {
                out.entry(list)
                    .or_default()
                    .insert(v.value.trim().to_owned());
            }
        }
    }
    out
}

/// What may be listed, written here from the rules (host-name labels,
/// addresses, ranges of /8 or narrower for IPv4 and /16 for IPv6), not
/// taken from the library.
fn well_formed(kind: ObservableKind, v: &str) -> bool {
    let range = |v: &str, min: u8, max: u8, is_addr: &dyn Fn(&str) -> bool| {
        v.split_once('/').is_some_and(|(a, p)| {
            is_addr(a) && p.parse::<u8>().is_ok_and(|p| (min..=max).contains(&p))
        })
    };
    let v4 = |a: &str| a.parse::<std::net::Ipv4Addr>().is_ok();
    let v6 = |a: &str| a.parse::<std::net::Ipv6Addr>().is_ok();
    !v.is_empty()
        && !v.chars().any(char::is_control)
        && match kind {
            ObservableKind::Domain => v.trim_end_matches('.').split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            }),
            ObservableKind::Ipv4 => v4(v),
            ObservableKind::Ipv6 => v6(v),
            ObservableKind::Ipv4Cidr => range(v, 8, 32, &v4),
            ObservableKind::Ipv6Cidr => range(v, 16, 128, &v6),
            _ => true,
        }
}

fn raw_objects(bytes: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    match v.get("objects") {
        Some(Value::Array(a)) => a.clone(),
        _ => vec![v],
    }
}

#[test]
fn blocklists_and_lookups_hold_exactly_the_pattern_values() {
    let now = Timestamp::parse(NOW).unwrap();
    let router = Router::with_default_config();
    let mut total = 0usize;
    let mut files_with_values = 0usize;
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let doc = parse_document(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let objects: Vec<StixObject> = doc.objects().cloned().collect();
        let raw = raw_objects(&bytes);
        let report = router.route(&objects, &now);
        let batch = report.batch("blocklist", &objects).unwrap();
        let rendered = normalize::render(&batch, &[OutputFormat::Blocklist]);
        let got: BTreeMap<String, BTreeSet<String>> = rendered
            .files
            .iter()
            .map(|f| {
                (
                    f.path.trim_end_matches(".txt").to_owned(),
                    String::from_utf8(f.bytes.clone())
                        .unwrap()
                        .lines()
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect();
        let expected = expected_blocklists(&raw, &now);
        assert_eq!(got, expected, "{}", path.display());
        let n: usize = expected.values().map(BTreeSet::len).sum();
        total += n;
        files_with_values += usize::from(n > 0);

        // The SIEM has the same ceiling and rule: its ip_intel and
        // domain_intel lookups hold the same values.
        let siem = report.batch("siem", &objects).unwrap();
        let lookups = normalize::splunk_lookups(&siem);
        let column = |table: &str, col: usize| -> BTreeSet<String> {
            lookups
                .iter()
                .find(|l| l.name == table)
                .map(|l| l.rows.iter().map(|r| r[col].clone()).collect())
                .unwrap_or_default()
        };
        let ips: BTreeSet<String> = ["ipv4", "ipv6", "cidr"]
            .iter()
            .flat_map(|k| expected.get(*k).cloned().unwrap_or_default())
            .collect();
        assert_eq!(column("ip_intel", 1), ips, "{}", path.display());
        assert_eq!(
            column("domain_intel", 1),
            expected.get("domains").cloned().unwrap_or_default(),
            "{}",
            path.display()
        );
    }
    eprintln!("{total} blocklist values from {files_with_values} corpus files");
    assert!(total >= 20, "the corpus gave only {total} values");
    assert!(
        files_with_values >= 8,
        "only {files_with_values} files had values"
    );
}

#[test]
fn every_format_renders_for_every_corpus_file() {
    let now = Timestamp::parse(NOW).unwrap();
    let router = Router::with_default_config();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).unwrap();
        let doc = parse_document(&bytes).unwrap();
        let objects: Vec<StixObject> = doc.objects().cloned().collect();
        let report = router.route(&objects, &now);
        for dest in report.destinations.keys() {
            let batch = report.batch(dest, &objects).unwrap();
            let r = normalize::render(&batch, &OutputFormat::ALL);
            for f in &r.files {
                if f.path.ends_with(".json") {
                    serde_json::from_slice::<Value>(&f.bytes)
                        .unwrap_or_else(|e| panic!("{} {dest}/{}: {e}", path.display(), f.path));
                }
                if f.path.ends_with(".jsonl") {
                    for line in f.bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                        serde_json::from_slice::<Value>(line).unwrap();
                    }
                }
            }
            // Nothing routed above the ceiling.
            for o in &batch.objects {
                assert!(batch.markings_of(o.id().as_str()).unwrap().tlp <= batch.max_tlp);
            }
        }
    }
}
