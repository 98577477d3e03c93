//! The TAXII 2.1 resources other than envelopes: discovery, API root,
//! collection, manifest record, status. Unknown properties are kept in
//! `extra` (§7.1: custom properties must not break a client).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::timestamp::Timestamp;

/// The discovery resource (§4.1.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// Server title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Contact information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The default API root URL, as the server wrote it (may be relative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// API root URLs as the server wrote them (absolute or `/`-relative).
    #[serde(default)]
    pub api_roots: Vec<String>,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The API root information resource (§4.2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiRootInfo {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Supported TAXII media types.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Largest request body the server accepts, in bytes.
    pub max_content_length: u64,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ApiRootInfo {
    /// Whether `versions` lists TAXII 2.1 (tolerant media-type comparison).
    pub fn supports_taxii21(&self) -> bool {
        self.versions.iter().any(|v| {
            crate::media::MediaType::parse(v).is_some_and(|m| {
                m.essence == "application/taxii+json" && m.param("version") == Some("2.1")
            })
        })
    }
}

fn default_media_types() -> Vec<String> {
    vec!["application/stix+json".to_string()]
}

/// A collection resource (§5.2.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionInfo {
    /// Collection id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Alias usable in place of the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The caller may read objects.
    pub can_read: bool,
    /// The caller may add objects.
    pub can_write: bool,
    /// Media types of the objects (absent means `application/stix+json`).
    #[serde(default = "default_media_types")]
    pub media_types: Vec<String>,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The collections resource (§5.1.1): `{}` means none.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CollectionList {
    #[serde(default)]
    pub collections: Vec<CollectionInfo>,
}

/// One manifest record (§5.3.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRecord {
    /// Object id.
    pub id: String,
    /// When the server added this version.
    pub date_added: Timestamp,
    /// The version (`modified`, or a server-chosen value for unversioned objects).
    pub version: String,
    /// Media type of the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
}

/// One entry of a status resource's `successes`/`failures`/`pendings` (§4.3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusDetail {
    /// Object id.
    pub id: String,
    /// Object version.
    pub version: String,
    /// Server message (failures usually have one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The status resource (§4.3.1) returned by POST and by `status/{id}/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Status id.
    pub id: String,
    /// `complete` or `pending`.
    pub status: String,
    /// When the request was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timestamp: Option<String>,
    /// Objects in the request.
    pub total_count: u64,
    /// Objects added.
    pub success_count: u64,
    /// Objects refused.
    pub failure_count: u64,
    /// Objects not yet processed.
    pub pending_count: u64,
    /// Per-object successes.
    #[serde(default)]
    pub successes: Vec<StatusDetail>,
    /// Per-object failures.
    #[serde(default)]
    pub failures: Vec<StatusDetail>,
    /// Per-object pendings.
    #[serde(default)]
    pub pendings: Vec<StatusDetail>,
    /// Unknown properties.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Status {
    /// `status` is `complete` (the server will not change it any more).
    pub fn is_complete(&self) -> bool {
        self.status.eq_ignore_ascii_case("complete")
    }
    /// The counts add up (`success + failure + pending == total`).
    pub fn counts_consistent(&self) -> bool {
        self.success_count + self.failure_count + self.pending_count == self.total_count
    }
}
