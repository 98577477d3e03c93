//! Turning JSON text into typed objects, one object at a time.
//!
//! The `type` of an object is found by a quick scan of its text (it is
//! nearly always the first key), then the object is read straight into its
//! struct. Only when that fails is the object read again, with path
//! tracking, to say exactly where the fault is — the fast path pays nothing
//! for error reporting.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diagnostic::{pointer_escape, Diagnostic};
use crate::error::Error;
use crate::object::StixObject;
use crate::spec_version::SpecVersion;

/// Rule id of a value that does not fit the typed model (wrong JSON type,
/// missing `id`, repeated key…). More specific faults use the checklist's
/// ids: `STIX-TS-01/02/03` for timestamps, `STIX-ID-01` for identifiers,
/// `STIX-VAL-09` for enumeration values, `STIX-VAL-07` for `null`.
pub const RULE_PARSE: &str = "STIX-PARSE-01";
/// Rule id of an element of `objects` that is not a JSON object or has no
/// string `type`.
pub const RULE_NOT_OBJECT: &str = "STIX-PARSE-02";
/// Rule id of a bundle-level property of the wrong JSON type.
pub const RULE_BUNDLE_SHAPE: &str = "STIX-PARSE-03";
/// Rule id of a `null` property value (STIX-VAL-07).
pub const RULE_NULL: &str = "STIX-VAL-07";

/// A position in the input: byte offset (0-based), line and column
/// (1-based, column counted in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Byte offset from the start of the input.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
}

impl Position {
    /// The start of the input.
    pub const START: Position = Position {
        offset: 0,
        line: 1,
        column: 1,
    };

    /// Translate a (line, column) reported by serde_json for a slice that
    /// starts at `self` into an absolute position.
    pub(crate) fn relative(self, line: usize, column: usize) -> (u64, u64) {
        let line = line.max(1) as u64;
        if line == 1 {
            (self.line, self.column + (column as u64).saturating_sub(1))
        } else {
            (self.line + line - 1, column as u64)
        }
    }
}

/// What one element of a bundle's `objects` (or a lone object) turned into.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemObject {
    /// The typed object.
    Typed(StixObject),
    /// The element could not be read into the typed model; here it is as
    /// JSON, and the item's diagnostics say why.
    Raw(Value),
}

/// One element of a bundle's `objects` (or a lone object), with where it
/// was and what was found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedItem {
    /// Index in `objects` (0 for a lone object).
    pub index: usize,
    /// JSON Pointer of the element in the document (`/objects/17`, or the
    /// empty string for a lone object).
    pub path: String,
    /// Where the element starts in the input.
    pub position: Position,
    /// The detected STIX version of the object (checklist §11).
    pub spec_version: SpecVersion,
    /// The object, typed or raw.
    pub object: ItemObject,
    /// Parse-level findings (empty for a typed object).
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedItem {
    /// The typed object, if the element could be read.
    pub fn typed(&self) -> Option<&StixObject> {
        match &self.object {
            ItemObject::Typed(o) => Some(o),
            ItemObject::Raw(_) => None,
        }
    }

    /// The element as JSON (for a typed object, its serialisation, which
    /// equals the input).
    pub fn to_value(&self) -> Value {
        match &self.object {
            ItemObject::Typed(o) => o.to_value(),
            ItemObject::Raw(v) => v.clone(),
        }
    }

    /// The `id` as written, when there is a string one.
    pub fn object_id(&self) -> Option<&str> {
        match &self.object {
            ItemObject::Typed(o) => Some(o.id().as_str()),
            ItemObject::Raw(v) => v.get("id").and_then(Value::as_str),
        }
    }

    /// The `type` as written, when there is a string one.
    pub fn type_name(&self) -> Option<&str> {
        match &self.object {
            ItemObject::Typed(o) => Some(o.type_name()),
            ItemObject::Raw(v) => v.get("type").and_then(Value::as_str),
        }
    }
}

/// Map a failed serde_json read of a slice starting at `start` to a fatal
/// syntax error, if it is one (bad JSON, bad UTF-8, nesting too deep).
pub(crate) fn syntax_error(e: &serde_json::Error, start: Position) -> Option<Error> {
    if e.is_data() || beyond_parser_limits(e) {
        return None;
    }
    let (line, column) = start.relative(e.line(), e.column());
    // serde_json appends " at line L column C" (relative): drop it.
    let msg = e.to_string();
    let message = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    };
    Some(Error::Json {
        message,
        line,
        column,
    })
}

