//! What was read: objects per type, TLP marking and STIX version, invalid
//! objects with their first reason, unresolved references, and how the
//! indicators' patterns flatten. Filled object by object from the
//! validator's reports, so it costs no second pass over the input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stix_core::tlp::{TlpLevel, TlpVersion};
use stix_core::validate::ObjectReport;
use stix_core::StixObject;
use stix_pattern::StixVersion;

/// One invalid object and the first reason it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidObject {
    /// The source (file or TAXII collection URL).
    pub source: String,
    /// The object's id, or `(object N)` when it has none.
    pub id: String,
    /// Its type (`bundle` for a fault of the bundle itself).
    pub object_type: String,
    /// `[RULE] /json/pointer: message` of the first error.
    pub reason: String,
}

/// One source that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceSummary {
    /// File path or collection URL.
    pub label: String,
    /// The bundle's id, for bundle files.
    pub bundle_id: Option<String>,
    /// Objects read from it.
    pub objects: usize,
}

/// A reference to an object absent from the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unresolved {
    /// The referring object.
    pub from_id: String,
    /// JSON Pointer of the reference.
    pub path: String,
    /// The missing target.
    pub target: String,
}

/// A TLP marking as the input summary counts it: level and edition
/// (`None` when the object has no TLP marking).
pub type TlpKey = (Option<TlpLevel>, Option<TlpVersion>);

/// Everything read in one run, before storing and routing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    /// Sources read.
    pub sources: Vec<SourceSummary>,
    /// Sources that could not be read, with the reason.
    pub failed_sources: Vec<(String, String)>,
    /// Objects read.
    pub objects: usize,
    /// Objects per type.
    pub by_type: BTreeMap<String, usize>,
    /// Objects per TLP marking (level, edition; `None` when unmarked).
    pub by_tlp: Vec<(TlpKey, usize)>,
    /// Objects per STIX version.
    pub by_version: BTreeMap<String, usize>,
    /// Objects with `revoked: true`.
    pub revoked: usize,
    /// Warnings (SHOULD rules) found.
    pub warnings: usize,
    /// Invalid objects (not stored).
    pub invalid: Vec<InvalidObject>,
    /// References to objects absent from the input.
    pub unresolved: Vec<Unresolved>,
    /// Versions present twice with different content.
    pub duplicates: usize,
    /// Indicators whose STIX pattern is a plain list of values.
    pub indicators_flat: usize,
    /// Indicators whose pattern needs a pattern engine.
    pub indicators_complex: usize,
    /// Indicators in another pattern language.
    pub indicators_other_type: usize,
    /// Values of flat patterns per observable kind.
    pub observables: BTreeMap<String, usize>,
}

impl InputSummary {
    /// Count one object from its verdict and (when typed) its model.
    pub fn observe(&mut self, source: &str, report: &ObjectReport, typed: Option<&StixObject>) {
        self.objects += 1;
        if let Some(t) = &report.object_type {
            *self.by_type.entry(t.clone()).or_default() += 1;
        }
        // The report's level already counts granular TLP markings, as
        // routing does.
        let key: TlpKey = (report.tlp, report.tlp_version);
        match self.by_tlp.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => self.by_tlp.push((key, 1)),
        }
        *self
            .by_version
            .entry(report.spec_version.as_str().to_owned())
            .or_default() += 1;
        self.revoked += usize::from(report.revoked);
        self.warnings += report.diagnostics.iter().filter(|d| !d.is_error()).count();
        if !report.valid {
            self.invalid.push(InvalidObject {
                source: source.to_owned(),
                id: report
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("(object {})", report.index)),
                object_type: report.object_type.clone().unwrap_or_default(),
                reason: report
                    .first_problem()
                    .map(|d| format!("[{}] {}: {}", d.rule, d.path, d.message))
                    .unwrap_or_default(),
            });
        }
        if let Some(StixObject::Indicator(ind)) = typed {
            let version = match report.spec_version.as_str() {
                "2.0" => StixVersion::V20,
                _ => StixVersion::V21,
            };
            let pattern = ind.pattern.as_deref().unwrap_or("");
            if ind.pattern_type.as_deref() != Some("stix") && report.spec_version.as_str() == "2.1"
            {
                self.indicators_other_type += 1;
            } else if let Ok(p) = stix_pattern::parse(pattern, version) {
                let obs = p.observables();
                if obs.flat {
                    self.indicators_flat += 1;
                    for o in &obs.observables {
                        *self.observables.entry(format!("{:?}", o.kind)).or_default() += 1;
                    }
                } else {
                    self.indicators_complex += 1;
                }
            }
        }
    }
}

/// `TLP:RED (2.0)`, `TLP:WHITE (1.0)`, `unmarked (no TLP)`.
pub fn tlp_label(level: Option<TlpLevel>, version: Option<TlpVersion>) -> String {
    match (level, version) {
        (Some(TlpLevel::Clear), Some(TlpVersion::V1)) => "TLP:WHITE (1.0)".into(),
        (Some(l), Some(TlpVersion::V1)) => format!("{l} (1.0)"),
        (Some(l), _) => format!("{l} (2.0)"),
        (None, _) => "unmarked (no TLP)".into(),
    }
}
