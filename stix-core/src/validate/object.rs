//! The rules that judge one object on its own.

// One arm per object type reads better than guards folded into the match.
#![allow(clippy::collapsible_match)]

use std::borrow::Cow;

use crate::diagnostic::{pointer_escape, Diagnostic, Severity};
use crate::json_view::{JsonView, Number};
use crate::sco_id::{self, ScoIdCheck};
use crate::selector::{self, SelectorError};
use crate::spec_version::SpecVersion;
use crate::timestamp::Timestamp;
use crate::tlp;
use crate::vocab::{self, Vocab};

use super::props::{self, Category, Kind};
use super::ValidationOptions;

const MAX_SAFE_INTEGER: i128 = 9_007_199_254_740_991;

/// The state of the check of one object.
pub(crate) struct Checker<'c> {
    pub(crate) opts: &'c ValidationOptions,
    pub(crate) id: Option<&'c str>,
    pub(crate) type_name: &'c str,
    pub(crate) version: SpecVersion,
    pub(crate) category: Category,
    /// Current JSON Pointer.
    pub(crate) path: String,
    pub(crate) out: Vec<Diagnostic>,
    /// The references met, as (target, JSON Pointer), when references are
    /// checked; the caller resolves them against the whole bundle.
    pub(crate) refs: Option<Vec<(String, String)>>,
    /// Inside a custom property, where the list and dictionary rules of
    /// the specification are advice only.
    pub(crate) in_custom: bool,
}

impl<'c> Checker<'c> {
    fn push(&mut self, token: &str) -> usize {
        let mark = self.path.len();
        self.path.push('/');
        // Almost no property name needs escaping; test that without the
        // general routine's setup.
        if memchr::memchr2(b'~', b'/', token.as_bytes()).is_none() {
            self.path.push_str(token);
        } else {
            self.path.push_str(&pointer_escape(token));
        }
        mark
    }

    fn push_index(&mut self, i: usize) -> usize {
        let mark = self.path.len();
        self.path.push('/');
        self.path.push_str(itoa(i).as_str());
        mark
    }

    fn pop(&mut self, mark: usize) {
        self.path.truncate(mark);
    }

    fn report(&mut self, severity: Severity, rule: &str, message: String) {
        let mut d = Diagnostic::warning(self.id, self.path.clone(), rule, message);
        d.severity = severity;
        self.out.push(d);
    }

    pub(crate) fn error(&mut self, rule: &str, message: String) {
        self.report(Severity::Error, rule, message);
    }

    pub(crate) fn warn(&mut self, rule: &str, message: String) {
        self.report(Severity::Warning, rule, message);
    }

    /// Report at `self.path + "/" + prop` without keeping the push.
    fn error_at(&mut self, prop: &str, rule: &str, message: String) {
        let m = self.push(prop);
        self.error(rule, message);
        self.pop(m);
    }

    fn warn_at(&mut self, prop: &str, rule: &str, message: String) {
        let m = self.push(prop);
        self.warn(rule, message);
        self.pop(m);
    }
}

/// Split `<type>--<UUID>` without allocating; the UUID must be in its
/// hyphenated 8-4-4-4-12 form.
fn split_id(s: &str) -> Result<(&str, uuid::Uuid), &'static str> {
    const SHAPE: &str = "expected <object-type>--<UUID>";
    if s.len() < 39 || !s.is_char_boundary(s.len() - 38) {
        return Err(SHAPE);
    }
    let (t, rest) = s.split_at(s.len() - 38);
    let Some(u) = rest.strip_prefix("--") else {
        return Err("expected <object-type>--<UUID> (the UUID part is not 36 characters)");
    };
    let hyphens_ok = u
        .bytes()
        .enumerate()
        .all(|(i, b)| matches!(i, 8 | 13 | 18 | 23) == (b == b'-'));
    if t.is_empty() || !hyphens_ok {
        return Err(SHAPE);
    }
    uuid::Uuid::try_parse(u)
        .map(|uuid| (t, uuid))
        .map_err(|_| "the UUID part must be 8-4-4-4-12 hexadecimal digits")
}

fn is_rfc4122(u: &uuid::Uuid) -> bool {
    u.get_variant() == uuid::Variant::RFC4122 && (1..=5).contains(&u.get_version_num())
}

fn itoa(i: usize) -> String {
    i.to_string()
}

/// Judge one top-level object. `obj` must be the object's JSON.
pub(crate) fn check_object(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let Some(members) = obj.as_object() else {
        c.error(
            "STIX-OBJ-01",
            format!("a STIX object must be a JSON object, found {}", obj.kind()),
        );
        return;
    };
    check_duplicate_members(c, members);
    check_type_and_id(c, obj);
    check_spec_version(c, obj);

    let toplevel_ext = has_extension_type(obj, "toplevel-property-extension");
    let is_new_type = has_extension_type(obj, "new-sdo")
        || has_extension_type(obj, "new-sco")
        || has_extension_type(obj, "new-sro");
    let specific = props::type_props(c.type_name);

    for (key, value) in members {
        let key: &str = key;
        let m = c.push(key);
        if let Some(allowed) = props::common_allowed(key, c.category, c.type_name) {
            if !allowed && c.category != Category::Custom {
                let msg = format!(
                    "`{key}` is not a property of a {} object",
                    category_name(c.category, c.type_name)
                );
                // Real producers put `created`/`modified` on observables;
                // only strict judgement rejects them.
                if c.opts.strict {
                    c.error("STIX-OBJ-03", msg);
                } else {
                    c.warn("STIX-OBJ-03", msg);
                }
            }
            check_common(c, obj, key, value);
        } else if let Some(kind) = specific.and_then(|p| p.iter().find(|(n, _, _)| *n == key)) {
            check_kind(c, key, kind.1, value);
        } else {
            check_custom_property(c, key, toplevel_ext, is_new_type);
            // Properties of a type defined by a new-sdo/sco/sro extension
            // follow the STIX value rules; other custom content gets advice.
            c.in_custom = !(is_new_type && c.category == Category::Custom);
            walk(c, key, value, false);
            c.in_custom = false;
        }
        c.pop(m);
    }

    check_required(c, obj);
    check_type_rules(c, obj);
    check_ordering(c, obj);
}

fn category_name(cat: Category, t: &str) -> String {
    match cat {
        Category::Sdo => "STIX Domain Object".into(),
        Category::Sro => "relationship object".into(),
        Category::Sco => "cyber-observable".into(),
        Category::Meta => format!("`{t}`"),
        Category::Custom => "custom".into(),
    }
}

fn check_duplicate_members(c: &mut Checker<'_>, members: &[(Cow<'_, str>, JsonView<'_>)]) {
    // Objects are small; a quadratic scan beats hashing for them.
    if members.len() > 64 {
        let mut seen = std::collections::HashSet::new();
        for (k, _) in members {
            if !seen.insert(k.as_ref()) {
                let k = k.to_string();
                c.error_at(
                    &k,
                    "STIX-VAL-02",
                    format!("property `{k}` appears more than once"),
                );
            }
        }
        return;
    }
    for (i, (k, _)) in members.iter().enumerate() {
        if members[..i].iter().any(|(p, _)| p == k) {
            let k = k.to_string();
            c.error_at(
                &k,
                "STIX-VAL-02",
                format!("property `{k}` appears more than once"),
            );
        }
    }
}

