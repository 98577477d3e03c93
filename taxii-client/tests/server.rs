//! Integration tests against the real local TAXII 2.1 server (medallion),
//! started by `scripts/test.d/30-taxii.sh`, which exports its discovery URL
//! in `LIBSTIX_TAXII_URL`. Without that variable (plain `cargo test`) each
//! test prints why it does nothing and returns.
//!
//! Data facts: `scripts/taxii-server/make_data.py`.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use taxii_client::{
    Client, Collection, DeleteFilter, Error, Filter, JsonFileStore, Object, Poller, Timestamp,
    VersionMatch, WaitOptions,
};

const FEED: &str = "5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01";
const SANDBOX: &str = "a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02";
const DROPBOX: &str = "c7d9e1f3-5a7b-4c9d-8e1f-3a5b7c9d1e03";
const LOCKED: &str = "e1f3a5b7-7c9d-4e1f-9a3b-5c7d9e1f3a04";
const MIXED: &str = "0b2d4f6a-8c1e-4a3c-9d5f-7e9a1c3e5a05";

fn server() -> Option<Client> {
    match std::env::var("LIBSTIX_TAXII_URL") {
        Ok(url) if !url.is_empty() => Some(
            Client::builder(&url)
                .basic_auth("admin", "Password0")
                .build()
                .expect("client"),
        ),
        _ => {
            eprintln!(
                "skipped: LIBSTIX_TAXII_URL is not set (scripts/test.d/30-taxii.sh starts \
                 the local TAXII server and runs these tests)"
            );
            None
        }
    }
}

fn base_url() -> String {
    let u = std::env::var("LIBSTIX_TAXII_URL").unwrap();
    u.trim_end_matches('/')
        .trim_end_matches("taxii2")
        .to_string()
}

fn api(c: &Client, root: &str) -> taxii_client::ApiRoot {
    c.api_root(&format!("/{root}/")).unwrap()
}

fn coll(c: &Client, root: &str, id: &str) -> Collection {
    api(c, root).collection(id).unwrap()
}

fn count(c: &Collection, f: &Filter) -> usize {
    c.objects(f).unwrap().collect_items().unwrap().len()
}

#[test]
fn discovery_and_api_roots() {
    let Some(c) = server() else { return };
    let d = c.discover().unwrap();
    assert!(!d.title.is_empty());
    assert_eq!(d.api_roots.len(), 2);
    let base = base_url();
    assert_eq!(d.default.as_deref(), Some(format!("{base}api1/").as_str()));
    let root = c.default_api_root().unwrap();
    let info = root.information().unwrap();
    assert!(info.supports_taxii21());
    assert_eq!(info.max_content_length, 1_048_576);
    assert_eq!(
        api(&c, "api2").information().unwrap().max_content_length,
        4096
    );
    assert_eq!(c.api_roots().unwrap().len(), 2);
}

#[test]
fn collections_and_permissions() {
    let Some(c) = server() else { return };
    let list = api(&c, "api1").collections().unwrap();
    let by_id: BTreeMap<_, _> = list.iter().map(|x| (x.id.as_str(), x)).collect();
    assert_eq!(by_id.len(), 4);
    let perms = |id: &str| (by_id[id].can_read, by_id[id].can_write);
    assert_eq!(perms(FEED), (true, false));
    assert_eq!(perms(SANDBOX), (true, true));
    assert_eq!(perms(DROPBOX), (false, true));
    assert_eq!(perms(LOCKED), (false, false));
    let one = coll(&c, "api1", FEED).information().unwrap();
    assert_eq!(one.title, "threat-feed");
    assert_eq!(api(&c, "api2").collections().unwrap().len(), 1);
}

#[test]
fn all_210_objects_with_page_size_50() {
    let Some(c) = server() else { return };
    let feed = coll(&c, "api1", FEED);
    let mut sizes = Vec::new();
    let mut ids = HashSet::new();
    let mut last_seen: Option<Timestamp> = None;
    for page in feed.objects(&Filter::new().limit(50)).unwrap() {
        let page = page.unwrap();
        sizes.push(page.items.len());
        let (first, last) = (
            page.date_added_first.unwrap(),
            page.date_added_last.unwrap(),
        );
        assert!(first <= last);
        if let Some(prev) = last_seen {
            assert!(prev <= first, "pages in date_added order");
        }
        last_seen = Some(last);
        for o in &page.items {
            assert!(
                ids.insert(o.id().unwrap().to_string()),
                "duplicate {:?}",
                o.id()
            );
            assert!(o.check().is_none());
        }
        assert!(page.problems.is_empty() && page.warnings.is_empty());
    }
    assert_eq!(sizes, vec![50, 50, 50, 50, 10]);
    assert_eq!(ids.len(), 210);
}

