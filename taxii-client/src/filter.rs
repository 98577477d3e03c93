//! Query filters of the objects, manifest, object and versions endpoints (§3.4).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::timestamp::Timestamp;

/// A value of `match[version]` (§3.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionMatch {
    /// The oldest version of each object.
    First,
    /// The newest version (the server default).
    Last,
    /// Every version; cannot be combined with other values.
    All,
    /// The version whose `modified` is exactly this STIX timestamp (sent as given).
    At(String),
}

impl VersionMatch {
    fn as_query(&self) -> &str {
        match self {
            VersionMatch::First => "first",
            VersionMatch::Last => "last",
            VersionMatch::All => "all",
            VersionMatch::At(s) => s,
        }
    }

    /// Parses `first`, `last`, `all` or a timestamp.
    pub fn parse(s: &str) -> VersionMatch {
        match s {
            "first" => VersionMatch::First,
            "last" => VersionMatch::Last,
            "all" => VersionMatch::All,
            other => VersionMatch::At(other.to_string()),
        }
    }
}

/// Filters for the objects, manifest, object-by-id and versions endpoints.
/// Values within one field are OR-ed, fields are AND-ed.
///
/// ```
/// use taxii_client::{Filter, VersionMatch};
/// let f = Filter::new().limit(50).types(["indicator", "malware"]).version(VersionMatch::All);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Only objects added strictly after this time.
    pub added_after: Option<Timestamp>,
    /// Page size (the server may send fewer, never more).
    pub limit: Option<u32>,
    /// `match[id]`.
    pub ids: Vec<String>,
    /// `match[type]`.
    pub types: Vec<String>,
    /// `match[version]`.
    pub versions: Vec<VersionMatch>,
    /// `match[spec_version]`.
    pub spec_versions: Vec<String>,
}

impl Filter {
    /// No filter.
    pub fn new() -> Filter {
        Filter::default()
    }
    /// Sets `added_after`.
    pub fn added_after(mut self, t: Timestamp) -> Filter {
        self.added_after = Some(t);
        self
    }
    /// Sets `limit` (page size).
    pub fn limit(mut self, n: u32) -> Filter {
        self.limit = Some(n);
        self
    }
    /// Adds ids to `match[id]`.
    pub fn ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Filter {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }
    /// Adds types to `match[type]`.
    pub fn types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> Filter {
        self.types.extend(types.into_iter().map(Into::into));
        self
    }
    /// Adds a value to `match[version]`.
    pub fn version(mut self, v: VersionMatch) -> Filter {
        self.versions.push(v);
        self
    }
    /// Adds values to `match[spec_version]`.
    pub fn spec_versions<I: IntoIterator<Item = S>, S: Into<String>>(mut self, v: I) -> Filter {
        self.spec_versions.extend(v.into_iter().map(Into::into));
        self
    }

    /// Checks the rules of §3.4 that a server would answer with 400.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| {
            Err(Error::InvalidArgument {
                message: m.to_string(),
            })
        };
        if self.limit == Some(0) {
            return bad("limit must be a positive integer");
        }
        if self.versions.contains(&VersionMatch::All) && self.versions.len() > 1 {
            return bad("match[version]=all cannot be combined with other values");
        }
        for (name, list) in [
            ("match[id]", &self.ids),
            ("match[type]", &self.types),
            ("match[spec_version]", &self.spec_versions),
        ] {
            if list.iter().any(|v| v.is_empty() || v.contains(',')) {
                return bad(&format!(
                    "{name} values must be non-empty and without commas"
                ));
            }
            let mut seen = std::collections::HashSet::new();
            if !list.iter().all(|v| seen.insert(v)) {
                return bad(&format!("{name} has duplicate values"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        if !self.versions.iter().all(|v| seen.insert(v.as_query())) {
            return bad("match[version] has duplicate values");
        }
        Ok(())
    }

    /// Query pairs, in a stable order. `added_after` may be overridden (for
    /// the `more`-without-`next` fallback); `limit` falls back to `default_limit`.
    pub(crate) fn pairs(
        &self,
        added_after: Option<Timestamp>,
        default_limit: Option<u32>,
    ) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(t) = added_after.or(self.added_after) {
            q.push(("added_after", t.to_string()));
        }
        if let Some(l) = self.limit.or(default_limit) {
            q.push(("limit", l.to_string()));
        }
        let join = |v: &[String]| v.join(",");
        if !self.ids.is_empty() {
            q.push(("match[id]", join(&self.ids)));
        }
        if !self.types.is_empty() {
            q.push(("match[type]", join(&self.types)));
        }
        if !self.versions.is_empty() {
            let v: Vec<&str> = self.versions.iter().map(VersionMatch::as_query).collect();
            q.push(("match[version]", v.join(",")));
        }
        if !self.spec_versions.is_empty() {
            q.push(("match[spec_version]", join(&self.spec_versions)));
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_validation() {
        let f = Filter::new()
            .added_after(Timestamp::parse("2024-03-01T00:00:00Z").unwrap())
            .types(["indicator", "malware"])
            .version(VersionMatch::All);
        f.validate().unwrap();
        let q = f.pairs(None, Some(100));
        assert_eq!(
            q,
            vec![
                ("added_after", "2024-03-01T00:00:00.000000Z".to_string()),
                ("limit", "100".to_string()),
                ("match[type]", "indicator,malware".to_string()),
                ("match[version]", "all".to_string()),
            ]
        );
        assert!(f.clone().version(VersionMatch::First).validate().is_err());
        assert!(Filter::new().limit(0).validate().is_err());
        assert!(Filter::new().ids(["a", "a"]).validate().is_err());
        assert!(Filter::new().types(["a,b"]).validate().is_err());
    }
}