fn has_extension_type(obj: &JsonView<'_>, ext_type: &str) -> bool {
    obj.get("extensions")
        .and_then(JsonView::as_object)
        .is_some_and(|exts| {
            exts.iter()
                .any(|(_, v)| v.get("extension_type").and_then(JsonView::as_str) == Some(ext_type))
        })
}

fn check_type_and_id(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    match obj.get("type") {
        None => c.error_at(
            "type",
            "STIX-OBJ-02",
            "`type` is required on every STIX object".into(),
        ),
        Some(JsonView::Str(t)) => {
            if let Some(reason) = type_name_problem(t) {
                c.error_at("type", "STIX-NAME-01", format!("`type` `{t}` {reason}"));
            } else if c.category == Category::Custom
                && !t.starts_with("x-")
                && !has_extension_type(obj, "new-sdo")
                && !has_extension_type(obj, "new-sco")
                && !has_extension_type(obj, "new-sro")
            {
                c.warn_at(
                    "type",
                    "STIX-CUS-04",
                    format!("custom object type `{t}` should start with `x-` (or be defined by an extension-definition)"),
                );
            }
        }
        Some(other) => c.error_at(
            "type",
            "STIX-OBJ-02",
            format!("`type` must be a string, found {}", other.kind()),
        ),
    }
    let id = match obj.get("id") {
        None => {
            c.error_at(
                "id",
                "STIX-OBJ-02",
                "`id` is required on every STIX object".into(),
            );
            return;
        }
        Some(JsonView::Str(s)) => s.as_ref(),
        Some(other) => {
            c.error_at(
                "id",
                "STIX-ID-01",
                format!("`id` must be a string, found {}", other.kind()),
            );
            return;
        }
    };
    let (id_type, uuid) = match split_id(id) {
        Ok(parts) => parts,
        Err(reason) => {
            c.error_at(
                "id",
                "STIX-ID-01",
                format!("`id` invalid identifier \"{id}\": {reason}"),
            );
            return;
        }
    };
    if id_type != c.type_name {
        c.error_at(
            "id",
            "STIX-ID-01",
            format!(
                "`id` `{id}` must start with the object's type `{}--`",
                c.type_name
            ),
        );
    }
    if !is_rfc4122(&uuid) {
        c.error_at(
            "id",
            "STIX-ID-02",
            format!(
                "`id` `{id}`: the UUID is not RFC 4122 compliant (version 1-5, variant bits 10xx)"
            ),
        );
        return;
    }
    let version = uuid.get_version_num() as u8;
    if c.category == Category::Sco {
        check_sco_id(c, obj, id, version);
    } else if version != 4 {
        if c.version == SpecVersion::V20 {
            c.error_at(
                "id",
                "STIX-ID-03",
                format!("`id` `{id}`: STIX 2.0 identifiers must use a version 4 UUID, found version {version}"),
            );
        } else {
            c.warn_at(
                "id",
                "STIX-ID-03",
                format!("`id` `{id}` should use a version 4 UUID, found version {version}"),
            );
        }
    }
}

fn check_sco_id(c: &mut Checker<'_>, obj: &JsonView<'_>, id: &str, version: u8) {
    if c.type_name == "process" {
        if version != 4 {
            c.error_at(
                "id",
                "STIX-ID-06",
                format!("`id` `{id}`: a process has no ID contributing properties and must use a version 4 UUID"),
            );
        }
        return;
    }
    let Some(names) = sco_id::id_contributing_properties(c.type_name) else {
        return;
    };
    let mut props = serde_json::Map::new();
    for &name in names {
        if let Some(v) = obj.get(name) {
            props.insert(name.to_owned(), v.to_value());
        }
    }
    match sco_id::check_sco_id(c.type_name, id, &props) {
        Ok(ScoIdCheck::Matches) => {}
        Ok(ScoIdCheck::Mismatch { expected }) => {
            if c.version == SpecVersion::V21 {
                c.warn_at(
                    "id",
                    "STIX-ID-05",
                    format!("`id` `{id}` is not the deterministic id of its contributing properties ({}); expected `{expected}`", names.join(", ")),
                );
            }
        }
        Ok(ScoIdCheck::NoContributingProperties) => {
            if version != 4 {
                c.error_at(
                    "id",
                    "STIX-ID-06",
                    format!("`id` `{id}`: none of the ID contributing properties ({}) is present, so the id must use a version 4 UUID, found version {version}", names.join(", ")),
                );
            }
        }
        Err(_) => {}
    }
}

/// Why a type name breaks STIX-NAME-01/02, if it does.
fn type_name_problem(t: &str) -> Option<&'static str> {
    if t.len() < 3 || t.len() > 250 {
        return Some("must be 3 to 250 characters long");
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("may only contain a-z, 0-9 and `-`");
    }
    if !t.as_bytes()[0].is_ascii_lowercase() {
        return Some("must begin with a letter");
    }
    if t.contains("--") {
        return Some("must not contain `--`");
    }
    None
}

fn check_spec_version(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    match obj.get("spec_version") {
        Some(JsonView::Str(v)) if v == "2.1" || v == "2.0" => {
            if v == "2.0" && props::only_in_21(c.type_name) {
                c.error_at(
                    "spec_version",
                    "STIX-CP-01",
                    format!(
                        "`spec_version` is \"2.0\" but `{}` exists only in STIX 2.1",
                        c.type_name
                    ),
                );
            }
        }
        Some(JsonView::Str(v)) => c.error_at(
            "spec_version",
            "STIX-CP-01",
            format!(
                "`spec_version` must be \"2.1\" (or \"2.0\" for STIX 2.0 content), found \"{v}\""
            ),
        ),
        Some(other) => c.error_at(
            "spec_version",
            "STIX-CP-01",
            format!("`spec_version` must be a string, found {}", other.kind()),
        ),
        None => {
            if c.version == SpecVersion::V20
                && props::only_in_21(c.type_name)
                && c.category != Category::Sco
            {
                c.error_at(
                    "spec_version",
                    "STIX-CP-01",
                    format!("`spec_version` is required: without it the object reads as STIX 2.0, where `{}` does not exist", c.type_name),
                );
            } else if c.version == SpecVersion::V21
                && matches!(c.category, Category::Sdo | Category::Sro | Category::Meta)
            {
                c.error_at(
                    "spec_version",
                    "STIX-CP-01",
                    format!(
                        "`spec_version` \"2.1\" is required on a {}",
                        category_name(c.category, c.type_name)
                    ),
                );
            }
        }
    }
}

