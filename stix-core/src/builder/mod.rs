//! Builders for producers: new indicators, malware, threat actors,
//! relationships, sightings, observed data, marking definitions and
//! bundles, with ids, `created`/`modified` (exactly millisecond precision)
//! and TLP marking references filled in.
//!
//! Every `build` runs the validator's rules on the finished object and
//! refuses it with [`Error::Build`] when any rule fails (an invalid
//! pattern, `valid_until` not after `valid_from`, a confidence of 101…), so
//! a builder never hands out an object the validator would reject.
//!
//! ```
//! use stix_core::builder::IndicatorBuilder;
//! use stix_core::tlp::{TlpLevel, TlpVersion};
//!
//! let ind = IndicatorBuilder::new("[domain-name:value = 'c2.example.net']")
//!     .name("C2 domain")
//!     .indicator_type("malicious-activity")
//!     .tlp(TlpLevel::Green, TlpVersion::V2)
//!     .build()
//!     .unwrap();
//! assert_eq!(ind.common.created.as_ref().unwrap().fraction_digits(), 3);
//! ```

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::object::{
    Bundle, Common, Extension, ExtensionType, ExternalReference, Indicator, KillChainPhase,
    Malware, MarkingDefinition, ObservedData, Relationship, Sighting, StixObject, ThreatActor,
};
use crate::tlp::{self, TlpLevel, TlpVersion, TLP2_EXTENSION_ID};
use crate::validate::{ValidationOptions, Validator};
use crate::{Identifier, Timestamp};

/// The common properties every builder accepts.
#[derive(Debug, Clone, Default)]
struct CommonOpts {
    id: Option<Identifier>,
    created: Option<Timestamp>,
    modified: Option<Timestamp>,
    created_by_ref: Option<Identifier>,
    labels: Vec<String>,
    confidence: Option<i64>,
    marking_refs: Vec<Identifier>,
    external_references: Vec<ExternalReference>,
    revoked: Option<bool>,
    bad_tlp: Option<(TlpLevel, TlpVersion)>,
}

impl CommonOpts {
    fn finish(self, object_type: &str) -> Result<Common, Error> {
        if let Some((level, version)) = self.bad_tlp {
            return Err(build_error(
                object_type,
                "BUILD-02",
                "/object_marking_refs",
                format!(
                    "there is no TLP {} marking for {level}",
                    match version {
                        TlpVersion::V1 => "1.0",
                        TlpVersion::V2 => "2.0",
                    }
                ),
            ));
        }
        let id = match self.id {
            Some(id) => id,
            None => Identifier::new_v4(object_type)?,
        };
        let created = self.created.unwrap_or_else(Timestamp::now_millis);
        let modified = self.modified.unwrap_or_else(|| created.clone());
        let mut c = Common::new(id);
        c.spec_version = Some("2.1".into());
        c.created = Some(created);
        c.modified = Some(modified);
        c.created_by_ref = self.created_by_ref;
        c.labels = (!self.labels.is_empty()).then_some(self.labels);
        c.confidence = self.confidence;
        c.object_marking_refs = (!self.marking_refs.is_empty()).then_some(self.marking_refs);
        c.external_references =
            (!self.external_references.is_empty()).then_some(self.external_references);
        c.revoked = self.revoked;
        Ok(c)
    }
}

fn build_error(object_type: &str, rule: &str, path: &str, message: String) -> Error {
    let d = Diagnostic::error(None, path, rule, message.clone());
    Error::Build {
        object_type: object_type.to_owned(),
        rule: rule.to_owned(),
        path: path.to_owned(),
        message,
        diagnostics: vec![d],
    }
}

/// Run the validator's rules on a finished object; any error refuses it.
pub fn check_built(object: &StixObject) -> Result<(), Error> {
    let options = ValidationOptions {
        strict: true,
        warnings_as_errors: false,
        check_patterns: true,
        check_references: false,
    };
    let report = Validator::new(options).check_object_str(0, &object.to_json());
    let errors: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(Error::Build {
            object_type: object.type_name().to_owned(),
            rule: first.rule.clone(),
            path: first.path.clone(),
            message: first.message.clone(),
            diagnostics: errors,
        }),
    }
}

