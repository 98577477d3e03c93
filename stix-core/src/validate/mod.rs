//! Validation of STIX content against the MUST (error) and SHOULD (warning)
//! rules of the specification (`docs/RULES.md` lists every rule id).
//!
//! Two ways in:
//! - [`Validator`] judges one object at a time and keeps the cross-object
//!   state of the bundle in bounded memory (hashes only), for streaming.
//! - [`ValidatingReader`] streams a bundle from any `Read`: each object
//!   typed by the model and judged by the validator.
//! - [`validate_reader`] (streaming) and [`validate_str`] (in memory) judge
//!   a whole document and return an owned [`BundleReport`].

mod cross;
mod object;
mod pattern;
mod props;
mod stream;

use std::collections::BTreeMap;
use std::hash::Hasher;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::identifier::Identifier;
use crate::json_view::JsonView;
use crate::spec_version::SpecVersion;
use crate::tlp::{self, TlpLevel, TlpVersion};

pub use cross::{DuplicateVersion, UnresolvedRef};
pub use stream::{validate_reader, Finished, ValidatedItem, ValidatingReader, MAX_THREADS};

/// How to validate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationOptions {
    /// Strict judgement: MUST rules that real producers commonly break and
    /// that a lenient consumer may accept with a warning are errors
    /// (a bundle with `spec_version` "2.1", common properties that do not
    /// belong to the object's category, malware without `is_family`).
    pub strict: bool,
    /// Any warning makes its object invalid.
    pub warnings_as_errors: bool,
    /// Parse the `pattern` of indicators whose `pattern_type` is `stix`.
    pub check_patterns: bool,
    /// Report references to objects absent from the bundle (as warnings).
    pub check_references: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            strict: false,
            warnings_as_errors: false,
            check_patterns: true,
            check_references: true,
        }
    }
}

/// The verdict on one object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectReport {
    /// Position in the bundle's `objects` (0 for a lone object).
    pub index: usize,
    /// JSON Pointer of the object (`/objects/3`, or empty for a lone object).
    pub path: String,
    /// The object's `id`, when it has a string one.
    pub id: Option<String>,
    /// The object's `type`, when it has a string one.
    pub object_type: Option<String>,
    /// The STIX version the object was judged by.
    pub spec_version: SpecVersion,
    /// The most restrictive official TLP level among its markings,
    /// object-level and granular (`None` without any). Feed-defined and
    /// unresolved markings need the whole feed: see
    /// [`crate::marking::MarkingResolver`].
    pub tlp: Option<TlpLevel>,
    /// Which TLP edition that level came from.
    pub tlp_version: Option<TlpVersion>,
    /// `revoked: true`.
    pub revoked: bool,
    /// No error (and, in strict mode, no warning).
    pub valid: bool,
    /// Everything found, in document order of the rules that ran.
    pub diagnostics: Vec<Diagnostic>,
}

impl ObjectReport {
    /// The first error, or the first warning when there is no error.
    pub fn first_problem(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .or_else(|| self.diagnostics.first())
    }
}

/// The verdict on a whole document (a bundle or a lone object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BundleReport {
    /// The bundle's id (none for a lone object).
    pub bundle_id: Option<String>,
    /// True when the document is a bundle.
    pub is_bundle: bool,
    /// Per-object verdicts, in document order.
    pub objects: Vec<ObjectReport>,
    /// Findings about the document as a whole (bundle properties,
    /// malformed JSON, cross-object findings).
    pub diagnostics: Vec<Diagnostic>,
    /// Objects per `type`.
    pub counts_by_type: BTreeMap<String, usize>,
    /// Objects per STIX version judged.
    pub counts_by_spec_version: BTreeMap<String, usize>,
    /// References to objects absent from the document.
    pub unresolved_refs: Vec<UnresolvedRef>,
    /// Versions present twice with different content.
    pub duplicates: Vec<DuplicateVersion>,
    /// True when warnings count as failures.
    pub warnings_as_errors: bool,
}

impl BundleReport {
    /// Number of invalid objects.
    pub fn invalid_objects(&self) -> usize {
        self.objects.iter().filter(|o| !o.valid).count()
    }

    /// True when every object is valid and the document itself has no error
    /// (and, in strict mode, no warning).
    pub fn valid(&self) -> bool {
        self.objects.iter().all(|o| o.valid)
            && self
                .diagnostics
                .iter()
                .all(|d| !(d.is_error() || self.warnings_as_errors))
    }

    /// Every diagnostic: the document's first, then each object's.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.objects.iter().flat_map(|o| o.diagnostics.iter()))
    }
}

