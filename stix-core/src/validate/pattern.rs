//! Indicator patterns: every `pattern` whose `pattern_type` is `stix` (and
//! every STIX 2.0 indicator) must parse under the STIX patterning grammar.

use stix_pattern::StixVersion;

use crate::spec_version::SpecVersion;

use super::object::Checker;

/// Parse `pattern` with `stix-pattern` and report each error at the
/// checker's current path (the indicator's `/pattern`), with the line and
/// column inside the pattern in the message.
pub(crate) fn check(c: &mut Checker<'_>, pattern: &str) {
    let version = match c.version {
        SpecVersion::V20 => StixVersion::V20,
        SpecVersion::V21 => StixVersion::V21,
    };
    if let Err(errors) = stix_pattern::parse(pattern, version) {
        for e in errors {
            let expected = if e.expected.is_empty() {
                String::new()
            } else {
                format!(" (expected {})", e.expected.join(", "))
            };
            c.error(
                "STIX-IND-01",
                format!(
                    "`pattern` is not a valid STIX {} pattern: line {}, column {}: {}{expected}",
                    version_text(c.version),
                    e.line,
                    e.column,
                    e.message
                ),
            );
        }
    }
}

fn version_text(v: SpecVersion) -> &'static str {
    v.as_str()
}
