//! The client and its handles: [`Client`] → [`ApiRoot`] → [`Collection`].
//!
//! Handles are cheap owned values (an `Arc` to the shared HTTP layer plus a
//! URL); creating one sends no request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::{parse_url, with_slash, ClientBuilder};
use crate::envelope::{split_envelopes, Object, Page};
use crate::error::{Error, Result};
use crate::filter::{Filter, VersionMatch};
use crate::paging::Pages;
use crate::resources::{
    ApiRootInfo, CollectionInfo, CollectionList, Discovery, ManifestRecord, Status, StatusDetail,
};
use crate::transport::{redact, Method, Request, Response, Transport};

/// A TAXII 2.1 client bound to one server's discovery URL.
#[derive(Debug, Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

impl Client {
    /// Starts configuring a client for the discovery URL (such as
    /// `https://host/taxii2/`).
    pub fn builder(discovery_url: &str) -> ClientBuilder {
        ClientBuilder::new(discovery_url)
    }

    /// A client with default settings and no credentials.
    pub fn new(discovery_url: &str) -> Result<Client> {
        ClientBuilder::new(discovery_url).build()
    }

    pub(crate) fn from_transport(t: Transport) -> Client {
        Client {
            transport: Arc::new(t),
        }
    }

    pub(crate) fn transport_ref(&self) -> &Transport {
        &self.transport
    }

    /// The discovery URL (with a trailing slash, without credentials).
    pub fn discovery_url(&self) -> String {
        redact(&self.discovery())
    }

    fn discovery(&self) -> Url {
        with_slash(self.transport.config.discovery.clone())
    }

    /// `GET` the discovery resource (§4.1).
    pub fn discover(&self) -> Result<Discovery> {
        get_json(&self.transport, self.discovery(), "discovery")
    }

    /// A handle on an API root. `url` may be absolute or relative to the
    /// discovery URL (`/api1/`); no request is sent.
    pub fn api_root(&self, url: &str) -> Result<ApiRoot> {
        let base = self.discovery();
        let resolved = resolve_api_root(&base, url)?;
        Ok(ApiRoot {
            transport: self.transport.clone(),
            url: resolved,
        })
    }

    /// Asks discovery for the default API root.
    pub fn default_api_root(&self) -> Result<ApiRoot> {
        let d = self.discover()?;
        match d.default {
            Some(u) => self.api_root(&u),
            None => Err(Error::InvalidArgument {
                message: "the server's discovery resource names no default API root".into(),
            }),
        }
    }

    /// Handles on every API root listed by discovery.
    pub fn api_roots(&self) -> Result<Vec<ApiRoot>> {
        self.discover()?
            .api_roots
            .iter()
            .map(|u| self.api_root(u))
            .collect()
    }
}

/// Resolves an API root URL per §4.1.1: absolute, or relative starting with
/// a single `/`; no `..`, no query.
fn resolve_api_root(base: &Url, s: &str) -> Result<Url> {
    let bad = |reason: &str| Error::InvalidUrl {
        url: s.to_string(),
        reason: reason.to_string(),
    };
    if s.starts_with("//") {
        return Err(bad("protocol-relative API root URLs are not allowed"));
    }
    if s.split(['/', '?', '#'])
        .any(|seg| seg == ".." || seg == ".")
    {
        return Err(bad("API root URL must not contain . or .. segments"));
    }
    let u = if s.starts_with('/') {
        base.join(s).map_err(|e| bad(&e.to_string()))?
    } else if s.contains("://") {
        parse_url(s)?
    } else {
        return Err(bad("API root URL must be absolute or start with /"));
    };
    if u.query().is_some() || u.fragment().is_some() {
        return Err(bad("API root URL must not have a query or fragment"));
    }
    Ok(with_slash(u))
}

fn get_json<T: DeserializeOwned>(t: &Transport, url: Url, resource: &str) -> Result<T> {
    let resp = t.execute(&Request::get(url))?;
    decode(&resp, resource)
}

fn decode<T: DeserializeOwned>(resp: &Response, resource: &str) -> Result<T> {
    let text = if resp.body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &resp.body[..]
    };
    let mut de = serde_json::Deserializer::from_slice(text);
    T::deserialize(&mut de).map_err(|e| Error::MalformedResponse {
        url: resp.url.clone(),
        resource: resource.to_string(),
        message: e.to_string(),
    })
}

fn join(base: &Url, seg: &str) -> Result<Url> {
    let mut u = with_slash(base.clone());
    u.path_segments_mut()
        .map_err(|_| Error::InvalidUrl {
            url: redact(base),
            reason: "URL cannot have path segments".into(),
        })?
        .pop_if_empty()
        .push(seg)
        .push("");
    Ok(u)
}

