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

/// Quirk files: the diagnostics name the fault the corpus MANIFEST gives
/// as the reference libraries' reason, at the exact object and property.
#[test]
fn quirks_give_precise_diagnostics() {
    let cases: &[(&str, &str, &str)] = &[
        // MANIFEST: "Marking marking-definition--613f2e26… does not match spec marking"
        (
            "mitre-atlas/AMLCS0010__Microsoft_Azure_Service_Disruption_full.json",
            "STIX-MK-04",
            "/objects/1/name",
        ),
        // stix2-validator: 2 errors (modified before created)
        ("mitre-atlas/stix-atlas.json", "STIX-TS-05", "/objects/156/modified"),
        ("mitre-atlas/stix-atlas.json", "STIX-TS-05", "/objects/167/modified"),
        // MANIFEST: "Relationship 'source_ref': not a valid STIX identifier … incident--1b75ee8f-44d6-819a-d729"
        (
            "oasis-cti-stix-elevator/idioms-json-2.1_incident-malware.json",
            "STIX-ID-02",
            "/objects/2/source_ref",
        ),
        // MANIFEST: "No values for required properties for NetworkTraffic: (protocols)"
        (
            "oasis-cti-stix-elevator/idioms-json-2.1_issue62.json",
            "STIX-REQ-01",
            "/objects/1/protocols",
        ),
        // MANIFEST: "File 'hashes': The dictionary property must contain a dictionary"
        ("attack-flow/Shamoon.json", "STIX-VAL-06", "/objects/7/hashes"),
        // MANIFEST: "Can't parse object with no 'type' property" (the bundle has none)
        (
            "oasis-cti-stix-common-objects/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json",
            "STIX-BUN-01",
            "/type",
        ),
        ("attack-flow/NotPetya.json", "STIX-VAL-01", "/objects/2/start_refs"),
        ("attack-flow/SWIFT_Heist.json", "STIX-VAL-01", "/objects/6/aliases"),
        ("attack-flow/Uber_Breach.json", "STIX-VAL-07", "/objects/2/external_references/0/description"),
    ];
    for (file, rule, path) in cases {
        let r = validate_file(&corpus().join("quirks").join(file));
        assert!(
            r.all_diagnostics()
                .any(|d| d.is_error() && d.rule == *rule && d.path == *path),
            "{file}: no {rule} at {path}:\n{}",
            r.all_diagnostics()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(!r.valid(), "{file}");
    }
}

/// Every quirk file is reported as invalid, and every object beside the
/// bad ones still comes through with its own verdict.
#[test]
fn quirks_are_invalid_but_keep_their_good_objects() {
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("index.json")).unwrap())
            .unwrap();
    for entry in index["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        if !file.starts_with("quirks/") {
            continue;
        }
        let r = validate_file(&corpus().join(file));
        assert_eq!(
            r.objects.len() as u64,
            entry["objects"].as_u64().unwrap(),
            "{file}"
        );
        let strict = validate_str(
            &std::fs::read_to_string(corpus().join(file)).unwrap(),
            &ValidationOptions {
                strict: true,
                ..ValidationOptions::default()
            },
        );
        assert!(!strict.valid(), "{file} judged valid");
        assert!(
            r.objects.iter().any(|o| o.valid),
            "{file}: no valid object left"
        );
    }
}
