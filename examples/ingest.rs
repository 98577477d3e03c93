//! `ingest [FILE...]`: the main job.
//!
//! Reads STIX bundles (by default the sample feed shipped in
//! `data/sample-feed.json`), parses every object into the typed model,
//! validates it, and prints what a CTI engineer wants at a glance: objects
//! per type and per TLP marking, STIX versions, indicators that flatten to
//! blocklists, invalid objects with their first reason, unresolved
//! references.
//!
//! The program is three steps so that later sources (TAXII collections)
//! and sinks (routing, publishing) slot in beside the file ones:
//! [`Source`] yields a byte stream, [`ingest`] folds it into a [`Summary`],
//! and [`Summary::print`] reports.
//!
//! Exit status: 0 when every source was read (invalid objects are
//! reported, not fatal), 2 when a source could not be read or is not JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use libstix::core::tlp::{TlpLevel, TlpVersion};
use libstix::core::validate::{ValidatingReader, ValidationOptions};
use libstix::core::StixObject;
use libstix::pattern::StixVersion;

/// Where STIX content comes from.
enum Source {
    /// A bundle file.
    File(PathBuf),
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
        }
    }

    fn open(&self) -> std::io::Result<Box<dyn Read>> {
        match self {
            Source::File(p) => Ok(Box::new(BufReader::new(File::open(p)?))),
        }
    }
}

/// One invalid object and why.
struct Invalid {
    source: String,
    id: String,
    object_type: String,
    reason: String,
}

/// Everything the summary shows, accumulated over all sources.
#[derive(Default)]
struct Summary {
    sources: Vec<(String, Option<String>, usize)>,
    failed_sources: Vec<(String, String)>,
    objects: usize,
    by_type: BTreeMap<String, usize>,
    by_tlp: BTreeMap<(Option<TlpLevel>, Option<TlpVersion>), usize>,
    by_version: BTreeMap<String, usize>,
    revoked: usize,
    warnings: usize,
    invalid: Vec<Invalid>,
    unresolved: Vec<(String, String, String)>,
    duplicates: usize,
    indicators_flat: usize,
    indicators_complex: usize,
    indicators_other_type: usize,
    observables: BTreeMap<String, usize>,
}

/// Read one source into the summary.
fn ingest(source: &Source, summary: &mut Summary) -> Result<(), String> {
    let label = source.label();
    let input = source.open().map_err(|e| format!("cannot read: {e}"))?;
    let mut stream = ValidatingReader::new(input, ValidationOptions::default());
    let mut count = 0usize;
    for item in stream.by_ref() {
        let v = item.map_err(|e| e.to_string())?;
        count += 1;
        let r = &v.report;
        if let Some(t) = &r.object_type {
            *summary.by_type.entry(t.clone()).or_default() += 1;
        }
        *summary.by_tlp.entry((r.tlp, r.tlp_version)).or_default() += 1;
        *summary
            .by_version
            .entry(r.spec_version.as_str().to_owned())
            .or_default() += 1;
        summary.revoked += usize::from(r.revoked);
        summary.warnings += r.diagnostics.iter().filter(|d| !d.is_error()).count();
        if !r.valid {
            summary.invalid.push(Invalid {
                source: label.clone(),
                id: r
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("(object {})", r.index)),
                object_type: r.object_type.clone().unwrap_or_default(),
                reason: r
                    .first_problem()
                    .map(|d| format!("[{}] {}: {}", d.rule, d.path, d.message))
                    .unwrap_or_default(),
            });
        }
        if let Some(StixObject::Indicator(ind)) = v.item.typed() {
            let version = match r.spec_version.as_str() {
                "2.0" => StixVersion::V20,
                _ => StixVersion::V21,
            };
            let pattern = ind.pattern.as_deref().unwrap_or("");
            if ind.pattern_type.as_deref() != Some("stix") && r.spec_version.as_str() == "2.1" {
                summary.indicators_other_type += 1;
            } else if let Ok(p) = libstix::pattern::parse(pattern, version) {
                let obs = p.observables();
                if obs.flat {
                    summary.indicators_flat += 1;
                    for o in &obs.observables {
                        *summary
                            .observables
                            .entry(format!("{:?}", o.kind))
                            .or_default() += 1;
                    }
                } else {
                    summary.indicators_complex += 1;
                }
            }
        }
    }
    let done = stream.finish();
    if let Some(lone) = done.lone_object {
        count += 1;
        if let Some(t) = &lone.object_type {
            *summary.by_type.entry(t.clone()).or_default() += 1;
        }
    }
    summary.objects += count;
    summary
        .sources
        .push((label.clone(), done.header.id.clone(), count));
    for u in done.cross.unresolved_refs {
        summary
            .unresolved
            .push((u.from_id.unwrap_or_default(), u.path, u.target));
    }
    summary.duplicates += done.cross.duplicates.len();
    for d in done.diagnostics.iter().filter(|d| d.is_error()) {
        summary.invalid.push(Invalid {
            source: label.clone(),
            id: done.header.id.clone().unwrap_or_else(|| "(bundle)".into()),
            object_type: "bundle".into(),
            reason: format!("[{}] {}: {}", d.rule, d.path, d.message),
        });
    }
    Ok(())
}

