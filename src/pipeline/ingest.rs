//! The main job: read bundles from files or a TAXII collection, validate,
//! store, route, and write every destination's outputs.
//!
//! Outputs are always rendered from the store's *current* state (the
//! newest version of every object ever ingested), so a new version
//! replaces the old one everywhere, and a revoked or expired indicator
//! leaves every blocklist and lookup on the run that learns about it. The
//! entries each destination received are kept in the store; the next run
//! reports what it added and removed, and why.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use stix_core::marking::{MarkingResolver, MarkingSettings};
use stix_core::normalize::{self, indicator_entries, OutputFormat, Rendered, SkippedIndicator};
use stix_core::route::{RoutingReport, Withheld};
use stix_core::tlp::TlpLevel;
use stix_core::validate::{ValidatingReader, ValidationOptions, Validator};
use stix_core::{StixObject, Timestamp};
use taxii_client::{Auth, Client, Poller};

use super::config::IngestConfig;
use super::error::{PipelineError, Result};
use super::record::ObjectRecord;
use super::store::{Entry, PutOutcome, Store};
use super::summary::{InputSummary, SourceSummary, Unresolved};

/// A TAXII collection to read from (or publish to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiiSource {
    /// Discovery URL (`https://host/taxii2/`) or API root URL.
    pub url: String,
    /// Collection id.
    pub collection: String,
    /// Credentials (their `Debug` output is masked).
    pub auth: Auth,
}

impl TaxiiSource {
    /// The collection handle: the URL is tried as discovery first, then as
    /// an API root. Plain `http` is allowed only for loopback hosts.
    pub fn open(&self) -> Result<taxii_client::Collection> {
        let loopback = url_is_loopback(&self.url);
        let client = Client::builder(&self.url)
            .auth(self.auth.clone())
            .allow_http(loopback)
            .build()?;
        let root = match client.default_api_root() {
            Ok(r) => r,
            Err(_) => client.api_root(&self.url)?,
        };
        Ok(root.collection(&self.collection)?)
    }
}

fn url_is_loopback(url: &str) -> bool {
    let rest = url.strip_prefix("http://").unwrap_or("");
    let host = rest.split(['/', ':']).next().unwrap_or("");
    host == "127.0.0.1" || host == "localhost" || rest.starts_with("[::1]")
}

/// Where STIX content comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A bundle (or single object) file.
    File(PathBuf),
    /// A TAXII collection, polled incrementally from the checkpoint kept in
    /// the store.
    Taxii(TaxiiSource),
}

impl Source {
    /// File path or collection id and URL, for reports.
    pub fn label(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Taxii(t) => format!("taxii {} collection {}", t.url, t.collection),
        }
    }
}

/// How to run the job.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Inputs, read in order.
    pub sources: Vec<Source>,
    /// The store (created if absent).
    pub db: PathBuf,
    /// Output root: one sub-folder per destination.
    pub out_dir: PathBuf,
    /// Routing and publishing configuration.
    pub config: IngestConfig,
    /// How objects are validated (invalid objects are not stored).
    pub validation: ValidationOptions,
    /// The instant validity windows are judged at (default: now).
    pub now: Option<Timestamp>,
    /// Report progress every this many objects (0: only per source).
    pub progress_every: u64,
}

impl IngestOptions {
    /// Defaults: `./out/libstix.db`, `./out`, built-in routes.
    pub fn new(sources: Vec<Source>) -> IngestOptions {
        IngestOptions {
            sources,
            db: PathBuf::from("out/libstix.db"),
            out_dir: PathBuf::from("out"),
            config: IngestConfig::default_config(),
            validation: ValidationOptions::default(),
            now: None,
            progress_every: 10_000,
        }
    }
}

/// Where a long run is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// `reading`, `routing`, `writing`.
    pub stage: String,
    /// The source or destination being worked on.
    pub what: String,
    /// Objects done so far in this stage.
    pub done: u64,
    /// Total when known.
    pub total: Option<u64>,
}

