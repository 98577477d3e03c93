//! One test per regression case in `../shared/cases/taxii/*.md`, each named
//! after its file and played by the scripted loopback server.

mod support;

use std::path::PathBuf;

use support::{envelope, indicator, MockServer, Reply, TAXII};
use taxii_client::{
    Client, ContentTypePolicy, Error, Filter, MemoryStore, Poller, StallReason, Timestamp,
};

const CID: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
const COLL_PATH: &str = "/api1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/";

/// The case file must exist: the tests follow it, and a missing shared
/// directory is a broken checkout, not a reason to skip.
fn case(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/cases/taxii")
        .join(format!("{name}.md"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("case file {} missing: {e}", p.display()))
}

fn coll(server: &MockServer, client: &Client) -> taxii_client::Collection {
    client
        .api_root(&server.url("/api1/"))
        .unwrap()
        .collection(CID)
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    Client::builder(&server.discovery())
        .basic_auth("admin", "case-secret-pw")
        .build()
        .unwrap()
}

#[test]
fn accept_header_and_406() {
    assert!(case("accept_header_and_406").contains("406"));
    let server = MockServer::start(|req, _| {
        if req
            .header("accept")
            .is_some_and(|a| a.contains("application/vnd.oasis.taxii+json"))
        {
            Reply::typed(200, "application/vnd.oasis.taxii+json; version=2.0", "{}")
        } else {
            Reply::typed(
                406,
                "application/vnd.oasis.taxii+json; version=2.0",
                r#"{"title": "Not Acceptable"}"#,
            )
        }
    });
    let c = client(&server);
    let err = c.discover().unwrap_err();
    match &err {
        Error::NotAcceptable {
            speaks_taxii20,
            failure,
        } => {
            assert!(*speaks_taxii20);
            assert_eq!(failure.status, 406);
        }
        other => panic!("expected NotAcceptable, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("TAXII 2.1") && msg.contains("TAXII 2.0"),
        "{msg}"
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "406 is not retried");
    assert_eq!(
        reqs[0].header("accept"),
        Some("application/taxii+json;version=2.1")
    );
}

fn auth_reply(sub: &str) -> Reply {
    match sub {
        "a" => Reply::typed(
            200,
            "text/html; charset=utf-8",
            "<html><body><form action=/login>Password: <input type=password></form></body></html>",
        ),
        "b" => Reply::typed(401, "text/plain", "Unauthorized")
            .with_header("WWW-Authenticate", "Basic realm=\"taxii\""),
        _ => Reply::json(
            401,
            r#"{"title": "Authentication required", "http_status": "401"}"#,
        )
        .with_header("WWW-Authenticate", "Basic realm=\"taxii\""),
    }
}

#[test]
fn auth_failures() {
    assert!(case("auth_failures").contains("WWW-Authenticate"));
    let info = |sub: &'static str| {
        let server = MockServer::start(move |req, _| {
            assert_eq!(req.path(), COLL_PATH);
            assert!(req.header("authorization").is_some());
            auth_reply(sub)
        });
        let e = coll(&server, &client(&server)).information().unwrap_err();
        assert_eq!(server.requests().len(), 1, "auth failures are not retried");
        e
    };
    let a = info("a");
    assert!(
        matches!(
            a,
            Error::UnexpectedContentType {
                status: 200,
                probable_login_page: true,
                ..
            }
        ),
        "{a:?}"
    );
    assert!(a.to_string().contains("authentication"), "{a}");
    for sub in ["b", "c"] {
        let e = info(sub);
        match &e {
            Error::Unauthorized { failure, challenge } => {
                assert_eq!(failure.status, 401);
                assert_eq!(challenge.as_deref(), Some("Basic realm=\"taxii\""));
                if sub == "c" {
                    assert_eq!(
                        failure.taxii.as_ref().unwrap().title,
                        "Authentication required"
                    );
                    assert!(e.to_string().contains("Authentication required"));
                } else {
                    assert!(failure.taxii.is_none());
                    assert!(failure.body_snippet.contains("Unauthorized"));
                }
            }
            other => panic!("{sub}: {other:?}"),
        }
        let text = format!("{e} {e:?}");
        assert!(!text.contains("case-secret-pw"), "{text}");
    }
}

fn collection_body() -> &'static str {
    r#"{"id":"91a7b528-80eb-42ed-a74d-c6fbd5a26116","title":"t","can_read":true,"can_write":false,"media_types":["application/stix+json;version=2.1"]}"#
}