/// Grammatical JSON that the parser refuses for its own limits: a number
/// too large for a float (`1e400`), nesting deeper than 128. Inside a
/// bundle such an element is cut out whole by the reader, so it is one bad
/// object, not a fault of the document.
fn beyond_parser_limits(e: &serde_json::Error) -> bool {
    let m = e.to_string();
    m.starts_with("number out of range") || m.starts_with("recursion limit exceeded")
}

/// Scan the top level of a JSON object for its `type` (and, when asked,
/// whether it has `objects`) without building anything. `None` when the
/// text is not a simple JSON object; the caller then falls back to a full
/// parse, which gives the proper error.
pub(crate) struct TopScan<'a> {
    pub type_name: Option<Cow<'a, str>>,
    pub has_objects: bool,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `i` is at an opening quote; returns the index after the closing quote
/// and whether the string has escapes.
fn skip_string(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    i += 1;
    let mut escaped = false;
    loop {
        let j = i + memchr::memchr2(b'"', b'\\', &b[i..])?;
        if b[j] == b'"' {
            return Some((j + 1, escaped));
        }
        escaped = true;
        i = j + 2;
        if i > b.len() {
            return None;
        }
    }
}

fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i).map(|(e, _)| e),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = i;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_string(b, i)?.0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = i;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            Some(i)
        }
    }
}

fn decode_str(raw: &[u8], escaped: bool) -> Option<Cow<'_, str>> {
    let inner = &raw[1..raw.len() - 1];
    if escaped {
        serde_json::from_slice::<String>(raw).ok().map(Cow::Owned)
    } else {
        std::str::from_utf8(inner).ok().map(Cow::Borrowed)
    }
}

pub(crate) fn scan_top(b: &[u8], want_objects: bool) -> Option<TopScan<'_>> {
    let mut out = TopScan {
        type_name: None,
        has_objects: false,
    };
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (kend, kesc) = skip_string(b, i)?;
        let key = decode_str(&b[i..kend], kesc)?;
        i = skip_ws(b, kend);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let vend = skip_value(b, i)?;
        if key == "type" && out.type_name.is_none() {
            if b[i] == b'"' {
                let esc = b[i..vend].contains(&b'\\');
                out.type_name = Some(decode_str(&b[i..vend], esc)?);
            } else {
                return None;
            }
            if !want_objects || out.has_objects {
                return Some(out);
            }
        } else if key == "objects" {
            out.has_objects = true;
            if out.type_name.is_some() {
                return Some(out);
            }
        }
        i = skip_ws(b, vend);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

/// Convert a serde_path_to_error path into a JSON Pointer suffix and a
/// dotted form for messages.
fn path_strings(path: &serde_path_to_error::Path) -> (String, String) {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    let mut dotted = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
                dotted.push_str(&format!("[{index}]"));
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&pointer_escape(key));
                if !dotted.is_empty() {
                    dotted.push('.');
                }
                dotted.push_str(key);
            }
            Segment::Enum { variant } => {
                if !dotted.is_empty() {
                    dotted.push('.');
                }
                dotted.push_str(variant);
            }
            Segment::Unknown => {}
        }
    }
    (pointer, dotted)
}

/// Why one object could not be typed: path suffix (JSON Pointer relative
/// to the object), rule, message, absolute line/column.
pub(crate) struct ObjectFault {
    pub pointer: String,
    pub rule: &'static str,
    pub message: String,
    pub line: u64,
    pub column: u64,
}

/// Outcome of reading one object's text.
pub(crate) enum ObjectRead {
    Typed(StixObject),
    Fault(ObjectFault),
}