fn check_common(c: &mut Checker<'_>, obj: &JsonView<'_>, key: &str, value: &JsonView<'_>) {
    match key {
        "type" | "id" | "spec_version" => {}
        "created" | "modified" => {
            if let Some(ts) = check_timestamp(c, key, value) {
                let digits = ts.fraction_digits();
                if c.version == SpecVersion::V20 && c.category != Category::Custom && digits != 3 {
                    c.error(
                        "STIX-TS-04",
                        format!("`{key}` `{}`: STIX 2.0 requires exactly millisecond precision (3 fraction digits), found {digits}", ts.as_str()),
                    );
                } else if c.version == SpecVersion::V21 && digits < 3 {
                    c.error(
                        "STIX-TS-04",
                        format!("`{key}` `{}` must be precise to at least the millisecond (3 fraction digits), found {digits}", ts.as_str()),
                    );
                }
            }
        }
        "created_by_ref" => check_kind(c, key, Kind::Ref(&["identity"]), value),
        "revoked" | "defanged" => check_kind(c, key, Kind::Bool, value),
        "labels" => check_kind(c, key, Kind::StrList, value),
        "confidence" => check_kind(c, key, Kind::Int(0, 100), value),
        "lang" => {
            if let Some(s) = expect_str(c, key, value) {
                if !is_language_tag(s) {
                    c.error(
                        "STIX-CP-03",
                        format!("`lang` `{s}` is not an RFC 5646 language tag"),
                    );
                }
            }
        }
        "external_references" => check_external_references(c, value),
        "object_marking_refs" => {
            check_kind(c, key, Kind::Refs(&["marking-definition"]), value);
            if let (Some(id), Some(list)) = (c.id, value.as_array()) {
                if list.iter().any(|r| r.as_str() == Some(id)) {
                    c.error(
                        "STIX-CP-07",
                        "`object_marking_refs` must not reference the object itself".into(),
                    );
                }
            }
        }
        "granular_markings" => check_granular_markings(c, obj, value),
        "extensions" => check_extensions(c, value),
        _ => walk(c, key, value, false),
    }
}

fn expect_str<'v>(c: &mut Checker<'_>, key: &str, value: &'v JsonView<'_>) -> Option<&'v str> {
    match value {
        JsonView::Str(s) => Some(s),
        JsonView::Null => {
            null_error(c, key);
            None
        }
        other => {
            c.error(
                "STIX-VAL-11",
                format!("`{key}` must be a string, found {}", other.kind()),
            );
            None
        }
    }
}

fn null_error(c: &mut Checker<'_>, key: &str) {
    c.error(
        "STIX-VAL-07",
        format!("`{key}` is null; omit a property instead of setting it to null"),
    );
}

fn check_timestamp(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>) -> Option<Timestamp> {
    let s = expect_str(c, key, value)?;
    match Timestamp::parse(s) {
        Ok(ts) => Some(ts),
        Err(e) => {
            let reason = match e {
                crate::error::Error::Timestamp { reason, .. } => reason,
                other => other.to_string(),
            };
            c.error(
                "STIX-TS-01",
                format!("`{key}` `{s}` is not a valid STIX timestamp: {reason}"),
            );
            None
        }
    }
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(first) = parts.next() else {
        return false;
    };
    let first_ok = (2..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic());
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Check a value against the kind its property calls for, then walk it.
pub(crate) fn check_kind(c: &mut Checker<'_>, key: &str, kind: Kind, value: &JsonView<'_>) {
    if matches!(value, JsonView::Null) {
        null_error(c, key);
        return;
    }
    match kind {
        Kind::Str => {
            expect_str(c, key, value);
        }
        Kind::Bool => {
            if value.as_bool().is_none() {
                c.error(
                    "STIX-VAL-11",
                    format!("`{key}` must be a boolean, found {}", value.kind()),
                );
            }
        }
        Kind::Int(min, max) => match value.as_number().and_then(|n| n.as_integer()) {
            Some(i) if i < min || i > max => c.error(
                range_rule(key),
                format!("`{key}` is {i}, outside the allowed range {min}..={max}"),
            ),
            Some(_) => {}
            None => c.error(
                "STIX-VAL-11",
                format!("`{key}` must be an integer, found {}", describe(value)),
            ),
        },
        Kind::Num(min, max) => match value.as_number() {
            Some(n) if n.as_f64() < min || n.as_f64() > max => c.error(
                range_rule(key),
                format!(
                    "`{key}` is {}, outside the allowed range {min}..={max}",
                    n.as_f64()
                ),
            ),
            Some(_) => {}
            None => c.error(
                "STIX-VAL-11",
                format!("`{key}` must be a number, found {}", value.kind()),
            ),
        },
        Kind::Timestamp => {
            check_timestamp(c, key, value);
        }
        Kind::Ref(allowed) => check_ref(c, key, value, allowed),
        Kind::Refs(allowed) => match value.as_array() {
            Some([]) => empty_list(c, key),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let m = c.push_index(i);
                    check_ref(c, key, item, allowed);
                    c.pop(m);
                }
            }
            None => c.error(
                "STIX-VAL-11",
                format!(
                    "`{key}` must be a list of identifiers, found {}",
                    value.kind()
                ),
            ),
        },
        Kind::StrList => match value.as_array() {
            Some([]) => empty_list(c, key),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let m = c.push_index(i);
                    expect_str(c, key, item);
                    c.pop(m);
                }
            }
            None => c.error(
                "STIX-VAL-11",
                format!("`{key}` must be a list of strings, found {}", value.kind()),
            ),
        },
        Kind::Vocab(v) => {
            if let Some(s) = expect_str(c, key, value) {
                check_vocab_value(c, key, v, s);
            }
        }
        Kind::VocabList(v) => match value.as_array() {
            Some([]) => empty_list(c, key),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let m = c.push_index(i);
                    if let Some(s) = expect_str(c, key, item) {
                        check_vocab_value(c, key, v, s);
                    }
                    c.pop(m);
                }
            }
            None => c.error(
                "STIX-VAL-11",
                format!("`{key}` must be a list of strings, found {}", value.kind()),
            ),
        },
        Kind::Hashes => check_hashes(c, key, value),
        Kind::Dict => {
            match value.as_object() {
                Some([]) => c.error(
                    "STIX-VAL-02",
                    format!("`{key}` is an empty dictionary; omit it instead"),
                ),
                Some(members) => {
                    for (k, _) in members {
                        if k.len() > 250
                            || !k
                                .bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                        {
                            let k = k.to_string();
                            c.error_at(
                                &k,
                                "STIX-VAL-02",
                                format!("dictionary key `{k}` of `{key}` must be at most 250 ASCII characters a-z, A-Z, 0-9, `_` or `-`"),
                            );
                        }
                    }
                }
                None => c.error(
                    "STIX-VAL-11",
                    format!("`{key}` must be a dictionary, found {}", value.kind()),
                ),
            }
            // The deprecated observed-data container keys its objects by
            // local ids, and their `_ref`s point at those keys.
            let local = c.type_name == "observed-data" && key == "objects";
            walk_children(c, value, local);
            return;
        }
        Kind::Object => {
            if value.as_object().is_none() {
                c.error(
                    "STIX-VAL-11",
                    format!("`{key}` must be an object, found {}", value.kind()),
                );
            }
        }
        Kind::List => {
            if value.as_array().is_none() {
                c.error(
                    "STIX-VAL-11",
                    format!("`{key}` must be a list, found {}", value.kind()),
                );
            }
        }
        Kind::Hex => check_hex(c, key, value),
        Kind::Binary => check_binary(c, key, value),
    }
    if matches!(kind, Kind::Object | Kind::List) {
        walk(c, key, value, false);
    }
}

fn describe(value: &JsonView<'_>) -> String {
    match value {
        JsonView::Number(n) => format!("the number {}", n.as_f64()),
        other => other.kind().to_owned(),
    }
}

fn range_rule(key: &str) -> &'static str {
    match key {
        "confidence" => "STIX-CP-02",
        "number_observed" => "STIX-RNG-01",
        "count" => "STIX-RNG-02",
        _ => "STIX-RNG-03",
    }
}

fn empty_list(c: &mut Checker<'_>, key: &str) {
    let msg = format!("`{key}` is an empty list; omit it instead");
    if c.in_custom {
        c.warn("STIX-VAL-01", msg);
    } else {
        c.error("STIX-VAL-01", msg);
    }
}

