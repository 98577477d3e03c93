//! The Python views of what was read: objects, invalid items, diagnostics
//! and bundles.

use std::collections::HashMap;
use std::sync::OnceLock;

use pyo3::exceptions::{PyAttributeError, PyIndexError, PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;
use stix_core::{BundleHeader, Diagnostic, Severity, StixObject, Timestamp};

use crate::convert::to_py;
use crate::timestamp::PyTimestamp;

/// Top-level properties that the specification defines as timestamps; they
/// come back from `obj["name"]` / `obj.name` as `Timestamp` objects.
const TIMESTAMP_PROPERTIES: &[&str] = &[
    "created",
    "modified",
    "valid_from",
    "valid_until",
    "first_seen",
    "last_seen",
    "published",
    "first_observed",
    "last_observed",
    "start_time",
    "stop_time",
    "analysis_started",
    "analysis_ended",
    "submitted",
    "ctime",
    "mtime",
    "atime",
    "created_time",
    "modified_time",
    "start",
    "end",
    "date",
    "validity_not_before",
    "validity_not_after",
    "account_created",
    "account_expires",
    "credential_last_changed",
    "account_first_login",
    "account_last_login",
];

/// Serialise with the four-space indentation `stix2` uses for
/// `serialize(pretty=True)`, or compactly.
pub(crate) fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> String {
    let out = if pretty {
        let mut buf = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        value
            .serialize(&mut ser)
            .map(|_| String::from_utf8(buf).unwrap_or_default())
    } else {
        serde_json::to_string(value)
    };
    // Serialising values that came out of serde_json cannot fail.
    out.unwrap_or_default()
}

/// A property value for Python: timestamps as `Timestamp`, the rest plain.
fn property_to_py<'py>(py: Python<'py>, key: &str, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    if let Value::String(s) = value {
        if TIMESTAMP_PROPERTIES.contains(&key) {
            if let Ok(inner) = Timestamp::parse(s) {
                return Ok(Bound::new(py, PyTimestamp { inner })?.into_any());
            }
        }
    }
    to_py(py, value)
}

/// One finding about one object (or the bundle).
#[pyclass(module = "libstix._native", name = "Diagnostic", frozen, get_all)]
#[derive(Clone)]
pub struct PyDiagnostic {
    /// The `id` of the object concerned, when it has one.
    pub object_id: Option<String>,
    /// JSON Pointer of the offending value (`/objects/3/created`).
    pub path: String,
    /// Stable rule id, such as `STIX-TS-01`.
    pub rule: String,
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// What is wrong.
    pub message: String,
    /// 1-based line in the input, when known.
    pub line: Option<u64>,
    /// 1-based column in the input, when known.
    pub column: Option<u64>,
}

impl From<Diagnostic> for PyDiagnostic {
    fn from(d: Diagnostic) -> Self {
        PyDiagnostic {
            object_id: d.object_id,
            path: d.path,
            rule: d.rule,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: d.message,
            line: d.line,
            column: d.column,
        }
    }
}

#[pymethods]
impl PyDiagnostic {
    /// The diagnostic as a plain `dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("object_id", &self.object_id)?;
        d.set_item("path", &self.path)?;
        d.set_item("rule", &self.rule)?;
        d.set_item("severity", self.severity)?;
        d.set_item("message", &self.message)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        Ok(d)
    }

    /// True for error-level findings.
    #[getter]
    fn is_error(&self) -> bool {
        self.severity == "error"
    }

    fn __str__(&self) -> String {
        let mut s = format!("{} [{}]", self.severity, self.rule);
        if let Some(id) = &self.object_id {
            s.push_str(&format!(" {id}"));
        }
        if !self.path.is_empty() {
            s.push_str(&format!(" at {}", self.path));
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            s.push_str(&format!(" (line {l}, column {c})"));
        }
        s.push_str(&format!(": {}", self.message));
        s
    }

    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(rule={:?}, severity={:?}, path={:?}, message={:?})",
            self.rule, self.severity, self.path, self.message
        )
    }
}