/// What storing this run's objects did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCounts {
    /// New ids.
    pub new: u64,
    /// New versions replacing older ones.
    pub new_versions: u64,
    /// Versions already stored.
    pub unchanged: u64,
    /// Versions older than the stored current one.
    pub older: u64,
    /// Same version, different content (first kept).
    pub conflicts: u64,
    /// Unversioned objects whose content changed.
    pub updated: u64,
    /// Current objects in the store after the run.
    pub current_objects: u64,
}

/// An entry gone since the last run, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedEntry {
    /// The entry.
    pub entry: Entry,
    /// `revoked`, `expired`, `replaced by a newer version`, ...
    pub reason: String,
}

/// One destination's share of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationSummary {
    /// Its TLP ceiling.
    pub max_tlp: TlpLevel,
    /// Its output folder.
    pub dir: String,
    /// Files written (relative to `dir`).
    pub files: Vec<String>,
    /// Objects routed there, per type and TLP level.
    pub objects: BTreeMap<String, BTreeMap<TlpLevel, usize>>,
    /// Objects routed there.
    pub total: usize,
    /// Objects withheld from it by its ceiling.
    pub withheld: usize,
    /// Blocklist and lookup lines now present (file and value).
    pub entries: usize,
    /// Lines new since the last run (one of the objects giving each).
    pub added: Vec<Entry>,
    /// Lines gone since the last run, with the reason.
    pub removed: Vec<RemovedEntry>,
    /// Indicators that gave no blocklist/lookup values, and why.
    pub skipped: Vec<SkippedIndicator>,
}

/// Everything the run did, as plain data (serialisable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Run number in the store.
    pub run: i64,
    /// The store file.
    pub db: String,
    /// The output root.
    pub out_dir: String,
    /// The configuration used (`default` or a file).
    pub config: String,
    /// The instant validity windows were judged at.
    pub now: String,
    /// What was read.
    pub input: InputSummary,
    /// What storing did.
    pub stored: StoreCounts,
    /// What unmarked objects counted as.
    pub unmarked_tlp: TlpLevel,
    /// What objects referring to an unknown marking definition counted as
    /// at least.
    pub unresolved_tlp: TlpLevel,
    /// Current objects by type and effective TLP level.
    pub current_by_tlp: BTreeMap<String, BTreeMap<TlpLevel, usize>>,
    /// Per destination.
    pub destinations: BTreeMap<String, DestinationSummary>,
    /// Every refusal by a TLP ceiling.
    pub withheld: Vec<Withheld>,
    /// Statement markings (terms of use, copyright) met, by text.
    pub statements: Vec<String>,
    /// Wall-clock milliseconds per stage (`read+validate+store`, `load`,
    /// `route`, `write <destination>`), in the order they ran.
    pub timings_ms: Vec<(String, u64)>,
}

impl IngestReport {
    /// True when every source was read (invalid objects do not count).
    pub fn all_sources_read(&self) -> bool {
        self.input.failed_sources.is_empty()
    }

    /// Sum of entries added over all destinations.
    pub fn added_total(&self) -> usize {
        self.destinations.values().map(|d| d.added.len()).sum()
    }

    /// Sum of entries removed over all destinations.
    pub fn removed_total(&self) -> usize {
        self.destinations.values().map(|d| d.removed.len()).sum()
    }
}

const BATCH: usize = 500;

/// Accumulates valid objects and stores them in batches.
struct Ingester<'a> {
    store: &'a Store,
    run: i64,
    resolver: MarkingResolver,
    pending: Vec<ObjectRecord>,
    counts: StoreCounts,
}

