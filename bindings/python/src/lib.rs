//! Python bindings for libstix (pyo3). Filled by the bindings work.