/// The official TLP marking of this level and edition, if there is one
/// (AMBER+STRICT exists in TLP 2.0 only).
pub fn tlp_marking_ref(level: TlpLevel, version: TlpVersion) -> Option<Identifier> {
    let set: &[tlp::TlpMarking] = match version {
        TlpVersion::V1 => &tlp::TLP1,
        TlpVersion::V2 => &tlp::TLP2,
    };
    set.iter()
        .find(|m| m.level == level)
        .and_then(|m| Identifier::parse(m.id).ok())
}

macro_rules! common_setters {
    () => {
        /// Use this id instead of a new random one.
        pub fn id(mut self, id: Identifier) -> Self {
            self.common.id = Some(id);
            self
        }
        /// Set `created` (default: now, with millisecond precision).
        pub fn created(mut self, t: Timestamp) -> Self {
            self.common.created = Some(t);
            self
        }
        /// Set `modified` (default: `created`).
        pub fn modified(mut self, t: Timestamp) -> Self {
            self.common.modified = Some(t);
            self
        }
        /// Set `created_by_ref` (an identity).
        pub fn created_by(mut self, identity: Identifier) -> Self {
            self.common.created_by_ref = Some(identity);
            self
        }
        /// Add a label.
        pub fn label(mut self, label: impl Into<String>) -> Self {
            self.common.labels.push(label.into());
            self
        }
        /// Set `confidence` (0–100; anything else is refused at build).
        pub fn confidence(mut self, c: i64) -> Self {
            self.common.confidence = Some(c);
            self
        }
        /// Mark the object with the official TLP marking of this level and
        /// edition (refused at build when it does not exist, such as TLP 1.0
        /// AMBER+STRICT).
        pub fn tlp(mut self, level: TlpLevel, version: TlpVersion) -> Self {
            match tlp_marking_ref(level, version) {
                Some(id) => {
                    if !self.common.marking_refs.contains(&id) {
                        self.common.marking_refs.push(id)
                    }
                }
                None => self.common.bad_tlp = Some((level, version)),
            }
            self
        }
        /// Add an object marking reference (a statement marking, say).
        pub fn marking_ref(mut self, id: Identifier) -> Self {
            if !self.common.marking_refs.contains(&id) {
                self.common.marking_refs.push(id);
            }
            self
        }
        /// Add an external reference.
        pub fn external_reference(mut self, r: ExternalReference) -> Self {
            self.common.external_references.push(r);
            self
        }
        /// Set `revoked`.
        pub fn revoked(mut self, revoked: bool) -> Self {
            self.common.revoked = Some(revoked);
            self
        }
    };
}

/// Builds an indicator.
#[derive(Debug, Clone)]
pub struct IndicatorBuilder {
    common: CommonOpts,
    pattern: String,
    pattern_type: String,
    name: Option<String>,
    description: Option<String>,
    indicator_types: Vec<String>,
    valid_from: Option<Timestamp>,
    valid_until: Option<Timestamp>,
    kill_chain_phases: Vec<KillChainPhase>,
}

impl IndicatorBuilder {
    /// An indicator with this STIX pattern (`pattern_type` `stix`).
    pub fn new(pattern: impl Into<String>) -> Self {
        IndicatorBuilder {
            common: CommonOpts::default(),
            pattern: pattern.into(),
            pattern_type: "stix".into(),
            name: None,
            description: None,
            indicator_types: Vec::new(),
            valid_from: None,
            valid_until: None,
            kill_chain_phases: Vec::new(),
        }
    }

    common_setters!();

