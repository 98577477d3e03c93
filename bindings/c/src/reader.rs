//! Streaming: the objects of a bundle one at a time from a file or a file
//! descriptor, in memory bounded by the largest single object.

use std::ffi::{c_char, CStr};
use std::fs::File;
use std::io::Read;

use serde_json::Value;
use stix_core::{BundleHeader, BundleReader, ParsedItem};

use crate::error::{stix_error, stix_result, Failure};
use crate::ffi::{
    bytes, clear_out, guard, guard_value, handle, handle_mut, stix_str, view, FfiText,
};
use crate::object::stix_object;

type Source = Box<dyn Read + Send>;

/// A pull reader over the objects of one bundle (a file holding one lone
/// object yields that object).
///
/// Owned by the caller; free it with `stix_reader_free`. Not for use from
/// two threads at once. After a fatal error it only returns
/// `STIX_RESULT_UNUSABLE`.
pub struct stix_reader {
    inner: BundleReader<Source>,
    /// The bundle's `id` once met (it may come after `objects`).
    bundle_id: Option<FfiText>,
    /// Set while a call is in progress, and left set when a call failed
    /// fatally or panicked part-way, so the reader is not used again in a
    /// state nobody checked.
    broken: bool,
    done: bool,
}

/// Resolves the size-limit argument: 0 means the default (64 MiB).
fn limit(max_object_size: usize) -> usize {
    if max_object_size == 0 {
        stix_core::reader::DEFAULT_MAX_OBJECT_SIZE
    } else {
        max_object_size
    }
}

fn open(src: Source, max_object_size: usize, out: *mut *mut stix_reader) {
    let reader = stix_reader {
        inner: BundleReader::new(src).with_max_object_size(limit(max_object_size)),
        bundle_id: None,
        broken: false,
        done: false,
    };
    // SAFETY: every caller checked `out` with `clear_out`.
    unsafe { out.write(Box::into_raw(Box::new(reader))) };
}

/// Opens a reader over the file at `path` (a NUL-terminated file name).
///
/// `max_object_size` bounds the size in bytes of one element of `objects`
/// (0 means the default of 64 MiB); a larger element ends the stream with
/// `STIX_RESULT_TOO_LARGE`. The file is read in 64 KiB chunks. On success
/// `*out` is a new reader to free with `stix_reader_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_reader_open_path(
    path: *const c_char,
    max_object_size: usize,
    out: *mut *mut stix_reader,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        if path.is_null() {
            return Err(Failure::null("path"));
        }
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
        let file = File::open(&path).map_err(|e| {
            Failure::new(
                stix_result::Io,
                format!("cannot open {}: {e}", path.display()),
            )
        })?;
        open(Box::new(file), max_object_size, out);
        Ok(())
    })
}

/// Opens a reader over the open file descriptor `fd` (a file, a pipe, a
/// socket). The reader works on a duplicate of `fd`: the caller keeps
/// ownership of `fd` and may close it at once. POSIX only; elsewhere the
/// result is `STIX_RESULT_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn stix_reader_open_fd(
    fd: std::ffi::c_int,
    max_object_size: usize,
    out: *mut *mut stix_reader,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        if fd < 0 {
            return Err(Failure::invalid(format!("`fd` {fd} is negative")));
        }
        #[cfg(unix)]
        {
            use std::os::fd::BorrowedFd;
            // SAFETY: non-negative; the API requires `fd` to be open for the
            // duration of the call. Only duplicated here, never closed.
            let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
            let owned = borrowed.try_clone_to_owned().map_err(|e| {
                Failure::new(stix_result::Io, format!("cannot duplicate fd {fd}: {e}"))
            })?;
            open(Box::new(File::from(owned)), max_object_size, out);
            Ok(())
        }
        #[cfg(not(unix))]
        {
            let _ = max_object_size;
            Err(Failure::invalid("file descriptors are POSIX only"))
        }
    })
}

