//! Diagnostics (findings about one object or the whole document) as C
//! structs of borrowed strings.

use stix_core::{Diagnostic, Severity};

use crate::error::Failure;
use crate::ffi::{stix_str, view, FfiText};

/// How serious a diagnostic is.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum stix_severity {
    /// A SHOULD of the specification is not met; the object is still valid
    /// (unless warnings count as errors).
    Warning = 1,
    /// A MUST of the specification is broken; the object is invalid.
    Error = 2,
}

/// One finding, filled in by `stix_report_diagnostic`,
/// `stix_object_diagnostic` or `stix_document_diagnostic`. Every string is
/// borrowed from the handle that filled the struct and lives as long as
/// that handle.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct stix_diagnostic {
    /// The `id` of the object concerned; absent when it has no readable id
    /// or the finding is about the bundle itself.
    pub object_id: stix_str,
    /// RFC 6901 JSON Pointer of the offending value from the document root
    /// (such as `/objects/17/created`); may be empty (the root).
    pub path: stix_str,
    /// Stable rule id, such as `STIX-TS-04`.
    pub rule: stix_str,
    /// Error or warning.
    pub severity: stix_severity,
    /// A sentence a person can act on.
    pub message: stix_str,
    /// 1-based line in the input, or 0 when the finding has no position.
    pub line: u64,
    /// 1-based column (in bytes) in the input, or 0 when unknown.
    pub column: u64,
}

/// A diagnostic with its texts kept NUL-terminated for C.
#[derive(Debug, Clone)]
pub(crate) struct FfiDiagnostic {
    object_id: Option<FfiText>,
    path: FfiText,
    rule: FfiText,
    severity: stix_severity,
    message: FfiText,
    line: u64,
    column: u64,
}

impl FfiDiagnostic {
    pub(crate) fn new(d: &Diagnostic) -> Self {
        FfiDiagnostic {
            object_id: d.object_id.as_deref().map(FfiText::new),
            path: FfiText::new(&d.path),
            rule: FfiText::new(&d.rule),
            severity: match d.severity {
                Severity::Warning => stix_severity::Warning,
                Severity::Error => stix_severity::Error,
            },
            message: FfiText::new(&d.message),
            line: d.line.unwrap_or(0),
            column: d.column.unwrap_or(0),
        }
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == stix_severity::Error
    }

    pub(crate) fn view(&self) -> stix_diagnostic {
        stix_diagnostic {
            object_id: view(&self.object_id),
            path: self.path.view(),
            rule: self.rule.view(),
            severity: self.severity,
            message: self.message.view(),
            line: self.line,
            column: self.column,
        }
    }
}

/// Writes diagnostic `index` of `list` to `*out`.
pub(crate) fn fill(
    list: &[FfiDiagnostic],
    index: usize,
    out: *mut stix_diagnostic,
) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    let d = list
        .get(index)
        .ok_or_else(|| Failure::out_of_range(index, list.len()))?;
    // SAFETY: non-NULL, and the API requires it to point to a writable
    // `stix_diagnostic`.
    unsafe { out.write(d.view()) };
    Ok(())
}
