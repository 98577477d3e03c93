//! TLP-safe routing of objects to named destinations.
//!
//! A [`Router`] applies the rules of a [`RouterConfig`] to each object and
//! sends it to the destinations the matching rules name, except where the
//! object's TLP level (see [`crate::marking`]) is above the destination's
//! `max_tlp`: then it is withheld, and the [`RoutingReport`] says so and
//! why. [`RoutingReport::batch`] then gathers, for one destination, the
//! objects routed there plus the context a normaliser may use (only objects
//! at or below the destination's ceiling).
//!
//! ```
//! use stix_core::normalize::{render, OutputFormat};
//! use stix_core::route::Router;
//! use stix_core::{parse_bundle_str, StixObject, Timestamp};
//!
//! let feed = r#"{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
//!   {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
//!    "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
//!    "pattern": "[domain-name:value = 'shared.example']", "pattern_type": "stix",
//!    "valid_from": "2024-01-01T00:00:00Z",
//!    "object_marking_refs": ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]},
//!   {"type": "indicator", "spec_version": "2.1", "id": "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
//!    "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
//!    "pattern": "[domain-name:value = 'secret.example']", "pattern_type": "stix",
//!    "valid_from": "2024-01-01T00:00:00Z",
//!    "object_marking_refs": ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}
//! ]}"#;
//! let objects: Vec<StixObject> = parse_bundle_str(feed).unwrap().objects().cloned().collect();
//! let router = Router::with_default_config();
//! let report = router.route(&objects, &Timestamp::parse("2024-07-01T00:00:00Z").unwrap());
//! let batch = report.batch("blocklist", &objects).unwrap();
//! let out = render(&batch, &[OutputFormat::Blocklist]);
//! assert_eq!(out.file("domains.txt").unwrap().bytes, b"shared.example\n");
//! // The TLP:RED indicator went to `restricted` only, and the report says
//! // which destinations refused it.
//! assert_eq!(report.objects[1].destinations, ["restricted"]);
//! assert_eq!(report.objects[1].withheld.len(), 4);
//! ```

mod config;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

pub use config::{DestinationConfig, RouterConfig, RouterSettings, Rule, DEFAULT_ROUTES_TOML};

use crate::error::Error;
use crate::marking::{
    MarkingResolver, MarkingSettings, ObjectMarkings, ResolvedMarking, TlpSource,
};
use crate::normalize::OutputFormat;
use crate::object::StixObject;
use crate::tlp::TlpLevel;
use crate::Timestamp;

/// Routes objects according to a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Router {
    config: RouterConfig,
}

/// An object a destination did not get because of its TLP ceiling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withheld {
    /// The object's id.
    pub object_id: String,
    /// The object's type.
    pub object_type: String,
    /// The destination that did not get it.
    pub destination: String,
    /// The rule that asked for it.
    pub rule: String,
    /// The level the object counts at.
    pub object_tlp: TlpLevel,
    /// The destination's ceiling.
    pub max_tlp: TlpLevel,
    /// A sentence saying why.
    pub reason: String,
}

/// What happened to one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRoute {
    /// The object's id.
    pub id: String,
    /// The object's type.
    pub object_type: String,
    /// The version routed (`modified`, else `created`).
    pub version: Option<Timestamp>,
    /// Its resolved markings (level, statements, custom markings).
    pub markings: ObjectMarkings,
    /// The rules that matched, by name.
    pub matched_rules: Vec<String>,
    /// Where it was sent.
    pub destinations: Vec<String>,
    /// Where it was refused because of its TLP level.
    pub withheld: Vec<Withheld>,
}

/// One destination's share of a routing run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationRoute {
    /// The destination's ceiling.
    pub max_tlp: TlpLevel,
    /// Its output formats.
    pub formats: Vec<OutputFormat>,
    /// Ids of the objects sent there, in input order.
    pub object_ids: Vec<String>,
    /// How many objects were withheld from it.
    pub withheld: usize,
}

/// The result of routing a set of objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingReport {
    /// What an unmarked object counted as (show it in every summary).
    pub unmarked_tlp: TlpLevel,
    /// The instant used to judge validity windows.
    pub now: Timestamp,
    /// Per object, in input order.
    pub objects: Vec<ObjectRoute>,
    /// Per destination (every declared destination, even if empty).
    pub destinations: BTreeMap<String, DestinationRoute>,
    /// Every refusal, in input order.
    pub withheld: Vec<Withheld>,
    /// The marking resolver of this run (official TLP plus the feed's own
    /// marking definitions).
    pub resolver: MarkingResolver,
}

