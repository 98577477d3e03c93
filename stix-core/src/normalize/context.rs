//! Context reconstructed from relationships: which malware an indicator
//! indicates, who uses that malware, which campaign it belongs to.
//!
//! The graph is built from one [`DestinationBatch`], so it only ever holds
//! objects and relationships at or below the destination's ceiling: a
//! TLP:RED actor never shows up as context in an AMBER destination.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::object::StixObject;
use crate::route::DestinationBatch;

/// A short reference to a related object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The related object's id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub object_type: String,
    /// Its `name`, when it has one.
    pub name: Option<String>,
}

/// One relationship of an object, seen from that object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RelationshipRef {
    /// `relationship_type` (`indicates`, `uses`…).
    pub relationship_type: String,
    /// `out` when the object is the source, `in` when it is the target.
    pub direction: String,
    /// The object at the other end.
    pub other: ObjectRef,
}

/// The context of one object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RelatedContext {
    /// What the object `indicates` (for an indicator).
    pub indicates: Vec<ObjectRef>,
    /// Malware the object indicates or uses.
    pub malware: Vec<ObjectRef>,
    /// Threat actors, intrusion sets and campaigns that use the object, or
    /// the malware and tools it indicates.
    pub used_by: Vec<ObjectRef>,
    /// Campaigns the object belongs to, directly or through what it
    /// indicates.
    pub campaigns: Vec<ObjectRef>,
    /// Actors and intrusion sets the object (or its campaigns) is
    /// attributed to.
    pub attributed_to: Vec<ObjectRef>,
    /// Intrusion sets and campaigns attributed to the actors that use the
    /// object (followed through `attributed-to` up to three steps).
    pub intrusion_sets: Vec<ObjectRef>,
    /// Indicators that indicate the object.
    pub indicated_by: Vec<ObjectRef>,
    /// Every direct relationship (and sighting) of the object.
    pub relationships: Vec<RelationshipRef>,
}

impl RelatedContext {
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self.relationships.is_empty()
    }

    /// Every name in the context (malware, users, campaigns, attributions),
    /// for tags.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self
            .indicates
            .iter()
            .chain(&self.malware)
            .chain(&self.used_by)
            .chain(&self.campaigns)
            .chain(&self.attributed_to)
            .chain(&self.intrusion_sets)
        {
            if let Some(n) = &r.name {
                if !out.contains(&n.as_str()) {
                    out.push(n);
                }
            }
        }
        out
    }
}

/// The relationship graph of a batch.
#[derive(Debug, Clone, Default)]
pub struct ContextGraph {
    refs: HashMap<String, ObjectRef>,
    out_edges: HashMap<String, Vec<(String, String)>>,
    in_edges: HashMap<String, Vec<(String, String)>>,
    // (id, relationship type) → other ends: hubs (one malware indicated by
    // thousands of indicators) stay cheap to query by type.
    out_by_type: HashMap<(String, String), Vec<String>>,
    in_by_type: HashMap<(String, String), Vec<String>>,
}

/// The `name` of an object, for the types that have one.
pub fn object_name(o: &StixObject) -> Option<String> {
    use StixObject as S;
    let n = match o {
        S::AttackPattern(x) => &x.name,
        S::Campaign(x) => &x.name,
        S::CourseOfAction(x) => &x.name,
        S::Grouping(x) => &x.name,
        S::Identity(x) => &x.name,
        S::Incident(x) => &x.name,
        S::Indicator(x) => &x.name,
        S::Infrastructure(x) => &x.name,
        S::IntrusionSet(x) => &x.name,
        S::Location(x) => &x.name,
        S::Malware(x) => &x.name,
        S::Report(x) => &x.name,
        S::ThreatActor(x) => &x.name,
        S::Tool(x) => &x.name,
        S::Vulnerability(x) => &x.name,
        S::MarkingDefinition(x) => &x.name,
        S::ExtensionDefinition(x) => &x.name,
        _ => return None,
    };
    n.clone()
}

fn is_actor_like(t: &str) -> bool {
    matches!(t, "threat-actor" | "intrusion-set" | "campaign")
}

impl ContextGraph {
    /// Build the graph from every object of the batch (routed and context).
    /// A relationship is kept only when it and both its ends are in the
    /// batch, that is, at or below the ceiling.
    pub fn new(batch: &DestinationBatch) -> ContextGraph {
        let mut g = ContextGraph::default();
        let all = || batch.objects.iter().chain(batch.context.iter());
        for o in all() {
            g.refs.insert(
                o.id().as_str().to_owned(),
                ObjectRef {
                    id: o.id().as_str().to_owned(),
                    object_type: o.type_name().to_owned(),
                    name: object_name(o),
                },
            );
        }
        for o in all() {
            if o.revoked() == Some(true) {
                continue;
            }
            match o {
                StixObject::Relationship(r) => {
                    let (Some(src), Some(dst), Some(t)) =
                        (&r.source_ref, &r.target_ref, &r.relationship_type)
                    else {
                        continue;
                    };
                    g.edge(src.as_str(), t, dst.as_str());
                }
                StixObject::Sighting(s) => {
                    let Some(of) = &s.sighting_of_ref else {
                        continue;
                    };
                    for w in s.where_sighted_refs.as_deref().unwrap_or(&[]) {
                        g.edge(of.as_str(), "sighted-at", w.as_str());
                    }
                }
                _ => {}
            }
        }
        g
    }

