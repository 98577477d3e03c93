//! The poller against a scripted server whose collection grows between polls,
//! including objects committed late with a `date_added` before the checkpoint.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{indicator, MockServer, Reply};
use taxii_client::{Client, Filter, JsonFileStore, Object, Poller, Timestamp};

/// (object number, date_added) in date_added order.
type Store = Arc<Mutex<Vec<(u32, String)>>>;

/// Serves `objects/` with `added_after` (strict) and `limit`, paging by
/// `next` = offset into the filtered list.
fn feed_server(store: Store) -> MockServer {
    MockServer::start(move |req, _| {
        let data = store.lock().unwrap().clone();
        let mut data = data;
        data.sort_by(|a, b| a.1.cmp(&b.1));
        let after = req
            .param("added_after")
            .map(|a| Timestamp::parse(&a).unwrap());
        let rest: Vec<_> = data
            .into_iter()
            .filter(|(_, d)| after.map_or(true, |a| Timestamp::parse(d).unwrap() > a))
            .collect();
        let offset: usize = req.param("next").map_or(0, |n| n.parse().unwrap());
        let limit: usize = req.param("limit").unwrap().parse().unwrap();
        let page: Vec<_> = rest.iter().skip(offset).take(limit).collect();
        let more = offset + page.len() < rest.len();
        let objs: Vec<String> = page
            .iter()
            .map(|(n, _)| indicator(*n, "2024-01-01T00:00:00.000Z"))
            .collect();
        let next = if more {
            format!(r#","next":"{}""#, offset + page.len())
        } else {
            String::new()
        };
        let body = format!(r#"{{"more":{more}{next},"objects":[{}]}}"#, objs.join(","));
        let mut r = Reply::json(200, if page.is_empty() { "{}" } else { &body });
        if let (Some(f), Some(l)) = (page.first(), page.last()) {
            r = r
                .with_header("X-TAXII-Date-Added-First", &f.1)
                .with_header("X-TAXII-Date-Added-Last", &l.1);
        }
        r
    })
}

fn numbers(objs: &[Object]) -> Vec<u32> {
    objs.iter()
        .map(|o| o.id().unwrap()[36..].parse().unwrap())
        .collect()
}

fn drain(p: &mut Poller) -> Vec<Object> {
    let mut out = Vec::new();
    while let Some(page) = p.next_page().unwrap() {
        out.extend(page.items);
    }
    out
}

fn at(min: u32, sec: u32) -> String {
    format!("2024-01-01T10:{min:02}:{sec:02}.000000Z")
}

#[test]
fn checkpoint_is_saved_only_after_the_caller_is_done_with_a_page() {
    let store: Store = Arc::new(Mutex::new((1..=10).map(|n| (n, at(n, 0))).collect()));
    let server = feed_server(store.clone());
    let dir = std::env::temp_dir().join(format!("libstix-poller-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("crash.json");
    let _ = std::fs::remove_file(&state);
    let coll = Client::new(&server.discovery())
        .unwrap()
        .api_root(&server.url("/r/"))
        .unwrap()
        .collection("c")
        .unwrap();
    let poller = |overlap| {
        Poller::new(coll.clone(), JsonFileStore::new(&state))
            .filter(Filter::new().limit(4))
            .overlap(overlap)
    };

    // A "crash" while the first page is being processed: nothing is saved.
    {
        let mut p = poller(Duration::ZERO);
        let first = p.next_page().unwrap().unwrap();
        assert_eq!(numbers(&first.items), [1, 2, 3, 4]);
    }
    assert!(
        !state.exists(),
        "nothing committed before the caller finished a page"
    );

    // Asking for page two commits page one; a crash during page two re-delivers it.
    {
        let mut p = poller(Duration::ZERO);
        p.next_page().unwrap().unwrap();
        let second = p.next_page().unwrap().unwrap();
        assert_eq!(numbers(&second.items), [5, 6, 7, 8]);
    }
    let cp = JsonFileStore::new(&state);
    use taxii_client::CheckpointStore;
    let key = coll.url();
    assert_eq!(
        cp.load(&key)
            .unwrap()
            .unwrap()
            .date_added_last
            .unwrap()
            .to_string(),
        at(4, 0)
    );
    let mut p = poller(Duration::ZERO);
    assert_eq!(numbers(&drain(&mut p)), [5, 6, 7, 8, 9, 10]);
    assert_eq!(
        p.checkpoint()
            .unwrap()
            .unwrap()
            .date_added_last
            .unwrap()
            .to_string(),
        at(10, 0)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn overlap_catches_late_commits_and_drops_repeats() {
    let store: Store = Arc::new(Mutex::new((1..=6).map(|n| (n, at(n, 0))).collect()));
    let server = feed_server(store.clone());
    let coll = Client::new(&server.discovery())
        .unwrap()
        .api_root(&server.url("/r/"))
        .unwrap()
        .collection("c")
        .unwrap();
    let mut p = Poller::new(coll, taxii_client::MemoryStore::default())
        .filter(Filter::new().limit(4))
        .overlap(Duration::from_secs(180));
    assert_eq!(numbers(&drain(&mut p)), [1, 2, 3, 4, 5, 6]);
    // Object 7 is committed late: its date_added (10:05:30) is before the
    // checkpoint (10:06:00) but inside the 3-minute overlap. Object 8 is new.
    // Object 9 is older than the overlap window: no client can see it
    // without re-reading everything, which is what the window size is for.
    store.lock().unwrap().push((7, at(5, 30)));
    store.lock().unwrap().push((8, at(7, 0)));
    store.lock().unwrap().push((9, at(1, 30)));
    assert_eq!(numbers(&drain(&mut p)), [7, 8]);
    // Nothing new: the overlap's repeats are all dropped.
    assert!(drain(&mut p).is_empty());
    let requests = server.requests();
    let last = requests.last().unwrap();
    assert_eq!(
        last.param("added_after").as_deref(),
        Some("2024-01-01T10:04:00.000000Z"),
        "checkpoint (10:07) minus the overlap"
    );
}
