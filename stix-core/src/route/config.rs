//! The routing configuration (TOML) and its checks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::Error;
use crate::normalize::OutputFormat;
use crate::tlp::TlpLevel;

/// The built-in configuration: the usual map from object types to the
/// systems that use them, with TLP:RED content only under `restricted`.
pub const DEFAULT_ROUTES_TOML: &str = include_str!("../../config/default-routes.toml");

/// A whole routing configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouterConfig {
    /// Global settings.
    pub settings: RouterSettings,
    /// Destinations by name (the name is also the output folder's name).
    pub destinations: BTreeMap<String, DestinationConfig>,
    /// Rules, in the order they were written (`[[rule]]` in TOML).
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// Global settings (`[settings]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterSettings {
    /// The level an object without any TLP marking counts at (`amber` by
    /// default).
    #[serde(default = "default_unmarked")]
    pub unmarked_tlp: TlpLevel,
    /// The least level of an object that refers to a marking definition
    /// that is neither official nor known from the feed (`red` by default:
    /// an unreadable marking fails closed).
    #[serde(default = "default_unresolved")]
    pub unresolved_tlp: TlpLevel,
}

fn default_unmarked() -> TlpLevel {
    TlpLevel::Amber
}

fn default_unresolved() -> TlpLevel {
    TlpLevel::Red
}

impl Default for RouterSettings {
    fn default() -> Self {
        RouterSettings {
            unmarked_tlp: default_unmarked(),
            unresolved_tlp: default_unresolved(),
        }
    }
}

/// One destination (`[destinations.NAME]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationConfig {
    /// The most restrictive TLP level this destination may receive. The
    /// router never sends it anything above, whatever the rules say.
    pub max_tlp: TlpLevel,
    /// The output formats written for this destination.
    #[serde(default)]
    pub formats: Vec<OutputFormat>,
    /// What the destination is, for people reading the configuration.
    #[serde(default)]
    pub description: Option<String>,
}

/// One rule (`[[rule]]`). Every condition given must hold; a condition left
/// out matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A name for reports (defaults to `rule N`).
    #[serde(default)]
    pub name: String,
    /// Object types (`indicator`, `malware`…); empty matches any type.
    #[serde(default)]
    pub types: Vec<String>,
    /// The object's TLP level is one of these.
    #[serde(default)]
    pub tlp: Vec<TlpLevel>,
    /// The object's TLP level is at least this restrictive.
    #[serde(default)]
    pub tlp_at_least: Option<TlpLevel>,
    /// The object's TLP level is at most this restrictive.
    #[serde(default)]
    pub tlp_at_most: Option<TlpLevel>,
    /// The object has at least one of these labels.
    #[serde(default)]
    pub labels: Vec<String>,
    /// The object is an indicator with at least one of these
    /// `indicator_types`.
    #[serde(default)]
    pub indicator_types: Vec<String>,
    /// The object has a `confidence` of at least this (objects without
    /// `confidence` do not match).
    #[serde(default)]
    pub min_confidence: Option<i64>,
    /// The object has no `confidence` above this (objects without
    /// `confidence` match).
    #[serde(default)]
    pub max_confidence: Option<i64>,
    /// The object's revocation state (`revoked`, absent meaning false).
    #[serde(default)]
    pub revoked: Option<bool>,
    /// Whether the object's `valid_until` has passed.
    #[serde(default)]
    pub expired: Option<bool>,
    /// Where matching objects go.
    pub destinations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    settings: Option<RouterSettings>,
    #[serde(default)]
    destinations: BTreeMap<Spanned<String>, Spanned<DestinationConfig>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    name: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    tlp: Vec<TlpLevel>,
    #[serde(default)]
    tlp_at_least: Option<TlpLevel>,
    #[serde(default)]
    tlp_at_most: Option<TlpLevel>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    indicator_types: Vec<String>,
    #[serde(default)]
    min_confidence: Option<Spanned<i64>>,
    #[serde(default)]
    max_confidence: Option<Spanned<i64>>,
    #[serde(default)]
    revoked: Option<bool>,
    #[serde(default)]
    expired: Option<bool>,
    destinations: Spanned<Vec<Spanned<String>>>,
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, col)
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