/// Read one object's text into the typed model. `Err` only for syntax
/// errors (fatal); type mismatches come back as `ObjectRead::Fault`.
pub(crate) fn read_object(bytes: &[u8], start: Position) -> Result<ObjectRead, Error> {
    let type_name: Cow<'_, str> = match scan_top(bytes, false) {
        Some(TopScan {
            type_name: Some(t), ..
        }) => t,
        _ => {
            // Not a plain object with a string `type`: parse fully to find
            // out what it is (and get the syntax error, if that is it).
            let v: Value = match serde_json::from_slice(bytes) {
                Ok(v) => v,
                Err(e) => {
                    if let Some(fatal) = syntax_error(&e, start) {
                        return Err(fatal);
                    }
                    // Beyond the parser's limits: this element is invalid,
                    // the document goes on.
                    let (line, column) = start.relative(e.line(), e.column());
                    let mut message = e.to_string();
                    if let Some(i) = message.rfind(" at line ") {
                        message.truncate(i);
                    }
                    return Ok(ObjectRead::Fault(ObjectFault {
                        pointer: String::new(),
                        rule: RULE_PARSE,
                        message,
                        line,
                        column,
                    }));
                }
            };
            let message = match &v {
                Value::Object(m) => match m.get("type") {
                    None => "missing property `type`".to_owned(),
                    Some(Value::String(_)) => {
                        // The scanner gave up on an unusual layout; read the
                        // object through the tracked path below.
                        return read_tracked(v["type"].as_str().unwrap_or(""), bytes, start);
                    }
                    Some(other) => format!("`type`: expected a string, found {}", json_kind(other)),
                },
                other => format!("expected a JSON object, found {}", json_kind(other)),
            };
            return Ok(ObjectRead::Fault(ObjectFault {
                pointer: String::new(),
                rule: RULE_NOT_OBJECT,
                message,
                line: start.line,
                column: start.column,
            }));
        }
    };
    match StixObject::from_slice_typed(&type_name, bytes) {
        Ok(o) => Ok(ObjectRead::Typed(o)),
        Err(e) => {
            if let Some(fatal) = syntax_error(&e, start) {
                return Err(fatal);
            }
            read_tracked(&type_name, bytes, start)
        }
    }
}

fn read_tracked(type_name: &str, bytes: &[u8], start: Position) -> Result<ObjectRead, Error> {
    match StixObject::from_slice_tracked(type_name, bytes) {
        Ok(o) => Ok(ObjectRead::Typed(o)),
        Err(e) => {
            let (pointer, dotted) = path_strings(e.path());
            let inner = e.inner();
            if let Some(fatal) = syntax_error(inner, start) {
                return Err(fatal);
            }
            let (line, column) = start.relative(inner.line(), inner.column());
            let mut text = inner.to_string();
            if let Some(i) = text.rfind(" at line ") {
                text.truncate(i);
            }
            let rule = classify(&text);
            let message = if dotted.is_empty() {
                text
            } else {
                format!("`{dotted}`: {text}")
            };
            Ok(ObjectRead::Fault(ObjectFault {
                pointer,
                rule,
                message,
                line,
                column,
            }))
        }
    }
}

/// The most specific rule id for a parse failure message.
fn classify(text: &str) -> &'static str {
    if text.starts_with("invalid type: null") {
        RULE_NULL
    } else if text.starts_with("invalid timestamp") {
        if text.contains("upper-case Z (no offsets)") {
            "STIX-TS-02"
        } else if text.contains("out of range") {
            "STIX-TS-03"
        } else {
            "STIX-TS-01"
        }
    } else if text.starts_with("invalid identifier") {
        "STIX-ID-01"
    } else if text.contains("(expected one of:") {
        "STIX-VAL-09"
    } else {
        RULE_PARSE
    }
}

pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Detect the version of a raw (untyped) element.
pub(crate) fn detect_raw(v: &Value, bundle: Option<SpecVersion>) -> SpecVersion {
    let m = v.as_object();
    let get = |k: &str| m.and_then(|m| m.get(k));
    SpecVersion::of_object(
        get("type").and_then(Value::as_str).unwrap_or(""),
        get("spec_version").and_then(Value::as_str),
        get("id").is_some(),
        get("created").is_some(),
        bundle,
    )
}

/// Detect the version of a typed object.
pub(crate) fn detect_typed(o: &StixObject, bundle: Option<SpecVersion>) -> SpecVersion {
    SpecVersion::of_object(
        o.type_name(),
        o.spec_version(),
        true,
        o.created().is_some(),
        bundle,
    )
}

