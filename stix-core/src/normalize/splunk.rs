//! Splunk Enterprise Security threat-intelligence lookups: one CSV per
//! intelligence collection, with the headers the ES local lookups require
//! (`ip_intel`: `description,ip,weight`; `file_intel`:
//! `description,file_hash,file_name,weight`; …).

use serde::{Deserialize, Serialize};
use stix_pattern::ObservableKind;

use super::context::ContextGraph;
use super::values::{indicator_entries, is_listable, IndicatorEntry};
use crate::route::DestinationBatch;

/// One lookup table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplunkLookup {
    /// Collection name (`ip_intel`, `domain_intel`, `file_intel`,
    /// `http_intel`, `email_intel`, `registry_intel`).
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// The table as CSV text (header first).
    pub csv: String,
}

const TABLES: [(&str, &[&str]); 6] = [
    ("ip_intel", &["description", "ip", "weight"]),
    ("domain_intel", &["description", "domain", "weight"]),
    (
        "file_intel",
        &["description", "file_hash", "file_name", "weight"],
    ),
    (
        "http_intel",
        &[
            "description",
            "http_referrer",
            "http_user_agent",
            "url",
            "weight",
        ],
    ),
    (
        "email_intel",
        &["description", "src_user", "subject", "weight"],
    ),
    (
        "registry_intel",
        &[
            "description",
            "registry_path",
            "registry_value_name",
            "registry_value_text",
            "weight",
        ],
    ),
];

/// The table and column a value goes to.
fn place(kind: ObservableKind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        ObservableKind::Ipv4
        | ObservableKind::Ipv6
        | ObservableKind::Ipv4Cidr
        | ObservableKind::Ipv6Cidr => ("ip_intel", "ip"),
        ObservableKind::Domain => ("domain_intel", "domain"),
        ObservableKind::Hash => ("file_intel", "file_hash"),
        ObservableKind::FileName => ("file_intel", "file_name"),
        ObservableKind::Url => ("http_intel", "url"),
        ObservableKind::UserAgent => ("http_intel", "http_user_agent"),
        ObservableKind::EmailAddress => ("email_intel", "src_user"),
        ObservableKind::EmailSubject => ("email_intel", "subject"),
        ObservableKind::RegistryKey => ("registry_intel", "registry_path"),
        _ => return None,
    })
}

/// ES weights run from 1 to 100 (default 60): the indicator's confidence.
fn weight(confidence: Option<i64>) -> String {
    confidence.map_or(60, |c| c.clamp(1, 100)).to_string()
}

/// A one-line description: name, id and context.
pub(crate) fn describe(e: &IndicatorEntry, graph: &ContextGraph) -> String {
    let ctx = graph.context_of(&e.id);
    let mut parts = vec![match &e.name {
        Some(n) => format!("{n} ({})", e.id),
        None => e.id.clone(),
    }];
    let names = |v: &[super::ObjectRef]| {
        v.iter()
            .map(|r| r.name.clone().unwrap_or_else(|| r.id.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !ctx.indicates.is_empty() {
        parts.push(format!("indicates {}", names(&ctx.indicates)));
    }
    if !ctx.used_by.is_empty() {
        parts.push(format!("used by {}", names(&ctx.used_by)));
    }
    if !ctx.campaigns.is_empty() {
        parts.push(format!("campaign {}", names(&ctx.campaigns)));
    }
    parts.push(format!("TLP:{}", e.value_tlp.label()));
    let text = parts.join("; ");
    // Keep the cell on one line whatever the feed's names contain.
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The lookups of a batch (only tables with at least one row).
pub fn splunk_lookups(batch: &DestinationBatch) -> Vec<SplunkLookup> {
    from_entries(batch, &indicator_entries(batch))
}

pub(crate) fn from_entries(
    batch: &DestinationBatch,
    entries: &[IndicatorEntry],
) -> Vec<SplunkLookup> {
    let graph = ContextGraph::new(batch);
    let mut tables: Vec<SplunkLookup> = TABLES
        .iter()
        .map(|(name, cols)| SplunkLookup {
            name: (*name).to_owned(),
            header: cols.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
            csv: String::new(),
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for e in entries.iter().filter(|e| e.usable()) {
        let description = describe(e, &graph);
        for v in &e.values {
            let Some((table, column)) = place(v.kind) else {
                continue;
            };
            if v.kind == ObservableKind::Hash && v.object_type == "x509-certificate" {
                // A certificate fingerprint is not a file hash.
                continue;
            }
            let value = v.value.trim();
            if !is_listable(v) {
                continue;
            }
            let t = tables
                .iter_mut()
                .find(|t| t.name == table)
                .expect("every placed table exists");
            let row: Vec<String> = t
                .header
                .iter()
                .map(|h| match h.as_str() {
                    "description" => description.clone(),
                    "weight" => weight(e.confidence),
                    c if c == column => value.to_owned(),
                    _ => String::new(),
                })
                .collect();
            if seen.insert((table, row.clone())) {
                t.rows.push(row);
            }
        }
    }
    tables.retain(|t| !t.rows.is_empty());
    for t in &mut tables {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = w.write_record(&t.header);
        for r in &t.rows {
            let _ = w.write_record(r);
        }
        t.csv = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    }
    tables
}
