//! The crate's error type.

use serde::Serialize;

/// Everything that can go wrong in `stix-core`, as plain data
/// (so that bindings can hand it on). Positions are 1-based and absolute in
/// the input that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not well-formed JSON (or not UTF-8 inside a string).
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// What the JSON reader reported.
        message: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (in bytes).
        column: u64,
    },
    /// Reading the input failed.
    #[error("I/O error: {0}")]
    Io(String),
    /// The document is not of the expected JSON shape (for example the top
    /// level is not an object).
    #[error("{message} (line {line}, column {column})")]
    Shape {
        /// What was expected.
        message: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
    },
    /// One value is larger than the reader's limit (see
    /// [`crate::BundleReader::with_max_object_size`]).
    #[error(
        "value at {path} (line {line}, column {column}) is larger than the limit of {limit} bytes"
    )]
    TooLarge {
        /// JSON Pointer of the value, such as `/objects/12`.
        path: String,
        /// The limit in bytes.
        limit: usize,
        /// 1-based line where the value starts.
        line: u64,
        /// 1-based column where the value starts.
        column: u64,
    },
    /// A single object could not be read into the typed model.
    #[error("{path}: {message}")]
    Object {
        /// JSON Pointer of the offending value, relative to the input.
        path: String,
        /// Stable rule id, such as `STIX-PARSE-01`.
        rule: String,
        /// What is wrong, naming the property.
        message: String,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
    },
    /// A timestamp does not follow SPEC §2.16.
    #[error("invalid timestamp {value:?}: {reason}")]
    Timestamp {
        /// The text that was read.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// An identifier does not have the `<type>--<UUID>` shape.
    #[error("invalid identifier {value:?}: {reason}")]
    Identifier {
        /// The text that was read.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A routing configuration is not acceptable (TOML syntax, an unknown
    /// key, a rule naming a destination that is not declared, …).
    #[error("routing configuration{}: {message}", config_position(*line, *column, key))]
    Config {
        /// What is wrong.
        message: String,
        /// The key or table concerned (`destinations.siem.max_tlp`,
        /// `rule[2].destinations`), when known.
        key: Option<String>,
        /// 1-based line in the TOML text, when known.
        line: Option<u64>,
        /// 1-based column (in characters), when known.
        column: Option<u64>,
    },
    /// A builder refused to produce an object that the validator would
    /// reject.
    #[error("cannot build {object_type}: {message}")]
    Build {
        /// The STIX type being built.
        object_type: String,
        /// Rule id of the first error (`STIX-IND-03`, `BUILD-01`…).
        rule: String,
        /// JSON Pointer of the offending property in the built object.
        path: String,
        /// The first error, as a sentence.
        message: String,
        /// Every error found.
        diagnostics: Vec<crate::diagnostic::Diagnostic>,
    },
    /// A fault inside libstix itself (a panic caught on a worker thread)
    /// while reading the element at `path`. It is reported, not hidden, so
    /// that the stream ends instead of hanging or losing the element
    /// silently; please report it as a bug.
    #[error("internal error while reading {path}: {message}")]
    Internal {
        /// JSON Pointer of the element being read, such as `/objects/12`.
        path: String,
        /// The panic message, when it was a string.
        message: String,
    },
}

fn config_position(line: Option<u64>, column: Option<u64>, key: &Option<String>) -> String {
    let mut out = String::new();
    if let (Some(l), Some(c)) = (line, column) {
        out.push_str(&format!(" (line {l}, column {c})"));
    }
    if let Some(k) = key {
        out.push_str(&format!(" at `{k}`"));
    }
    out
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}