/// Build the item for one element's text (syntax errors are fatal).
pub(crate) fn make_item(
    bytes: &[u8],
    index: usize,
    path: String,
    start: Position,
    bundle: Option<SpecVersion>,
) -> Result<ParsedItem, Error> {
    match read_object(bytes, start)? {
        ObjectRead::Typed(o) => Ok(ParsedItem {
            index,
            path,
            position: start,
            spec_version: detect_typed(&o, bundle),
            object: ItemObject::Typed(o),
            diagnostics: Vec::new(),
        }),
        ObjectRead::Fault(f) => {
            // The text was well-formed JSON (syntax errors returned above).
            let raw: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            let object_id = raw.get("id").and_then(Value::as_str);
            let mut d =
                Diagnostic::error(object_id, format!("{path}{}", f.pointer), f.rule, f.message);
            d.line = Some(f.line);
            d.column = Some(f.column);
            Ok(ParsedItem {
                index,
                path,
                position: start,
                spec_version: detect_raw(&raw, bundle),
                diagnostics: vec![d],
                object: ItemObject::Raw(raw),
            })
        }
    }
}

/// Build the item for one element already parsed into a view (which the
/// validator reads too): the typed model is read from the view, without
/// tokenizing the text again. Anything the view cannot give exactly as the
/// text would (a failure, an unusual layout) is read from `bytes`.
pub(crate) fn make_item_from_view(
    view: &crate::json_view::JsonView<'_>,
    bytes: &[u8],
    index: usize,
    path: String,
    start: Position,
    bundle: Option<SpecVersion>,
) -> Result<ParsedItem, Error> {
    let typed = view
        .get("type")
        .and_then(crate::json_view::JsonView::as_str)
        .and_then(|t| StixObject::from_view_typed(t, view).ok());
    match typed {
        Some(o) => Ok(ParsedItem {
            index,
            path,
            position: start,
            spec_version: detect_typed(&o, bundle),
            object: ItemObject::Typed(o),
            diagnostics: Vec::new(),
        }),
        None => make_item(bytes, index, path, start, bundle),
    }
}

/// Read one STIX object (not a bundle) from JSON text.
///
/// A value that does not fit the typed model gives [`Error::Object`] with
/// the JSON Pointer of the offending property (for example
/// `/external_references/0/url`) and a message naming it.
pub fn parse_object(input: &[u8]) -> Result<StixObject, Error> {
    match read_object(input, Position::START)? {
        ObjectRead::Typed(o) => Ok(o),
        ObjectRead::Fault(f) => Err(Error::Object {
            path: f.pointer,
            rule: f.rule.to_owned(),
            message: f.message,
            line: Some(f.line),
            column: Some(f.column),
        }),
    }
}

/// Read one STIX object from a `&str`.
pub fn parse_object_str(input: &str) -> Result<StixObject, Error> {
    parse_object(input.as_bytes())
}

/// The bundle-level properties of a bundle (everything but `objects`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BundleHeader {
    /// `type` as written (`"bundle"` when valid).
    pub type_name: Option<String>,
    /// `id` as written (not checked here; see [`crate::Identifier::parse`]).
    pub id: Option<String>,
    /// `spec_version`, which only STIX 2.0 bundles carry.
    pub spec_version: Option<String>,
    /// True when an `objects` array was present (even empty).
    pub has_objects: bool,
    /// Number of elements of `objects` read so far.
    pub object_count: usize,
    /// Every other bundle-level property, verbatim (including `type`, `id`,
    /// `spec_version` or `objects` when they have the wrong JSON type).
    pub custom: Map<String, Value>,
    /// Findings about the bundle-level properties.
    pub diagnostics: Vec<Diagnostic>,
}

impl BundleHeader {
    /// The version of the bundle: 2.0 when it carries `spec_version`.
    pub fn detected_version(&self) -> SpecVersion {
        SpecVersion::of_bundle(self.spec_version.as_deref())
    }

