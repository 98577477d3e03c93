//! `validate` on JSON that is well formed but not a STIX document: invalid
//! content (exit 1), not unreadable input (exit 2).

use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let p = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    assert!(p.exists(), "example binary {} is missing", p.display());
    p
}

#[test]
fn well_formed_json_of_the_wrong_shape_exits_1() {
    let dir = std::env::temp_dir().join(format!("libstix-validate-shape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [("array.json", "[1, 2]"), ("string.json", "\"bundle\"")];
    for (name, text) in cases {
        let f = dir.join(name);
        std::fs::write(&f, text).unwrap();
        let o = Command::new(example("validate"))
            .arg("--json")
            .arg(&f)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}");
        let first: serde_json::Value =
            serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap())
                .unwrap();
        assert_eq!(first["rule"], "STIX-PARSE-02", "{name}");
        assert_eq!(first["severity"], "error");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
