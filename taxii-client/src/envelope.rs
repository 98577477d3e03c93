//! Envelopes and the objects in them.
//!
//! An envelope is read member by member and every object is examined on its
//! own, so that one bad object never costs the rest of the page: it is kept
//! (when it is a JSON object at all) and reported in [`Page::problems`].
//! Objects keep their exact JSON text, so unknown types and properties
//! survive untouched (C4.9).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::timestamp::Timestamp;

/// One STIX object as the server sent it.
#[derive(Clone)]
pub struct Object {
    raw: Box<RawValue>,
    id: Option<String>,
    object_type: Option<String>,
    version: Option<String>,
    spec_version: Option<String>,
}

#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow, default)]
    id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, rename = "type")]
    object_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    modified: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    created: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    spec_version: Option<std::borrow::Cow<'a, str>>,
}

impl std::fmt::Debug for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Object")
            .field("id", &self.id)
            .field("type", &self.object_type)
            .field("version", &self.version)
            .finish()
    }
}

impl PartialEq for Object {
    fn eq(&self, other: &Self) -> bool {
        self.raw.get() == other.raw.get()
    }
}

impl Object {
    /// Reads one object from JSON text. Fails only if the text is not a JSON
    /// object; missing `id`/`type` are reported by [`Object::check`].
    pub fn from_json(text: &str) -> Result<Object> {
        let raw =
            RawValue::from_string(text.trim().to_string()).map_err(|e| Error::InvalidArgument {
                message: format!("not JSON: {e}"),
            })?;
        Object::from_raw(raw).map_err(|message| Error::InvalidArgument { message })
    }

    /// Wraps a `serde_json::Value` (which must be a JSON object).
    pub fn from_value(v: &Value) -> Result<Object> {
        Object::from_json(&v.to_string())
    }

    fn from_raw(raw: Box<RawValue>) -> std::result::Result<Object, String> {
        if !raw.get().starts_with('{') {
            return Err("entry is not a JSON object".to_string());
        }
        let head: Head<'_> =
            serde_json::from_str(raw.get()).map_err(|e| format!("unreadable object: {e}"))?;
        let version = head.modified.as_deref().or(head.created.as_deref());
        Ok(Object {
            id: head.id.as_deref().map(str::to_string),
            object_type: head.object_type.as_deref().map(str::to_string),
            version: version.map(str::to_string),
            spec_version: head.spec_version.as_deref().map(str::to_string),
            raw,
        })
    }

    /// The exact JSON text received (one line if the server sent one line).
    pub fn json(&self) -> &str {
        self.raw.get()
    }
    /// `id`, when present and a string.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// `type`, when present and a string.
    pub fn object_type(&self) -> Option<&str> {
        self.object_type.as_deref()
    }
    /// The version: `modified`, else `created`, else `None` (SCOs).
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    /// `spec_version` (absent for STIX 2.0 objects).
    pub fn spec_version(&self) -> Option<&str> {
        self.spec_version.as_deref()
    }
    /// The object as a `serde_json::Value` (parses the text).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(self.raw.get()).unwrap_or(Value::Null)
    }
    /// The object in `stix-core`'s typed model. Parsing is done on demand, per
    /// object, so that one object the model rejects never costs the page;
    /// the error names the offending property by JSON Pointer. The raw text
    /// ([`json`](Self::json)) stays available either way.
    pub fn parse(&self) -> std::result::Result<stix_core::StixObject, stix_core::Error> {
        stix_core::parse_object_str(self.raw.get())
    }

    /// Wraps a typed `stix-core` object (for publishing).
    pub fn from_stix(o: &stix_core::StixObject) -> Result<Object> {
        Object::from_value(&o.to_value())
    }

    /// The key used to recognise the same object version twice.
    pub fn key(&self) -> (String, String) {
        (
            self.id
                .clone()
                .unwrap_or_else(|| self.raw.get().to_string()),
            self.version.clone().unwrap_or_default(),
        )
    }
    /// Problems that make this object unusable as STIX (missing id/type).
    pub fn check(&self) -> Option<String> {
        match (&self.id, &self.object_type) {
            (Some(_), Some(_)) => None,
            (None, _) => Some("object has no string `id`".into()),
            (_, None) => Some("object has no string `type`".into()),
        }
    }
}

impl Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

/// Something wrong with one entry of a page. The page itself is still good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectProblem {
    /// Position in the page's list (0-based).
    pub index: usize,
    /// JSON Pointer of the entry in the response, e.g. `/objects/3`.
    pub pointer: String,
    /// The object's id, when readable.
    pub object_id: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The entry's JSON text when it was dropped (not a JSON object).
    pub raw: Option<String>,
}