    fn edge(&mut self, src: &str, rel: &str, dst: &str) {
        if !self.refs.contains_key(src) || !self.refs.contains_key(dst) {
            return;
        }
        self.out_edges
            .entry(src.to_owned())
            .or_default()
            .push((rel.to_owned(), dst.to_owned()));
        self.in_edges
            .entry(dst.to_owned())
            .or_default()
            .push((rel.to_owned(), src.to_owned()));
        self.out_by_type
            .entry((src.to_owned(), rel.to_owned()))
            .or_default()
            .push(dst.to_owned());
        self.in_by_type
            .entry((dst.to_owned(), rel.to_owned()))
            .or_default()
            .push(src.to_owned());
    }

    fn outs(&self, id: &str, rel: &str) -> Vec<&ObjectRef> {
        self.out_by_type
            .get(&(id.to_owned(), rel.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|d| self.refs.get(d))
            .collect()
    }

    /// Sources of `rel` edges into `id`, only of the types wanted (a hub's
    /// thousands of `indicates` edges are never walked for `uses`).
    fn ins(&self, id: &str, rel: &str) -> Vec<&ObjectRef> {
        self.in_by_type
            .get(&(id.to_owned(), rel.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|s| self.refs.get(s))
            .collect()
    }

    /// The context of the object with this id.
    pub fn context_of(&self, id: &str) -> RelatedContext {
        let Some(me) = self.refs.get(id) else {
            return RelatedContext::default();
        };
        let mut indicates = BTreeSet::new();
        let mut malware = BTreeSet::new();
        let mut used_by = BTreeSet::new();
        let mut campaigns = BTreeSet::new();
        let mut attributed = BTreeSet::new();
        let mut indicated_by = BTreeSet::new();
        let mut relationships = BTreeSet::new();

        for (rel, other) in self.out_edges.get(id).into_iter().flatten() {
            if let Some(o) = self.refs.get(other) {
                relationships.insert(RelationshipRef {
                    relationship_type: rel.clone(),
                    direction: "out".into(),
                    other: o.clone(),
                });
            }
        }
        for (rel, other) in self.in_edges.get(id).into_iter().flatten() {
            if let Some(o) = self.refs.get(other) {
                relationships.insert(RelationshipRef {
                    relationship_type: rel.clone(),
                    direction: "in".into(),
                    other: o.clone(),
                });
            }
        }

        // What the object stands for: itself, plus what it indicates.
        let mut subjects: Vec<&ObjectRef> = vec![me];
        for t in self.outs(id, "indicates") {
            indicates.insert(t.clone());
            subjects.push(t);
        }
        for s in &subjects {
            if s.object_type == "malware" && s.id != me.id {
                malware.insert((*s).clone());
            }
            if s.object_type == "campaign" && s.id != me.id {
                campaigns.insert((*s).clone());
            }
            if is_actor_like(&s.object_type) && s.id != me.id && s.object_type != "campaign" {
                attributed.insert((*s).clone());
            }
            for u in self.ins(&s.id, "uses") {
                if is_actor_like(&u.object_type) {
                    used_by.insert(u.clone());
                    if u.object_type == "campaign" {
                        campaigns.insert(u.clone());
                    }
                }
            }
            for m in self.outs(&s.id, "uses") {
                if m.object_type == "malware" {
                    malware.insert(m.clone());
                }
            }
            for c in self.ins(&s.id, "attributed-to") {
                if c.object_type == "campaign" {
                    campaigns.insert(c.clone());
                }
            }
            for a in self.outs(&s.id, "attributed-to") {
                if a.object_type == "campaign" {
                    campaigns.insert(a.clone());
                } else {
                    attributed.insert(a.clone());
                }
            }
        }
        for c in campaigns.clone() {
            for a in self.outs(&c.id, "attributed-to") {
                attributed.insert(a.clone());
            }
        }
        // Campaigns and intrusion sets attributed to the users, followed a
        // few steps (campaign → intrusion set → actor).
        let mut sets = BTreeSet::new();
        let mut frontier: Vec<ObjectRef> =
            used_by.iter().chain(attributed.iter()).cloned().collect();
        for _ in 0..3 {
            let mut next = Vec::new();
            for n in &frontier {
                for c in self.ins(&n.id, "attributed-to") {
                    let new = match c.object_type.as_str() {
                        "campaign" => campaigns.insert(c.clone()),
                        "intrusion-set" => sets.insert(c.clone()),
                        _ => false,
                    };
                    if new {
                        next.push(c.clone());
                    }
                }
            }
            frontier = next;
        }
        for i in self.ins(id, "indicates") {
            if i.object_type == "indicator" {
                indicated_by.insert(i.clone());
            }
        }
        RelatedContext {
            indicates: indicates.into_iter().collect(),
            malware: malware.into_iter().collect(),
            used_by: used_by.into_iter().collect(),
            campaigns: campaigns.into_iter().filter(|c| c.id != me.id).collect(),
            attributed_to: attributed.into_iter().filter(|c| c.id != me.id).collect(),
            intrusion_sets: sets.into_iter().filter(|c| c.id != me.id).collect(),
            indicated_by: indicated_by.into_iter().collect(),
            relationships: relationships.into_iter().collect(),
        }
    }
}
