//! The pipeline's one error type.

use serde::Serialize;

/// Everything that can stop a pipeline step, as plain data (strings and
/// numbers) so that bindings can hand it on and it can be serialised.
/// Secrets never appear in it: TAXII errors come from `taxii-client`, which
/// strips credentials from URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// The local store (SQLite) failed.
    #[error("store {path}: {message}")]
    Store {
        /// The database file (`:memory:` for an in-memory store).
        path: String,
        /// What SQLite reported, with the operation that failed.
        message: String,
    },
    /// The store file was written by an incompatible version.
    #[error("store {path}: schema version {found}, this build reads version {expected}")]
    SchemaVersion {
        /// The database file.
        path: String,
        /// Version found in the file.
        found: i64,
        /// Version this build writes.
        expected: i64,
    },
    /// A stored object could not be read back (corrupt row).
    #[error("store {path}: object {id} version {version:?}: {message}")]
    CorruptObject {
        /// The database file.
        path: String,
        /// The object's id.
        id: String,
        /// The stored version key.
        version: String,
        /// What is wrong.
        message: String,
    },
    /// An object handed to the store lacks what it needs to be stored.
    #[error("object at {pointer}: {message}")]
    BadObject {
        /// Where the object came from (file and JSON Pointer).
        pointer: String,
        /// What is missing or wrong (`no string id`, ...).
        message: String,
    },
    /// An input file could not be read or is not JSON.
    #[error("{file}: {message}")]
    Input {
        /// The file.
        file: String,
        /// The reason, with line and column for malformed JSON.
        message: String,
    },
    /// Writing an output file failed.
    #[error("cannot write {path}: {message}")]
    Output {
        /// The file or directory.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The routing configuration could not be read or is invalid.
    #[error("configuration {source_name}: {message}")]
    Config {
        /// The file (or `default`).
        source_name: String,
        /// What is wrong, with its position when known.
        message: String,
    },
    /// A TAXII request failed.
    #[error("TAXII: {0}")]
    Taxii(String),
    /// Publishing was refused before anything was sent.
    #[error("publish refused: {0}")]
    PublishRefused(String),
    /// Building an object to publish failed.
    #[error("cannot build {what}: {message}")]
    Build {
        /// What was being built (`indicator for domain:evil.example`).
        what: String,
        /// Why it was refused.
        message: String,
    },
    /// A command-line style argument is invalid.
    #[error("invalid argument {argument}: {message}")]
    Argument {
        /// The argument.
        argument: String,
        /// Why.
        message: String,
    },
}

impl From<taxii_client::Error> for PipelineError {
    fn from(e: taxii_client::Error) -> Self {
        PipelineError::Taxii(e.to_string())
    }
}

/// Shorthand for results of this module.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;