/// Opens a reader over a copy of `len` bytes at `data` (handy for tests and
/// for data already in memory; the copy is freed with the reader).
#[no_mangle]
pub unsafe extern "C" fn stix_reader_open_bytes(
    data: *const u8,
    len: usize,
    max_object_size: usize,
    out: *mut *mut stix_reader,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let copy = bytes(data, len, "data")?.to_vec();
        open(Box::new(std::io::Cursor::new(copy)), max_object_size, out);
        Ok(())
    })
}

/// Reads the next object. On success `*out` is a new object handle owned by
/// the caller (free it with `stix_object_free`), or NULL at the end of the
/// bundle. A document that is a lone object (not a bundle) yields that one
/// object, read when the end of the input is reached. An element that does
/// not fit the model still comes back (raw, with diagnostics), and so does
/// a well-formed element nested beyond the parser's limit; only unreadable
/// input fails (`STIX_RESULT_JSON` with line and column, `STIX_RESULT_IO`,
/// `STIX_RESULT_TOO_LARGE`), after which the reader is unusable.
#[no_mangle]
pub unsafe extern "C" fn stix_reader_next(
    reader: *mut stix_reader,
    out: *mut *mut stix_object,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let r = handle_mut(reader, "reader")?;
        if r.broken {
            return Err(Failure::new(
                stix_result::Unusable,
                "the reader failed earlier and cannot go on",
            ));
        }
        if r.done {
            return Ok(());
        }
        r.broken = true;
        let next = r.inner.next();
        if r.bundle_id.is_none() {
            r.bundle_id = r.inner.header().id.as_deref().map(FfiText::new);
        }
        match next {
            None => {
                r.done = true;
                if let Some(item) = lone_object(r.inner.header())? {
                    let obj = Box::new(stix_object::new(item));
                    // SAFETY: `out` was checked by `clear_out`.
                    unsafe { out.write(Box::into_raw(obj)) };
                }
            }
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(item)) => {
                let obj = Box::new(stix_object::new(item));
                // SAFETY: `out` was checked by `clear_out`.
                unsafe { out.write(Box::into_raw(obj)) };
            }
        }
        r.broken = false;
        Ok(())
    })
}

/// A document that turned out to be one object rather than a bundle: the
/// reader collected its properties as bundle-level ones; read them as the
/// object they are (with the same recovery as `stix_document_parse`).
fn lone_object(header: &BundleHeader) -> Result<Option<ParsedItem>, Failure> {
    if header.type_name.as_deref() == Some("bundle") || header.has_objects {
        return Ok(None);
    }
    let mut m = serde_json::Map::new();
    if let Some(t) = &header.type_name {
        m.insert("type".into(), Value::String(t.clone()));
    }
    if let Some(id) = &header.id {
        m.insert("id".into(), Value::String(id.clone()));
    }
    if let Some(v) = &header.spec_version {
        m.insert("spec_version".into(), Value::String(v.clone()));
    }
    for (k, v) in &header.custom {
        m.insert(k.clone(), v.clone());
    }
    let text = Value::Object(m).to_string();
    let doc = stix_core::parse_document(text.as_bytes())?;
    Ok(doc.items.into_iter().next())
}

/// Number of elements of `objects` read so far (0 when `reader` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_reader_object_count(reader: *const stix_reader) -> usize {
    guard_value(0, || {
        handle(reader, "reader").map_or(0, |r| r.inner.header().object_count)
    })
}

/// The bundle's `id`, once the reader has met it (it may follow `objects`,
/// so it is certain only after the end). Borrowed from `reader`: valid until
/// the next `stix_reader_next` or `stix_reader_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_reader_bundle_id(reader: *const stix_reader) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(reader, "reader").map_or(stix_str::ABSENT, |r| view(&r.bundle_id))
    })
}

/// Frees a reader (closing its file or duplicated descriptor). NULL is
/// accepted and ignored. Objects it returned stay valid.
#[no_mangle]
pub unsafe extern "C" fn stix_reader_free(reader: *mut stix_reader) {
    guard_value((), || {
        if !reader.is_null() {
            // SAFETY: the API requires a handle from `stix_reader_open_*`,
            // not yet freed.
            drop(unsafe { Box::from_raw(reader) });
        }
    })
}
