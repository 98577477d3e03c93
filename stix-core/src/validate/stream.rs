//! Streaming validation: the objects of a bundle read from any `Read` one
//! at a time, each parsed into the typed model and judged by the
//! validator, in memory bounded by the largest object (plus the hashes the
//! cross-object checks keep).

use std::io::Read;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::json_view::JsonView;
use crate::parse::{BundleHeader, ParsedItem};
use crate::reader::BundleReader;
use crate::spec_version::SpecVersion;

use super::{BundleReport, CrossReport, ObjectReport, ValidationOptions, Validator};

/// One object of the stream: the model's reading of it and the verdict.
#[derive(Debug, Clone)]
pub struct ValidatedItem {
    /// The typed object (or raw JSON with parse diagnostics).
    pub item: ParsedItem,
    /// The validator's verdict, which includes the parse diagnostics when
    /// the validator itself found no error.
    pub report: ObjectReport,
}

/// A pull iterator of [`ValidatedItem`]s over a bundle read from `R`.
///
/// After the last item, [`ValidatingReader::finish`] gives the bundle-level
/// findings and the cross-object ones (unresolved references, conflicting
/// duplicates).
pub struct ValidatingReader<R> {
    reader: BundleReader<R>,
    validator: Validator,
}

impl<R: Read> ValidatingReader<R> {
    /// Validate the bundle read from `src` with these options.
    pub fn new(src: R, options: ValidationOptions) -> Self {
        let mut validator = Validator::new(options);
        validator.in_bundle = true;
        ValidatingReader {
            reader: BundleReader::new(src),
            validator,
        }
    }

    /// The bundle-level properties met so far.
    pub fn header(&self) -> &BundleHeader {
        self.reader.header()
    }

    /// End of input: the bundle-level and cross-object findings. A document
    /// that turned out to be a lone object (not a bundle) is judged here,
    /// from the properties the reader collected, as object 0.
    pub fn finish(mut self) -> Finished {
        let header = self.reader.header().clone();
        let lone = header.type_name.as_deref() != Some("bundle") && !header.has_objects;
        let mut diagnostics = Vec::new();
        let mut lone_report = None;
        let envelope = header_value(&header);
        let text = envelope.to_string();
        if let Ok(view) = JsonView::parse(&text) {
            if lone {
                self.validator.in_bundle = false;
                lone_report = Some(self.validator.check_object(0, &view));
            } else {
                diagnostics = self.validator.check_bundle(&view);
                diagnostics.extend(
                    header
                        .diagnostics
                        .iter()
                        .filter(|d| !diagnostics.iter().any(|e| e.path == d.path))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        let cross = self.validator.finish();
        Finished {
            header,
            diagnostics,
            lone_object: lone_report,
            cross,
        }
    }
}

/// What [`ValidatingReader::finish`] returns.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The bundle-level properties.
    pub header: BundleHeader,
    /// Findings about the bundle's own properties.
    pub diagnostics: Vec<Diagnostic>,
    /// The verdict on a document that was a lone object, not a bundle.
    pub lone_object: Option<ObjectReport>,
    /// Unresolved references and conflicting duplicates.
    pub cross: CrossReport,
}

fn header_value(h: &BundleHeader) -> Value {
    let mut m = serde_json::Map::new();
    if let Some(t) = &h.type_name {
        m.insert("type".into(), Value::String(t.clone()));
    }
    if let Some(id) = &h.id {
        m.insert("id".into(), Value::String(id.clone()));
    }
    if let Some(v) = &h.spec_version {
        m.insert("spec_version".into(), Value::String(v.clone()));
    }
    for (k, v) in &h.custom {
        m.insert(k.clone(), v.clone());
    }
    if h.has_objects && h.object_count == 0 {
        m.insert("objects".into(), Value::Array(Vec::new()));
    }
    Value::Object(m)
}

impl<R: Read> Iterator for ValidatingReader<R> {
    type Item = Result<ValidatedItem, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.reader.next()? {
            Ok(item) => item,
            Err(e) => return Some(Err(e)),
        };
        self.validator.bundle_version = Some(match self.reader.header().spec_version.as_deref() {
            Some("2.0") => SpecVersion::V20,
            _ => SpecVersion::V21,
        });
        let raw = self.reader.last_raw();
        let mut report = self.validator.check_object_bytes(item.index, raw);
        if !report.diagnostics.iter().any(Diagnostic::is_error) && !item.diagnostics.is_empty() {
            // The typed model refused something the rules let through:
            // never call such an object valid.
            report.diagnostics.extend(item.diagnostics.iter().cloned());
            report.valid = false;
        }
        Some(Ok(ValidatedItem { item, report }))
    }
}

/// Validate a whole document read from `reader` (a bundle or a lone
/// object) in bounded memory, returning an owned report (which holds one
/// small verdict per object, not the objects). Malformed JSON and read
/// failures are an `Err` with the line and column.
pub fn validate_reader<R: Read>(
    reader: R,
    options: &ValidationOptions,
) -> Result<BundleReport, Error> {
    let mut stream = ValidatingReader::new(reader, options.clone());
    let mut report = BundleReport {
        warnings_as_errors: options.warnings_as_errors,
        ..BundleReport::default()
    };
    for item in stream.by_ref() {
        report.add(item?.report);
    }
    let done = stream.finish();
    match done.lone_object {
        Some(lone) => report.add(lone),
        None => {
            report.is_bundle = true;
            report.bundle_id = done.header.id.clone();
            report.diagnostics = done.diagnostics;
        }
    }
    report.finish_with(done.cross);
    Ok(report)
}
