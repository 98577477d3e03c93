//! A whole document (a bundle or a lone object) read from memory.

use std::ffi::c_char;

use serde_json::Value;
use stix_core::BundleHeader;

use crate::diagnostic::{fill, stix_diagnostic, FfiDiagnostic};
use crate::error::{stix_error, stix_result, Failure};
use crate::ffi::{
    bytes, clear_out, give_string, guard, guard_value, handle, stix_str, utf8, view, FfiText,
};
use crate::object::stix_object;

/// A parsed document: every element of a bundle's `objects` in order (or
/// the single object), each typed or kept raw with its diagnostics. A bad
/// element never hides the good ones beside it.
///
/// Owned by the caller; free it with `stix_document_free`. Object handles
/// and strings obtained from it live as long as it does. Read-only
/// functions may be called from several threads at once.
#[derive(Debug)]
pub struct stix_document {
    header: Option<BundleHeader>,
    bundle_id: Option<FfiText>,
    objects: Vec<stix_object>,
    diagnostics: Vec<FfiDiagnostic>,
}

impl stix_document {
    fn object(&self, index: usize) -> Result<&stix_object, Failure> {
        self.objects
            .get(index)
            .ok_or_else(|| Failure::out_of_range(index, self.objects.len()))
    }

    /// The document as JSON again: equal to the input for what was read,
    /// with the bundle's own keys first.
    fn to_value(&self) -> Value {
        let Some(h) = &self.header else {
            return self
                .objects
                .first()
                .map_or(Value::Null, |o| o.item().to_value());
        };
        let mut m = serde_json::Map::new();
        if let Some(t) = &h.type_name {
            m.insert("type".into(), Value::String(t.clone()));
        }
        if let Some(t) = &h.id {
            m.insert("id".into(), Value::String(t.clone()));
        }
        if let Some(t) = &h.spec_version {
            m.insert("spec_version".into(), Value::String(t.clone()));
        }
        for (k, v) in &h.custom {
            m.insert(k.clone(), v.clone());
        }
        if h.has_objects {
            m.insert(
                "objects".into(),
                Value::Array(self.objects.iter().map(|o| o.item().to_value()).collect()),
            );
        }
        Value::Object(m)
    }
}

/// Reads a document (a bundle, or a single object) from `len` bytes of
/// JSON at `data`, which need not be NUL-terminated.
///
/// Per-object recovery: an element of `objects` that does not fit the
/// model is kept as raw JSON with diagnostics, and the elements around it
/// are read as usual. Only input that cannot be read at all fails:
/// `STIX_RESULT_INVALID_UTF8` or `STIX_RESULT_JSON` (with line and column in
/// `*err`), `STIX_RESULT_SHAPE`, `STIX_RESULT_TOO_LARGE`. On success `*out`
/// is a new document to free with `stix_document_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_parse(
    data: *const u8,
    len: usize,
    out: *mut *mut stix_document,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let input = bytes(data, len, "data")?;
        utf8(input, "the input")?;
        let parsed = stix_core::parse_document(input)?;
        let mut diagnostics: Vec<FfiDiagnostic> =
            parsed.diagnostics().map(FfiDiagnostic::new).collect();
        diagnostics.shrink_to_fit();
        let doc = stix_document {
            bundle_id: parsed
                .bundle
                .as_ref()
                .and_then(|b| b.id.as_deref())
                .map(FfiText::new),
            header: parsed.bundle,
            objects: parsed.items.into_iter().map(stix_object::new).collect(),
            diagnostics,
        };
        // SAFETY: `out` was checked by `clear_out`.
        unsafe { out.write(Box::into_raw(Box::new(doc))) };
        Ok(())
    })
}

/// True when the document is a bundle (false for a lone object, or when
/// `doc` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_document_is_bundle(doc: *const stix_document) -> bool {
    guard_value(false, || {
        handle(doc, "doc").is_ok_and(|d| d.header.is_some())
    })
}

