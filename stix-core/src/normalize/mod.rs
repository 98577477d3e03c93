//! Normalisers: pure functions from a [`DestinationBatch`] (the objects
//! routed to one destination plus the context it may use) to the formats
//! that SIEMs, firewalls, MISP, XSOAR, EDRs and TIPs import.
//!
//! Every normaliser draws only on the batch, which holds nothing above the
//! destination's ceiling, and checks the level of each value again (a
//! granular marking on `pattern` can make its values redder than the
//! indicator). Revoked indicators and indicators whose `valid_until` has
//! passed give no blocklist, lookup or XSOAR values.

pub mod blocklist;
pub mod context;
pub mod jsonl;
pub mod misp;
pub mod splunk;
pub mod values;
pub mod xsoar;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use blocklist::{blocklists, Blocklists};
pub use context::{ContextGraph, ObjectRef, RelatedContext, RelationshipRef};
pub use jsonl::{records, records_jsonl};
pub use misp::{misp_event, misp_event_json, write_misp_event};
pub use splunk::{splunk_lookups, SplunkLookup};
pub use values::{indicator_entries, IndicatorEntry, IndicatorValue, SkipReason, SkippedIndicator};
pub use xsoar::{xsoar_indicators, xsoar_json};

use crate::object::{Bundle, StixObject};
use crate::route::DestinationBatch;

/// An output format a destination can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// Plain blocklists, one value a line, one file per kind.
    Blocklist,
    /// Splunk ES threat-intelligence lookup CSVs.
    Splunk,
    /// A MISP event (JSON).
    Misp,
    /// Cortex XSOAR indicators (JSON).
    Xsoar,
    /// One JSON record a line per routed object, with its context.
    Jsonl,
    /// A STIX 2.1 bundle of the routed objects and their markings.
    Stix,
}

impl OutputFormat {
    /// Every format.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Blocklist,
        OutputFormat::Splunk,
        OutputFormat::Misp,
        OutputFormat::Xsoar,
        OutputFormat::Jsonl,
        OutputFormat::Stix,
    ];
}

/// One output file, with its path relative to the destination's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    /// Relative path (`domains.txt`, `ip_intel.csv`, `misp-event.json`…).
    pub path: String,
    /// The format that produced it.
    pub format: OutputFormat,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Everything rendered for one destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    /// The destination.
    pub destination: String,
    /// The files, in format order.
    pub files: Vec<OutputFile>,
    /// Indicators that gave no blocklist/lookup values, and why.
    pub skipped: Vec<SkippedIndicator>,
}

impl Rendered {
    /// Write every file under `dir` (created if needed).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for f in &self.files {
            std::fs::write(dir.join(&f.path), &f.bytes)?;
        }
        Ok(())
    }

    /// The file at `path`, if rendered.
    pub fn file(&self, path: &str) -> Option<&OutputFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// Render `formats` for a batch.
pub fn render(batch: &DestinationBatch, formats: &[OutputFormat]) -> Rendered {
    let entries = indicator_entries(batch);
    let mut files = Vec::new();
    let mut seen = Vec::new();
    for &format in formats {
        if seen.contains(&format) {
            continue;
        }
        seen.push(format);
        match format {
            OutputFormat::Blocklist => {
                let lists = blocklist::from_entries(&entries);
                for (name, values) in &lists.lists {
                    let mut text = String::new();
                    for v in values {
                        text.push_str(v);
                        text.push('\n');
                    }
                    files.push(OutputFile {
                        path: format!("{name}.txt"),
                        format,
                        bytes: text.into_bytes(),
                    });
                }
            }
            OutputFormat::Splunk => {
                for l in splunk::from_entries(batch, &entries) {
                    files.push(OutputFile {
                        path: format!("{}.csv", l.name),
                        format,
                        bytes: l.csv.into_bytes(),
                    });
                }
            }
            OutputFormat::Misp => files.push(OutputFile {
                path: "misp-event.json".into(),
                format,
                bytes: misp::event_from_entries(batch, &entries)
                    .to_string()
                    .into_bytes(),
            }),
            OutputFormat::Xsoar => files.push(OutputFile {
                path: "xsoar-indicators.json".into(),
                format,
                bytes: serde_json::to_vec_pretty(&xsoar::from_entries(batch, &entries))
                    .unwrap_or_default(),
            }),
            OutputFormat::Jsonl => files.push(OutputFile {
                path: "records.jsonl".into(),
                format,
                bytes: jsonl::jsonl_from_entries(batch, &entries).into_bytes(),
            }),
            OutputFormat::Stix => files.push(OutputFile {
                path: "bundle.json".into(),
                format,
                bytes: serde_json::to_vec_pretty(&stix_bundle(batch)).unwrap_or_default(),
            }),
        }
    }
    Rendered {
        destination: batch.destination.clone(),
        files,
        skipped: values::skipped(&entries),
    }
}

/// A bundle of the routed objects plus the marking definitions they refer
/// to (when those are in the batch).
pub fn stix_bundle(batch: &DestinationBatch) -> Bundle {
    let mut objects: Vec<StixObject> = batch.objects.clone();
    let mut wanted: Vec<&str> = Vec::new();
    for o in &batch.objects {
        for r in o.object_marking_refs() {
            wanted.push(r.as_str());
        }
        for g in o.granular_markings() {
            if let Some(r) = &g.marking_ref {
                wanted.push(r.as_str());
            }
        }
    }
    for c in &batch.context {
        if matches!(c, StixObject::MarkingDefinition(_)) && wanted.contains(&c.id().as_str()) {
            objects.push(c.clone());
        }
    }
    // A deterministic id keeps repeated runs byte-identical.
    let mut key = batch.destination.clone();
    for o in &objects {
        key.push('|');
        key.push_str(o.id().as_str());
    }
    let mut b = Bundle::new(objects);
    if let Ok(id) = crate::Identifier::new(
        "bundle",
        uuid::Uuid::new_v5(&LIBSTIX_NAMESPACE, key.as_bytes()),
    ) {
        b.id = id;
    }
    b
}

/// The UUIDv5 namespace of ids libstix derives for outputs (MISP event and
/// attribute uuids, bundle ids), so repeated runs give the same ids.
pub const LIBSTIX_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c69_6273_7469_5800_8000_0000_0000_0001);