/// One page of a paginated endpoint, with the per-page headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in server order, minus duplicates of the previous page.
    pub items: Vec<T>,
    /// `more` (absent means `false`).
    pub more: bool,
    /// `next`, when the server sent one.
    pub next: Option<String>,
    /// `X-TAXII-Date-Added-First`.
    pub date_added_first: Option<Timestamp>,
    /// `X-TAXII-Date-Added-Last`.
    pub date_added_last: Option<Timestamp>,
    /// Entries that could not be used as they are.
    pub problems: Vec<ObjectProblem>,
    /// Envelope-level anomalies (non-standard members holding objects, a
    /// bundle instead of an envelope, unparsable date headers...).
    pub warnings: Vec<String>,
    /// Unknown members of the envelope, preserved.
    pub extra: Map<String, Value>,
    /// Items dropped because the previous page already delivered them.
    pub duplicates_dropped: usize,
}

impl<T> Page<T> {
    fn empty() -> Page<T> {
        Page {
            items: Vec::new(),
            more: false,
            next: None,
            date_added_first: None,
            date_added_last: None,
            problems: Vec::new(),
            warnings: Vec::new(),
            extra: Map::new(),
            duplicates_dropped: 0,
        }
    }
}

/// What can be paginated: envelope objects, manifest records, versions.
pub trait Item: Sized + Clone + Send {
    /// The envelope member that holds the list (`objects` or `versions`).
    const MEMBER: &'static str;
    /// Resource name for error messages.
    const RESOURCE: &'static str;
    /// Converts one raw entry.
    fn from_entry(raw: &RawValue) -> std::result::Result<Self, String>;
    /// (id, version): equal keys are the same object version.
    fn key(&self) -> (String, String);
    /// Problem worth reporting although the item is kept.
    fn check(&self) -> Option<String> {
        None
    }
}

impl Item for Object {
    const MEMBER: &'static str = "objects";
    const RESOURCE: &'static str = "envelope";
    fn from_entry(raw: &RawValue) -> std::result::Result<Self, String> {
        Object::from_raw(raw.to_owned())
    }
    fn key(&self) -> (String, String) {
        Object::key(self)
    }
    fn check(&self) -> Option<String> {
        Object::check(self)
    }
}

impl Item for crate::resources::ManifestRecord {
    const MEMBER: &'static str = "objects";
    const RESOURCE: &'static str = "manifest";
    fn from_entry(raw: &RawValue) -> std::result::Result<Self, String> {
        serde_json::from_str(raw.get()).map_err(|e| format!("bad manifest record: {e}"))
    }
    fn key(&self) -> (String, String) {
        (self.id.clone(), self.version.clone())
    }
}

/// A version string from the versions endpoint.
impl Item for String {
    const MEMBER: &'static str = "versions";
    const RESOURCE: &'static str = "versions resource";
    fn from_entry(raw: &RawValue) -> std::result::Result<Self, String> {
        serde_json::from_str(raw.get()).map_err(|e| format!("bad version: {e}"))
    }
    fn key(&self) -> (String, String) {
        (String::new(), self.clone())
    }
}