fn check_vocab_value(c: &mut Checker<'_>, key: &str, v: &Vocab, s: &str) {
    if v.contains(s) {
        return;
    }
    if v.open {
        c.warn(
            "STIX-VAL-08",
            format!(
                "`{key}` value `{s}` is not in the open vocabulary {}",
                v.name
            ),
        );
    } else {
        c.error(
            "STIX-VAL-09",
            format!(
                "`{key}` value `{s}` is not one of {} ({})",
                v.name,
                v.values.join(", ")
            ),
        );
    }
}

fn check_ref(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>, allowed: &[&str]) {
    let Some(s) = expect_ref_string(c, key, value) else {
        return;
    };
    let (t, uuid) = match split_id(s) {
        Ok(parts) => parts,
        Err(reason) => {
            c.error(
                "STIX-ID-01",
                format!("`{key}`: invalid identifier \"{s}\": {reason}"),
            );
            return;
        }
    };
    if !is_rfc4122(&uuid) {
        c.error(
            "STIX-ID-02",
            format!("`{key}` `{s}`: the UUID is not RFC 4122 compliant"),
        );
    }
    let ok = match allowed {
        [] => true,
        ["SCO"] => props::category(t) == Category::Sco,
        list => list.contains(&t),
    };
    if !ok {
        c.error(
            "STIX-ID-12",
            format!(
                "`{key}` must refer to {}, not to `{t}`",
                allowed_text(allowed)
            ),
        );
    }
    note_reference(c, s);
}

fn allowed_text(allowed: &[&str]) -> String {
    match allowed {
        ["SCO"] => "a cyber-observable".into(),
        [one] => format!("a `{one}`"),
        list => format!(
            "one of {}",
            list.iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn note_reference(c: &mut Checker<'_>, target: &str) {
    if let Some(refs) = c.refs.as_mut() {
        // The predefined TLP markings are known to every consumer: no need
        // to look for them in the bundle.
        if crate::tlp::tlp_by_id(target).is_none() {
            refs.push((target.to_owned(), c.path.clone()));
        }
    }
}

fn expect_ref_string<'v>(
    c: &mut Checker<'_>,
    key: &str,
    value: &'v JsonView<'_>,
) -> Option<&'v str> {
    match value {
        JsonView::Str(s) => Some(s),
        JsonView::Null => {
            null_error(c, key);
            None
        }
        JsonView::Object(_) => {
            c.error(
                "STIX-ID-12",
                format!(
                    "`{key}` must be an identifier string `<type>--<UUID>`, not an embedded object"
                ),
            );
            None
        }
        other => {
            c.error(
                "STIX-ID-12",
                format!(
                    "`{key}` must be an identifier string `<type>--<UUID>`, found {}",
                    other.kind()
                ),
            );
            None
        }
    }
}

fn check_hex(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>) {
    if let Some(s) = expect_str(c, key, value) {
        if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            c.error(
                "STIX-VAL-04",
                format!(
                    "`{key}` must be an even number of hexadecimal digits, found `{}`",
                    clip(s)
                ),
            );
        }
    }
}

fn check_binary(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>) {
    if let Some(s) = expect_str(c, key, value) {
        if !is_base64(s) {
            c.error(
                "STIX-VAL-05",
                format!("`{key}` is not valid base64 (RFC 4648)"),
            );
        }
    }
}

fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() % 4 != 0 {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 {
        return false;
    }
    b[..b.len() - pad]
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(60) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn check_hashes(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>) {
    let Some(members) = value.as_object() else {
        c.error(
            "STIX-VAL-06",
            format!(
                "`{key}` must be a dictionary of hashes, found {}",
                value.kind()
            ),
        );
        return;
    };
    if members.is_empty() {
        c.error(
            "STIX-VAL-02",
            format!("`{key}` is an empty dictionary; omit it instead"),
        );
    }
    for (alg, h) in members {
        let alg: &str = alg;
        let m = c.push(alg);
        if alg.len() < 3
            || alg.len() > 250
            || !alg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            c.error(
                "STIX-VAL-06",
                format!("hash algorithm name `{alg}` must be 3 to 250 characters a-z, A-Z, 0-9, `_` or `-`"),
            );
        } else if !vocab::HASH_ALGORITHM.contains(alg) {
            c.warn(
                "STIX-VAL-06",
                format!("hash algorithm `{alg}` is not in hash-algorithm-ov"),
            );
        }
        match h.as_str() {
            Some(v) => {
                let want = match alg {
                    "MD5" => Some(32),
                    "SHA-1" => Some(40),
                    "SHA-256" | "SHA3-256" => Some(64),
                    "SHA-512" | "SHA3-512" => Some(128),
                    _ => None,
                };
                if let Some(n) = want {
                    if v.len() != n || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                        c.error(
                            "STIX-VAL-06",
                            format!(
                                "{alg} hash must be {n} hexadecimal digits, found `{}`",
                                clip(v)
                            ),
                        );
                    }
                }
            }
            None if matches!(h, JsonView::Null) => null_error(c, alg),
            None => c.error(
                "STIX-VAL-06",
                format!("{alg} hash must be a string, found {}", h.kind()),
            ),
        }
        c.pop(m);
    }
}

/// The generic walk under a property: nulls, empty lists and dictionaries,
/// `_ref`/`_refs`/`_hex`/`_bin` naming conventions and integer limits, at
/// any depth. `local_refs` is set inside the deprecated observed-data
/// container, whose references are local keys.
fn walk(c: &mut Checker<'_>, key: &str, value: &JsonView<'_>, local_refs: bool) {
    match value {
        JsonView::Null => null_error(c, key),
        JsonView::Number(n) => check_integer_limit(c, key, *n),
        JsonView::Array(items) if items.is_empty() => empty_list(c, key),
        JsonView::Object(members) if members.is_empty() => {
            let msg = format!("`{key}` is an empty object; omit it instead");
            if c.in_custom {
                c.warn("STIX-VAL-02", msg);
            } else {
                c.error("STIX-VAL-02", msg);
            }
        }
        JsonView::Array(_) | JsonView::Object(_) => walk_children(c, value, local_refs),
        _ => {}
    }
}

fn walk_children(c: &mut Checker<'_>, value: &JsonView<'_>, local_refs: bool) {
    match value {
        JsonView::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if matches!(
                    item,
                    JsonView::Array(_) | JsonView::Object(_) | JsonView::Null
                ) {
                    let m = c.push_index(i);
                    walk(c, "list item", item, local_refs);
                    c.pop(m);
                } else if let JsonView::Number(n) = item {
                    if n.as_integer().is_some_and(|i| i.abs() > MAX_SAFE_INTEGER) {
                        let m = c.push_index(i);
                        check_integer_limit(c, "list item", *n);
                        c.pop(m);
                    }
                }
            }
        }
        JsonView::Object(members) => {
            for (k, v) in members {
                let k: &str = k;
                let m = c.push(k);
                if k.ends_with("_refs") && !local_refs && v.as_array().is_some() {
                    check_kind(c, k, Kind::Refs(&[]), v);
                } else if k.ends_with("_ref") && !local_refs {
                    check_ref(c, k, v, &[]);
                } else if k.ends_with("_hex") && v.as_str().is_some() {
                    check_hex(c, k, v);
                } else if k.ends_with("_bin") && v.as_str().is_some() {
                    check_binary(c, k, v);
                } else if k == "hashes" && v.as_object().is_some() {
                    check_hashes(c, k, v);
                } else {
                    walk(c, k, v, local_refs);
                }
                c.pop(m);
            }
        }
        _ => {}
    }
}