/// Everything a normaliser needs for one destination: the objects routed
/// there and the context it may draw on, none of it above the ceiling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationBatch {
    /// The destination's name.
    pub destination: String,
    /// Its ceiling: no object or value above it may appear in its output.
    pub max_tlp: TlpLevel,
    /// What unmarked objects count as.
    pub unmarked_tlp: TlpLevel,
    /// The instant used to judge validity windows (`valid_until`).
    pub now: Timestamp,
    /// The objects routed to the destination (latest version of each id).
    pub objects: Vec<StixObject>,
    /// Other objects at or below the ceiling (relationships, malware,
    /// actors, campaigns…), for context only.
    pub context: Vec<StixObject>,
    /// The resolved markings of every object above, by id.
    pub markings: BTreeMap<String, ObjectMarkings>,
}

impl DestinationBatch {
    /// The markings of the object with this id (objects of the batch
    /// always have an entry).
    pub fn markings_of(&self, id: &str) -> Option<&ObjectMarkings> {
        self.markings.get(id)
    }

    /// True when the object's level is at or below the ceiling.
    pub fn allows(&self, id: &str) -> bool {
        self.markings.get(id).is_some_and(|m| m.tlp <= self.max_tlp)
    }
}

/// True when an indicator's `valid_until` is at or before `now`.
pub fn is_expired(object: &StixObject, now: &Timestamp) -> bool {
    match object {
        StixObject::Indicator(i) => i.valid_until.as_ref().is_some_and(|u| u <= now),
        _ => false,
    }
}

/// True when the object says `revoked: true`.
pub fn is_revoked(object: &StixObject) -> bool {
    object.revoked() == Some(true)
}

impl Router {
    /// A router for a configuration (checked first).
    pub fn new(config: RouterConfig) -> Result<Router, Error> {
        config.check()?;
        Ok(Router { config })
    }

    /// A router for a TOML configuration.
    pub fn from_toml_str(text: &str) -> Result<Router, Error> {
        Router::new(RouterConfig::from_toml_str(text)?)
    }

