//! Granular-marking selectors (SPEC §7.2.3.1): syntax and resolution.
//!
//! A selector names content inside the object that carries the granular
//! marking: `.`-separated components, each a property or dictionary key or a
//! `[n]` list index, for example `external_references.[0].source_name`.

use std::fmt;

use crate::json_view::JsonView;

/// One component of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Component<'a> {
    /// A property name or dictionary key.
    Key(&'a str),
    /// A list index `[n]`.
    Index(usize),
}

impl fmt::Display for Component<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Component::Key(k) => f.write_str(k),
            Component::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Why a selector is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// The text is not a selector (STIX-MK-06).
    #[error("selector `{selector}` is malformed: {reason}")]
    Syntax {
        /// The selector as given.
        selector: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The selector is well formed but names nothing on the object (STIX-MK-07).
    #[error("selector `{selector}` does not resolve: {reason}")]
    Unresolved {
        /// The selector as given.
        selector: String,
        /// Zero-based index of the first component that failed.
        component: usize,
        /// What was found instead.
        reason: String,
    },
}

fn is_key_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-'
}

/// Split a selector into its components, checking the syntax of STIX-MK-06.
pub fn parse(selector: &str) -> Result<Vec<Component<'_>>, SelectorError> {
    let syntax = |reason: String| SelectorError::Syntax {
        selector: selector.to_owned(),
        reason,
    };
    if selector == "id" {
        return Ok(vec![Component::Key("id")]);
    }
    if selector.is_empty() {
        return Err(syntax("it is empty".into()));
    }
    let mut out = Vec::new();
    for (n, part) in selector.split('.').enumerate() {
        if part.is_empty() {
            return Err(syntax(format!("component {} is empty", n + 1)));
        }
        if let Some(inner) = part.strip_prefix('[') {
            let digits = inner
                .strip_suffix(']')
                .ok_or_else(|| syntax(format!("`{part}` lacks its closing `]`")))?;
            if n == 0 {
                return Err(syntax("the first component must be a property name".into()));
            }
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax(format!(
                    "`{part}` is not a list index (expected `[n]` with n a non-negative integer)"
                )));
            }
            let index = digits
                .parse::<usize>()
                .map_err(|_| syntax(format!("list index `{part}` is too large")))?;
            out.push(Component::Index(index));
        } else {
            if !part.bytes().all(is_key_char) {
                return Err(syntax(format!(
                    "`{part}` may only contain a-z, 0-9, `_` and `-`"
                )));
            }
            let (min, max) = if n == 0 { (3, 249) } else { (1, 250) };
            if part.len() < min || part.len() > max {
                return Err(syntax(format!(
                    "`{part}` must be {min} to {max} characters long"
                )));
            }
            out.push(Component::Key(part));
        }
    }
    Ok(out)
}

/// Anything a selector can be resolved against.
pub trait SelectorTarget {
    /// The member `key`, if this is an object that has it.
    fn member(&self, key: &str) -> Option<&Self>;
    /// Item `index`, if this is a list that long.
    fn item(&self, index: usize) -> Option<&Self>;
    /// Length if this is a list.
    fn list_len(&self) -> Option<usize>;
    /// The JSON type with its article (`an object`), for messages.
    fn kind_name(&self) -> &'static str;
}

impl SelectorTarget for JsonView<'_> {
    fn member(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }
    fn item(&self, index: usize) -> Option<&Self> {
        self.as_array().and_then(|a| a.get(index))
    }
    fn list_len(&self) -> Option<usize> {
        self.as_array().map(<[_]>::len)
    }
    fn kind_name(&self) -> &'static str {
        self.kind()
    }
}

impl SelectorTarget for serde_json::Value {
    fn member(&self, key: &str) -> Option<&Self> {
        self.as_object().and_then(|m| m.get(key))
    }
    fn item(&self, index: usize) -> Option<&Self> {
        self.as_array().and_then(|a| a.get(index))
    }
    fn list_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn kind_name(&self) -> &'static str {
        match self {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        }
    }
}

