//! The indexed local store: versions, indexes, both-way relationships,
//! poll checkpoints and entry diffs, on a real file.

use std::collections::BTreeSet;

use libstix::core::tlp::TlpLevel;
use libstix::pipeline::{Entry, ObjectRecord, PipelineError, PutOutcome, Store};
use libstix::taxii::{Checkpoint, CheckpointStore, RecentKey, Timestamp};
use serde_json::{json, Value};

fn rec(v: Value, tlp: Option<TlpLevel>) -> ObjectRecord {
    ObjectRecord::from_json(&v, v.to_string(), tlp).unwrap()
}

fn indicator(modified: &str, pattern: &str, revoked: bool) -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1",
        "id": "indicator--3f1b5a6e-9d43-4c1e-8f3e-2a7b9c0d1e2f",
        "created": "2024-01-01T00:00:00.000Z", "modified": modified,
        "pattern": pattern, "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z", "revoked": revoked
    })
}

fn tmp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("libstix-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("sub").join("store.db")
}

#[test]
fn versions_replace_and_history_is_kept() {
    let path = tmp_db("versions");
    let store = Store::open(&path).unwrap();
    let v1 = rec(
        indicator(
            "2024-01-01T00:00:00.000Z",
            "[domain-name:value = 'old.example']",
            false,
        ),
        Some(TlpLevel::Green),
    );
    let v2 = rec(
        indicator(
            "2024-02-01T00:00:00.000Z",
            "[domain-name:value = 'new.example']",
            false,
        ),
        Some(TlpLevel::Amber),
    );
    let id = v1.id.clone();
    assert_eq!(store.put(&v1, None).unwrap(), PutOutcome::New);
    assert_eq!(store.put(&v1, None).unwrap(), PutOutcome::Unchanged);
    assert_eq!(
        store.put(&v2, None).unwrap(),
        PutOutcome::NewVersion {
            previous: "2024-01-01T00:00:00.000Z".into()
        }
    );
    // An older version arriving late is stored but does not become current.
    let v0 = rec(
        indicator(
            "2023-12-01T00:00:00Z",
            "[domain-name:value = 'older.example']",
            false,
        ),
        None,
    );
    assert_eq!(
        store.put(&v0, None).unwrap(),
        PutOutcome::OlderVersion {
            current: "2024-02-01T00:00:00.000Z".into()
        }
    );
    // Same instant written with other digits is the same version; other content is a conflict.
    let clash = rec(
        indicator(
            "2024-02-01T00:00:00Z",
            "[domain-name:value = 'x.example']",
            false,
        ),
        None,
    );
    assert_eq!(store.put(&clash, None).unwrap(), PutOutcome::Conflict);

    let cur = store.current(&id).unwrap().unwrap();
    assert_eq!(cur.version, "2024-02-01T00:00:00.000Z");
    assert_eq!(cur.tlp, Some(TlpLevel::Amber));
    assert!(cur.current);
    assert_eq!(
        cur.json().unwrap()["pattern"],
        "[domain-name:value = 'new.example']"
    );
    let versions: Vec<_> = store
        .versions(&id)
        .unwrap()
        .into_iter()
        .map(|o| (o.version, o.current))
        .collect();
    assert_eq!(
        versions,
        [
            ("2023-12-01T00:00:00Z".to_string(), false),
            ("2024-01-01T00:00:00.000Z".to_string(), false),
            ("2024-02-01T00:00:00.000Z".to_string(), true)
        ]
    );
    // Observable index: every version is found, the current one is flagged.
    let hits = store.find_observable("old.example").unwrap();
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].current);
    assert_eq!(hits[0].observable.kind, "domain");
    let hits = store.find_observable("new.example").unwrap();
    assert!(hits[0].current);
    assert_eq!(hits[0].indicator_id, id);
    let now: Vec<_> = store
        .observables_of(&id)
        .unwrap()
        .into_iter()
        .map(|o| o.value)
        .collect();
    assert_eq!(now, ["new.example"]);
    assert_eq!(store.by_tlp(Some(TlpLevel::Amber)).unwrap().len(), 1);
    assert!(store.by_tlp(Some(TlpLevel::Green)).unwrap().is_empty());
    assert_eq!(
        store.modified_after("2024-01-01T00:00:00Z").unwrap().len(),
        1
    );
    drop(store);

    // Everything survives reopening the file.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.by_type("indicator").unwrap().len(), 1);
    let stats = store.stats().unwrap();
    assert_eq!((stats.versions, stats.objects), (3, 1));
    std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap()).unwrap();
}

