//! `ingest` on a TAXII collection of the local test server, incrementally,
//! and publishing back with the TLP ceiling enforced. Runs against the
//! server that `scripts/test.d/60-pipeline.sh` starts (it exports
//! `LIBSTIX_TAXII_URL`); without it there is no server to talk to and the
//! tests only say so.

use std::path::Path;

use libstix::core::tlp::TlpLevel;
use libstix::core::{StixObject, Timestamp};
use libstix::pipeline::{
    build_indicator, ingest, publish, IngestConfig, IngestOptions, PipelineError, PublishRequest,
    Source, Store, TaxiiSource,
};
use libstix::taxii::{Auth, Client, Filter, Secret, WaitOptions};

mod pipeline_support;
use pipeline_support::*;

const FEED: &str = "5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01";
const SANDBOX: &str = "a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02";
const NOW: &str = "2026-06-01T00:00:00.000Z";

fn server() -> Option<String> {
    match std::env::var("LIBSTIX_TAXII_URL") {
        Ok(u) => Some(u),
        Err(_) => {
            eprintln!("LIBSTIX_TAXII_URL is not set: run scripts/test.d/60-pipeline.sh");
            None
        }
    }
}

fn admin() -> Auth {
    Auth::Basic {
        user: "admin".into(),
        password: Secret::new("Password0"),
    }
}

fn source(url: &str, collection: &str) -> TaxiiSource {
    TaxiiSource {
        url: url.into(),
        collection: collection.into(),
        auth: admin(),
    }
}

fn options(dir: &Path, url: &str, collection: &str) -> IngestOptions {
    let mut o = IngestOptions::new(vec![Source::Taxii(source(url, collection))]);
    o.db = dir.join("store.db");
    o.out_dir = dir.join("out");
    o.now = Some(Timestamp::parse(NOW).unwrap());
    o
}

/// The collection's current objects, read with the plain client.
fn collection_objects(url: &str, collection: &str) -> Vec<StixObject> {
    let client = Client::builder(url)
        .auth(admin())
        .allow_http(true)
        .build()
        .unwrap();
    let c = client
        .default_api_root()
        .unwrap()
        .collection(collection)
        .unwrap();
    let mut out = Vec::new();
    for page in c.objects(&Filter::new()).unwrap() {
        for o in page.unwrap().items {
            out.push(libstix::core::parse_object_str(o.json()).unwrap());
        }
    }
    out
}

#[test]
fn ingest_polls_a_collection_incrementally_and_outputs_match_its_patterns() {
    let Some(url) = server() else { return };
    let dir = scratch("taxii-feed");
    let o = options(&dir, &url, FEED);
    let report = ingest(&o, &mut |_| {}).unwrap();
    assert!(
        report.all_sources_read(),
        "{:?}",
        report.input.failed_sources
    );
    assert_eq!(report.input.sources[0].objects, 210);
    assert!(
        report.input.invalid.is_empty(),
        "{:?}",
        report.input.invalid
    );
    assert_eq!(report.stored.new, 210);
    let objects = collection_objects(&url, FEED);
    assert_eq!(objects.len(), 210);
    let now = Timestamp::parse(NOW).unwrap();
    check_outputs(&report, &o.out_dir, &objects, &now);
    // 119 indicators, each one address, unmarked (counted as AMBER).
    assert_eq!(blocklists(&o.out_dir.join("blocklist"))["ipv4"].len(), 119);
    assert_eq!(report.destinations["blocklist"].added.len(), 119);

    // The checkpoint lives in the store: the next poll brings nothing new
    // and the outputs stay as they are.
    let store = Store::open(&o.db).unwrap();
    let cps = store.checkpoints();
    let key = source(&url, FEED).open().unwrap().url();
    assert!(
        libstix::taxii::CheckpointStore::load(&cps, &key)
            .unwrap()
            .is_some_and(|c| c.date_added_last.is_some()),
        "no checkpoint saved under {key}"
    );
    drop(store);
    let again = ingest(&o, &mut |_| {}).unwrap();
    assert_eq!(again.input.sources[0].objects, 0);
    assert_eq!((again.stored.new, again.stored.new_versions), (0, 0));
    assert_eq!((again.added_total(), again.removed_total()), (0, 0));
    assert_eq!(blocklists(&o.out_dir.join("blocklist"))["ipv4"].len(), 119);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn publish_enforces_the_collection_ceiling_and_the_result_comes_back() {
    let Some(url) = server() else { return };
    let now = Timestamp::now_millis();
    let green = build_indicator("domain:c2-green.example", TlpLevel::Green, &now).unwrap();
    let amber = build_indicator("domain:c2-amber.example", TlpLevel::Amber, &now).unwrap();
    let wait = WaitOptions {
        initial_interval: std::time::Duration::from_millis(100),
        ..WaitOptions::default()
    };
    let config = IngestConfig::default_config();
    let request = |objects: Vec<StixObject>| PublishRequest {
        target: source(&url, SANDBOX),
        objects,
        wait: wait.clone(),
    };
    // Default ceiling GREEN: the AMBER one is refused before anything is sent.
    match publish(
        &request(vec![amber.clone()]),
        &config.publish,
        config.router.marking_settings(),
    ) {
        Err(PipelineError::PublishRefused(why)) => assert!(why.contains("TLP:AMBER"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let out = publish(
        &request(vec![green.clone(), amber.clone()]),
        &config.publish,
        config.router.marking_settings(),
    )
    .unwrap();
    assert_eq!(out.sent.len(), 1);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.success_count, 1);
    assert!(out.failures.is_empty() && out.pending_count == 0);
    // A configuration raising the sandbox's ceiling lets it through.
    let raised = IngestConfig::from_toml_str(
        &format!("[publish.collections]\n\"{SANDBOX}\" = \"amber\"\n"),
        "test",
    )
    .unwrap();
    let out = publish(
        &request(vec![amber.clone()]),
        &raised.publish,
        raised.router.marking_settings(),
    )
    .unwrap();
    assert_eq!(out.success_count, 1);

    // Both are now in the collection; ingesting it lists them.
    let dir = scratch("taxii-sandbox");
    let o = options(&dir, &url, SANDBOX);
    let report = ingest(&o, &mut |_| {}).unwrap();
    assert!(report.all_sources_read());
    let domains = &blocklists(&o.out_dir.join("blocklist"))["domains"];
    assert!(domains.contains("c2-green.example"), "{domains:?}");
    assert!(domains.contains("c2-amber.example"), "{domains:?}");
    let store = Store::open(&o.db).unwrap();
    let hit = store.find_observable("c2-green.example").unwrap();
    assert_eq!(hit[0].indicator_id, green.id().as_str());
    std::fs::remove_dir_all(&dir).unwrap();
}
