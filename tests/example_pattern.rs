//! The `pattern` example program, run as a process on the shared pattern cases: one output
//! line per input line, in order, never stopping early on a bad line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn example(name: &str) -> PathBuf {
    // `cargo test` builds the examples next to the test binaries' `deps/`.
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let p = dir.join("examples").join(name);
    assert!(p.exists(), "example binary {} is missing", p.display());
    p
}

fn run(args: &[&str], stdin: &str) -> Vec<Value> {
    run_bytes(args, stdin.as_bytes())
}

fn run_bytes(args: &[&str], stdin: &[u8]) -> Vec<Value> {
    let mut child = Command::new(example("pattern"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

#[test]
fn judges_every_case_line_in_order_and_survives_bad_lines() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cases/pattern/cases.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for version in ["2.0", "2.1"] {
        let mine: Vec<&Value> = cases
            .iter()
            .filter(|c| c["stix_version"] == version)
            .collect();
        // Interleave garbage lines: each must get its own error object.
        let mut input = String::new();
        for c in &mine {
            input.push_str(&serde_json::to_string(&c["pattern"]).unwrap());
            input.push_str("\nnot json\n{\"an\": \"object\"}\n");
        }
        let out = run(&["--stix-version", version], &input);
        assert_eq!(out.len(), mine.len() * 3);
        for (n, c) in mine.iter().enumerate() {
            let r = &out[n * 3];
            assert_eq!(r["valid"], c["valid"], "{}: {r}", c["id"]);
            if r["valid"] == true {
                assert!(r["canonical"].is_string() && r["observables"]["comparisons"].is_array());
                assert_eq!(r["errors"].as_array().unwrap().len(), 0);
            } else {
                let e = &r["errors"][0];
                assert!(
                    e["line"].as_u64().unwrap() >= 1 && e["column"].as_u64().unwrap() >= 1,
                    "{r}"
                );
                assert!(e["message"].is_string());
            }
            for bad in [&out[n * 3 + 1], &out[n * 3 + 2]] {
                assert_eq!(bad["valid"], false);
                assert_eq!(bad["errors"][0]["kind"], "input");
            }
        }
    }
}

#[test]
fn reports_canonical_form_and_observables() {
    let out = run(
        &[],
        "\"[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value == 'x.example'] // c\"\n",
    );
    assert_eq!(
        out[0]["canonical"],
        "[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'x.example']"
    );
    assert_eq!(out[0]["observables"]["flat"], true);
    assert_eq!(out[0]["observables"]["observables"][1]["kind"], "domain");
    let out = run(&["--strict"], "\"[file:name = 'a' AND process:pid = 4]\"\n");
    assert_eq!(out[0]["valid"], false);
    assert_eq!(out[0]["errors"][0]["column"], 2);
    let out = run(&[], "\"[file:name = 'a' AND process:pid = 4]\"\n");
    assert_eq!(out[0]["valid"], true);
    assert_eq!(out[0]["warnings"][0]["kind"], "mixed_object_types");
}

/// A line that is not UTF-8 is not JSON: it gets an input error, and is
/// never judged as some other pattern made of replacement characters.
#[test]
fn a_line_that_is_not_utf8_is_an_input_error() {
    let mut input = b"\"[a:b = 'x']\"\n".to_vec();
    input.extend_from_slice(b"\"[a:b = '\xc3\x28']\"\n");
    input.extend_from_slice(b"\"[a:b = '\xc3\xa9']\"\r\n");
    let out = run_bytes(&[], &input);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["valid"], true);
    assert_eq!(out[1]["valid"], false, "{}", out[1]);
    assert_eq!(out[1]["errors"][0]["kind"], "input");
    assert_eq!(out[2]["valid"], true, "{}", out[2]);
    assert_eq!(out[2]["canonical"], "[a:b = '\u{e9}']");
}
