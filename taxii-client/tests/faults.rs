//! Server faults a real TAXII server cannot be made to produce, played by a
//! scripted loopback server.

mod support;

use std::time::{Duration, Instant};

use support::{envelope, indicator, MockServer, Reply, TAXII};
use taxii_client::{
    Client, Error, Filter, RetryPolicy, StallReason, Status, Timestamp, TransportKind, WaitOptions,
};

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
        give_up_after: Some(Duration::from_secs(20)),
    }
}

fn client(s: &MockServer) -> Client {
    Client::builder(&s.discovery())
        .basic_auth("admin", "s3cret-Password")
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn collection(s: &MockServer) -> taxii_client::Collection {
    client(s)
        .api_root(&s.url("/api1/"))
        .unwrap()
        .collection("91a7b528-80eb-42ed-a74d-c6fbd5a26116")
        .unwrap()
}

fn ids(pages: Vec<taxii_client::Page<taxii_client::Object>>) -> Vec<String> {
    pages
        .into_iter()
        .flat_map(|p| p.items)
        .map(|o| o.id().unwrap().to_string())
        .collect()
}

/// `more: true` and never a `next`: the client continues by date, inclusive
/// of the last timestamp, and drops what it already has (C5.2). The data has
/// ties at the page boundaries, so the naive strict `added_after` would lose
/// objects.
#[test]
fn more_without_next_loses_nothing_at_ties() {
    // (object number, date_added); ties of three straddle the 3-item pages.
    let data: Vec<(u32, &str)> = vec![
        (1, "2024-01-01T00:00:00.000000Z"),
        (2, "2024-01-01T00:01:00.000000Z"),
        (3, "2024-01-01T00:02:00.000000Z"),
        (4, "2024-01-01T00:02:00.000000Z"),
        (5, "2024-01-01T00:02:00.000000Z"),
        (6, "2024-01-01T00:03:00.000000Z"),
        (7, "2024-01-01T00:04:00.000000Z"),
        (8, "2024-01-01T00:04:00.000000Z"),
        (9, "2024-01-01T00:05:00.000000Z"),
        (10, "2024-01-01T00:06:00.000000Z"),
    ];
    let server = MockServer::start(move |req, _| {
        let after = req
            .param("added_after")
            .map(|a| Timestamp::parse(&a).unwrap());
        let limit: usize = req.param("limit").unwrap().parse().unwrap();
        let rest: Vec<_> = data
            .iter()
            .filter(|(_, d)| after.map_or(true, |a| Timestamp::parse(d).unwrap() > a))
            .collect();
        let page: Vec<_> = rest.iter().take(limit).collect();
        let objs: Vec<String> = page
            .iter()
            .map(|(n, _)| indicator(*n, "2024-01-01T00:00:00.000Z"))
            .collect();
        let more = rest.len() > page.len();
        let mut r = Reply::json(200, &envelope(&objs, more, None));
        if let (Some(f), Some(l)) = (page.first(), page.last()) {
            r = r
                .with_header("X-TAXII-Date-Added-First", f.1)
                .with_header("X-TAXII-Date-Added-Last", l.1);
        }
        r
    });
    let pages: Vec<_> = collection(&server)
        .objects(&Filter::new().limit(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let got = ids(pages);
    let expected: Vec<String> = (1..=10)
        .map(|n| format!("indicator--00000000-0000-4000-8000-{n:012}"))
        .collect();
    assert_eq!(got, expected, "every object exactly once, in order");
    let reqs = server.requests();
    assert!(reqs.iter().all(|r| r.param("next").is_none()));
    // The second request asks inclusively from the tie's timestamp.
    assert_eq!(
        reqs[1].param("added_after").as_deref(),
        Some("2024-01-01T00:01:59.999999Z")
    );
}

/// A tie longer than a page with `more` and no `next` cannot be crossed:
/// typed error instead of a loop.
#[test]
fn more_without_next_that_cannot_advance_is_a_stall() {
    let server = MockServer::start(|_, _| {
        let objs: Vec<String> = (1..=2)
            .map(|n| indicator(n, "2024-01-01T00:00:00.000Z"))
            .collect();
        Reply::json(200, &envelope(&objs, true, None))
            .with_header("X-TAXII-Date-Added-Last", "2024-01-01T00:00:00Z")
    });
    let mut pages = collection(&server)
        .objects(&Filter::new().limit(2))
        .unwrap();
    assert_eq!(pages.next().unwrap().unwrap().items.len(), 2);
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::PaginationStalled {
                reason: StallReason::NoProgress,
                objects_received: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(pages.next().is_none());
    assert!(server.requests().len() <= 3);
}

/// `more: true` without `next` and without the date header: no safe way on.
#[test]
fn more_without_next_or_date_header_is_a_typed_error() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            200,
            &envelope(&[indicator(1, "2024-01-01T00:00:00.000Z")], true, None),
        )
    });
    let mut pages = collection(&server).objects(&Filter::new()).unwrap();
    assert_eq!(pages.next().unwrap().unwrap().items.len(), 1);
    assert!(matches!(
        pages.next().unwrap(),
        Err(Error::PaginationStalled {
            reason: StallReason::NoCursor,
            ..
        })
    ));
    assert_eq!(server.requests().len(), 1);
}

