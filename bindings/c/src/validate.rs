//! Validation against the STIX 2.1 rules, with a report handle.

use std::ffi::{c_char, CStr};

use stix_core::validate::{validate_reader, BundleReport, ValidationOptions};

use crate::diagnostic::{fill, stix_diagnostic, FfiDiagnostic};
use crate::error::{stix_error, stix_result, Failure};
use crate::ffi::{
    bytes, clear_out, give_string, guard, guard_value, handle, stix_str, utf8, view, FfiText,
};

/// Validation flag: the default judgement (no flag set).
pub const STIX_VALIDATE_DEFAULT: u32 = 0;
/// Validation flag: strict judgement (MUST rules that producers commonly
/// break are errors rather than warnings).
pub const STIX_VALIDATE_STRICT: u32 = 1;
/// Validation flag: any warning makes its object invalid.
pub const STIX_VALIDATE_WARNINGS_AS_ERRORS: u32 = 2;
/// Validation flag: do not parse indicator patterns.
pub const STIX_VALIDATE_NO_PATTERNS: u32 = 4;
/// Validation flag: do not report references to objects absent from the
/// bundle.
pub const STIX_VALIDATE_NO_REFERENCES: u32 = 8;

const ALL_FLAGS: u32 = STIX_VALIDATE_STRICT
    | STIX_VALIDATE_WARNINGS_AS_ERRORS
    | STIX_VALIDATE_NO_PATTERNS
    | STIX_VALIDATE_NO_REFERENCES;

fn options(flags: u32) -> Result<ValidationOptions, Failure> {
    if flags & !ALL_FLAGS != 0 {
        return Err(Failure::invalid(format!(
            "unknown validation flags {:#x}",
            flags & !ALL_FLAGS
        )));
    }
    Ok(ValidationOptions {
        strict: flags & STIX_VALIDATE_STRICT != 0,
        warnings_as_errors: flags & STIX_VALIDATE_WARNINGS_AS_ERRORS != 0,
        check_patterns: flags & STIX_VALIDATE_NO_PATTERNS == 0,
        check_references: flags & STIX_VALIDATE_NO_REFERENCES == 0,
    })
}

/// The verdict on a document: per-object validity and every diagnostic.
///
/// Owned by the caller; free it with `stix_report_free`. Strings obtained
/// from it live as long as it does. Read-only functions may be called from
/// several threads at once.
#[derive(Debug)]
pub struct stix_report {
    report: BundleReport,
    valid: bool,
    diagnostics: Vec<FfiDiagnostic>,
    object_ids: Vec<Option<FfiText>>,
    errors: usize,
}

impl stix_report {
    fn new(report: BundleReport) -> Self {
        let diagnostics: Vec<FfiDiagnostic> =
            report.all_diagnostics().map(FfiDiagnostic::new).collect();
        stix_report {
            valid: report.valid(),
            errors: diagnostics.iter().filter(|d| d.is_error()).count(),
            object_ids: report
                .objects
                .iter()
                .map(|o| o.id.as_deref().map(FfiText::new))
                .collect(),
            diagnostics,
            report,
        }
    }
}

fn give(report: BundleReport, out: *mut *mut stix_report) {
    let boxed = Box::new(stix_report::new(report));
    // SAFETY: every caller checked `out` with `clear_out`.
    unsafe { out.write(Box::into_raw(boxed)) };
}

/// Validates a document (a bundle or a lone object) of `len` bytes at
/// `data`, with `flags` (`STIX_VALIDATE_*`, or-ed; 0 for the defaults).
///
/// An invalid document is not a failure: the result is `STIX_RESULT_OK`
/// with a report saying what is wrong. Only unreadable input fails
/// (`STIX_RESULT_INVALID_UTF8`, `STIX_RESULT_JSON` with line and column in
/// `*err`). On success `*out` is a new report to free with
/// `stix_report_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_validate(
    data: *const u8,
    len: usize,
    flags: u32,
    out: *mut *mut stix_report,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let input = bytes(data, len, "data")?;
        let opts = options(flags)?;
        utf8(input, "the input")?;
        give(validate_reader(input, &opts)?, out);
        Ok(())
    })
}

