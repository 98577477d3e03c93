//! Result codes and the detailed error handle.

use std::any::Any;
use std::ffi::c_char;

use crate::ffi::{guard_value, handle, stix_str, view, FfiText};

/// What a fallible function returns. `STIX_RESULT_OK` (0) is success;
/// every other value says which kind of failure happened, and the optional
/// `stix_error` says where and why.
///
/// Note that an invalid STIX object, an invalid pattern or a failed
/// validation is not a failure: those are results (a report, a pattern
/// result, an object with diagnostics). Codes are for input the function
/// could not read at all and for misuse of the API.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum stix_result {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// An argument has a value the function does not accept (an unknown
    /// flag or version, a length beyond `PTRDIFF_MAX`).
    InvalidArgument = 2,
    /// The input is not UTF-8; the error has the line and column of the
    /// first bad byte.
    InvalidUtf8 = 3,
    /// The input is not well-formed JSON (or is nested too deeply); the
    /// error has the line and column.
    Json = 4,
    /// The JSON is not of the expected shape (for example the top level is
    /// not an object).
    Shape = 5,
    /// One value is larger than the reader's size limit.
    TooLarge = 6,
    /// A single object could not be read into the typed model; the error
    /// has the JSON Pointer path and rule id.
    Object = 7,
    /// Reading a file or descriptor failed.
    Io = 8,
    /// An index is past the end of a list.
    OutOfRange = 9,
    /// The handle cannot be used any more: an earlier call on it failed
    /// part-way (a reader after a fatal error or an internal panic).
    Unusable = 10,
    /// An internal error (a panic caught at the boundary, or a broken
    /// internal invariant). Please report it.
    Panic = 11,
}

/// The name of a result code, such as `"STIX_RESULT_JSON"`: a static string,
/// never freed. Unknown codes give `"STIX_RESULT_UNKNOWN"`.
#[no_mangle]
pub extern "C" fn stix_result_name(code: u32) -> *const c_char {
    let name: &'static str = match code {
        0 => "STIX_RESULT_OK\0",
        1 => "STIX_RESULT_NULL_ARGUMENT\0",
        2 => "STIX_RESULT_INVALID_ARGUMENT\0",
        3 => "STIX_RESULT_INVALID_UTF8\0",
        4 => "STIX_RESULT_JSON\0",
        5 => "STIX_RESULT_SHAPE\0",
        6 => "STIX_RESULT_TOO_LARGE\0",
        7 => "STIX_RESULT_OBJECT\0",
        8 => "STIX_RESULT_IO\0",
        9 => "STIX_RESULT_OUT_OF_RANGE\0",
        10 => "STIX_RESULT_UNUSABLE\0",
        11 => "STIX_RESULT_PANIC\0",
        _ => "STIX_RESULT_UNKNOWN\0",
    };
    name.as_ptr().cast()
}

/// A failure inside the library, before it becomes a [`stix_error`].
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: stix_result,
    pub(crate) message: String,
    pub(crate) line: u64,
    pub(crate) column: u64,
    pub(crate) path: Option<String>,
    pub(crate) rule: Option<String>,
}

impl Failure {
    pub(crate) fn new(code: stix_result, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            line: 0,
            column: 0,
            path: None,
            rule: None,
        }
    }

    pub(crate) fn at(mut self, line: u64, column: u64) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub(crate) fn null(name: &str) -> Self {
        Failure::new(
            stix_result::NullArgument,
            format!("argument `{name}` is NULL"),
        )
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Failure::new(stix_result::InvalidArgument, message)
    }

    pub(crate) fn utf8(message: String, line: u64, column: u64) -> Self {
        Failure::new(stix_result::InvalidUtf8, message).at(line, column)
    }

    pub(crate) fn out_of_range(index: usize, len: usize) -> Self {
        Failure::new(
            stix_result::OutOfRange,
            format!("index {index} is out of range (there are {len})"),
        )
    }

    pub(crate) fn internal(message: &str) -> Self {
        Failure::new(
            stix_result::Panic,
            format!("internal error in libstix: {message}"),
        )
    }

    pub(crate) fn panic(payload: &(dyn Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        Failure::internal(what)
    }
}