fn check_integer_limit(c: &mut Checker<'_>, key: &str, n: Number) {
    let too_big = match n {
        Number::U(u) => u128::from(u) > MAX_SAFE_INTEGER as u128,
        Number::I(i) => i128::from(i) < -MAX_SAFE_INTEGER,
        Number::F(_) => false,
    };
    if too_big {
        c.error(
            "STIX-VAL-03",
            format!("`{key}` is outside the integer range ±(2^53-1)"),
        );
    }
}

fn check_custom_property(c: &mut Checker<'_>, key: &str, toplevel_ext: bool, new_type: bool) {
    if props::RESERVED.contains(&key) && c.category != Category::Custom {
        c.error(
            "STIX-NAME-04",
            format!("`{key}` is a reserved property name and must not be used"),
        );
        return;
    }
    let chars_ok = key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !chars_ok || key.len() < 3 || key.len() > 250 {
        c.error(
            "STIX-CUS-01",
            format!("custom property name `{key}` must be 3 to 250 characters of a-z, 0-9 and `_`"),
        );
        return;
    }
    if !key.starts_with("x_") && !toplevel_ext && !new_type && c.category != Category::Custom {
        c.warn(
            "STIX-CUS-02",
            format!("`{key}` is not a property of `{}`; custom property names should start with `x_` (or come from a toplevel-property-extension)", c.type_name),
        );
    }
}

fn check_external_references(c: &mut Checker<'_>, value: &JsonView<'_>) {
    let Some(items) = value.as_array() else {
        c.error(
            "STIX-VAL-11",
            format!(
                "`external_references` must be a list, found {}",
                value.kind()
            ),
        );
        return;
    };
    if items.is_empty() {
        empty_list(c, "external_references");
        return;
    }
    for (i, er) in items.iter().enumerate() {
        let m = c.push_index(i);
        if er.as_object().is_none() {
            c.error(
                "STIX-ER-01",
                format!(
                    "an external reference must be an object, found {}",
                    er.kind()
                ),
            );
            c.pop(m);
            continue;
        }
        let source = er.get("source_name").and_then(JsonView::as_str);
        if source.is_none() {
            c.error_at(
                "source_name",
                "STIX-ER-01",
                "an external reference requires `source_name`".into(),
            );
        }
        if er.get("description").is_none()
            && er.get("url").is_none()
            && er.get("external_id").is_none()
        {
            c.error(
                "STIX-ER-01",
                "an external reference needs at least one of `description`, `url`, `external_id`"
                    .into(),
            );
        }
        let ext_id = er.get("external_id").and_then(JsonView::as_str);
        match (c.type_name, source) {
            ("attack-pattern", Some("capec")) => {
                if !ext_id.is_some_and(|id| {
                    id.strip_prefix("CAPEC-")
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                }) {
                    c.error_at(
                        "external_id",
                        "STIX-ER-02",
                        "a `capec` external reference needs `external_id` of the form `CAPEC-[id]`"
                            .into(),
                    );
                }
            }
            ("vulnerability", Some("cve")) => {
                if !ext_id.is_some_and(is_cve_id) {
                    c.error_at(
                        "external_id",
                        "STIX-ER-03",
                        format!("a `cve` external reference needs `external_id` with the exact CVE id (CVE-YYYY-NNNN...), found {}", ext_id.map_or("none".to_owned(), |s| format!("`{s}`"))),
                    );
                }
            }
            _ => {}
        }
        let members = er.as_object().unwrap_or(&[]);
        for (k, v) in members {
            let k: &str = k;
            let m2 = c.push(k);
            match k {
                "source_name" | "description" | "url" | "external_id" => {
                    expect_str(c, k, v);
                }
                "hashes" => check_hashes(c, k, v),
                _ => walk(c, k, v, false),
            }
            c.pop(m2);
        }
        if er.get("url").is_some() && er.get("hashes").is_none() {
            c.warn(
                "STIX-ER-04",
                "an external reference with a `url` should also give `hashes` of the content"
                    .into(),
            );
        }
        c.pop(m);
    }
}

fn is_cve_id(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, num)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
        && !(num.starts_with('0') && num.len() > 4)
}

fn check_kill_chain_phases(c: &mut Checker<'_>, value: &JsonView<'_>) {
    let Some(items) = value.as_array() else {
        return;
    };
    for (i, kcp) in items.iter().enumerate() {
        let m = c.push_index(i);
        for prop in ["kill_chain_name", "phase_name"] {
            match kcp.get(prop) {
                Some(JsonView::Str(s)) => {
                    if !vocab::is_lower_hyphenated(s) {
                        c.warn_at(
                            prop,
                            "STIX-KC-02",
                            format!("`{prop}` `{s}` should be lower case with hyphens"),
                        );
                    }
                }
                Some(other) => c.error_at(
                    prop,
                    "STIX-KC-01",
                    format!("`{prop}` must be a string, found {}", other.kind()),
                ),
                None => c.error(
                    "STIX-KC-01",
                    format!("a kill chain phase requires `{prop}`"),
                ),
            }
        }
        c.pop(m);
    }
}

fn check_granular_markings(c: &mut Checker<'_>, obj: &JsonView<'_>, value: &JsonView<'_>) {
    let Some(items) = value.as_array() else {
        c.error(
            "STIX-VAL-11",
            format!("`granular_markings` must be a list, found {}", value.kind()),
        );
        return;
    };
    if items.is_empty() {
        empty_list(c, "granular_markings");
        return;
    }
    for (i, gm) in items.iter().enumerate() {
        let m = c.push_index(i);
        let has_ref = gm.get("marking_ref").is_some();
        let has_lang = gm.get("lang").is_some();
        if has_ref == has_lang {
            c.error(
                "STIX-MK-05",
                "a granular marking needs exactly one of `marking_ref` and `lang`".into(),
            );
        }
        if let Some(r) = gm.get("marking_ref") {
            let m2 = c.push("marking_ref");
            check_ref(c, "marking_ref", r, &["marking-definition"]);
            c.pop(m2);
        }
        if let Some(l) = gm.get("lang") {
            let m2 = c.push("lang");
            if let Some(s) = expect_str(c, "lang", l) {
                if !is_language_tag(s) {
                    c.error(
                        "STIX-MK-08",
                        format!("granular marking `lang` `{s}` is not an RFC 5646 language tag"),
                    );
                }
            }
            c.pop(m2);
        }
        match gm.get("selectors") {
            None => c.error(
                "STIX-MK-05",
                "a granular marking requires `selectors`".into(),
            ),
            Some(JsonView::Array(sels)) if sels.is_empty() => {
                let m2 = c.push("selectors");
                empty_list(c, "selectors");
                c.pop(m2);
            }
            Some(JsonView::Array(sels)) => {
                for (j, sel) in sels.iter().enumerate() {
                    let m2 = c.push("selectors");
                    let m3 = c.push_index(j);
                    match sel.as_str() {
                        Some(s) => match selector::resolve(obj, s) {
                            Ok(_) => {}
                            Err(e @ SelectorError::Syntax { .. }) => {
                                c.error("STIX-MK-06", e.to_string())
                            }
                            Err(e) => c.error("STIX-MK-07", e.to_string()),
                        },
                        None => c.error(
                            "STIX-MK-06",
                            format!("a selector must be a string, found {}", sel.kind()),
                        ),
                    }
                    c.pop(m3);
                    c.pop(m2);
                }
            }
            Some(other) => {
                let m2 = c.push("selectors");
                c.error(
                    "STIX-MK-05",
                    format!(
                        "`selectors` must be a list of strings, found {}",
                        other.kind()
                    ),
                );
                c.pop(m2);
            }
        }
        c.pop(m);
    }
}