/// A handle on one API root.
#[derive(Debug, Clone)]
pub struct ApiRoot {
    transport: Arc<Transport>,
    url: Url,
}

impl ApiRoot {
    /// The API root URL (with trailing slash).
    pub fn url(&self) -> String {
        redact(&self.url)
    }

    /// `GET {api-root}/` (§4.2).
    pub fn information(&self) -> Result<ApiRootInfo> {
        get_json(&self.transport, self.url.clone(), "API root information")
    }

    /// `GET {api-root}/collections/` (§5.1); `{}` gives an empty list.
    pub fn collections(&self) -> Result<Vec<CollectionInfo>> {
        let url = join(&self.url, "collections")?;
        let list: CollectionList = get_json(&self.transport, url, "collections")?;
        Ok(list.collections)
    }

    /// A handle on a collection by id (or alias); no request is sent.
    pub fn collection(&self, id: &str) -> Result<Collection> {
        if id.is_empty() {
            return Err(Error::InvalidArgument {
                message: "empty collection id".into(),
            });
        }
        let url = join(&join(&self.url, "collections")?, id)?;
        Ok(Collection {
            transport: self.transport.clone(),
            root: self.clone(),
            id: id.to_string(),
            url,
        })
    }

    /// `GET {api-root}/status/{id}/` (§4.3).
    pub fn status(&self, status_id: &str) -> Result<Status> {
        let url = join(&join(&self.url, "status")?, status_id)?;
        get_json(&self.transport, url, "status")
    }

    /// Polls the status resource until it is `complete` or `opts.deadline`
    /// passes (then [`Error::StatusTimeout`]). The interval grows from
    /// `opts.initial_interval` by half each poll up to `opts.max_interval`.
    pub fn wait_until_final(&self, status: Status, opts: &WaitOptions) -> Result<Status> {
        let started = Instant::now();
        let mut interval = opts.initial_interval;
        let mut current = status;
        while !current.is_complete() {
            let waited = started.elapsed();
            if waited + interval > opts.deadline {
                return Err(Error::StatusTimeout {
                    status_id: current.id.clone(),
                    waited_ms: waited.as_millis() as u64,
                    pending: current.pending_count,
                });
            }
            std::thread::sleep(interval);
            interval = (interval + interval / 2).min(opts.max_interval);
            current = self.status(&current.id)?;
        }
        Ok(current)
    }
}

/// Timing of [`ApiRoot::wait_until_final`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitOptions {
    /// First pause before polling again.
    pub initial_interval: Duration,
    /// Longest pause between polls.
    pub max_interval: Duration,
    /// Give up after this long.
    pub deadline: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(15),
            deadline: Duration::from_secs(300),
        }
    }
}

/// Which versions a DELETE removes (medallion deletes only the newest
/// version when none is named, so callers choose explicitly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteFilter {
    /// `match[version]`.
    pub versions: Vec<VersionMatch>,
    /// `match[spec_version]`.
    pub spec_versions: Vec<String>,
}

impl DeleteFilter {
    /// Every version of the object.
    pub fn all_versions() -> DeleteFilter {
        DeleteFilter {
            versions: vec![VersionMatch::All],
            spec_versions: Vec::new(),
        }
    }
}

/// The outcome of [`Collection::publish`]: one status per request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishReport {
    /// Final status of each POST, in order.
    pub statuses: Vec<Status>,
}

impl PublishReport {
    /// All successes.
    pub fn successes(&self) -> Vec<&StatusDetail> {
        self.statuses.iter().flat_map(|s| &s.successes).collect()
    }
    /// All failures.
    pub fn failures(&self) -> Vec<&StatusDetail> {
        self.statuses.iter().flat_map(|s| &s.failures).collect()
    }
    /// All still pending.
    pub fn pendings(&self) -> Vec<&StatusDetail> {
        self.statuses.iter().flat_map(|s| &s.pendings).collect()
    }
    /// Sum of `total_count`.
    pub fn total_count(&self) -> u64 {
        self.statuses.iter().map(|s| s.total_count).sum()
    }
    /// Sum of `success_count`.
    pub fn success_count(&self) -> u64 {
        self.statuses.iter().map(|s| s.success_count).sum()
    }
    /// Sum of `failure_count`.
    pub fn failure_count(&self) -> u64 {
        self.statuses.iter().map(|s| s.failure_count).sum()
    }
    /// Sum of `pending_count`.
    pub fn pending_count(&self) -> u64 {
        self.statuses.iter().map(|s| s.pending_count).sum()
    }
}

/// A handle on one collection.
#[derive(Debug, Clone)]
pub struct Collection {
    transport: Arc<Transport>,
    root: ApiRoot,
    id: String,
    url: Url,
}

