//! HTTP exchange: headers, credentials, retries, redirects, size limits and
//! the mapping of HTTP statuses to typed errors.
//!
//! Retry rules (why they differ by request):
//! - A plain `GET` or a `DELETE` is idempotent: it is retried on 429, 502,
//!   503, 504, timeouts and dropped connections.
//! - A `GET` carrying a `next` cursor is *not* idempotent on servers whose
//!   cursors are consumed by each request (medallion pops one page per
//!   request): repeating it after it may have reached the server would skip a
//!   page silently. It is retried only when the request provably did not
//!   reach the server (connection refused) or was refused before processing
//!   (429/503). Any other failure is returned to the caller, who restarts from
//!   its checkpoint (see [`crate::Pages`]).
//! - A `POST` follows the cursor rules: TAXII servers report re-posted objects
//!   as duplicates rather than failing, but a blind re-send is still avoided.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use ureq::http;
use url::Url;

use crate::config::{ClientConfig, Origin};
use crate::error::{Error, HttpFailure, Result, TaxiiError, TransportKind};
use crate::media::{self, MediaType};

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One request as the client layer describes it.
pub(crate) struct Request {
    pub method: Method,
    pub url: Url,
    pub body: Option<Vec<u8>>,
    /// The query carries a `next` cursor: never replay after it may have
    /// reached the server.
    pub cursor: Option<String>,
    /// A TAXII 2.0 request (other media types, `Range` paging).
    pub taxii20: Option<Taxii20Request>,
}

/// What differs in a TAXII 2.0 request.
pub(crate) struct Taxii20Request {
    pub range: String,
}

const TAXII20_ACCEPT: &str = "application/vnd.oasis.stix+json; version=2.0";

impl Request {
    pub fn get(url: Url) -> Request {
        Request {
            method: Method::Get,
            url,
            body: None,
            cursor: None,
            taxii20: None,
        }
    }
}

/// A successful (2xx) response with its body read.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub url: String,
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Removes user info from a URL so it can go into errors and logs.
pub(crate) fn redact(url: &Url) -> String {
    if url.username().is_empty() && url.password().is_none() {
        return url.to_string();
    }
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(512)];
    String::from_utf8_lossy(cut).into_owned()
}

/// The outcome of one attempt, before retry decisions.
enum Attempt {
    Done(Box<Response>),
    /// An HTTP error status (body already read, capped).
    Status(Box<RawFailure>),
    Transport {
        kind: TransportKind,
        message: String,
        /// The request may have been processed by the server.
        maybe_reached: bool,
    },
    Fatal(Error),
}

struct RawFailure {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    location: Option<String>,
}

/// The blocking HTTP layer shared by every handle of one client.
#[derive(Debug)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    pub(crate) config: ClientConfig,
}

impl Transport {
    pub fn new(config: ClientConfig) -> Result<Transport> {
        let agent = config.agent()?;
        Ok(Transport { agent, config })
    }

    /// Sends the request (following safe redirects, retrying per the module
    /// rules) and returns the 2xx response, or a typed error.
    pub fn execute(&self, req: &Request) -> Result<Response> {
        let mut url = req.url.clone();
        let mut redirects = 0;
        let mut attempt_no: u32 = 0;
        let retry = &self.config.retry;
        let started = Instant::now();
        loop {
            let outcome = self.attempt(req, &url);
            let (retryable, wait_hint, err) = match outcome {
                Attempt::Done(resp) => {
                    self.check_content_type(&resp, req.taxii20.is_some())?;
                    return Ok(*resp);
                }
                Attempt::Fatal(e) => return Err(e),
                Attempt::Status(raw) => {
                    if matches!(raw.status, 301 | 302 | 303 | 307 | 308) {
                        if let Some(loc) = &raw.location {
                            let next = self.check_redirect(req, &url, loc, redirects)?;
                            redirects += 1;
                            url = next;
                            continue;
                        }
                    }
                    let safe_status = matches!(raw.status, 429 | 503)
                        || (self.idempotent(req) && matches!(raw.status, 502 | 504));
                    let wait = retry_after(&raw.headers);
                    let err = self.status_error(req, &url, *raw);
                    (safe_status, wait, err)
                }
                Attempt::Transport {
                    kind,
                    message,
                    maybe_reached,
                } => {
                    let ok = match kind {
                        TransportKind::Connect => true,
                        TransportKind::Timeout
                        | TransportKind::ConnectionLost
                        | TransportKind::Protocol => !maybe_reached || self.idempotent(req),
                        _ => false,
                    };
                    let err = Error::Transport {
                        method: req.method.as_str().into(),
                        url: redact(&url),
                        kind,
                        message,
                    };
                    (ok, None, err)
                }
            };
            if !retryable || attempt_no >= retry.max_retries {
                return Err(err);
            }
            let mut delay = backoff(retry.base_delay, retry.max_delay, attempt_no);
            if let Some(w) = wait_hint {
                if w > retry.max_retry_after {
                    // Waiting that long would look like a hang: report instead.
                    return Err(err);
                }
                delay = delay.max(w);
            }
            if let Some(deadline) = retry.give_up_after {
                if started.elapsed() + delay > deadline {
                    return Err(err);
                }
            }
            std::thread::sleep(delay);
            attempt_no += 1;
        }
    }