/// Validates the file at `path` (a NUL-terminated file name), streaming it
/// in bounded memory: only one object at a time is held, plus a small
/// verdict per object. Results as for `stix_validate`; a file that cannot
/// be opened or read is `STIX_RESULT_IO`.
#[no_mangle]
pub unsafe extern "C" fn stix_validate_path(
    path: *const c_char,
    flags: u32,
    out: *mut *mut stix_report,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        if path.is_null() {
            return Err(Failure::null("path"));
        }
        let opts = options(flags)?;
        // SAFETY: non-NULL, and the API requires a NUL-terminated string.
        let path = unsafe { CStr::from_ptr(path) };
        #[cfg(unix)]
        let path = {
            use std::os::unix::ffi::OsStrExt;
            std::path::PathBuf::from(std::ffi::OsStr::from_bytes(path.to_bytes()))
        };
        #[cfg(not(unix))]
        let path = std::path::PathBuf::from(
            path.to_str()
                .map_err(|_| Failure::invalid("`path` is not UTF-8"))?,
        );
        let file = std::fs::File::open(&path).map_err(|e| {
            Failure::new(
                stix_result::Io,
                format!("cannot open {}: {e}", path.display()),
            )
        })?;
        give(validate_reader(std::io::BufReader::new(file), &opts)?, out);
        Ok(())
    })
}

/// True when every object is valid and the document itself has no error
/// (false when `report` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_report_valid(report: *const stix_report) -> bool {
    guard_value(false, || handle(report, "report").is_ok_and(|r| r.valid))
}

/// Number of objects judged.
#[no_mangle]
pub unsafe extern "C" fn stix_report_object_count(report: *const stix_report) -> usize {
    guard_value(0, || {
        handle(report, "report").map_or(0, |r| r.report.objects.len())
    })
}

/// Number of invalid objects.
#[no_mangle]
pub unsafe extern "C" fn stix_report_invalid_count(report: *const stix_report) -> usize {
    guard_value(0, || {
        handle(report, "report").map_or(0, |r| r.report.invalid_objects())
    })
}

/// Number of error-level diagnostics.
#[no_mangle]
pub unsafe extern "C" fn stix_report_error_count(report: *const stix_report) -> usize {
    guard_value(0, || handle(report, "report").map_or(0, |r| r.errors))
}

/// Number of warning-level diagnostics.
#[no_mangle]
pub unsafe extern "C" fn stix_report_warning_count(report: *const stix_report) -> usize {
    guard_value(0, || {
        handle(report, "report").map_or(0, |r| r.diagnostics.len() - r.errors)
    })
}

/// True when object `index` is valid (false when out of range).
#[no_mangle]
pub unsafe extern "C" fn stix_report_object_valid(
    report: *const stix_report,
    index: usize,
) -> bool {
    guard_value(false, || {
        handle(report, "report")
            .ok()
            .and_then(|r| r.report.objects.get(index))
            .is_some_and(|o| o.valid)
    })
}

/// The `id` of object `index`; absent when out of range or when the object
/// has no string `id`. Borrowed from `report`.
#[no_mangle]
pub unsafe extern "C" fn stix_report_object_id(
    report: *const stix_report,
    index: usize,
) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(report, "report")
            .ok()
            .and_then(|r| r.object_ids.get(index))
            .map_or(stix_str::ABSENT, view)
    })
}

/// Number of diagnostics: the document's own first, then each object's.
#[no_mangle]
pub unsafe extern "C" fn stix_report_diagnostic_count(report: *const stix_report) -> usize {
    guard_value(0, || {
        handle(report, "report").map_or(0, |r| r.diagnostics.len())
    })
}

/// Fills `*out` with diagnostic `index`. The strings in `*out` are borrowed
/// from `report`.
#[no_mangle]
pub unsafe extern "C" fn stix_report_diagnostic(
    report: *const stix_report,
    index: usize,
    out: *mut stix_diagnostic,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        let r = handle(report, "report")?;
        fill(&r.diagnostics, index, out)
    })
}

/// The whole report as JSON (`objects` with per-object verdicts and
/// diagnostics, document `diagnostics`, counts, unresolved references,
/// duplicates). `*out` is owned by the caller (free it with
/// `stix_string_free`).
#[no_mangle]
pub unsafe extern "C" fn stix_report_json(
    report: *const stix_report,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let r = handle(report, "report")?;
        let text = serde_json::to_string(&r.report)
            .map_err(|e| Failure::internal(&format!("report serialisation: {e}")))?;
        give_string(text, out, out_len)
    })
}

/// Frees a report. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn stix_report_free(report: *mut stix_report) {
    guard_value((), || {
        if !report.is_null() {
            // SAFETY: the API requires a handle from `stix_validate*`, not
            // yet freed.
            drop(unsafe { Box::from_raw(report) });
        }
    })
}
