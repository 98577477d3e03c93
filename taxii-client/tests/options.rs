//! Client options on the wire: authentication schemes, extra headers, proxy,
//! TLS settings, cursor expiry, and the handles' thread-safety.

mod support;

use support::{envelope, indicator, MockServer, Reply};
use taxii_client::{Client, Error, Filter, TransportKind};

#[test]
fn bearer_token_and_extra_headers_are_sent() {
    let server = MockServer::start(|_, _| Reply::json(200, r#"{"title":"t"}"#));
    let c = Client::builder(&server.discovery())
        .bearer_token("tok-123")
        .header("X-Api-Key", "k-456")
        .user_agent("probe/1")
        .build()
        .unwrap();
    c.discover().unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(r.header("x-api-key"), Some("k-456"));
    assert_eq!(r.header("user-agent"), Some("probe/1"));
    assert_eq!(r.target, "/taxii2/");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("tok-123") && !dbg.contains("k-456"), "{dbg}");

    let server = MockServer::start(|_, _| Reply::json(200, r#"{"title":"t"}"#));
    Client::builder(&server.discovery())
        .token_auth("key-789")
        .build()
        .unwrap()
        .discover()
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Token key-789")
    );
    // The default user agent names the client and its version.
    let server = MockServer::start(|_, _| Reply::json(200, r#"{"title":"t"}"#));
    Client::new(&server.discovery())
        .unwrap()
        .discover()
        .unwrap();
    assert!(server.requests()[0]
        .header("user-agent")
        .unwrap()
        .starts_with("libstix-taxii-client/"));
}

/// An HTTP proxy is asked for a CONNECT tunnel (with the proxy credentials),
/// and the TAXII request travels inside it.
#[test]
fn requests_go_through_the_configured_proxy() {
    let proxy = MockServer::start(|req, _| {
        if req.method == "CONNECT" {
            Reply::Http {
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
            }
        } else {
            Reply::json(200, r#"{"title":"via proxy"}"#)
        }
    });
    // Nothing listens on the target: only the proxy can answer.
    let target = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = target.local_addr().unwrap().port();
    drop(target);
    let proxy_url = format!("http://pu:pp@{}", &proxy.base[7..]);
    let c = Client::builder(&format!("http://127.0.0.1:{port}/taxii2/"))
        .proxy(&proxy_url)
        .basic_auth("u", "p")
        .build()
        .unwrap();
    assert_eq!(c.discover().unwrap().title, "via proxy");
    let reqs = proxy.requests();
    assert_eq!(reqs[0].method, "CONNECT");
    assert_eq!(reqs[0].target, format!("127.0.0.1:{port}"));
    assert_eq!(
        reqs[0].header("proxy-authorization"),
        Some("Basic cHU6cHA=")
    );
    assert!(
        reqs[0].header("authorization").is_none(),
        "server credentials stay in the tunnel"
    );
    assert_eq!(reqs[1].target, "/taxii2/");
    assert_eq!(reqs[1].header("authorization"), Some("Basic dTpw"));
}

#[test]
fn https_to_a_plain_http_server_is_a_tls_error() {
    let server = MockServer::start(|_, _| Reply::json(200, r#"{"title":"t"}"#));
    let url = format!("https://{}/taxii2/", &server.base[7..]);
    let err = Client::builder(&url)
        .retry(taxii_client::RetryPolicy {
            max_retries: 0,
            ..Default::default()
        })
        .build()
        .unwrap()
        .discover()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls | TransportKind::Protocol | TransportKind::ConnectionLost,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn unusable_tls_material_is_a_config_error() {
    let err = Client::builder("https://127.0.0.1:1/taxii2/")
        .ca_bundle_pem(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = Client::builder("https://127.0.0.1:1/taxii2/")
        .ca_bundle("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let err = Client::builder("https://127.0.0.1:1/taxii2/")
        .client_cert_pem(
            b"nothing".to_vec(),
            "-----BEGIN PRIVATE KEY-----\nsecretkeymaterial\n-----END PRIVATE KEY-----\n",
        )
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(!err.to_string().contains("secretkeymaterial"));
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let c = Client::builder(&format!("http://127.0.0.1:{port}/taxii2/"))
        .retry(taxii_client::RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(5),
            ..Default::default()
        })
        .build()
        .unwrap();
    let err = c.discover().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
}

/// A refused cursor (expired, or the server lost it) says so, and the
/// iteration ends with the checkpoint of what was delivered.
#[test]
fn expired_cursor_is_a_typed_error() {
    let server = MockServer::start(|req, _| {
        if req.param("added_after").is_some() {
            Reply::json(
                200,
                &envelope(
                    &[
                        indicator(1, "2024-01-01T00:00:00.000Z"),
                        indicator(2, "2024-01-01T00:00:00.000Z"),
                    ],
                    false,
                    None,
                ),
            )
        } else if req.param("next").is_some() {
            Reply::json(
                400,
                r#"{"title":"ProcessingError","description":"'next' not valid","http_status":"400"}"#,
            )
        } else {
            Reply::json(
                200,
                &envelope(&[indicator(1, "2024-01-01T00:00:00.000Z")], true, Some("x")),
            )
            .with_header("X-TAXII-Date-Added-Last", "2024-02-02T00:00:00Z")
        }
    });
    let mut pages = Client::new(&server.discovery())
        .unwrap()
        .api_root(&server.url("/r/"))
        .unwrap()
        .collection("c")
        .unwrap()
        .objects(&Filter::new())
        .unwrap();
    pages.next().unwrap().unwrap();
    match pages.next().unwrap() {
        Err(Error::CursorExpired { next, failure }) => {
            assert_eq!(next, "x");
            assert_eq!(failure.status, 400);
            assert!(failure.summary().contains("'next' not valid"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 2, "not retried");
    assert_eq!(
        pages.checkpoint().unwrap().to_string(),
        "2024-02-02T00:00:00.000000Z"
    );
    // Restarting asks from just before the checkpoint, without the cursor,
    // and drops the object the first page already delivered.
    let again: Vec<_> = pages.restart().collect();
    assert_eq!(again.len(), 1);
    let page = again[0].as_ref().unwrap();
    assert_eq!(page.duplicates_dropped, 1);
    assert_eq!(page.items.len(), 1);
    assert!(page.items[0].id().unwrap().ends_with("000000000002"));
    let r = server.requests().pop().unwrap();
    assert_eq!(r.param("next"), None);
    assert_eq!(
        r.param("added_after").as_deref(),
        Some("2024-02-01T23:59:59.999999Z")
    );
}

#[test]
fn invalid_filters_fail_before_any_request() {
    let server = MockServer::start(|_, _| Reply::json(200, "{}"));
    let c = Client::new(&server.discovery())
        .unwrap()
        .api_root(&server.url("/r/"))
        .unwrap()
        .collection("c")
        .unwrap();
    let f = Filter::new()
        .version(taxii_client::VersionMatch::All)
        .version(taxii_client::VersionMatch::Last);
    let mut pages = c.objects(&f).unwrap();
    assert!(matches!(
        pages.next().unwrap(),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(pages.next().is_none());
    assert!(server.requests().is_empty());
}

#[test]
fn handles_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Client>();
    send_sync::<taxii_client::ApiRoot>();
    send_sync::<taxii_client::Collection>();
    send_sync::<Error>();
    send::<taxii_client::Pages<taxii_client::Object>>();
    send::<taxii_client::Poller>();
}
