//! The main job on real inputs: the bundled sample feed, its update with a
//! revoked indicator, and the whole real corpus. Outputs are read back from
//! disk and checked value by value against what the input patterns contain.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use libstix::core::marking::MarkingResolver;
use libstix::core::normalize::blocklist::list_name;
use libstix::core::normalize::values::is_line_safe;
use libstix::core::normalize::xsoar::xsoar_type;
use libstix::core::route::Router;
use libstix::core::tlp::TlpLevel;
use libstix::core::{StixObject, Timestamp};
use libstix::pattern::{ObservableKind, StixVersion};
use libstix::pipeline::{ingest, render_text, version_key, IngestOptions, IngestReport, Source};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared(rel: &str) -> PathBuf {
    let p = root().join("../shared").join(rel);
    assert!(
        p.exists(),
        "{} is missing: the shared corpus is required",
        p.display()
    );
    p
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("libstix-pipeline-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn options(dir: &Path, files: &[PathBuf], now: &str) -> IngestOptions {
    let mut o = IngestOptions::new(files.iter().cloned().map(Source::File).collect());
    o.db = dir.join("store.db");
    o.out_dir = dir.join("out");
    o.now = Some(Timestamp::parse(now).unwrap());
    o
}

fn run(o: &IngestOptions) -> IngestReport {
    let mut calls = 0;
    let r = ingest(o, &mut |_| calls += 1).unwrap();
    assert!(calls > 0, "no progress was reported");
    r
}

const NOW: &str = "2026-06-01T00:00:00.000Z";

fn sample() -> PathBuf {
    root().join("data/sample-feed.json")
}

fn update() -> PathBuf {
    root().join("data/sample-feed-update.json")
}

/// Every object of the inputs, newest version of each id.
fn load_latest(files: &[PathBuf]) -> Vec<StixObject> {
    let mut latest: HashMap<String, StixObject> = HashMap::new();
    for f in files {
        let doc = libstix::core::parse_document(&std::fs::read(f).unwrap()).unwrap();
        for o in doc.objects() {
            let key = |x: &StixObject| {
                x.modified()
                    .or(x.created())
                    .map(|t| version_key(t.as_str()))
                    .unwrap_or_default()
            };
            let id = o.id().as_str().to_owned();
            match latest.get(&id) {
                Some(old) if key(old) >= key(o) => {}
                _ => {
                    latest.insert(id, o.clone());
                }
            }
        }
    }
    latest.into_values().collect()
}

/// What the input patterns say each destination may list: usable values
/// (indicator routed there, not revoked, not expired, flat pattern, not
/// above the ceiling) with their kind and hash algorithm.
struct Expected {
    /// (kind, algorithm, value) of usable values, once each.
    usable: Vec<(ObservableKind, Option<String>, String)>,
    /// Values given only by indicators above the ceiling.
    forbidden: BTreeSet<String>,
}

fn expected(objects: &[StixObject], ceiling: TlpLevel, now: &Timestamp) -> Expected {
    let router = Router::with_default_config();
    let mut resolver = MarkingResolver::new(router.marking_settings());
    resolver.add_objects(objects);
    let mut usable = Vec::new();
    let mut seen = BTreeSet::new();
    let mut allowed_values = BTreeSet::new();
    let mut above_values = BTreeSet::new();
    for o in objects {
        let StixObject::Indicator(i) = o else {
            continue;
        };
        if i.pattern_type.as_deref().unwrap_or("stix") != "stix" {
            continue;
        }
        let version = if o.spec_version().is_some() {
            StixVersion::V21
        } else {
            StixVersion::V20
        };
        let Ok(p) = libstix::pattern::parse(i.pattern.as_deref().unwrap_or(""), version) else {
            continue;
        };
        let obs = p.observables();
        let m = resolver.markings_of(o);
        let above = m.tlp > ceiling || m.level_of("pattern").max(m.base_level()) > ceiling;
        for v in &obs.observables {
            if above {
                above_values.insert(v.value.trim().to_owned());
            } else {
                allowed_values.insert(v.value.trim().to_owned());
            }
        }
        let revoked = o.revoked() == Some(true);
        let expired = i.valid_until.as_ref().is_some_and(|u| u <= now);
        if above || revoked || expired || !obs.flat {
            continue;
        }
        for v in obs.observables {
            let key = (
                format!("{:?}", v.kind),
                v.algorithm.clone(),
                v.value.trim().to_owned(),
            );
            if is_line_safe(v.value.trim()) && seen.insert(key) {
                usable.push((v.kind, v.algorithm.clone(), v.value.trim().to_owned()));
            }
        }
    }
    Expected {
        usable,
        forbidden: above_values.difference(&allowed_values).cloned().collect(),
    }
}

fn read_lines(p: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The blocklist files of a destination, by list name.
fn blocklists(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            out.insert(name, read_lines(&p));
        }
    }
    out
}

