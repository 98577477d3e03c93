//! The C ABI of libstix. Filled by the bindings work.