    /// Set `pattern_type` (default `stix`; other languages are not parsed).
    pub fn pattern_type(mut self, t: impl Into<String>) -> Self {
        self.pattern_type = t.into();
        self
    }
    /// Set `name`.
    pub fn name(mut self, n: impl Into<String>) -> Self {
        self.name = Some(n.into());
        self
    }
    /// Set `description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Add an `indicator_types` value (indicator-type-ov).
    pub fn indicator_type(mut self, t: impl Into<String>) -> Self {
        self.indicator_types.push(t.into());
        self
    }
    /// Set `valid_from` (default: `created`).
    pub fn valid_from(mut self, t: Timestamp) -> Self {
        self.valid_from = Some(t);
        self
    }
    /// Set `valid_until` (must be after `valid_from`).
    pub fn valid_until(mut self, t: Timestamp) -> Self {
        self.valid_until = Some(t);
        self
    }
    /// Add a kill-chain phase.
    pub fn kill_chain_phase(mut self, chain: impl Into<String>, phase: impl Into<String>) -> Self {
        self.kill_chain_phases.push(KillChainPhase {
            kill_chain_name: Some(chain.into()),
            phase_name: Some(phase.into()),
            custom: Map::new(),
        });
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<Indicator, Error> {
        let common = self.common.finish(Indicator::TYPE)?;
        let mut i = Indicator::new(common.id.clone());
        i.valid_from = Some(
            self.valid_from
                .unwrap_or_else(|| common.created.clone().unwrap_or_else(Timestamp::now_millis)),
        );
        i.common = common;
        i.pattern = Some(self.pattern);
        i.pattern_type = Some(self.pattern_type);
        i.name = self.name;
        i.description = self.description;
        i.indicator_types = (!self.indicator_types.is_empty()).then_some(self.indicator_types);
        i.valid_until = self.valid_until;
        i.kill_chain_phases =
            (!self.kill_chain_phases.is_empty()).then_some(self.kill_chain_phases);
        let o = StixObject::from(i);
        check_built(&o)?;
        match o {
            StixObject::Indicator(i) => Ok(*i),
            _ => unreachable!("built an indicator"),
        }
    }
}

/// Builds a malware object.
#[derive(Debug, Clone)]
pub struct MalwareBuilder {
    common: CommonOpts,
    name: String,
    is_family: bool,
    description: Option<String>,
    malware_types: Vec<String>,
    aliases: Vec<String>,
    capabilities: Vec<String>,
}

impl MalwareBuilder {
    /// Malware with this name; `is_family` says whether it is a family
    /// (true) or one instance.
    pub fn new(name: impl Into<String>, is_family: bool) -> Self {
        MalwareBuilder {
            common: CommonOpts::default(),
            name: name.into(),
            is_family,
            description: None,
            malware_types: Vec::new(),
            aliases: Vec::new(),
            capabilities: Vec::new(),
        }
    }

    common_setters!();

    /// Set `description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Add a `malware_types` value (malware-type-ov).
    pub fn malware_type(mut self, t: impl Into<String>) -> Self {
        self.malware_types.push(t.into());
        self
    }
    /// Add an alias.
    pub fn alias(mut self, a: impl Into<String>) -> Self {
        self.aliases.push(a.into());
        self
    }
    /// Add a capability (malware-capabilities-ov).
    pub fn capability(mut self, c: impl Into<String>) -> Self {
        self.capabilities.push(c.into());
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<Malware, Error> {
        let common = self.common.finish(Malware::TYPE)?;
        let mut m = Malware::new(common.id.clone());
        m.common = common;
        m.name = Some(self.name);
        m.is_family = Some(self.is_family);
        m.description = self.description;
        m.malware_types = (!self.malware_types.is_empty()).then_some(self.malware_types);
        m.aliases = (!self.aliases.is_empty()).then_some(self.aliases);
        m.capabilities = (!self.capabilities.is_empty()).then_some(self.capabilities);
        let o = StixObject::from(m);
        check_built(&o)?;
        match o {
            StixObject::Malware(m) => Ok(*m),
            _ => unreachable!("built malware"),
        }
    }
}

/// Builds a threat actor.
#[derive(Debug, Clone)]
pub struct ThreatActorBuilder {
    common: CommonOpts,
    name: String,
    description: Option<String>,
    threat_actor_types: Vec<String>,
    aliases: Vec<String>,
    goals: Vec<String>,
    sophistication: Option<String>,
    primary_motivation: Option<String>,
}

impl ThreatActorBuilder {
    /// A threat actor with this name.
    pub fn new(name: impl Into<String>) -> Self {
        ThreatActorBuilder {
            common: CommonOpts::default(),
            name: name.into(),
            description: None,
            threat_actor_types: Vec::new(),
            aliases: Vec::new(),
            goals: Vec::new(),
            sophistication: None,
            primary_motivation: None,
        }
    }

    common_setters!();

