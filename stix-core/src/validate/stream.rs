//! Streaming validation: the objects of a bundle read from any `Read` one
//! at a time, each parsed into the typed model and judged by the
//! validator, in memory bounded by the largest object (plus the hashes the
//! cross-object checks keep).
//!
//! Optionally the objects are parsed and judged on worker threads while
//! the calling thread reads ahead; the per-object half of the validator
//! shares no state, and the cross-object half (references, duplicate
//! versions) is applied on the calling thread in document order, so the
//! verdicts are the same as on one thread.

use std::collections::{BTreeMap, VecDeque};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::json_view::JsonView;
use crate::parse::{make_item, make_item_from_view, BundleHeader, ParsedItem};
use crate::reader::{BundleReader, Element};

use super::{
    BundleReport, CrossFacts, CrossReport, Judge, ObjectReport, ValidationOptions, Validator,
};

/// One object of the stream: the model's reading of it and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedItem {
    /// The typed object (or raw JSON with parse diagnostics).
    pub item: ParsedItem,
    /// The validator's verdict, which includes the parse diagnostics when
    /// the validator itself found no error.
    pub report: ObjectReport,
}

/// A pull iterator of [`ValidatedItem`]s over a bundle read from `R`.
///
/// After the last item, [`ValidatingReader::finish`] gives the bundle-level
/// findings and the cross-object ones (unresolved references, conflicting
/// duplicates).
///
/// By default everything happens on the calling thread;
/// [`ValidatingReader::with_threads`] spreads the parsing and judging of
/// objects over worker threads, with the same items in the same order.
pub struct ValidatingReader<R> {
    reader: BundleReader<R>,
    validator: Validator,
    pool: Option<Pool>,
}

impl<R: Read> ValidatingReader<R> {
    /// Validate the bundle read from `src` with these options.
    pub fn new(src: R, options: ValidationOptions) -> Self {
        let mut validator = Validator::new(options);
        validator.in_bundle = true;
        ValidatingReader {
            reader: BundleReader::new(src),
            validator,
            pool: None,
        }
    }

    /// Parse and judge the objects on `threads` worker threads (0: one per
    /// available core; at most [`MAX_THREADS`]) while the calling thread
    /// reads ahead. Items still come out in document order with the same
    /// verdicts; memory stays bounded (a few hundred kilobytes of read-ahead
    /// per worker, plus the largest object). With 1, on a single core, or
    /// when the system refuses to start threads, everything runs on the
    /// calling thread as without this call.
    pub fn with_threads(mut self, threads: usize) -> Self {
        let n = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .min(MAX_THREADS);
        self.pool = if n > 1 {
            Pool::start(n, self.validator.judge())
        } else {
            None
        };
        self
    }

    /// The bundle-level properties met so far. With worker threads the
    /// reader may be ahead of the items returned so far.
    pub fn header(&self) -> &BundleHeader {
        self.reader.header()
    }

    /// End of input: the bundle-level and cross-object findings. A document
    /// that turned out to be a lone object (not a bundle) is judged here,
    /// from the properties the reader collected, as object 0.
    pub fn finish(mut self) -> Finished {
        let header = self.reader.header().clone();
        let lone = header.type_name.as_deref() != Some("bundle") && !header.has_objects;
        let mut diagnostics = Vec::new();
        let mut lone_report = None;
        let envelope = header_value(&header);
        let text = envelope.to_string();
        if let Ok(view) = JsonView::parse(&text) {
            if lone {
                self.validator.in_bundle = false;
                let mut report = self.validator.check_object(0, &view);
                // A repeated property name is lost from the reassembled
                // object: only the reader saw it. (Its other findings are
                // about bundle shape and do not apply to an object.)
                let repeated = header
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == crate::reader::RULE_REPEATED_NAME);
                for d in repeated {
                    let mut d = d.clone();
                    d.object_id = report.id.clone();
                    report.diagnostics.push(d);
                }
                report.valid = super::report_valid(&report.diagnostics, &self.validator.options);
                lone_report = Some(report);
            } else {
                diagnostics = self.validator.check_bundle(&view);
                diagnostics.extend(
                    header
                        .diagnostics
                        .iter()
                        .filter(|d| !diagnostics.iter().any(|e| e.path == d.path))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        let cross = self.validator.finish();
        Finished {
            header,
            diagnostics,
            lone_object: lone_report,
            cross,
        }
    }
}

/// What [`ValidatingReader::finish`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// The bundle-level properties.
    pub header: BundleHeader,
    /// Findings about the bundle's own properties.
    pub diagnostics: Vec<Diagnostic>,
    /// The verdict on a document that was a lone object, not a bundle.
    pub lone_object: Option<ObjectReport>,
    /// Unresolved references and conflicting duplicates.
    pub cross: CrossReport,
}

fn header_value(h: &BundleHeader) -> Value {
    let mut m = serde_json::Map::new();
    if let Some(t) = &h.type_name {
        m.insert("type".into(), Value::String(t.clone()));
    }
    if let Some(id) = &h.id {
        m.insert("id".into(), Value::String(id.clone()));
    }
    if let Some(v) = &h.spec_version {
        m.insert("spec_version".into(), Value::String(v.clone()));
    }
    for (k, v) in &h.custom {
        m.insert(k.clone(), v.clone());
    }
    if h.has_objects && h.object_count == 0 {
        m.insert("objects".into(), Value::Array(Vec::new()));
    }
    Value::Object(m)
}

impl<R: Read> Iterator for ValidatingReader<R> {
    type Item = Result<ValidatedItem, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pool.is_some() {
            return self.next_parallel();
        }
        let element = match self.reader.next_element()? {
            Ok(e) => e,
            Err(e) => return Some(Err(e)),
        };
        self.validator.bundle_version = Some(element.bundle_version);
        let judge = self.validator.judge();
        match judge_element(&judge, element, self.reader.last_raw()) {
            Ok((mut item, facts)) => {
                self.validator.apply(&mut item.report, facts);
                Some(Ok(item))
            }
            Err(e) => {
                self.reader.stop();
                Some(Err(e))
            }
        }
    }
}