impl Ingester<'_> {
    fn accept(&mut self, object: &StixObject, raw: String) -> Result<()> {
        if let StixObject::MarkingDefinition(d) = object {
            self.resolver.add_definition(d);
        }
        let m = self.resolver.markings_of(object);
        let marked =
            m.object_tlp.is_some() || !m.granular.is_empty() || m.base > m.unmarked_default;
        let tlp = marked.then_some(m.tlp);
        let value: serde_json::Value = object.to_value();
        self.pending
            .push(ObjectRecord::from_json(&value, raw, tlp)?);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        for o in self.store.put_batch(&self.pending, Some(self.run))? {
            match o {
                PutOutcome::New => self.counts.new += 1,
                PutOutcome::NewVersion { .. } => self.counts.new_versions += 1,
                PutOutcome::OlderVersion { .. } => self.counts.older += 1,
                PutOutcome::Unchanged => self.counts.unchanged += 1,
                PutOutcome::Updated => self.counts.updated += 1,
                PutOutcome::Conflict => self.counts.conflicts += 1,
            }
        }
        self.pending.clear();
        Ok(())
    }
}

fn read_file(
    path: &Path,
    options: &IngestOptions,
    ing: &mut Ingester<'_>,
    summary: &mut InputSummary,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let label = path.display().to_string();
    let input_err = |message: String| PipelineError::Input {
        file: label.clone(),
        message,
    };
    let file = File::open(path).map_err(|e| input_err(format!("cannot read: {e}")))?;
    // Parsing and judging run on worker threads while this thread stores
    // and routes, in document order.
    let mut stream =
        ValidatingReader::new(BufReader::new(file), options.validation.clone()).with_threads(0);
    let mut count = 0u64;
    for item in stream.by_ref() {
        let v = item.map_err(|e| {
            input_err(match count {
                0 => e.to_string(),
                n => format!("{e}; only the {n} objects before it were read (and kept)"),
            })
        })?;
        count += 1;
        summary.observe(&label, &v.report, v.item.typed());
        if v.report.valid {
            if let Some(obj) = v.item.typed() {
                ing.accept(obj, v.item.to_value().to_string())?;
            }
        }
        if options.progress_every > 0 && count % options.progress_every == 0 {
            progress(&Progress {
                stage: "reading".into(),
                what: label.clone(),
                done: count,
                total: None,
            });
        }
    }
    let done = stream.finish();
    if let Some(lone) = &done.lone_object {
        // A file holding one object rather than a bundle.
        count += 1;
        let text = std::fs::read(path).map_err(|e| input_err(e.to_string()))?;
        let mut lone = lone.clone();
        let typed = match stix_core::parse_object(&text) {
            Ok(obj) => Some(obj),
            Err(e) => {
                // Never drop an object silently: whatever the model cannot
                // read is an invalid object with the reason.
                if lone.valid {
                    lone.diagnostics.push(stix_core::Diagnostic::error(
                        lone.id.as_deref(),
                        "",
                        stix_core::parse::RULE_PARSE,
                        e.to_string(),
                    ));
                    lone.valid = false;
                }
                None
            }
        };
        summary.observe(&label, &lone, typed.as_ref());
        if let (true, Some(obj)) = (lone.valid, typed) {
            let raw = obj.to_value().to_string();
            ing.accept(&obj, raw)?;
        }
    }
    summary.sources.push(SourceSummary {
        label: label.clone(),
        // A lone object's `id` is not a bundle id.
        bundle_id: done
            .lone_object
            .is_none()
            .then(|| done.header.id.clone())
            .flatten(),
        objects: count as usize,
    });
    summary
        .unresolved
        .extend(done.cross.unresolved_refs.into_iter().map(|u| Unresolved {
            from_id: u.from_id.unwrap_or_default(),
            path: u.path,
            target: u.target,
        }));
    summary.duplicates += done.cross.duplicates.len();
    for d in done.diagnostics.iter().filter(|d| d.is_error()) {
        summary.invalid.push(super::summary::InvalidObject {
            source: label.clone(),
            id: done.header.id.clone().unwrap_or_else(|| "(bundle)".into()),
            object_type: "bundle".into(),
            reason: format!("[{}] {}: {}", d.rule, d.path, d.message),
        });
    }
    progress(&Progress {
        stage: "reading".into(),
        what: label,
        done: count,
        total: Some(count),
    });
    ing.flush()
}

