//! Publishing local intelligence to a TAXII collection: objects built with
//! `stix-core`'s builders, checked against the collection's TLP ceiling
//! (a configuration setting, see [`super::PublishConfig`]) before anything
//! is sent, then posted and followed to the final status.

use serde::{Deserialize, Serialize};
use stix_core::builder::IndicatorBuilder;
use stix_core::marking::{MarkingResolver, MarkingSettings};
use stix_core::tlp::{TlpLevel, TlpVersion};
use stix_core::{StixObject, Timestamp};
use taxii_client::{StatusDetail, WaitOptions};

use super::config::PublishConfig;
use super::error::{PipelineError, Result};
use super::ingest::TaxiiSource;

/// Builds an indicator from `KIND:VALUE`: `domain:evil.example`,
/// `ipv4:203.0.113.9`, `ipv6:2001:db8::1`, `url:https://...`,
/// `email:bad@example.org`, `md5:…`, `sha1:…`, `sha256:…`, `sha512:…`,
/// marked with the TLP 2.0 marking of `tlp`.
pub fn build_indicator(spec: &str, tlp: TlpLevel, now: &Timestamp) -> Result<StixObject> {
    let bad = |message: String| PipelineError::Build {
        what: format!("indicator for {spec}"),
        message,
    };
    let (kind, value) = spec
        .split_once(':')
        .ok_or_else(|| bad("expected KIND:VALUE, such as domain:evil.example".into()))?;
    let value = value.trim();
    if value.is_empty() {
        return Err(bad("the value is empty".into()));
    }
    // Pattern string literals escape backslash and quote.
    let lit = value.replace('\\', "\\\\").replace('\'', "\\'");
    let (pattern, name, indicator_type) = match kind.to_ascii_lowercase().as_str() {
        "domain" => (
            format!("[domain-name:value = '{lit}']"),
            format!("C2 domain {value}"),
            "malicious-activity",
        ),
        "ipv4" => (
            format!("[ipv4-addr:value = '{lit}']"),
            format!("C2 address {value}"),
            "malicious-activity",
        ),
        "ipv6" => (
            format!("[ipv6-addr:value = '{lit}']"),
            format!("C2 address {value}"),
            "malicious-activity",
        ),
        "url" => (
            format!("[url:value = '{lit}']"),
            format!("Malicious URL {value}"),
            "malicious-activity",
        ),
        "email" => (
            format!("[email-addr:value = '{lit}']"),
            format!("Malicious sender {value}"),
            "malicious-activity",
        ),
        h @ ("md5" | "sha1" | "sha256" | "sha512") => {
            let alg = match h {
                "md5" => "MD5",
                "sha1" => "SHA-1",
                "sha256" => "SHA-256",
                _ => "SHA-512",
            };
            (
                format!("[file:hashes.'{alg}' = '{lit}']"),
                format!("Malicious file {alg} {value}"),
                "malicious-activity",
            )
        }
        other => {
            return Err(bad(format!(
                "unknown kind `{other}` (domain, ipv4, ipv6, url, email, md5, sha1, sha256, sha512)"
            )))
        }
    };
    let indicator = IndicatorBuilder::new(pattern)
        .name(name)
        .indicator_type(indicator_type)
        .created(now.clone())
        .modified(now.clone())
        .valid_from(now.clone())
        .tlp(tlp, TlpVersion::V2)
        .build()
        .map_err(|e| bad(e.to_string()))?;
    Ok(StixObject::from(indicator))
}

/// What to publish where.
#[derive(Debug, Clone)]
pub struct PublishRequest {
    /// The collection to post to.
    pub target: TaxiiSource,
    /// The objects (built with the builders).
    pub objects: Vec<StixObject>,
    /// How long to follow the status.
    pub wait: WaitOptions,
}

/// An object refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedObject {
    /// The object's id.
    pub id: String,
    /// Its level.
    pub tlp: TlpLevel,
    /// Why.
    pub reason: String,
}