impl<R: Read> ValidatingReader<R> {
    fn next_parallel(&mut self) -> Option<Result<ValidatedItem, Error>> {
        let pool = self.pool.as_mut()?;
        loop {
            if let Some(outcome) = pool.ready.pop_front() {
                return Some(match outcome {
                    Ok((mut item, facts)) => {
                        self.validator.apply(&mut item.report, facts);
                        Ok(item)
                    }
                    Err(e) => {
                        // As on one thread: an element that is not JSON
                        // ends the stream, after the elements before it.
                        pool.end();
                        Err(e)
                    }
                });
            }
            if pool.ended {
                return None;
            }
            while !pool.input_done && pool.sent - pool.next < pool.max_in_flight {
                pool.send_batch(&mut self.reader);
            }
            if pool.next == pool.sent {
                // Every batch handed out: the input ended (cleanly or not).
                pool.ended = true;
                return pool.input_error.take().map(Err);
            }
            if let Err(e) = pool.receive_next() {
                pool.end();
                return Some(Err(e));
            }
        }
    }
}

/// Parse one element into the typed model and judge it. The text is
/// tokenized once, into the view the rules walk; the typed model is read
/// from that view.
fn judge_element(
    judge: &Judge,
    element: Element,
    bytes: &[u8],
) -> Result<(ValidatedItem, CrossFacts), Error> {
    let path = format!("/objects/{}", element.index);
    let bundle = Some(element.bundle_version);
    let (item, (mut report, facts)) = match JsonView::parse_slice(bytes) {
        Ok(view) => (
            make_item_from_view(&view, bytes, element.index, path, element.position, bundle)?,
            judge.judge(element.index, &view),
        ),
        // Not JSON: the text itself gives the located error.
        Err(_) => (
            make_item(bytes, element.index, path, element.position, bundle)?,
            judge.judge_bytes(element.index, bytes),
        ),
    };
    if !report.diagnostics.iter().any(Diagnostic::is_error) && !item.diagnostics.is_empty() {
        // The typed model refused something the rules let through:
        // never call such an object valid.
        report.diagnostics.extend(item.diagnostics.iter().cloned());
        report.valid = false;
    }
    Ok((ValidatedItem { item, report }, facts))
}

/// The most worker threads [`ValidatingReader::with_threads`] starts: more
/// only cost memory (each thread has its own allocation arenas).
pub const MAX_THREADS: usize = 64;

/// Elements handed to a worker together: enough to make the hand-over
/// cheap, few enough to keep the read-ahead small.
const BATCH_ITEMS: usize = 64;
const BATCH_BYTES: usize = 256 * 1024;

type Outcome = Result<(ValidatedItem, CrossFacts), Error>;

struct Batch {
    seq: u64,
    elements: Vec<(Element, Vec<u8>)>,
}

struct BatchDone {
    seq: u64,
    outcomes: Vec<Outcome>,
}

/// Worker threads judging batches of elements, and the bookkeeping that
/// puts their results back in document order.
struct Pool {
    jobs: Option<mpsc::SyncSender<Batch>>,
    results: mpsc::Receiver<BatchDone>,
    workers: Vec<JoinHandle<()>>,
    /// Batches sent so far (the next one gets this number).
    sent: u64,
    /// The batch whose outcomes come next.
    next: u64,
    max_in_flight: u64,
    /// Outcomes that arrived before their turn.
    early: BTreeMap<u64, Vec<Outcome>>,
    /// Outcomes of batch `next - 1` not yet returned.
    ready: VecDeque<Outcome>,
    input_done: bool,
    input_error: Option<Error>,
    ended: bool,
}

