//! STIX patterns: check, canonical form, observables.

use std::ffi::c_char;

use stix_pattern::{PatternError, StixVersion};

use crate::error::{stix_error, stix_result, Failure};
use crate::ffi::{bytes, clear_out, guard, guard_value, handle, stix_str, utf8, view, FfiText};

/// STIX version selector: the patterning rules of STIX 2.0.
pub const STIX_SPEC_2_0: u32 = 20;
/// STIX version selector: the patterning rules of STIX 2.1.
pub const STIX_SPEC_2_1: u32 = 21;

/// One pattern error or lint warning, filled in by
/// `stix_pattern_result_error` / `stix_pattern_result_warning`. Strings are
/// borrowed from the pattern result.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct stix_pattern_error {
    /// 1-based line in the pattern.
    pub line: u64,
    /// 1-based column, counted in characters.
    pub column: u64,
    /// Byte offset in the pattern.
    pub offset: u64,
    /// The category, in snake_case (such as `syntax`, `invalid_timestamp`,
    /// `hash_value`).
    pub kind: stix_str,
    /// A short description; for syntax errors it says what was expected.
    pub message: stix_str,
}

#[derive(Debug)]
struct FfiPatternError {
    line: u64,
    column: u64,
    offset: u64,
    kind: FfiText,
    message: FfiText,
}

impl FfiPatternError {
    fn new(e: &PatternError) -> Self {
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut message = e.message.clone();
        if !e.expected.is_empty() {
            message.push_str(&format!(" (expected {})", e.expected.join(", ")));
        }
        FfiPatternError {
            line: e.line as u64,
            column: e.column as u64,
            offset: e.offset as u64,
            kind: FfiText::new(&kind),
            message: FfiText::new(&message),
        }
    }

    fn view(&self) -> stix_pattern_error {
        stix_pattern_error {
            line: self.line,
            column: self.column,
            offset: self.offset,
            kind: self.kind.view(),
            message: self.message.view(),
        }
    }
}

/// The outcome of checking one pattern: valid or not, errors and warnings
/// with positions, and for a valid pattern its canonical text and
/// observables.
///
/// Owned by the caller; free it with `stix_pattern_result_free`. Strings
/// obtained from it live as long as it does.
#[derive(Debug)]
pub struct stix_pattern_result {
    errors: Vec<FfiPatternError>,
    warnings: Vec<FfiPatternError>,
    canonical: Option<FfiText>,
    observables: Option<FfiText>,
}

/// Checks the pattern of `len` bytes at `pattern` (UTF-8, need not be
/// NUL-terminated) against the rules of `version` (`STIX_SPEC_2_1` or
/// `STIX_SPEC_2_0`).
///
/// An invalid pattern is not a failure: the result is `STIX_RESULT_OK` and
/// `*out` says what is wrong. Failures are NULL arguments, an unknown
/// version, and input that is not UTF-8. On success `*out` is a new result
/// to free with `stix_pattern_result_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_check(
    pattern: *const c_char,
    len: usize,
    version: u32,
    out: *mut *mut stix_pattern_result,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let text = utf8(bytes(pattern.cast(), len, "pattern")?, "the pattern")?;
        let version = match version {
            STIX_SPEC_2_0 => StixVersion::V20,
            STIX_SPEC_2_1 => StixVersion::V21,
            other => {
                return Err(Failure::invalid(format!(
                    "unknown STIX version {other} (use STIX_SPEC_2_0 or STIX_SPEC_2_1)"
                )))
            }
        };
        let result = match stix_pattern::parse(text, version) {
            Ok(p) => {
                let observables = serde_json::to_string(&p.observables())
                    .map_err(|e| Failure::internal(&format!("observables serialisation: {e}")))?;
                stix_pattern_result {
                    errors: Vec::new(),
                    warnings: p.warnings.iter().map(FfiPatternError::new).collect(),
                    canonical: Some(FfiText::new(&p.canonical())),
                    observables: Some(FfiText::new(&observables)),
                }
            }
            Err(errors) => stix_pattern_result {
                errors: errors.iter().map(FfiPatternError::new).collect(),
                warnings: Vec::new(),
                canonical: None,
                observables: None,
            },
        };
        // SAFETY: `out` was checked by `clear_out`.
        unsafe { out.write(Box::into_raw(Box::new(result))) };
        Ok(())
    })
}

/// True when the pattern is valid (false when `result` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_valid(result: *const stix_pattern_result) -> bool {
    guard_value(false, || {
        handle(result, "result").is_ok_and(|r| r.errors.is_empty())
    })
}

/// Number of errors (0 for a valid pattern).
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_error_count(
    result: *const stix_pattern_result,
) -> usize {
    guard_value(0, || handle(result, "result").map_or(0, |r| r.errors.len()))
}

/// Fills `*out` with error `index`, in text order. Strings are borrowed from
/// `result`.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_error(
    result: *const stix_pattern_result,
    index: usize,
    out: *mut stix_pattern_error,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        let r = handle(result, "result")?;
        fill(&r.errors, index, out)
    })
}

/// Number of lint warnings of a valid pattern (wrong hash length, malformed
/// IP address...).
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_warning_count(
    result: *const stix_pattern_result,
) -> usize {
    guard_value(0, || {
        handle(result, "result").map_or(0, |r| r.warnings.len())
    })
}

/// Fills `*out` with warning `index`. Strings are borrowed from `result`.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_warning(
    result: *const stix_pattern_result,
    index: usize,
    out: *mut stix_pattern_error,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        let r = handle(result, "result")?;
        fill(&r.warnings, index, out)
    })
}

/// The canonical text of a valid pattern (normalised spacing and quoting);
/// absent for an invalid one. Borrowed from `result`.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_canonical(
    result: *const stix_pattern_result,
) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(result, "result").map_or(stix_str::ABSENT, |r| view(&r.canonical))
    })
}

/// The observables of a valid pattern as a JSON object
/// (`{"comparisons": [...], "observables": [{"kind", "value", "object_type",
/// "property", ...}], "flat": bool, "reasons": [...]}`); absent for an
/// invalid one. Borrowed from `result`.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_observables_json(
    result: *const stix_pattern_result,
) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(result, "result").map_or(stix_str::ABSENT, |r| view(&r.observables))
    })
}

/// Frees a pattern result. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn stix_pattern_result_free(result: *mut stix_pattern_result) {
    guard_value((), || {
        if !result.is_null() {
            // SAFETY: the API requires a handle from `stix_pattern_check`,
            // not yet freed.
            drop(unsafe { Box::from_raw(result) });
        }
    })
}

fn fill(
    list: &[FfiPatternError],
    index: usize,
    out: *mut stix_pattern_error,
) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    let e = list
        .get(index)
        .ok_or_else(|| Failure::out_of_range(index, list.len()))?;
    // SAFETY: non-NULL, and the API requires a writable struct.
    unsafe { out.write(e.view()) };
    Ok(())
}
