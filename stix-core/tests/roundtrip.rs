//! Every real file round-trips: parse, serialise, compare as JSON values.

use std::path::{Path, PathBuf};

use serde_json::Value;
use stix_core::{parse_document, ItemObject};

fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    assert!(p.is_dir(), "../shared is missing: {}", p.display());
    p
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// JSON Pointer of the first place where two values differ.
fn first_diff(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let p = format!("{path}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = first_diff(u, v, p) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{p} (present on one side only)")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path} (length {} vs {})", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (u, v))| first_diff(u, v, format!("{path}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

#[test]
fn every_valid_file_round_trips_exactly() {
    let mut files = Vec::new();
    json_files(&shared().join("corpus/real/valid"), &mut files);
    assert!(
        files.len() > 50,
        "expected the real corpus, found {} files",
        files.len()
    );
    let mut objects = 0;
    for f in &files {
        let text = std::fs::read(f).unwrap();
        let input: Value = serde_json::from_slice(&text).unwrap();
        let doc = parse_document(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for item in &doc.items {
            assert!(
                matches!(item.object, ItemObject::Typed(_)),
                "{}: {} not typed: {:?}",
                f.display(),
                item.path,
                item.diagnostics
            );
            objects += 1;
        }
        let out = doc.to_value();
        if let Some(d) = first_diff(&input, &out, String::new()) {
            panic!("{}: round trip differs at {d}", f.display());
        }
        // Typed objects serialise to the same value through serde directly.
        for (item, obj) in doc.items.iter().zip(doc.objects()) {
            let direct = serde_json::to_value(obj).unwrap();
            let expect = match &doc.bundle {
                Some(_) => &input["objects"][item.index],
                None => &input,
            };
            assert_eq!(&direct, expect, "{} {}", f.display(), item.path);
        }
    }
    assert!(objects > 5000, "only {objects} objects read");
}

#[test]
fn quirks_keep_good_objects_and_round_trip_what_parses() {
    let mut files = Vec::new();
    json_files(&shared().join("corpus/real/quirks"), &mut files);
    assert!(!files.is_empty());
    let mut typed = 0;
    for f in &files {
        let text = std::fs::read(f).unwrap();
        let input: Value = serde_json::from_slice(&text).unwrap();
        let doc = parse_document(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let elements: Vec<&Value> = match input.get("objects") {
            Some(Value::Array(a)) if doc.bundle.is_some() => a.iter().collect(),
            _ => vec![&input],
        };
        assert_eq!(elements.len(), doc.items.len(), "{}", f.display());
        for (item, el) in doc.items.iter().zip(elements) {
            match &item.object {
                ItemObject::Typed(o) => {
                    typed += 1;
                    assert!(item.diagnostics.is_empty());
                    assert_eq!(&o.to_value(), el, "{} {}", f.display(), item.path);
                }
                ItemObject::Raw(v) => {
                    assert_eq!(v, el, "{} {}", f.display(), item.path);
                    assert!(!item.diagnostics.is_empty());
                    for d in &item.diagnostics {
                        assert!(d.path.starts_with(&item.path), "{d}");
                        assert!(d.line.is_some() && d.column.is_some(), "{d}");
                    }
                }
            }
        }
        // Whole-document round trip, typed or raw.
        assert!(
            first_diff(&input, &doc.to_value(), String::new()).is_none(),
            "{}",
            f.display()
        );
    }
    assert!(typed > 1000, "{typed}");
}
