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
    let parsed = stix_pattern::parse(pattern, version);
    if let Ok(p) = &parsed {
        check_property_names(c, p);
    }
    if let Err(errors) = parsed {
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

/// Property names in object paths follow the naming rules of properties
/// (lower case `a-z`, `0-9`, `_`): `file:x_ID` names no property a
/// conforming producer can emit. Only the first step is a property name;
/// later steps may be dictionary keys such as `hashes.MD5`.
fn check_property_names(c: &mut Checker<'_>, pattern: &stix_pattern::Pattern) {
    let mut reported: Vec<String> = Vec::new();
    for cmp in pattern.observables().comparisons {
        let first = cmp.property.split(['.', '[']).next().unwrap_or_default();
        if first.starts_with('\'') {
            continue;
        }
        let ok = first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let name = format!("{}:{first}", cmp.object_type);
        if !ok && !reported.contains(&name) {
            c.error(
                "STIX-IND-02",
                format!("`pattern` refers to property `{name}`; property names are lower case a-z, 0-9 and `_`"),
            );
            reported.push(name);
        }
    }
}

fn version_text(v: SpecVersion) -> &'static str {
    v.as_str()
}
