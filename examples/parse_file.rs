//! `parse_file MODE FILE` — read a bundle and report how many objects it has.
//!
//! A measuring tool for the model's benchmarks (`scripts/bench/compare_model.sh`):
//!
//! - `value`: read the file and parse it into one `serde_json::Value` (the
//!   baseline every typed parser is compared with);
//! - `whole`: read the file and parse it with `parse_bundle` (typed, all
//!   objects kept in memory);
//! - `stream`: stream the file with `BundleReader` (typed, one object at a
//!   time; memory bounded by the largest object).
//!
//! Prints `objects=N typed=T raw=R seconds=S` on stdout. Exit 2 on a read
//! or JSON error.

use std::process::ExitCode;
use std::time::Instant;

use libstix::core::{parse_bundle, BundleReader, ItemObject};

fn run(mode: &str, path: &str) -> Result<(usize, usize), String> {
    match mode {
        "value" => {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let v: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
            let n = v["objects"].as_array().map_or(0, Vec::len);
            Ok((n, 0))
        }
        "whole" => {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let doc = parse_bundle(&bytes).map_err(|e| format!("{path}: {e}"))?;
            let typed = doc.objects().count();
            Ok((typed, doc.items.len() - typed))
        }
        "stream" => {
            let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
            let (mut typed, mut raw) = (0, 0);
            for item in BundleReader::new(file) {
                match item.map_err(|e| format!("{path}: {e}"))?.object {
                    ItemObject::Typed(_) => typed += 1,
                    ItemObject::Raw(_) => raw += 1,
                }
            }
            Ok((typed, raw))
        }
        other => Err(format!("unknown mode {other} (value, whole or stream)")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: parse_file value|whole|stream FILE");
        return ExitCode::from(2);
    }
    let t = Instant::now();
    match run(&args[0], &args[1]) {
        Ok((typed, raw)) => {
            println!(
                "objects={} typed={typed} raw={raw} seconds={:.3}",
                typed + raw,
                t.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
