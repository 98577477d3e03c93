//! Diagnostics: what the parser and the validator say about an object.
//!
//! One shape for every finding, whatever produced it, so that the
//! `validate` program, the Python wheel and the C ABI can all hand them on
//! as plain data.

use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A SHOULD of the specification is not met; the object is still valid.
    Warning,
    /// A MUST of the specification is broken; the object is invalid.
    Error,
}

/// One finding about one object (or about the bundle as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The `id` of the object concerned, when it has a readable one.
    pub object_id: Option<String>,
    /// RFC 6901 JSON Pointer to the offending value, from the root of the
    /// document that was read (for a bundle: `/objects/17/created`).
    pub path: String,
    /// Stable rule identifier, such as `STIX-TS-04` (see `docs/RULES.md`).
    pub rule: String,
    /// Error (MUST) or warning (SHOULD).
    pub severity: Severity,
    /// A sentence a person can act on.
    pub message: String,
    /// 1-based line in the input, when the finding comes from the JSON text.
    pub line: Option<u64>,
    /// 1-based column in the input, when the finding comes from the JSON text.
    pub column: Option<u64>,
}

impl Diagnostic {
    /// A new error-level diagnostic.
    pub fn error(
        object_id: Option<&str>,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, object_id, path, rule, message)
    }

    /// A new warning-level diagnostic.
    pub fn warning(
        object_id: Option<&str>,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, object_id, path, rule, message)
    }

    fn new(
        severity: Severity,
        object_id: Option<&str>,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            object_id: object_id.map(str::to_owned),
            path: path.into(),
            rule: rule.to_owned(),
            severity,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// True for error-level findings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev} [{}]", self.rule)?;
        if let Some(id) = &self.object_id {
            write!(f, " {id}")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Escape one reference token for use in a JSON Pointer (RFC 6901 §3).
pub fn pointer_escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}