#[test]
fn all_250_versions() {
    let Some(c) = server() else { return };
    let feed = coll(&c, "api1", FEED);
    let all = feed
        .objects(&Filter::new().limit(50).version(VersionMatch::All))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(all.len(), 250);
    let keys: HashSet<_> = all.iter().map(Object::key).collect();
    assert_eq!(keys.len(), 250);
    let ids: HashSet<_> = all.iter().map(|o| o.id().unwrap()).collect();
    assert_eq!(ids.len(), 210);
    assert_eq!(
        count(&feed, &Filter::new().version(VersionMatch::First)),
        210
    );
}

/// The ties sit on page boundaries: following `next` loses none of them,
/// where paging by `added_after` would skip the rest of a tie.
#[test]
fn no_loss_where_date_added_ties_straddle_pages() {
    let Some(c) = server() else { return };
    let feed = coll(&c, "api1", FEED);
    let mut pages = feed.objects(&Filter::new().limit(50)).unwrap();
    let p1 = pages.next().unwrap().unwrap();
    let p2 = pages.next().unwrap().unwrap();
    // Page 2 starts inside the tie page 1 ended in.
    assert_eq!(p1.date_added_last, p2.date_added_first);
    let tie = p1.date_added_last.unwrap();
    let manifest = feed
        .manifest(&Filter::new().limit(100))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(manifest.len(), 210);
    let in_tie: HashSet<_> = manifest
        .iter()
        .filter(|r| r.date_added == tie)
        .map(|r| r.id.clone())
        .collect();
    assert!(in_tie.len() >= 2);
    let mut got: HashSet<String> = p1
        .items
        .iter()
        .chain(&p2.items)
        .map(|o| o.id().unwrap().to_string())
        .collect();
    for p in pages {
        got.extend(p.unwrap().items.iter().map(|o| o.id().unwrap().to_string()));
    }
    assert!(in_tie.is_subset(&got));
    let manifest_ids: HashSet<_> = manifest.iter().map(|r| r.id.clone()).collect();
    assert_eq!(got, manifest_ids);
    // Above the server cap: 100, 100, 10, still complete.
    let mut sizes = Vec::new();
    for p in feed.objects(&Filter::new().limit(500)).unwrap() {
        sizes.push(p.unwrap().items.len());
    }
    assert_eq!(sizes, vec![100, 100, 10]);
}

#[test]
fn filters() {
    let Some(c) = server() else { return };
    let feed = coll(&c, "api1", FEED);
    assert_eq!(count(&feed, &Filter::new().types(["indicator"])), 119);
    assert_eq!(
        count(&feed, &Filter::new().types(["malware", "attack-pattern"])),
        60
    );
    assert_eq!(count(&feed, &Filter::new().types(["ipv4-addr"])), 10);
    let after = Timestamp::parse("2024-03-01T00:00:00Z").unwrap();
    assert_eq!(count(&feed, &Filter::new().added_after(after)), 30);
    // added_after is strict: the 7-object tie at 23:30 is excluded.
    let tie = Timestamp::parse("2024-01-01T23:30:00Z").unwrap();
    let p = feed
        .objects(&Filter::new().added_after(tie).version(VersionMatch::All))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        p.date_added_first.unwrap().to_string(),
        "2024-01-02T03:00:00.000000Z"
    );
    // An empty result is an empty page.
    let future = Timestamp::parse("2030-01-01T00:00:00Z").unwrap();
    let pages: Vec<_> = feed
        .objects(&Filter::new().added_after(future))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].items.is_empty() && pages[0].date_added_last.is_none());
    // match[id]
    let one = feed
        .objects(&Filter::new().types(["identity"]))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(one.len(), 1);
    let id = one[0].id().unwrap().to_string();
    assert_eq!(count(&feed, &Filter::new().ids([id])), 1);
    // api2: latest spec version per id by default.
    let mixed = coll(&c, "api2", MIXED);
    let malware = Filter::new().types(["malware"]);
    assert_eq!(count(&mixed, &malware), 15);
    assert_eq!(count(&mixed, &malware.clone().spec_versions(["2.0"])), 10);
    assert_eq!(count(&mixed, &malware.clone().spec_versions(["2.1"])), 10);
    let v20 = mixed
        .objects(&malware.clone().spec_versions(["2.0"]))
        .unwrap()
        .collect_items()
        .unwrap();
    assert!(v20.iter().all(|o| o.spec_version().is_none()));
}

