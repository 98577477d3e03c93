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
    /// Builds an error at byte `offset`; line and column are filled in by [`locate_all`]
    /// once parsing is over, in one pass over the text (computing them per error would make
    /// many errors on a long input quadratic).
    pub(crate) fn at(_src: &str, offset: usize, kind: ErrorKind, message: String) -> Self {
        PatternError {
            line: 0,
            column: 0,
            offset,
            expected: Vec::new(),
            message,
            kind,
        }
    }
}

/// Sorts `errors` by offset and sets their 1-based line and character column.
pub(crate) fn locate_all(src: &str, errors: &mut [PatternError]) {
    errors.sort_by_key(|e| e.offset);
    let (mut line, mut pos, mut col) = (1, 0, 1);
    for e in errors.iter_mut() {
        let mut target = e.offset.min(src.len());
        while !src.is_char_boundary(target) {
            target -= 1;
        }
        for c in src[pos..target].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        pos = target;
        e.line = line;
        e.column = col;
    }
}