    /// Set `description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Add a `threat_actor_types` value (threat-actor-type-ov).
    pub fn threat_actor_type(mut self, t: impl Into<String>) -> Self {
        self.threat_actor_types.push(t.into());
        self
    }
    /// Add an alias.
    pub fn alias(mut self, a: impl Into<String>) -> Self {
        self.aliases.push(a.into());
        self
    }
    /// Add a goal.
    pub fn goal(mut self, g: impl Into<String>) -> Self {
        self.goals.push(g.into());
        self
    }
    /// Set `sophistication` (threat-actor-sophistication-ov).
    pub fn sophistication(mut self, s: impl Into<String>) -> Self {
        self.sophistication = Some(s.into());
        self
    }
    /// Set `primary_motivation` (attack-motivation-ov).
    pub fn primary_motivation(mut self, s: impl Into<String>) -> Self {
        self.primary_motivation = Some(s.into());
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<ThreatActor, Error> {
        let common = self.common.finish(ThreatActor::TYPE)?;
        let mut t = ThreatActor::new(common.id.clone());
        t.common = common;
        t.name = Some(self.name);
        t.description = self.description;
        t.threat_actor_types =
            (!self.threat_actor_types.is_empty()).then_some(self.threat_actor_types);
        t.aliases = (!self.aliases.is_empty()).then_some(self.aliases);
        t.goals = (!self.goals.is_empty()).then_some(self.goals);
        t.sophistication = self.sophistication;
        t.primary_motivation = self.primary_motivation;
        let o = StixObject::from(t);
        check_built(&o)?;
        match o {
            StixObject::ThreatActor(t) => Ok(*t),
            _ => unreachable!("built a threat actor"),
        }
    }
}

/// Builds a relationship.
#[derive(Debug, Clone)]
pub struct RelationshipBuilder {
    common: CommonOpts,
    source: Identifier,
    relationship_type: String,
    target: Identifier,
    description: Option<String>,
    start_time: Option<Timestamp>,
    stop_time: Option<Timestamp>,
}

impl RelationshipBuilder {
    /// `source` —`relationship_type`→ `target` (`indicates`, `uses`…).
    pub fn new(
        source: Identifier,
        relationship_type: impl Into<String>,
        target: Identifier,
    ) -> Self {
        RelationshipBuilder {
            common: CommonOpts::default(),
            source,
            relationship_type: relationship_type.into(),
            target,
            description: None,
            start_time: None,
            stop_time: None,
        }
    }

    common_setters!();

    /// Set `description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }
    /// Set `start_time`.
    pub fn start_time(mut self, t: Timestamp) -> Self {
        self.start_time = Some(t);
        self
    }
    /// Set `stop_time` (must be after `start_time`).
    pub fn stop_time(mut self, t: Timestamp) -> Self {
        self.stop_time = Some(t);
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<Relationship, Error> {
        let common = self.common.finish(Relationship::TYPE)?;
        let mut r = Relationship::new(common.id.clone());
        r.common = common;
        r.relationship_type = Some(self.relationship_type);
        r.source_ref = Some(self.source);
        r.target_ref = Some(self.target);
        r.description = self.description;
        r.start_time = self.start_time;
        r.stop_time = self.stop_time;
        let o = StixObject::from(r);
        check_built(&o)?;
        match o {
            StixObject::Relationship(r) => Ok(*r),
            _ => unreachable!("built a relationship"),
        }
    }
}

/// Builds a sighting.
#[derive(Debug, Clone)]
pub struct SightingBuilder {
    common: CommonOpts,
    sighting_of: Identifier,
    count: Option<i64>,
    first_seen: Option<Timestamp>,
    last_seen: Option<Timestamp>,
    observed_data_refs: Vec<Identifier>,
    where_sighted_refs: Vec<Identifier>,
    description: Option<String>,
}

impl SightingBuilder {
    /// A sighting of this SDO (usually an indicator).
    pub fn new(sighting_of: Identifier) -> Self {
        SightingBuilder {
            common: CommonOpts::default(),
            sighting_of,
            count: None,
            first_seen: None,
            last_seen: None,
            observed_data_refs: Vec::new(),
            where_sighted_refs: Vec::new(),
            description: None,
        }
    }

    common_setters!();

