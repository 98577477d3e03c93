//! The sharing level of objects and of the values taken from them.
//!
//! [`MarkingResolver`] turns the `object_marking_refs` and
//! `granular_markings` of an object into an [`ObjectMarkings`]: the TLP
//! level the object counts at (its most restrictive marking, object-level or
//! granular), the level of any one property, and every statement or custom
//! marking it carries. References are resolved by id only: the nine
//! official TLP 1.0 / 2.0 ids, then marking definitions seen in the same
//! feed. A name is never trusted (feeds put `TLP:CLEAR` on TLP 1.0 ids).
//!
//! An object without any TLP marking counts at
//! [`MarkingSettings::unmarked`], AMBER unless configured otherwise, so that
//! unmarked content is never shared more widely than marked content would be.
//! A reference that cannot be resolved (a marking definition neither
//! official nor in the feed) fails closed: the object counts at least at
//! [`MarkingSettings::unresolved`], RED unless configured otherwise, since
//! nothing says the marking allowed more.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::object::{MarkingDefinition, StixObject};
use crate::tlp::{self, TlpLevel, TlpVersion, TLP2_EXTENSION_ID};

/// How objects without a TLP marking are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingSettings {
    /// The level an object without any TLP marking counts at.
    pub unmarked: TlpLevel,
    /// The least level of an object (or of the properties a granular
    /// marking selects) that refers to a marking definition that cannot be
    /// resolved.
    #[serde(default = "unresolved_default")]
    pub unresolved: TlpLevel,
}

fn unresolved_default() -> TlpLevel {
    TlpLevel::Red
}

impl Default for MarkingSettings {
    fn default() -> Self {
        MarkingSettings {
            unmarked: TlpLevel::Amber,
            unresolved: unresolved_default(),
        }
    }
}

/// What one marking reference turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ResolvedMarking {
    /// One of the nine official TLP marking definitions.
    Tlp {
        /// The marking-definition id.
        id: String,
        /// Its level.
        level: TlpLevel,
        /// TLP 1.0 or 2.0.
        version: TlpVersion,
    },
    /// A marking definition of this feed that states a TLP level under an
    /// id that is not an official one. It can only make an object more
    /// restrictive: it never stands in for an official marking.
    FeedTlp {
        /// The marking-definition id.
        id: String,
        /// The level it states.
        level: TlpLevel,
    },
    /// A statement marking (copyright, terms of use) defined in the feed.
    Statement {
        /// The marking-definition id.
        id: String,
        /// The statement text.
        statement: String,
    },
    /// Any other marking definition defined in the feed.
    Custom {
        /// The marking-definition id.
        id: String,
        /// Its `name`, for display only.
        name: Option<String>,
        /// Its `definition_type`, when present.
        definition_type: Option<String>,
    },
    /// A reference to a marking definition that is neither official nor
    /// defined in the feed.
    Unknown {
        /// The referenced id.
        id: String,
    },
}

impl ResolvedMarking {
    /// The marking-definition id.
    pub fn id(&self) -> &str {
        match self {
            ResolvedMarking::Tlp { id, .. }
            | ResolvedMarking::FeedTlp { id, .. }
            | ResolvedMarking::Statement { id, .. }
            | ResolvedMarking::Custom { id, .. }
            | ResolvedMarking::Unknown { id } => id,
        }
    }

    /// The TLP level the marking states, official or not.
    pub fn tlp_level(&self) -> Option<TlpLevel> {
        match self {
            ResolvedMarking::Tlp { level, .. } | ResolvedMarking::FeedTlp { level, .. } => {
                Some(*level)
            }
            _ => None,
        }
    }
}

/// Whether an object's level comes from its markings or from the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlpSource {
    /// An official TLP marking applies to the whole object.
    Marked,
    /// No official object-level TLP marking: the unmarked default applies
    /// (raised by any granular or feed-defined TLP marking).
    Unmarked,
    /// No official object-level TLP marking, and a marking reference that
    /// cannot be resolved: the unresolved level applies.
    Unresolved,
}

/// A granular TLP marking and the properties it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GranularTlp {
    /// The marking-definition id.
    pub marking_ref: String,
    /// The level.
    pub level: TlpLevel,
    /// The selectors it applies to (`pattern`, `external_references.[0]`…).
    pub selectors: Vec<String>,
}