/// The bundle's `id` as written; absent for a lone object or a bundle
/// without a string `id`. Borrowed from `doc`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_bundle_id(doc: *const stix_document) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(doc, "doc").map_or(stix_str::ABSENT, |d| view(&d.bundle_id))
    })
}

/// Number of objects (elements of `objects`, typed or raw; 1 for a lone
/// object; 0 when `doc` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_document_object_count(doc: *const stix_document) -> usize {
    guard_value(0, || handle(doc, "doc").map_or(0, |d| d.objects.len()))
}

/// Object `index` of the document, or NULL when `doc` is NULL or `index` is
/// out of range. Borrowed: it belongs to `doc`, lives as long as `doc`, and
/// must not be passed to `stix_object_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_object(
    doc: *const stix_document,
    index: usize,
) -> *const stix_object {
    guard_value(std::ptr::null(), || {
        handle(doc, "doc")
            .ok()
            .and_then(|d| d.objects.get(index))
            .map_or(std::ptr::null(), |o| o as *const stix_object)
    })
}

/// The `id` of object `index`, as written; absent when out of range or
/// when the object has no string `id`. Borrowed from `doc`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_object_id(
    doc: *const stix_document,
    index: usize,
) -> stix_str {
    // SAFETY: the pointer comes from `doc`, alive for this call.
    guard_value(stix_str::ABSENT, || unsafe {
        crate::object::stix_object_id(stix_document_object(doc, index))
    })
}

/// The `type` of object `index`, as written; absent when out of range or
/// when the object has no string `type`. Borrowed from `doc`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_object_type(
    doc: *const stix_document,
    index: usize,
) -> stix_str {
    // SAFETY: the pointer comes from `doc`, alive for this call.
    guard_value(stix_str::ABSENT, || unsafe {
        crate::object::stix_object_type(stix_document_object(doc, index))
    })
}

/// Object `index` serialised as compact JSON, lossless (see
/// `stix_object_json`). `*out` is owned by the caller (free it with
/// `stix_string_free`); `*out_len`, when `out_len` is not NULL, is its
/// length. `STIX_RESULT_OUT_OF_RANGE` when `index` is past the end.
#[no_mangle]
pub unsafe extern "C" fn stix_document_object_json(
    doc: *const stix_document,
    index: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let o = handle(doc, "doc")?.object(index)?;
        give_string(o.json(), out, out_len)
    })
}

/// The whole document serialised as compact JSON (the bundle's own
/// properties, then `objects`). `*out` is owned by the caller (free it with
/// `stix_string_free`).
#[no_mangle]
pub unsafe extern "C" fn stix_document_json(
    doc: *const stix_document,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let d = handle(doc, "doc")?;
        give_string(d.to_value().to_string(), out, out_len)
    })
}

/// Number of parse diagnostics of the whole document: the bundle's own
/// first, then every object's, in order.
#[no_mangle]
pub unsafe extern "C" fn stix_document_diagnostic_count(doc: *const stix_document) -> usize {
    guard_value(0, || handle(doc, "doc").map_or(0, |d| d.diagnostics.len()))
}

/// Fills `*out` with parse diagnostic `index` of the document. The strings
/// in `*out` are borrowed from `doc`.
#[no_mangle]
pub unsafe extern "C" fn stix_document_diagnostic(
    doc: *const stix_document,
    index: usize,
    out: *mut stix_diagnostic,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        let d = handle(doc, "doc")?;
        fill(&d.diagnostics, index, out)
    })
}

/// Frees a document and every object handle and string borrowed from it.
/// NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn stix_document_free(doc: *mut stix_document) {
    guard_value((), || {
        if !doc.is_null() {
            // SAFETY: the API requires a handle from `stix_document_parse`,
            // not yet freed.
            drop(unsafe { Box::from_raw(doc) });
        }
    })
}