fn check_extensions(c: &mut Checker<'_>, value: &JsonView<'_>) {
    let Some(members) = value.as_object() else {
        c.error(
            "STIX-EXT-01",
            format!("`extensions` must be a dictionary, found {}", value.kind()),
        );
        return;
    };
    if members.is_empty() {
        c.error(
            "STIX-EXT-01",
            "`extensions` is an empty dictionary; omit it instead".into(),
        );
        return;
    }
    let predefined = props::predefined_extensions(c.type_name);
    for (key, ext) in members {
        let key: &str = key;
        let m = c.push(key);
        if !ext.as_object().is_some_and(|e| !e.is_empty()) {
            c.error(
                "STIX-EXT-01",
                format!("extension `{key}` must be a non-empty object"),
            );
            c.pop(m);
            continue;
        }
        if let Some(uuid_part) = key.strip_prefix("extension-definition--") {
            if split_id(key).is_err() || uuid_part.len() != 36 {
                c.error(
                    "STIX-EXT-04",
                    format!("extension key `{key}` is not a valid extension-definition id"),
                );
            }
            match ext.get("extension_type") {
                None => c.error(
                    "STIX-EXT-03",
                    format!("extension `{key}` is keyed by an extension-definition id and must give `extension_type`"),
                ),
                Some(t) => {
                    let m2 = c.push("extension_type");
                    if let Some(s) = expect_str(c, "extension_type", t) {
                        if !vocab::EXTENSION_TYPE.contains(s) {
                            c.error(
                                "STIX-EXT-02",
                                format!("`extension_type` `{s}` is not one of {}", vocab::EXTENSION_TYPE.values.join(", ")),
                            );
                        }
                    }
                    c.pop(m2);
                }
            }
            note_reference_ext(c, key);
        } else if let Some((_, required)) = predefined.iter().find(|(n, _)| *n == key) {
            for r in *required {
                if ext.get(r).is_none() {
                    c.error(
                        "STIX-EXT-12",
                        format!("predefined extension `{key}` requires `{r}`"),
                    );
                }
            }
            check_predefined_extension(c, key, ext);
        } else if let Some(owner) = props::owner_of_predefined_extension(key) {
            c.error(
                "STIX-EXT-11",
                format!("`{key}` is the predefined extension of `{owner}` objects; it cannot be used on `{}`", c.type_name),
            );
        } else if is_custom_ext_name(key) {
            if c.type_name != "marking-definition" {
                c.warn(
                    "STIX-CUS-05",
                    format!("`{key}` is a deprecated custom extension; extensions should be defined by an extension-definition"),
                );
            } else {
                c.error(
                    "STIX-EXT-04",
                    format!("extension key `{key}` on a marking-definition must be an extension-definition id"),
                );
            }
        } else {
            c.error(
                "STIX-EXT-04",
                format!("extension key `{key}` must be an extension-definition id or a predefined `*-ext` name"),
            );
        }
        walk_children(c, ext, false);
        c.pop(m);
    }
}

fn note_reference_ext(_c: &mut Checker<'_>, _key: &str) {
    // Extension definitions are often published apart from the content that
    // uses them (case property_extension_unknown_definition): an absent one
    // is not an unresolved reference.
}

