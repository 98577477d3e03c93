//! Client configuration: credentials, TLS, proxy, timeouts, retries, limits.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::media::ContentTypePolicy;
use crate::transport::{redact, Transport};

/// A secret string (password, token, header value). Its `Debug` output is
/// `"***"`, so it cannot end up in logs or error messages by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    /// The secret itself (only call this to put it on the wire).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// How the client authenticates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// HTTP Basic (RFC 7617), the scheme TAXII 2.1 requires servers to offer.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
    },
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Token <key>` (used by some TAXII servers).
    Token(Secret),
}

impl Auth {
    pub(crate) fn header_value(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Basic { user, password } => {
                let raw = format!("{user}:{}", password.expose());
                Some(format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw.as_bytes())
                ))
            }
            Auth::Bearer(t) => Some(format!("Bearer {}", t.expose())),
            Auth::Token(t) => Some(format!("Token {}", t.expose())),
        }
    }
}

/// Scheme, host and port: the unit credentials and redirects are scoped to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin(String);

impl Origin {
    pub fn of(url: &Url) -> Origin {
        Origin(url.origin().ascii_serialization())
    }
}

/// When and how often failed requests are retried (see the transport rules:
/// requests carrying a `next` cursor are retried only when they provably
/// did not reach the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// First backoff delay; doubled per retry, with jitter.
    pub base_delay: Duration,
    /// Cap of one backoff delay.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for; the error is returned.
    pub max_retry_after: Duration,
    /// Stop retrying when this much time has passed since the first attempt.
    pub give_up_after: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            give_up_after: Some(Duration::from_secs(300)),
        }
    }
}

/// Where the TLS trust anchors come from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Roots {
    WebPki,
    Pem(Vec<u8>),
}

/// Everything a client needs; built by [`ClientBuilder`].
#[derive(Debug, Clone)]
pub(crate) struct ClientConfig {
    pub discovery: Url,
    pub auth: Auth,
    pub headers: Vec<(String, Secret)>,
    pub trusted: Vec<Origin>,
    pub user_agent: String,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub request_timeout: Option<Duration>,
    pub retry: RetryPolicy,
    pub max_response_bytes: u64,
    pub max_redirects: u32,
    pub content_type_policy: ContentTypePolicy,
    pub strict_envelopes: bool,
    pub default_limit: Option<u32>,
    pub max_pages: Option<u64>,
    roots: Roots,
    client_cert: Option<(Vec<u8>, Secret)>,
    insecure: bool,
    proxy: Option<Secret>,
    proxy_from_env: bool,
}

impl ClientConfig {
    pub(crate) fn agent(&self) -> Result<ureq::Agent> {
        use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};
        let cfg_err = |m: String| Error::Config { message: m };
        let mut tls = TlsConfig::builder().disable_verification(self.insecure);
        if let Roots::Pem(pem) = &self.roots {
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(pem)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(Ok(c)),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| cfg_err(format!("CA bundle: {e}")))?;
            if certs.is_empty() {
                return Err(cfg_err("CA bundle holds no certificate".into()));
            }
            tls = tls.root_certs(RootCerts::new_with_certs(&certs));
        }
        if let Some((chain, key)) = &self.client_cert {
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(chain)
                .filter_map(|i| match i {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(cfg_err(
                    "client certificate PEM holds no certificate".into(),
                ));
            }
            // The key error text never contains key material.
            let key = PrivateKey::from_pem(key.expose().as_bytes())
                .map_err(|e| cfg_err(format!("client key: {e}")))?;
            tls = tls.client_cert(Some(ClientCert::new_with_certs(&certs, key)));
        }
        let proxy = match (&self.proxy, self.proxy_from_env) {
            (Some(p), _) => {
                Some(ureq::Proxy::new(p.expose()).map_err(|e| cfg_err(format!("proxy URL: {e}")))?)
            }
            (None, true) => ureq::Proxy::try_from_env(),
            (None, false) => None,
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(proxy)
            .tls_config(tls.build())
            .user_agent(self.user_agent.clone())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .timeout_recv_response(Some(self.read_timeout))
            .timeout_per_call(self.request_timeout)
            .build();
        Ok(ureq::Agent::new_with_config(config))
    }
}

/// Builds a [`Client`]. Timeouts, retries and TLS verification are on by default.
///
/// ```no_run
/// let client = taxii_client::Client::builder("https://taxii.example.org/taxii2/")
///     .basic_auth("user", "password")
///     .build()?;
/// # Ok::<(), taxii_client::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    url: String,
    cfg: ClientConfigDraft,
}

