//! Validation on worker threads gives exactly what validation on one
//! thread gives: the same items with the same verdicts in the same order,
//! the same cross-object findings (forward references and duplicate
//! versions that span batches), the same error at the same place, and it
//! never hangs when the consumer stops early.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use stix_core::validate::{Finished, ValidatedItem, ValidatingReader, ValidationOptions};
use stix_core::Error;

fn corpus() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    assert!(p.is_dir(), "../shared/corpus/real is missing");
    p
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Everything a stream yields, and its end-of-bundle findings (when it
/// ended without an error).
struct Run {
    items: Vec<Result<ValidatedItem, Error>>,
    finished: Option<Finished>,
}

fn run(text: &[u8], threads: usize, options: &ValidationOptions) -> Run {
    let mut stream = ValidatingReader::new(text, options.clone()).with_threads(threads);
    let items: Vec<_> = stream.by_ref().collect();
    // The iterator is fused after its end (or its error).
    assert!(stream.next().is_none());
    let failed = items.iter().any(Result::is_err);
    Run {
        items,
        finished: (!failed).then(|| stream.finish()),
    }
}

fn assert_same(text: &[u8], what: &str, options: &ValidationOptions) -> usize {
    let one = run(text, 1, options);
    for threads in [2, 3] {
        let many = run(text, threads, options);
        assert_eq!(
            one.items.len(),
            many.items.len(),
            "{what}: item count with {threads} threads"
        );
        for (a, b) in one.items.iter().zip(&many.items) {
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.item, b.item, "{what}: item {}", a.item.index);
                    assert_eq!(a.report, b.report, "{what}: verdict {}", a.item.index);
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{what}: error"),
                _ => panic!("{what}: {a:?} against {b:?} with {threads} threads"),
            }
        }
        match (&one.finished, &many.finished) {
            (Some(a), Some(b)) => {
                assert_eq!(a.header, b.header, "{what}: header");
                assert_eq!(a.diagnostics, b.diagnostics, "{what}: bundle findings");
                assert_eq!(a.lone_object, b.lone_object, "{what}: lone object");
                assert_eq!(a.cross, b.cross, "{what}: cross-object findings");
            }
            (None, None) => {}
            _ => panic!("{what}: one run finished, the other did not"),
        }
    }
    one.items.len()
}

#[test]
fn every_corpus_file_gives_the_same_verdicts_on_threads() {
    let mut files = Vec::new();
    json_files(&corpus().join("valid"), &mut files);
    json_files(&corpus().join("quirks"), &mut files);
    assert!(files.len() > 70);
    for f in &files {
        let text = std::fs::read(f).unwrap();
        assert_same(
            &text,
            &f.display().to_string(),
            &ValidationOptions::default(),
        );
    }
}

/// Every object of the valid corpus in one bundle of several thousand
/// objects (many batches), in reverse order so that references point
/// forward across batches, with a conflicting copy of an early object at
/// the end, an object the typed model refuses, and an invalid one.
fn big_bundle() -> (Value, usize) {
    let mut files = Vec::new();
    json_files(&corpus().join("valid"), &mut files);
    files.sort();
    let mut objects = Vec::new();
    for f in &files {
        let v: Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        if let Some(list) = v.get("objects").and_then(Value::as_array) {
            objects.extend(list.iter().cloned());
        }
    }
    objects.reverse();
    let mut twin = objects
        .iter()
        .find(|o| o.get("modified").is_some() && o["type"] == "malware")
        .expect("a malware object in the corpus")
        .clone();
    twin["description"] = json!("a different description under the same version");
    objects.insert(
        objects.len() / 2,
        json!({"type": "indicator", "spec_version": "2.1",
        "id": "indicator--7a4e5e9f-8d3c-4b8f-9a43-2f0d6c1b5e11",
        "created": "2024-01-01T00:00:00Z", "modified": "2023-01-01T00:00:00Z",
        "pattern": "[domain-name:value = 'example.com'", "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z"}),
    );
    objects.insert(
        objects.len() / 3,
        json!({"type": "malware", "spec_version": "2.1",
        "id": "malware--0c7b5b88-8ff7-4a4d-aa9c-feb398cd0061",
        "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
        "is_family": "yes"}),
    );
    objects.push(twin);
    let n = objects.len();
    (
        json!({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
               "objects": objects}),
        n,
    )
}

