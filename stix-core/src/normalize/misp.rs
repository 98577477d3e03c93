//! A MISP event (the JSON that MISP imports and PyMISP's `MISPEvent`
//! loads): one attribute per indicator value, with the MISP type and
//! category, `to_ids`, TLP tags, and the malware, actors and campaigns of
//! the feed as galaxy-style tags.
//!
//! Values of usable indicators get `to_ids: true`. Values of revoked,
//! expired or non-flat indicators are kept as context with `to_ids: false`
//! (a compound pattern's single values would misfire as detections).

use std::path::Path;

use serde_json::{json, Map, Value};
use stix_pattern::ObservableKind;

use super::context::ContextGraph;
use super::values::{indicator_entries, is_listable, IndicatorEntry, IndicatorValue, SkipReason};
use super::LIBSTIX_NAMESPACE;
use crate::object::StixObject;
use crate::route::DestinationBatch;
use crate::tlp::{TlpLevel, TlpVersion};

/// The MISP tag of a TLP level (TLP 1.0 WHITE stays `tlp:white`).
pub fn tlp_tag(level: TlpLevel, version: Option<TlpVersion>) -> &'static str {
    match (level, version) {
        (TlpLevel::Clear, Some(TlpVersion::V1)) => "tlp:white",
        (TlpLevel::Clear, _) => "tlp:clear",
        (TlpLevel::Green, _) => "tlp:green",
        (TlpLevel::Amber, _) => "tlp:amber",
        (TlpLevel::AmberStrict, _) => "tlp:amber+strict",
        (TlpLevel::Red, _) => "tlp:red",
    }
}

const HASH_TYPES: &[&str] = &[
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512/224",
    "sha512/256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "ssdeep",
    "imphash",
    "tlsh",
    "authentihash",
    "vhash",
    "pehash",
    "impfuzzy",
];

/// The MISP attribute type and category of a value, if MISP has one.
pub fn misp_type(v: &IndicatorValue) -> Option<(String, &'static str)> {
    let network = "Network activity";
    let payload = "Payload delivery";
    let source_side = v.property.starts_with("src_ref");
    Some(match v.kind {
        ObservableKind::Ipv4
        | ObservableKind::Ipv6
        | ObservableKind::Ipv4Cidr
        | ObservableKind::Ipv6Cidr => (
            if source_side { "ip-src" } else { "ip-dst" }.into(),
            network,
        ),
        ObservableKind::Domain => ("domain".into(), network),
        ObservableKind::Url => ("url".into(), network),
        ObservableKind::Hash => {
            let alg = v.algorithm.as_deref()?.to_ascii_lowercase();
            let alg = match alg.as_str() {
                "sha-1" => "sha1".to_owned(),
                "sha-224" => "sha224".to_owned(),
                "sha-256" => "sha256".to_owned(),
                "sha-384" => "sha384".to_owned(),
                "sha-512" => "sha512".to_owned(),
                _ => alg,
            };
            if v.object_type == "x509-certificate" {
                if matches!(alg.as_str(), "md5" | "sha1" | "sha256") {
                    return Some((format!("x509-fingerprint-{alg}"), network));
                }
                return None;
            }
            if !HASH_TYPES.contains(&alg.as_str()) {
                return None;
            }
            (alg, payload)
        }
        ObservableKind::FileName => ("filename".into(), payload),
        ObservableKind::EmailAddress => {
            let to = ["to_refs", "cc_refs", "bcc_refs"]
                .iter()
                .any(|p| v.property.starts_with(p));
            if to {
                ("email-dst".into(), network)
            } else {
                ("email-src".into(), payload)
            }
        }
        ObservableKind::EmailSubject => ("email-subject".into(), payload),
        ObservableKind::Mutex => ("mutex".into(), "Artifacts dropped"),
        ObservableKind::RegistryKey => ("regkey".into(), "Persistence mechanism"),
        ObservableKind::MacAddress => ("mac-address".into(), network),
        ObservableKind::AutonomousSystem => ("AS".into(), network),
        ObservableKind::UserAgent => ("user-agent".into(), network),
        ObservableKind::Port => ("port".into(), network),
        _ => return None,
    })
}

/// The galaxy-style tag of a context object.
fn galaxy_tag(object_type: &str, name: &str) -> Option<String> {
    let galaxy = match object_type {
        "threat-actor" | "intrusion-set" => "threat-actor",
        "malware" => "malware",
        "tool" => "tool",
        "campaign" => "campaign",
        "attack-pattern" => "attack-pattern",
        _ => return None,
    };
    Some(format!(
        "misp-galaxy:{galaxy}=\"{}\"",
        name.replace('"', "'")
    ))
}

fn tag(name: &str) -> Value {
    json!({ "name": name })
}

fn v5(key: &str) -> String {
    uuid::Uuid::new_v5(&LIBSTIX_NAMESPACE, key.as_bytes())
        .hyphenated()
        .to_string()
}

