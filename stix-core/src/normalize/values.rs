//! The values of indicator patterns, judged once for every normaliser:
//! usable in a blocklist or lookup, or skipped with a reason.

use serde::{Deserialize, Serialize};
use stix_pattern::{ObservableKind, StixVersion};

use crate::object::{Indicator, StixObject};
use crate::route::{is_expired, DestinationBatch};
use crate::tlp::TlpLevel;

/// One value from an indicator's pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// What the value is.
    pub kind: ObservableKind,
    /// The value, as the pattern gives it.
    pub value: String,
    /// For hashes, the algorithm (`SHA-256`, `MD5`…).
    pub algorithm: Option<String>,
    /// The object type of the comparison (`domain-name`, `file`…).
    pub object_type: String,
    /// The property path of the comparison (`value`, `hashes.'SHA-256'`).
    pub property: String,
}

/// Why an indicator gives no blocklist or lookup values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// The pattern is not a plain list of alternatives (AND, NOT,
    /// FOLLOWEDBY, qualifiers, non-equality operators).
    NotFlat,
    /// `pattern_type` is not `stix` (Sigma, YARA, Snort…).
    NotStix,
    /// The pattern does not parse.
    InvalidPattern,
    /// No `pattern` at all.
    NoPattern,
    /// `revoked: true`.
    Revoked,
    /// `valid_until` has passed.
    Expired,
    /// A granular marking on `pattern` puts its values above the ceiling.
    AboveCeiling,
}

/// One routed indicator and what its pattern gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorEntry {
    /// The indicator's id.
    pub id: String,
    /// Its `name`.
    pub name: Option<String>,
    /// Its `description`.
    pub description: Option<String>,
    /// Its `confidence`.
    pub confidence: Option<i64>,
    /// Its `indicator_types`.
    pub indicator_types: Vec<String>,
    /// Its `labels`.
    pub labels: Vec<String>,
    /// The level of the indicator.
    pub tlp: TlpLevel,
    /// The level of the values of its pattern (raised by granular markings
    /// on `pattern`).
    pub value_tlp: TlpLevel,
    /// `revoked: true`.
    pub revoked: bool,
    /// `valid_until` has passed.
    pub expired: bool,
    /// The pattern is a plain list of alternatives.
    pub flat: bool,
    /// Every typed value of the pattern's `=`/`IN` comparisons (empty when
    /// the values are above the ceiling).
    pub values: Vec<IndicatorValue>,
    /// Why the indicator gives no blocklist/lookup values (none when it
    /// does).
    pub skip: Option<SkipReason>,
    /// Details (the pattern's parse error, why it is not flat).
    pub detail: Vec<String>,
}

impl IndicatorEntry {
    /// True when the values may go to blocklists and lookups.
    pub fn usable(&self) -> bool {
        self.skip.is_none()
    }
}

/// An indicator that gave no blocklist/lookup values, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedIndicator {
    /// The indicator's id.
    pub id: String,
    /// Why.
    pub reason: SkipReason,
    /// Details.
    pub detail: Vec<String>,
}

/// The indicator entries of every indicator routed to the batch.
pub fn indicator_entries(batch: &DestinationBatch) -> Vec<IndicatorEntry> {
    entries_for(batch, batch.objects.iter())
}

/// The indicator entries of some objects of a batch (judged against the
/// batch's ceiling and clock).
pub(crate) fn entries_for<'a>(
    batch: &DestinationBatch,
    objects: impl Iterator<Item = &'a StixObject>,
) -> Vec<IndicatorEntry> {
    objects
        .filter_map(|o| match o {
            StixObject::Indicator(i) => Some(entry(batch, o, i)),
            _ => None,
        })
        .collect()
}

