//! `validate`: the validator's verdict on a document, as Python objects.

use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::Value;
use stix_core::validate::{validate_reader, BundleReport, ObjectReport, ValidationOptions};
use stix_core::{Diagnostic, Error};

use crate::convert::to_py;
use crate::errors::detached;
use crate::object::diagnostics_list;
use crate::parse::Input;

/// The verdict on one object.
#[pyclass(module = "libstix._native", name = "ObjectReport", frozen)]
pub struct PyObjectReport {
    inner: ObjectReport,
}

#[pymethods]
impl PyObjectReport {
    /// Position in the bundle's `objects` (0 for a lone object).
    #[getter]
    fn index(&self) -> usize {
        self.inner.index
    }
    /// JSON Pointer of the object.
    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }
    /// The object's `id`, when it has one.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id.as_deref()
    }
    /// The object's `type`, when it has one.
    #[getter(r#type)]
    fn type_name(&self) -> Option<&str> {
        self.inner.object_type.as_deref()
    }
    /// The STIX version the object was judged by.
    #[getter]
    fn spec_version(&self) -> &'static str {
        self.inner.spec_version.as_str()
    }
    /// The most restrictive official TLP level among its markings,
    /// object-level and granular (`"red"`, …).
    #[getter]
    fn tlp(&self) -> Option<String> {
        self.inner.tlp.map(|t| t.to_string())
    }
    /// True when no error was found (in strict mode: nor any warning).
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid
    }
    /// Everything found about the object.
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.inner.diagnostics)
    }
    /// The report as plain data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::to_value(&self.inner).unwrap_or(Value::Null),
        )
    }
    fn __repr__(&self) -> String {
        format!(
            "ObjectReport(path={:?}, id={:?}, valid={})",
            self.inner.path,
            self.inner.id.as_deref().unwrap_or(""),
            if self.inner.valid { "True" } else { "False" }
        )
    }
}

/// The verdict on a whole document.
#[pyclass(module = "libstix._native", name = "ValidationReport", frozen)]
pub struct PyValidationReport {
    inner: BundleReport,
}

#[pymethods]
impl PyValidationReport {
    /// True when every object is valid and the document has no error.
    #[getter]
    fn valid(&self) -> bool {
        self.inner.valid()
    }
    /// True when the document is a bundle.
    #[getter]
    fn is_bundle(&self) -> bool {
        self.inner.is_bundle
    }
    /// The bundle's `id`.
    #[getter]
    fn bundle_id(&self) -> Option<&str> {
        self.inner.bundle_id.as_deref()
    }
    /// Per-object verdicts, in document order.
    #[getter]
    fn objects<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for o in &self.inner.objects {
            list.append(Py::new(py, PyObjectReport { inner: o.clone() })?)?;
        }
        Ok(list)
    }
    /// Number of invalid objects.
    #[getter]
    fn invalid_count(&self) -> usize {
        self.inner.invalid_objects()
    }
    /// Findings about the document itself (bundle properties, malformed
    /// JSON, references to absent objects, conflicting duplicates).
    #[getter]
    fn diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.inner.diagnostics)
    }
    /// Every finding: the document's, then each object's.
    fn all_diagnostics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let all: Vec<Diagnostic> = self.inner.all_diagnostics().cloned().collect();
        diagnostics_list(py, &all)
    }
    /// Objects per `type`.
    #[getter]
    fn counts_by_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::to_value(&self.inner.counts_by_type).unwrap_or(Value::Null),
        )
    }
    /// References to objects absent from the document (dicts with
    /// `from_id`, `path`, `target`).
    #[getter]
    fn unresolved_refs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::to_value(&self.inner.unresolved_refs).unwrap_or(Value::Null),
        )
    }
    /// Versions present twice with different content (dicts).
    #[getter]
    fn duplicates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &serde_json::to_value(&self.inner.duplicates).unwrap_or(Value::Null),
        )
    }
    /// The whole report as plain data (`valid` included).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut v = serde_json::to_value(&self.inner).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("valid".into(), Value::Bool(self.inner.valid()));
        }
        to_py(py, &v)
    }
    fn __bool__(&self) -> bool {
        self.inner.valid()
    }
    fn __repr__(&self) -> String {
        format!(
            "ValidationReport(valid={}, objects={}, invalid={})",
            if self.inner.valid() { "True" } else { "False" },
            self.inner.objects.len(),
            self.inner.invalid_objects()
        )
    }
}

fn judge(bytes: &[u8], options: &ValidationOptions) -> BundleReport {
    match validate_reader(bytes, options) {
        Ok(r) => r,
        Err(e) => {
            // Malformed JSON is a finding of the report, not an exception:
            // a validator answers "invalid, here is why".
            let (line, column) = match &e {
                Error::Json { line, column, .. }
                | Error::Shape { line, column, .. }
                | Error::TooLarge { line, column, .. } => (Some(*line), Some(*column)),
                _ => (None, None),
            };
            let mut d = Diagnostic::error(None, "", "STIX-JSON-01", e.to_string());
            d.line = line;
            d.column = column;
            BundleReport {
                diagnostics: vec![d],
                warnings_as_errors: options.warnings_as_errors,
                ..BundleReport::default()
            }
        }
    }
}

/// Validate JSON text against the STIX 2.1 MUST and SHOULD rules.
#[pyfunction]
#[pyo3(signature = (data, *, strict = false, warnings_as_errors = false, check_patterns = true, check_references = true))]
pub fn validate(
    py: Python<'_>,
    data: Input,
    strict: bool,
    warnings_as_errors: bool,
    check_patterns: bool,
    check_references: bool,
) -> PyResult<PyValidationReport> {
    let options = ValidationOptions {
        strict,
        warnings_as_errors,
        check_patterns,
        check_references,
    };
    let inner = detached(py, "validating", || judge(data.as_bytes(), &options))?;
    Ok(PyValidationReport { inner })
}