pub(crate) fn diagnostics_list<'py>(
    py: Python<'py>,
    diags: &[Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for d in diags {
        list.append(Py::new(py, PyDiagnostic::from(d.clone()))?)?;
    }
    Ok(list)
}

/// A STIX object read (or built) by libstix. Immutable.
#[pyclass(module = "libstix._native", name = "StixObject", frozen, mapping)]
pub struct PyStixObject {
    pub(crate) obj: StixObject,
    spec_version: &'static str,
    warnings: Vec<Diagnostic>,
    value: OnceLock<Value>,
}

impl PyStixObject {
    /// Wrap a typed object with the version it was judged by and the
    /// warnings the validator had about it.
    pub fn new(obj: StixObject, spec_version: &'static str, warnings: Vec<Diagnostic>) -> Self {
        PyStixObject {
            obj,
            spec_version,
            warnings,
            value: OnceLock::new(),
        }
    }

    fn map(&self) -> &serde_json::Map<String, Value> {
        static EMPTY: OnceLock<serde_json::Map<String, Value>> = OnceLock::new();
        match self.value.get_or_init(|| self.obj.to_value()) {
            Value::Object(m) => m,
            _ => EMPTY.get_or_init(serde_json::Map::new),
        }
    }
}

#[pymethods]
impl PyStixObject {
    /// The object's `id`.
    #[getter]
    fn id(&self) -> &str {
        self.obj.id().as_str()
    }

    /// The object's `type`.
    #[getter(r#type)]
    fn type_name(&self) -> &str {
        self.obj.type_name()
    }

    /// The STIX version the object follows (`"2.1"` or `"2.0"`), from its
    /// own `spec_version` or, when it has none, from its bundle.
    #[getter]
    fn spec_version(&self) -> &str {
        self.obj.spec_version().unwrap_or(self.spec_version)
    }

    /// `created` as a `Timestamp` (None when absent, as on SCOs).
    #[getter]
    fn created(&self) -> Option<PyTimestamp> {
        self.obj.created().map(|t| PyTimestamp { inner: t.clone() })
    }

    /// `modified` as a `Timestamp` (None when absent).
    #[getter]
    fn modified(&self) -> Option<PyTimestamp> {
        self.obj
            .modified()
            .map(|t| PyTimestamp { inner: t.clone() })
    }

    /// SHOULD-level findings of the validator about this object.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.warnings)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.map().get(key) {
            Some(v) => property_to_py(py, key, v),
            None => Err(PyKeyError::new_err(key.to_owned())),
        }
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.map().get(name) {
            Some(v) => property_to_py(py, name, v),
            None => Err(PyAttributeError::new_err(format!(
                "'{}' object {} has no property '{name}'",
                self.obj.type_name(),
                self.obj.id().as_str()
            ))),
        }
    }

    /// The property `key`, or `default` when the object does not have it.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.map().get(key) {
            Some(v) => property_to_py(py, key, v),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __contains__(&self, key: &str) -> bool {
        self.map().contains_key(key)
    }

    fn __len__(&self) -> usize {
        self.map().len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.keys(py)?.try_iter().map(Bound::into_any)
    }

    /// The property names, sorted.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.map().keys())
    }

    /// `(name, value)` pairs, with timestamps as `Timestamp`.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (k, v) in self.map() {
            list.append((k, property_to_py(py, k, v)?))?;
        }
        Ok(list)
    }

    /// The object as plain JSON data (`dict`; timestamps as their exact
    /// strings), equal to what was read.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.value.get_or_init(|| self.obj.to_value()))
    }

    /// The object as JSON text, equal to what was read: custom properties
    /// kept, timestamps with their exact digits, no defaults added.
    /// `pretty=True` indents by four spaces.
    #[pyo3(signature = (pretty = false))]
    fn serialize(&self, pretty: bool) -> String {
        to_json(&self.obj, pretty)
    }

    fn __str__(&self) -> String {
        self.obj.to_json()
    }

    fn __repr__(&self) -> String {
        format!(
            "StixObject(type='{}', id='{}')",
            self.obj.type_name(),
            self.obj.id().as_str()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<PyStixObject>() {
            Ok(o) => self.map() == o.get().map(),
            Err(_) => false,
        }
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.obj.id().as_str().hash(&mut h);
        self.obj.modified().map(|m| m.as_str()).hash(&mut h);
        h.finish()
    }
}

