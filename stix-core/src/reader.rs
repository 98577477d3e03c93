//! Streaming bundle reader: the objects of a bundle, one at a time, from
//! any `std::io::Read`, in memory bounded by the largest single object.
//!
//! The reader walks the top level of the bundle itself (keys may come in
//! any order, `objects` before or after `id`), cuts each element of
//! `objects` out of the byte stream by tracking strings and brackets, and
//! hands that one element to the typed parser. Nesting depth is only
//! counted here, never recursed on; serde_json's own recursion limit then
//! refuses absurdly deep elements with an error.

use std::io::Read;

use serde_json::Value;

use crate::error::Error;
use crate::parse::{make_item, syntax_error, BundleHeader, ParsedItem, Position};
use crate::spec_version::SpecVersion;

/// Default limit on the size of one element of `objects` (or one
/// bundle-level value): 64 MiB.
pub const DEFAULT_MAX_OBJECT_SIZE: usize = 64 * 1024 * 1024;

const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening `{`.
    Start,
    /// Inside the top-level object, before a key (or the closing `}`).
    Keys { first: bool },
    /// Inside `objects`, before an element (or the closing `]`).
    Elements { first: bool },
    /// Finished (or failed).
    Done,
}

/// A pull iterator over the elements of a bundle's `objects`, reading from
/// any `Read` (a file, a socket, a decompressor, a byte slice).
///
/// Each call to `next` yields the next element as a [`ParsedItem`] (typed
/// object, or raw JSON plus diagnostics), or a fatal [`Error`] (malformed
/// JSON, I/O failure, an element larger than the limit) after which the
/// iterator ends. The bundle-level properties are collected in
/// [`BundleReader::header`] as they are met; they are complete once the
/// iterator has returned `None`. Each item's `spec_version` is detected
/// with the bundle properties seen so far: in the rare STIX 2.0 bundle whose
/// `spec_version` comes after `objects`, objects without their own
/// `spec_version` are re-judged by [`crate::parse_bundle`], not by the
/// streaming reader.
///
/// ```
/// let json = br#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
///   {"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","value":"198.51.100.3"}]}"#;
/// let mut reader = stix_core::BundleReader::new(&json[..]);
/// let item = reader.next().unwrap().unwrap();
/// assert_eq!(item.typed().unwrap().type_name(), "ipv4-addr");
/// assert!(reader.next().is_none());
/// assert_eq!(reader.header().object_count, 1);
/// ```
pub struct BundleReader<R> {
    src: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    /// Absolute offset of `buf[pos]`.
    offset: u64,
    line: u64,
    /// Absolute offset of the first byte of the current line.
    line_start: u64,
    state: State,
    header: BundleHeader,
    scratch: Vec<u8>,
    max: usize,
    /// Top-level property names met so far, to catch a repeated one (which
    /// JSON parsers resolve silently, last one wins, hiding e.g. a marking).
    /// A set, since a lone object may have any number of properties.
    top_keys: std::collections::HashSet<String>,
}

/// The rule of a property name repeated in one JSON object.
pub(crate) const RULE_REPEATED_NAME: &str = "STIX-VAL-02";