    /// Set `count` (0–999999999).
    pub fn count(mut self, n: i64) -> Self {
        self.count = Some(n);
        self
    }
    /// Set `first_seen`.
    pub fn first_seen(mut self, t: Timestamp) -> Self {
        self.first_seen = Some(t);
        self
    }
    /// Set `last_seen`.
    pub fn last_seen(mut self, t: Timestamp) -> Self {
        self.last_seen = Some(t);
        self
    }
    /// Add an `observed_data_refs` entry.
    pub fn observed_data(mut self, id: Identifier) -> Self {
        self.observed_data_refs.push(id);
        self
    }
    /// Add a `where_sighted_refs` entry (an identity or location).
    pub fn where_sighted(mut self, id: Identifier) -> Self {
        self.where_sighted_refs.push(id);
        self
    }
    /// Set `description`.
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = Some(d.into());
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<Sighting, Error> {
        let common = self.common.finish(Sighting::TYPE)?;
        let mut s = Sighting::new(common.id.clone());
        s.common = common;
        s.sighting_of_ref = Some(self.sighting_of);
        s.count = self.count;
        s.first_seen = self.first_seen;
        s.last_seen = self.last_seen;
        s.observed_data_refs =
            (!self.observed_data_refs.is_empty()).then_some(self.observed_data_refs);
        s.where_sighted_refs =
            (!self.where_sighted_refs.is_empty()).then_some(self.where_sighted_refs);
        s.description = self.description;
        let o = StixObject::from(s);
        check_built(&o)?;
        match o {
            StixObject::Sighting(s) => Ok(*s),
            _ => unreachable!("built a sighting"),
        }
    }
}

/// Build an SCO of `sco_type` from its properties, with its deterministic
/// id (UUIDv5 over its id-contributing properties) and `spec_version`.
pub fn sco(sco_type: &str, properties: Map<String, Value>) -> Result<StixObject, Error> {
    let id = crate::sco_id::generate_sco_id(sco_type, &properties).map_err(|e| {
        build_error(
            sco_type,
            "BUILD-03",
            "/id",
            format!("cannot derive the SCO id: {e}"),
        )
    })?;
    let mut obj = Map::new();
    obj.insert("type".into(), Value::String(sco_type.to_owned()));
    obj.insert("spec_version".into(), Value::String("2.1".into()));
    obj.insert("id".into(), Value::String(id));
    for (k, v) in properties {
        if !matches!(k.as_str(), "type" | "id" | "spec_version") {
            obj.insert(k, v);
        }
    }
    let o = StixObject::from_value(Value::Object(obj))
        .map_err(|e| build_error(sco_type, "BUILD-04", "", e.to_string()))?;
    check_built(&o)?;
    Ok(o)
}

/// Builds observed data over SCOs.
#[derive(Debug, Clone)]
pub struct ObservedDataBuilder {
    common: CommonOpts,
    first_observed: Timestamp,
    last_observed: Timestamp,
    number_observed: i64,
    object_refs: Vec<Identifier>,
}

impl ObservedDataBuilder {
    /// Observed data seen `number_observed` times between the two instants.
    pub fn new(first_observed: Timestamp, last_observed: Timestamp, number_observed: i64) -> Self {
        ObservedDataBuilder {
            common: CommonOpts::default(),
            first_observed,
            last_observed,
            number_observed,
            object_refs: Vec::new(),
        }
    }

    common_setters!();

    /// Refer to an SCO (built with [`sco`]) or SRO.
    pub fn object_ref(mut self, id: Identifier) -> Self {
        self.object_refs.push(id);
        self
    }