#[derive(Debug, Clone)]
struct ClientConfigDraft {
    auth: Auth,
    headers: Vec<(String, Secret)>,
    trusted_extra: Vec<String>,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    max_redirects: u32,
    content_type_policy: ContentTypePolicy,
    strict_envelopes: bool,
    default_limit: Option<u32>,
    max_pages: Option<u64>,
    ca_bundle: Option<PathBuf>,
    ca_pem: Option<Vec<u8>>,
    client_cert: Option<(Vec<u8>, Secret)>,
    client_cert_files: Option<(PathBuf, PathBuf)>,
    insecure: bool,
    allow_http: bool,
    proxy: Option<Secret>,
    proxy_from_env: bool,
}

impl ClientBuilder {
    pub(crate) fn new(url: &str) -> ClientBuilder {
        ClientBuilder {
            url: url.to_string(),
            cfg: ClientConfigDraft {
                auth: Auth::None,
                headers: Vec::new(),
                trusted_extra: Vec::new(),
                user_agent: format!("libstix-taxii-client/{}", env!("CARGO_PKG_VERSION")),
                connect_timeout: Duration::from_secs(30),
                read_timeout: Duration::from_secs(120),
                request_timeout: Some(Duration::from_secs(600)),
                retry: RetryPolicy::default(),
                max_response_bytes: 256 * 1024 * 1024,
                max_redirects: 5,
                content_type_policy: ContentTypePolicy::Standard,
                strict_envelopes: false,
                default_limit: Some(100),
                max_pages: Some(1_000_000),
                ca_bundle: None,
                ca_pem: None,
                client_cert: None,
                client_cert_files: None,
                insecure: false,
                allow_http: false,
                proxy: None,
                proxy_from_env: false,
            },
        }
    }

