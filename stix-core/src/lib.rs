//! The typed STIX 2.1 object model, lossless parsing and validation.

pub mod diagnostic;

pub use diagnostic::{pointer_escape, Diagnostic, Severity};
pub mod sco_id;
pub mod json_view;
pub mod selector;
pub mod tlp;
pub mod vocab;