/// Medallion-style consuming cursor: the same `next` string on every page is
/// normal as long as the pages differ.
#[test]
fn same_next_string_with_new_pages_is_not_a_loop() {
    let server = MockServer::start(|req, i| {
        if i > 0 {
            assert_eq!(req.param("next").as_deref(), Some("tok"));
            assert_eq!(req.param("limit").as_deref(), Some("2"));
        }
        let objs = vec![
            indicator(i as u32 * 2, "2024-01-01T00:00:00.000Z"),
            indicator(i as u32 * 2 + 1, "2024-01-01T00:00:00.000Z"),
        ];
        let more = i < 3;
        Reply::json(200, &envelope(&objs, more, more.then_some("tok")))
    });
    let n: usize = collection(&server)
        .objects(&Filter::new().limit(2))
        .unwrap()
        .map(|p| p.unwrap().items.len())
        .sum();
    assert_eq!(n, 8);
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn envelope_without_objects_is_empty_not_an_error() {
    let server = MockServer::start(|_, i| match i {
        0 => Reply::json(200, "{}"),
        _ => Reply::json(200, r#"{"more": false}"#),
    });
    let c = collection(&server);
    for _ in 0..2 {
        let pages: Vec<_> = c
            .objects(&Filter::new())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].items.is_empty() && pages[0].warnings.is_empty());
    }
}

#[test]
fn objects_under_items_are_reported_not_silently_dropped() {
    let body = format!(
        r#"{{"more":false,"items":[{}]}}"#,
        indicator(1, "2024-01-01T00:00:00.000Z")
    );
    let server = MockServer::start(move |_, _| Reply::json(200, &body));
    let page = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert!(page.items.is_empty());
    assert!(page.warnings.iter().any(|w| w.contains("\"items\"")));
    assert_eq!(page.extra["items"].as_array().unwrap().len(), 1);
}

#[test]
fn bundle_posing_as_envelope_is_read_with_a_warning() {
    let body = format!(
        r#"{{"type":"bundle","id":"bundle--11111111-1111-4111-8111-111111111111","objects":[{},{}]}}"#,
        indicator(1, "2024-01-01T00:00:00.000Z"),
        indicator(2, "2024-01-01T00:00:00.000Z")
    );
    let server = MockServer::start(move |_, _| Reply::json(200, &body));
    let page = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(!page.more);
    assert!(page.warnings.iter().any(|w| w.contains("bundle")));
    // Strict mode refuses it.
    let strict = Client::builder(&server.discovery())
        .strict_envelopes(true)
        .build()
        .unwrap()
        .api_root(&server.url("/api1/"))
        .unwrap()
        .collection("91a7b528-80eb-42ed-a74d-c6fbd5a26116")
        .unwrap();
    assert!(matches!(
        strict.objects(&Filter::new()).unwrap().next().unwrap(),
        Err(Error::MalformedEnvelope { .. })
    ));
}

