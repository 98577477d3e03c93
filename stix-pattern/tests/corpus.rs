//! Every STIX indicator pattern in the shared real corpus (`valid/**`) parses without errors
//! and yields its comparisons and observables.

use serde_json::Value;
use std::path::{Path, PathBuf};
use stix_pattern::{parse, StixVersion};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// (pattern, version) of every indicator with a STIX pattern, wherever it is nested.
fn indicators(v: &Value, inherited_21: bool, out: &mut Vec<(String, StixVersion)>) {
    match v {
        Value::Object(m) => {
            let is_21 =
                inherited_21 || m.get("spec_version").and_then(Value::as_str) == Some("2.1");
            if m.get("type").and_then(Value::as_str) == Some("indicator") {
                let stix = !matches!(m.get("pattern_type").and_then(Value::as_str), Some(t) if t != "stix");
                if let (true, Some(p)) = (stix, m.get("pattern").and_then(Value::as_str)) {
                    let v = if is_21 || m.contains_key("pattern_type") {
                        StixVersion::V21
                    } else {
                        StixVersion::V20
                    };
                    out.push((p.to_string(), v));
                }
            }
            m.values().for_each(|x| indicators(x, is_21, out));
        }
        Value::Array(a) => a.iter().for_each(|x| indicators(x, inherited_21, out)),
        _ => {}
    }
}

#[test]
fn every_indicator_pattern_in_the_valid_corpus_parses_and_yields_observables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real/valid");
    assert!(
        root.is_dir(),
        "the shared corpus must be at {}",
        root.display()
    );
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let mut patterns = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let before = patterns.len();
        indicators(&v, false, &mut patterns);
        for p in &mut patterns[before..] {
            p.0 = format!("{}\u{0}{}", f.display(), p.0);
        }
    }
    assert!(
        patterns.len() >= 100,
        "expected the corpus's indicators, found {}",
        patterns.len()
    );
    let mut failures = Vec::new();
    let mut typed = 0;
    for (tagged, version) in &patterns {
        let (file, pattern) = tagged.split_once('\u{0}').unwrap();
        match parse(pattern, *version) {
            Ok(p) => {
                let obs = p.observables();
                assert!(!obs.comparisons.is_empty(), "{pattern}");
                let has_eq = obs
                    .comparisons
                    .iter()
                    .any(|c| !c.negated && (c.operator == "=" || c.operator == "IN"));
                assert_eq!(has_eq, !obs.observables.is_empty(), "{pattern}");
                typed += obs
                    .observables
                    .iter()
                    .filter(|o| o.kind != stix_pattern::ObservableKind::Other)
                    .count();
                // the canonical form is stable for real patterns too
                let again = parse(&p.canonical(), *version).unwrap();
                assert_eq!(again.without_spans(), p.without_spans(), "{pattern}");
            }
            Err(e) => failures.push(format!("{file}: {pattern}\n    {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus patterns fail:\n{}",
        failures.len(),
        patterns.len(),
        failures.join("\n")
    );
    assert!(
        typed * 2 >= patterns.len(),
        "only {typed} typed observables from {} patterns",
        patterns.len()
    );
}
