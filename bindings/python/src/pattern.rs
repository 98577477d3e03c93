//! `libstix.pattern`: parse, canonicalise and extract observables.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use stix_pattern::{Pattern, PatternError, StixVersion};

use crate::convert::to_py;
use crate::errors::detached;

fn version(v: &str) -> PyResult<StixVersion> {
    match v {
        "2.1" => Ok(StixVersion::V21),
        "2.0" => Ok(StixVersion::V20),
        other => Err(PyValueError::new_err(format!(
            "stix_version must be '2.0' or '2.1', not {other:?}"
        ))),
    }
}

fn error_tuples(errors: &[PatternError]) -> Vec<(usize, usize, String)> {
    errors
        .iter()
        .map(|e| (e.line, e.column, e.message.clone()))
        .collect()
}

fn pattern_error(py: Python<'_>, text: &str, errors: &[PatternError]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let first = errors
            .first()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "invalid pattern".into());
        let msg = if errors.len() > 1 {
            format!("{first} (and {} more)", errors.len() - 1)
        } else {
            first
        };
        let cls = py.import("libstix._errors")?.getattr("PatternError")?;
        let exc = cls.call1((msg, error_tuples(errors), text))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// A parsed and validated STIX pattern.
#[pyclass(module = "libstix._native", name = "Pattern", frozen)]
pub struct PyPattern {
    inner: Pattern,
    canonical: String,
}

#[pymethods]
impl PyPattern {
    /// The pattern in canonical spelling (stable whitespace and quoting).
    #[getter]
    fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The STIX version it was checked against.
    #[getter]
    fn stix_version(&self) -> &'static str {
        match self.inner.version {
            StixVersion::V20 => "2.0",
            StixVersion::V21 => "2.1",
        }
    }

    /// Lint findings that do not make the pattern invalid, as
    /// `(line, column, message)` tuples.
    #[getter]
    fn warnings(&self) -> Vec<(usize, usize, String)> {
        error_tuples(&self.inner.warnings)
    }

    /// True when the pattern is only alternatives (`=`/`IN` joined by
    /// `OR`), so that any one observable matching means a match.
    #[getter]
    fn is_flat(&self) -> bool {
        self.inner.observables().flat
    }

    /// The typed values of the non-negated `=` / `IN` comparisons, as
    /// dicts with `kind`, `value`, `algorithm`, `object_type`, `property`.
    fn observables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let obs = self.inner.observables();
        to_py(
            py,
            &serde_json::to_value(&obs.observables).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Every comparison of the pattern, as dicts.
    fn comparisons<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let obs = self.inner.observables();
        to_py(
            py,
            &serde_json::to_value(&obs.comparisons).unwrap_or(serde_json::Value::Null),
        )
    }

    fn __str__(&self) -> &str {
        &self.canonical
    }

    fn __repr__(&self) -> String {
        format!("Pattern({:?})", self.canonical)
    }
}

/// Parse and validate one pattern; raises `libstix.PatternError`.
#[pyfunction]
#[pyo3(signature = (pattern, stix_version = "2.1"))]
pub fn parse_pattern(py: Python<'_>, pattern: &str, stix_version: &str) -> PyResult<PyPattern> {
    let v = version(stix_version)?;
    let text = pattern.to_owned();
    let result = detached(py, "parsing a pattern", || {
        stix_pattern::parse(&text, v).map(|p| {
            let canonical = p.canonical();
            (p, canonical)
        })
    })?;
    match result {
        Ok((inner, canonical)) => Ok(PyPattern { inner, canonical }),
        Err(errors) => Err(pattern_error(py, pattern, &errors)),
    }
}

/// Validate many patterns with the GIL released. Each result is a list of
/// `(line, column, message)` errors, empty when that pattern is valid.
#[pyfunction]
#[pyo3(signature = (patterns, stix_version = "2.1"))]
pub fn validate_patterns<'py>(
    py: Python<'py>,
    patterns: Vec<String>,
    stix_version: &str,
) -> PyResult<Bound<'py, PyList>> {
    let v = version(stix_version)?;
    let results = detached(py, "validating patterns", || {
        patterns
            .iter()
            .map(|p| match stix_pattern::parse(p, v) {
                Ok(_) => Vec::new(),
                Err(errors) => error_tuples(&errors),
            })
            .collect::<Vec<_>>()
    })?;
    PyList::new(py, results)
}