#[test]
fn content_type_variants() {
    assert!(case("content_type_variants").contains("Application/TAXII+JSON"));
    let get = |ct: &'static str, policy: ContentTypePolicy| {
        let server = MockServer::start(move |req, _| {
            assert_eq!(req.path(), COLL_PATH);
            Reply::typed(200, ct, collection_body())
        });
        let c = Client::builder(&server.discovery())
            .content_type_policy(policy)
            .build()
            .unwrap();
        coll(&server, &c).information()
    };
    // (a) and (b): accepted even in strict mode, and parsed as the resource.
    for ct in [
        "application/taxii+json; version=2.1; charset=utf-8",
        "Application/TAXII+JSON;Version=2.1",
    ] {
        let info = get(ct, ContentTypePolicy::Strict).unwrap();
        assert_eq!(info.id, CID);
        assert!(info.can_read && !info.can_write);
    }
    // (c): refused by default, naming both types.
    let err = get(
        "application/stix+json;version=2.1",
        ContentTypePolicy::Standard,
    )
    .unwrap_err();
    match &err {
        Error::UnexpectedContentType {
            content_type,
            expected,
            probable_login_page,
            status,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(content_type, "application/stix+json;version=2.1");
            assert!(expected.contains("application/taxii+json"));
            assert!(!probable_login_page);
        }
        other => panic!("{other:?}"),
    }
    // A lenient client may accept it; nothing accepts HTML as JSON.
    assert!(get(
        "application/stix+json;version=2.1",
        ContentTypePolicy::Lenient
    )
    .is_ok());
    assert!(get("text/html", ContentTypePolicy::Lenient).is_err());
}

#[test]
fn envelope_items_key() {
    assert!(case("envelope_items_key").contains("items"));
    let body = format!(
        r#"{{"more": false, "items": [{}]}}"#,
        indicator(1, "2024-01-01T00:00:00.000Z")
    );
    let server = MockServer::start(move |req, _| {
        assert_eq!(req.path(), format!("{COLL_PATH}objects/"));
        Reply::json(200, &body)
    });
    let c = client(&server);
    let page = coll(&server, &c)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.warnings.len(), 1);
    assert!(
        page.warnings[0].contains("\"items\""),
        "{:?}",
        page.warnings
    );
    let kept = page.extra["items"].as_array().unwrap();
    assert_eq!(kept[0]["x_custom_note"]["kept"][2], 3);
    let strict = Client::builder(&server.discovery())
        .strict_envelopes(true)
        .build()
        .unwrap();
    let err = coll(&server, &strict)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(&err, Error::MalformedEnvelope { member, count: 1, .. } if member == "items"),
        "{err:?}"
    );
}