fn tlp_label(level: Option<TlpLevel>, version: Option<TlpVersion>) -> String {
    match (level, version) {
        (Some(TlpLevel::Clear), Some(TlpVersion::V1)) => "TLP:WHITE (1.0)".into(),
        (Some(l), Some(TlpVersion::V1)) => format!("{l} (1.0)"),
        (Some(l), _) => format!("{l} (2.0)"),
        (None, _) => "unmarked (no TLP)".into(),
    }
}

const LIST_LIMIT: usize = 15;

impl Summary {
    fn print(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "== ingest summary ==");
        for (label, id, n) in &self.sources {
            let _ = writeln!(
                s,
                "source {label}: {n} objects{}",
                id.as_ref()
                    .map(|i| format!(" (bundle {i})"))
                    .unwrap_or_default()
            );
        }
        for (label, e) in &self.failed_sources {
            let _ = writeln!(s, "source {label}: NOT READ: {e}");
        }
        let _ = writeln!(
            s,
            "\n{} objects, {} invalid, {} revoked, {} warnings",
            self.objects,
            self.invalid
                .iter()
                .filter(|i| i.object_type != "bundle")
                .count(),
            self.revoked,
            self.warnings
        );
        let versions: Vec<String> = self
            .by_version
            .iter()
            .map(|(v, n)| format!("STIX {v}: {n}"))
            .collect();
        let _ = writeln!(s, "spec versions: {}", versions.join(", "));

        let _ = writeln!(s, "\nobjects per type:");
        let mut types: Vec<_> = self.by_type.iter().collect();
        types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (t, n) in types {
            let _ = writeln!(s, "  {n:>7}  {t}");
        }

        let _ = writeln!(s, "\nobjects per TLP marking (most restrictive wins):");
        let mut tlps: Vec<_> = self.by_tlp.iter().collect();
        tlps.sort_by(|a, b| b.0 .0.cmp(&a.0 .0).then(a.0 .1.cmp(&b.0 .1).reverse()));
        for ((level, version), n) in tlps {
            let _ = writeln!(s, "  {n:>7}  {}", tlp_label(*level, *version));
        }

        let total_ind = self.indicators_flat + self.indicators_complex + self.indicators_other_type;
        if total_ind > 0 {
            let _ = writeln!(
                s,
                "\nindicators: {} flatten to blocklist values, {} need a pattern engine (FOLLOWEDBY, AND, qualifiers, ranges...), {} use another pattern language",
                self.indicators_flat, self.indicators_complex, self.indicators_other_type
            );
            let obs: Vec<String> = self
                .observables
                .iter()
                .map(|(k, n)| format!("{k}: {n}"))
                .collect();
            if !obs.is_empty() {
                let _ = writeln!(s, "  blocklist values: {}", obs.join(", "));
            }
        }

        let _ = writeln!(s, "\ninvalid objects: {}", self.invalid.len());
        for i in self.invalid.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                s,
                "  {} {} ({}): {}",
                i.source, i.id, i.object_type, i.reason
            );
        }
        if self.invalid.len() > LIST_LIMIT {
            let _ = writeln!(s, "  ... and {} more", self.invalid.len() - LIST_LIMIT);
        }

        let _ = writeln!(
            s,
            "\nunresolved references (not in the input; may live elsewhere): {}",
            self.unresolved.len()
        );
        for (from, path, target) in self.unresolved.iter().take(LIST_LIMIT) {
            let _ = writeln!(s, "  {from} {path} -> {target}");
        }
        if self.unresolved.len() > LIST_LIMIT {
            let _ = writeln!(s, "  ... and {} more", self.unresolved.len() - LIST_LIMIT);
        }
        if self.duplicates > 0 {
            let _ = writeln!(
                s,
                "\nconflicting duplicates (same id and modified, different content): {}",
                self.duplicates
            );
        }
        s
    }
}

fn main() -> ExitCode {
    let mut sources: Vec<Source> = std::env::args()
        .skip(1)
        .map(|a| Source::File(PathBuf::from(a)))
        .collect();
    if sources.is_empty() {
        sources.push(Source::File(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample-feed.json"),
        ));
    }
    let mut summary = Summary::default();
    for source in &sources {
        if let Err(e) = ingest(source, &mut summary) {
            summary.failed_sources.push((source.label(), e));
        }
    }
    print!("{}", summary.print());
    if summary.failed_sources.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