    /// HTTP Basic credentials (sent only to the discovery URL's origin and
    /// origins added with [`trust_origin`](Self::trust_origin)).
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.cfg.auth = Auth::Basic {
            user: user.into(),
            password: Secret::new(password),
        };
        self
    }
    /// `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.cfg.auth = Auth::Bearer(Secret::new(token));
        self
    }
    /// `Authorization: Token <key>`.
    pub fn token_auth(mut self, key: impl Into<String>) -> Self {
        self.cfg.auth = Auth::Token(Secret::new(key));
        self
    }
    /// Any [`Auth`] value.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.cfg.auth = auth;
        self
    }
    /// An extra header on every request to a trusted origin (e.g. an API key).
    /// Its value is treated as a secret.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.cfg.headers.push((name.into(), Secret::new(value)));
        self
    }
    /// Also send credentials to this origin (an API root on another host).
    pub fn trust_origin(mut self, url: impl Into<String>) -> Self {
        self.cfg.trusted_extra.push(url.into());
        self
    }
    /// `User-Agent` value.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.cfg.user_agent = ua.into();
        self
    }
    /// Connect timeout (default 30 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.cfg.connect_timeout = d;
        self
    }
    /// Longest silence while waiting for the response or its body (default 120 s).
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.cfg.read_timeout = d;
        self
    }
    /// Overall limit for one HTTP exchange (default 10 min; `None` = no limit).
    pub fn request_timeout(mut self, d: Option<Duration>) -> Self {
        self.cfg.request_timeout = d;
        self
    }
    /// Retry policy.
    pub fn retry(mut self, r: RetryPolicy) -> Self {
        self.cfg.retry = r;
        self
    }
    /// Largest response body accepted (default 256 MiB); a larger declared
    /// `Content-Length` is refused without reading.
    pub fn max_response_bytes(mut self, n: u64) -> Self {
        self.cfg.max_response_bytes = n;
        self
    }
    /// How `Content-Type` of successful responses is checked.
    pub fn content_type_policy(mut self, p: ContentTypePolicy) -> Self {
        self.cfg.content_type_policy = p;
        self
    }
    /// Turn envelope anomalies (objects under a non-standard member) into
    /// errors instead of page warnings.
    pub fn strict_envelopes(mut self, on: bool) -> Self {
        self.cfg.strict_envelopes = on;
        self
    }
    /// `limit` sent when a [`Filter`](crate::Filter) has none (default 100;
    /// some servers require `limit` on every `next` request).
    pub fn default_limit(mut self, n: Option<u32>) -> Self {
        self.cfg.default_limit = n;
        self
    }
    /// Cap on pages per iteration (default one million).
    pub fn max_pages(mut self, n: Option<u64>) -> Self {
        self.cfg.max_pages = n;
        self
    }
    /// Trust anchors from a PEM file instead of the built-in web PKI roots.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.cfg.ca_bundle = Some(path.into());
        self
    }
    /// Trust anchors from PEM text.
    pub fn ca_bundle_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.cfg.ca_pem = Some(pem.into());
        self
    }
    /// Client certificate chain and private key (PEM files) for mutual TLS.
    pub fn client_cert_files(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.cfg.client_cert_files = Some((cert.into(), key.into()));
        self
    }
    /// Client certificate chain and private key as PEM text.
    pub fn client_cert_pem(mut self, cert: impl Into<Vec<u8>>, key: impl Into<String>) -> Self {
        self.cfg.client_cert = Some((cert.into(), Secret::new(key)));
        self
    }
    /// Disable TLS certificate verification. Never the default; for tests only.
    pub fn danger_accept_invalid_certs(mut self, on: bool) -> Self {
        self.cfg.insecure = on;
        self
    }
    /// Allow plain `http://` to hosts other than loopback (loopback is always allowed).
    pub fn allow_http(mut self, on: bool) -> Self {
        self.cfg.allow_http = on;
        self
    }
    /// Proxy URL, e.g. `http://user:pass@proxy:3128` (HTTP CONNECT) or `socks5://...`.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.cfg.proxy = Some(Secret::new(url));
        self
    }
    /// Take the proxy from `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY` (off by default).
    pub fn proxy_from_env(mut self, on: bool) -> Self {
        self.cfg.proxy_from_env = on;
        self
    }

    /// Validates the settings and creates the client (no request is sent).
    pub fn build(self) -> Result<Client> {
        let d = self.cfg;
        let mut discovery = parse_url(&self.url)?;
        let mut auth = d.auth;
        // Credentials in the URL become Basic auth and leave the URL.
        if !discovery.username().is_empty() {
            if auth == Auth::None {
                let dec = |s: &str| {
                    url::form_urlencoded::parse(format!("x={s}").as_bytes())
                        .next()
                        .map(|(_, v)| v.into_owned())
                        .unwrap_or_default()
                };
                auth = Auth::Basic {
                    user: dec(discovery.username()),
                    password: Secret::new(dec(discovery.password().unwrap_or(""))),
                };
            }
            let _ = discovery.set_username("");
            let _ = discovery.set_password(None);
        }
        check_scheme(&discovery, d.allow_http)?;
        let mut trusted = vec![Origin::of(&discovery)];
        for t in &d.trusted_extra {
            trusted.push(Origin::of(&parse_url(t)?));
        }
        let roots = match (&d.ca_pem, &d.ca_bundle) {
            (Some(p), _) => Roots::Pem(p.clone()),
            (None, Some(path)) => Roots::Pem(std::fs::read(path).map_err(|e| Error::Config {
                message: format!("cannot read CA bundle {}: {e}", path.display()),
            })?),
            (None, None) => Roots::WebPki,
        };
        let client_cert = match (d.client_cert, &d.client_cert_files) {
            (Some(c), _) => Some(c),
            (None, Some((c, k))) => {
                let read = |p: &PathBuf| {
                    std::fs::read(p).map_err(|e| Error::Config {
                        message: format!("cannot read {}: {e}", p.display()),
                    })
                };
                let key = String::from_utf8(read(k)?).map_err(|_| Error::Config {
                    message: format!("{} is not PEM text", k.display()),
                })?;
                Some((read(c)?, Secret::new(key)))
            }
            (None, None) => None,
        };
        let config = ClientConfig {
            discovery,
            auth,
            headers: d.headers,
            trusted,
            user_agent: d.user_agent,
            connect_timeout: d.connect_timeout,
            read_timeout: d.read_timeout,
            request_timeout: d.request_timeout,
            retry: d.retry,
            max_response_bytes: d.max_response_bytes,
            max_redirects: d.max_redirects,
            content_type_policy: d.content_type_policy,
            strict_envelopes: d.strict_envelopes,
            default_limit: d.default_limit,
            max_pages: d.max_pages,
            roots,
            client_cert,
            insecure: d.insecure,
            proxy: d.proxy,
            proxy_from_env: d.proxy_from_env,
        };
        Ok(Client::from_transport(Transport::new(config)?))
    }
}