impl Collection {
    /// The collection id (as given).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The collection URL.
    pub fn url(&self) -> String {
        redact(&self.url)
    }
    /// The API root this collection belongs to.
    pub fn api_root(&self) -> &ApiRoot {
        &self.root
    }

    /// `GET {api-root}/collections/{id}/` (§5.2).
    pub fn information(&self) -> Result<CollectionInfo> {
        get_json(&self.transport, self.url.clone(), "collection")
    }

    /// Pages of `GET …/objects/` (§5.4). See [`Pages`] for the guarantees.
    pub fn objects(&self, filter: &Filter) -> Result<Pages<Object>> {
        Ok(Pages::new(
            self.transport.clone(),
            join(&self.url, "objects")?,
            filter.clone(),
        ))
    }

    /// Pages of `GET …/manifest/` (§5.3).
    pub fn manifest(&self, filter: &Filter) -> Result<Pages<ManifestRecord>> {
        Ok(Pages::new(
            self.transport.clone(),
            join(&self.url, "manifest")?,
            filter.clone(),
        ))
    }

    /// Pages of `GET …/objects/{id}/` (§5.6): versions of one object.
    pub fn object(&self, object_id: &str, filter: &Filter) -> Result<Pages<Object>> {
        let url = join(&join(&self.url, "objects")?, object_id)?;
        Ok(Pages::new(self.transport.clone(), url, filter.clone()))
    }

    /// `GET …/objects/{id}/versions/` (§5.8), all pages, in server order
    /// (which the spec does not fix).
    pub fn versions(&self, object_id: &str, filter: &Filter) -> Result<Vec<String>> {
        let url = join(&join(&join(&self.url, "objects")?, object_id)?, "versions")?;
        Pages::<String>::new(self.transport.clone(), url, filter.clone()).collect_items()
    }

    /// `DELETE …/objects/{id}/` (§5.7).
    pub fn delete_object(&self, object_id: &str, which: &DeleteFilter) -> Result<()> {
        let mut url = join(&join(&self.url, "objects")?, object_id)?;
        {
            let f = Filter {
                versions: which.versions.clone(),
                spec_versions: which.spec_versions.clone(),
                ..Filter::default()
            };
            f.validate()?;
            let mut q = url.query_pairs_mut();
            for (k, v) in f.pairs(None, None) {
                q.append_pair(k, &v);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let req = Request {
            method: Method::Delete,
            url,
            body: None,
            cursor: None,
            taxii20: None,
        };
        self.transport.execute(&req).map(|_| ())
    }

    /// `POST …/objects/` with one envelope body as given (§5.5); returns the
    /// status resource as the server sent it (possibly `pending`).
    pub fn add_envelope(&self, body: Vec<u8>) -> Result<Status> {
        let req = Request {
            method: Method::Post,
            url: join(&self.url, "objects")?,
            body: Some(body),
            cursor: None,
            taxii20: None,
        };
        let resp = self.transport.execute(&req).map_err(|e| match e {
            Error::PayloadTooLarge { failure, .. } => Error::PayloadTooLarge {
                failure,
                max_content_length: self.root.information().ok().map(|i| i.max_content_length),
            },
            other => other,
        })?;
        decode(&resp, "status")
    }

    /// Posts `objects` in as many envelopes as the API root's
    /// `max_content_length` requires (asked from the server), waits for each
    /// status to become final, and reports every object's outcome.
    pub fn publish(&self, objects: &[Object], wait: &WaitOptions) -> Result<PublishReport> {
        let max = self.root.information()?.max_content_length;
        self.publish_with_limit(objects, max, wait)
    }

    /// As [`publish`](Self::publish) with a known size limit.
    pub fn publish_with_limit(
        &self,
        objects: &[Object],
        max_content_length: u64,
        wait: &WaitOptions,
    ) -> Result<PublishReport> {
        let bodies = split_envelopes(objects, max_content_length)?;
        let mut statuses = Vec::with_capacity(bodies.len());
        for body in bodies {
            let status = self.add_envelope(body)?;
            statuses.push(self.root.wait_until_final(status, wait)?);
        }
        Ok(PublishReport { statuses })
    }
}

/// Re-exported for `Page<Object>` users.
pub type ObjectPage = Page<Object>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_root_resolution() {
        let base = Url::parse("https://h.example/taxii2/").unwrap();
        assert_eq!(
            resolve_api_root(&base, "/api1").unwrap().as_str(),
            "https://h.example/api1/"
        );
        assert_eq!(
            resolve_api_root(&base, "https://o.example/r/")
                .unwrap()
                .as_str(),
            "https://o.example/r/"
        );
        for bad in [
            "//evil/x/",
            "../x/",
            "/a/../b/",
            "https://h/x/?q=1",
            "api1/",
        ] {
            assert!(resolve_api_root(&base, bad).is_err(), "{bad}");
        }
    }
}