impl<R: Read> BundleReader<R> {
    /// A reader over `src` with the default size limit.
    pub fn new(src: R) -> Self {
        BundleReader {
            src,
            buf: vec![0u8; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            offset: 0,
            line: 1,
            line_start: 0,
            state: State::Start,
            header: BundleHeader::default(),
            top_keys: std::collections::HashSet::new(),
            scratch: Vec::new(),
            max: DEFAULT_MAX_OBJECT_SIZE,
        }
    }

    /// Set the largest accepted size in bytes of one element of `objects`
    /// (and of one bundle-level value).
    pub fn with_max_object_size(mut self, bytes: usize) -> Self {
        self.max = bytes;
        self
    }

    /// The JSON text of the element the last call to `next` returned
    /// (for a validator that reads it again in its own way). Only valid
    /// until the next call to `next`.
    pub fn last_raw(&self) -> &[u8] {
        &self.scratch
    }

    /// The bundle-level properties met so far.
    pub fn header(&self) -> &BundleHeader {
        &self.header
    }

    /// Take the bundle-level properties (complete after the last item).
    pub fn into_header(self) -> BundleHeader {
        self.header
    }

    fn here(&self) -> Position {
        Position {
            offset: self.offset,
            line: self.line,
            column: self.offset - self.line_start + 1,
        }
    }

    fn json_err(&self, message: impl Into<String>) -> Error {
        let p = self.here();
        Error::Json {
            message: message.into(),
            line: p.line,
            column: p.column,
        }
    }

    /// Make sure at least one byte is buffered; false at end of input.
    fn fill(&mut self) -> Result<bool, Error> {
        if self.pos < self.len {
            return Ok(true);
        }
        if self.eof {
            return Ok(false);
        }
        self.pos = 0;
        self.len = 0;
        loop {
            match self.src.read(&mut self.buf) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len = n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Consume `n` buffered bytes, keeping the line count.
    fn advance(&mut self, n: usize) {
        let s = &self.buf[self.pos..self.pos + n];
        if let Some(last) = memchr::memrchr(b'\n', s) {
            self.line += memchr::memchr_iter(b'\n', s).count() as u64;
            self.line_start = self.offset + last as u64 + 1;
        }
        self.pos += n;
        self.offset += n as u64;
    }

    fn peek(&mut self) -> Result<Option<u8>, Error> {
        Ok(if self.fill()? {
            Some(self.buf[self.pos])
        } else {
            None
        })
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, Error> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            let s = &self.buf[self.pos..self.len];
            let n = s
                .iter()
                .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(s.len());
            self.advance(n);
            if self.pos < self.len {
                return Ok(Some(self.buf[self.pos]));
            }
        }
    }

    fn expect(&mut self, what: u8) -> Result<(), Error> {
        match self.skip_ws()? {
            Some(c) if c == what => {
                self.advance(1);
                Ok(())
            }
            Some(c) => Err(self.json_err(format!(
                "expected `{}`, found `{}`",
                what as char,
                c.escape_ascii()
            ))),
            None => Err(self.json_err(format!("expected `{}`, found end of input", what as char))),
        }
    }

    /// Copy the JSON value starting at the current byte into `scratch`.
    /// Only strings and bracket depth are tracked; serde_json checks the
    /// rest when the copy is parsed.
    fn capture(&mut self, path: &dyn Fn() -> String) -> Result<Position, Error> {
        let start = self.here();
        // Do not keep a huge buffer alive for the rest of the stream.
        if self.scratch.capacity() > 4 * CHUNK {
            self.scratch = Vec::new();
        }
        self.scratch.clear();
        let first = match self.peek()? {
            Some(c) => c,
            None => return Err(self.json_err("unexpected end of input, expected a value")),
        };
        let mut scan = Scan {
            container: matches!(first, b'{' | b'['),
            close: if first == b'[' { b']' } else { b'}' },
            scalar: !matches!(first, b'{' | b'[' | b'"'),
            depth: 0,
            in_str: false,
            skip: 0,
        };
        loop {
            if !self.fill()? {
                if scan.scalar && !self.scratch.is_empty() {
                    // A number or literal may end with the input.
                    return Ok(start);
                }
                return Err(self.json_err("unexpected end of input inside a value"));
            }
            let chunk = &self.buf[self.pos..self.len];
            let (used, done) = scan.run(chunk);
            if self.scratch.len() + used > self.max {
                return Err(Error::TooLarge {
                    path: path(),
                    limit: self.max,
                    line: start.line,
                    column: start.column,
                });
            }
            self.scratch
                .extend_from_slice(&self.buf[self.pos..self.pos + used]);
            self.advance(used);
            if done {
                return Ok(start);
            }
        }
    }

    fn parse_scratch_value(&self, start: Position) -> Result<Value, Error> {
        serde_json::from_slice(&self.scratch).map_err(|e| {
            syntax_error(&e, start).unwrap_or_else(|| Error::Json {
                message: e.to_string(),
                line: start.line,
                column: start.column,
            })
        })
    }

    /// After a top-level value: `,` then another key, or the closing `}`.
    fn after_value(&mut self) -> Result<(), Error> {
        match self.skip_ws()? {
            Some(b',') => {
                self.advance(1);
                self.state = State::Keys { first: false };
                Ok(())
            }
            Some(b'}') => {
                self.advance(1);
                if let Some(c) = self.skip_ws()? {
                    return Err(self.json_err(format!(
                        "trailing characters after the bundle (`{}`)",
                        c.escape_ascii()
                    )));
                }
                self.state = State::Done;
                Ok(())
            }
            Some(c) => Err(self.json_err(format!(
                "expected `,` or `}}` after a bundle property, found `{}`",
                c.escape_ascii()
            ))),
            None => Err(self.json_err("unexpected end of input inside the bundle")),
        }
    }

    /// The next element, read into the typed model.
    fn step(&mut self) -> Result<Option<ParsedItem>, Error> {
        match self.step_raw()? {
            None => Ok(None),
            Some(e) => make_item(
                &self.scratch,
                e.index,
                format!("/objects/{}", e.index),
                e.position,
                Some(e.bundle_version),
            )
            .map(Some),
        }
    }

    /// The next element, left as text in `scratch` (see
    /// [`BundleReader::last_raw`]).
    pub(crate) fn next_element(&mut self) -> Option<Result<Element, Error>> {
        match self.step_raw() {
            Ok(Some(e)) => Some(Ok(e)),
            Ok(None) => None,
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }

    /// End the iteration (after an element that could not be read).
    pub(crate) fn stop(&mut self) {
        self.state = State::Done;
    }

    /// The next element as owned text, for parsing elsewhere (on another
    /// thread).
    pub(crate) fn next_owned(&mut self) -> Option<Result<(Element, Vec<u8>), Error>> {
        let e = match self.next_element()? {
            Ok(e) => e,
            Err(err) => return Some(Err(err)),
        };
        Some(Ok((e, std::mem::take(&mut self.scratch))))
    }

    fn step_raw(&mut self) -> Result<Option<Element>, Error> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => {
                    match self.skip_ws()? {
                        Some(b'{') => {}
                        Some(_) => {
                            // Read the value first: text that is not JSON
                            // at all is a JSON error (with its position),
                            // only well-formed JSON of another kind is a
                            // shape error.
                            let p = self.here();
                            let value = self
                                .capture(&String::new)
                                .and_then(|start| self.parse_scratch_value(start))?;
                            if let Some(c) = self.skip_ws()? {
                                return Err(self.json_err(format!(
                                    "trailing characters after the document (`{}`)",
                                    c.escape_ascii()
                                )));
                            }
                            return Err(Error::Shape {
                                message: format!(
                                    "a bundle or STIX object must be a JSON object, found {}",
                                    crate::parse::json_kind(&value)
                                ),
                                line: p.line,
                                column: p.column,
                            });
                        }
                        None => return Err(self.json_err("empty input, expected a JSON object")),
                    }
                    self.advance(1);
                    self.state = State::Keys { first: true };
                }
                State::Keys { first } => {
                    match self.skip_ws()? {
                        Some(b'}') if first => {
                            self.state = State::Keys { first: false };
                            // Reuse the closing logic.
                            self.after_value()?;
                            continue;
                        }
                        Some(b'"') => {}
                        Some(c) => {
                            return Err(self.json_err(format!(
                                "expected a property name, found `{}`",
                                c.escape_ascii()
                            )))
                        }
                        None => {
                            return Err(self.json_err("unexpected end of input inside the bundle"))
                        }
                    }
                    let kstart = self.capture(&|| String::from("(property name)"))?;
                    let key: String = match self.parse_scratch_value(kstart)? {
                        Value::String(s) => s,
                        _ => return Err(self.json_err("expected a property name")),
                    };
                    if !self.top_keys.insert(key.clone()) {
                        let mut d = crate::Diagnostic::error(
                            None,
                            format!("/{}", crate::diagnostic::pointer_escape(&key)),
                            RULE_REPEATED_NAME,
                            format!("property `{key}` appears more than once"),
                        );
                        d.line = Some(kstart.line);
                        d.column = Some(kstart.column);
                        self.header.diagnostics.push(d);
                    }
                    self.expect(b':')?;
                    self.skip_ws()?;
                    if key == "objects" && self.peek()? == Some(b'[') {
                        self.advance(1);
                        self.header.has_objects = true;
                        self.state = State::Elements { first: true };
                        continue;
                    }
                    let vstart = self.capture(&|| format!("/{key}"))?;
                    let value = self.parse_scratch_value(vstart)?;
                    if key == "objects" {
                        self.header.diagnostics.push(crate::Diagnostic::error(
                            None,
                            "/objects",
                            crate::parse::RULE_BUNDLE_SHAPE,
                            format!(
                                "bundle `objects` must be a list, found {}",
                                crate::parse::json_kind(&value)
                            ),
                        ));
                        self.header.custom.insert(key, value);
                    } else {
                        self.header.set(key, value);
                    }
                    self.after_value()?;
                }
                State::Elements { first } => {
                    let c = self.skip_ws()?;
                    if c == Some(b']') {
                        self.advance(1);
                        self.after_value()?;
                        continue;
                    }
                    if !first {
                        match c {
                            Some(b',') => {
                                self.advance(1);
                                if self.skip_ws()? == Some(b']') {
                                    return Err(self.json_err("trailing comma in `objects`"));
                                }
                            }
                            Some(c) => {
                                return Err(self.json_err(format!(
                                    "expected `,` or `]` in `objects`, found `{}`",
                                    c.escape_ascii()
                                )))
                            }
                            None => {
                                return Err(
                                    self.json_err("unexpected end of input inside `objects`")
                                )
                            }
                        }
                    }
                    self.state = State::Elements { first: false };
                    let index = self.header.object_count;
                    let start = self.capture(&|| format!("/objects/{index}"))?;
                    self.header.object_count += 1;
                    return Ok(Some(Element {
                        index,
                        position: start,
                        bundle_version: self.header.detected_version(),
                    }));
                }
            }
        }
    }
}