/// The outcome of a publication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishOutcome {
    /// The collection id.
    pub collection: String,
    /// Its configured ceiling.
    pub ceiling: TlpLevel,
    /// Ids sent, with their level.
    pub sent: Vec<(String, TlpLevel)>,
    /// Objects refused by the ceiling (never sent).
    pub refused: Vec<RefusedObject>,
    /// Status ids of the requests.
    pub status_ids: Vec<String>,
    /// Objects the server added.
    pub success_count: u64,
    /// Objects the server refused, with its messages.
    pub failures: Vec<StatusDetail>,
    /// Objects still pending when the wait ended.
    pub pending_count: u64,
}

/// Splits objects into those at or below `ceiling` and those above.
pub fn check_ceiling(
    objects: &[StixObject],
    ceiling: TlpLevel,
    settings: MarkingSettings,
) -> (Vec<(StixObject, TlpLevel)>, Vec<RefusedObject>) {
    let mut resolver = MarkingResolver::new(settings);
    resolver.add_objects(objects);
    let mut ok = Vec::new();
    let mut refused = Vec::new();
    for o in objects {
        let m = resolver.markings_of(o);
        if m.tlp <= ceiling {
            ok.push((o.clone(), m.tlp));
        } else {
            refused.push(RefusedObject {
                id: o.id().as_str().to_owned(),
                tlp: m.tlp,
                reason: format!("{} is above the collection's ceiling {ceiling}", m.tlp),
            });
        }
    }
    (ok, refused)
}

/// Publishes what the ceiling allows and follows the status to its end.
/// When every object is above the ceiling nothing is sent and the answer
/// is [`PipelineError::PublishRefused`].
pub fn publish(
    request: &PublishRequest,
    config: &PublishConfig,
    settings: MarkingSettings,
) -> Result<PublishOutcome> {
    let ceiling = config.ceiling(&request.target.collection);
    let (ok, refused) = check_ceiling(&request.objects, ceiling, settings);
    if ok.is_empty() {
        let why: Vec<String> = refused
            .iter()
            .map(|r| format!("{}: {}", r.id, r.reason))
            .collect();
        return Err(PipelineError::PublishRefused(if why.is_empty() {
            "nothing to publish".into()
        } else {
            format!(
                "collection {}: {}",
                request.target.collection,
                why.join("; ")
            )
        }));
    }
    let collection = request.target.open()?;
    let envelope: Vec<taxii_client::Object> = ok
        .iter()
        .map(|(o, _)| taxii_client::Object::from_value(&o.to_value()))
        .collect::<std::result::Result<_, _>>()?;
    let report = collection.publish(&envelope, &request.wait)?;
    Ok(PublishOutcome {
        collection: request.target.collection.clone(),
        ceiling,
        sent: ok
            .iter()
            .map(|(o, l)| (o.id().as_str().to_owned(), *l))
            .collect(),
        refused,
        status_ids: report.statuses.iter().map(|s| s.id.clone()).collect(),
        success_count: report.success_count(),
        failures: report.failures().into_iter().cloned().collect(),
        pending_count: report.pending_count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_indicators_and_applies_the_ceiling() {
        let now = Timestamp::parse("2026-01-02T03:04:05.678Z").unwrap();
        let g = build_indicator("domain:evil.example", TlpLevel::Green, &now).unwrap();
        let v = g.to_value();
        assert_eq!(v["pattern"], "[domain-name:value = 'evil.example']");
        assert_eq!(v["valid_from"], "2026-01-02T03:04:05.678Z");
        let a = build_indicator("sha256:ab'c", TlpLevel::Amber, &now).unwrap();
        assert_eq!(
            a.to_value()["pattern"],
            "[file:hashes.'SHA-256' = 'ab\\'c']"
        );
        let (ok, refused) = check_ceiling(&[g, a], TlpLevel::Green, MarkingSettings::default());
        assert_eq!(ok.len(), 1);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].tlp, TlpLevel::Amber);
        assert!(matches!(
            build_indicator("nonsense", TlpLevel::Green, &now),
            Err(PipelineError::Build { .. })
        ));
        assert!(build_indicator("hostname:x", TlpLevel::Green, &now).is_err());
    }
}