#[test]
fn too_many_requests_honours_retry_after() {
    let server = MockServer::start(|_, i| match i {
        0 => Reply::json(429, r#"{"title":"slow down"}"#).with_header("Retry-After", "1"),
        _ => Reply::json(
            200,
            &envelope(&[indicator(1, "2024-01-01T00:00:00.000Z")], false, None),
        ),
    });
    let t = Instant::now();
    let page = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn too_many_requests_with_huge_retry_after_is_reported() {
    let server = MockServer::start(|_, _| {
        Reply::json(429, r#"{"title":"come back tomorrow"}"#).with_header("Retry-After", "86400")
    });
    let err = collection(&server).information().unwrap_err();
    assert!(matches!(err, Error::TooManyRequests(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

fn truncated(full: &str) -> Reply {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {TAXII}\r\nContent-Length: {}\r\n\r\n",
        full.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&full.as_bytes()[..full.len() / 3]);
    Reply::Raw(bytes)
}

/// A plain GET whose body is cut off is retried.
#[test]
fn connection_dropped_mid_body_is_retried_for_plain_get() {
    let body = envelope(&[indicator(1, "2024-01-01T00:00:00.000Z")], false, None);
    let server = MockServer::start(move |_, i| match i {
        0 => truncated(&body),
        _ => Reply::json(200, &body),
    });
    let page = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(server.requests().len(), 2);
}

/// A GET carrying `next` whose body is cut off is never replayed (it may have
/// consumed the cursor); the caller gets the error and the checkpoint.
#[test]
fn connection_dropped_mid_body_on_a_next_request_is_not_replayed() {
    let server = MockServer::start(move |req, _| {
        if req.param("next").is_some() {
            truncated(&envelope(
                &[indicator(2, "2024-01-01T00:00:00.000Z")],
                false,
                None,
            ))
        } else {
            Reply::json(
                200,
                &envelope(
                    &[indicator(1, "2024-01-01T00:00:00.000Z")],
                    true,
                    Some("n1"),
                ),
            )
            .with_header("X-TAXII-Date-Added-Last", "2024-01-05T00:00:00Z")
        }
    });
    let mut pages = collection(&server).objects(&Filter::new()).unwrap();
    assert_eq!(pages.next().unwrap().unwrap().items.len(), 1);
    let err = pages.next().unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::ConnectionLost,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(pages.next().is_none());
    assert_eq!(
        pages.checkpoint().unwrap().to_string(),
        "2024-01-05T00:00:00.000000Z"
    );
    let with_next = server
        .requests()
        .iter()
        .filter(|r| r.param("next").is_some())
        .count();
    assert_eq!(with_next, 1, "the cursor request must not be replayed");
}

/// 502 on a cursor request: the gateway may have forwarded it; no retry.
#[test]
fn bad_gateway_on_a_next_request_is_not_retried() {
    let server = MockServer::start(move |req, _| {
        if req.param("next").is_some() {
            Reply::typed(502, "text/html", "<html>bad gateway</html>")
        } else {
            Reply::json(
                200,
                &envelope(
                    &[indicator(1, "2024-01-01T00:00:00.000Z")],
                    true,
                    Some("n1"),
                ),
            )
        }
    });
    let results: Vec<_> = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .collect();
    assert!(matches!(results[1], Err(Error::Server(ref f)) if f.status == 502));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn plain_get_is_retried_on_503_then_succeeds() {
    let server = MockServer::start(|_, i| match i {
        0 | 1 => Reply::typed(503, "text/plain", "busy"),
        _ => Reply::json(
            200,
            r#"{"id":"c","title":"t","can_read":true,"can_write":false}"#,
        ),
    });
    let info = collection(&server).information().unwrap();
    assert_eq!(info.title, "t");
    assert_eq!(
        info.media_types,
        vec!["application/stix+json"],
        "absent media_types default"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn html_page_with_status_200_is_a_typed_error() {
    let server = MockServer::start(|_, _| {
        Reply::typed(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body><form>Sign in</form></body></html>",
        )
    });
    let err = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    match err {
        Error::UnexpectedContentType {
            status,
            probable_login_page,
            ref content_type,
            ..
        } => {
            assert_eq!(status, 200);
            assert!(probable_login_page);
            assert!(content_type.starts_with("text/html"));
        }
        other => panic!("{other:?}"),
    }
}

/// A declared 2 GB body is refused from the headers, without reading it.
#[test]
fn two_gigabyte_content_length_is_refused_without_reading() {
    let server = MockServer::start(|_, _| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {TAXII}\r\nContent-Length: 2147483648\r\n\r\n{{\"objects\":["
        );
        Reply::Raw(head.into_bytes())
    });
    let t = Instant::now();
    let err = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                declared: Some(2147483648),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests().len(), 1, "not retried");
}

/// A body larger than the limit without a Content-Length is cut at the limit.
#[test]
fn chunked_body_over_the_limit_is_refused() {
    let server = MockServer::start(|_, _| {
        let body = envelope(
            &(0..200)
                .map(|n| indicator(n, "2024-01-01T00:00:00.000Z"))
                .collect::<Vec<_>>(),
            false,
            None,
        );
        let mut raw = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {TAXII}\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .into_bytes();
        raw.extend_from_slice(format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len()).as_bytes());
        Reply::Raw(raw)
    });
    let c = Client::builder(&server.discovery())
        .max_response_bytes(10_000)
        .build()
        .unwrap()
        .api_root(&server.url("/api1/"))
        .unwrap();
    let err = c.information().unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 10_000,
                declared: None,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn silent_server_hits_the_read_timeout() {
    let server = MockServer::start(|_, _| Reply::Hang);
    let c = Client::builder(&server.discovery())
        .read_timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            max_retries: 0,
            ..fast_retry()
        })
        .build()
        .unwrap();
    let t = Instant::now();
    let err = c.discover().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(3));
}

fn status_json(state: &str, pending: u64) -> String {
    let done = 2 - pending;
    let succ: Vec<String> = (0..done)
        .map(|n| {
            format!(
                r#"{{"id":"indicator--00000000-0000-4000-8000-{n:012}","version":"2024-01-01T00:00:00.000Z"}}"#
            )
        })
        .collect();
    let pend: Vec<String> = (done..2)
        .map(|n| {
            format!(
                r#"{{"id":"indicator--00000000-0000-4000-8000-{n:012}","version":"2024-01-01T00:00:00.000Z"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"id":"st-1","status":"{state}","total_count":2,"success_count":{done},"failure_count":0,"pending_count":{pending},"successes":[{}],"pendings":[{}]}}"#,
        succ.join(","),
        pend.join(",")
    )
}

#[test]
fn pending_status_is_polled_until_complete() {
    let server = MockServer::start(|req, _| match (req.method.as_str(), req.path()) {
        ("POST", _) => Reply::json(202, &status_json("pending", 2)),
        ("GET", "/api1/status/st-1/") => {
            let polls = req.header("x-poll").is_none(); // always true; counts via requests()
            let _ = polls;
            Reply::json(200, &status_json("pending", 1))
        }
        _ => Reply::json(404, r#"{"title":"nope"}"#),
    });
    let c = collection(&server);
    let objs: Vec<_> = (0..2)
        .map(|n| {
            taxii_client::Object::from_json(&indicator(n, "2024-01-01T00:00:00.000Z")).unwrap()
        })
        .collect();
    let wait = WaitOptions {
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(100),
        deadline: Duration::from_millis(700),
    };
    // The server never completes: deadline.
    let err = c.publish_with_limit(&objs, 4096, &wait).unwrap_err();
    assert!(
        matches!(err, Error::StatusTimeout { pending: 1, .. }),
        "{err:?}"
    );
    let reqs = server.requests();
    let post = &reqs[0];
    assert_eq!(post.header("content-type"), Some(TAXII));
    assert_eq!(post.header("accept"), Some(TAXII));
    assert!(post.header("content-length").is_some());
    let polls = reqs.iter().filter(|r| r.method == "GET").count();
    assert!(polls >= 2, "polled {polls} times");
}

#[test]
fn pending_then_complete_reports_every_object() {
    let server = MockServer::start(|req, i| match req.method.as_str() {
        "POST" => Reply::json(202, &status_json("pending", 2)),
        _ if i < 3 => Reply::json(200, &status_json("pending", 1)),
        _ => Reply::json(200, &status_json("complete", 0)),
    });
    let c = collection(&server);
    let objs: Vec<_> = (0..2)
        .map(|n| {
            taxii_client::Object::from_json(&indicator(n, "2024-01-01T00:00:00.000Z")).unwrap()
        })
        .collect();
    let wait = WaitOptions {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(50),
        deadline: Duration::from_secs(10),
    };
    let report = c.publish_with_limit(&objs, 100_000, &wait).unwrap();
    assert_eq!(report.statuses.len(), 1);
    let s: &Status = &report.statuses[0];
    assert!(s.is_complete() && s.counts_consistent());
    assert_eq!(report.success_count(), 2);
    assert_eq!(report.successes().len(), 2);
    assert!(report.pendings().is_empty());
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn status_with_null_counts_is_a_typed_error() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            202,
            r#"{"id":"s","status":"complete","total_count":null,"success_count":null,"failure_count":null,"pending_count":null}"#,
        )
    });
    let err = collection(&server)
        .add_envelope(br#"{"objects":[]}"#.to_vec())
        .unwrap_err();
    assert!(matches!(err, Error::MalformedResponse { .. }), "{err:?}");
}

/// Redirects are followed within the origin (with credentials) and refused
/// towards another host (credentials must not follow).
#[test]
fn redirects_stay_on_the_same_origin() {
    let other = MockServer::start(|_, _| Reply::json(200, r#"{"title":"elsewhere"}"#));
    let other_base = other.base.clone();
    let server = MockServer::start(move |req, _| match req.path() {
        "/taxii2/" => Reply::typed(308, "text/plain", "").with_header("Location", "/taxii2/real/"),
        "/taxii2/real/" => Reply::json(200, r#"{"title":"here","api_roots":[]}"#),
        "/api1/" => Reply::typed(302, "text/plain", "")
            .with_header("Location", &format!("{other_base}/api1/")),
        _ => Reply::json(404, r#"{"title":"no"}"#),
    });
    let c = client(&server);
    assert_eq!(c.discover().unwrap().title, "here");
    let reqs = server.requests();
    assert!(reqs[1]
        .header("authorization")
        .unwrap()
        .starts_with("Basic "));
    let err = c
        .api_root(&server.url("/api1/"))
        .unwrap()
        .information()
        .unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(
        other.requests().is_empty(),
        "nothing may reach the other host"
    );
}

/// An API root on another host listed by discovery gets no credentials.
#[test]
fn credentials_are_not_sent_to_other_origins() {
    let other = MockServer::start(|_, _| {
        Reply::json(
            200,
            r#"{"title":"r","versions":["application/taxii+json;version=2.1"],"max_content_length":10}"#,
        )
    });
    let server = MockServer::start(|_, _| Reply::json(200, r#"{"title":"d"}"#));
    let c = client(&server);
    let info = c
        .api_root(&other.url("/root/"))
        .unwrap()
        .information()
        .unwrap();
    assert!(info.supports_taxii21());
    assert!(other.requests()[0].header("authorization").is_none());
}

#[test]
fn secrets_stay_out_of_errors() {
    let server = MockServer::start(|_, _| {
        Reply::typed(401, "text/html", "<html>Unauthorized Access</html>")
            .with_header("WWW-Authenticate", "Basic realm=\"x\"")
    });
    let c = Client::builder(&format!(
        "http://admin:url-secret-pw@{}/taxii2/",
        &server.base[7..]
    ))
    .build()
    .unwrap();
    let err = c.discover().unwrap_err();
    let text = format!("{err} {err:?} {}", serde_json::to_string(&err).unwrap());
    assert!(!text.contains("url-secret-pw"), "{text}");
    assert!(matches!(err, Error::Unauthorized { .. }));
    // The URL credentials were sent as Basic auth.
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_string();
    assert_eq!(auth, "Basic YWRtaW46dXJsLXNlY3JldC1wdw==");
}

#[test]
fn each_error_status_has_its_own_variant() {
    let server = MockServer::start(|req, _| {
        let code: u16 = req
            .path()
            .trim_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Reply::json(
            code,
            &format!(r#"{{"title":"status {code}","http_status":"{code}","error_id":"e{code}"}}"#),
        )
    });
    let c = client(&server);
    let get = |code: u16| {
        c.api_root(&server.url(&format!("/x/{code}/")))
            .unwrap()
            .information()
            .unwrap_err()
    };
    assert!(matches!(get(400), Error::BadRequest(_)));
    assert!(matches!(get(401), Error::Unauthorized { .. }));
    assert!(matches!(get(403), Error::Forbidden(_)));
    assert!(matches!(get(404), Error::NotFound(_)));
    assert!(matches!(get(406), Error::NotAcceptable { .. }));
    assert!(matches!(get(413), Error::PayloadTooLarge { .. }));
    assert!(matches!(get(415), Error::UnsupportedMediaType(_)));
    assert!(matches!(get(422), Error::Unprocessable(_)));
    assert!(matches!(get(500), Error::Server(_)));
    let e = get(422);
    let f = e.failure().unwrap();
    assert_eq!(f.taxii.as_ref().unwrap().error_id.as_deref(), Some("e422"));
    assert!(e.to_string().contains("status 422"), "{e}");
}

/// Empty pages that keep claiming more: followed a little, then a stall.
#[test]
fn empty_pages_claiming_more_are_a_stall() {
    let server =
        MockServer::start(|_, _| Reply::json(200, r#"{"more":true,"next":"z","objects":[]}"#));
    let results: Vec<_> = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .collect();
    assert_eq!(results.len(), 4);
    assert!(results[..3]
        .iter()
        .all(|r| r.as_ref().unwrap().items.is_empty()));
    assert!(matches!(
        results[3],
        Err(Error::PaginationStalled {
            reason: StallReason::EmptyPages,
            ..
        })
    ));
    assert_eq!(server.requests().len(), 3);
}

/// `more: true` with an empty page and no `next` ends normally (§3.5).
#[test]
fn empty_page_claiming_more_without_next_ends_normally() {
    let server = MockServer::start(|_, i| match i {
        0 => Reply::json(
            200,
            &envelope(&[indicator(1, "2024-01-01T00:00:00.000Z")], true, Some("a")),
        ),
        _ => Reply::json(200, r#"{"more":true}"#),
    });
    let objects = collection(&server)
        .objects(&Filter::new())
        .unwrap()
        .collect_items()
        .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(server.requests().len(), 2);
}
