//! # libstix
//!
//! One crate name for the whole toolkit. This facade only re-exports the
//! member crates so that Rust users depend on `libstix` alone:
//!
//! - [`pattern`]: the STIX patterning language (`stix-pattern`).
//! - [`core`]: the typed STIX 2.1 object model and its validation (`stix-core`).
//! - [`taxii`]: the blocking TAXII 2.1 client (`taxii-client`).
//! - [`pipeline`]: the main job joining them: local store, routing, outputs.

pub use stix_core as core;
pub use stix_pattern as pattern;
pub use taxii_client as taxii;

pub mod pipeline;