/// An element of a bundle that is not a valid STIX object, kept with the
/// reasons why.
#[pyclass(module = "libstix._native", name = "InvalidItem", frozen)]
pub struct PyInvalidItem {
    pub(crate) index: usize,
    pub(crate) path: String,
    pub(crate) line: u64,
    pub(crate) column: u64,
    pub(crate) value: Value,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

#[pymethods]
impl PyInvalidItem {
    /// Position in the bundle's `objects` (0 for a lone object).
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// JSON Pointer of the element (`/objects/3`; empty for a lone object).
    #[getter]
    fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line where the element starts.
    #[getter]
    fn line(&self) -> u64 {
        self.line
    }

    /// 1-based column where the element starts.
    #[getter]
    fn column(&self) -> u64 {
        self.column
    }

    /// The element's `id`, when it has a string one.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.value.get("id").and_then(Value::as_str)
    }

    /// The element's `type`, when it has a string one.
    #[getter(r#type)]
    fn type_name(&self) -> Option<&str> {
        self.value.get("type").and_then(Value::as_str)
    }

    /// Why the element is invalid (errors first, then warnings).
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.diagnostics)
    }

    /// The element as plain JSON data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.value)
    }

    /// The element as JSON text (kept as read).
    #[pyo3(signature = (pretty = false))]
    fn serialize(&self, pretty: bool) -> String {
        to_json(&self.value, pretty)
    }

    fn __repr__(&self) -> String {
        let first = self
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .or(self.diagnostics.first())
            .map(|d| d.message.as_str())
            .unwrap_or("");
        format!("InvalidItem(path='{}', error={first:?})", self.path)
    }
}

/// One element of a bundle, valid or not.
pub enum BundleItem {
    /// A valid object.
    Valid(Py<PyStixObject>),
    /// An element that did not pass.
    Invalid(Py<PyInvalidItem>),
}

/// A bundle: its valid objects, its invalid elements, and what was found
/// about the bundle itself.
#[pyclass(module = "libstix._native", name = "Bundle", frozen)]
pub struct PyBundle {
    pub(crate) header: BundleHeader,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) items: Vec<BundleItem>,
    valid: Vec<Py<PyStixObject>>,
    by_id: HashMap<String, Vec<usize>>,
}

impl PyBundle {
    /// Assemble a bundle from its header and elements (in document order).
    pub fn new(
        py: Python<'_>,
        header: BundleHeader,
        diagnostics: Vec<Diagnostic>,
        items: Vec<BundleItem>,
    ) -> Self {
        let valid: Vec<Py<PyStixObject>> = items
            .iter()
            .filter_map(|i| match i {
                BundleItem::Valid(o) => Some(o.clone_ref(py)),
                BundleItem::Invalid(_) => None,
            })
            .collect();
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (n, o) in valid.iter().enumerate() {
            by_id
                .entry(o.get().obj.id().as_str().to_owned())
                .or_default()
                .push(n);
        }
        PyBundle {
            header,
            diagnostics,
            items,
            valid,
            by_id,
        }
    }
}

struct BundleOut<'a>(&'a PyBundle);

impl serde::Serialize for BundleOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = &self.0.header;
        let mut m = s.serialize_map(None)?;
        if let Some(t) = &h.type_name {
            m.serialize_entry("type", t)?;
        }
        if let Some(id) = &h.id {
            m.serialize_entry("id", id)?;
        }
        if let Some(v) = &h.spec_version {
            m.serialize_entry("spec_version", v)?;
        }
        for (k, v) in &h.custom {
            m.serialize_entry(k, v)?;
        }
        if h.has_objects {
            m.serialize_entry("objects", &ItemsOut(&self.0.items))?;
        }
        m.end()
    }
}

struct ItemsOut<'a>(&'a [BundleItem]);

