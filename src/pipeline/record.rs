//! What the store keeps about one object version, read from its JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use stix_core::tlp::TlpLevel;
use stix_pattern::{ObservableKind, StixVersion};

use super::error::{PipelineError, Result};

/// One typed value taken from an indicator's STIX pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObservableValue {
    /// The kind (`domain`, `ipv4`, `hash`...), as `stix-pattern` names it.
    pub kind: String,
    /// The value as written in the pattern (strings unescaped).
    pub value: String,
    /// The hash algorithm for hashes (`SHA-256`), else `None`.
    pub algorithm: Option<String>,
}

/// A relationship (SRO) between two objects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Edge {
    /// The relationship object's id.
    pub id: String,
    /// `relationship_type` (`indicates`, `uses`, `attributed-to`...).
    pub relationship_type: String,
    /// `source_ref`.
    pub source_ref: String,
    /// `target_ref`.
    pub target_ref: String,
}

/// One object version as the store indexes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// `id`.
    pub id: String,
    /// `type`.
    pub object_type: String,
    /// The version: `modified`, else `created`, else empty (SCOs).
    pub version: String,
    /// `spec_version` (`2.1`; `2.0` for STIX 2.0 content).
    pub spec_version: String,
    /// The object's TLP level (most restrictive of its markings), `None`
    /// when unmarked.
    pub tlp: Option<TlpLevel>,
    /// `revoked: true`.
    pub revoked: bool,
    /// `valid_until` of an indicator, as written.
    pub valid_until: Option<String>,
    /// The object exactly as read.
    pub raw: String,
    /// Values of the indicator's STIX pattern (empty for other objects and
    /// for patterns in other languages).
    pub observables: Vec<ObservableValue>,
    /// The relationship this object is, for `relationship` objects.
    pub edge: Option<Edge>,
}

impl ObjectRecord {
    /// Reads the record of one object. `tlp` is the level the caller
    /// computed from the object's markings; `raw` is its JSON text (kept
    /// as-is), `value` the same parsed.
    pub fn from_json(value: &Value, raw: String, tlp: Option<TlpLevel>) -> Result<ObjectRecord> {
        let bad = |message: &str| PipelineError::BadObject {
            pointer: value
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("(object without id)")
                .to_owned(),
            message: message.to_owned(),
        };
        let obj = value.as_object().ok_or_else(|| bad("not a JSON object"))?;
        let s = |k: &str| obj.get(k).and_then(Value::as_str);
        let id = s("id").ok_or_else(|| bad("no string `id`"))?.to_owned();
        let object_type = s("type").ok_or_else(|| bad("no string `type`"))?.to_owned();
        let version = s("modified").or_else(|| s("created")).unwrap_or("");
        let spec_version = s("spec_version").unwrap_or("2.0").to_owned();
        let revoked = obj.get("revoked").and_then(Value::as_bool).unwrap_or(false);
        let valid_until = s("valid_until").map(str::to_owned);
        let mut observables = Vec::new();
        if object_type == "indicator" && s("pattern_type").unwrap_or("stix") == "stix" {
            if let Some(p) = s("pattern") {
                observables = pattern_observables(p, &spec_version);
            }
        }
        let edge = if object_type == "relationship" {
            match (s("relationship_type"), s("source_ref"), s("target_ref")) {
                (Some(t), Some(src), Some(dst)) => Some(Edge {
                    id: id.clone(),
                    relationship_type: t.to_owned(),
                    source_ref: src.to_owned(),
                    target_ref: dst.to_owned(),
                }),
                _ => None,
            }
        } else {
            None
        };
        Ok(ObjectRecord {
            id,
            object_type,
            version: version.to_owned(),
            spec_version,
            tlp,
            revoked,
            valid_until,
            raw,
            observables,
            edge,
        })
    }

    /// Whether a `valid_until` in the past (at `now`, a STIX timestamp)
    /// has expired this object.
    pub fn expired_at(&self, now: &str) -> bool {
        match &self.valid_until {
            Some(v) => version_key(v) <= version_key(now),
            None => false,
        }
    }
}

