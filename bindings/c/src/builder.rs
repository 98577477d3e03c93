//! Building a bundle from objects, one at a time.

use std::ffi::c_char;

use stix_core::{Bundle, ItemObject};

use crate::error::{stix_error, stix_result, Failure};
use crate::ffi::{bytes, clear_out, give_string, guard, guard_value, handle, handle_mut, utf8};
use crate::object::stix_object;

/// A bundle being built. Adding an object costs only that object (it is
/// neither re-validated against the others nor re-serialised), so building
/// a bundle of N objects is linear in N.
///
/// Owned by the caller; free it with `stix_bundle_builder_free`. Not for
/// use from two threads at once.
#[derive(Debug)]
pub struct stix_bundle_builder {
    bundle: Bundle,
}

impl stix_bundle_builder {
    fn objects(&mut self) -> &mut Vec<stix_core::StixObject> {
        self.bundle.objects.get_or_insert_with(Vec::new)
    }
}

/// Starts an empty bundle with a new random `id` (`bundle--<UUIDv4>`).
/// `*out` is a new builder to free with `stix_bundle_builder_free`.
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_new(
    out: *mut *mut stix_bundle_builder,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let b = stix_bundle_builder {
            bundle: Bundle::new(Vec::new()),
        };
        // SAFETY: `out` was checked by `clear_out`.
        unsafe { out.write(Box::into_raw(Box::new(b))) };
        Ok(())
    })
}

/// Reads one object from `len` bytes of JSON at `data` and appends it.
/// An object that does not fit the typed model is refused
/// (`STIX_RESULT_OBJECT`, with the path and rule in `*err`) and the bundle
/// is unchanged.
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_add_json(
    builder: *mut stix_bundle_builder,
    data: *const u8,
    len: usize,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        let b = handle_mut(builder, "builder")?;
        let input = bytes(data, len, "data")?;
        utf8(input, "the input")?;
        let obj = stix_core::parse_object(input)?;
        b.objects().push(obj);
        Ok(())
    })
}

/// Appends a copy of `obj` (which stays owned by the caller). A raw object
/// (one that `stix_object_is_typed` says could not be read) is refused
/// with `STIX_RESULT_OBJECT`.
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_add_object(
    builder: *mut stix_bundle_builder,
    obj: *const stix_object,
    err: *mut *mut stix_error,
) -> stix_result {
    guard(err, || {
        let b = handle_mut(builder, "builder")?;
        let o = handle(obj, "obj")?;
        match &o.item().object {
            ItemObject::Typed(t) => {
                b.objects().push(t.clone());
                Ok(())
            }
            ItemObject::Raw(_) => Err(Failure::new(
                stix_result::Object,
                "the object could not be read into the STIX model (see its diagnostics)",
            )),
        }
    })
}

/// Number of objects added so far (0 when `builder` is NULL).
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_count(builder: *const stix_bundle_builder) -> usize {
    guard_value(0, || {
        handle(builder, "builder").map_or(0, |b| b.bundle.objects.as_ref().map_or(0, Vec::len))
    })
}

/// The bundle as compact JSON (`type`, `id`, `objects`). The builder stays
/// usable. `*out` is owned by the caller (free it with `stix_string_free`).
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_json(
    builder: *const stix_bundle_builder,
    out: *mut *mut c_char,
    out_len: *mut usize,
) -> stix_result {
    guard(std::ptr::null_mut(), || {
        clear_out(out, "out")?;
        let b = handle(builder, "builder")?;
        let text = serde_json::to_string(&b.bundle)
            .map_err(|e| Failure::internal(&format!("bundle serialisation: {e}")))?;
        give_string(text, out, out_len)
    })
}

/// Frees a builder and the objects it holds. NULL is accepted and ignored.
#[no_mangle]
pub unsafe extern "C" fn stix_bundle_builder_free(builder: *mut stix_bundle_builder) {
    guard_value((), || {
        if !builder.is_null() {
            // SAFETY: the API requires a handle from
            // `stix_bundle_builder_new`, not yet freed.
            drop(unsafe { Box::from_raw(builder) });
        }
    })
}
