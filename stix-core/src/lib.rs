//! The typed STIX 2.1 object model, lossless parsing and validation.
//!
//! - [`parse_bundle`] / [`parse_document`] read a whole document from
//!   memory; [`BundleReader`] streams the objects of a bundle from any
//!   `Read`; [`parse_object`] reads one object.
//! - [`StixObject`] is the typed model (one variant per STIX type, plus
//!   `Custom`); serialising it gives back JSON equal to what was read.
//! - [`Timestamp`] and [`Identifier`] keep their exact text.

pub mod diagnostic;
pub mod error;
pub mod identifier;
pub mod object;
pub mod parse;
pub mod reader;
pub mod spec_version;
pub mod timestamp;

pub use diagnostic::{pointer_escape, Diagnostic, Severity};
pub use error::Error;
pub use identifier::Identifier;
pub use object::{Bundle, Common, ObjectCategory, StixObject};
pub use parse::{
    parse_bundle, parse_bundle_str, parse_document, parse_object, parse_object_str, BundleHeader,
    ItemObject, ParsedDocument, ParsedItem, Position,
};
pub use reader::BundleReader;
pub use spec_version::SpecVersion;
pub use timestamp::Timestamp;
pub mod builder;
pub mod json_view;
pub mod marking;
pub mod normalize;
pub mod route;
pub mod rules;
pub mod sco_id;
pub mod selector;
pub mod tlp;
pub mod validate;
pub mod vocab;