#[test]
fn object_versions_and_manifest() {
    let Some(c) = server() else { return };
    let feed = coll(&c, "api1", FEED);
    // An indicator with three versions: the one whose latest is a revision 2.
    let revised = feed
        .objects(&Filter::new().added_after(Timestamp::parse("2024-03-31T00:00:00Z").unwrap()))
        .unwrap()
        .collect_items()
        .unwrap();
    let ind = revised
        .iter()
        .find(|o| o.object_type() == Some("indicator"))
        .unwrap();
    let id = ind.id().unwrap();
    let versions = feed.versions(id, &Filter::new()).unwrap();
    assert_eq!(versions.len(), 3);
    let all = feed
        .object(id, &Filter::new().version(VersionMatch::All))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(all.len(), 3);
    let latest = feed
        .object(id, &Filter::new())
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].version(), ind.version());
    let manifest = feed
        .manifest(&Filter::new().version(VersionMatch::All))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(manifest.len(), 250);
    assert!(manifest.iter().all(|r| r.media_type.is_some()));
}

#[test]
fn error_statuses_are_typed() {
    let Some(c) = server() else { return };
    let bad = Client::builder(&std::env::var("LIBSTIX_TAXII_URL").unwrap())
        .basic_auth("admin", "wrong-password-xyz")
        .build()
        .unwrap();
    let e = bad.discover().unwrap_err();
    match &e {
        Error::Unauthorized { challenge, .. } => {
            assert!(challenge.as_deref().unwrap().starts_with("Basic"))
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{e} {e:?}").contains("wrong-password-xyz"));
    let anon = Client::new(&std::env::var("LIBSTIX_TAXII_URL").unwrap()).unwrap();
    assert!(matches!(
        anon.discover().unwrap_err(),
        Error::Unauthorized { .. }
    ));
    // can_read = false
    let e = coll(&c, "api1", DROPBOX)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    // unknown collection / object / API root
    let e = coll(&c, "api1", "00000000-0000-4000-8000-000000000000")
        .information()
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = coll(&c, "api1", FEED)
        .object(
            "indicator--00000000-0000-4000-8000-000000000000",
            &Filter::new(),
        )
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(e, Error::NotFound(ref f) if f.taxii.is_some()),
        "{e:?}"
    );
    assert!(matches!(
        api(&c, "nope").information().unwrap_err(),
        Error::NotFound(_)
    ));
    // POST to a read-only collection
    let o = Object::from_json(&indicator_json("read-only", 0)).unwrap();
    let e = coll(&c, "api1", FEED)
        .add_envelope(
            taxii_client::split_envelopes(&[o], 1 << 20)
                .unwrap()
                .remove(0),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    // DELETE with both permissions false -> 404, with one -> 403
    assert!(matches!(
        coll(&c, "api1", LOCKED)
            .delete_object("attack-pattern--x", &DeleteFilter::all_versions())
            .unwrap_err(),
        Error::NotFound(_)
    ));
    // One envelope over api2's 4096 bytes, sent as is -> 413 with the limit.
    let big: Vec<Object> = (0..20)
        .map(|i| Object::from_json(&indicator_json("too-big", i)).unwrap())
        .collect();
    let body = taxii_client::split_envelopes(&big, 1 << 20)
        .unwrap()
        .remove(0);
    assert!(body.len() > 4096);
    let e = coll(&c, "api2", MIXED).add_envelope(body).unwrap_err();
    assert!(
        matches!(
            e,
            Error::PayloadTooLarge {
                max_content_length: Some(4096),
                ..
            }
        ),
        "{e:?}"
    );
}

/// A new indicator, unique per test run (ids carry the start time).
fn indicator_json(tag: &str, i: u32) -> String {
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let run = *RUN.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros() as u64
            & 0xffff_ffff_ffff
    });
    let tag_no: u32 = tag.bytes().map(u32::from).sum();
    let now = "2025-01-01T00:00:00.000Z";
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--{tag_no:08x}-{i:04x}-4000-8000-{run:012x}","created":"{now}","modified":"{now}","name":"{tag} {i}","description":"{pad}","pattern":"[ipv4-addr:value = '10.0.0.{}']","pattern_type":"stix","valid_from":"{now}","x_libstix_test":"{tag}"}}"#,
        i % 250,
        pad = "p".repeat(150)
    )
}