    fn idempotent(&self, req: &Request) -> bool {
        req.cursor.is_none() && matches!(req.method, Method::Get | Method::Delete)
    }

    fn check_redirect(&self, req: &Request, from: &Url, loc: &str, n: u32) -> Result<Url> {
        let to = from.join(loc).map_err(|e| Error::InvalidUrl {
            url: loc.to_string(),
            reason: format!("bad Location header: {e}"),
        })?;
        let refuse = |reason: &str| Error::Redirect {
            from: redact(from),
            to: redact(&to),
            reason: reason.to_string(),
        };
        if req.method != Method::Get {
            return Err(refuse(
                "only GET requests are redirected (the body is not re-sent)",
            ));
        }
        if n >= self.config.max_redirects {
            return Err(refuse("too many redirects"));
        }
        if Origin::of(&to) != Origin::of(from) {
            return Err(refuse(
                "redirects are followed only within the same scheme, host and port \
                 (credentials must not leak to another host)",
            ));
        }
        Ok(to)
    }

    fn attempt(&self, req: &Request, url: &Url) -> Attempt {
        let accept = if req.taxii20.is_some() {
            TAXII20_ACCEPT
        } else {
            media::TAXII21
        };
        let mut b = http::Request::builder()
            .method(req.method.as_str())
            .uri(url.as_str())
            .header("Accept", accept)
            .header("User-Agent", &self.config.user_agent);
        if let Some(t) = &req.taxii20 {
            b = b.header("Range", &t.range);
        }
        // Credentials go only to origins the user configured (C2.3).
        if self.config.trusted.contains(&Origin::of(url)) {
            if let Some(v) = self.config.auth.header_value() {
                b = b.header("Authorization", v);
            }
            for (k, v) in &self.config.headers {
                b = b.header(k.as_str(), v.expose());
            }
        }
        let result = match &req.body {
            Some(body) => {
                b = b.header("Content-Type", media::TAXII21);
                match b.body(body.as_slice()) {
                    Ok(r) => self.agent.run(r),
                    Err(e) => return Attempt::Fatal(bad_header(e)),
                }
            }
            None => match b.body(()) {
                Ok(r) => self.agent.run(r),
                Err(e) => return Attempt::Fatal(bad_header(e)),
            },
        };
        let mut resp = match result {
            Ok(r) => r,
            Err(e) => return classify(e),
        };
        let status = resp.status().as_u16();
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let limit = self.config.max_response_bytes;
        let declared = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let is_error = !(200..300).contains(&status);
        if let Some(d) = declared {
            if d > limit && !is_error {
                return Attempt::Fatal(Error::ResponseTooLarge {
                    url: redact(url),
                    limit,
                    declared: Some(d),
                });
            }
        }
        // Error bodies are only needed for a message: read a bounded prefix.
        let cap = if is_error {
            limit.min(64 * 1024)
        } else {
            limit
        };
        let body = if status == 204 || req.method == Method::Delete && declared == Some(0) {
            Vec::new()
        } else {
            match resp.body_mut().with_config().limit(cap).read_to_vec() {
                Ok(b) => b,
                Err(ureq::Error::BodyExceedsLimit(_)) if !is_error => {
                    return Attempt::Fatal(Error::ResponseTooLarge {
                        url: redact(url),
                        limit,
                        declared,
                    })
                }
                Err(ureq::Error::BodyExceedsLimit(_)) => Vec::new(),
                Err(e) => return classify_body(e),
            }
        };
        if is_error {
            let location = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("location"))
                .map(|(_, v)| v.clone());
            return Attempt::Status(Box::new(RawFailure {
                status,
                headers,
                body,
                location,
            }));
        }
        Attempt::Done(Box::new(Response {
            url: redact(url),
            status,
            headers,
            body,
        }))
    }

    fn check_content_type(&self, resp: &Response, taxii20: bool) -> Result<()> {
        if resp.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(()); // empty bodies (DELETE) carry no resource
        }
        let ct = resp.header("content-type").unwrap_or("");
        let mt = MediaType::parse(ct);
        let ok = mt.as_ref().is_some_and(|m| {
            if taxii20 {
                m.is_taxii20() || m.essence == "application/json"
            } else {
                m.acceptable(self.config.content_type_policy)
            }
        });
        if ok {
            return Ok(());
        }
        let first = resp.body.iter().find(|b| !b.is_ascii_whitespace());
        let html = first == Some(&b'<') || mt.as_ref().is_some_and(|m| m.essence == "text/html");
        Err(Error::UnexpectedContentType {
            url: resp.url.clone(),
            status: resp.status,
            content_type: ct.to_string(),
            expected: if taxii20 {
                TAXII20_ACCEPT.to_string()
            } else {
                media::expected(self.config.content_type_policy).to_string()
            },
            snippet: snippet(&resp.body).chars().take(200).collect(),
            probable_login_page: html,
        })
    }

    fn status_error(&self, req: &Request, url: &Url, raw: RawFailure) -> Error {
        let header = |n: &str| {
            raw.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v.clone())
        };
        let content_type = header("content-type");
        let mt = content_type.as_deref().and_then(MediaType::parse);
        // Parse a TAXII error body whatever its label, but only if it is JSON
        // with a string `title` (HTML and plain-text bodies stay snippets).
        let taxii = serde_json::from_slice::<serde_json::Value>(&raw.body)
            .ok()
            .filter(|v| v.get("title").is_some_and(|t| t.is_string()))
            .and_then(|v| serde_json::from_value::<TaxiiError>(v).ok());
        let failure = Box::new(HttpFailure {
            method: req.method.as_str().into(),
            url: redact(url),
            status: raw.status,
            content_type: content_type.clone(),
            body_snippet: if taxii.is_some() {
                String::new()
            } else {
                snippet(&raw.body)
            },
            taxii,
        });
        match raw.status {
            400 | 404 if req.cursor.is_some() => Error::CursorExpired {
                next: req.cursor.clone().unwrap_or_default(),
                failure,
            },
            400 => Error::BadRequest(failure),
            401 => Error::Unauthorized {
                failure,
                challenge: header("www-authenticate"),
            },
            403 => Error::Forbidden(failure),
            404 => Error::NotFound(failure),
            406 => Error::NotAcceptable {
                failure,
                speaks_taxii20: mt.is_some_and(|m| m.is_taxii20()),
            },
            413 => Error::PayloadTooLarge {
                failure,
                max_content_length: None,
            },
            415 => Error::UnsupportedMediaType(failure),
            422 => Error::Unprocessable(failure),
            429 => Error::TooManyRequests(failure),
            500..=599 => Error::Server(failure),
            _ => Error::UnexpectedStatus(failure),
        }
    }
}