/// Value cells of every Splunk lookup of a destination.
fn splunk_values(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let mut r = csv::Reader::from_path(&p).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
            assert_eq!(header[0], "description", "{}", p.display());
            assert_eq!(header.last().unwrap(), "weight", "{}", p.display());
            for row in r.records() {
                let row = row.unwrap();
                for (c, cell) in header.iter().zip(row.iter()) {
                    if c != "description" && c != "weight" && !cell.is_empty() {
                        out.insert(cell.to_owned());
                    }
                }
            }
        }
    }
    out
}

fn xsoar_values(dir: &Path) -> BTreeSet<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("xsoar-indicators.json")).unwrap())
            .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            x["fields"]["stixid"]
                .as_str()
                .unwrap()
                .starts_with("indicator--")
        })
        .map(|x| x["value"].as_str().unwrap().to_owned())
        .collect()
}

/// MISP attribute values by `to_ids`.
fn misp_values(dir: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("misp-event.json")).unwrap())
            .unwrap();
    let mut ids = BTreeSet::new();
    let mut context = BTreeSet::new();
    for a in v["Event"]["Attribute"].as_array().unwrap() {
        let val = a["value"].as_str().unwrap().to_owned();
        if a["to_ids"] == true {
            ids.insert(val);
        } else {
            context.insert(val);
        }
    }
    (ids, context)
}

fn all_text_under(dir: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            s.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    s
}

/// Checks every destination's files against what the inputs say.
fn check_outputs(report: &IngestReport, out: &Path, objects: &[StixObject], now: &Timestamp) {
    let config = Router::with_default_config();
    for (name, dest) in &config.config().destinations {
        let dir = out.join(name);
        assert!(dir.is_dir(), "no folder for destination {name}");
        let exp = expected(objects, dest.max_tlp, now);
        let text = all_text_under(&dir);
        // 1. Nothing above the ceiling, in any file of the destination. A
        //    JSON file may escape characters, so look for both spellings.
        for v in &exp.forbidden {
            let escaped = serde_json::to_string(v).unwrap();
            assert!(
                !text.contains(v.as_str()) && !text.contains(&escaped[1..escaped.len() - 1]),
                "{name}: value {v:?} of an indicator above {} found",
                dest.max_tlp
            );
        }
        let formats = &report.destinations[name];
        // 2. Blocklists: exactly the usable values, list by list.
        if formats.files.iter().any(|f| f.ends_with(".txt")) || name == "blocklist" {
            let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (k, alg, v) in &exp.usable {
                if let Some(list) = list_name(*k, alg.as_deref()) {
                    want.entry(list).or_default().insert(v.clone());
                }
            }
            assert_eq!(blocklists(&dir), want, "{name}: blocklists");
        }
        // 3. Splunk lookups: the value cells are exactly the usable values
        //    of the kinds ES has a lookup column for.
        if formats.files.iter().any(|f| f.ends_with(".csv")) {
            use ObservableKind::*;
            let want: BTreeSet<String> = exp
                .usable
                .iter()
                .filter(|(k, _, _)| {
                    matches!(
                        k,
                        Ipv4 | Ipv6
                            | Ipv4Cidr
                            | Ipv6Cidr
                            | Domain
                            | Hash
                            | FileName
                            | Url
                            | UserAgent
                            | EmailAddress
                            | EmailSubject
                            | RegistryKey
                    )
                })
                .map(|(_, _, v)| v.clone())
                .collect();
            assert_eq!(splunk_values(&dir), want, "{name}: Splunk lookups");
        }
        // 4. XSOAR: one indicator per usable value of a kind XSOAR knows.
        if formats.files.iter().any(|f| f == "xsoar-indicators.json") {
            let want: BTreeSet<String> = exp
                .usable
                .iter()
                .filter(|(k, _, _)| xsoar_type(*k).is_some())
                .map(|(_, _, v)| v.clone())
                .collect();
            assert_eq!(xsoar_values(&dir), want, "{name}: XSOAR indicators");
        }
        // 5. MISP: every detection attribute is a usable value, and every
        //    usable network or hash value is a detection attribute.
        if formats.files.iter().any(|f| f == "misp-event.json") {
            let (ids, _) = misp_values(&dir);
            let usable: BTreeSet<&String> = exp.usable.iter().map(|(_, _, v)| v).collect();
            for v in &ids {
                assert!(
                    usable.contains(v),
                    "{name}: MISP to_ids value {v:?} is not usable"
                );
            }
            use ObservableKind::*;
            for (k, _, v) in &exp.usable {
                if matches!(k, Domain | Ipv4 | Ipv6 | Url | Hash | EmailAddress) {
                    assert!(ids.contains(v), "{name}: MISP lacks detection value {v:?}");
                }
            }
        }
    }
}

