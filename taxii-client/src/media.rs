//! Media types: what the client sends, and tolerant matching of what it gets.
//!
//! Matching follows RFC 9110 §8.3.1: type, subtype and parameter names are
//! case-insensitive, whitespace around `;` and `=` is ignored, parameter
//! values may be quoted, and parameters the client does not know (such as
//! `charset`) are ignored.

use serde::{Deserialize, Serialize};

/// The TAXII 2.1 media type, sent verbatim in `Accept` and `Content-Type`.
pub const TAXII21: &str = "application/taxii+json;version=2.1";
/// The STIX 2.1 media type.
pub const STIX21: &str = "application/stix+json;version=2.1";

/// How strictly the `Content-Type` of a successful response is checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentTypePolicy {
    /// Only `application/taxii+json` with `version=2.1` or without a version.
    Strict,
    /// As `Strict`, plus plain `application/json` (many servers send it).
    #[default]
    Standard,
    /// Any JSON media type (`application/json`, `application/*+json`),
    /// e.g. for servers that label TAXII resources `application/stix+json`.
    Lenient,
}

/// A parsed media type: lower-cased `type/subtype` and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaType {
    /// `type/subtype`, lower case.
    pub essence: String,
    /// Parameters as (lower-case name, value without quotes).
    pub params: Vec<(String, String)>,
}

impl MediaType {
    /// Parses a `Content-Type` value; `None` when it has no `type/subtype`.
    pub fn parse(value: &str) -> Option<MediaType> {
        let mut parts = value.split(';');
        let essence = parts.next()?.trim().to_ascii_lowercase();
        let (t, s) = essence.split_once('/')?;
        if t.is_empty() || s.is_empty() || t.contains(char::is_whitespace) {
            return None;
        }
        let params = parts
            .filter_map(|p| {
                let (k, v) = p.split_once('=')?;
                let v = v.trim().trim_matches('"').to_string();
                Some((k.trim().to_ascii_lowercase(), v))
            })
            .collect();
        Some(MediaType { essence, params })
    }

    /// The value of a parameter (name compared case-insensitively).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `application/vnd.oasis.taxii+json` or a TAXII media type with `version=2.0`.
    pub fn is_taxii20(&self) -> bool {
        self.essence.starts_with("application/vnd.oasis.")
            || (self.essence == "application/taxii+json" && self.param("version") == Some("2.0"))
    }

    /// Whether a successful TAXII response with this type is accepted.
    pub fn acceptable(&self, policy: ContentTypePolicy) -> bool {
        let taxii21 = self.essence == "application/taxii+json"
            && self.param("version").map_or(true, |v| v.trim() == "2.1");
        match policy {
            ContentTypePolicy::Strict => taxii21,
            ContentTypePolicy::Standard => taxii21 || self.essence == "application/json",
            ContentTypePolicy::Lenient => {
                !self.is_taxii20()
                    && (self.essence == "application/json" || self.essence.ends_with("+json"))
            }
        }
    }
}

/// A short description of what `policy` accepts, for error messages.
pub(crate) fn expected(policy: ContentTypePolicy) -> &'static str {
    match policy {
        ContentTypePolicy::Strict => "application/taxii+json;version=2.1",
        ContentTypePolicy::Standard => "application/taxii+json;version=2.1 (or application/json)",
        ContentTypePolicy::Lenient => "a JSON media type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_case_and_spacing_are_tolerated() {
        for v in [
            "application/taxii+json;version=2.1",
            "application/taxii+json; version=2.1; charset=utf-8",
            "Application/TAXII+JSON;Version=2.1",
            "application/taxii+json ; version = \"2.1\"",
            "application/taxii+json",
        ] {
            let m = MediaType::parse(v).unwrap();
            assert!(m.acceptable(ContentTypePolicy::Strict), "{v}");
        }
    }

    #[test]
    fn other_types_depend_on_policy() {
        let stix = MediaType::parse("application/stix+json;version=2.1").unwrap();
        assert!(!stix.acceptable(ContentTypePolicy::Standard));
        assert!(stix.acceptable(ContentTypePolicy::Lenient));
        let json = MediaType::parse("application/json").unwrap();
        assert!(!json.acceptable(ContentTypePolicy::Strict));
        assert!(json.acceptable(ContentTypePolicy::Standard));
        let html = MediaType::parse("text/html; charset=utf-8").unwrap();
        assert!(!html.acceptable(ContentTypePolicy::Lenient));
        let v20 = MediaType::parse("application/vnd.oasis.taxii+json; version=2.0").unwrap();
        assert!(v20.is_taxii20());
        assert!(!v20.acceptable(ContentTypePolicy::Lenient));
        let t20 = MediaType::parse("application/taxii+json;version=2.0").unwrap();
        assert!(!t20.acceptable(ContentTypePolicy::Strict));
        assert!(MediaType::parse("garbage").is_none());
    }
}