/// The markings of one object, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectMarkings {
    /// The level the object counts at: its most restrictive TLP marking,
    /// object-level or granular, and never below the unmarked default when
    /// it has no official object-level TLP marking.
    pub tlp: TlpLevel,
    /// Whether an official object-level TLP marking set the base level.
    pub source: TlpSource,
    /// The most restrictive TLP level among the object-level references.
    pub object_tlp: Option<TlpLevel>,
    /// The TLP edition of that object-level marking.
    pub tlp_version: Option<TlpVersion>,
    /// The default in force for unmarked content.
    pub unmarked_default: TlpLevel,
    /// The level of the object as a whole before granular markings: the
    /// official object-level TLP or the unmarked default, raised by
    /// feed-defined TLP markings and unresolved references.
    pub base: TlpLevel,
    /// Granular TLP markings.
    pub granular: Vec<GranularTlp>,
    /// Every marking referenced (object-level first, then granular), once.
    pub markings: Vec<ResolvedMarking>,
}

impl ObjectMarkings {
    /// The level of the object as a whole, before granular markings: the
    /// object-level TLP or the unmarked default, raised by feed-defined TLP
    /// markings and unresolved references.
    pub fn base_level(&self) -> TlpLevel {
        self.base
    }

    /// The level of the values taken from `property` (a top-level property
    /// name or a selector such as `pattern`): the base level raised by
    /// every granular TLP marking whose selector covers it.
    pub fn level_of(&self, property: &str) -> TlpLevel {
        let mut level = self.base_level();
        for g in &self.granular {
            if g.selectors.iter().any(|s| selector_covers(s, property)) {
                level = level.max(g.level);
            }
        }
        level
    }

