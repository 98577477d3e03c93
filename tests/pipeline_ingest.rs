//! The main job on real inputs: the bundled sample feed, its update with a
//! revoked indicator, and the whole real corpus. Outputs are read back from
//! disk and checked value by value against what the input patterns contain.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use libstix::core::tlp::TlpLevel;
use libstix::core::{StixObject, Timestamp};
use libstix::pipeline::{ingest, render_text, version_key, IngestOptions, IngestReport, Source};

mod pipeline_support;
use pipeline_support::*;

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

#[test]
fn an_unreadable_source_is_reported_and_the_good_one_still_lands() {
    let dir = scratch("bad-source");
    let garbage = dir.join("garbage.json");
    std::fs::write(
        &garbage,
        b"{\"type\": \"bundle\", \"objects\": [ {\"type\": ",
    )
    .unwrap();
    let missing = dir.join("missing.json");
    let o = options(&dir, &[garbage.clone(), sample(), missing], NOW);
    let report = run(&o);
    assert!(!report.all_sources_read());
    assert_eq!(report.input.failed_sources.len(), 2);
    let (label, why) = &report.input.failed_sources[0];
    assert_eq!(label, &garbage.display().to_string());
    assert!(why.contains("line 1"), "{why}");
    assert_eq!(report.stored.new, 89, "the sample beside it was stored");
    assert!(render_text(&report).contains("NOT READ"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_configuration_file_decides_destinations_and_ceilings() {
    let dir = scratch("config");
    let cfg = dir.join("routes.toml");
    std::fs::write(
        &cfg,
        r#"
[settings]
unmarked_tlp = "red"

[destinations.partner]
max_tlp = "green"
formats = ["blocklist"]

[[rule]]
name = "everything to the partner"
destinations = ["partner"]

[publish]
default_max_tlp = "clear"
"#,
    )
    .unwrap();
    let mut o = options(&dir, &[sample()], NOW);
    o.config = libstix::pipeline::IngestConfig::from_file(&cfg).unwrap();
    assert_eq!(o.config.publish.default_max_tlp, TlpLevel::Clear);
    let report = run(&o);
    assert_eq!(report.unmarked_tlp, TlpLevel::Red);
    assert_eq!(
        report.destinations.keys().collect::<Vec<_>>(),
        ["partner"],
        "only the configured destination"
    );
    assert!(!o.out_dir.join("siem").exists());
    let lists = blocklists(&o.out_dir.join("partner"));
    // CLEAR and GREEN flat indicators only; unmarked ones now count as RED.
    let domains = &lists["domains"];
    assert!(domains.contains("login-example-bank.example"));
    assert!(domains.contains("cdn-sync.example.org"));
    assert!(
        !domains.contains("a.example.com"),
        "unmarked counts as RED here"
    );
    assert!(
        !lists.contains_key("ipv6"),
        "the IPv6 indicator is unmarked"
    );
    let withheld = report
        .withheld
        .iter()
        .filter(|w| w.destination == "partner")
        .count();
    assert_eq!(withheld, report.destinations["partner"].withheld);
    assert!(withheld > 0);
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[destinations.x]\nmax_tlp = \"purple\"\n").unwrap();
    let err = libstix::pipeline::IngestConfig::from_file(&bad).unwrap_err();
    assert!(
        matches!(err, libstix::pipeline::PipelineError::Config { .. }),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The summary counts an object at its most restrictive official TLP
/// marking, granular ones included, as routing does: a granular TLP:RED on
/// the pattern makes the whole indicator count as TLP:RED, not unmarked.
#[test]
fn the_summary_counts_granular_tlp_like_routing() {
    let dir = scratch("granular-summary");
    let red2 = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let red1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
    let green1 = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    let indicator = |n: u32, extra: serde_json::Value| {
        let mut o = serde_json::json!({
            "type": "indicator", "spec_version": "2.1",
            "id": format!("indicator--{n:08x}-1b2c-4d3e-8f40-123456789abc"),
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
            "name": format!("n{n}"), "pattern_type": "stix",
            "pattern": format!("[domain-name:value = 'd{n}.example']"),
            "valid_from": "2024-01-01T00:00:00Z"
        });
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    let bundle = serde_json::json!({
        "type": "bundle", "id": "bundle--0c7b5b88-8ff7-4a4d-aa9c-feb398cd0061",
        "objects": [
            indicator(1, serde_json::json!({"granular_markings": [{"marking_ref": red2, "selectors": ["pattern"]}]})),
            indicator(2, serde_json::json!({"object_marking_refs": [green1, red1]})),
            indicator(3, serde_json::json!({"object_marking_refs": [red2]})),
            indicator(4, serde_json::json!({"object_marking_refs": [green1],
                "granular_markings": [{"marking_ref": red1, "selectors": ["name"]}]})),
            indicator(5, serde_json::json!({})),
        ]
    });
    let file = dir.join("granular.json");
    std::fs::write(&file, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let r = run(&options(&dir, &[file], NOW));
    let count = |level: Option<TlpLevel>| -> usize {
        r.input
            .by_tlp
            .iter()
            .filter(|((l, _), _)| *l == level)
            .map(|(_, n)| n)
            .sum()
    };
    assert_eq!(count(Some(TlpLevel::Red)), 4, "{:?}", r.input.by_tlp);
    assert_eq!(count(None), 1, "{:?}", r.input.by_tlp);
    let red_now: usize = r
        .current_by_tlp
        .values()
        .filter_map(|m| m.get(&TlpLevel::Red))
        .sum();
    assert_eq!(red_now, 4, "routing and the summary agree");
}

/// Grammatical JSON that the parser cannot hold (a number beyond the range
/// of a float, nesting deeper than the parser's limit) inside one object
/// makes that object invalid; the objects beside it still land.
#[test]
fn an_object_beyond_the_parser_limits_does_not_take_its_bundle_down() {
    let base = run(&options(&scratch("beyond-limits-base"), &[sample()], NOW));
    let dir = scratch("beyond-limits");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample()).unwrap()).unwrap();
    let objects = v["objects"].as_array().unwrap();
    let n = objects.len();
    // The two faults go into the first and the last object as text (a
    // Value cannot hold them).
    let mut elements: Vec<String> = objects.iter().map(|o| o.to_string()).collect();
    elements[0] = elements[0].replacen('{', "{\"x_huge\": 1e400, ", 1);
    let deep = format!("{{\"x_deep\": {}1{}, ", "[".repeat(200), "]".repeat(200));
    elements[n - 1] = elements[n - 1].replacen('{', &deep, 1);
    let text = format!(
        "{{\"type\": \"bundle\", \"id\": \"{}\", \"objects\": [\n{}\n]}}",
        v["id"].as_str().unwrap(),
        elements.join(",\n")
    );
    let file = dir.join("limits.json");
    std::fs::write(&file, &text).unwrap();
    let r = run(&options(&dir, &[file], NOW));
    assert!(
        r.input.failed_sources.is_empty(),
        "{:?}",
        r.input.failed_sources
    );
    assert_eq!(r.input.objects, n, "every element is accounted for");
    assert_eq!(r.input.invalid.len(), 2, "{:?}", r.input.invalid);
    let stored = |r: &IngestReport| r.stored.new + r.stored.new_versions + r.stored.unchanged;
    assert_eq!(stored(&r) + 2, stored(&base), "everything else landed");
}

/// A feed cut short: the objects before the cut are read and kept, and the
/// summary says the source was not read to the end and how far it got.
#[test]
fn a_truncated_feed_keeps_what_came_before_and_says_so() {
    let dir = scratch("truncated");
    let text = std::fs::read(sample()).unwrap();
    let file = dir.join("cut.json");
    std::fs::write(&file, &text[..text.len() / 2]).unwrap();
    let r = run(&options(&dir, &[file], NOW));
    let (_, why) = &r.input.failed_sources[0];
    let kept = r.stored.new as usize;
    assert!(kept > 10, "{kept}");
    assert!(
        why.contains(&format!(
            "only the {} objects before it were read",
            r.input.objects
        )),
        "{why}"
    );
    assert!(render_text(&r).contains("NOT READ (or not to the end)"));
}

/// A file holding one object (not a bundle) lands when valid; when a
/// property is named twice (a TLP:RED marking hidden behind a later
/// TLP:GREEN one) it is an invalid object with its reason, never dropped
/// in silence and never stored at the lower level.
#[test]
fn a_lone_object_lands_or_is_reported_invalid() {
    let dir = scratch("lone-object");
    let indicator = |refs: &str| {
        format!(
            r#"{{"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z", "pattern": "[domain-name:value = 'lone.example']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z", {refs}}}"#
        )
    };
    let red =
        r#""object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]"#;
    let green =
        r#""object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]"#;

    let good = dir.join("good.json");
    std::fs::write(&good, indicator(green)).unwrap();
    let r = run(&options(&dir.join("a"), &[good], NOW));
    assert_eq!((r.input.objects, r.input.invalid.len()), (1, 0));
    assert_eq!(r.stored.new, 1);
    let domains = std::fs::read_to_string(dir.join("a/out/blocklist/domains.txt")).unwrap();
    assert!(domains.lines().any(|l| l == "lone.example"), "{domains}");

    let twice = dir.join("twice.json");
    std::fs::write(&twice, indicator(&format!("{red}, {green}"))).unwrap();
    let r = run(&options(&dir.join("b"), &[twice], NOW));
    assert_eq!(r.input.objects, 1);
    assert_eq!(r.input.invalid.len(), 1, "{:?}", r.input.invalid);
    assert!(
        r.input.invalid[0].reason.contains("more than once"),
        "{:?}",
        r.input.invalid[0]
    );
    assert_eq!(r.stored.new, 0);
    let out = dir.join("b/out");
    for entry in walk(&out) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(!text.contains("lone.example"), "{}", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

/// Markings that cannot be read fail closed, end to end: an invalid
/// feed-defined TLP:RED definition (not stored, so unresolved), a `TLP`
/// definition type in capitals, a reference nobody defines; and the text of
/// a statement marking that is itself RED never travels with the GREEN
/// objects that cite it.
#[test]
fn unreadable_markings_keep_content_in_restricted() {
    let dir = scratch("unreadable-markings");
    const T: &str = "2024-06-01T00:00:00.000Z";
    const GREEN: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    const RED: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let md = |n: u32, extra: serde_json::Value| {
        let mut v = serde_json::json!({"type": "marking-definition", "spec_version": "2.1",
            "id": format!("marking-definition--00000000-0000-4000-8000-{n:012}"), "created": T});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };
    let ind = |n: u32, domain: &str, refs: Vec<String>| {
        serde_json::json!({"type": "indicator", "spec_version": "2.1",
            "id": format!("indicator--00000000-0000-4000-8000-{n:012}"), "created": T, "modified": T,
            "pattern": format!("[domain-name:value = '{domain}']"), "pattern_type": "stix",
            "valid_from": T, "object_marking_refs": refs})
    };
    // Invalid: a TLP definition must use an official id (STIX-MK-04).
    let invalid_tlp = md(
        1,
        serde_json::json!({"definition_type": "tlp", "definition": {"tlp": "red"}}),
    );
    let upper_tlp = md(
        2,
        serde_json::json!({"definition_type": "TLP", "definition": {"tlp": "RED"}}),
    );
    let red_statement = md(
        3,
        serde_json::json!({"definition_type": "statement",
        "definition": {"statement": "SECRET-STATEMENT-TEXT"}, "object_marking_refs": [RED]}),
    );
    let id = |v: &serde_json::Value| v["id"].as_str().unwrap().to_owned();
    let undefined = "marking-definition--00000000-0000-4000-8000-000000000009".to_owned();
    let objects = vec![
        invalid_tlp.clone(),
        upper_tlp.clone(),
        red_statement.clone(),
        ind(
            11,
            "invalid-def.example",
            vec![GREEN.into(), id(&invalid_tlp)],
        ),
        ind(12, "upper-def.example", vec![id(&upper_tlp)]),
        ind(13, "undefined-ref.example", vec![GREEN.into(), undefined]),
        ind(
            14,
            "cites-red-statement.example",
            vec![GREEN.into(), id(&red_statement)],
        ),
    ];
    let file = dir.join("feed.json");
    let bundle = serde_json::json!({"type": "bundle",
        "id": "bundle--00000000-0000-4000-8000-000000000001", "objects": objects});
    std::fs::write(&file, bundle.to_string()).unwrap();
    let r = run(&options(&dir, &[file], NOW));
    assert_eq!(r.input.invalid.len(), 1, "{:?}", r.input.invalid);

    let out = dir.join("out");
    let restricted = out.join("restricted");
    let mut shared_text = String::new();
    let mut restricted_text = String::new();
    for f in walk(&out) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        if f.starts_with(&restricted) {
            restricted_text.push_str(&text);
        } else {
            shared_text.push_str(&text);
        }
    }
    for secret in [
        "invalid-def.example",
        "upper-def.example",
        "undefined-ref.example",
        "SECRET-STATEMENT-TEXT",
    ] {
        assert!(!shared_text.contains(secret), "{secret} left restricted/");
        assert!(
            restricted_text.contains(secret),
            "{secret} missing from restricted/"
        );
    }
    // The GREEN indicator citing the RED statement is still shared.
    let domains = std::fs::read_to_string(out.join("blocklist/domains.txt")).unwrap();
    assert!(
        domains.lines().any(|l| l == "cites-red-statement.example"),
        "{domains}"
    );
    assert_eq!(r.unresolved_tlp, TlpLevel::Red);
}