impl<R: Read> Iterator for BundleReader<R> {
    type Item = Result<ParsedItem, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => None,
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

/// Where one element of `objects` was cut from, and the bundle's STIX
/// version as known when it was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element {
    pub(crate) index: usize,
    pub(crate) position: Position,
    pub(crate) bundle_version: SpecVersion,
}

/// Where one JSON value ends, found chunk by chunk.
///
/// Outside strings only the value's own kind of bracket is counted (`{}`
/// for an object, `[]` for an array): in well-formed JSON they balance on
/// their own, and a search for three bytes runs on SIMD over indentation
/// and scalars. Malformed text is cut somewhere and refused by the parser.
struct Scan {
    container: bool,
    /// The closing bracket of the value (for a container).
    close: u8,
    scalar: bool,
    depth: u64,
    in_str: bool,
    /// Bytes to skip at the start of the next chunk (an escape cut in two).
    skip: usize,
}

impl Scan {
    /// Scan `chunk`; returns how many bytes belong to the value and whether
    /// the value ended within them.
    fn run(&mut self, chunk: &[u8]) -> (usize, bool) {
        let n = chunk.len();
        let mut i = self.skip.min(n);
        self.skip -= i;
        if self.scalar {
            return match chunk[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                Some(j) => (i + j, true),
                None => (n, false),
            };
        }
        while i < n {
            if self.in_str {
                match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                    None => return (n, false),
                    Some(j) => {
                        i += j;
                        if chunk[i] == b'\\' {
                            i += 2;
                            if i > n {
                                self.skip = i - n;
                                return (n, false);
                            }
                        } else {
                            self.in_str = false;
                            i += 1;
                            if !self.container {
                                return (i, true);
                            }
                        }
                    }
                }
            } else {
                let open = if self.close == b']' { b'[' } else { b'{' };
                match memchr::memchr3(b'"', open, self.close, &chunk[i..]) {
                    None => return (n, false),
                    Some(j) => {
                        i += j;
                        match chunk[i] {
                            b'"' => self.in_str = true,
                            c if c == open => self.depth += 1,
                            _ => {
                                // A stray closing bracket at depth 0 cannot
                                // happen: a container value starts with an
                                // opening one. serde_json reports the rest.
                                self.depth = self.depth.saturating_sub(1);
                                if self.depth == 0 {
                                    return (i + 1, true);
                                }
                            }
                        }
                        i += 1;
                    }
                }
            }
        }
        (n, false)
    }
}
