//! Plain blocklists: one value a line, one list per kind of observable.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use stix_pattern::ObservableKind;

use super::values::{
    indicator_entries, is_listable, skipped, IndicatorEntry, IndicatorValue, SkippedIndicator,
};
use crate::route::DestinationBatch;

/// Blocklists by name: `domains`, `ipv4`, `ipv6`, `cidr`, `urls`,
/// `emails`, and one list per hash algorithm (`md5`, `sha1`, `sha256`…).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Blocklists {
    /// List name → sorted, de-duplicated values.
    pub lists: BTreeMap<String, BTreeSet<String>>,
    /// Indicators that gave no values, and why.
    pub skipped: Vec<SkippedIndicator>,
    /// Values left out because they are not what their kind says or cannot
    /// be written on one line (see [`super::values::is_listable`]).
    pub unsafe_values: Vec<String>,
}

/// The list a value of this kind goes to, if any (hashes by algorithm:
/// `md5`, `sha256`…). See [`list_for`] for a value, which also keeps
/// certificate fingerprints apart from file hashes.
pub fn list_name(kind: ObservableKind, algorithm: Option<&str>) -> Option<String> {
    Some(match kind {
        ObservableKind::Domain => "domains".into(),
        ObservableKind::Ipv4 => "ipv4".into(),
        ObservableKind::Ipv6 => "ipv6".into(),
        ObservableKind::Ipv4Cidr | ObservableKind::Ipv6Cidr => "cidr".into(),
        ObservableKind::Url => "urls".into(),
        ObservableKind::EmailAddress => "emails".into(),
        ObservableKind::Hash => hash_list_name(algorithm?)?,
        _ => return None,
    })
}

/// The list an indicator value goes to, if any. Certificate fingerprints
/// get lists of their own (`x509-sha1`…): they are not file hashes.
pub fn list_for(v: &IndicatorValue) -> Option<String> {
    if v.kind == ObservableKind::Hash && v.object_type == "x509-certificate" {
        return Some(format!("x509-{}", hash_list_name(v.algorithm.as_deref()?)?));
    }
    list_name(v.kind, v.algorithm.as_deref())
}

/// `SHA-256` → `sha256`, `SHA3-256` → `sha3-256`; names that would not be
/// safe file names give `None`.
pub fn hash_list_name(algorithm: &str) -> Option<String> {
    let lower = algorithm.to_ascii_lowercase();
    let name = match lower.as_str() {
        "sha-1" => "sha1".to_owned(),
        "sha-256" => "sha256".to_owned(),
        "sha-384" => "sha384".to_owned(),
        "sha-512" => "sha512".to_owned(),
        "sha-224" => "sha224".to_owned(),
        _ => lower,
    };
    let safe = !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    safe.then_some(name)
}

/// The blocklists of a batch.
pub fn blocklists(batch: &DestinationBatch) -> Blocklists {
    from_entries(&indicator_entries(batch))
}

pub(crate) fn from_entries(entries: &[IndicatorEntry]) -> Blocklists {
    let mut out = Blocklists {
        skipped: skipped(entries),
        ..Blocklists::default()
    };
    for e in entries.iter().filter(|e| e.usable()) {
        for v in &e.values {
            let Some(name) = list_for(v) else {
                continue;
            };
            let value = v.value.trim();
            if !is_listable(v) {
                out.unsafe_values.push(v.value.clone());
                continue;
            }
            out.lists.entry(name).or_default().insert(value.to_owned());
        }
    }
    out
}