    /// A router with the built-in configuration.
    pub fn with_default_config() -> Router {
        Router {
            config: RouterConfig::default_config(),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &RouterConfig {
        &self.config
    }

    /// The marking settings this router applies.
    pub fn marking_settings(&self) -> MarkingSettings {
        MarkingSettings {
            unmarked: self.config.settings.unmarked_tlp,
            unresolved: self.config.settings.unresolved_tlp,
        }
    }

    /// Route `objects` (a whole feed: its marking definitions are used to
    /// resolve references), judging validity windows at `now`.
    pub fn route(&self, objects: &[StixObject], now: &Timestamp) -> RoutingReport {
        let mut resolver = MarkingResolver::new(self.marking_settings());
        resolver.add_objects(objects);
        let mut destinations: BTreeMap<String, DestinationRoute> = self
            .config
            .destinations
            .iter()
            .map(|(name, d)| {
                (
                    name.clone(),
                    DestinationRoute {
                        max_tlp: d.max_tlp,
                        formats: d.formats.clone(),
                        object_ids: Vec::new(),
                        withheld: 0,
                    },
                )
            })
            .collect();
        // Levels of every object of the feed, so that an object referring
        // to something above a destination's ceiling is held back too: a
        // GREEN relationship to a RED actor would otherwise reveal it.
        let mut levels: HashMap<&str, TlpLevel> = HashMap::new();
        for o in objects {
            // With several versions of one id, the most restrictive counts.
            let l = resolver.markings_of(o).tlp;
            let e = levels.entry(o.id().as_str()).or_insert(l);
            *e = (*e).max(l);
        }
        let mut routes = Vec::with_capacity(objects.len());
        let mut all_withheld = Vec::new();
        for object in objects {
            let markings = resolver.markings_of(object);
            let referred: Vec<(String, TlpLevel)> = references(object)
                .into_iter()
                .filter_map(|r| levels.get(r.as_str()).map(|l| (r, *l)))
                .collect();
            let mut route = ObjectRoute {
                id: object.id().as_str().to_owned(),
                object_type: object.type_name().to_owned(),
                version: version_of(object),
                markings,
                matched_rules: Vec::new(),
                destinations: Vec::new(),
                withheld: Vec::new(),
            };
            for rule in &self.config.rules {
                if !rule_matches(rule, object, route.markings.tlp, now) {
                    continue;
                }
                route.matched_rules.push(rule.name.clone());
                for d in &rule.destinations {
                    let Some(dest) = destinations.get_mut(d) else {
                        continue;
                    };
                    if route.destinations.contains(d)
                        || route.withheld.iter().any(|w| &w.destination == d)
                    {
                        continue;
                    }
                    let above_ref = referred.iter().find(|(_, l)| *l > dest.max_tlp);
                    if let (true, Some((r, l))) = (route.markings.tlp <= dest.max_tlp, above_ref) {
                        dest.withheld += 1;
                        route.withheld.push(Withheld {
                            object_id: route.id.clone(),
                            object_type: route.object_type.clone(),
                            destination: d.clone(),
                            rule: rule.name.clone(),
                            object_tlp: route.markings.tlp,
                            max_tlp: dest.max_tlp,
                            reason: format!(
                                "refers to {r}, which is {l}, above the destination's ceiling {}",
                                dest.max_tlp
                            ),
                        });
                    } else if route.markings.tlp <= dest.max_tlp {
                        route.destinations.push(d.clone());
                        dest.object_ids.push(route.id.clone());
                    } else {
                        dest.withheld += 1;
                        route.withheld.push(Withheld {
                            object_id: route.id.clone(),
                            object_type: route.object_type.clone(),
                            destination: d.clone(),
                            rule: rule.name.clone(),
                            object_tlp: route.markings.tlp,
                            max_tlp: dest.max_tlp,
                            reason: format!(
                                "{} is above the destination's ceiling {}{}",
                                route.markings.tlp,
                                dest.max_tlp,
                                if route.markings.source == TlpSource::Unresolved {
                                    " (it refers to a marking definition that is not known)"
                                } else if route.markings.object_tlp.is_none()
                                    && route.markings.granular.is_empty()
                                {
                                    " (unmarked objects count as the configured default)"
                                } else if !route.markings.granular.is_empty()
                                    && route.markings.tlp > route.markings.base_level()
                                {
                                    " (raised by a granular marking)"
                                } else {
                                    ""
                                }
                            ),
                        });
                    }
                }
            }
            all_withheld.extend(route.withheld.iter().cloned());
            routes.push(route);
        }
        RoutingReport {
            unmarked_tlp: self.config.settings.unmarked_tlp,
            now: now.clone(),
            objects: routes,
            destinations,
            withheld: all_withheld,
            resolver,
        }
    }
}

/// The ids an object refers to (`*_ref` and `*_refs` properties at the top
/// level, markings aside).
fn references(object: &StixObject) -> Vec<String> {
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = object.to_value() {
        for (k, v) in map {
            if k == "object_marking_refs" || !(k.ends_with("_ref") || k.ends_with("_refs")) {
                continue;
            }
            match v {
                serde_json::Value::String(s) => out.push(s),
                serde_json::Value::Array(items) => {
                    out.extend(items.into_iter().filter_map(|i| match i {
                        serde_json::Value::String(s) => Some(s),
                        _ => None,
                    }))
                }
                _ => {}
            }
        }
    }
    out
}

fn rule_matches(rule: &Rule, object: &StixObject, tlp: TlpLevel, now: &Timestamp) -> bool {
    if !rule.types.is_empty() && !rule.types.iter().any(|t| t == object.type_name()) {
        return false;
    }
    if !rule.tlp.is_empty() && !rule.tlp.contains(&tlp) {
        return false;
    }
    if rule.tlp_at_least.is_some_and(|l| tlp < l) || rule.tlp_at_most.is_some_and(|l| tlp > l) {
        return false;
    }
    let common = object.common();
    if !rule.labels.is_empty() {
        let labels = common.labels.as_deref().unwrap_or(&[]);
        if !labels.iter().any(|l| rule.labels.contains(l)) {
            return false;
        }
    }
    if !rule.indicator_types.is_empty() {
        let types = match object {
            StixObject::Indicator(i) => i.indicator_types.as_deref().unwrap_or(&[]),
            _ => &[],
        };
        if !types.iter().any(|t| rule.indicator_types.contains(t)) {
            return false;
        }
    }
    if let Some(min) = rule.min_confidence {
        if common.confidence.is_none_or_below(min) {
            return false;
        }
    }
    if let Some(max) = rule.max_confidence {
        if common.confidence.is_some_and(|c| c > max) {
            return false;
        }
    }
    if rule.revoked.is_some_and(|r| r != is_revoked(object)) {
        return false;
    }
    if rule.expired.is_some_and(|e| e != is_expired(object, now)) {
        return false;
    }
    true
}

trait BelowMin {
    fn is_none_or_below(&self, min: i64) -> bool;
}

impl BelowMin for Option<i64> {
    fn is_none_or_below(&self, min: i64) -> bool {
        match self {
            Some(c) => *c < min,
            None => true,
        }
    }
}

fn version_of(o: &StixObject) -> Option<Timestamp> {
    o.modified().or(o.created()).cloned()
}

/// Keep the latest version (greatest `modified`, else `created`) of each id.
fn latest_versions<'a>(objects: impl IntoIterator<Item = &'a StixObject>) -> Vec<&'a StixObject> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<&StixObject> = Vec::new();
    for o in objects {
        let id = o.id().as_str();
        match index.get(id) {
            Some(&i) => {
                if version_of(o) > version_of(out[i]) {
                    out[i] = o;
                }
            }
            None => {
                index.insert(id, out.len());
                out.push(o);
            }
        }
    }
    out
}

