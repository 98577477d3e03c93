//! Cortex XSOAR indicators: `value`, `type` (Domain, IP, IPv6, CIDR, URL,
//! File, Email…), DBot `score` (0 unknown, 1 good, 2 suspicious, 3 bad),
//! the TLP colour, tags and relationships.

use serde_json::{json, Value};
use stix_pattern::ObservableKind;

use super::context::{ContextGraph, RelatedContext};
use super::values::{indicator_entries, is_listable, IndicatorEntry};
use crate::object::StixObject;
use crate::route::DestinationBatch;

/// The XSOAR indicator type of a pattern value, if XSOAR has one.
pub fn xsoar_type(kind: ObservableKind) -> Option<&'static str> {
    Some(match kind {
        ObservableKind::Ipv4 => "IP",
        ObservableKind::Ipv6 => "IPv6",
        ObservableKind::Ipv4Cidr => "CIDR",
        ObservableKind::Ipv6Cidr => "IPv6CIDR",
        ObservableKind::Domain => "Domain",
        ObservableKind::Url => "URL",
        ObservableKind::Hash => "File",
        ObservableKind::EmailAddress => "Email",
        ObservableKind::RegistryKey => "Registry Key",
        ObservableKind::AutonomousSystem => "ASN",
        ObservableKind::UserAccount => "Account",
        _ => return None,
    })
}

/// The XSOAR type of a STIX domain object.
fn sdo_type(object_type: &str) -> Option<&'static str> {
    Some(match object_type {
        "malware" => "Malware",
        "threat-actor" => "Threat Actor",
        "intrusion-set" => "Intrusion Set",
        "campaign" => "Campaign",
        "course-of-action" => "Course of Action",
        "attack-pattern" => "Attack Pattern",
        "tool" => "Tool",
        "infrastructure" => "Infrastructure",
        "vulnerability" => "CVE",
        "report" => "Report",
        "identity" => "Identity",
        "location" => "Location",
        _ => return None,
    })
}

/// DBot score from `indicator_types` and `confidence`.
pub fn dbot_score(indicator_types: &[String], confidence: Option<i64>) -> u8 {
    let has = |t: &str| indicator_types.iter().any(|x| x == t);
    if has("benign") {
        1
    } else if has("malicious-activity")
        || has("compromised")
        || has("attribution")
        || confidence.is_some_and(|c| c >= 75)
    {
        3
    } else {
        2
    }
}

fn relationships(entity: &str, entity_type: &str, ctx: &RelatedContext) -> Vec<Value> {
    let mut out = Vec::new();
    for r in &ctx.relationships {
        let (Some(name), Some(other_type)) = (&r.other.name, sdo_type(&r.other.object_type)) else {
            continue;
        };
        let (rel, reverse) = match (r.relationship_type.as_str(), r.direction.as_str()) {
            ("indicates", "out") => ("indicator-of", "indicated-by"),
            ("indicates", _) => ("indicated-by", "indicator-of"),
            ("uses", "out") => ("uses", "used-by"),
            ("uses", _) => ("used-by", "uses"),
            ("attributed-to", "out") => ("attributed-to", "attribution-of"),
            ("attributed-to", _) => ("attribution-of", "attributed-to"),
            ("mitigates", "out") => ("mitigates", "mitigated-by"),
            ("mitigates", _) => ("mitigated-by", "mitigates"),
            ("targets", "out") => ("targets", "targeted-by"),
            _ => ("related-to", "related-to"),
        };
        out.push(json!({
            "name": rel,
            "reverseName": reverse,
            "entityA": entity,
            "entityAType": entity_type,
            "entityB": name,
            "entityBType": other_type,
        }));
    }
    out
}

fn tlp_colour(level: crate::tlp::TlpLevel) -> &'static str {
    level.label()
}

/// The XSOAR indicators of a batch.
pub fn xsoar_indicators(batch: &DestinationBatch) -> Vec<Value> {
    from_entries(batch, &indicator_entries(batch))
}

/// The XSOAR indicators of a batch as JSON text.
pub fn xsoar_json(batch: &DestinationBatch) -> String {
    serde_json::to_string_pretty(&xsoar_indicators(batch)).unwrap_or_default()
}

pub(crate) fn from_entries(batch: &DestinationBatch, entries: &[IndicatorEntry]) -> Vec<Value> {
    let graph = ContextGraph::new(batch);
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| e.usable()) {
        let ctx = graph.context_of(&e.id);
        let mut tags: Vec<String> = e.indicator_types.clone();
        tags.extend(e.labels.iter().cloned());
        tags.extend(ctx.names().into_iter().map(str::to_owned));
        let mut seen = std::collections::HashSet::new();
        tags.retain(|t| seen.insert(t.clone()));
        for v in &e.values {
            let Some(t) = xsoar_type(v.kind) else {
                continue;
            };
            if v.kind == ObservableKind::Hash && v.object_type == "x509-certificate" {
                continue;
            }
            let value = v.value.trim();
            if !is_listable(v) {
                continue;
            }
            let mut fields = json!({
                "trafficlightprotocol": tlp_colour(e.value_tlp),
                "tags": tags,
                "stixid": e.id,
            });
            if let Some(d) = &e.description {
                fields["description"] = json!(d);
            }
            if let Some(n) = &e.name {
                fields["name"] = json!(n);
            }
            if let Some(alg) = &v.algorithm {
                fields["hashalgorithm"] = json!(alg);
            }
            out.push(json!({
                "value": value,
                "type": t,
                "score": dbot_score(&e.indicator_types, e.confidence),
                "fields": fields,
                "relationships": relationships(value, t, &ctx),
            }));
        }
    }
    for o in &batch.objects {
        let Some(t) = sdo_type(o.type_name()) else {
            continue;
        };
        let Some(name) = super::context::object_name(o) else {
            continue;
        };
        let Some(m) = batch.markings_of(o.id().as_str()) else {
            continue;
        };
        if m.tlp > batch.max_tlp || o.revoked() == Some(true) {
            continue;
        }
        let ctx = graph.context_of(o.id().as_str());
        let score = match o {
            StixObject::Malware(_)
            | StixObject::ThreatActor(_)
            | StixObject::IntrusionSet(_)
            | StixObject::Campaign(_) => 3,
            _ => 0,
        };
        let mut fields = json!({
            "trafficlightprotocol": tlp_colour(m.tlp),
            "tags": o.common().labels.clone().unwrap_or_default(),
            "stixid": o.id().as_str(),
        });
        if let Some(d) = o.to_value().get("description") {
            fields["description"] = d.clone();
        }
        out.push(json!({
            "value": name,
            "type": t,
            "score": score,
            "fields": fields,
            "relationships": relationships(&name, t, &ctx),
        }));
    }
    out
}