fn config_error(
    text: &str,
    span: Option<std::ops::Range<usize>>,
    key: Option<String>,
    message: String,
) -> Error {
    let (line, column) = match span {
        Some(s) => {
            let (l, c) = line_col(text, s.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    Error::Config {
        message,
        key,
        line,
        column,
    }
}

/// Destination names become folder names: keep them to a safe alphabet.
fn valid_destination_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl RouterConfig {
    /// Read a configuration from TOML text. Errors say where (line and
    /// column) and which key.
    pub fn from_toml_str(text: &str) -> Result<RouterConfig, Error> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| config_error(text, e.span(), None, e.message().trim().to_owned()))?;
        let mut destinations = BTreeMap::new();
        for (name, dest) in raw.destinations {
            let span = name.span();
            let name = name.into_inner();
            if !valid_destination_name(&name) {
                return Err(config_error(
                    text,
                    Some(span),
                    Some(format!("destinations.{name}")),
                    format!("destination name `{name}` must be 1–64 characters of a-z, 0-9, `-` and `_` (it names an output folder)"),
                ));
            }
            destinations.insert(name, dest.into_inner());
        }
        let mut rules = Vec::new();
        for (n, rule) in raw.rule.into_iter().enumerate() {
            let rule_span = rule.span();
            let r = rule.into_inner();
            let key = |k: &str| Some(format!("rule[{n}].{k}"));
            if r.destinations.get_ref().is_empty() {
                return Err(config_error(
                    text,
                    Some(r.destinations.span()),
                    key("destinations"),
                    "a rule must name at least one destination".into(),
                ));
            }
            let mut dests = Vec::new();
            for d in r.destinations.into_inner() {
                if !destinations.contains_key(d.get_ref()) {
                    return Err(config_error(
                        text,
                        Some(d.span()),
                        key("destinations"),
                        format!(
                            "destination `{}` is not declared (declared: {})",
                            d.get_ref(),
                            destinations.keys().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                dests.push(d.into_inner());
            }
            for (k, v) in [
                ("min_confidence", &r.min_confidence),
                ("max_confidence", &r.max_confidence),
            ] {
                if let Some(v) = v {
                    if !(0..=100).contains(v.get_ref()) {
                        return Err(config_error(
                            text,
                            Some(v.span()),
                            key(k),
                            format!("{k} must be between 0 and 100, found {}", v.get_ref()),
                        ));
                    }
                }
            }
            if let (Some(lo), Some(hi)) = (r.tlp_at_least, r.tlp_at_most) {
                if lo > hi {
                    return Err(config_error(
                        text,
                        Some(rule_span),
                        key("tlp_at_least"),
                        format!("tlp_at_least ({lo}) is above tlp_at_most ({hi}): the rule can never match"),
                    ));
                }
            }
            rules.push(Rule {
                name: if r.name.is_empty() {
                    format!("rule {}", n + 1)
                } else {
                    r.name
                },
                types: r.types,
                tlp: r.tlp,
                tlp_at_least: r.tlp_at_least,
                tlp_at_most: r.tlp_at_most,
                labels: r.labels,
                indicator_types: r.indicator_types,
                min_confidence: r.min_confidence.map(Spanned::into_inner),
                max_confidence: r.max_confidence.map(Spanned::into_inner),
                revoked: r.revoked,
                expired: r.expired,
                destinations: dests,
            });
        }
        Ok(RouterConfig {
            settings: raw.settings.unwrap_or_default(),
            destinations,
            rules,
        })
    }

    /// The built-in configuration ([`DEFAULT_ROUTES_TOML`]).
    pub fn default_config() -> RouterConfig {
        // The embedded text is checked by a unit test.
        RouterConfig::from_toml_str(DEFAULT_ROUTES_TOML).expect("the default routes are valid")
    }

    /// Check a configuration built in code (names, referenced
    /// destinations, confidence bounds).
    pub fn check(&self) -> Result<(), Error> {
        for name in self.destinations.keys() {
            if !valid_destination_name(name) {
                return Err(Error::Config {
                    message: format!("destination name `{name}` must be 1–64 characters of a-z, 0-9, `-` and `_`"),
                    key: Some(format!("destinations.{name}")),
                    line: None,
                    column: None,
                });
            }
        }
        for (n, r) in self.rules.iter().enumerate() {
            for d in &r.destinations {
                if !self.destinations.contains_key(d) {
                    return Err(Error::Config {
                        message: format!("destination `{d}` is not declared"),
                        key: Some(format!("rule[{n}].destinations")),
                        line: None,
                        column: None,
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_and_complete() {
        let c = RouterConfig::default_config();
        for d in ["siem", "blocklist", "edr", "tip", "soar", "restricted"] {
            assert!(c.destinations.contains_key(d), "{d}");
        }
        assert_eq!(c.destinations["restricted"].max_tlp, TlpLevel::Red);
        for (name, d) in &c.destinations {
            if name != "restricted" {
                assert!(d.max_tlp < TlpLevel::Red, "{name}");
            }
        }
        assert_eq!(c.settings.unmarked_tlp, TlpLevel::Amber);
        c.check().unwrap();
    }

    #[test]
    fn errors_carry_line_and_column() {
        let text = "[destinations.siem]\nmax_tlp = \"purple\"\n";
        match RouterConfig::from_toml_str(text).unwrap_err() {
            Error::Config {
                line,
                column,
                message,
                ..
            } => {
                assert_eq!(line, Some(2));
                assert_eq!(column, Some(11));
                assert!(message.contains("purple"), "{message}");
            }
            e => panic!("{e:?}"),
        }
        let text = "[destinations.siem]\nmax_tlp = \"amber\"\n\n[[rule]]\ntypes = [\"indicator\"]\ndestinations = [\"siem\", \"nowhere\"]\n";
        match RouterConfig::from_toml_str(text).unwrap_err() {
            Error::Config {
                line,
                column,
                key,
                message,
            } => {
                assert_eq!((line, column), (Some(6), Some(25)));
                assert_eq!(key.as_deref(), Some("rule[0].destinations"));
                assert!(message.contains("nowhere"));
            }
            e => panic!("{e:?}"),
        }
        let text = "[destinations.siem]\nmax_tlp = \"amber\"\nceiling = 3\n";
        match RouterConfig::from_toml_str(text).unwrap_err() {
            Error::Config { line, message, .. } => {
                assert_eq!(line, Some(3));
                assert!(message.contains("ceiling"), "{message}");
            }
            e => panic!("{e:?}"),
        }
        let text = "[destinations.\"../etc\"]\nmax_tlp = \"amber\"\n";
        assert!(matches!(
            RouterConfig::from_toml_str(text),
            Err(Error::Config { line: Some(1), .. })
        ));
        let text = "[destinations.a]\nmax_tlp = \"amber\"\n[[rule]]\nmin_confidence = 101\ndestinations = [\"a\"]\n";
        assert!(matches!(
            RouterConfig::from_toml_str(text),
            Err(Error::Config {
                line: Some(4),
                column: Some(18),
                ..
            })
        ));
        let text = "[destinations.a\nmax_tlp = \"amber\"\n";
        assert!(matches!(
            RouterConfig::from_toml_str(text),
            Err(Error::Config { line: Some(1), .. })
        ));
    }

    #[test]
    fn a_configuration_writes_back_to_toml() {
        let c = RouterConfig::default_config();
        let text = toml::to_string(&c).unwrap();
        assert_eq!(RouterConfig::from_toml_str(&text).unwrap(), c);
    }

    #[test]
    fn accepts_white_and_amber_strict() {
        let text = "[settings]\nunmarked_tlp = \"amber+strict\"\n[destinations.a]\nmax_tlp = \"white\"\nformats = [\"blocklist\", \"splunk\"]\n";
        let c = RouterConfig::from_toml_str(text).unwrap();
        assert_eq!(c.settings.unmarked_tlp, TlpLevel::AmberStrict);
        assert_eq!(c.destinations["a"].max_tlp, TlpLevel::Clear);
        assert_eq!(
            c.destinations["a"].formats,
            [OutputFormat::Blocklist, OutputFormat::Splunk]
        );
    }
}