/// The observable values of a STIX pattern; empty when it does not parse.
pub fn pattern_observables(pattern: &str, spec_version: &str) -> Vec<ObservableValue> {
    let version = if spec_version == "2.0" {
        StixVersion::V20
    } else {
        StixVersion::V21
    };
    let Ok(p) = stix_pattern::parse(pattern, version) else {
        return Vec::new();
    };
    let mut out: Vec<ObservableValue> = p
        .observables()
        .observables
        .into_iter()
        .map(|o| ObservableValue {
            kind: kind_name(o.kind),
            value: o.value,
            algorithm: o.algorithm,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The snake_case name `stix-pattern` serialises an observable kind as
/// (`domain`, `ipv4_cidr`...).
pub fn kind_name(kind: ObservableKind) -> String {
    match serde_json::to_value(kind) {
        Ok(Value::String(s)) => s,
        _ => "other".to_owned(),
    }
}

/// A key that sorts STIX timestamps by instant as plain text: the
/// fraction is padded to nine digits (`…:05Z` and `…:05.000Z` give the same
/// key), so SQLite can order and compare versions with a text index.
/// Text that is not a timestamp is returned unchanged.
pub fn version_key(ts: &str) -> String {
    let b = ts.as_bytes();
    if b.len() < 20 || !ts.ends_with('Z') || b.get(10) != Some(&b'T') {
        return ts.to_owned();
    }
    let frac = if b.len() > 20 && b[19] == b'.' {
        &ts[20..ts.len() - 1]
    } else {
        ""
    };
    let mut key = String::with_capacity(30);
    key.push_str(&ts[..19]);
    key.push('.');
    key.push_str(frac);
    for _ in frac.len()..9 {
        key.push('0');
    }
    // Digits past the ninth only matter when they are not zeros.
    while key.len() > 29 && key.ends_with('0') {
        key.pop();
    }
    // No trailing `Z`: a longer fraction must sort after its own prefix.
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_keys_order_by_instant() {
        assert_eq!(
            version_key("2020-01-01T00:00:05Z"),
            version_key("2020-01-01T00:00:05.000Z")
        );
        assert!(version_key("2020-01-01T00:00:05Z") < version_key("2020-01-01T00:00:05.5Z"));
        assert!(version_key("2020-01-01T00:00:05.999Z") < version_key("2020-01-01T00:00:06Z"));
        assert!(
            version_key("2020-01-01T00:00:05.1234567891Z")
                > version_key("2020-01-01T00:00:05.123456789Z")
        );
        assert_eq!(
            version_key("2020-01-01T00:00:05.1234567890Z"),
            version_key("2020-01-01T00:00:05.123456789Z")
        );
        assert_eq!(version_key(""), "");
    }

    #[test]
    fn reads_indicator_and_relationship() {
        let ind = serde_json::json!({
            "type": "indicator", "spec_version": "2.1",
            "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-02-01T00:00:00.000Z",
            "pattern": "[domain-name:value = 'evil.example'] OR [ipv4-addr:value = '203.0.113.9']",
            "pattern_type": "stix", "valid_from": "2024-01-01T00:00:00Z",
            "valid_until": "2024-06-01T00:00:00Z", "revoked": true
        });
        let r = ObjectRecord::from_json(&ind, ind.to_string(), Some(TlpLevel::Amber)).unwrap();
        assert_eq!(r.version, "2024-02-01T00:00:00.000Z");
        assert!(r.revoked);
        assert!(r.expired_at("2024-06-01T00:00:00.000Z"));
        assert!(!r.expired_at("2024-05-31T23:59:59.999Z"));
        let vals: Vec<_> = r
            .observables
            .iter()
            .map(|o| (o.kind.as_str(), o.value.as_str()))
            .collect();
        assert_eq!(vals, [("domain", "evil.example"), ("ipv4", "203.0.113.9")]);
        let rel = serde_json::json!({
            "type": "relationship", "id": "relationship--1b1d1e0e-8b1a-4d57-9a7a-4f0f3ea2d6a1",
            "relationship_type": "indicates", "source_ref": "indicator--a", "target_ref": "malware--b",
            "created": "2024-01-01T00:00:00.000Z"
        });
        let r = ObjectRecord::from_json(&rel, rel.to_string(), None).unwrap();
        assert_eq!(r.version, "2024-01-01T00:00:00.000Z");
        assert_eq!(r.spec_version, "2.0");
        assert_eq!(r.edge.unwrap().target_ref, "malware--b");
        let err = ObjectRecord::from_json(&serde_json::json!({"type": "x"}), "{}".into(), None);
        assert!(matches!(err, Err(PipelineError::BadObject { .. })));
    }
}