    /// Build and validate.
    pub fn build(self) -> Result<ObservedData, Error> {
        let common = self.common.finish(ObservedData::TYPE)?;
        let mut d = ObservedData::new(common.id.clone());
        d.common = common;
        d.first_observed = Some(self.first_observed);
        d.last_observed = Some(self.last_observed);
        d.number_observed = Some(self.number_observed);
        d.object_refs = Some(self.object_refs);
        let o = StixObject::from(d);
        check_built(&o)?;
        match o {
            StixObject::ObservedData(d) => Ok(*d),
            _ => unreachable!("built observed data"),
        }
    }
}

/// The official TLP marking definition object of this level and edition,
/// exactly as published (TLP 1.0 in the specification, TLP 2.0 in the
/// OASIS common objects).
pub fn tlp_marking_definition(
    level: TlpLevel,
    version: TlpVersion,
) -> Result<MarkingDefinition, Error> {
    let set: &[tlp::TlpMarking] = match version {
        TlpVersion::V1 => &tlp::TLP1,
        TlpVersion::V2 => &tlp::TLP2,
    };
    let Some(m) = set.iter().find(|m| m.level == level) else {
        return Err(build_error(
            "marking-definition",
            "BUILD-02",
            "",
            format!(
                "there is no TLP {} marking for {level}",
                if version == TlpVersion::V1 {
                    "1.0"
                } else {
                    "2.0"
                }
            ),
        ));
    };
    let mut common = Common::new(Identifier::parse(m.id)?);
    common.spec_version = Some("2.1".into());
    let mut d = MarkingDefinition::new(common.id.clone());
    d.name = Some(m.name.to_owned());
    match version {
        TlpVersion::V1 => {
            common.created = Some(Timestamp::parse(tlp::TLP1_CREATED)?);
            d.definition_type = Some("tlp".into());
            let word = match level {
                TlpLevel::Clear => "white",
                TlpLevel::Green => "green",
                TlpLevel::Amber => "amber",
                _ => "red",
            };
            let mut def = Map::new();
            def.insert("tlp".into(), Value::String(word.into()));
            d.definition = Some(def);
        }
        TlpVersion::V2 => {
            common.created = Some(Timestamp::parse(tlp::TLP2_CREATED)?);
            let mut props = Map::new();
            props.insert(
                "tlp_2_0".into(),
                Value::String(m.name.trim_start_matches("TLP:").to_ascii_lowercase()),
            );
            let mut ext = crate::object::Extensions::new();
            ext.insert(
                TLP2_EXTENSION_ID.to_owned(),
                Extension {
                    extension_type: Some(ExtensionType::PropertyExtension),
                    properties: props,
                },
            );
            common.extensions = Some(ext);
        }
    }
    d.common = common;
    Ok(d)
}

/// A new statement marking definition (copyright, terms of use).
pub fn statement_marking(statement: impl Into<String>) -> Result<MarkingDefinition, Error> {
    let statement = statement.into();
    if statement.trim().is_empty() {
        return Err(build_error(
            "marking-definition",
            "BUILD-05",
            "/definition/statement",
            "a statement marking needs a non-empty statement".into(),
        ));
    }
    let mut common = Common::new(Identifier::new_v4("marking-definition")?);
    common.spec_version = Some("2.1".into());
    common.created = Some(Timestamp::now_millis());
    let mut d = MarkingDefinition::new(common.id.clone());
    d.common = common;
    d.definition_type = Some("statement".into());
    let mut def = Map::new();
    def.insert("statement".into(), Value::String(statement));
    d.definition = Some(def);
    let o = StixObject::from(d);
    check_built(&o)?;
    match o {
        StixObject::MarkingDefinition(d) => Ok(*d),
        _ => unreachable!("built a marking definition"),
    }
}

/// Builds a bundle; adds the official TLP marking definitions its objects
/// refer to, so that the bundle stands on its own.
#[derive(Debug, Clone, Default)]
pub struct BundleBuilder {
    objects: Vec<StixObject>,
}

impl BundleBuilder {
    /// An empty bundle.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add an object.
    pub fn object(mut self, object: impl Into<StixObject>) -> Self {
        self.objects.push(object.into());
        self
    }

    /// Build the bundle (random id).
    pub fn build(self) -> Result<Bundle, Error> {
        let mut objects = self.objects;
        let mut present: Vec<String> = objects.iter().map(|o| o.id().as_str().to_owned()).collect();
        let mut extra = Vec::new();
        for o in &objects {
            let refs = o.object_marking_refs().iter().chain(
                o.granular_markings()
                    .iter()
                    .filter_map(|g| g.marking_ref.as_ref()),
            );
            for r in refs {
                if present.iter().any(|p| p == r.as_str()) {
                    continue;
                }
                if let Some(m) = tlp::tlp_by_id(r.as_str()) {
                    extra.push(StixObject::from(tlp_marking_definition(
                        m.level, m.version,
                    )?));
                    present.push(r.as_str().to_owned());
                }
            }
        }
        objects.extend(extra);
        Ok(Bundle::new(objects))
    }
}
