//! The real corpus: every file of `corpus/real/valid/` validates without a
//! single error; the files of `corpus/real/quirks/` give precise diagnostics.

use std::path::{Path, PathBuf};

use stix_core::validate::{validate_str, BundleReport, ValidationOptions};

fn corpus() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    assert!(
        p.is_dir(),
        "../shared/corpus/real is missing: {}",
        p.display()
    );
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

fn validate_file(p: &Path) -> BundleReport {
    validate_str(
        &std::fs::read_to_string(p).unwrap(),
        &ValidationOptions::default(),
    )
}

#[test]
fn every_valid_file_has_zero_errors() {
    let mut files = Vec::new();
    json_files(&corpus().join("valid"), &mut files);
    assert!(files.len() > 70, "only {} files", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let r = validate_file(f);
        for d in r.all_diagnostics().filter(|d| d.is_error()) {
            failures.push(format!("{}: {d}", f.display()));
        }
        assert!(!r.objects.is_empty(), "{}", f.display());
    }
    assert!(
        failures.is_empty(),
        "{} errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn streaming_and_in_memory_give_the_same_verdicts() {
    let mut files = Vec::new();
    json_files(&corpus().join("valid"), &mut files);
    json_files(&corpus().join("quirks"), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mem = validate_str(&text, &ValidationOptions::default());
        let streamed =
            stix_core::validate::validate_reader(text.as_bytes(), &ValidationOptions::default())
                .unwrap();
        assert_eq!(mem.objects.len(), streamed.objects.len(), "{}", f.display());
        assert_eq!(
            mem.counts_by_type,
            streamed.counts_by_type,
            "{}",
            f.display()
        );
        assert_eq!(
            mem.unresolved_refs,
            streamed.unresolved_refs,
            "{}",
            f.display()
        );
        for (a, b) in mem.objects.iter().zip(&streamed.objects) {
            assert_eq!(
                a.valid,
                b.valid,
                "{} {:?}\n{:#?}\n{:#?}",
                f.display(),
                a.id,
                a.diagnostics,
                b.diagnostics
            );
        }
        assert_eq!(mem.valid(), streamed.valid(), "{}", f.display());
    }
}