#[test]
fn next_ignored_by_server() {
    assert!(case("next_ignored_by_server").contains("PaginationStalled"));
    let server = MockServer::start(|_, _| {
        let objs = [
            indicator(1, "2024-01-01T00:00:00.000Z"),
            indicator(2, "2024-01-01T00:00:00.000Z"),
        ];
        Reply::json(200, &envelope(&objs, true, Some("abc")))
    });
    let c = client(&server);
    let mut pages = coll(&server, &c).objects(&Filter::new().limit(2)).unwrap();
    let first = pages.next().unwrap().unwrap();
    assert_eq!(first.items.len(), 2);
    let err = pages.next().unwrap().unwrap_err();
    match err {
        Error::PaginationStalled {
            reason,
            next,
            objects_received,
            ..
        } => {
            assert_eq!(reason, StallReason::RepeatedPage);
            assert_eq!(next.as_deref(), Some("abc"));
            assert_eq!(objects_received, 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(pages.next().is_none());
    assert!(server.requests().len() <= 3);
    assert_eq!(pages.items_received(), 2, "no duplicates handed out");
}

#[test]
fn next_opaque_token() {
    assert!(case("next_opaque_token").contains("c2VjdGlvbj0y/Zz0x"));
    let server = MockServer::start(|req, _| match req.param("next").as_deref() {
        None => Reply::json(
            200,
            &envelope(
                &[
                    indicator(1, "2024-01-01T00:00:00.000Z"),
                    indicator(2, "2024-01-01T00:00:00.000Z"),
                ],
                true,
                Some("c2VjdGlvbj0y/Zz0x"),
            ),
        ),
        Some("c2VjdGlvbj0y/Zz0x") => Reply::json(
            200,
            &envelope(&[indicator(3, "2024-01-01T00:00:00.000Z")], false, None),
        ),
        Some(_) => Reply::json(400, r#"{"title":"bad next"}"#),
    });
    let c = client(&server);
    let objects = coll(&server, &c)
        .objects(&Filter::new().limit(2))
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(objects.len(), 3);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].target, format!("{COLL_PATH}objects/?limit=2"));
    assert_eq!(
        reqs[1].target,
        format!("{COLL_PATH}objects/?limit=2&next=c2VjdGlvbj0y%2FZz0x")
    );
}

#[test]
fn next_plus_updated_added_after() {
    assert!(case("next_plus_updated_added_after").contains("X-TAXII-Date-Added-Last"));
    let first_query = std::sync::Mutex::new(None::<Vec<(String, String)>>);
    let server = MockServer::start(move |req, _| {
        let mut q = req.query();
        let next = q
            .iter()
            .position(|(k, _)| k == "next")
            .map(|i| q.remove(i).1);
        let mut first = first_query.lock().unwrap();
        match next {
            None => {
                *first = Some(q);
                let objs: Vec<String> = (0..50)
                    .map(|n| indicator(n, "2024-01-01T00:00:00.000Z"))
                    .collect();
                Reply::json(200, &envelope(&objs, true, Some("50")))
                    .with_header("X-TAXII-Date-Added-First", "2023-09-09T00:00:00.000000Z")
                    .with_header("X-TAXII-Date-Added-Last", "2024-01-17T16:11:20.183201Z")
            }
            Some(n) if n == "50" && first.as_ref() == Some(&q) => Reply::json(
                200,
                &envelope(&[indicator(50, "2024-01-01T00:00:00.000Z")], false, None),
            )
            .with_header("X-TAXII-Date-Added-First", "2024-01-18T00:00:00.000000Z")
            .with_header("X-TAXII-Date-Added-Last", "2024-01-18T00:00:00.000000Z"),
            Some(_) => Reply::json(400, r#"{"title":"params changed"}"#),
        }
    });
    let c = client(&server);
    let after = Timestamp::parse("2023-09-08T00:00:00Z").unwrap();
    let filter = Filter::new().added_after(after).limit(50);
    let mut pages = coll(&server, &c).objects(&filter).unwrap();
    let mut n = 0;
    for p in &mut pages {
        n += p.unwrap().items.len();
    }
    assert_eq!(n, 51);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        Timestamp::parse(&reqs[1].param("added_after").unwrap()).unwrap(),
        after,
        "added_after unchanged on the next request"
    );
    assert_eq!(reqs[1].param("limit").as_deref(), Some("50"));
    assert_eq!(reqs[1].param("next").as_deref(), Some("50"));
    assert_eq!(
        pages.checkpoint().unwrap().to_string(),
        "2024-01-18T00:00:00.000000Z"
    );

    // The poller persists the date of the last page, never the token.
    let mut poller = Poller::new(coll(&server, &c), MemoryStore::default())
        .filter(filter.clone())
        .overlap(std::time::Duration::ZERO);
    let mut polled = 0;
    while let Some(p) = poller.next_page().unwrap() {
        polled += p.items.len();
    }
    assert_eq!(polled, 51);
    let cp = poller.checkpoint().unwrap().unwrap();
    assert_eq!(
        cp.date_added_last.unwrap().to_string(),
        "2024-01-18T00:00:00.000000Z"
    );
    let saved = serde_json::to_string(&cp).unwrap();
    assert!(
        !saved.contains("\"50\""),
        "token must not be persisted: {saved}"
    );
}

#[test]
fn v20_range_header_syntax() {
    assert!(case("v20_range_header_syntax").contains("Content-Range"));
    let server = MockServer::start(|req, _| {
        let range = req.header("range").unwrap_or("").to_string();
        let spec = range
            .strip_prefix("items=")
            .or_else(|| range.strip_prefix("items "));
        let Some((a, b)) = spec.and_then(|s| s.split_once('-')) else {
            return Reply::typed(416, "text/plain", "bad range");
        };
        let (a, b): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
        let b = b.min(4);
        let objs: Vec<String> = (a..=b)
            .map(|n| indicator(n, "2017-01-01T00:00:00.000Z"))
            .collect();
        let body = format!(
            r#"{{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[{}]}}"#,
            objs.join(",")
        );
        Reply::typed(206, "application/vnd.oasis.stix+json; version=2.0", &body)
            .with_header("Content-Range", &format!("items {a}-{b}/5"))
    });
    let c = client(&server);
    let objects = c
        .taxii20_objects(&server.url("/api1/collections/c/"), 2)
        .unwrap();
    assert_eq!(objects.len(), 5);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let ranges: Vec<_> = reqs.iter().map(|r| r.header("range").unwrap()).collect();
    assert_eq!(ranges, ["items=0-1", "items=2-3", "items=4-5"]);
    assert!(reqs[0]
        .header("accept")
        .unwrap()
        .starts_with("application/vnd.oasis.stix+json"));
    assert_eq!(reqs[0].path(), "/api1/collections/c/objects/");
    let _ = TAXII;
}

/// The 416 fallback to the space form printed in the 2.0 text.
#[test]
fn v20_range_header_syntax_space_form_fallback() {
    let server = MockServer::start(|req, _| {
        let range = req.header("range").unwrap_or("");
        match range.strip_prefix("items ") {
            Some(_) => Reply::typed(
                206,
                "application/vnd.oasis.stix+json; version=2.0",
                &format!(
                    r#"{{"type":"bundle","objects":[{}]}}"#,
                    indicator(1, "2017-01-01T00:00:00.000Z")
                ),
            )
            .with_header("Content-Range", "items 0-0/1"),
            None => Reply::typed(416, "text/plain", "no"),
        }
    });
    let objects = client(&server)
        .taxii20_objects(&server.url("/c/"), 10)
        .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(server.requests().len(), 2);
}