#[test]
fn a_large_bundle_gives_the_same_items_and_cross_findings_on_threads() {
    let (bundle, n) = big_bundle();
    assert!(n > 3000, "only {n} objects");
    let text = serde_json::to_vec_pretty(&bundle).unwrap();
    for options in [
        ValidationOptions::default(),
        ValidationOptions {
            strict: true,
            warnings_as_errors: true,
            ..ValidationOptions::default()
        },
    ] {
        assert_eq!(assert_same(&text, "large bundle", &options), n);
    }
    // The run really found what the bundle was built to contain.
    let r = run(&text, 2, &ValidationOptions::default());
    let done = r.finished.unwrap();
    let twin_path = format!("/objects/{}", n - 1);
    assert!(done.cross.duplicates.iter().any(|d| d.path == twin_path));
    let last = r.items.last().unwrap().as_ref().unwrap();
    assert!(last
        .report
        .diagnostics
        .iter()
        .any(|d| d.rule == "STIX-VER-03"));
    let invalid: Vec<_> = r
        .items
        .iter()
        .map(|i| i.as_ref().unwrap())
        .filter(|i| !i.report.valid)
        .filter_map(|i| i.report.id.as_deref())
        .collect();
    assert_eq!(
        invalid,
        [
            "malware--0c7b5b88-8ff7-4a4d-aa9c-feb398cd0061",
            "indicator--7a4e5e9f-8d3c-4b8f-9a43-2f0d6c1b5e11"
        ],
        "the two broken objects, and only them"
    );
}

#[test]
fn a_malformed_element_ends_the_stream_at_the_same_place() {
    let (bundle, _) = big_bundle();
    let objects = bundle["objects"].as_array().unwrap();
    let mut text = String::from(
        r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":["#,
    );
    for (i, o) in objects.iter().take(1500).enumerate() {
        if i > 0 {
            text.push(',');
        }
        if i == 1000 {
            // Brackets balance, so the reader cuts it out; the JSON inside
            // is broken.
            text.push_str(r#"{"type":"malware","is_family":tru},"#);
        }
        text.push_str(&o.to_string());
    }
    text.push_str("]}");
    assert_same(
        text.as_bytes(),
        "malformed element",
        &ValidationOptions::default(),
    );
    let r = run(text.as_bytes(), 2, &ValidationOptions::default());
    assert_eq!(r.items.len(), 1001);
    assert!(r.items[..1000].iter().all(Result::is_ok));
    assert!(matches!(r.items[1000], Err(Error::Json { .. })));

    // Cut short: the reader's own error comes after every element read.
    let cut = &text.as_bytes()[..text.len() * 2 / 5];
    let n = assert_same(cut, "truncated", &ValidationOptions::default());
    let r = run(cut, 2, &ValidationOptions::default());
    assert_eq!(n, r.items.len());
    assert!(r.items[..n - 1].iter().all(Result::is_ok));
    assert!(r.items[n - 1].is_err());
}

#[test]
fn stopping_early_does_not_hang_or_leak_threads_forever() {
    let (bundle, _) = big_bundle();
    let text = serde_json::to_vec(&bundle).unwrap();
    for take in [0, 1, 70, 700] {
        let mut stream =
            ValidatingReader::new(&text[..], ValidationOptions::default()).with_threads(2);
        let got = stream.by_ref().take(take).filter(Result::is_ok).count();
        assert_eq!(got, take);
        drop(stream); // joins the workers: returns only if they stop
    }
}

/// The validating reader reads the typed model out of the view the rules
/// walk; the plain reader reads it from the text. Both must give the same
/// items for every object (set `LIBSTIX_EXTRA_BUNDLE` to a file to check
/// one more, such as the large ATT&CK bundle).
#[test]
fn the_typed_model_read_from_the_view_equals_the_one_read_from_the_text() {
    let mut files = Vec::new();
    json_files(&corpus().join("valid"), &mut files);
    json_files(&corpus().join("quirks"), &mut files);
    let mut texts: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read(f).unwrap()))
        .collect();
    texts.push((
        "large bundle".into(),
        serde_json::to_vec(&big_bundle().0).unwrap(),
    ));
    if let Ok(extra) = std::env::var("LIBSTIX_EXTRA_BUNDLE") {
        texts.push((extra.clone(), std::fs::read(&extra).unwrap()));
    }
    let mut typed = 0;
    for (name, text) in &texts {
        let plain: Vec<_> = stix_core::BundleReader::new(&text[..]).collect();
        let validated: Vec<_> = ValidatingReader::new(&text[..], ValidationOptions::default())
            .with_threads(2)
            .collect();
        assert_eq!(plain.len(), validated.len(), "{name}");
        for (a, b) in plain.iter().zip(&validated) {
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, &b.item, "{name}: object {}", a.index);
                    typed += usize::from(a.typed().is_some());
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{name}"),
                _ => panic!("{name}: {a:?} against {b:?}"),
            }
        }
    }
    assert!(typed > 5000, "only {typed} typed objects compared");
}

#[test]
fn an_absurd_thread_count_is_capped_not_a_crash() {
    let text = std::fs::read(corpus().join("valid/mitre-attack/ics-attack-18.1.json")).unwrap();
    let one = run(&text, 1, &ValidationOptions::default());
    let many = run(&text, usize::MAX, &ValidationOptions::default());
    assert_eq!(one.items, many.items);
}
