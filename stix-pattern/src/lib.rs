//! The STIX 2.1 patterning language: parser, validator, canonical printer and observable
//! extraction.
//!
//! ```
//! use stix_pattern::{parse, StixVersion};
//!
//! let p = parse("[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']",
//!               StixVersion::V21).unwrap();
//! assert_eq!(p.canonical(), "[ipv4-addr:value = '198.51.100.1'] OR [domain-name:value = 'evil.example']");
//! let obs = p.observables();
//! assert!(obs.flat);
//! assert_eq!(obs.observables.len(), 2);
//!
//! let errs = parse("[file:name = 'a'] WITHIN 0 SECONDS", StixVersion::V21).unwrap_err();
//! assert_eq!((errs[0].line, errs[0].column), (1, 26));
//! ```
//!
//! Decisions where the specification is silent or disputed are listed in the crate README.

mod ast;
mod error;
mod literal;
mod observables;
mod parser;
mod print;
mod validate;

pub use ast::*;
pub use error::{ErrorKind, PatternError};
pub use observables::{ComparisonInfo, Observable, ObservableKind, Observables};
pub use parser::MAX_DEPTH;

/// How strictly to check a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// The STIX version whose rules apply.
    pub version: StixVersion,
    /// Report `AND` operands inside one observation that no single object type can satisfy
    /// (`[file:name = 'a' AND process:pid = 4]`) as an error instead of a warning.
    pub strict_object_types: bool,
}

/// Parses and validates a pattern with the default options for `version`.
///
/// On failure, `Err` holds every error found, in text order: all validator errors, all
/// recoverable literal errors, and the syntax errors (with what was expected there): the first
/// one, and after it one per later top-level observation that is also broken (parsing resumes
/// at the next top-level `[` after a syntax error outside parentheses).
pub fn parse(input: &str, version: StixVersion) -> Result<Pattern, Vec<PatternError>> {
    parse_with(
        input,
        &ParseOptions {
            version,
            ..ParseOptions::default()
        },
    )
}

/// Parses and validates a pattern with explicit options.
pub fn parse_with(input: &str, options: &ParseOptions) -> Result<Pattern, Vec<PatternError>> {
    let mut p = parser::Parser::new(input, options.version);
    let root = p.pattern();
    let mut errors = std::mem::take(&mut p.errors);
    let root = match root {
        Ok(root) => root,
        Err(e) => {
            errors.extend(e);
            error::locate_all(input, &mut errors);
            return Err(errors);
        }
    };
    let mut warnings = Vec::new();
    validate::check(input, &root, options, &mut errors, &mut warnings);
    if errors.is_empty() {
        error::locate_all(input, &mut warnings);
        Ok(Pattern {
            root,
            version: options.version,
            warnings,
        })
    } else {
        error::locate_all(input, &mut errors);
        Err(errors)
    }
}

/// `true` when `input` is a valid pattern for `version`.
pub fn is_valid(input: &str, version: StixVersion) -> bool {
    parse(input, version).is_ok()
}