impl RoutingReport {
    /// Gather the batch of `destination` from the objects that were routed
    /// (`objects` must be the slice given to [`Router::route`]). `None` when
    /// the destination is not declared.
    pub fn batch(&self, destination: &str, objects: &[StixObject]) -> Option<DestinationBatch> {
        let dest = self.destinations.get(destination)?;
        // Exactly the versions that were routed: when the latest version
        // of an object was withheld, no older version stands in for it.
        let routed_versions: std::collections::HashSet<(&str, Option<&Timestamp>)> = self
            .objects
            .iter()
            .filter(|r| r.destinations.iter().any(|d| d == destination))
            .map(|r| (r.id.as_str(), r.version.as_ref()))
            .collect();
        // A statement marking definition may itself be marked above the
        // ceiling: its text then stays out, whoever refers to it.
        let hidden_statements: std::collections::HashSet<&str> = objects
            .iter()
            .filter(|o| matches!(o, StixObject::MarkingDefinition(_)))
            .filter(|o| self.resolver.markings_of(o).tlp > dest.max_tlp)
            .map(|o| o.id().as_str())
            .collect();
        let mut markings = BTreeMap::new();
        let mut routed = Vec::new();
        let mut context = Vec::new();
        for o in latest_versions(objects) {
            // Markings are judged again here rather than looked up by
            // position, so a batch is safe even for a different slice.
            let mut m = self.resolver.markings_of(o);
            if m.tlp > dest.max_tlp {
                continue;
            }
            for r in &mut m.markings {
                if let ResolvedMarking::Statement { id, .. } = r {
                    if hidden_statements.contains(id.as_str()) {
                        *r = ResolvedMarking::Custom {
                            id: std::mem::take(id),
                            name: None,
                            definition_type: Some("statement".into()),
                        };
                    }
                }
            }
            let id = o.id().as_str();
            let version = version_of(o);
            if routed_versions.contains(&(id, version.as_ref())) {
                routed.push(o.clone());
            } else {
                context.push(o.clone());
            }
            markings.insert(id.to_owned(), m);
        }
        Some(DestinationBatch {
            destination: destination.to_owned(),
            max_tlp: dest.max_tlp,
            unmarked_tlp: self.unmarked_tlp,
            now: self.now.clone(),
            objects: routed,
            context,
            markings,
        })
    }

    /// Objects per destination and TLP level, for summaries.
    pub fn counts(&self) -> BTreeMap<String, BTreeMap<TlpLevel, usize>> {
        let mut out: BTreeMap<String, BTreeMap<TlpLevel, usize>> = BTreeMap::new();
        for r in &self.objects {
            for d in &r.destinations {
                *out.entry(d.clone())
                    .or_default()
                    .entry(r.markings.tlp)
                    .or_default() += 1;
            }
        }
        out
    }
}