impl From<stix_core::Error> for Failure {
    fn from(e: stix_core::Error) -> Self {
        use stix_core::Error as E;
        let message = e.to_string();
        match e {
            E::Json { line, column, .. } => {
                Failure::new(stix_result::Json, message).at(line, column)
            }
            E::Io(_) => Failure::new(stix_result::Io, message),
            E::Shape { line, column, .. } => {
                Failure::new(stix_result::Shape, message).at(line, column)
            }
            E::TooLarge {
                path, line, column, ..
            } => {
                let mut f = Failure::new(stix_result::TooLarge, message).at(line, column);
                f.path = Some(path);
                f
            }
            E::Object {
                path,
                rule,
                line,
                column,
                ..
            } => {
                let mut f = Failure::new(stix_result::Object, message)
                    .at(line.unwrap_or(0), column.unwrap_or(0));
                f.path = Some(path);
                f.rule = Some(rule);
                f
            }
            E::Timestamp { .. } | E::Identifier { .. } => {
                Failure::new(stix_result::Object, message)
            }
            // The core's error enum is non-exhaustive: a new kind is still
            // reported, with its message.
            _ => Failure::new(stix_result::Panic, message),
        }
    }
}

/// A detailed error: code, message and, when known, where in the input.
///
/// Owned by the caller; free it with `stix_error_free`. Strings read from it
/// live as long as it does.
#[derive(Debug)]
pub struct stix_error {
    code: stix_result,
    message: FfiText,
    line: u64,
    column: u64,
    path: Option<FfiText>,
    rule: Option<FfiText>,
}

impl stix_error {
    pub(crate) fn from_failure(f: Failure) -> Self {
        stix_error {
            code: f.code,
            message: FfiText::new(&f.message),
            line: f.line,
            column: f.column,
            path: f.path.as_deref().map(FfiText::new),
            rule: f.rule.as_deref().map(FfiText::new),
        }
    }
}

/// The result code of `err` (`STIX_RESULT_NULL_ARGUMENT` when `err` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_error_code(err: *const stix_error) -> stix_result {
    guard_value(stix_result::Panic, || {
        handle(err, "err").map_or(stix_result::NullArgument, |e| e.code)
    })
}

/// A sentence saying what went wrong (including the position when known).
/// Borrowed from `err`; absent (`data == NULL`) when `err` is NULL.
#[no_mangle]
pub unsafe extern "C" fn stix_error_message(err: *const stix_error) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(err, "err").map_or(stix_str::ABSENT, |e| e.message.view())
    })
}

/// The 1-based line in the input where the error is, or 0 when unknown.
#[no_mangle]
pub unsafe extern "C" fn stix_error_line(err: *const stix_error) -> u64 {
    guard_value(0, || handle(err, "err").map_or(0, |e| e.line))
}

/// The 1-based column (in bytes) in the input where the error is, or 0 when
/// unknown.
#[no_mangle]
pub unsafe extern "C" fn stix_error_column(err: *const stix_error) -> u64 {
    guard_value(0, || handle(err, "err").map_or(0, |e| e.column))
}

/// The JSON Pointer of the offending value (such as `/objects/3`), when the
/// error concerns one value. Borrowed from `err`.
#[no_mangle]
pub unsafe extern "C" fn stix_error_path(err: *const stix_error) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(err, "err").map_or(stix_str::ABSENT, |e| view(&e.path))
    })
}

/// The rule id (such as `STIX-TS-01`) for errors about one object's
/// content. Borrowed from `err`.
#[no_mangle]
pub unsafe extern "C" fn stix_error_rule(err: *const stix_error) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(err, "err").map_or(stix_str::ABSENT, |e| view(&e.rule))
    })
}

/// Frees an error. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn stix_error_free(err: *mut stix_error) {
    guard_value((), || {
        if !err.is_null() {
            // SAFETY: the API requires `err` to come from this library and
            // not to have been freed yet.
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::guard;

    #[test]
    fn a_panic_becomes_a_code_and_an_error() {
        let mut err: *mut stix_error = std::ptr::null_mut();
        let code = guard(&mut err, || -> Result<(), Failure> {
            panic!("boom in the core");
        });
        assert_eq!(code, stix_result::Panic);
        assert!(!err.is_null());
        // SAFETY: `err` was just produced by `guard`.
        unsafe {
            assert_eq!(stix_error_code(err), stix_result::Panic);
            let m = stix_error_message(err);
            let text = std::slice::from_raw_parts(m.data.cast::<u8>(), m.len);
            assert!(std::str::from_utf8(text)
                .unwrap()
                .contains("boom in the core"));
            stix_error_free(err);
        }
    }

    #[test]
    fn success_clears_the_error_slot() {
        let mut err: *mut stix_error = 0x1 as *mut stix_error;
        assert_eq!(guard(&mut err, || Ok(())), stix_result::Ok);
        assert!(err.is_null());
    }

    #[test]
    fn core_errors_keep_their_position() {
        let e =
            stix_core::parse_bundle(b"{\"type\": \"bundle\",\n \"objects\": [ {] }").unwrap_err();
        let f = Failure::from(e);
        assert_eq!(f.code, stix_result::Json);
        assert_eq!(f.line, 2);
        assert!(f.column > 1);
    }
}
