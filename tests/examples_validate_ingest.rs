//! The `validate` and `ingest` example programs, run as processes: exit
//! codes, `--json` output, and the summary on the sample feed and on the
//! real ICS ATT&CK bundle.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    // `cargo test` builds the examples next to the test binaries' `deps/`.
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let p = dir.join("examples").join(name);
    assert!(p.exists(), "example binary {} is missing", p.display());
    p
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared(rel: &str) -> PathBuf {
    let p = root().join("../shared").join(rel);
    assert!(p.exists(), "{} is missing", p.display());
    p
}

/// A fresh working directory per run: `ingest` writes its store and
/// outputs under `./out` by default, which must not land in the repository
/// nor be shared between tests running at once.
fn scratch() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "libstix-examples-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(name: &str, args: &[&Path], flags: &[&str]) -> Output {
    Command::new(example(name))
        .current_dir(scratch())
        .args(flags)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn validate_exits_0_on_the_sample_feed_and_valid_corpus_files() {
    let feed = root().join("data/sample-feed.json");
    let ics = shared("corpus/real/valid/mitre-attack/ics-attack-18.1.json");
    let o = run("validate", &[&feed, &ics], &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("1915 object(s), 0 invalid"));
}

#[test]
fn validate_exits_1_and_json_lines_carry_file_path_rule() {
    let f = shared("cases/model/created_second_precision.json");
    let o = run("validate", &[&f], &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for l in &lines {
        for key in ["file", "object_id", "path", "rule", "severity", "message"] {
            assert!(l.get(key).is_some(), "{key} missing in {l}");
        }
        assert_eq!(l["rule"], "STIX-TS-04");
        assert_eq!(l["severity"], "error");
        assert_eq!(
            l["object_id"],
            "indicator--88718c96-6f3d-48f7-b4b1-b64633be40f5"
        );
        assert_eq!(l["file"], f.display().to_string());
    }
    assert_eq!(lines[0]["path"], "/created");
    assert_eq!(lines[1]["path"], "/modified");
}

#[test]
fn validate_json_paths_point_into_bundles() {
    let f = shared("cases/model/ref_with_non_uuid_id.json");
    let o = run("validate", &[&f], &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"] == "/objects/1/target_ref" && v["rule"] == "STIX-ID-01"
        }),
        "{out}"
    );
}

#[test]
fn validate_exits_2_on_unreadable_or_non_json_input() {
    let dir = std::env::temp_dir().join(format!("libstix-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"type\": \"bundle\", \"objects\": [ {\"type\": ").unwrap();
    let o = run("validate", &[&bad], &["--json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(v["rule"], "STIX-JSON-01");
    assert!(v["line"].as_u64().is_some());
    let missing = dir.join("missing.json");
    assert_eq!(run("validate", &[&missing], &[]).status.code(), Some(2));
    // Text that only starts like JSON is not JSON either, however deep.
    let deep = dir.join("deep.json");
    std::fs::write(&deep, "[".repeat(100_000)).unwrap();
    let o = run("validate", &[&deep], &["--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    // Well-formed JSON of another shape is invalid content (1), with its
    // position.
    let number = dir.join("number.json");
    std::fs::write(&number, "42").unwrap();
    let o = run("validate", &[&number], &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(v["rule"], "STIX-PARSE-02");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(1), Some(1))
    );
    // A readable valid file beside an unreadable one still gives 2.
    let feed = root().join("data/sample-feed.json");
    assert_eq!(
        run("validate", &[&feed, &missing], &[]).status.code(),
        Some(2)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn validate_help_threads_and_positions() {
    let help = Command::new(example("validate"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--threads"));
    let feed = root().join("data/sample-feed.json");
    let quirk = shared("cases/model/relationship_dangling_ref.json");
    let bad = shared("cases/model/granular_selector_out_of_range.json");
    // Any thread count gives the same lines; absurd ones are capped, not a
    // crash.
    let one = run(
        "validate",
        &[&feed, &quirk, &bad],
        &["--json", "--threads", "1"],
    );
    for n in ["0", "3", "100000"] {
        let many = run(
            "validate",
            &[&feed, &quirk, &bad],
            &["--json", "--threads", n],
        );
        assert_eq!(many.status.code(), one.status.code(), "--threads {n}");
        assert_eq!(stdout(&many), stdout(&one), "--threads {n}");
    }
    // Every diagnostic about one object has a position: the fault's, or
    // its object's start (end-of-bundle findings such as dangling
    // references have only their JSON path).
    let mut positioned = 0;
    for line in stdout(&one).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["rule"] != "STIX-REF-01" {
            let (l, c) = (v["line"].as_u64(), v["column"].as_u64());
            assert!(l.is_some() && c.is_some(), "{line}");
            positioned += 1;
        }
    }
    assert!(positioned > 0);
    // `--` ends the options.
    let o = run("validate", &[&feed], &["--"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn validate_strict_turns_warnings_into_failures() {
    let f = shared("cases/model/relationship_dangling_ref.json");
    assert_eq!(run("validate", &[&f], &[]).status.code(), Some(0));
    let o = run("validate", &[&f], &["--strict", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("STIX-REF-01"));
}

#[test]
fn ingest_summarises_the_default_sample_feed() {
    let o = Command::new(example("ingest"))
        .current_dir(scratch())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for needle in [
        "89 objects, 0 invalid, 1 revoked",
        "spec versions: STIX 2.1: 89",
        "22  indicator",
        "TLP:RED (2.0)",
        "TLP:RED (1.0)",
        "TLP:AMBER+STRICT (2.0)",
        "unmarked (no TLP)",
        "indicators: 20 flatten to blocklist values, 2 need a pattern engine",
        "unresolved references (not in the input; may live elsewhere): 0",
    ] {
        assert!(out.contains(needle), "missing `{needle}` in:\n{out}");
    }
}

#[test]
fn ingest_counts_the_ics_attack_bundle_like_the_manifest() {
    let f = shared("corpus/real/valid/mitre-attack/ics-attack-18.1.json");
    let o = run("ingest", &[&f], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared("corpus/real/index.json")).unwrap())
            .unwrap();
    let entry = index["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "valid/mitre-attack/ics-attack-18.1.json")
        .unwrap();
    assert!(
        out.contains(&format!("{} objects, 0 invalid", entry["objects"])),
        "{out}"
    );
    for (t, n) in entry["types"].as_object().unwrap() {
        assert!(
            out.contains(&format!("{n:>7}  {t}\n", n = n.as_u64().unwrap())),
            "{t}: {n}\n{out}"
        );
    }
}

#[test]
fn ingest_reports_invalid_objects_with_their_first_reason() {
    let f =
        shared("corpus/real/quirks/oasis-cti-stix-elevator/idioms-json-2.1_incident-malware.json");
    let o = run("ingest", &[&f], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("invalid objects: 1"), "{out}");
    assert!(out.contains("source_ref"), "{out}");
}