    pub(crate) fn set(&mut self, key: String, value: Value) {
        let slot = match key.as_str() {
            "type" => &mut self.type_name,
            "id" => &mut self.id,
            "spec_version" => &mut self.spec_version,
            _ => {
                self.custom.insert(key, value);
                return;
            }
        };
        match value {
            Value::String(s) => *slot = Some(s),
            other => {
                self.diagnostics.push(Diagnostic::error(
                    None,
                    format!("/{key}"),
                    RULE_BUNDLE_SHAPE,
                    format!(
                        "bundle `{key}` must be a string, found {}",
                        json_kind(&other)
                    ),
                ));
                self.custom.insert(key, other);
            }
        }
    }
}

/// A whole document read at once: a bundle, or a single object.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// The bundle-level properties; `None` when the document is a single
    /// object rather than a bundle.
    pub bundle: Option<BundleHeader>,
    /// Every element of `objects` in order (or the single object).
    pub items: Vec<ParsedItem>,
}

impl ParsedDocument {
    /// The typed objects, in order, skipping elements that could not be read.
    pub fn objects(&self) -> impl Iterator<Item = &StixObject> {
        self.items.iter().filter_map(ParsedItem::typed)
    }

    /// Every diagnostic of the bundle header and of every item.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.bundle
            .iter()
            .flat_map(|b| b.diagnostics.iter())
            .chain(self.items.iter().flat_map(|i| i.diagnostics.iter()))
    }

    /// The version of the document: of the bundle, or of the single object.
    pub fn spec_version(&self) -> SpecVersion {
        match &self.bundle {
            Some(b) => b.detected_version(),
            None => self
                .items
                .first()
                .map_or(SpecVersion::V21, |i| i.spec_version),
        }
    }

    /// The document as JSON again (equal to the input for content that was
    /// read; bundle keys in canonical order).
    pub fn to_value(&self) -> Value {
        match &self.bundle {
            None => self.items.first().map_or(Value::Null, ParsedItem::to_value),
            Some(h) => {
                let mut m = h.custom.clone();
                if let Some(t) = &h.type_name {
                    m.insert("type".into(), Value::String(t.clone()));
                }
                if let Some(t) = &h.id {
                    m.insert("id".into(), Value::String(t.clone()));
                }
                if let Some(t) = &h.spec_version {
                    m.insert("spec_version".into(), Value::String(t.clone()));
                }
                if h.has_objects {
                    m.insert(
                        "objects".into(),
                        Value::Array(self.items.iter().map(ParsedItem::to_value).collect()),
                    );
                }
                Value::Object(m)
            }
        }
    }
}

/// Read a whole bundle from memory. Every element of `objects` comes back
/// as a [`ParsedItem`]: typed, or raw with diagnostics; a bad element never
/// hides the good ones. Malformed JSON is an [`Error::Json`] with line and
/// column.
pub fn parse_bundle(input: &[u8]) -> Result<ParsedDocument, Error> {
    let mut reader = crate::reader::BundleReader::new(input);
    let mut items = Vec::new();
    for item in reader.by_ref() {
        items.push(item?);
    }
    let header = reader.into_header();
    // A `spec_version` after `objects` makes it a 2.0 bundle after all.
    if header.spec_version.is_some() {
        for it in &mut items {
            it.spec_version = match &it.object {
                ItemObject::Typed(o) => detect_typed(o, Some(SpecVersion::V20)),
                ItemObject::Raw(v) => detect_raw(v, Some(SpecVersion::V20)),
            };
        }
    }
    Ok(ParsedDocument {
        bundle: Some(header),
        items,
    })
}

/// Read a whole bundle from a `&str`.
pub fn parse_bundle_str(input: &str) -> Result<ParsedDocument, Error> {
    parse_bundle(input.as_bytes())
}

/// Read a document that is either a bundle (`"type": "bundle"`, or no
/// `type` but an `objects` array) or a single object.
pub fn parse_document(input: &[u8]) -> Result<ParsedDocument, Error> {
    let is_bundle = match scan_top(input, true) {
        Some(s) => match s.type_name.as_deref() {
            Some(t) => t == "bundle",
            None => s.has_objects,
        },
        // Not a plain JSON object: let the bundle reader report why.
        None => true,
    };
    if is_bundle {
        return parse_bundle(input);
    }
    // serde_json reports positions relative to the slice, which is the
    // whole input here.
    let item = make_item(input, 0, String::new(), Position::START, None)?;
    Ok(ParsedDocument {
        bundle: None,
        items: vec![item],
    })
}
