//! The plumbing every entry point shares: the panic guard, argument
//! checks, and the two string shapes handed to C.
//!
//! Every `extern "C"` function runs its body inside [`guard`] (or
//! [`guard_value`] for infallible accessors), so a panic anywhere in the
//! Rust code becomes `STIX_RESULT_PANIC` instead of unwinding into C.

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{stix_error, stix_result, Failure};

/// Runs `body`, turning an `Err` or a panic into a result code and, when
/// `err` is not NULL, a detailed [`stix_error`] written to `*err`.
///
/// `*err` is set to NULL first, so it is NULL after every success.
pub(crate) fn guard<F>(err: *mut *mut stix_error, body: F) -> stix_result
where
    F: FnOnce() -> Result<(), Failure>,
{
    if !err.is_null() {
        // SAFETY: the caller passed a non-NULL `stix_error **`, which the
        // API requires to point to writable storage for one pointer.
        unsafe { err.write(std::ptr::null_mut()) };
    }
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return stix_result::Ok,
        Ok(Err(f)) => f,
        Err(payload) => Failure::panic(payload.as_ref()),
    };
    let code = failure.code;
    if !err.is_null() {
        // Building the error allocates; if even that panics, the code
        // alone is reported.
        if let Ok(e) = catch_unwind(AssertUnwindSafe(|| stix_error::from_failure(failure))) {
            // SAFETY: as above.
            unsafe { err.write(Box::into_raw(Box::new(e))) };
        }
    }
    code
}

/// Runs an accessor that cannot fail, giving `fallback` if it panics.
pub(crate) fn guard_value<T, F: FnOnce() -> T>(fallback: T, body: F) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Checks an out-parameter and clears it: `*out = NULL`.
pub(crate) fn clear_out<T>(out: *mut *mut T, name: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the API requires it to be writable.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Borrows a shared handle, refusing NULL.
pub(crate) fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: the API requires a handle obtained from this library and not
    // yet freed; the borrow ends before the entry point returns.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// Borrows a handle for mutation, refusing NULL.
pub(crate) fn handle_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: as for `handle`, and the API forbids concurrent use of a
    // handle that a function mutates.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(name))
}

/// Borrows a caller's byte buffer of explicit length.
pub(crate) fn bytes<'a>(data: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if data.is_null() {
        return Err(Failure::null(name));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!(
            "`{name}` length {len} is too large"
        )));
    }
    // SAFETY: non-NULL, length in range, and the API requires `len`
    // readable bytes at `data` for the duration of the call.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Checks that `data` is UTF-8, saying where it is not.
pub(crate) fn utf8<'a>(data: &'a [u8], what: &str) -> Result<&'a str, Failure> {
    std::str::from_utf8(data).map_err(|e| {
        let at = e.valid_up_to();
        let (line, column) = line_column(data, at);
        Failure::utf8(
            format!("{what} is not valid UTF-8 at byte offset {at}"),
            line,
            column,
        )
    })
}

/// 1-based line and byte column of `offset` in `data`.
pub(crate) fn line_column(data: &[u8], offset: usize) -> (u64, u64) {
    let before = &data[..offset.min(data.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, (before.len() - line_start) as u64 + 1)
}

/// Writes an owned copy of `text` to `*out` (and its length to `*out_len`
/// when that is not NULL), for the caller to free with `stix_string_free`.
pub(crate) fn give_string(
    text: String,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> Result<(), Failure> {
    let len = text.len();
    // Only JSON text and pattern text are handed out this way; JSON escapes
    // NUL, so an interior NUL is a bug, reported rather than truncated.
    let c = CString::new(text).map_err(|_| Failure::internal("text with an interior NUL byte"))?;
    // SAFETY: `out` was checked non-NULL by `clear_out`; `out_len` is
    // optional and checked here.
    unsafe {
        out.write(c.into_raw());
        if !out_len.is_null() {
            out_len.write(len);
        }
    }
    Ok(())
}

/// A view of text held by a handle: `data` is NUL-terminated (the NUL is
/// not counted in `len`), or NULL when the value is absent.
///
/// The text stays valid until the handle it came from is freed. It may
/// contain NUL bytes of its own (JSON strings can hold `\u0000`): `len` is
/// always the full length.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct stix_str {
    /// The bytes (UTF-8), NUL-terminated; NULL when absent.
    pub data: *const c_char,
    /// Length in bytes, without the terminating NUL.
    pub len: usize,
}

impl stix_str {
    /// The absent value: `{NULL, 0}`.
    pub(crate) const ABSENT: stix_str = stix_str {
        data: std::ptr::null(),
        len: 0,
    };
}

/// Text owned by a handle, kept NUL-terminated so that a borrowed
/// [`stix_str`] can point into it.
#[derive(Debug, Clone)]
pub(crate) struct FfiText(Box<[u8]>);

impl FfiText {
    pub(crate) fn new(text: &str) -> Self {
        let mut v = Vec::with_capacity(text.len() + 1);
        v.extend_from_slice(text.as_bytes());
        v.push(0);
        FfiText(v.into_boxed_slice())
    }

    pub(crate) fn view(&self) -> stix_str {
        stix_str {
            data: self.0.as_ptr().cast(),
            len: self.0.len() - 1,
        }
    }
}

/// The view of an optional text.
pub(crate) fn view(text: &Option<FfiText>) -> stix_str {
    text.as_ref().map_or(stix_str::ABSENT, FfiText::view)
}

/// Frees a string that this library handed out through a `char **`
/// out-parameter. NULL is accepted and ignored. Never pass a `stix_str`'s
/// data, which belongs to its handle.
#[no_mangle]
pub unsafe extern "C" fn stix_string_free(s: *mut c_char) {
    guard_value((), || {
        if !s.is_null() {
            // SAFETY: the API requires `s` to come from `CString::into_raw`
            // in `give_string` and not to have been freed yet.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// The version of libstix, such as `"0.1.0"`: a static string, never freed.
#[no_mangle]
pub extern "C" fn stix_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_lines_and_bytes() {
        let data = b"{\n  \"a\": 1,\n  xyz";
        assert_eq!(line_column(data, 0), (1, 1));
        assert_eq!(line_column(data, 2), (2, 1));
        assert_eq!(line_column(data, 14), (3, 3));
    }

    #[test]
    fn ffi_text_keeps_length_and_terminator() {
        let t = FfiText::new("a\0b");
        let v = t.view();
        assert_eq!(v.len, 3);
        // SAFETY: the view points into `t`, alive here, with len + 1 bytes.
        let bytes = unsafe { std::slice::from_raw_parts(v.data.cast::<u8>(), v.len + 1) };
        assert_eq!(bytes, b"a\0b\0");
    }
}
