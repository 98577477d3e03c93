//! A small scriptable HTTP/1.1 server on 127.0.0.1 (port 0) for fault tests:
//! each request is recorded and answered by a closure, which can also drop
//! the connection or send a truncated body.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, exactly as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    /// Decoded query parameters.
    pub fn query(&self) -> Vec<(String, String)> {
        let q = self.target.split_once('?').map(|x| x.1).unwrap_or("");
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    }
    pub fn param(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|x| x.1)
    }
}

/// What to answer.
pub enum Reply {
    /// A complete response.
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Bytes written as they are, then the connection is closed.
    Raw(Vec<u8>),
    /// Close the connection without answering.
    Drop,
    /// Never answer (until the client gives up).
    Hang,
}

pub const TAXII: &str = "application/taxii+json;version=2.1";

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::typed(status, TAXII, body)
    }
    pub fn typed(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Http {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn with_header(mut self, k: &str, v: &str) -> Reply {
        if let Reply::Http { headers, .. } = &mut self {
            headers.push((k.to_string(), v.to_string()));
        }
        self
    }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

pub struct MockServer {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Starts a server; `handler(request, index)` answers request number `index` (0-based).
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (seen3, handler3) = (seen2.clone(), handler.clone());
                std::thread::spawn(move || serve(conn, &seen3, &*handler3));
            }
        });
        MockServer {
            base: format!("http://127.0.0.1:{port}"),
            seen,
            stop,
            port,
            thread: Some(thread),
        }
    }

    /// The discovery URL.
    pub fn discovery(&self) -> String {
        format!("{}/taxii2/", self.base)
    }

    /// `{base}/api1/collections/{id}/` style URL helper.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(conn: TcpStream, seen: &Mutex<Vec<Seen>>, handler: &Handler) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        if method.is_empty() {
            return;
        }
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let req = Seen {
            method,
            target,
            headers,
            body,
        };
        let index = {
            let mut s = seen.lock().unwrap();
            s.push(req.clone());
            s.len() - 1
        };
        match handler(&req, index) {
            Reply::Http {
                status,
                headers,
                body,
            } => {
                let mut out = format!("HTTP/1.1 {status} X\r\n");
                let mut has_len = false;
                for (k, v) in &headers {
                    has_len |= k.eq_ignore_ascii_case("content-length");
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                if !has_len {
                    out.push_str(&format!("Content-Length: {}\r\n", body.len()));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&body);
                if conn.write_all(&bytes).is_err() {
                    return;
                }
                let _ = conn.flush();
            }
            Reply::Raw(bytes) => {
                let _ = conn.write_all(&bytes);
                let _ = conn.flush();
                let _ = conn.shutdown(std::net::Shutdown::Both);
                return;
            }
            Reply::Drop => {
                let _ = conn.shutdown(std::net::Shutdown::Both);
                return;
            }
            Reply::Hang => {
                std::thread::sleep(Duration::from_secs(5));
                return;
            }
        }
    }
}

/// A STIX indicator with a given number and version (`modified`).
pub fn indicator(n: u32, modified: &str) -> String {
    format!(
        r#"{{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-{n:012}","created":"2024-01-01T00:00:00.000Z","modified":"{modified}","pattern":"[ipv4-addr:value = '192.0.2.{}']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","x_custom_note":{{"kept":[1,2,3]}}}}"#,
        n % 250
    )
}

/// An envelope body.
pub fn envelope(objects: &[String], more: bool, next: Option<&str>) -> String {
    let next = next
        .map(|n| format!(r#","next":"{n}""#))
        .unwrap_or_default();
    format!(
        r#"{{"more":{more}{next},"objects":[{}]}}"#,
        objects.join(",")
    )
}