fn is_custom_ext_name(key: &str) -> bool {
    key.len() >= 3
        && key.len() <= 250
        && key.ends_with("-ext")
        && key.as_bytes()[0].is_ascii_lowercase()
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_predefined_extension(c: &mut Checker<'_>, key: &str, ext: &JsonView<'_>) {
    let enum_props: &[(&str, &Vocab)] = match key {
        "socket-ext" => &[
            ("address_family", &vocab::SOCKET_ADDRESS_FAMILY),
            ("socket_type", &vocab::SOCKET_TYPE),
        ],
        "windows-process-ext" => &[("integrity_level", &vocab::WINDOWS_INTEGRITY_LEVEL)],
        "windows-service-ext" => &[
            ("start_type", &vocab::WINDOWS_SERVICE_START_TYPE),
            ("service_type", &vocab::WINDOWS_SERVICE_TYPE),
            ("service_status", &vocab::WINDOWS_SERVICE_STATUS),
        ],
        "windows-pebinary-ext" => &[("pe_type", &vocab::WINDOWS_PEBINARY_TYPE)],
        _ => &[],
    };
    for (prop, v) in enum_props {
        if let Some(val) = ext.get(prop) {
            let m = c.push(prop);
            if let Some(s) = expect_str(c, prop, val) {
                check_vocab_value(c, prop, v, s);
            }
            c.pop(m);
        }
    }
    if key == "windows-pebinary-ext" {
        if let Some(JsonView::Str(ts)) = ext.get("time_date_stamp") {
            if let Ok(t) = Timestamp::parse(ts) {
                if t.fraction().bytes().any(|d| d != b'0') {
                    c.error_at(
                        "time_date_stamp",
                        "STIX-TS-07",
                        "`time_date_stamp` must be precise to the second".into(),
                    );
                }
            }
        }
        if ext.as_object().is_some_and(|m| m.len() < 2) {
            c.error(
                "STIX-EXT-12",
                "`windows-pebinary-ext` needs `pe_type` and at least one other property".into(),
            );
        }
    }
    for (k, v) in ext.as_object().unwrap_or(&[]) {
        let k: &str = k;
        let is_ts = matches!(
            (key, k),
            ("ntfs-ext", _) if false
        ) || k.ends_with("_date")
            || k.ends_with("_time")
            || k == "time_date_stamp"
            || k == "creation_date"
            || k == "modification_date";
        if is_ts {
            if let JsonView::Str(_) = v {
                let m = c.push(k);
                check_timestamp(c, k, v);
                c.pop(m);
            }
        }
    }
}

fn check_required(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let cat = c.category;
    if cat == Category::Custom {
        for p in ["created", "modified"] {
            // Custom objects support the common properties (SPEC §11.1);
            // nothing more is required of them than `type` and `id`.
            let _ = p;
        }
        return;
    }
    let mut required: Vec<&'static str> = Vec::new();
    match (cat, c.type_name) {
        (Category::Sdo | Category::Sro, _) | (_, "language-content") => {
            required.extend(["created", "modified"])
        }
        (_, "marking-definition") => required.push("created"),
        (_, "extension-definition") => required.extend(["created", "modified", "created_by_ref"]),
        _ => {}
    }
    let v20 = c.version == SpecVersion::V20;
    if let Some(props) = props::type_props(c.type_name) {
        for (name, _, req) in props {
            if !*req {
                continue;
            }
            if v20 && c.type_name == "indicator" && *name == "pattern_type" {
                continue;
            }
            required.push(name);
        }
    }
    if v20 {
        if props::labels_required_in_20(c.type_name) {
            required.push("labels");
        }
        if c.type_name == "identity" {
            required.push("identity_class");
        }
        if c.type_name == "observed-data" {
            required.push("objects");
        }
    }
    for name in required {
        if obj.get(name).is_none() {
            let (sev, rule) = (Severity::Error, "STIX-REQ-01");
            let m = c.push(name);
            c.report(
                sev,
                rule,
                format!(
                    "`{name}` is required on `{}`{}",
                    c.type_name,
                    if v20 { " (STIX 2.0)" } else { "" }
                ),
            );
            c.pop(m);
        }
    }
}

fn check_type_rules(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let has = |p: &str| obj.get(p).is_some();
    let v21 = c.version == SpecVersion::V21;
    if let Some(kcp) = obj.get("kill_chain_phases") {
        let m = c.push("kill_chain_phases");
        check_kill_chain_phases(c, kcp);
        c.pop(m);
    }
    match c.type_name {
        "malware" if v21 => {
            match obj.get("is_family") {
                None => {
                    // Required by the OS text and the schema; the Errata
                    // table marks it optional, hence only a warning when not strict.
                    let msg = "`is_family` is required on a STIX 2.1 malware object".to_owned();
                    let m = c.push("is_family");
                    if c.opts.strict {
                        c.error("STIX-REQ-02", msg);
                    } else {
                        c.warn("STIX-REQ-02", msg);
                    }
                    c.pop(m);
                }
                Some(JsonView::Bool(true)) if !has("name") => c.error_at(
                    "name",
                    "STIX-REQ-01",
                    "`name` is required on a malware family (`is_family` true)".into(),
                ),
                _ => {}
            }
        }
        "location" => {
            let lat = has("latitude");
            let lon = has("longitude");
            if lat != lon {
                c.error_at(
                    if lat { "longitude" } else { "latitude" },
                    "STIX-LOC-01",
                    "`latitude` and `longitude` must be given together".into(),
                );
            }
            if has("precision") && !(lat && lon) {
                c.error_at(
                    "precision",
                    "STIX-LOC-01",
                    "`precision` requires both `latitude` and `longitude`".into(),
                );
            }
            if !(has("region") || has("country") || (lat && lon)) {
                c.error(
                    "STIX-LOC-02",
                    "a location needs at least one of `region`, `country`, or `latitude` with `longitude`".into(),
                );
            }
        }
        "malware-analysis" => {
            if !has("result") && !has("analysis_sco_refs") {
                c.error(
                    "STIX-REQ-03",
                    "a malware-analysis needs `result` or `analysis_sco_refs`".into(),
                );
            }
        }
        "observed-data" if v21 => {
            match (has("objects"), has("object_refs")) {
                (true, true) => c.error_at(
                    "object_refs",
                    "STIX-OD-01",
                    "`object_refs` and the deprecated `objects` must not both be present".into(),
                ),
                (false, false) => c.error_at(
                    "object_refs",
                    "STIX-OD-01",
                    "an observed-data needs `object_refs` (or the deprecated `objects`)".into(),
                ),
                (true, false) => c.warn_at(
                    "objects",
                    "STIX-OD-02",
                    "`objects` is deprecated in STIX 2.1; use `object_refs`".into(),
                ),
                _ => {}
            }
            if let Some(refs) = obj.get("object_refs").and_then(JsonView::as_array) {
                // A custom type may be a custom observable: only refs that
                // are all known non-observables break the rule.
                let any_sco = refs.iter().any(|r| {
                    r.as_str()
                        .and_then(|s| s.split_once("--"))
                        .is_some_and(|(t, _)| {
                            matches!(props::category(t), Category::Sco | Category::Custom)
                        })
                });
                if !any_sco && !refs.is_empty() {
                    c.error_at(
                        "object_refs",
                        "STIX-OD-03",
                        "`object_refs` must refer to at least one cyber-observable".into(),
                    );
                }
            }
        }
        "relationship" => {
            if let Some(rt) = obj.get("relationship_type").and_then(JsonView::as_str) {
                if !vocab::is_lower_hyphenated(rt) {
                    c.error_at(
                        "relationship_type",
                        "STIX-REL-01",
                        format!("`relationship_type` `{rt}` may only contain a-z, 0-9 and `-`"),
                    );
                } else if !vocab::RELATIONSHIP_TYPE.contains(rt) {
                    c.warn_at(
                        "relationship_type",
                        "STIX-REL-03",
                        format!("`relationship_type` `{rt}` is not defined by the specification; use a spec name where one fits"),
                    );
                }
            }
            for p in ["source_ref", "target_ref"] {
                if let Some(t) = ref_type(obj, p) {
                    if matches!(
                        t,
                        "relationship"
                            | "sighting"
                            | "bundle"
                            | "language-content"
                            | "marking-definition"
                            | "extension-definition"
                    ) {
                        c.error_at(
                            p,
                            "STIX-REL-02",
                            format!("`{p}` must refer to an SDO or SCO, not to a `{t}`"),
                        );
                    }
                }
            }
        }
        "sighting" => {
            if let Some(t) = ref_type(obj, "sighting_of_ref") {
                let cat = props::category(t);
                if matches!(cat, Category::Sco | Category::Sro | Category::Meta) || t == "bundle" {
                    c.error_at(
                        "sighting_of_ref",
                        "STIX-SIG-01",
                        format!("`sighting_of_ref` must refer to an SDO, not to a `{t}`"),
                    );
                }
            }
        }
        "marking-definition" => check_marking_definition(c, obj),
        "extension-definition" => {
            if has("extension_properties") {
                let toplevel = obj
                    .get("extension_types")
                    .and_then(JsonView::as_array)
                    .is_some_and(|a| {
                        a.iter()
                            .any(|t| t.as_str() == Some("toplevel-property-extension"))
                    });
                if !toplevel {
                    c.error_at(
                        "extension_properties",
                        "STIX-EXT-06",
                        "`extension_properties` is only allowed when `extension_types` contains `toplevel-property-extension`".into(),
                    );
                }
            }
        }
        "language-content" => {
            if let Some(t) = ref_type(obj, "object_ref") {
                if t == "bundle" || t == "language-content" {
                    c.error_at(
                        "object_ref",
                        "STIX-ID-12",
                        format!("`object_ref` must not refer to a `{t}`"),
                    );
                }
            }
        }
        "artifact" => {
            let (bin, url) = (has("payload_bin"), has("url"));
            if bin && url {
                c.error_at(
                    "url",
                    "STIX-SCO-01",
                    "`payload_bin` and `url` must not both be present".into(),
                );
            }
            if url && !has("hashes") {
                c.error_at(
                    "hashes",
                    "STIX-SCO-01",
                    "`hashes` is required when `url` is present".into(),
                );
            }
            if has("decryption_key") && !has("encryption_algorithm") {
                c.error_at(
                    "decryption_key",
                    "STIX-SCO-01",
                    "`decryption_key` requires `encryption_algorithm`".into(),
                );
            }
        }
        "email-message" => {
            let multipart = obj.get("is_multipart").and_then(JsonView::as_bool);
            if multipart == Some(true) && has("body") {
                c.error_at(
                    "body",
                    "STIX-SCO-02",
                    "`body` is only allowed when `is_multipart` is false".into(),
                );
            }
            if multipart == Some(false) && has("body_multipart") {
                c.error_at(
                    "body_multipart",
                    "STIX-SCO-02",
                    "`body_multipart` is only allowed when `is_multipart` is true".into(),
                );
            }
            if let Some(parts) = obj.get("body_multipart").and_then(JsonView::as_array) {
                for (i, part) in parts.iter().enumerate() {
                    if part.get("body").is_some() == part.get("body_raw_ref").is_some() {
                        let m = c.push("body_multipart");
                        let m2 = c.push_index(i);
                        c.error(
                            "STIX-SCO-02",
                            "a MIME part needs exactly one of `body` and `body_raw_ref`".into(),
                        );
                        c.pop(m2);
                        c.pop(m);
                    }
                }
            }
        }
        "file" => {
            if !has("hashes") && !has("name") {
                c.error(
                    "STIX-SCO-03",
                    "a file needs at least one of `hashes` and `name`".into(),
                );
            }
        }
        "network-traffic" => {
            if !has("src_ref") && !has("dst_ref") {
                c.error(
                    "STIX-SCO-04",
                    "a network-traffic needs at least one of `src_ref` and `dst_ref`".into(),
                );
            }
            let active = obj.get("is_active").and_then(JsonView::as_bool);
            if active == Some(true) && has("end") {
                c.error_at(
                    "end",
                    "STIX-SCO-04",
                    "`end` must not be present when `is_active` is true".into(),
                );
            }
        }
        "url" => {
            if let Some(v) = obj.get("value").and_then(JsonView::as_str) {
                if let Err(e) = url::Url::parse(v) {
                    c.error_at(
                        "value",
                        "STIX-SCO-07",
                        format!("`value` `{}` is not a URL (RFC 3986): {e}", clip(v)),
                    );
                }
            }
        }
        "ipv4-addr" | "ipv6-addr" => {
            if let Some(v) = obj.get("value").and_then(JsonView::as_str) {
                if !is_ip_or_cidr(v, c.type_name == "ipv4-addr") {
                    c.error_at(
                        "value",
                        "STIX-SCO-08",
                        format!(
                            "`value` `{}` is not an {} address or CIDR block",
                            clip(v),
                            if c.type_name == "ipv4-addr" {
                                "IPv4"
                            } else {
                                "IPv6"
                            }
                        ),
                    );
                }
            }
        }
        "mac-addr" => {
            if let Some(v) = obj.get("value").and_then(JsonView::as_str) {
                let ok = v.len() == 17
                    && v.bytes().enumerate().all(|(i, b)| {
                        if i % 3 == 2 {
                            b == b':'
                        } else {
                            b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
                        }
                    });
                if !ok {
                    c.error_at("value", "STIX-SCO-05", format!("`value` `{v}` must be a lower-case, colon-delimited MAC-48 address with leading zeros"));
                }
            }
        }
        "process" | "user-account" | "windows-registry-key" | "x509-certificate" => {
            let specific = props::type_props(c.type_name).unwrap_or(&[]);
            let any = obj.as_object().unwrap_or(&[]).iter().any(|(k, _)| {
                specific.iter().any(|(n, _, _)| *n == k.as_ref()) || k == "extensions"
            });
            if !any {
                c.error(
                    "STIX-SCO-06",
                    format!(
                        "a `{}` must have at least one of its own properties",
                        c.type_name
                    ),
                );
            }
        }
        "indicator" => check_pattern(c, obj),
        _ => {}
    }
    if c.version == SpecVersion::V21 {
        check_vocab_suggestions(c, obj);
    }
}

/// Open-vocabulary properties not covered by a specific kind (none today;
/// kept as the place for cross-property vocabulary advice).
fn check_vocab_suggestions(_c: &mut Checker<'_>, _obj: &JsonView<'_>) {}

fn is_ip_or_cidr(v: &str, v4: bool) -> bool {
    let (addr, prefix) = match v.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (v, None),
    };
    let (ok, max) = if v4 {
        (addr.parse::<std::net::Ipv4Addr>().is_ok(), 32)
    } else {
        (addr.parse::<std::net::Ipv6Addr>().is_ok(), 128)
    };
    ok && prefix_ok(prefix, max)
}