impl serde::Serialize for ItemsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            match item {
                BundleItem::Valid(o) => seq.serialize_element(&o.get().obj)?,
                BundleItem::Invalid(i) => seq.serialize_element(&i.get().value)?,
            }
        }
        seq.end()
    }
}

#[pymethods]
impl PyBundle {
    /// The bundle's `id`.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.header.id.as_deref()
    }

    /// Always `"bundle"` for a bundle that was read as one.
    #[getter(r#type)]
    fn type_name(&self) -> &str {
        self.header.type_name.as_deref().unwrap_or("bundle")
    }

    /// The bundle's own `spec_version` (only STIX 2.0 bundles have one).
    #[getter]
    fn spec_version(&self) -> Option<&str> {
        self.header.spec_version.as_deref()
    }

    /// The valid objects, in document order (a new list on each access).
    #[getter]
    fn objects<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.valid.iter().map(|o| o.clone_ref(py)))
    }

    /// The elements that are not valid objects, with their diagnostics.
    #[getter]
    fn invalid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for item in &self.items {
            if let BundleItem::Invalid(i) = item {
                list.append(i.clone_ref(py))?;
            }
        }
        Ok(list)
    }

    /// Findings about the bundle's own properties.
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.diagnostics)
    }

    /// Every finding: the bundle's, each invalid element's, then each valid
    /// object's warnings.
    fn all_diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut all = self.diagnostics.clone();
        for item in &self.items {
            match item {
                BundleItem::Valid(o) => all.extend(o.get().warnings.iter().cloned()),
                BundleItem::Invalid(i) => all.extend(i.get().diagnostics.iter().cloned()),
            }
        }
        diagnostics_list(py, &all)
    }

    /// The valid objects with this `id` (every version present), like
    /// `stix2.Bundle.get_obj`.
    fn get_obj<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyList>> {
        let idx = self.by_id.get(id).map(Vec::as_slice).unwrap_or(&[]);
        PyList::new(py, idx.iter().map(|&n| self.valid[n].clone_ref(py)))
    }

    /// Number of valid objects.
    fn __len__(&self) -> usize {
        self.valid.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.objects(py)?.try_iter().map(Bound::into_any)
    }

    /// `bundle[i]`: the i-th valid object; `bundle["objects"]`, `["id"]`,
    /// `["type"]` and other bundle properties as `stix2` allows.
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(i) = key.extract::<isize>() {
            let n = self.valid.len() as isize;
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return Err(PyIndexError::new_err("bundle index out of range"));
            }
            return Ok(self.valid[j as usize]
                .clone_ref(py)
                .into_bound(py)
                .into_any());
        }
        let Ok(k) = key.extract::<String>() else {
            return Err(PyTypeError::new_err("bundle keys are int or str"));
        };
        match k.as_str() {
            "objects" => Ok(self.objects(py)?.into_any()),
            "type" => Ok(self.type_name().into_pyobject(py)?.into_any()),
            "id" if self.header.id.is_some() => Ok(self.id().into_pyobject(py)?.into_any()),
            "spec_version" if self.header.spec_version.is_some() => {
                Ok(self.spec_version().into_pyobject(py)?.into_any())
            }
            other => match self.header.custom.get(other) {
                Some(v) => to_py(py, v),
                None => Err(PyKeyError::new_err(k)),
            },
        }
    }

    /// The whole bundle as JSON text, invalid elements included, in the
    /// original order.
    #[pyo3(signature = (pretty = false))]
    fn serialize(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        crate::errors::detached(py, "serialising a bundle", || {
            to_json(&BundleOut(self), pretty)
        })
    }

    /// The whole bundle as plain JSON data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v = crate::errors::detached(py, "serialising a bundle", || {
            serde_json::to_value(BundleOut(self)).unwrap_or(Value::Null)
        })?;
        to_py(py, &v)
    }

    fn __repr__(&self) -> String {
        format!(
            "Bundle(id={:?}, objects={}, invalid={})",
            self.header.id.as_deref().unwrap_or(""),
            self.valid.len(),
            self.items.len() - self.valid.len()
        )
    }
}