fn entry(batch: &DestinationBatch, object: &StixObject, i: &Indicator) -> IndicatorEntry {
    let id = object.id().as_str();
    let markings = batch.markings_of(id);
    let tlp = markings.map_or(TlpLevel::Red, |m| m.tlp);
    let value_tlp = markings.map_or(TlpLevel::Red, |m| m.level_of("pattern").max(m.base_level()));
    let revoked = object.revoked() == Some(true);
    let expired = is_expired(object, &batch.now);
    let mut e = IndicatorEntry {
        id: id.to_owned(),
        name: i.name.clone(),
        description: i.description.clone(),
        confidence: object.common().confidence,
        indicator_types: i.indicator_types.clone().unwrap_or_default(),
        labels: object.common().labels.clone().unwrap_or_default(),
        tlp,
        value_tlp,
        revoked,
        expired,
        flat: false,
        values: Vec::new(),
        skip: None,
        detail: Vec::new(),
    };
    let above = value_tlp > batch.max_tlp || tlp > batch.max_tlp;
    let pattern_type = i.pattern_type.as_deref().unwrap_or("stix");
    match (&i.pattern, pattern_type) {
        (None, _) => e.skip = Some(SkipReason::NoPattern),
        (Some(_), t) if t != "stix" => {
            e.skip = Some(SkipReason::NotStix);
            e.detail.push(format!("pattern_type `{t}`"));
        }
        (Some(p), _) => {
            let version = match object.spec_version() {
                Some("2.1") => StixVersion::V21,
                Some(_) => StixVersion::V21,
                None => StixVersion::V20,
            };
            match stix_pattern::parse(p, version) {
                Err(errors) => {
                    e.skip = Some(SkipReason::InvalidPattern);
                    e.detail = errors
                        .iter()
                        .map(|x| format!("line {}, column {}: {}", x.line, x.column, x.message))
                        .collect();
                }
                Ok(parsed) => {
                    let obs = parsed.observables();
                    e.flat = obs.flat;
                    if !above {
                        e.values = obs
                            .observables
                            .into_iter()
                            .map(|o| IndicatorValue {
                                kind: o.kind,
                                value: o.value,
                                algorithm: o.algorithm,
                                object_type: o.object_type,
                                property: o.property,
                            })
                            .collect();
                    }
                    if !obs.flat {
                        e.skip = Some(SkipReason::NotFlat);
                        e.detail = obs.reasons;
                    }
                }
            }
        }
    }
    // Order matters for reports: the most decisive reason wins.
    if above {
        e.skip = Some(SkipReason::AboveCeiling);
        e.values.clear();
    } else if revoked {
        e.skip = Some(SkipReason::Revoked);
    } else if expired {
        e.skip = Some(SkipReason::Expired);
    }
    e
}

/// The skipped indicators among `entries`.
pub fn skipped(entries: &[IndicatorEntry]) -> Vec<SkippedIndicator> {
    entries
        .iter()
        .filter_map(|e| {
            e.skip.map(|reason| SkippedIndicator {
                id: e.id.clone(),
                reason,
                detail: e.detail.clone(),
            })
        })
        .collect()
}

/// True when a value can be written on one line of a text list or a CSV
/// cell without changing its meaning (no control characters).
pub fn is_line_safe(v: &str) -> bool {
    !v.is_empty() && !v.chars().any(char::is_control)
}

/// The shortest network prefix listed as a range: a broader one (such as
/// `0.0.0.0/0`) would block far more than any indicator can mean.
pub const MIN_IPV4_PREFIX: u8 = 8;
/// The IPv6 counterpart of [`MIN_IPV4_PREFIX`].
pub const MIN_IPV6_PREFIX: u8 = 16;

/// True when a value may be listed (a blocklist line, a lookup row, an
/// import record) as what its kind says: it fits on one line, and for the
/// kinds that firewalls and DNS filters act on it is well-formed (a host
/// name, an address, a range no broader than [`MIN_IPV4_PREFIX`] /
/// [`MIN_IPV6_PREFIX`]). A `*`, a spreadsheet formula or a catch-all range
/// taken from a pattern would otherwise block, or run, what nobody meant.
pub fn is_listable(v: &IndicatorValue) -> bool {
    let value = v.value.trim();
    if !is_line_safe(value) {
        return false;
    }
    match v.kind {
        ObservableKind::Domain => is_host_name(value),
        ObservableKind::Ipv4 => value.parse::<std::net::Ipv4Addr>().is_ok(),
        ObservableKind::Ipv6 => value.parse::<std::net::Ipv6Addr>().is_ok(),
        ObservableKind::Ipv4Cidr => {
            network::<std::net::Ipv4Addr>(value, 32).is_some_and(|p| p >= MIN_IPV4_PREFIX)
        }
        ObservableKind::Ipv6Cidr => {
            network::<std::net::Ipv6Addr>(value, 128).is_some_and(|p| p >= MIN_IPV6_PREFIX)
        }
        _ => true,
    }
}

/// Labels of letters (any script, for internationalised names), digits,
/// `-` and `_`, 1 to 63 characters each, 253 at most in all, an optional
/// final dot.
fn is_host_name(v: &str) -> bool {
    let name = v.strip_suffix('.').unwrap_or(v);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

/// The prefix length of `address/prefix`, when both parts are well-formed.
fn network<A: std::str::FromStr>(v: &str, max: u8) -> Option<u8> {
    let (address, prefix) = v.split_once('/')?;
    address.parse::<A>().ok()?;
    let prefix: u8 = prefix.parse().ok()?;
    (prefix <= max).then_some(prefix)
}
