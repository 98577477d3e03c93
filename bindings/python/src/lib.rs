//! The `libstix._native` extension module: a thin pyo3 layer over
//! `stix-core` and `stix-pattern`. Heavy work (parsing, validation,
//! pattern batches, file reads) runs with the GIL released, and no Rust
//! panic reaches Python as a `PanicException`: entry points catch it and
//! raise `libstix.LibstixError` instead.
//!
//! The Python package `libstix` (in `python/libstix/`) wraps this module;
//! users import `libstix`, never `libstix._native` directly.

mod convert;
mod errors;
mod object;
mod parse;
mod pattern;
mod taxii;
mod timestamp;
mod validate;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::{Map, Value};
use stix_core::object::{category_of, ObjectCategory};

/// The id a new object of `object_type` should get: for a STIX 2.1
/// cyber-observable, the deterministic UUIDv5 id computed from the
/// contributing properties in `properties_json` (a JSON object); for
/// anything else, `<type>--<random UUIDv4>`.
#[pyfunction]
#[pyo3(signature = (object_type, properties_json = "{}"))]
fn generate_id(object_type: &str, properties_json: &str) -> PyResult<String> {
    if category_of(object_type) == ObjectCategory::Sco {
        let props: Map<String, Value> = serde_json::from_str(properties_json)
            .map_err(|e| PyValueError::new_err(format!("properties_json: {e}")))?;
        return stix_core::sco_id::generate_sco_id(object_type, &props)
            .map_err(|e| PyValueError::new_err(e.to_string()));
    }
    stix_core::Identifier::new_v4(object_type)
        .map(|id| id.as_str().to_owned())
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The STIX category of a type name: `"sdo"`, `"sro"`, `"sco"`, `"meta"`
/// or `"custom"`.
#[pyfunction]
fn object_category(object_type: &str) -> &'static str {
    match category_of(object_type) {
        ObjectCategory::Sdo => "sdo",
        ObjectCategory::Sro => "sro",
        ObjectCategory::Sco => "sco",
        ObjectCategory::Meta => "meta",
        ObjectCategory::Custom => "custom",
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<timestamp::PyTimestamp>()?;
    m.add_class::<object::PyDiagnostic>()?;
    m.add_class::<object::PyStixObject>()?;
    m.add_class::<object::PyInvalidItem>()?;
    m.add_class::<object::PyBundle>()?;
    m.add_class::<parse::ObjectIterator>()?;
    m.add_class::<validate::PyValidationReport>()?;
    m.add_class::<validate::PyObjectReport>()?;
    m.add_class::<pattern::PyPattern>()?;
    m.add_class::<taxii::PyServer>()?;
    m.add_class::<taxii::PyApiRoot>()?;
    m.add_class::<taxii::PyCollection>()?;
    m.add_class::<taxii::PyPages>()?;
    m.add_function(wrap_pyfunction!(parse::parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse::parse_file, m)?)?;
    m.add_function(wrap_pyfunction!(parse::iter_objects, m)?)?;
    m.add_function(wrap_pyfunction!(validate::validate, m)?)?;
    m.add_function(wrap_pyfunction!(pattern::parse_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(pattern::validate_patterns, m)?)?;
    m.add_function(wrap_pyfunction!(generate_id, m)?)?;
    m.add_function(wrap_pyfunction!(object_category, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