/// Check a selector's syntax and resolve it on `object` (STIX-MK-06, -07).
/// Returns the content it selects.
pub fn resolve<'t, T: SelectorTarget>(
    object: &'t T,
    selector: &str,
) -> Result<&'t T, SelectorError> {
    let components = parse(selector)?;
    let mut current = object;
    for (n, component) in components.iter().enumerate() {
        let unresolved = |reason: String| SelectorError::Unresolved {
            selector: selector.to_owned(),
            component: n,
            reason,
        };
        current = match component {
            Component::Key(k) => match current.member(k) {
                Some(v) => v,
                None if current.kind_name() == "an object" => {
                    return Err(unresolved(format!("no property `{k}` here")))
                }
                None => {
                    return Err(unresolved(format!(
                        "`{k}` selects a property of {}",
                        current.kind_name()
                    )))
                }
            },
            Component::Index(i) => match (current.item(*i), current.list_len()) {
                (Some(v), _) => v,
                (None, Some(len)) => {
                    return Err(unresolved(format!(
                        "index [{i}] is past the end of a list of {len}"
                    )))
                }
                (None, None) => {
                    return Err(unresolved(format!(
                        "[{i}] indexes {}, not a list",
                        current.kind_name()
                    )))
                }
            },
        };
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vuln() -> serde_json::Value {
        json!({
            "type": "vulnerability",
            "id": "vulnerability--9e8c1878-d546-4ac5-a48f-cff28cc334f4",
            "name": "CVE-2014-0160",
            "external_references": [{"source_name": "cve", "external_id": "CVE-2014-0160"}],
            "x_tags": {"some-key": ["a", "b"]}
        })
    }

    #[test]
    fn spec_form_with_list_index_resolves() {
        let v = vuln();
        assert_eq!(
            resolve(&v, "external_references.[0].source_name").unwrap(),
            &json!("cve")
        );
        assert_eq!(resolve(&v, "x_tags.some-key.[1]").unwrap(), &json!("b"));
        assert_eq!(resolve(&v, "id").unwrap(), v.get("id").unwrap());
        assert_eq!(resolve(&v, "name").unwrap(), &json!("CVE-2014-0160"));
    }

    #[test]
    fn same_resolution_on_borrowed_view() {
        let text = serde_json::to_string(&vuln()).unwrap();
        let view = JsonView::parse(&text).unwrap();
        assert_eq!(
            resolve(&view, "external_references.[0].external_id")
                .unwrap()
                .as_str(),
            Some("CVE-2014-0160")
        );
        assert!(resolve(&view, "external_references.[1]").is_err());
    }

    #[test]
    fn unresolved_selectors_say_why() {
        let v = vuln();
        let cases = [
            (
                "external_references.[3].source_name",
                1,
                "past the end of a list of 1",
            ),
            ("name.[0]", 1, "indexes a string"),
            (
                "external_references.source_name",
                1,
                "selects a property of an array",
            ),
            ("description", 0, "no property `description`"),
            ("external_references.[0].url", 2, "no property `url`"),
        ];
        for (sel, comp, reason) in cases {
            match resolve(&v, sel) {
                Err(SelectorError::Unresolved {
                    component,
                    reason: r,
                    ..
                }) => {
                    assert_eq!(component, comp, "{sel}");
                    assert!(r.contains(reason), "{sel}: {r}");
                }
                other => panic!("{sel}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_selectors_are_syntax_errors() {
        for sel in [
            "",
            "external_references[0]",
            "external_references..name",
            "[0]",
            "Name",
            "ab",
            "external_references.[x]",
            "external_references.[-1]",
            "external_references.[0",
            "name.",
            "external_references.[99999999999999999999999]",
        ] {
            assert!(
                matches!(parse(sel), Err(SelectorError::Syntax { .. })),
                "{sel:?} should be a syntax error"
            );
        }
    }
}