fn prefix_ok(prefix: Option<&str>, max: u32) -> bool {
    match prefix {
        None => true,
        Some(p) => {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= max)
        }
    }
}

fn ref_type<'v>(obj: &'v JsonView<'_>, prop: &str) -> Option<&'v str> {
    obj.get(prop)?.as_str()?.split_once("--").map(|(t, _)| t)
}

fn check_marking_definition(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let has_ext = obj.get("extensions").is_some();
    let dtype = obj.get("definition_type").and_then(JsonView::as_str);
    if !has_ext {
        for p in ["definition_type", "definition"] {
            if obj.get(p).is_none() {
                c.error_at(
                    p,
                    "STIX-MK-02",
                    format!("`{p}` is required on a marking-definition without `extensions`"),
                );
            }
        }
    }
    match dtype {
        Some("statement") => {
            if obj
                .get("definition")
                .and_then(|d| d.get("statement"))
                .and_then(JsonView::as_str)
                .is_none()
            {
                c.error_at(
                    "definition",
                    "STIX-MK-03",
                    "a statement marking needs `definition` {\"statement\": \"...\"}".into(),
                );
            }
        }
        Some("tlp") => {
            for (prop, msg) in tlp::tlp1_deviations(obj) {
                c.error_at(prop, "STIX-MK-04", msg);
            }
        }
        _ => {}
    }
}

fn check_pattern(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let pattern_type = obj.get("pattern_type").and_then(JsonView::as_str);
    let is_stix = match c.version {
        SpecVersion::V20 => true,
        SpecVersion::V21 => pattern_type == Some("stix"),
    };
    if !is_stix || !c.opts.check_patterns {
        return;
    }
    let Some(pattern) = obj.get("pattern").and_then(JsonView::as_str) else {
        return;
    };
    let m = c.push("pattern");
    super::pattern::check(c, pattern);
    c.pop(m);
}

fn check_ordering(c: &mut Checker<'_>, obj: &JsonView<'_>) {
    let pairs: &[(&str, &str, bool)] = match c.type_name {
        "campaign" | "infrastructure" | "intrusion-set" | "malware" | "threat-actor"
        | "sighting" => &[("first_seen", "last_seen", false)],
        "indicator" => &[("valid_from", "valid_until", true)],
        "observed-data" => &[("first_observed", "last_observed", false)],
        "relationship" => &[("start_time", "stop_time", true)],
        "network-traffic" => &[("start", "end", false)],
        "malware-analysis" => &[("analysis_started", "analysis_ended", false)],
        "x509-certificate" => &[("validity_not_before", "validity_not_after", false)],
        _ => &[],
    };
    let ts = |p: &str| {
        obj.get(p)
            .and_then(JsonView::as_str)
            .and_then(|s| Timestamp::parse(s).ok())
    };
    let versioned = matches!(c.category, Category::Sdo | Category::Sro | Category::Custom)
        || c.type_name == "language-content"
        || c.type_name == "extension-definition";
    if versioned {
        if let (Some(a), Some(b)) = (ts("created"), ts("modified")) {
            if b < a {
                c.error_at(
                    "modified",
                    "STIX-TS-05",
                    format!(
                        "`modified` {} is earlier than `created` {}",
                        b.as_str(),
                        a.as_str()
                    ),
                );
            }
        }
    }
    for &(early, late, strict) in pairs {
        if let (Some(a), Some(b)) = (ts(early), ts(late)) {
            let bad = if strict { b <= a } else { b < a };
            if bad {
                c.error_at(
                    late,
                    "STIX-TS-10",
                    format!(
                        "`{late}` {} must be {} `{early}` {}",
                        b.as_str(),
                        if strict {
                            "later than"
                        } else {
                            "no earlier than"
                        },
                        a.as_str()
                    ),
                );
            }
        }
    }
}