fn read_taxii(
    src: &TaxiiSource,
    options: &IngestOptions,
    ing: &mut Ingester<'_>,
    summary: &mut InputSummary,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    let label = format!("{} (collection {})", src.url, src.collection);
    let collection = src.open()?;
    let mut poller = Poller::new(collection, ing.store.checkpoints());
    let mut validator = Validator::new(options.validation.clone());
    let mut count = 0u64;
    // Objects of one page are stored before the next page is asked for:
    // the poller saves its checkpoint only then, so a crash re-delivers a
    // page instead of losing it.
    while let Some(page) = poller.next_page()? {
        for p in &page.problems {
            summary.invalid.push(super::summary::InvalidObject {
                source: label.clone(),
                id: p
                    .object_id
                    .clone()
                    .unwrap_or_else(|| format!("(entry {})", p.index)),
                object_type: String::new(),
                reason: format!("{}: {}", p.pointer, p.message),
            });
        }
        for obj in &page.items {
            let report = validator.check_object_str(count as usize, obj.json());
            let typed = stix_core::parse_object_str(obj.json()).ok();
            summary.observe(&label, &report, typed.as_ref());
            if let (true, Some(t)) = (report.valid, typed) {
                ing.accept(&t, obj.json().to_owned())?;
            }
            count += 1;
        }
        ing.flush()?;
        progress(&Progress {
            stage: "reading".into(),
            what: label.clone(),
            done: count,
            total: None,
        });
    }
    let cross = validator.finish();
    summary
        .unresolved
        .extend(cross.unresolved_refs.into_iter().map(|u| Unresolved {
            from_id: u.from_id.unwrap_or_default(),
            path: u.path,
            target: u.target,
        }));
    summary.duplicates += cross.duplicates.len();
    summary.sources.push(SourceSummary {
        label,
        bundle_id: None,
        objects: count as usize,
    });
    Ok(())
}

