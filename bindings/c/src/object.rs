//! One STIX object (an element of a bundle's `objects`, or a lone object)
//! as an opaque handle.

use std::ffi::c_char;
use std::sync::OnceLock;

use serde_json::Value;
use stix_core::{ItemObject, ParsedItem, Position, SpecVersion};

use crate::diagnostic::{fill, stix_diagnostic, FfiDiagnostic};
use crate::error::{stix_error, stix_result};
use crate::ffi::{
    bytes, clear_out, give_string, guard, guard_value, handle, stix_str, utf8, view, FfiText,
};

/// One object: typed (read into the STIX model) or raw (kept as JSON because
/// it could not be read; its diagnostics say why).
///
/// Handles from `stix_reader_next` and `stix_object_parse` are owned by the
/// caller (free with `stix_object_free`); handles from
/// `stix_document_object` belong to their document and must not be freed.
/// Read-only functions may be called from several threads at once.
#[derive(Debug)]
pub struct stix_object {
    item: ParsedItem,
    id: Option<FfiText>,
    type_name: Option<FfiText>,
    spec_version: FfiText,
    created: OnceLock<Option<FfiText>>,
    modified: OnceLock<Option<FfiText>>,
    diagnostics: Vec<FfiDiagnostic>,
}

impl stix_object {
    pub(crate) fn new(item: ParsedItem) -> Self {
        stix_object {
            id: item.object_id().map(FfiText::new),
            type_name: item.type_name().map(FfiText::new),
            spec_version: FfiText::new(item.spec_version.as_str()),
            created: OnceLock::new(),
            modified: OnceLock::new(),
            diagnostics: item.diagnostics.iter().map(FfiDiagnostic::new).collect(),
            item,
        }
    }

    pub(crate) fn item(&self) -> &ParsedItem {
        &self.item
    }

    pub(crate) fn json(&self) -> String {
        match &self.item.object {
            ItemObject::Typed(o) => o.to_json(),
            ItemObject::Raw(v) => v.to_string(),
        }
    }

    fn timestamp(&self, which: &str) -> Option<FfiText> {
        match &self.item.object {
            ItemObject::Typed(o) => {
                let ts = if which == "created" {
                    o.created()
                } else {
                    o.modified()
                };
                ts.map(|t| FfiText::new(t.as_str()))
            }
            ItemObject::Raw(v) => v.get(which).and_then(Value::as_str).map(FfiText::new),
        }
    }
}

/// Reads one STIX object (not a bundle) from `len` bytes of JSON at `data`.
///
/// Strict: an object that does not fit the typed model is an error
/// (`STIX_RESULT_OBJECT`, with the JSON Pointer path and rule id of the
/// offending value). To keep such objects as raw JSON, use
/// `stix_document_parse`. On success `*out` is a new handle to free with
/// `stix_object_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_parse(
    data: *const u8,
    len: usize,
    out: *mut *mut stix_object,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        clear_out(out, "out")?;
        let input = bytes(data, len, "data")?;
        utf8(input, "the input")?;
        let obj = stix_core::parse_object(input)?;
        let item = ParsedItem {
            index: 0,
            path: String::new(),
            position: Position::START,
            spec_version: SpecVersion::of_object(
                obj.type_name(),
                obj.spec_version(),
                true,
                obj.created().is_some(),
                None,
            ),
            object: ItemObject::Typed(obj),
            diagnostics: Vec::new(),
        };
        let boxed = Box::new(stix_object::new(item));
        // SAFETY: `out` was checked by `clear_out`.
        unsafe { out.write(Box::into_raw(boxed)) };
        Ok(())
    })
}

/// The object's `id` as written; absent when it has no string `id`.
/// Borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_id(obj: *const stix_object) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(obj, "obj").map_or(stix_str::ABSENT, |o| view(&o.id))
    })
}

/// The object's `type` as written; absent when it has no string `type`.
/// Borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_type(obj: *const stix_object) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(obj, "obj").map_or(stix_str::ABSENT, |o| view(&o.type_name))
    })
}

/// The STIX version the object was read as: `"2.1"` or `"2.0"`.
/// Borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_spec_version(obj: *const stix_object) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(obj, "obj").map_or(stix_str::ABSENT, |o| o.spec_version.view())
    })
}

/// The `created` timestamp exactly as written (every fraction digit kept);
/// absent when the object has none. Borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_created(obj: *const stix_object) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(obj, "obj").map_or(stix_str::ABSENT, |o| {
            view(o.created.get_or_init(|| o.timestamp("created")))
        })
    })
}

/// The `modified` timestamp exactly as written; absent when the object has
/// none. Borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_modified(obj: *const stix_object) -> stix_str {
    guard_value(stix_str::ABSENT, || {
        handle(obj, "obj").map_or(stix_str::ABSENT, |o| {
            view(o.modified.get_or_init(|| o.timestamp("modified")))
        })
    })
}

/// True when the object was read into the typed STIX model; false when it
/// is kept as raw JSON because something in it is wrong (see its
/// diagnostics) or when `obj` is NULL.
#[no_mangle]
pub unsafe extern "C" fn stix_object_is_typed(obj: *const stix_object) -> bool {
    guard_value(false, || {
        handle(obj, "obj").is_ok_and(|o| o.item.typed().is_some())
    })
}

/// The object serialised as compact JSON. Lossless: equal to the input it
/// was read from (timestamps keep their exact digits, custom properties are
/// kept). `*out` is owned by the caller (free it with `stix_string_free`);
/// `*out_len`, when `out_len` is not NULL, is its length in bytes.
#[no_mangle]
pub unsafe extern "C" fn stix_object_json(
    obj: *const stix_object,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let o = handle(obj, "obj")?;
        give_string(o.json(), out, out_len)
    })
}

/// One top-level property of the object as JSON text (a string value comes
/// back quoted). `name` is `name_len` bytes of UTF-8. When the object has no
/// such property the result is `STIX_RESULT_OK` with `*out` left NULL.
/// `*out` is owned by the caller (free it with `stix_string_free`).
#[no_mangle]
pub unsafe extern "C" fn stix_object_property_json(
    obj: *const stix_object,
    name: *const c_char,
    name_len: usize,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let o = handle(obj, "obj")?;
        let name = utf8(bytes(name.cast(), name_len, "name")?, "the property name")?;
        let value = o.item.to_value();
        match value.get(name) {
            Some(v) => give_string(v.to_string(), out, out_len),
            None => Ok(()),
        }
    })
}

/// Number of parse diagnostics of the object (0 for a typed object read
/// without trouble, or when `obj` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_object_diagnostic_count(obj: *const stix_object) -> usize {
    guard_value(0, || handle(obj, "obj").map_or(0, |o| o.diagnostics.len()))
}

/// Fills `*out` with parse diagnostic `index` of the object. The strings
/// in `*out` are borrowed from `obj`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_diagnostic(
    obj: *const stix_object,
    index: usize,
    out: *mut stix_diagnostic,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        let o = handle(obj, "obj")?;
        fill(&o.diagnostics, index, out)
    })
}

/// Frees an object handle owned by the caller. NULL is accepted and
/// ignored. Never pass a handle from `stix_document_object`.
#[no_mangle]
pub unsafe extern "C" fn stix_object_free(obj: *mut stix_object) {
    guard_value((), || {
        if !obj.is_null() {
            // SAFETY: the API requires an owned handle from this library,
            // not yet freed.
            drop(unsafe { Box::from_raw(obj) });
        }
    })
}
