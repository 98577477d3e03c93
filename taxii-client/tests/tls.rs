//! TLS: certificate verification on by default, a custom CA bundle, the
//! explicit opt-out, and client certificates (mutual TLS), against a small
//! rustls server on 127.0.0.1 with the test-only material in `tests/tls/`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use taxii_client::{Client, Error, RetryPolicy, TransportKind};

fn material(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tls")
        .join(name)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Serves discovery over TLS; `require_client_cert` turns on mutual TLS.
/// Returns the discovery URL.
fn tls_server(require_client_cert: bool) -> String {
    let certs = CertificateDer::pem_file_iter(material("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(material("server.key")).unwrap();
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = if require_client_cert {
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_file_iter(material("ca.pem")).unwrap() {
            roots.add(c.unwrap()).unwrap();
        }
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider())
                .build()
                .unwrap();
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let config = Arc::new(builder.with_single_cert(certs, key).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut reader = BufReader::new(&mut tls);
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return, // handshake refused or closed
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                let body = r#"{"title":"tls discovery"}"#;
                let _ = write!(
                    tls,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/taxii+json;version=2.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    format!("https://127.0.0.1:{port}/taxii2/")
}

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    }
}

#[test]
fn unknown_issuer_is_refused_by_default() {
    let url = tls_server(false);
    let err = Client::builder(&url)
        .retry(no_retry())
        .build()
        .unwrap()
        .discover()
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn custom_ca_bundle_is_trusted() {
    let url = tls_server(false);
    let d = Client::builder(&url)
        .ca_bundle(material("ca.pem"))
        .retry(no_retry())
        .build()
        .unwrap()
        .discover()
        .unwrap();
    assert_eq!(d.title, "tls discovery");
}

#[test]
fn verification_can_only_be_disabled_explicitly() {
    let url = tls_server(false);
    let d = Client::builder(&url)
        .danger_accept_invalid_certs(true)
        .retry(no_retry())
        .build()
        .unwrap()
        .discover()
        .unwrap();
    assert_eq!(d.title, "tls discovery");
}

#[test]
fn client_certificate_for_mutual_tls() {
    let url = tls_server(true);
    let with_cert = Client::builder(&url)
        .ca_bundle(material("ca.pem"))
        .client_cert_files(material("client.pem"), material("client.key"))
        .retry(no_retry())
        .build()
        .unwrap();
    assert_eq!(with_cert.discover().unwrap().title, "tls discovery");
    let without = Client::builder(&url)
        .ca_bundle(material("ca.pem"))
        .retry(no_retry())
        .build()
        .unwrap();
    let err = without.discover().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
}
