//! JSON-lines records for EDRs (malware) and TIPs (actors, intrusion sets,
//! campaigns), one per routed object, each with the context reconstructed
//! from relationships. A malware record also lists the blocklist-grade
//! values of the indicators that indicate it.

use serde_json::{json, Map, Value};

use super::context::ContextGraph;
use super::values::{indicator_entries, IndicatorEntry};
use crate::object::StixObject;
use crate::route::{is_expired, DestinationBatch};

/// Type-specific properties copied into records as they are.
const KEPT: &[&str] = &[
    "name",
    "description",
    "aliases",
    "malware_types",
    "is_family",
    "capabilities",
    "threat_actor_types",
    "roles",
    "goals",
    "sophistication",
    "resource_level",
    "primary_motivation",
    "secondary_motivations",
    "first_seen",
    "last_seen",
    "objective",
    "indicator_types",
    "pattern",
    "pattern_type",
    "valid_from",
    "valid_until",
    "kill_chain_phases",
    "labels",
    "confidence",
    "created",
    "modified",
];

/// The records of a batch.
pub fn records(batch: &DestinationBatch) -> Vec<Value> {
    records_from_entries(batch, &indicator_entries(batch))
}

/// The records of a batch as JSON lines.
pub fn records_jsonl(batch: &DestinationBatch) -> String {
    jsonl_from_entries(batch, &indicator_entries(batch))
}

pub(crate) fn jsonl_from_entries(batch: &DestinationBatch, entries: &[IndicatorEntry]) -> String {
    let mut out = String::new();
    for r in records_from_entries(batch, entries) {
        out.push_str(&r.to_string());
        out.push('\n');
    }
    out
}

fn records_from_entries(batch: &DestinationBatch, entries: &[IndicatorEntry]) -> Vec<Value> {
    let graph = ContextGraph::new(batch);
    // Values of every usable indicator in the batch (routed or context),
    // for the malware records.
    let context_entries = context_indicator_entries(batch);
    let context_by_id: std::collections::HashMap<&str, &IndicatorEntry> =
        context_entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let routed_by_id: std::collections::HashMap<&str, &IndicatorEntry> =
        entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut out = Vec::new();
    for o in &batch.objects {
        let id = o.id().as_str();
        let Some(m) = batch.markings_of(id) else {
            continue;
        };
        if m.tlp > batch.max_tlp {
            continue;
        }
        let full = o.to_value();
        let mut rec = Map::new();
        rec.insert("id".into(), json!(id));
        rec.insert("type".into(), json!(o.type_name()));
        rec.insert("tlp".into(), json!(m.tlp));
        rec.insert("tlp_source".into(), json!(m.source));
        let statements = m.statements();
        if !statements.is_empty() {
            rec.insert("statements".into(), json!(statements));
        }
        rec.insert("revoked".into(), json!(o.revoked() == Some(true)));
        if let Value::Object(map) = &full {
            for k in KEPT {
                if let Some(v) = map.get(*k) {
                    rec.insert((*k).into(), v.clone());
                }
            }
        }
        if let StixObject::Indicator(_) = o {
            rec.insert("expired".into(), json!(is_expired(o, &batch.now)));
            if let Some(e) = routed_by_id.get(id) {
                rec.insert("flat".into(), json!(e.flat));
                rec.insert("usable".into(), json!(e.usable()));
                if let Some(s) = e.skip {
                    rec.insert("skip_reason".into(), json!(s));
                }
                rec.insert("observables".into(), json!(e.values));
                // A granular marking may make the pattern redder than the
                // indicator: never copy it then.
                if e.values.is_empty() && e.value_tlp > batch.max_tlp {
                    rec.remove("pattern");
                }
            }
        }
        let ctx = graph.context_of(id);
        if matches!(o, StixObject::Malware(_) | StixObject::Tool(_)) {
            let mut values = Vec::new();
            for i in &ctx.indicated_by {
                if let Some(e) = context_by_id.get(i.id.as_str()) {
                    if e.usable() {
                        for v in &e.values {
                            values.push(json!({
                                "indicator": e.id,
                                "kind": v.kind,
                                "value": v.value,
                                "algorithm": v.algorithm,
                            }));
                        }
                    }
                }
            }
            rec.insert("indicator_values".into(), Value::Array(values));
        }
        rec.insert("context".into(), json!(ctx));
        out.push(Value::Object(rec));
    }
    out
}

/// Indicator entries for every indicator of the batch, routed or not.
fn context_indicator_entries(batch: &DestinationBatch) -> Vec<IndicatorEntry> {
    super::values::entries_for(batch, batch.objects.iter().chain(batch.context.iter()))
}