/// Runs the whole job (see the module docs). `progress` is called during
/// long stages; pass `&mut |_| {}` to ignore it.
pub fn ingest(
    options: &IngestOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<IngestReport> {
    let mut timings: Vec<(String, u64)> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: String, timings: &mut Vec<(String, u64)>| {
        timings.push((name, clock.elapsed().as_millis() as u64));
        clock = std::time::Instant::now();
    };
    let store = Store::open(&options.db)?;
    let now = options.now.clone().unwrap_or_else(Timestamp::now_millis);
    let run = store.begin_run(now.as_str())?;
    let router = &options.config.router;
    let mut ing = Ingester {
        store: &store,
        run,
        // The stored TLP column is written in document order, before a
        // marking definition further down the feed is known, so it does
        // not guess at unresolved references; routing resolves them
        // against the whole store (and fails closed).
        resolver: MarkingResolver::new(MarkingSettings {
            unresolved: router.marking_settings().unmarked,
            ..router.marking_settings()
        }),
        pending: Vec::new(),
        counts: StoreCounts::default(),
    };
    // Marking definitions stored by earlier runs resolve this run's refs.
    for m in store.by_type("marking-definition")? {
        if let Ok(StixObject::MarkingDefinition(d)) = stix_core::parse_object_str(&m.raw) {
            ing.resolver.add_definition(&d);
        }
    }
    let mut input = InputSummary::default();
    for source in &options.sources {
        let r = match source {
            Source::File(p) => read_file(p, options, &mut ing, &mut input, progress),
            Source::Taxii(t) => read_taxii(t, options, &mut ing, &mut input, progress),
        };
        match r {
            Ok(()) => {}
            // A source that cannot be read is reported; what it gave
            // before failing is kept, and the other sources still run.
            Err(e @ (PipelineError::Input { .. } | PipelineError::Taxii(_))) => {
                ing.flush()?;
                input.failed_sources.push((source.label(), e.to_string()));
            }
            Err(e) => return Err(e),
        }
    }
    ing.flush()?;
    let mut stored = ing.counts;
    lap("read+validate+store".into(), &mut timings);

    // Route the store's current state.
    let current = store.current_objects()?;
    let mut objects = Vec::with_capacity(current.len());
    for c in &current {
        match stix_core::parse_object_str(&c.raw) {
            Ok(o) => objects.push(o),
            Err(e) => {
                return Err(PipelineError::CorruptObject {
                    path: store.path().to_owned(),
                    id: c.id.clone(),
                    version: c.version.clone(),
                    message: e.to_string(),
                })
            }
        }
    }
    stored.current_objects = objects.len() as u64;
    lap("load current objects".into(), &mut timings);
    progress(&Progress {
        stage: "routing".into(),
        what: format!("{} current objects", objects.len()),
        done: 0,
        total: Some(objects.len() as u64),
    });
    let routing = router.route(&objects, &now);
    lap("route".into(), &mut timings);
    let mut current_by_tlp: BTreeMap<String, BTreeMap<TlpLevel, usize>> = BTreeMap::new();
    let mut statements = BTreeSet::new();
    for r in &routing.objects {
        *current_by_tlp
            .entry(r.object_type.clone())
            .or_default()
            .entry(r.markings.tlp)
            .or_default() += 1;
        for s in r.markings.statements() {
            statements.insert(s.to_owned());
        }
    }
    let by_id: HashMap<&str, &StixObject> = objects.iter().map(|o| (o.id().as_str(), o)).collect();

    let mut destinations = BTreeMap::new();
    let names: Vec<String> = routing.destinations.keys().cloned().collect();
    for name in &names {
        progress(&Progress {
            stage: "writing".into(),
            what: name.clone(),
            done: 0,
            total: None,
        });
        let d = write_destination(name, &routing, &objects, &by_id, options, &store, &now)?;
        destinations.insert(name.clone(), d);
        lap(format!("write {name}"), &mut timings);
    }
    // Destinations dropped from the configuration lose their entries.
    for old in store.entry_destinations()? {
        if !routing.destinations.contains_key(&old) {
            store.replace_entries(&old, &BTreeSet::new())?;
        }
    }
    let report = IngestReport {
        run,
        db: store.path().to_owned(),
        out_dir: options.out_dir.display().to_string(),
        config: options.config.source_name.clone(),
        now: now.as_str().to_owned(),
        input,
        stored,
        unmarked_tlp: routing.unmarked_tlp,
        unresolved_tlp: routing.resolver.settings().unresolved,
        current_by_tlp,
        destinations,
        withheld: routing.withheld.clone(),
        statements: statements.into_iter().collect(),
        timings_ms: timings,
    };
    let json = serde_json::to_string(&report).unwrap_or_default();
    store.finish_run(run, Timestamp::now_millis().as_str(), &json)?;
    Ok(report)
}

fn write_destination(
    name: &str,
    routing: &RoutingReport,
    objects: &[StixObject],
    by_id: &HashMap<&str, &StixObject>,
    options: &IngestOptions,
    store: &Store,
    now: &Timestamp,
) -> Result<DestinationSummary> {
    let route = &routing.destinations[name];
    let batch = routing
        .batch(name, objects)
        .expect("destination taken from the routing report");
    let rendered = normalize::render(&batch, &route.formats);
    let dir = options.out_dir.join(name);
    write_rendered(&rendered, &dir)?;
    let entries = entries_of(name, &rendered, &batch)?;
    // Lines, not (line, object) pairs, are what appear and disappear: a
    // value two indicators give stays while either still gives it.
    let previous = store.entries(name)?;
    store.replace_entries(name, &entries)?;
    let diff = line_diff(&previous, &entries);
    let mut objects_by = BTreeMap::<String, BTreeMap<TlpLevel, usize>>::new();
    for id in &route.object_ids {
        if let (Some(o), Some(m)) = (by_id.get(id.as_str()), batch.markings_of(id)) {
            *objects_by
                .entry(o.type_name().to_owned())
                .or_default()
                .entry(m.tlp)
                .or_default() += 1;
        }
    }
    let removed = diff
        .removed
        .into_iter()
        .map(|entry| {
            let reason = removal_reason(&entry, name, routing, store, now);
            RemovedEntry { entry, reason }
        })
        .collect();
    Ok(DestinationSummary {
        max_tlp: route.max_tlp,
        dir: dir.display().to_string(),
        files: rendered.files.iter().map(|f| f.path.clone()).collect(),
        objects: objects_by,
        total: route.object_ids.len(),
        withheld: route.withheld,
        entries: entries
            .iter()
            .map(|e| (e.file.as_str(), e.value.as_str()))
            .collect::<BTreeSet<_>>()
            .len(),
        added: diff.added,
        removed,
        skipped: rendered.skipped,
    })
}

/// The entries whose line (file, value) is new, and those whose line is
/// gone; one entry per line.
fn line_diff(before: &BTreeSet<Entry>, after: &BTreeSet<Entry>) -> super::store::EntryDiff {
    let lines = |set: &BTreeSet<Entry>| -> BTreeSet<(String, String)> {
        set.iter()
            .map(|e| (e.file.clone(), e.value.clone()))
            .collect()
    };
    let (old_lines, new_lines) = (lines(before), lines(after));
    let pick = |set: &BTreeSet<Entry>, other: &BTreeSet<(String, String)>| {
        let mut seen = BTreeSet::new();
        set.iter()
            .filter(|e| {
                let line = (e.file.clone(), e.value.clone());
                !other.contains(&line) && seen.insert(line)
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    super::store::EntryDiff {
        added: pick(after, &old_lines),
        removed: pick(before, &new_lines),
    }
}

/// Writes the files of a destination and deletes files an earlier run
/// wrote there that this run no longer produces.
fn write_rendered(rendered: &Rendered, dir: &Path) -> Result<()> {
    let out_err = |p: &Path, e: std::io::Error| PipelineError::Output {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    rendered.write_to(dir).map_err(|e| out_err(dir, e))?;
    let keep: BTreeSet<&str> = rendered.files.iter().map(|f| f.path.as_str()).collect();
    let listing = std::fs::read_dir(dir).map_err(|e| out_err(dir, e))?;
    for entry in listing.flatten() {
        let p = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = [".txt", ".csv", ".json", ".jsonl"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if p.is_file() && ours && !keep.contains(name.as_ref()) {
            std::fs::remove_file(&p).map_err(|e| out_err(&p, e))?;
        }
    }
    Ok(())
}

/// The blocklist and lookup lines a destination's outputs hold, read back
/// from the rendered files themselves: blocklist lines, the value cells of
/// the Splunk lookups, MISP attributes flagged `to_ids`, and XSOAR
/// indicators taken from STIX indicators.
pub fn entries_of(
    destination: &str,
    rendered: &Rendered,
    batch: &stix_core::route::DestinationBatch,
) -> Result<BTreeSet<Entry>> {
    let mut ids_of: HashMap<String, Vec<String>> = HashMap::new();
    for e in indicator_entries(batch) {
        for v in &e.values {
            let ids = ids_of.entry(v.value.trim().to_owned()).or_default();
            if !ids.contains(&e.id) {
                ids.push(e.id.clone());
            }
        }
    }
    let mut out = BTreeSet::new();
    let mut push = |file: &str, value: &str, ids: &[String]| {
        if ids.is_empty() {
            out.insert(Entry {
                destination: destination.to_owned(),
                file: file.to_owned(),
                value: value.to_owned(),
                object_id: String::new(),
            });
        }
        for id in ids {
            out.insert(Entry {
                destination: destination.to_owned(),
                file: file.to_owned(),
                value: value.to_owned(),
                object_id: id.clone(),
            });
        }
    };
    let bad = |file: &str, message: String| PipelineError::Output {
        path: format!("{destination}/{file}"),
        message,
    };
    for f in &rendered.files {
        let text = String::from_utf8_lossy(&f.bytes);
        match f.format {
            OutputFormat::Blocklist => {
                for line in text.lines().filter(|l| !l.is_empty()) {
                    push(&f.path, line, ids_of.get(line).map_or(&[][..], |v| v));
                }
            }
            OutputFormat::Splunk => {
                let mut rdr = csv::Reader::from_reader(f.bytes.as_slice());
                let header: Vec<String> = rdr
                    .headers()
                    .map_err(|e| bad(&f.path, e.to_string()))?
                    .iter()
                    .map(str::to_owned)
                    .collect();
                for row in rdr.records() {
                    let row = row.map_err(|e| bad(&f.path, e.to_string()))?;
                    for (col, cell) in header.iter().zip(row.iter()) {
                        if col == "description" || col == "weight" || cell.is_empty() {
                            continue;
                        }
                        push(&f.path, cell, ids_of.get(cell).map_or(&[][..], |v| v));
                    }
                }
            }
            OutputFormat::Misp => {
                let v: serde_json::Value =
                    serde_json::from_slice(&f.bytes).map_err(|e| bad(&f.path, e.to_string()))?;
                for a in v["Event"]["Attribute"].as_array().into_iter().flatten() {
                    if a["to_ids"] != serde_json::Value::Bool(true) {
                        continue;
                    }
                    if let Some(val) = a["value"].as_str() {
                        push(&f.path, val, ids_of.get(val).map_or(&[][..], |v| v));
                    }
                }
            }
            OutputFormat::Xsoar => {
                let v: serde_json::Value =
                    serde_json::from_slice(&f.bytes).map_err(|e| bad(&f.path, e.to_string()))?;
                for x in v.as_array().into_iter().flatten() {
                    let id = x["fields"]["stixid"].as_str().unwrap_or("");
                    if !id.starts_with("indicator--") {
                        continue;
                    }
                    if let Some(val) = x["value"].as_str() {
                        push(&f.path, val, &[id.to_owned()]);
                    }
                }
            }
            OutputFormat::Jsonl | OutputFormat::Stix => {}
        }
    }
    Ok(out)
}

fn removal_reason(
    entry: &Entry,
    destination: &str,
    routing: &RoutingReport,
    store: &Store,
    now: &Timestamp,
) -> String {
    let id = entry.object_id.as_str();
    let Ok(Some(cur)) = store.current(id) else {
        return "its object is no longer in the store".into();
    };
    if cur.revoked {
        return format!("revoked ({id} version {})", cur.version);
    }
    if cur.expired_at(now.as_str()) {
        return format!(
            "expired ({id} valid_until {})",
            cur.valid_until.as_deref().unwrap_or("")
        );
    }
    if let Some(w) = routing
        .withheld
        .iter()
        .find(|w| w.object_id == id && w.destination == destination)
    {
        return format!("withheld: {}", w.reason);
    }
    let routed = routing.destinations[destination]
        .object_ids
        .iter()
        .any(|x| x == id);
    if !routed {
        return format!("{id} is no longer routed here");
    }
    let has = store
        .observables_of(id)
        .map(|obs| obs.iter().any(|o| o.value.trim() == entry.value))
        .unwrap_or(false);
    if !has {
        return format!("replaced by {id} version {}", cur.version);
    }
    "no longer in the output (pattern no longer usable)".into()
}