/// Objects split under api2's 4096-byte limit, posted, and all readable.
#[test]
fn publish_splits_under_max_content_length() {
    let Some(c) = server() else { return };
    let mixed = coll(&c, "api2", MIXED);
    let objs: Vec<Object> = (0..12)
        .map(|i| Object::from_json(&indicator_json("publish", i)).unwrap())
        .collect();
    let total: usize = objs.iter().map(|o| o.json().len()).sum();
    assert!(total > 4096);
    let report = mixed.publish(&objs, &WaitOptions::default()).unwrap();
    assert!(
        report.statuses.len() >= 2,
        "{} requests",
        report.statuses.len()
    );
    assert_eq!(report.total_count(), 12);
    assert_eq!(report.success_count(), 12);
    assert_eq!(report.successes().len(), 12);
    assert!(report.failures().is_empty());
    let ids: Vec<String> = objs.iter().map(|o| o.id().unwrap().to_string()).collect();
    let back = mixed
        .objects(&Filter::new().ids(ids.clone()))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(back.len(), 12);
    assert!(back
        .iter()
        .all(|o| o.to_value()["x_libstix_test"] == "publish"));
    // Posting again: duplicates are failures in the status, not HTTP errors.
    let again = mixed.publish(&objs[..1], &WaitOptions::default()).unwrap();
    assert_eq!(again.failure_count() + again.success_count(), 1);
    // Delete one, all versions.
    mixed
        .delete_object(&ids[0], &DeleteFilter::all_versions())
        .unwrap();
    assert_eq!(count(&mixed, &Filter::new().ids([ids[0].clone()])), 0);
}

/// A poll after a POST returns exactly the new objects; the overlap's
/// repeats are dropped, and the state file holds the server's timestamp.
#[test]
fn incremental_polling_picks_up_exactly_the_new_objects() {
    let Some(c) = server() else { return };
    let dir = std::env::temp_dir().join(format!("libstix-poll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let sandbox = coll(&c, "api1", SANDBOX);
    let poll = |poller: &mut Poller| -> Vec<Object> {
        let mut out = Vec::new();
        while let Some(p) = poller.next_page().unwrap() {
            out.extend(p.items);
        }
        out
    };
    let mut poller =
        Poller::new(sandbox.clone(), JsonFileStore::new(&state)).filter(Filter::new().limit(15));
    let first = poll(&mut poller);
    assert_eq!(first.len(), 40);
    let cp1 = poller
        .checkpoint()
        .unwrap()
        .unwrap()
        .date_added_last
        .unwrap();
    assert_eq!(cp1.to_string(), "2024-06-02T16:00:00.000000Z");
    assert!(poll(&mut poller).is_empty(), "nothing new");

    let new: Vec<Object> = (0..3)
        .map(|i| Object::from_json(&indicator_json("poll", i)).unwrap())
        .collect();
    let report = sandbox.publish(&new, &WaitOptions::default()).unwrap();
    assert_eq!(report.success_count(), 3);

    // A fresh poller on the same file: resumes from the persisted checkpoint.
    let mut poller = Poller::new(sandbox.clone(), JsonFileStore::new(&state))
        .filter(Filter::new().limit(15))
        .overlap(Duration::from_secs(300));
    let got = poll(&mut poller);
    let mut got_ids: Vec<_> = got.iter().map(|o| o.id().unwrap().to_string()).collect();
    let mut want: Vec<_> = new.iter().map(|o| o.id().unwrap().to_string()).collect();
    got_ids.sort();
    want.sort();
    assert_eq!(got_ids, want);
    let cp2 = poller.checkpoint().unwrap().unwrap();
    assert!(cp2.date_added_last.unwrap() > cp1);
    assert!(
        cp2.recent.len() >= 3,
        "recent keys kept for the overlap dedupe"
    );
    // Within the overlap window the same objects come back from the server
    // and are recognised.
    assert!(poll(&mut poller).is_empty());
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(text.contains("date_added_last"));
    for o in &new {
        sandbox
            .delete_object(o.id().unwrap(), &DeleteFilter::all_versions())
            .unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A `next` cursor that expired (medallion: 400) is reported as such, and a
/// restart from the checkpoint completes the listing without loss.
#[test]
fn expired_cursor_restarts_from_the_checkpoint_without_loss() {
    let Ok(url) = std::env::var("LIBSTIX_TAXII_SHORT_TTL_URL") else {
        eprintln!(
            "skipped: LIBSTIX_TAXII_SHORT_TTL_URL is not set (see scripts/test.d/30-taxii.sh)"
        );
        return;
    };
    let c = Client::builder(&url)
        .basic_auth("reader", "reader-pass")
        .build()
        .unwrap();
    let feed = coll(&c, "api1", FEED);
    let mut pages = feed.objects(&Filter::new().limit(50)).unwrap();
    let first = pages.next().unwrap().unwrap();
    let mut ids: Vec<String> = first
        .items
        .iter()
        .map(|o| o.id().unwrap().to_string())
        .collect();
    std::thread::sleep(Duration::from_millis(3500));
    let err = pages.next().unwrap().unwrap_err();
    assert!(matches!(err, Error::CursorExpired { .. }), "{err:?}");
    assert!(pages.next().is_none());
    for p in pages.restart() {
        ids.extend(p.unwrap().items.iter().map(|o| o.id().unwrap().to_string()));
    }
    let distinct: HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 210, "nothing lost");
    assert_eq!(ids.len(), 210, "nothing repeated");
}
