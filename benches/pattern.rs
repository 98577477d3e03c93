//! Pattern parsing + validation throughput on the realistic generated mix.
//!
//! The patterns come from `PATTERN_BENCH_FILE` (one pattern per line) when set, otherwise from
//! `python3 ../shared/corpus/gen_patterns.py -n 20000` (deterministic default seed).
//! `scripts/bench/compare_patterns.sh` runs this bench and the Python reference validator on
//! the same file and reports the ratio.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use libstix::pattern::{parse, StixVersion};

fn patterns() -> Vec<String> {
    let text = match std::env::var("PATTERN_BENCH_FILE") {
        Ok(file) => std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}")),
        Err(_) => {
            let gen =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gen_patterns.py");
            let out = std::process::Command::new("python3")
                .arg(&gen)
                .args(["-n", "20000"])
                .output()
                .unwrap_or_else(|e| panic!("running {}: {e}", gen.display()));
            assert!(out.status.success(), "{} failed", gen.display());
            String::from_utf8(out.stdout).expect("generator writes UTF-8")
        }
    };
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn bench(c: &mut Criterion) {
    let pats = patterns();
    // Every generated pattern must be valid, or the bench would time the error path.
    let invalid: Vec<&String> = pats
        .iter()
        .filter(|p| parse(p, StixVersion::V21).is_err())
        .collect();
    assert!(
        invalid.is_empty(),
        "invalid patterns in the mix: {:?}",
        &invalid[..invalid.len().min(5)]
    );
    let mut g = c.benchmark_group("patterns");
    g.throughput(Throughput::Elements(pats.len() as u64));
    g.sample_size(20);
    g.bench_function("parse_validate", |b| {
        b.iter(|| {
            for p in &pats {
                black_box(parse(black_box(p), StixVersion::V21).is_ok());
            }
        })
    });
    g.bench_function("parse_validate_observables", |b| {
        b.iter(|| {
            for p in &pats {
                if let Ok(ast) = parse(black_box(p), StixVersion::V21) {
                    black_box(ast.observables());
                }
            }
        })
    });
    g.bench_function("parse_validate_canonical", |b| {
        b.iter(|| {
            for p in &pats {
                if let Ok(ast) = parse(black_box(p), StixVersion::V21) {
                    black_box(ast.canonical());
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
