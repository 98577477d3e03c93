//! Raising the typed exceptions of `libstix._errors` from Rust.
//!
//! The exception classes are written in Python (so that their constructors,
//! attributes and docstrings are ordinary Python); this module builds
//! instances of them.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::types::PyList;
use stix_core::Error;

use crate::object::PyDiagnostic;

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("libstix._errors")?.getattr(name)
}

/// A `libstix.ParseError(message, line, column)`.
pub fn parse_error(py: Python<'_>, message: &str, line: Option<u64>, column: Option<u64>) -> PyErr {
    match class(py, "ParseError").and_then(|c| c.call1((message, line, column))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Map a `stix_core::Error` to the matching Python exception.
pub fn core_error(py: Python<'_>, err: &Error) -> PyErr {
    match err {
        Error::Json { line, column, .. } | Error::Shape { line, column, .. } => {
            parse_error(py, &err.to_string(), Some(*line), Some(*column))
        }
        Error::TooLarge { line, column, .. } => {
            parse_error(py, &err.to_string(), Some(*line), Some(*column))
        }
        Error::Io(msg) => pyo3::exceptions::PyOSError::new_err(msg.clone()),
        Error::Object { line, column, .. } => parse_error(py, &err.to_string(), *line, *column),
        other => parse_error(py, &other.to_string(), None, None),
    }
}

/// A `libstix.ValidationError(message, diagnostics)`.
pub fn validation_error(
    py: Python<'_>,
    message: &str,
    diagnostics: Vec<stix_core::Diagnostic>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let list = PyList::empty(py);
        for d in diagnostics {
            list.append(Py::new(py, PyDiagnostic::from(d))?)?;
        }
        let exc = class(py, "ValidationError")?.call1((message, list))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// Run `f` with the GIL released, turning a Rust panic into a
/// `libstix.LibstixError` instead of letting it reach Python as a
/// `PanicException` (which `except Exception` would not catch).
pub fn detached<T, F>(py: Python<'_>, what: &str, f: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send,
    T: Send,
{
    let out = py.detach(move || catch_unwind(AssertUnwindSafe(f)));
    out.map_err(|payload| internal(py, what, &payload))
}

fn internal(py: Python<'_>, what: &str, payload: &Box<dyn std::any::Any + Send>) -> PyErr {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    let msg = format!("internal error in libstix while {what}: {detail} (please report this)");
    match class(py, "LibstixError").and_then(|c| c.call1((msg.clone(),))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(_) => pyo3::exceptions::PyRuntimeError::new_err(msg),
    }
}
