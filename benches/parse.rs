//! Typed parsing, and typed parsing plus full validation (on one thread
//! and on all cores), against `serde_json::Value` parsing, on the same
//! bytes.
//!
//! Inputs: the real ATT&CK ICS bundle (from ../shared), a generated
//! 20,000-object bundle (made with ../shared/corpus/gen_bundle.py into the
//! target directory on first use), and, when `STIX_LARGE` names it, the
//! 35 MB ATT&CK Enterprise bundle (`../shared/corpus/fetch-large.sh`).
//!
//! Run: `cargo bench --bench parse` (add `STIX_LARGE=/path/enterprise-attack-15-stix21.json`).

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use libstix::core::validate::{ValidatingReader, ValidationOptions};
use libstix::core::{parse_bundle, BundleReader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generated_20k() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let out = target.join("bench-data/gen-20000.json");
    if !out.is_file() {
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let st = Command::new("python3")
            .arg(root().join("../shared/corpus/gen_bundle.py"))
            .args(["20000", "-o"])
            .arg(&out)
            .status()
            .expect("python3 runs gen_bundle.py");
        assert!(st.success(), "gen_bundle.py failed");
    }
    out
}

fn inputs() -> Vec<(String, Vec<u8>)> {
    let ics = root().join("../shared/corpus/real/valid/mitre-attack/ics-attack-18.1.json");
    let mut v = vec![
        (
            "ics-attack-18.1".to_owned(),
            std::fs::read(&ics).expect("../shared corpus"),
        ),
        (
            "generated-20k".to_owned(),
            std::fs::read(generated_20k()).unwrap(),
        ),
    ];
    if let Some(p) = std::env::var_os("STIX_LARGE") {
        let p = Path::new(&p);
        v.push((
            "enterprise-attack-15".to_owned(),
            std::fs::read(p).expect("STIX_LARGE file"),
        ));
    }
    v
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.sample_size(10);
    for (name, bytes) in inputs() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("serde_json_value", &name),
            &bytes,
            |b, x| b.iter(|| serde_json::from_slice::<serde_json::Value>(x).unwrap()),
        );
        g.bench_with_input(BenchmarkId::new("stix_typed", &name), &bytes, |b, x| {
            b.iter(|| {
                let doc = parse_bundle(x).unwrap();
                assert!(doc.diagnostics().next().is_none());
                doc
            })
        });
        g.bench_with_input(BenchmarkId::new("stix_streaming", &name), &bytes, |b, x| {
            b.iter(|| {
                let mut n = 0usize;
                for item in BundleReader::new(&x[..]) {
                    item.unwrap();
                    n += 1;
                }
                n
            })
        });
        for (label, threads) in [
            ("stix_validate_1_thread", 1),
            ("stix_validate_all_cores", 0),
        ] {
            g.bench_with_input(BenchmarkId::new(label, &name), &bytes, |b, x| {
                b.iter(|| {
                    let mut stream = ValidatingReader::new(&x[..], ValidationOptions::default())
                        .with_threads(threads);
                    let invalid = stream
                        .by_ref()
                        .filter(|i| !i.as_ref().unwrap().report.valid);
                    let n = invalid.count();
                    (n, stream.finish())
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