/// Cross-object findings at the end of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CrossReport {
    /// References to objects that were not in the bundle.
    pub unresolved_refs: Vec<UnresolvedRef>,
    /// Versions seen twice with different content.
    pub duplicates: Vec<DuplicateVersion>,
    /// The same findings as warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// A validator for the objects of one bundle, fed one object at a time.
pub struct Validator {
    options: ValidationOptions,
    bundle_version: Option<SpecVersion>,
    in_bundle: bool,
    cross: cross::CrossObjects,
}

impl Validator {
    /// A validator with these options, for one bundle (or one object).
    pub fn new(options: ValidationOptions) -> Self {
        Validator {
            options,
            bundle_version: None,
            in_bundle: false,
            cross: cross::CrossObjects::default(),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &ValidationOptions {
        &self.options
    }

    /// Judge the bundle's own properties (everything but `objects`, which
    /// may be passed or not). Sets the bundle's STIX version for the
    /// objects that follow: a bundle with `spec_version` `"2.0"` holds 2.0
    /// content.
    pub fn check_bundle(&mut self, envelope: &JsonView<'_>) -> Vec<Diagnostic> {
        self.in_bundle = true;
        let mut out = Vec::new();
        let id = envelope.get("id").and_then(JsonView::as_str);
        let Some(members) = envelope.as_object() else {
            out.push(Diagnostic::error(
                None,
                "",
                "STIX-BUN-01",
                format!("a bundle must be a JSON object, found {}", envelope.kind()),
            ));
            return out;
        };
        let sv = envelope.get("spec_version");
        self.bundle_version = Some(match sv.and_then(JsonView::as_str) {
            Some("2.0") => SpecVersion::V20,
            _ => SpecVersion::V21,
        });
        match envelope.get("type").and_then(JsonView::as_str) {
            Some("bundle") => {}
            _ => out.push(Diagnostic::error(
                id,
                "/type",
                "STIX-BUN-01",
                "a bundle needs `type` \"bundle\"".to_owned(),
            )),
        }
        match id {
            None => out.push(Diagnostic::error(
                None,
                "/id",
                "STIX-BUN-01",
                "a bundle needs an `id` `bundle--<UUID>`".to_owned(),
            )),
            Some(s) => match Identifier::parse(s) {
                Ok(i) if i.object_type() == "bundle" && i.is_rfc4122() => {}
                Ok(_) => out.push(Diagnostic::error(
                    id,
                    "/id",
                    "STIX-BUN-01",
                    format!("bundle `id` `{s}` must be `bundle--<RFC 4122 UUID>`"),
                )),
                Err(e) => out.push(Diagnostic::error(
                    id,
                    "/id",
                    "STIX-BUN-01",
                    format!("bundle `id`: {e}"),
                )),
            },
        }
        for (k, v) in members {
            match k.as_ref() {
                "type" | "id" => {}
                "objects" => match v {
                    JsonView::Array(a) if a.is_empty() => out.push(Diagnostic::error(
                        id,
                        "/objects",
                        "STIX-VAL-01",
                        "bundle `objects` is an empty list; omit it instead".to_owned(),
                    )),
                    JsonView::Array(_) => {}
                    other => out.push(Diagnostic::error(
                        id,
                        "/objects",
                        "STIX-BUN-03",
                        format!("bundle `objects` must be a list, found {}", other.kind()),
                    )),
                },
                "spec_version" => match v.as_str() {
                    Some("2.0") => {}
                    Some(other) => {
                        let mut d = Diagnostic::error(
                            id,
                            "/spec_version",
                            "STIX-BUN-02",
                            format!("a STIX 2.1 bundle must not have `spec_version` (found \"{other}\"); only STIX 2.0 bundles carried one, with \"2.0\""),
                        );
                        if !self.options.strict {
                            d.severity = Severity::Warning;
                        }
                        out.push(d);
                    }
                    None => out.push(Diagnostic::error(
                        id,
                        "/spec_version",
                        "STIX-BUN-02",
                        format!("bundle `spec_version` must be the string \"2.0\" (STIX 2.0) or absent (STIX 2.1), found {}", v.kind()),
                    )),
                },
                other => out.push(Diagnostic::warning(
                    id,
                    format!("/{}", crate::diagnostic::pointer_escape(other)),
                    "STIX-BUN-04",
                    format!("`{other}` is not a bundle property; consumers may drop it"),
                )),
            }
        }
        out
    }

    /// Judge one object, given its JSON text. `index` is its position in
    /// the bundle's `objects` (0 for a lone object).
    pub fn check_object_str(&mut self, index: usize, text: &str) -> ObjectReport {
        self.check_object_bytes(index, text.as_bytes())
    }

    /// Judge one object, given its JSON text as bytes.
    pub fn check_object_bytes(&mut self, index: usize, text: &[u8]) -> ObjectReport {
        let (mut report, facts) = self.judge().judge_bytes(index, text);
        self.apply(&mut report, facts);
        report
    }

    /// Judge one object.
    pub fn check_object(&mut self, index: usize, obj: &JsonView<'_>) -> ObjectReport {
        let (mut report, facts) = self.judge().judge(index, obj);
        self.apply(&mut report, facts);
        report
    }

    /// The per-object half of the validator, as it stands now.
    fn judge(&self) -> Judge {
        Judge {
            options: self.options.clone(),
            bundle_version: self.bundle_version,
            in_bundle: self.in_bundle,
        }
    }

    /// The cross-object half: record what one object brought to the bundle
    /// (in document order) and add what that reveals to its verdict.
    fn apply(&mut self, report: &mut ObjectReport, facts: CrossFacts) {
        if let Some(id) = report.id.as_deref() {
            if self.options.check_references {
                self.cross.object_seen(id);
            }
            for (target, path) in &facts.refs {
                self.cross.reference(target, Some(id), path);
            }
            if let Some((modified, hash)) = &facts.version {
                if self.cross.version(id, modified, *hash, &report.path) {
                    report.diagnostics.push(Diagnostic::warning(
                        Some(id),
                        report.path.clone(),
                        "STIX-VER-03",
                        format!("another object in this bundle has the same `id` and `modified` ({}) but different content", if modified.is_empty() { "none" } else { modified }),
                    ));
                    report.valid = report_valid(&report.diagnostics, &self.options);
                }
            }
        } else {
            for (target, path) in &facts.refs {
                self.cross.reference(target, None, path);
            }
        }
    }

    /// End of the bundle: the references that never resolved and the
    /// conflicting duplicates, also as warnings.
    pub fn finish(&mut self) -> CrossReport {
        let unresolved_refs = self.cross.unresolved();
        let duplicates = std::mem::take(&mut self.cross.duplicates);
        let diagnostics = unresolved_refs
            .iter()
            .map(|u| {
                Diagnostic::warning(
                    u.from_id.as_deref(),
                    u.path.clone(),
                    "STIX-REF-01",
                    format!(
                        "`{}` refers to an object that is not in this bundle",
                        u.target
                    ),
                )
            })
            .collect();
        CrossReport {
            unresolved_refs,
            duplicates,
            diagnostics,
        }
    }
}

/// What one object brings to the cross-object checks of its bundle,
/// found while judging it alone and applied in document order.
#[derive(Debug, Default)]
pub(crate) struct CrossFacts {
    /// The references it makes, as (target, JSON Pointer).
    refs: Vec<(String, String)>,
    /// Its `modified` (empty when absent) and a hash of its content, when
    /// it has an id.
    version: Option<(String, u64)>,
}

fn report_valid(diagnostics: &[Diagnostic], options: &ValidationOptions) -> bool {
    diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning && !options.warnings_as_errors)
}

/// The per-object rules, with no state shared between objects, so that
/// objects can be judged on several threads and their cross-object facts
/// applied afterwards in document order.
#[derive(Debug, Clone)]
pub(crate) struct Judge {
    pub(crate) options: ValidationOptions,
    pub(crate) bundle_version: Option<SpecVersion>,
    pub(crate) in_bundle: bool,
}

impl Judge {
    fn object_path(&self, index: usize) -> String {
        if self.in_bundle {
            format!("/objects/{index}")
        } else {
            String::new()
        }
    }

