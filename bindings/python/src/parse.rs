//! `parse`, `parse_file` and the streaming `iter_objects`.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use serde_json::Value;
use stix_core::validate::{ObjectReport, ValidatedItem, ValidatingReader, ValidationOptions};
use stix_core::{BundleHeader, Diagnostic, Error, ItemObject, ParsedItem, StixObject};

use crate::errors::{core_error, detached, validation_error};
use crate::object::{BundleItem, PyBundle, PyInvalidItem, PyStixObject};

/// JSON text handed over from Python: `str` or a bytes-like object.
#[derive(FromPyObject)]
pub enum Input {
    /// A `str`.
    Str(PyBackedStr),
    /// `bytes` or `bytearray`.
    Bytes(PyBackedBytes),
}

impl Input {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Input::Str(s) => s.as_bytes(),
            Input::Bytes(b) => b,
        }
    }
}

/// Validation used while parsing: every MUST rule, patterns checked,
/// but no reference-resolution warnings (a parse is not a store check).
pub fn parse_options(strict: bool) -> ValidationOptions {
    ValidationOptions {
        strict,
        warnings_as_errors: false,
        check_patterns: true,
        check_references: false,
    }
}

/// What one element became.
pub enum Out {
    Valid(StixObject, &'static str, Vec<Diagnostic>),
    Invalid(PyInvalidItem),
}

impl Out {
    fn is_invalid(&self) -> bool {
        matches!(self, Out::Invalid(_))
    }
}

/// Decide one element: valid typed object, or invalid with reasons.
fn judge(item: ParsedItem, report: ObjectReport, allow_custom: bool) -> Out {
    let mut diags = report.diagnostics;
    let mut valid = report.valid;
    // The validator judges values, not text: give its findings the position
    // the reader saw for the same path, or else where the element starts.
    for d in diags.iter_mut().filter(|d| d.line.is_none()) {
        let seen = item
            .diagnostics
            .iter()
            .find(|p| p.path == d.path && p.line.is_some());
        (d.line, d.column) = match seen {
            Some(p) => (p.line, p.column),
            None => (Some(item.position.line), Some(item.position.column)),
        };
    }
    if let ItemObject::Typed(obj) = &item.object {
        if valid && !allow_custom {
            let custom_type = obj.category() == stix_core::ObjectCategory::Custom;
            let custom_props: Vec<&String> = obj.custom_properties().keys().collect();
            if custom_type || !custom_props.is_empty() {
                let (path, what) = if custom_type {
                    (
                        item.path.clone(),
                        format!("custom object type `{}`", obj.type_name()),
                    )
                } else {
                    (
                        format!(
                            "{}/{}",
                            item.path,
                            stix_core::pointer_escape(custom_props[0])
                        ),
                        format!("custom property `{}`", custom_props[0]),
                    )
                };
                diags.insert(
                    0,
                    Diagnostic::error(
                        item.object_id(),
                        path,
                        "STIX-CUS-06",
                        format!("{what} refused because allow_custom is False"),
                    ),
                );
                valid = false;
            }
        }
    }
    match item.object {
        ItemObject::Typed(obj) if valid => Out::Valid(obj, item.spec_version.as_str(), diags),
        object => {
            let value = match &object {
                ItemObject::Typed(o) => o.to_value(),
                ItemObject::Raw(v) => v.clone(),
            };
            // Errors first so that `diagnostics[0]` says why.
            diags.sort_by_key(|d| !d.is_error());
            Out::Invalid(PyInvalidItem {
                index: item.index,
                path: item.path,
                line: item.position.line,
                column: item.position.column,
                value,
                diagnostics: diags,
            })
        }
    }
}

/// A whole document, judged.
pub struct Document {
    /// `None` for a lone object.
    pub header: Option<BundleHeader>,
    pub diagnostics: Vec<Diagnostic>,
    pub items: Vec<Out>,
}

fn lone_item(bytes: &[u8]) -> Result<ParsedItem, Error> {
    let doc = stix_core::parse_document(bytes)?;
    doc.items.into_iter().next().ok_or_else(|| Error::Shape {
        message: "expected a STIX object or a bundle".into(),
        line: 1,
        column: 1,
    })
}

fn merge_lone(item: &ParsedItem, mut report: ObjectReport) -> ObjectReport {
    // As the streaming validator does: an object the typed model refused
    // is never valid, whatever the rules said.
    if !item.diagnostics.is_empty() && !report.diagnostics.iter().any(Diagnostic::is_error) {
        report.diagnostics.extend(item.diagnostics.iter().cloned());
        report.valid = false;
    }
    report
}

/// Read and judge a whole document held in memory (no GIL needed).
pub fn read_document(bytes: &[u8], strict: bool, allow_custom: bool) -> Result<Document, Error> {
    let mut reader = ValidatingReader::new(bytes, parse_options(strict));
    let mut items = Vec::new();
    for it in reader.by_ref() {
        let ValidatedItem { item, report } = it?;
        items.push(judge(item, report, allow_custom));
    }
    let done = reader.finish();
    if let Some(report) = done.lone_object {
        let item = lone_item(bytes)?;
        let report = merge_lone(&item, report);
        return Ok(Document {
            header: None,
            diagnostics: Vec::new(),
            items: vec![judge(item, report, allow_custom)],
        });
    }
    Ok(Document {
        header: Some(done.header),
        diagnostics: done.diagnostics,
        items,
    })
}

fn failure_summary(doc: &Document) -> (String, Vec<Diagnostic>) {
    let mut diags: Vec<Diagnostic> = doc
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let mut bad = 0;
    for it in &doc.items {
        if let Out::Invalid(i) = it {
            bad += 1;
            diags.extend(i.diagnostics.iter().filter(|d| d.is_error()).cloned());
        }
    }
    let first = diags.first().map(|d| d.to_string()).unwrap_or_default();
    let msg = if doc.header.is_some() {
        format!(
            "{bad} of {} objects invalid{}; first: {first}",
            doc.items.len(),
            if doc.diagnostics.iter().any(Diagnostic::is_error) {
                " and the bundle itself has errors"
            } else {
                ""
            }
        )
    } else {
        format!("invalid STIX object: {first}")
    };
    (msg, diags)
}

/// Turn a judged document into Python objects.
pub fn to_python(py: Python<'_>, doc: Document, strict: bool) -> PyResult<Py<PyAny>> {
    let lone = doc.header.is_none();
    let failed = doc.items.iter().any(Out::is_invalid)
        || (strict && doc.diagnostics.iter().any(Diagnostic::is_error));
    if failed && (strict || lone) {
        let (msg, diags) = failure_summary(&doc);
        return Err(validation_error(py, &msg, diags));
    }
    let mut items = Vec::with_capacity(doc.items.len());
    for out in doc.items {
        items.push(match out {
            Out::Valid(obj, v, w) => BundleItem::Valid(Py::new(py, PyStixObject::new(obj, v, w))?),
            Out::Invalid(i) => BundleItem::Invalid(Py::new(py, i)?),
        });
    }
    match doc.header {
        None => match items.pop() {
            Some(BundleItem::Valid(o)) => Ok(o.into_any()),
            Some(BundleItem::Invalid(i)) => Ok(i.into_any()),
            None => Err(PyValueError::new_err("empty document")),
        },
        Some(h) => Ok(Py::new(py, PyBundle::new(py, h, doc.diagnostics, items))?.into_any()),
    }
}

/// Parse JSON text (str or bytes) into a `StixObject` or a `Bundle`.
#[pyfunction]
#[pyo3(signature = (data, *, strict = false, allow_custom = true))]
pub fn parse(py: Python<'_>, data: Input, strict: bool, allow_custom: bool) -> PyResult<Py<PyAny>> {
    let doc = detached(py, "parsing", || {
        read_document(data.as_bytes(), strict, allow_custom)
    })?
    .map_err(|e| core_error(py, &e))?;
    to_python(py, doc, strict)
}

/// Read and parse a file.
#[pyfunction]
#[pyo3(signature = (path, *, strict = false, allow_custom = true))]
pub fn parse_file(
    py: Python<'_>,
    path: PathBuf,
    strict: bool,
    allow_custom: bool,
) -> PyResult<Py<PyAny>> {
    let doc = detached(py, "parsing a file", || -> Result<_, std::io::Error> {
        let bytes = std::fs::read(&path)?;
        Ok(read_document(&bytes, strict, allow_custom))
    })??
    .map_err(|e| core_error(py, &e))?;
    to_python(py, doc, strict)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum OnInvalid {
    Yield,
    Skip,
    Raise,
}

type Source = Box<dyn Read + Send>;

struct StreamState {
    reader: Option<ValidatingReader<Source>>,
    header: BundleHeader,
    diagnostics: Vec<Diagnostic>,
    pending_lone: Option<Out>,
}

enum Step {
    Item(Out),
    Fatal(Error),
    End,
}

impl StreamState {
    fn step(&mut self, allow_custom: bool) -> Step {
        let Some(reader) = self.reader.as_mut() else {
            return match self.pending_lone.take() {
                Some(o) => Step::Item(o),
                None => Step::End,
            };
        };
        match reader.next() {
            Some(Ok(ValidatedItem { item, report })) => {
                Step::Item(judge(item, report, allow_custom))
            }
            Some(Err(e)) => {
                self.reader = None;
                Step::Fatal(e)
            }
            None => {
                let done = self.reader.take().map(ValidatingReader::finish);
                if let Some(done) = done {
                    self.header = done.header;
                    self.diagnostics = done.diagnostics;
                    if let Some(report) = done.lone_object {
                        match lone_from_header(&self.header) {
                            Ok(item) => {
                                let report = merge_lone(&item, report);
                                return Step::Item(judge(item, report, allow_custom));
                            }
                            Err(e) => return Step::Fatal(e),
                        }
                    }
                }
                Step::End
            }
        }
    }
}

/// A lone object (not a bundle) was streamed: the reader kept its
/// properties as if they were bundle-level ones; rebuild it from them.
fn lone_from_header(h: &BundleHeader) -> Result<ParsedItem, Error> {
    let mut m = h.custom.clone();
    if let Some(t) = &h.type_name {
        m.insert("type".into(), Value::String(t.clone()));
    }
    if let Some(t) = &h.id {
        m.insert("id".into(), Value::String(t.clone()));
    }
    if let Some(t) = &h.spec_version {
        m.insert("spec_version".into(), Value::String(t.clone()));
    }
    let text = serde_json::to_vec(&Value::Object(m)).map_err(|e| Error::Io(e.to_string()))?;
    lone_item(&text)
}

/// Iterator over the objects of a bundle read incrementally.
#[pyclass(module = "libstix._native", name = "ObjectIterator", frozen)]
pub struct ObjectIterator {
    state: Mutex<StreamState>,
    allow_custom: bool,
    on_invalid: OnInvalid,
}

#[pymethods]
impl ObjectIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            let step = detached(py, "reading a bundle", || {
                // Locked with the GIL released, so that a second thread
                // waiting for this iterator never holds the GIL meanwhile.
                let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
                st.step(self.allow_custom)
            })?;
            match step {
                Step::End => return Ok(None),
                Step::Fatal(e) => return Err(core_error(py, &e)),
                Step::Item(Out::Valid(obj, v, w)) => {
                    return Ok(Some(Py::new(py, PyStixObject::new(obj, v, w))?.into_any()))
                }
                Step::Item(Out::Invalid(i)) => match self.on_invalid {
                    OnInvalid::Skip => continue,
                    OnInvalid::Yield => return Ok(Some(Py::new(py, i)?.into_any())),
                    OnInvalid::Raise => {
                        let diags: Vec<Diagnostic> = i.diagnostics.clone();
                        let msg = format!(
                            "invalid object at {}: {}",
                            if i.path.is_empty() { "/" } else { &i.path },
                            diags.first().map(|d| d.message.as_str()).unwrap_or("")
                        );
                        // Stop: a raising iterator does not go on afterwards.
                        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
                        st.reader = None;
                        st.pending_lone = None;
                        return Err(validation_error(py, &msg, diags));
                    }
                },
            }
        }
    }

    /// The bundle's `id`, once it has been read.
    #[getter]
    fn bundle_id(&self, py: Python<'_>) -> Option<String> {
        py.detach(|| {
            let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
            match &st.reader {
                Some(r) => r.header().id.clone(),
                None => st.header.id.clone(),
            }
        })
    }

    /// Findings about the bundle's own properties (complete once the
    /// iterator is exhausted).
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        let d = py.detach(|| {
            let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
            st.diagnostics.clone()
        });
        crate::object::diagnostics_list(py, &d)
    }
}