#[test]
fn sample_feed_routes_red_only_to_restricted_and_outputs_match_patterns() {
    let dir = scratch("sample");
    let o = options(&dir, &[sample()], NOW);
    let report = run(&o);
    assert!(report.all_sources_read());
    assert_eq!(report.input.objects, 89);
    assert!(report.input.invalid.is_empty());
    assert_eq!(report.stored.new, 89);
    let now = Timestamp::parse(NOW).unwrap();
    let objects = load_latest(&[sample()]);
    check_outputs(&report, &o.out_dir, &objects, &now);

    // Read by hand from the feed's markings: the firewall lists get the
    // CLEAR/GREEN/AMBER and unmarked (counted as AMBER) flat indicators,
    // minus the revoked one and the one whose valid_until passed.
    let bl = blocklists(&o.out_dir.join("blocklist"));
    let set = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        bl["domains"],
        set(&[
            "a.example.com",
            "b.example.com",
            "c.example.com",
            "cdn-sync.example.org",
            "login-example-bank.example"
        ])
    );
    assert_eq!(bl["ipv4"], set(&["198.51.100.23"]));
    assert_eq!(bl["ipv6"], set(&["2001:db8::4f"]));
    assert_eq!(bl["urls"], set(&["https://files.example.net/invoice.zip"]));
    assert!(!bl.contains_key("cidr"), "192.0.2.0/24 is TLP:RED");
    assert!(!bl.contains_key("emails"), "the phishing sender is TLP:RED");

    // TLP:RED values: only under restricted, and there in full.
    let red_values = [
        "203.0.113.77",
        "192.0.2.0/24",
        "svchost32.exe",
        "billing@example-invoices.example",
        "account-verify.example",
    ];
    for name in report.destinations.keys() {
        let text = all_text_under(&o.out_dir.join(name));
        for v in red_values {
            assert_eq!(
                text.contains(v),
                name == "restricted",
                "{v} in {name}: TLP:RED content belongs only under restricted"
            );
        }
    }
    let bundle: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(o.out_dir.join("restricted/bundle.json")).unwrap(),
    )
    .unwrap();
    let mut red_ids = 0;
    for obj in bundle["objects"].as_array().unwrap() {
        if obj["type"] == "marking-definition" {
            continue;
        }
        red_ids += 1;
    }
    assert_eq!(red_ids, 14, "every TLP:RED object, nothing else");
    for (name, d) in &report.destinations {
        let red = d
            .objects
            .values()
            .filter_map(|b| b.get(&TlpLevel::Red))
            .sum::<usize>();
        assert_eq!(red > 0, name == "restricted", "{name}");
    }
    let text = render_text(&report);
    for needle in [
        "TLP:RED: 14 current objects; routed only to: restricted",
        "unmarked objects count as TLP:AMBER",
        "withheld from siem",
        "  restricted   TLP:RED",
        "+ domains.txt: login-example-bank.example",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }

    // A second run over the same feed changes nothing.
    let again = run(&o);
    assert_eq!(again.stored.unchanged, 89);
    assert_eq!((again.added_total(), again.removed_total()), (0, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn revoked_and_replaced_values_leave_every_blocklist_and_lookup() {
    let dir = scratch("revoke");
    let o = options(&dir, &[sample()], NOW);
    run(&o);
    let revoked = "login-example-bank.example";
    let replaced = "https://files.example.net/invoice.zip";
    let fresh = [
        "update-check.example.org",
        "https://files.example.net/statement.zip",
    ];
    for v in [revoked, replaced] {
        assert!(read_lines(&o.out_dir.join("blocklist/domains.txt"))
            .union(&read_lines(&o.out_dir.join("blocklist/urls.txt")))
            .any(|x| x == v));
    }

    let o2 = options(&dir, &[update()], NOW);
    let report = run(&o2);
    assert_eq!(report.stored.new_versions, 2);
    assert_eq!(report.stored.new, 1);
    let now = Timestamp::parse(NOW).unwrap();
    // The outputs are the store's current state: both files, newest wins.
    let objects = load_latest(&[sample(), update()]);
    check_outputs(&report, &o.out_dir, &objects, &now);

    for name in ["blocklist", "siem", "soar"] {
        let d = o.out_dir.join(name);
        let mut values = blocklists(&d)
            .into_values()
            .flatten()
            .collect::<BTreeSet<_>>();
        if name == "siem" {
            values = splunk_values(&d);
        }
        if name == "soar" {
            values = xsoar_values(&d);
        }
        assert!(
            !values.contains(revoked),
            "{name} still lists the revoked value"
        );
        assert!(
            !values.contains(replaced),
            "{name} still lists the old value"
        );
        for f in fresh {
            assert!(values.contains(f), "{name} lacks the new value {f}");
        }
        let dest = &report.destinations[name];
        let removed: Vec<(&str, &str)> = dest
            .removed
            .iter()
            .map(|r| (r.entry.value.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(removed.len(), 2, "{name}: {removed:?}");
        assert!(
            removed
                .iter()
                .any(|(v, why)| *v == revoked && why.starts_with("revoked")),
            "{name}: {removed:?}"
        );
        assert!(
            removed
                .iter()
                .any(|(v, why)| *v == replaced && why.starts_with("replaced by")),
            "{name}: {removed:?}"
        );
        assert_eq!(dest.added.len(), 2, "{name}");
    }
    // The TIP's MISP event keeps the revoked value as context only.
    let (ids, context) = misp_values(&o.out_dir.join("tip"));
    assert!(!ids.contains(revoked) && context.contains(revoked));
    assert!(!ids.contains(replaced) && !context.contains(replaced));
    let text = render_text(&report);
    assert!(
        text.contains("- domains.txt: login-example-bank.example (revoked"),
        "{text}"
    );
    assert!(
        text.contains("8 added, 8 removed since the last run"),
        "{text}"
    );

    // The store keeps both versions and the index knows which is current.
    let store = libstix::pipeline::Store::open(&o.db).unwrap();
    let hits = store.find_observable(replaced).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].current);
    assert_eq!(store.versions(&hits[0].indicator_id).unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_indicator_leaves_the_lists_when_its_validity_window_ends() {
    let dir = scratch("expiry");
    let before = options(&dir, &[sample()], "2024-12-30T00:00:00Z");
    run(&before);
    // telemetry.example.com (TLP:AMBER) is valid until 2024-12-31.
    assert!(
        read_lines(&before.out_dir.join("blocklist/domains.txt")).contains("telemetry.example.com")
    );
    let after = options(&dir, &[], "2025-01-01T00:00:00Z");
    let report = run(&after);
    assert!(
        !read_lines(&after.out_dir.join("blocklist/domains.txt")).contains("telemetry.example.com")
    );
    let r = &report.destinations["blocklist"].removed;
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].reason.starts_with("expired"), "{r:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_real_corpus_ingests_and_every_output_matches_its_patterns() {
    let base = shared("corpus/real/valid");
    let mut files = Vec::new();
    let mut stack = vec![base];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 50, "corpus too small: {}", files.len());
    let dir = scratch("corpus");
    let o = options(&dir, &files, NOW);
    let report = run(&o);
    assert!(
        report.all_sources_read(),
        "{:?}",
        report.input.failed_sources
    );
    assert_eq!(report.input.sources.len(), files.len());
    let invalid: Vec<_> = report
        .input
        .invalid
        .iter()
        .filter(|i| i.object_type != "bundle")
        .collect();
    assert!(
        invalid.is_empty(),
        "valid corpus objects refused: {invalid:?}"
    );
    let objects = load_latest(&files);
    assert_eq!(report.stored.current_objects as usize, objects.len());
    let now = Timestamp::parse(NOW).unwrap();
    check_outputs(&report, &o.out_dir, &objects, &now);
    // The corpus has indicators that flatten: the lists are not empty.
    let bl = blocklists(&o.out_dir.join("blocklist"));
    assert!(bl.values().map(BTreeSet::len).sum::<usize>() > 10, "{bl:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
