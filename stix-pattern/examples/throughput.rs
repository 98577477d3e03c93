//! `throughput FILE [ROUNDS]`: parse + validate every line of FILE (one pattern per line) in
//! STIX 2.1 mode, ROUNDS times (default 5), and print one JSON object with the best round's
//! wall-clock and CPU-time rates. CPU time comes from `/proc/self/schedstat` (Linux), so the
//! figure stays meaningful on a machine shared with other work, where wall-clock time is not.
//! `scripts/bench/compare_patterns.sh` compares it with the Python reference's CPU time.

use std::time::Instant;

/// Nanoseconds this thread has spent on a CPU, when the kernel tells.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().expect("usage: throughput FILE [ROUNDS]");
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let patterns: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut valid = 0;
    for _ in 0..rounds {
        let (w0, c0) = (Instant::now(), cpu_ns());
        valid = patterns
            .iter()
            .filter(|p| stix_pattern::parse(p, stix_pattern::StixVersion::V21).is_ok())
            .count();
        let wall = w0.elapsed().as_secs_f64();
        best_wall = best_wall.min(wall);
        if let (Some(a), Some(b)) = (c0, cpu_ns()) {
            best_cpu = best_cpu.min((b - a) as f64 / 1e9);
        }
    }
    let n = patterns.len() as f64;
    let cpu_rate = if best_cpu < f64::MAX {
        n / best_cpu
    } else {
        f64::NAN
    };
    println!(
        "{{\"patterns\": {}, \"valid\": {valid}, \"rounds\": {rounds}, \"best_wall_seconds\": {best_wall}, \"patterns_per_s\": {}, \"best_cpu_seconds\": {best_cpu}, \"cpu_patterns_per_s\": {cpu_rate}}}",
        patterns.len(),
        n / best_wall
    );
}
