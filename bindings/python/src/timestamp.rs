//! `libstix.Timestamp`: a STIX timestamp that keeps its exact text.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pyo3::basic::CompareOp;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use stix_core::Timestamp;

/// A STIX timestamp (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`).
///
/// `str()` gives the exact text that was read; comparisons use every
/// fraction digit, so two timestamps that differ in the ninth digit (or
/// beyond) still order correctly, which `datetime` cannot do.
#[pyclass(module = "libstix._native", name = "Timestamp", frozen)]
#[derive(Clone)]
pub struct PyTimestamp {
    pub(crate) inner: Timestamp,
}

impl PyTimestamp {
    fn from_any(other: &Bound<'_, PyAny>) -> Option<Timestamp> {
        if let Ok(t) = other.cast::<PyTimestamp>() {
            return Some(t.get().inner.clone());
        }
        let text: String = other.extract().ok()?;
        Timestamp::parse(&text).ok()
    }
}

#[pymethods]
impl PyTimestamp {
    /// Parse a STIX timestamp; raises `ValueError` when the text is not one.
    #[new]
    fn new(text: &str) -> PyResult<Self> {
        Timestamp::parse(text)
            .map(|inner| PyTimestamp { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The current time with millisecond precision (three fraction digits),
    /// as STIX asks for new `created` / `modified` values.
    #[staticmethod]
    fn now() -> Self {
        PyTimestamp {
            inner: Timestamp::now_millis(),
        }
    }

    /// A timestamp from nanoseconds since the Unix epoch, written with
    /// `digits` fraction digits (0–9, default 3; extra precision is cut).
    #[staticmethod]
    #[pyo3(signature = (nanoseconds, digits = 3))]
    fn from_nanoseconds(nanoseconds: i128, digits: usize) -> PyResult<Self> {
        let secs = i64::try_from(nanoseconds.div_euclid(1_000_000_000))
            .map_err(|_| PyValueError::new_err("nanoseconds out of range"))?;
        let nanos = nanoseconds.rem_euclid(1_000_000_000) as u32;
        let dt = stix_chrono_datetime(secs, nanos)
            .ok_or_else(|| PyValueError::new_err("nanoseconds out of the range of STIX years"))?;
        // Years outside 0000-9999 cannot be written as a STIX timestamp.
        Timestamp::from_datetime(dt, digits)
            .map(|inner| PyTimestamp { inner })
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The exact text.
    fn __str__(&self) -> &str {
        self.inner.as_str()
    }

    fn __repr__(&self) -> String {
        format!("Timestamp('{}')", self.inner.as_str())
    }

    /// The fraction-of-second digits as written (`""` for whole seconds).
    #[getter]
    fn fraction(&self) -> &str {
        self.inner.fraction()
    }

    /// How many fraction digits the text has (its precision).
    #[getter]
    fn precision(&self) -> usize {
        self.inner.fraction_digits()
    }

    /// Whole seconds since the Unix epoch.
    #[getter]
    fn seconds(&self) -> i64 {
        self.inner.unix_seconds()
    }

    /// Nanoseconds since the Unix epoch, exact for up to nine fraction
    /// digits; digits past the ninth are dropped (truncated toward the past).
    /// Comparisons between timestamps still use every digit.
    #[getter]
    fn nanoseconds(&self) -> i128 {
        i128::from(self.inner.unix_seconds()) * 1_000_000_000
            + i128::from(self.inner.subsec_nanos())
    }

    /// A timezone-aware `datetime` (UTC). `datetime` holds microseconds
    /// only: digits past the sixth are dropped (truncated, never rounded),
    /// and a leap second `:60` becomes `:59.999999`. Raises `ValueError`
    /// for year 0000, which `datetime` cannot hold.
    fn to_datetime<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.inner.as_str().as_bytes();
        let num = |r: std::ops::Range<usize>| -> u32 {
            t[r].iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'))
        };
        let (mut second, mut micro) = (num(17..19), 0u32);
        let frac = self.inner.fraction().as_bytes();
        for i in 0..6 {
            micro = micro * 10 + frac.get(i).map_or(0, |d| u32::from(d - b'0'));
        }
        if second == 60 {
            second = 59;
            micro = 999_999;
        }
        let dt = py.import("datetime")?;
        let utc = dt.getattr("timezone")?.getattr("utc")?;
        dt.getattr("datetime")?.call1((
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            second,
            micro,
            utc,
        ))
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> Py<PyAny> {
        let py = other.py();
        let Some(o) = Self::from_any(other) else {
            return py.NotImplemented();
        };
        let a = &self.inner;
        let r = match op {
            CompareOp::Lt => *a < o,
            CompareOp::Le => *a <= o,
            CompareOp::Eq => *a == o,
            CompareOp::Ne => *a != o,
            CompareOp::Gt => *a > o,
            CompareOp::Ge => *a >= o,
        };
        r.into_pyobject(py)
            .map(|b| b.to_owned().into_any().unbind())
            .unwrap_or_else(|_| py.NotImplemented())
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.inner.hash(&mut h);
        h.finish()
    }
}

fn stix_chrono_datetime(secs: i64, nanos: u32) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(secs, nanos)
}