/// The MISP event of a batch, as a JSON value `{"Event": {...}}`.
pub fn misp_event(batch: &DestinationBatch) -> Value {
    event_from_entries(batch, &indicator_entries(batch))
}

/// The MISP event of a batch, as JSON text.
pub fn misp_event_json(batch: &DestinationBatch) -> String {
    serde_json::to_string_pretty(&misp_event(batch)).unwrap_or_default()
}

/// Write the MISP event of a batch to `path`.
pub fn write_misp_event(batch: &DestinationBatch, path: &Path) -> std::io::Result<()> {
    std::fs::write(path, misp_event_json(batch))
}

pub(crate) fn event_from_entries(batch: &DestinationBatch, entries: &[IndicatorEntry]) -> Value {
    let graph = ContextGraph::new(batch);
    let timestamp = batch.now.unix_seconds().to_string();
    let mut attributes = Vec::new();
    let mut event_tags: Vec<String> = Vec::new();
    let mut event_level: Option<TlpLevel> = None;
    let push_tag = |tags: &mut Vec<String>, t: String| {
        if !tags.contains(&t) {
            tags.push(t);
        }
    };
    for e in entries {
        if e.skip == Some(SkipReason::AboveCeiling) {
            continue;
        }
        let version = batch.markings_of(&e.id).and_then(|m| m.tlp_version);
        let ctx = graph.context_of(&e.id);
        let mut attr_tags = vec![tlp_tag(e.value_tlp, version).to_owned()];
        for r in ctx
            .indicates
            .iter()
            .chain(&ctx.malware)
            .chain(&ctx.used_by)
            .chain(&ctx.campaigns)
            .chain(&ctx.attributed_to)
            .chain(&ctx.intrusion_sets)
        {
            if let Some(t) = r
                .name
                .as_deref()
                .and_then(|n| galaxy_tag(&r.object_type, n))
            {
                if !attr_tags.contains(&t) {
                    attr_tags.push(t);
                }
            }
        }
        for v in &e.values {
            let Some((misp_type, category)) = misp_type(v) else {
                continue;
            };
            let value = v.value.trim();
            if !is_listable(v) {
                continue;
            }
            event_level = Some(event_level.map_or(e.value_tlp, |l| l.max(e.value_tlp)));
            let mut comment = e.name.clone().unwrap_or_default();
            if let Some(reason) = e.skip {
                let why = match reason {
                    SkipReason::NotFlat => "part of a compound pattern",
                    SkipReason::Revoked => "indicator revoked",
                    SkipReason::Expired => "indicator expired",
                    _ => "not for detection",
                };
                comment = if comment.is_empty() {
                    why.to_owned()
                } else {
                    format!("{comment} ({why})")
                };
            }
            attributes.push(json!({
                "uuid": v5(&format!("{}|{}|{}", e.id, misp_type, value)),
                "type": misp_type,
                "category": category,
                "value": value,
                "to_ids": e.usable(),
                "comment": comment,
                "timestamp": timestamp,
                "distribution": "5",
                "Tag": attr_tags.iter().map(|t| tag(t)).collect::<Vec<_>>(),
            }));
        }
    }
    // Galaxy-style tags for the malware, actors and campaigns routed here.
    for o in &batch.objects {
        if matches!(o, StixObject::Indicator(_)) {
            continue;
        }
        let Some(m) = batch.markings_of(o.id().as_str()) else {
            continue;
        };
        if m.tlp > batch.max_tlp {
            continue;
        }
        if let Some(t) = super::context::object_name(o)
            .as_deref()
            .and_then(|n| galaxy_tag(o.type_name(), n))
        {
            event_level = Some(event_level.map_or(m.tlp, |l| l.max(m.tlp)));
            push_tag(&mut event_tags, t);
        }
    }
    let level = event_level.unwrap_or(batch.unmarked_tlp.min(batch.max_tlp));
    let mut all_tags = vec![tag(tlp_tag(level, None))];
    all_tags.extend(event_tags.iter().map(|t| tag(t)));
    let mut event = Map::new();
    event.insert(
        "uuid".into(),
        Value::String(v5(&format!("event|{}", batch.destination))),
    );
    event.insert(
        "info".into(),
        Value::String(format!("libstix export for {}", batch.destination)),
    );
    event.insert(
        "date".into(),
        Value::String(batch.now.as_str()[..10].to_owned()),
    );
    event.insert("timestamp".into(), Value::String(timestamp));
    event.insert("threat_level_id".into(), Value::String("2".into()));
    event.insert("analysis".into(), Value::String("2".into()));
    event.insert("distribution".into(), Value::String("0".into()));
    event.insert("published".into(), Value::Bool(false));
    event.insert("Attribute".into(), Value::Array(attributes));
    event.insert("Tag".into(), Value::Array(all_tags));
    json!({ "Event": Value::Object(event) })
}