#[test]
fn relationships_both_ways() {
    let store = Store::open_in_memory().unwrap();
    let rel = |id: &str, t: &str, s: &str, d: &str, modified: &str| {
        rec(
            json!({"type": "relationship", "spec_version": "2.1", "id": id,
                   "created": "2024-01-01T00:00:00.000Z", "modified": modified,
                   "relationship_type": t, "source_ref": s, "target_ref": d}),
            Some(TlpLevel::Clear),
        )
    };
    let ind = "indicator--11111111-1111-4111-8111-111111111111";
    let mal = "malware--22222222-2222-4222-8222-222222222222";
    let ta = "threat-actor--33333333-3333-4333-8333-333333333333";
    let r1 = "relationship--44444444-4444-4444-8444-444444444444";
    let r2 = "relationship--55555555-5555-4555-8555-555555555555";
    store
        .put_batch(
            &[
                rel(r1, "indicates", ind, mal, "2024-01-01T00:00:00.000Z"),
                rel(r2, "uses", ta, mal, "2024-01-01T00:00:00.000Z"),
            ],
            None,
        )
        .unwrap();
    let to_mal: Vec<_> = store
        .relationships_to(mal)
        .unwrap()
        .into_iter()
        .map(|e| (e.edge.relationship_type, e.edge.source_ref))
        .collect();
    assert_eq!(
        to_mal,
        [
            ("indicates".to_string(), ind.to_string()),
            ("uses".to_string(), ta.to_string())
        ]
    );
    let from_ind = store.relationships_from(ind).unwrap();
    assert_eq!(from_ind.len(), 1);
    assert_eq!(from_ind[0].edge.target_ref, mal);
    assert!(store.relationships_from(mal).unwrap().is_empty());
    // A new version of the relationship pointing elsewhere moves the edge.
    store
        .put(
            &rel(
                r1,
                "indicates",
                ind,
                "malware--66666666-6666-4666-8666-666666666666",
                "2024-03-01T00:00:00.000Z",
            ),
            None,
        )
        .unwrap();
    assert_eq!(store.relationships_to(mal).unwrap().len(), 1);
    assert_eq!(
        store.relationships_from(ind).unwrap()[0].edge.target_ref,
        "malware--66666666-6666-4666-8666-666666666666"
    );
}

#[test]
fn poll_checkpoints_live_in_the_store() {
    let path = tmp_db("checkpoints");
    let store = Store::open(&path).unwrap();
    let mut cps = store.checkpoints();
    let key = "http://127.0.0.1:1/api1/collections/abc/";
    assert_eq!(cps.load(key).unwrap(), None);
    let ts = Timestamp::parse("2024-05-01T12:00:09Z").unwrap();
    let cp = Checkpoint {
        date_added_last: Some(ts),
        recent: vec![RecentKey {
            id: "ipv4-addr--1".into(),
            version: String::new(),
            page_last: ts,
        }],
    };
    cps.save(key, &cp).unwrap();
    cps.save("other", &Checkpoint::default()).unwrap();
    drop((store, cps));
    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.checkpoints().load(key).unwrap(), Some(cp));
    // A corrupt row is a typed checkpoint error, not a panic.
    reopened.save_checkpoint_json(key, "{garbage").unwrap();
    assert!(matches!(
        reopened.checkpoints().load(key),
        Err(libstix::taxii::Error::Checkpoint { .. })
    ));
    std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap()).unwrap();
}

#[test]
fn entry_diffs_per_destination() {
    let store = Store::open_in_memory().unwrap();
    let e = |d: &str, v: &str| Entry {
        destination: d.into(),
        file: "blocklists/domains.txt".into(),
        value: v.into(),
        object_id: "indicator--x".into(),
    };
    let first: BTreeSet<_> = [e("siem", "a.example"), e("siem", "b.example")].into();
    let d = store.replace_entries("siem", &first).unwrap();
    assert_eq!(d.added.len(), 2);
    assert!(d.removed.is_empty());
    store
        .replace_entries("firewall", &[e("firewall", "a.example")].into())
        .unwrap();
    let second: BTreeSet<_> = [e("siem", "b.example"), e("siem", "c.example")].into();
    let d = store.replace_entries("siem", &second).unwrap();
    assert_eq!(d.added, [e("siem", "c.example")]);
    assert_eq!(d.removed, [e("siem", "a.example")]);
    assert_eq!(store.entries("siem").unwrap(), second);
    assert_eq!(store.entries("firewall").unwrap().len(), 1);
    assert_eq!(store.entry_destinations().unwrap(), ["firewall", "siem"]);
}

#[test]
fn foreign_or_newer_files_are_refused_with_typed_errors() {
    let path = tmp_db("schema");
    {
        let store = Store::open(&path).unwrap();
        store
            .put(
                &rec(
                    indicator(
                        "2024-01-01T00:00:00.000Z",
                        "[domain-name:value = 'a.example']",
                        false,
                    ),
                    None,
                ),
                None,
            )
            .unwrap();
    }
    {
        // Simulate a file from a future schema.
        let c = set_schema_version_99(&path);
        assert!(c, "could not rewrite schema version");
    }
    match Store::open(&path) {
        Err(PipelineError::SchemaVersion {
            found, expected, ..
        }) => {
            assert_eq!((found, expected), (99, 1))
        }
        other => panic!("expected a schema error, got {other:?}"),
    }
    let not_db = path.with_file_name("not-a-db");
    std::fs::write(&not_db, b"this is not sqlite at all, just text").unwrap();
    assert!(matches!(
        Store::open(&not_db),
        Err(PipelineError::Store { .. })
    ));
    std::fs::remove_dir_all(path.parent().unwrap().parent().unwrap()).unwrap();
}

/// Marks the file as written by a future schema, behind the store's back.
fn set_schema_version_99(path: &std::path::Path) -> bool {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute(
        "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
        [],
    )
    .unwrap()
        == 1
}