fn bad_header(e: http::Error) -> Error {
    Error::Config {
        message: format!("cannot build request (invalid header or URL): {e}"),
    }
}

fn io_kind(e: &std::io::Error) -> (TransportKind, bool) {
    use std::io::ErrorKind as K;
    // ureq hands TLS failures (unknown issuer, refused client certificate)
    // on as I/O errors wrapping the rustls error.
    if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
        return (TransportKind::Tls, false);
    }
    match e.kind() {
        K::ConnectionRefused | K::AddrNotAvailable => (TransportKind::Connect, false),
        K::TimedOut | K::WouldBlock => (TransportKind::Timeout, true),
        K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
            (TransportKind::ConnectionLost, true)
        }
        _ => (TransportKind::Other, true),
    }
}

fn classify(e: ureq::Error) -> Attempt {
    use ureq::Error as U;
    let message = e.to_string();
    let (kind, maybe_reached) = match &e {
        U::HostNotFound => (TransportKind::Dns, false),
        U::ConnectionFailed => (TransportKind::Connect, false),
        U::Timeout(t) => (
            TransportKind::Timeout,
            !matches!(t, ureq::Timeout::Resolve | ureq::Timeout::Connect),
        ),
        U::Io(io) => io_kind(io),
        U::Protocol(_) => (TransportKind::Protocol, true),
        U::Tls(_) | U::Pem(_) | U::Rustls(_) => (TransportKind::Tls, false),
        U::BadUri(_) | U::Http(_) | U::InvalidProxyUrl => {
            return Attempt::Fatal(Error::Config { message })
        }
        _ => (TransportKind::Other, true),
    };
    Attempt::Transport {
        kind,
        message,
        maybe_reached,
    }
}

fn classify_body(e: ureq::Error) -> Attempt {
    // The status line arrived: the request certainly reached the server.
    match classify(e) {
        Attempt::Transport { kind, message, .. } => Attempt::Transport {
            kind: if kind == TransportKind::Other {
                TransportKind::ConnectionLost
            } else {
                kind
            },
            message,
            maybe_reached: true,
        },
        other => other,
    }
}

/// `Retry-After` as delta-seconds or an HTTP date.
fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    let v = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))?
        .1
        .trim()
        .to_string();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(&v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// Exponential backoff with "equal jitter": half fixed, half random, so that
/// many clients released at once by a 503 do not return in lock-step.
fn backoff(base: Duration, max: Duration, attempt: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16)).min(max);
    let half = exp / 2;
    let mut h = RandomState::new().build_hasher();
    h.write_u32(attempt);
    let frac = (h.finish() % 1_000_000) as f64 / 1_000_000.0;
    half + half.mul_f64(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let b = Duration::from_millis(100);
        let m = Duration::from_secs(2);
        for a in 0..10 {
            let d = backoff(b, m, a);
            let full = b.saturating_mul(1 << a).min(m);
            assert!(d >= full / 2 && d <= full, "{a}: {d:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let h = |v: &str| vec![("Retry-After".to_string(), v.to_string())];
        assert_eq!(retry_after(&h("3")), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after(&h("Sun, 06 Nov 1994 08:49:37 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&h("soon")), None);
    }

    #[test]
    fn redaction_drops_user_info() {
        let u = Url::parse("https://alice:s3cret@example.org/taxii2/").unwrap();
        assert_eq!(redact(&u), "https://example.org/taxii2/");
    }
}