impl Pool {
    /// Start up to `threads` workers; `None` when not even one could be
    /// started (the caller then works alone).
    fn start(threads: usize, judge: Judge) -> Option<Pool> {
        let max_in_flight = threads as u64 * 4;
        let (job_tx, job_rx) = mpsc::sync_channel::<Batch>(max_in_flight as usize);
        let (done_tx, done_rx) = mpsc::channel::<BatchDone>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let mut workers = Vec::with_capacity(threads);
        for i in 0..threads {
            let jobs = Arc::clone(&job_rx);
            let done = done_tx.clone();
            let judge = judge.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("stix-validate-{i}"))
                .spawn(move || work(&jobs, &done, judge));
            match spawned {
                Ok(handle) => workers.push(handle),
                // Out of threads or memory: go on with those started.
                Err(_) => break,
            }
        }
        if workers.is_empty() {
            return None;
        }
        Some(Pool {
            jobs: Some(job_tx),
            results: done_rx,
            workers,
            sent: 0,
            next: 0,
            max_in_flight,
            early: BTreeMap::new(),
            ready: VecDeque::new(),
            input_done: false,
            input_error: None,
            ended: false,
        })
    }

    /// Read the next batch from the input and hand it to the workers.
    fn send_batch<R: Read>(&mut self, reader: &mut BundleReader<R>) {
        let mut elements = Vec::new();
        let mut bytes = 0;
        while elements.len() < BATCH_ITEMS && bytes < BATCH_BYTES {
            match reader.next_owned() {
                None => {
                    self.input_done = true;
                    break;
                }
                Some(Err(e)) => {
                    self.input_done = true;
                    self.input_error = Some(e);
                    break;
                }
                Some(Ok((element, text))) => {
                    bytes += text.len();
                    elements.push((element, text));
                }
            }
        }
        if elements.is_empty() {
            return;
        }
        let batch = Batch {
            seq: self.sent,
            elements,
        };
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(batch).is_ok());
        if sent == Some(true) {
            self.sent += 1;
        } else {
            self.input_done = true;
            self.input_error = Some(worker_lost());
        }
    }

    /// Wait for the outcomes of batch `next` and make them ready.
    fn receive_next(&mut self) -> Result<(), Error> {
        loop {
            if let Some(outcomes) = self.early.remove(&self.next) {
                self.next += 1;
                self.ready.extend(outcomes);
                return Ok(());
            }
            match self.results.recv() {
                Ok(done) => {
                    self.early.insert(done.seq, done.outcomes);
                }
                Err(_) => return Err(worker_lost()),
            }
        }
    }

    /// Stop: no more input is read and nothing more is returned.
    fn end(&mut self) {
        self.ended = true;
        self.input_done = true;
        self.ready.clear();
        self.early.clear();
        self.jobs = None;
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing the job channel lets each worker finish its batch and
        // return; nothing a worker does blocks on this thread.
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

fn worker_lost() -> Error {
    Error::Internal {
        path: String::new(),
        message: "a validation worker thread stopped".into(),
    }
}

/// One worker: judge batches until the job channel closes.
fn work(jobs: &Mutex<mpsc::Receiver<Batch>>, done: &mpsc::Sender<BatchDone>, mut judge: Judge) {
    loop {
        let batch = {
            let rx = match jobs.lock() {
                Ok(rx) => rx,
                Err(poisoned) => poisoned.into_inner(),
            };
            rx.recv()
        };
        let Ok(batch) = batch else { return };
        let mut outcomes = Vec::with_capacity(batch.elements.len());
        for (element, text) in batch.elements {
            judge.bundle_version = Some(element.bundle_version);
            // A panic here is a bug in libstix; catching it keeps the
            // stream from waiting forever for this batch.
            let outcome = catch_unwind(AssertUnwindSafe(|| judge_element(&judge, element, &text)))
                .unwrap_or_else(|panic| {
                    Err(Error::Internal {
                        path: format!("/objects/{}", element.index),
                        message: panic_message(panic.as_ref()),
                    })
                });
            let failed = outcome.is_err();
            outcomes.push(outcome);
            if failed {
                break;
            }
        }
        let reply = BatchDone {
            seq: batch.seq,
            outcomes,
        };
        if done.send(reply).is_err() {
            return;
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// Validate a whole document read from `reader` (a bundle or a lone
/// object) in bounded memory, returning an owned report (which holds one
/// small verdict per object, not the objects). Malformed JSON and read
/// failures are an `Err` with the line and column.
pub fn validate_reader<R: Read>(
    reader: R,
    options: &ValidationOptions,
) -> Result<BundleReport, Error> {
    let mut stream = ValidatingReader::new(reader, options.clone());
    let mut report = BundleReport {
        warnings_as_errors: options.warnings_as_errors,
        ..BundleReport::default()
    };
    for item in stream.by_ref() {
        report.add(item?.report);
    }
    let done = stream.finish();
    match done.lone_object {
        Some(lone) => report.add(lone),
        None => {
            report.is_bundle = true;
            report.bundle_id = done.header.id.clone();
            report.diagnostics = done.diagnostics;
        }
    }
    report.finish_with(done.cross);
    Ok(report)
}
