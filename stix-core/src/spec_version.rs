//! Which STIX version an object or bundle is (STIX21_CHECKLIST §11).

use serde::{Deserialize, Serialize};

/// A STIX specification version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SpecVersion {
    /// STIX 2.0.
    #[serde(rename = "2.0")]
    V20,
    /// STIX 2.1.
    #[serde(rename = "2.1")]
    V21,
}

/// The 18 STIX Cyber-observable Object types of STIX 2.1.
pub const SCO_TYPES: [&str; 18] = [
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

impl SpecVersion {
    /// The version string, `"2.0"` or `"2.1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SpecVersion::V20 => "2.0",
            SpecVersion::V21 => "2.1",
        }
    }

    /// The version a bundle declares: a bundle carrying `spec_version`
    /// is STIX 2.0 content (2.1 bundles have none).
    pub fn of_bundle(bundle_spec_version: Option<&str>) -> SpecVersion {
        match bundle_spec_version {
            Some(_) => SpecVersion::V20,
            None => SpecVersion::V21,
        }
    }

    /// The version of one object (checklist §11):
    /// its own `spec_version` when present (`"2.0"` → 2.0, anything else is
    /// judged as 2.1); otherwise, inside a 2.0 bundle, 2.0; otherwise a 2.1
    /// SCO type with an `id` is 2.1 (spec_version is optional on SCOs); an
    /// object with `created` is 2.0 (also inside a 2.1 bundle); anything else
    /// (a custom observable without `created`) is judged as 2.1.
    pub fn of_object(
        type_name: &str,
        spec_version: Option<&str>,
        has_id: bool,
        has_created: bool,
        bundle: Option<SpecVersion>,
    ) -> SpecVersion {
        if let Some(v) = spec_version {
            return if v == "2.0" {
                SpecVersion::V20
            } else {
                SpecVersion::V21
            };
        }
        if bundle == Some(SpecVersion::V20) || !has_id {
            return SpecVersion::V20;
        }
        if SCO_TYPES.contains(&type_name) {
            return SpecVersion::V21;
        }
        if has_created {
            SpecVersion::V20
        } else {
            SpecVersion::V21
        }
    }
}

impl std::fmt::Display for SpecVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection() {
        use SpecVersion::*;
        assert_eq!(SpecVersion::of_bundle(Some("2.0")), V20);
        assert_eq!(SpecVersion::of_bundle(Some("2.1")), V20);
        assert_eq!(SpecVersion::of_bundle(None), V21);
        assert_eq!(
            SpecVersion::of_object("malware", Some("2.1"), true, true, Some(V21)),
            V21
        );
        assert_eq!(
            SpecVersion::of_object("malware", None, true, true, Some(V21)),
            V20
        );
        assert_eq!(
            SpecVersion::of_object("malware", None, true, true, None),
            V20
        );
        assert_eq!(
            SpecVersion::of_object("ipv4-addr", None, true, false, Some(V21)),
            V21
        );
        assert_eq!(
            SpecVersion::of_object("ipv4-addr", None, false, false, None),
            V20
        );
        assert_eq!(
            SpecVersion::of_object("indicator", None, true, true, Some(V20)),
            V20
        );
        assert_eq!(
            SpecVersion::of_object("x-thing", None, true, false, None),
            V21
        );
    }
}