/// Parses a URL given by the user or a server, refusing what TAXII forbids.
pub(crate) fn parse_url(s: &str) -> Result<Url> {
    let u = Url::parse(s.trim()).map_err(|e| Error::InvalidUrl {
        url: s.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(Error::InvalidUrl {
            url: redact(&u),
            reason: "only http and https URLs are supported".into(),
        });
    }
    Ok(u)
}

fn check_scheme(u: &Url, allow_http: bool) -> Result<()> {
    if u.scheme() == "https" || allow_http {
        return Ok(());
    }
    let loopback = match u.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if loopback {
        Ok(())
    } else {
        Err(Error::InvalidUrl {
            url: redact(u),
            reason: "plain http to a non-loopback host; TAXII requires HTTPS \
                     (use allow_http(true) to override)"
                .into(),
        })
    }
}

/// Makes sure a URL ends in `/` (every TAXII endpoint does, §3.1).
pub(crate) fn with_slash(mut u: Url) -> Url {
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let b = ClientBuilder::new("http://127.0.0.1:1/taxii2/")
            .basic_auth("alice", "hunter2-pass")
            .header("X-Api-Key", "key-123456")
            .proxy("http://pu:proxy-pass@127.0.0.1:3128");
        let dbg = format!("{b:?}");
        assert!(!dbg.contains("hunter2-pass") && !dbg.contains("key-123456"));
        assert!(!dbg.contains("proxy-pass"));
        let c = b.build().unwrap();
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("hunter2-pass") && !dbg.contains("key-123456"),
            "{dbg}"
        );
        assert!(!dbg.contains("proxy-pass"));
        assert!(dbg.contains("alice"));
    }

    #[test]
    fn url_credentials_become_basic_auth() {
        let c = Client::builder("http://bob:p%40ss@127.0.0.1:9/taxii2")
            .build()
            .unwrap();
        assert_eq!(c.discovery_url(), "http://127.0.0.1:9/taxii2/");
        let t = c.transport_ref();
        assert_eq!(
            t.config.auth,
            Auth::Basic {
                user: "bob".into(),
                password: Secret::new("p@ss")
            }
        );
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(Client::builder("http://localhost:8080/taxii2/")
            .build()
            .is_ok());
        assert!(matches!(
            Client::builder("http://taxii.example.org/taxii2/").build(),
            Err(Error::InvalidUrl { .. })
        ));
        assert!(Client::builder("http://taxii.example.org/taxii2/")
            .allow_http(true)
            .build()
            .is_ok());
        assert!(Client::builder("ftp://x/").build().is_err());
    }
}