/// A file path or in-memory JSON.
#[derive(FromPyObject)]
pub enum StreamSource {
    /// In-memory JSON.
    Bytes(PyBackedBytes),
    /// A path (`str` or `os.PathLike`).
    Path(PathBuf),
}

/// Stream the objects of a bundle from a file path or bytes, one at a time,
/// in memory bounded by the largest object.
#[pyfunction]
#[pyo3(signature = (source, *, strict = false, allow_custom = true, invalid = "yield"))]
pub fn iter_objects(
    py: Python<'_>,
    source: StreamSource,
    strict: bool,
    allow_custom: bool,
    invalid: &str,
) -> PyResult<ObjectIterator> {
    let on_invalid = match invalid {
        "yield" => OnInvalid::Yield,
        "skip" => OnInvalid::Skip,
        "raise" => OnInvalid::Raise,
        other => {
            return Err(PyValueError::new_err(format!(
                "invalid must be 'yield', 'skip' or 'raise', not {other:?}"
            )))
        }
    };
    let src: Source = match source {
        StreamSource::Bytes(b) => Box::new(std::io::Cursor::new(b)),
        StreamSource::Path(p) => Box::new(py.detach(|| std::fs::File::open(&p))?),
    };
    Ok(ObjectIterator {
        state: Mutex::new(StreamState {
            reader: Some(ValidatingReader::new(src, parse_options(strict))),
            header: BundleHeader::default(),
            diagnostics: Vec::new(),
            pending_lone: None,
        }),
        allow_custom,
        on_invalid,
    })
}