/// Parses one page body. `url` is for messages; `strict` turns envelope
/// anomalies into errors.
pub(crate) fn parse_page<T: Item>(
    body: &[u8],
    url: &str,
    first: Option<&str>,
    last: Option<&str>,
    strict: bool,
) -> Result<Page<T>> {
    let malformed = |message: String| Error::MalformedResponse {
        url: url.to_string(),
        resource: T::RESOURCE.to_string(),
        message,
    };
    let mut page = Page::empty();
    let text = std::str::from_utf8(body).map_err(|e| malformed(format!("not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        // Some servers send an empty body for "no results".
        page.warnings
            .push("empty body read as an empty page".into());
        return Ok(page);
    }
    let members: HashMap<&str, &RawValue> =
        serde_json::from_str(text).map_err(|e| malformed(format!("{e}")))?;
    let mut list: Option<&RawValue> = None;
    for (k, v) in &members {
        match *k {
            "more" => {
                page.more = match serde_json::from_str::<Value>(v.get()) {
                    Ok(Value::Bool(b)) => b,
                    Ok(Value::Null) => false,
                    _ => return Err(malformed(format!("/more is not a boolean: {}", v.get()))),
                }
            }
            "next" => {
                page.next = match serde_json::from_str::<Value>(v.get()) {
                    Ok(Value::String(s)) if !s.is_empty() => Some(s),
                    Ok(Value::Number(n)) => Some(n.to_string()),
                    Ok(Value::String(_)) | Ok(Value::Null) => None,
                    _ => return Err(malformed(format!("/next is not a string: {}", v.get()))),
                }
            }
            k if k == T::MEMBER => list = Some(v),
            _ => {
                let value: Value =
                    serde_json::from_str(v.get()).map_err(|e| malformed(e.to_string()))?;
                page.extra.insert(k.to_string(), value);
            }
        }
    }
    if let Some(list) = list {
        let entries: Vec<&RawValue> = serde_json::from_str(list.get())
            .map_err(|e| malformed(format!("/{} is not a list: {e}", T::MEMBER)))?;
        page.items.reserve(entries.len());
        for (index, raw) in entries.into_iter().enumerate() {
            let pointer = format!("/{}/{index}", T::MEMBER);
            match T::from_entry(raw) {
                Ok(item) => {
                    if let Some(message) = item.check() {
                        page.problems.push(ObjectProblem {
                            index,
                            pointer,
                            object_id: Some(item.key().0).filter(|k| !k.starts_with('{')),
                            message,
                            raw: None,
                        });
                    }
                    page.items.push(item);
                }
                Err(message) => page.problems.push(ObjectProblem {
                    index,
                    pointer,
                    object_id: None,
                    message,
                    raw: Some(raw.get().to_string()),
                }),
            }
        }
    }
    check_anomalies(&mut page, list.is_some(), url, strict)?;
    for (name, value, slot) in [
        (
            "X-TAXII-Date-Added-First",
            first,
            &mut page.date_added_first,
        ),
        ("X-TAXII-Date-Added-Last", last, &mut page.date_added_last),
    ] {
        if let Some(v) = value {
            match Timestamp::parse(v) {
                Ok(t) => *slot = Some(t),
                Err(_) => page
                    .warnings
                    .push(format!("ignoring unparsable {name}: {v:?}")),
            }
        }
    }
    Ok(page)
}

fn check_anomalies<T>(page: &mut Page<T>, has_list: bool, url: &str, strict: bool) -> Result<()> {
    if page.extra.get("type").and_then(Value::as_str) == Some("bundle") {
        if strict {
            return Err(Error::MalformedEnvelope {
                url: url.to_string(),
                member: "type".into(),
                count: page.items.len(),
            });
        }
        page.warnings.push(
            "the server sent a STIX bundle where a TAXII envelope belongs; \
             its objects were read"
                .into(),
        );
    }
    if has_list {
        return Ok(());
    }
    // No list member: legal for "no results", but a list of STIX-looking
    // objects under another name means the server used the wrong key.
    let suspicious = page.extra.iter().find_map(|(k, v)| {
        let arr = v.as_array()?;
        let stixy = !arr.is_empty()
            && arr
                .iter()
                .all(|o| o.get("type").is_some() || o.get("id").is_some());
        stixy.then(|| (k.clone(), arr.len()))
    });
    if let Some((member, count)) = suspicious {
        if strict {
            return Err(Error::MalformedEnvelope {
                url: url.to_string(),
                member,
                count,
            });
        }
        page.warnings.push(format!(
            "the envelope has no `objects` but its member {member:?} holds {count} \
             STIX-looking entries; they are kept in the page's `extra`, not read as objects"
        ));
    }
    Ok(())
}

/// Builds request bodies `{"objects":[...]}`, each at most `max_bytes` long,
/// keeping the objects' order and exact text.
pub fn split_envelopes(objects: &[Object], max_bytes: u64) -> Result<Vec<Vec<u8>>> {
    const HEAD: &[u8] = b"{\"objects\":[";
    const TAIL: &[u8] = b"]}";
    let overhead = (HEAD.len() + TAIL.len()) as u64;
    for (i, o) in objects.iter().enumerate() {
        let size = overhead + o.json().len() as u64;
        if size > max_bytes {
            return Err(Error::ObjectTooLarge {
                object_id: o
                    .id()
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("#{i}")),
                size,
                max: max_bytes,
            });
        }
    }
    let mut out = Vec::new();
    let mut cur: Vec<u8> = HEAD.to_vec();
    let mut n = 0usize;
    for o in objects {
        let add = o.json().len() as u64 + u64::from(n > 0);
        if n > 0 && cur.len() as u64 + add + TAIL.len() as u64 > max_bytes {
            cur.extend_from_slice(TAIL);
            out.push(std::mem::replace(&mut cur, HEAD.to_vec()));
            n = 0;
        }
        if n > 0 {
            cur.push(b',');
        }
        cur.extend_from_slice(o.json().as_bytes());
        n += 1;
    }
    if n > 0 {
        cur.extend_from_slice(TAIL);
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str, strict: bool) -> Result<Page<Object>> {
        parse_page(
            body.as_bytes(),
            "u",
            None,
            Some("2024-01-01T00:00:00Z"),
            strict,
        )
    }

    #[test]
    fn bad_entries_do_not_sink_the_page() {
        let p = page(
            r#"{"more":false,"objects":[{"type":"indicator","id":"indicator--1","modified":"m","x_custom":{"a":[1]}},
              42, {"name":"no id"}],"x_extra":1}"#,
            false,
        )
        .unwrap();
        assert_eq!(p.items.len(), 2);
        assert!(p.items[0].json().contains("\"x_custom\":{\"a\":[1]}"));
        assert_eq!(p.problems.len(), 2);
        assert_eq!(p.problems[0].pointer, "/objects/1");
        assert_eq!(p.problems[0].raw.as_deref(), Some("42"));
        assert_eq!(p.problems[1].pointer, "/objects/2");
        assert_eq!(p.extra["x_extra"], 1);
        assert_eq!(
            p.date_added_last.unwrap().to_string(),
            "2024-01-01T00:00:00.000000Z"
        );
    }

    #[test]
    fn objects_parse_into_the_typed_model_one_by_one() {
        let p = page(
            r#"{"objects":[
              {"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061","created":"2016-05-12T08:17:27.000Z","modified":"2016-05-12T08:17:27.000Z","name":"Cryptolocker","is_family":false,"x_vendor":{"keep":true}},
              {"type":"malware","spec_version":"2.1","id":"malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062","created":"yesterday","modified":"2016-05-12T08:17:27.000Z","name":"Bad","is_family":false}]}"#,
            false,
        )
        .unwrap();
        assert_eq!(p.items.len(), 2);
        let typed = p.items[0].parse().unwrap();
        assert_eq!(typed.type_name(), "malware");
        assert_eq!(typed.to_value()["x_vendor"]["keep"], true);
        let err = p.items[1].parse().unwrap_err();
        assert!(err.to_string().contains("created"), "{err}");
        let back = Object::from_stix(&typed).unwrap();
        assert_eq!(back.id(), p.items[0].id());
    }

    #[test]
    fn empty_envelope_is_an_empty_page() {
        let p = page("{}", true).unwrap();
        assert!(p.items.is_empty() && !p.more && p.warnings.is_empty());
    }

    #[test]
    fn wrong_member_is_a_warning_or_strict_error() {
        let body = r#"{"more":false,"items":[{"type":"indicator","id":"indicator--1"}]}"#;
        let p = page(body, false).unwrap();
        assert!(p.items.is_empty());
        assert!(p.warnings[0].contains("\"items\""));
        assert!(p.extra.contains_key("items"));
        assert!(matches!(
            page(body, true),
            Err(Error::MalformedEnvelope { member, count: 1, .. }) if member == "items"
        ));
    }

    #[test]
    fn not_json_is_malformed() {
        assert!(matches!(
            page("<html>", false),
            Err(Error::MalformedResponse { .. })
        ));
        assert!(matches!(
            page(r#"{"more":"yes"}"#, false),
            Err(Error::MalformedResponse { .. })
        ));
    }

    #[test]
    fn envelopes_are_split_under_the_limit() {
        let objs: Vec<Object> = (0..50)
            .map(|i| {
                Object::from_json(&format!(
                    r#"{{"type":"indicator","id":"indicator--{i:04}","pad":"{}"}}"#,
                    "x".repeat(100 + i)
                ))
                .unwrap()
            })
            .collect();
        let bodies = split_envelopes(&objs, 1000).unwrap();
        assert!(bodies.len() > 5);
        let mut back = Vec::new();
        for b in &bodies {
            assert!(b.len() <= 1000);
            let v: Value = serde_json::from_slice(b).unwrap();
            back.extend(v["objects"].as_array().unwrap().iter().cloned());
        }
        assert_eq!(back.len(), 50);
        assert_eq!(back[49]["id"], "indicator--0049");
        let big =
            Object::from_json(&format!(r#"{{"id":"x--1","p":"{}"}}"#, "y".repeat(2000))).unwrap();
        assert!(matches!(
            split_envelopes(&[big], 1000),
            Err(Error::ObjectTooLarge { .. })
        ));
    }
}
