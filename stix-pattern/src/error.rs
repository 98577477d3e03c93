//! Errors and lint warnings, with positions a person can act on.

use serde::{Deserialize, Serialize};

/// What went wrong (or, for warnings, what looks suspicious).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The text does not follow the grammar at this point.
    Syntax,
    /// The pattern is empty or only whitespace and comments.
    Empty,
    /// A string literal or comment is not closed.
    Unterminated,
    /// A backslash in a string is followed by something other than `'` or `\`.
    InvalidEscape,
    /// A number has a leading zero, or is otherwise malformed.
    InvalidNumber,
    /// A hex literal has an odd length or a non-hex character.
    InvalidHex,
    /// A binary literal is not valid, padded standard base64.
    InvalidBase64,
    /// A timestamp literal is malformed or names a date/time that does not exist.
    InvalidTimestamp,
    /// A list index is negative or too large.
    InvalidIndex,
    /// A property name contains `-` without quotes, or is a reserved word.
    InvalidPropertyName,
    /// Parentheses and brackets are nested deeper than the limit.
    NestingTooDeep,
    /// A construct that the selected STIX version does not have (e.g. `EXISTS` in 2.0).
    UnsupportedInVersion,
    /// The operands of `AND` inside one observation cannot be satisfied by one object type.
    MixedObjectTypes,
    /// The same qualifier type appears twice directly on one observation expression.
    DuplicateQualifier,
    /// A `WITHIN` or `REPEATS` value is not positive.
    NonPositiveQualifier,
    /// Lint: a hash value has the wrong length or characters for its algorithm.
    HashValue,
    /// Lint: the hash algorithm is not a `hash-algorithm-ov` name.
    HashAlgorithm,
    /// Lint: an IPv4/IPv6 address or CIDR range is malformed.
    IpAddress,
    /// Lint: an object type name does not follow the STIX type-name rules.
    ObjectTypeName,
    /// Lint: `IN ()` never matches.
    EmptySet,
    /// Lint: `STOP` is not later than `START`, so the qualifier never matches.
    EmptyTimeWindow,
}

/// A positioned error (or lint warning) in a pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct PatternError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes).
    pub column: usize,
    /// Byte offset into the pattern text.
    pub offset: usize,
    /// What the parser would have accepted here (empty when not a syntax error).
    pub expected: Vec<String>,
    /// A short human-readable description.
    pub message: String,
    /// The category of the problem.
    pub kind: ErrorKind,
}

impl PatternError {
    /// Builds an error at byte `offset` of `src`, computing line and column.
    pub(crate) fn at(src: &str, offset: usize, kind: ErrorKind, message: String) -> Self {
        let (line, column) = line_col(src, offset);
        PatternError {
            line,
            column,
            offset,
            expected: Vec::new(),
            message,
            kind,
        }
    }
}

/// 1-based line and character column of byte `offset` in `src`.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
