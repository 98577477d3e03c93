//! The crate's one error type.
//!
//! Every variant carries plain, owned data (strings and integers) so that the
//! Python and C bindings can hand errors on as values, and so that an error can
//! be serialised. URLs in errors never contain credentials: the client strips
//! user info from every URL it is given.

use serde::{Deserialize, Serialize};

/// The TAXII 2.1 error message resource (§3.6.1), as far as the server sent one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxiiError {
    /// Human-readable title (required by the spec, but tolerated when absent).
    #[serde(default)]
    pub title: String,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Server-specific error identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    /// Server-specific error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// HTTP status as a string, as the server put it in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<String>,
    /// URL with more information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_details: Option<String>,
    /// Free-form details object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// What the server answered when a request failed with an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpFailure {
    /// HTTP method of the failed request.
    pub method: String,
    /// URL of the failed request (with query, without credentials).
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type` of the response, if any.
    pub content_type: Option<String>,
    /// The TAXII error resource, when the body was one.
    pub taxii: Option<TaxiiError>,
    /// The start of the body (at most 512 bytes, lossy UTF-8) for non-TAXII bodies.
    pub body_snippet: String,
}

impl HttpFailure {
    /// A one-line summary: the TAXII title and description, or the body snippet.
    pub fn summary(&self) -> String {
        match &self.taxii {
            Some(t) => match &t.description {
                Some(d) if !d.is_empty() => format!("{}: {}", t.title, d),
                _ => t.title.clone(),
            },
            None if self.body_snippet.trim().is_empty() => "(empty body)".to_string(),
            None => self.body_snippet.trim().chars().take(200).collect(),
        }
    }
}

impl std::fmt::Display for HttpFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} -> HTTP {}: {}",
            self.method,
            self.url,
            self.status,
            self.summary()
        )
    }
}

/// The kind of a transport-level failure (no usable HTTP response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// The host name did not resolve.
    Dns,
    /// The TCP (or proxy) connection could not be established.
    Connect,
    /// A timeout expired (connect, send, receive or overall).
    Timeout,
    /// The connection was reset or closed early, e.g. in the middle of the body.
    ConnectionLost,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// The server spoke broken HTTP.
    Protocol,
    /// Anything else.
    Other,
}

/// Why pagination could not continue safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StallReason {
    /// A page brought only objects the previous page had already delivered.
    RepeatedPage,
    /// `more: true` without `next`, and the `added_after` fallback did not advance.
    NoProgress,
    /// `more: true` without `next` and without `X-TAXII-Date-Added-Last`, so
    /// there is no safe way to ask for the rest.
    NoCursor,
    /// Several empty pages in a row, each claiming `more` with a `next`.
    EmptyPages,
}

/// Errors of the TAXII client.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Error {
    /// A URL given to the client (or found in a response) is unusable.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The offending URL (credentials removed).
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// A caller-supplied argument is invalid (bad timestamp, empty filter...).
    #[error("invalid argument: {message}")]
    InvalidArgument {
        /// What is wrong.
        message: String,
    },
    /// Client configuration failed (unreadable CA bundle, bad proxy URL...).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// No HTTP response could be obtained.
    #[error("{method} {url}: {kind:?} error: {message}")]
    Transport {
        /// HTTP method.
        method: String,
        /// Request URL.
        url: String,
        /// Classification.
        kind: TransportKind,
        /// Underlying error text.
        message: String,
    },
    /// 400 Bad Request.
    #[error("bad request: {0}")]
    BadRequest(Box<HttpFailure>),
    /// A request carrying a `next` cursor was refused (400/404): the cursor
    /// expired or the server lost it. Restart from the last checkpoint.
    #[error("pagination cursor {next:?} expired or was refused; restart from the last checkpoint: {failure}")]
    CursorExpired {
        /// The cursor that was refused.
        next: String,
        /// The server's answer.
        failure: Box<HttpFailure>,
    },
    /// 401 Unauthorized.
    #[error("unauthorized (check credentials{}): {failure}", challenge.as_ref().map(|c| format!("; server asks for {c}")).unwrap_or_default())]
    Unauthorized {
        /// The server's answer.
        failure: Box<HttpFailure>,
        /// The `WWW-Authenticate` challenge, if sent.
        challenge: Option<String>,
    },
    /// 403 Forbidden (e.g. reading a collection with `can_read: false`).
    #[error("forbidden: {0}")]
    Forbidden(Box<HttpFailure>),
    /// 404 Not Found (unknown API root, collection, object or status).
    #[error("not found: {0}")]
    NotFound(Box<HttpFailure>),
    /// 406 Not Acceptable: the server does not serve TAXII 2.1.
    #[error("server does not accept TAXII 2.1 (406){}: {failure}", if *speaks_taxii20 { "; it appears to speak TAXII 2.0" } else { "" })]
    NotAcceptable {
        /// The server's answer.
        failure: Box<HttpFailure>,
        /// The response media type revealed a TAXII 2.0 server.
        speaks_taxii20: bool,
    },
    /// 413 Payload Too Large.
    #[error("payload too large{}: {failure}", max_content_length.map(|m| format!(" (max_content_length {m})")).unwrap_or_default())]
    PayloadTooLarge {
        /// The server's answer.
        failure: Box<HttpFailure>,
        /// The API root's `max_content_length`, when known.
        max_content_length: Option<u64>,
    },
    /// 415 Unsupported Media Type.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(Box<HttpFailure>),
    /// 422 Unprocessable Content.
    #[error("unprocessable content: {0}")]
    Unprocessable(Box<HttpFailure>),
    /// 429 Too Many Requests, after retries were exhausted.
    #[error("too many requests (retries exhausted): {0}")]
    TooManyRequests(Box<HttpFailure>),
    /// A 5xx status, after retries (if allowed) were exhausted.
    #[error("server error: {0}")]
    Server(Box<HttpFailure>),
    /// Any other unexpected status (including unfollowed 3xx).
    #[error("unexpected HTTP status: {0}")]
    UnexpectedStatus(Box<HttpFailure>),
    /// A redirect was refused (other host, scheme downgrade, non-GET, too many).
    #[error("redirect from {from} to {to} refused: {reason}")]
    Redirect {
        /// Where the request went.
        from: String,
        /// Where the server sent it.
        to: String,
        /// Why it was not followed.
        reason: String,
    },
    /// The response has a media type that is not a TAXII resource.
    #[error("{url}: HTTP {status} with Content-Type {content_type:?}, expected {expected}{}; body starts: {snippet:?}", if *probable_login_page { " (looks like an HTML login page: authentication probably failed)" } else { "" })]
    UnexpectedContentType {
        /// Request URL.
        url: String,
        /// HTTP status.
        status: u16,
        /// What the server sent (empty when absent).
        content_type: String,
        /// What the client accepts.
        expected: String,
        /// The start of the body.
        snippet: String,
        /// The body is HTML: most likely a login page or proxy page.
        probable_login_page: bool,
    },
    /// The response is larger than the configured maximum.
    #[error("{url}: response larger than the limit of {limit} bytes{}", declared.map(|d| format!(" (Content-Length {d})")).unwrap_or_default())]
    ResponseTooLarge {
        /// Request URL.
        url: String,
        /// The configured maximum.
        limit: u64,
        /// The declared `Content-Length`, when that is what gave it away.
        declared: Option<u64>,
    },
    /// The body is not the JSON resource expected.
    #[error("{url}: malformed {resource}: {message}")]
    MalformedResponse {
        /// Request URL.
        url: String,
        /// Which resource was expected (`envelope`, `collection`...).
        resource: String,
        /// The parser's message, with line/column or JSON Pointer.
        message: String,
    },
    /// An envelope has no `objects` but another member holding a list of
    /// STIX-looking objects (strict mode only; otherwise it is a page warning).
    #[error("{url}: malformed envelope: member {member:?} holds {count} objects but `objects` is absent")]
    MalformedEnvelope {
        /// Request URL.
        url: String,
        /// The unexpected member, such as `items`.
        member: String,
        /// How many entries it holds.
        count: usize,
    },
    /// The server keeps answering without progress.
    #[error("{url}: pagination stalled ({reason:?}) after {pages} pages and {objects_received} objects{}", next.as_ref().map(|n| format!("; cursor {n:?}")).unwrap_or_default())]
    PaginationStalled {
        /// URL of the collection endpoint.
        url: String,
        /// Why.
        reason: StallReason,
        /// The last `next` value, if any.
        next: Option<String>,
        /// Pages received (including the stalled one).
        pages: u64,
        /// Objects handed to the caller before the stall.
        objects_received: u64,
    },
    /// The page cap configured on the client was reached.
    #[error("{url}: more than {limit} pages; stopping (raise `max_pages` if this is expected)")]
    TooManyPages {
        /// URL of the endpoint.
        url: String,
        /// The configured cap.
        limit: u64,
    },
    /// A status resource did not reach `complete` before the deadline.
    #[error("status {status_id} still pending after {waited_ms} ms ({pending} objects pending)")]
    StatusTimeout {
        /// Status id.
        status_id: String,
        /// Time waited.
        waited_ms: u64,
        /// Objects still pending at the last poll.
        pending: u64,
    },
    /// One object cannot be sent at all: alone it exceeds `max_content_length`.
    #[error("object {object_id:?} is {size} bytes in an envelope, over the API root's max_content_length of {max}")]
    ObjectTooLarge {
        /// Its id (or its index when it has none).
        object_id: String,
        /// Envelope size with this object alone.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Reading or writing a polling checkpoint failed.
    #[error("checkpoint {path}: {message}")]
    Checkpoint {
        /// File (or store) concerned.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status, for errors that come from an HTTP response.
    pub fn http_status(&self) -> Option<u16> {
        self.failure().map(|f| f.status).or(match self {
            Error::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        })
    }

    /// The server's answer, for errors that come from an HTTP status.
    pub fn failure(&self) -> Option<&HttpFailure> {
        match self {
            Error::BadRequest(f)
            | Error::Forbidden(f)
            | Error::NotFound(f)
            | Error::UnsupportedMediaType(f)
            | Error::Unprocessable(f)
            | Error::TooManyRequests(f)
            | Error::Server(f)
            | Error::UnexpectedStatus(f) => Some(f),
            Error::CursorExpired { failure, .. }
            | Error::Unauthorized { failure, .. }
            | Error::NotAcceptable { failure, .. }
            | Error::PayloadTooLarge { failure, .. } => Some(failure),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