    /// The statement markings (copyright, terms of use), by text.
    pub fn statements(&self) -> Vec<&str> {
        self.markings
            .iter()
            .filter_map(|m| match m {
                ResolvedMarking::Statement { statement, .. } => Some(statement.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Markings that are neither TLP nor statements (custom, unknown).
    pub fn other_markings(&self) -> Vec<&ResolvedMarking> {
        self.markings
            .iter()
            .filter(|m| {
                matches!(
                    m,
                    ResolvedMarking::Custom { .. } | ResolvedMarking::Unknown { .. }
                )
            })
            .collect()
    }
}

/// True when content selected by `selector` overlaps `property`: one is the
/// other or a part of it (`pattern` covers `pattern`; `external_references`
/// covers `external_references.[0].url` and the reverse).
fn selector_covers(selector: &str, property: &str) -> bool {
    fn within(inner: &str, outer: &str) -> bool {
        inner == outer
            || (inner.len() > outer.len()
                && inner.starts_with(outer)
                && inner.as_bytes()[outer.len()] == b'.')
    }
    within(selector, property) || within(property, selector)
}

/// Resolves marking references: official TLP ids first, then the marking
/// definitions registered from the feed being processed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingResolver {
    settings: MarkingSettings,
    defined: HashMap<String, ResolvedMarking>,
}

impl MarkingResolver {
    /// A resolver that knows only the official TLP definitions.
    pub fn new(settings: MarkingSettings) -> Self {
        MarkingResolver {
            settings,
            defined: HashMap::new(),
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> MarkingSettings {
        self.settings
    }

    /// Register a marking definition of the feed, so that references to its
    /// id resolve to what it defines. Official TLP ids are never
    /// overridden, whatever the feed's object says.
    pub fn add_definition(&mut self, def: &MarkingDefinition) {
        let id = def.common.id.as_str();
        if tlp::tlp_by_id(id).is_some() {
            return;
        }
        let resolved = classify_definition(def);
        self.defined.insert(id.to_ascii_lowercase(), resolved);
    }

    /// Register every marking definition among `objects`.
    pub fn add_objects<'a>(&mut self, objects: impl IntoIterator<Item = &'a StixObject>) {
        for o in objects {
            if let StixObject::MarkingDefinition(d) = o {
                self.add_definition(d);
            }
        }
    }

    /// What the marking with this id is.
    pub fn resolve(&self, id: &str) -> ResolvedMarking {
        if let Some(m) = tlp::tlp_by_id(id) {
            return ResolvedMarking::Tlp {
                id: id.to_owned(),
                level: m.level,
                version: m.version,
            };
        }
        match self.defined.get(&id.to_ascii_lowercase()) {
            Some(r) => r.clone(),
            None => ResolvedMarking::Unknown { id: id.to_owned() },
        }
    }

    /// The resolved markings of `object`.
    pub fn markings_of(&self, object: &StixObject) -> ObjectMarkings {
        let mut markings: Vec<ResolvedMarking> = Vec::new();
        let mut object_tlp: Option<(TlpLevel, TlpVersion)> = None;
        // Raised by feed-defined TLP markings and unresolved references:
        // they can only make the object more restrictive.
        let mut raised: Option<TlpLevel> = None;
        let mut unresolved = false;
        for r in object.object_marking_refs() {
            let m = self.resolve(r.as_str());
            match &m {
                ResolvedMarking::Tlp { level, version, .. }
                    if object_tlp.map_or(true, |(l, _)| *level > l) =>
                {
                    object_tlp = Some((*level, *version));
                }
                ResolvedMarking::FeedTlp { level, .. } => {
                    raised = Some(raised.map_or(*level, |l| l.max(*level)));
                }
                ResolvedMarking::Unknown { .. } => {
                    unresolved = true;
                    let level = self.settings.unresolved;
                    raised = Some(raised.map_or(level, |l| l.max(level)));
                }
                _ => {}
            }
            if !markings.contains(&m) {
                markings.push(m);
            }
        }
        let mut granular = Vec::new();
        for g in object.granular_markings() {
            let Some(r) = &g.marking_ref else { continue };
            let m = self.resolve(r.as_str());
            let level = match &m {
                ResolvedMarking::Unknown { .. } => Some(self.settings.unresolved),
                other => other.tlp_level(),
            };
            if let Some(level) = level {
                granular.push(GranularTlp {
                    marking_ref: r.as_str().to_owned(),
                    level,
                    selectors: g.selectors.clone().unwrap_or_default(),
                });
            }
            if !markings.contains(&m) {
                markings.push(m);
            }
        }
        // The nine official TLP definitions are public: unmarked, they count
        // as CLEAR, so any destination may carry the definitions its
        // objects refer to.
        let official_definition = matches!(object, StixObject::MarkingDefinition(_))
            && tlp::tlp_by_id(object.id().as_str()).is_some();
        let unmarked_default = if official_definition {
            TlpLevel::Clear
        } else {
            self.settings.unmarked
        };
        let base = object_tlp
            .map_or(unmarked_default, |(l, _)| l)
            .max(raised.unwrap_or(TlpLevel::Clear));
        let tlp = granular.iter().map(|g| g.level).fold(base, TlpLevel::max);
        ObjectMarkings {
            tlp,
            source: match (object_tlp, unresolved) {
                (Some(_), _) => TlpSource::Marked,
                (None, true) => TlpSource::Unresolved,
                (None, false) => TlpSource::Unmarked,
            },
            object_tlp: object_tlp.map(|(l, _)| l),
            tlp_version: object_tlp.map(|(_, v)| v),
            unmarked_default,
            base,
            granular,
            markings,
        }
    }
}

fn tlp_from_word(word: &str) -> Option<TlpLevel> {
    match word.to_ascii_lowercase().as_str() {
        "white" | "clear" => Some(TlpLevel::Clear),
        "green" => Some(TlpLevel::Green),
        "amber" => Some(TlpLevel::Amber),
        "amber+strict" => Some(TlpLevel::AmberStrict),
        "red" => Some(TlpLevel::Red),
        _ => None,
    }
}

fn classify_definition(def: &MarkingDefinition) -> ResolvedMarking {
    let id = def.common.id.as_str().to_owned();
    let definition = def.definition.as_ref();
    // Definition types are compared without case: a feed that writes
    // `TLP` means TLP, and reading it as a custom marking would share it
    // more widely than it says.
    let definition_type = def.definition_type.as_deref().unwrap_or("");
    if definition_type.eq_ignore_ascii_case("statement") {
        if let Some(text) = definition
            .and_then(|d| d.get("statement"))
            .and_then(|v| v.as_str())
        {
            return ResolvedMarking::Statement {
                id,
                statement: text.to_owned(),
            };
        }
    }
    // A `tlp` level in the definition counts whatever the definition type
    // says: it can only make the objects marked with it more restrictive.
    if let Some(level) = definition
        .and_then(|d| d.get("tlp"))
        .and_then(|v| v.as_str())
        .and_then(tlp_from_word)
    {
        return ResolvedMarking::FeedTlp { id, level };
    }
    if let Some(level) = def
        .common
        .extensions
        .as_ref()
        .and_then(|e| e.get(TLP2_EXTENSION_ID))
        .and_then(|e| e.properties.get("tlp_2_0"))
        .and_then(|v| v.as_str())
        .and_then(tlp_from_word)
    {
        return ResolvedMarking::FeedTlp { id, level };
    }
    ResolvedMarking::Custom {
        id,
        name: def.name.clone(),
        definition_type: def.definition_type.clone(),
    }
}