    /// Judge one object given as JSON text.
    pub(crate) fn judge_bytes(&self, index: usize, text: &[u8]) -> (ObjectReport, CrossFacts) {
        match JsonView::parse_slice(text) {
            Ok(v) => self.judge(index, &v),
            Err(e) => {
                let path = self.object_path(index);
                let mut d = Diagnostic::error(
                    None,
                    path.clone(),
                    "STIX-JSON-01",
                    format!("the object is not valid JSON: {e}"),
                );
                d.line = Some(e.line() as u64);
                d.column = Some(e.column() as u64);
                let report = ObjectReport {
                    index,
                    path,
                    id: None,
                    object_type: None,
                    spec_version: self.bundle_version.unwrap_or(SpecVersion::V21),
                    tlp: None,
                    tlp_version: None,
                    revoked: false,
                    valid: false,
                    diagnostics: vec![d],
                };
                (report, CrossFacts::default())
            }
        }
    }

    /// Judge one object.
    pub(crate) fn judge(&self, index: usize, obj: &JsonView<'_>) -> (ObjectReport, CrossFacts) {
        let path = self.object_path(index);
        let id = obj.get("id").and_then(JsonView::as_str);
        let type_name = obj.get("type").and_then(JsonView::as_str).unwrap_or("");
        // A lone object without spec_version but with created reads as 2.0
        // by the detection rules; a 2.1-only type then gets a clear error.
        let version = SpecVersion::of_object(
            type_name,
            obj.get("spec_version").and_then(JsonView::as_str),
            id.is_some(),
            obj.get("created").is_some(),
            self.bundle_version,
        );
        let mut checker = object::Checker {
            opts: &self.options,
            id,
            type_name,
            version,
            category: props::category(type_name),
            path: path.clone(),
            out: Vec::new(),
            refs: self.options.check_references.then(Vec::new),
            in_custom: false,
        };
        object::check_object(&mut checker, obj);
        let diagnostics = checker.out;
        let facts = CrossFacts {
            refs: checker.refs.unwrap_or_default(),
            version: id.map(|_| {
                let modified = obj.get("modified").and_then(JsonView::as_str).unwrap_or("");
                let mut h = rustc_hash::FxHasher::default();
                obj.content_hash(&mut h);
                (modified.to_owned(), h.finish())
            }),
        };

        // Granular markings count too: a TLP:RED property makes the object
        // carry TLP:RED content, whatever its object-level marking says.
        let object_refs = obj
            .get("object_marking_refs")
            .and_then(JsonView::as_array)
            .unwrap_or_default();
        let granular_refs = obj
            .get("granular_markings")
            .and_then(JsonView::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|g| g.get("marking_ref"));
        let marking = tlp::most_restrictive(
            object_refs
                .iter()
                .chain(granular_refs)
                .filter_map(JsonView::as_str),
        );
        let report = ObjectReport {
            index,
            path,
            id: id.map(str::to_owned),
            object_type: obj
                .get("type")
                .and_then(JsonView::as_str)
                .map(str::to_owned),
            spec_version: version,
            tlp: marking.map(|m| m.level),
            tlp_version: marking.map(|m| m.version),
            revoked: obj.get("revoked").and_then(JsonView::as_bool) == Some(true),
            valid: report_valid(&diagnostics, &self.options),
            diagnostics,
        };
        (report, facts)
    }
}

/// Validate a whole document held in memory: a bundle, or a lone object.
pub fn validate_str(text: &str, options: &ValidationOptions) -> BundleReport {
    let mut report = BundleReport {
        warnings_as_errors: options.warnings_as_errors,
        ..BundleReport::default()
    };
    let doc = match JsonView::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let mut d = Diagnostic::error(None, "", "STIX-JSON-01", format!("not valid JSON: {e}"));
            d.line = Some(e.line() as u64);
            d.column = Some(e.column() as u64);
            report.diagnostics.push(d);
            return report;
        }
    };
    let mut v = Validator::new(options.clone());
    let is_bundle = doc.get("type").and_then(JsonView::as_str) == Some("bundle")
        || (doc.get("objects").is_some() && doc.get("type").is_none());
    if is_bundle {
        report.is_bundle = true;
        report.bundle_id = doc.get("id").and_then(JsonView::as_str).map(str::to_owned);
        report.diagnostics = v.check_bundle(&doc);
        if let Some(objects) = doc.get("objects").and_then(JsonView::as_array) {
            for (i, o) in objects.iter().enumerate() {
                let r = v.check_object(i, o);
                report.add(r);
            }
        }
    } else {
        let r = v.check_object(0, &doc);
        report.add(r);
    }
    report.finish_with(v.finish());
    report
}

impl BundleReport {
    /// Add one object's verdict and count it.
    pub fn add(&mut self, r: ObjectReport) {
        if let Some(t) = &r.object_type {
            *self.counts_by_type.entry(t.clone()).or_default() += 1;
        }
        *self
            .counts_by_spec_version
            .entry(r.spec_version.as_str().to_owned())
            .or_default() += 1;
        self.objects.push(r);
    }

    /// Fold the end-of-bundle findings in.
    pub fn finish_with(&mut self, cross: CrossReport) {
        self.unresolved_refs = cross.unresolved_refs;
        self.duplicates = cross.duplicates;
        self.diagnostics.extend(cross.diagnostics);
    }
}
