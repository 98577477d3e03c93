//! Helpers shared by the pipeline test files: what the input patterns say
//! each destination may list, and readers for every output format.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use libstix::core::marking::MarkingResolver;
use libstix::core::normalize::blocklist::list_name;
use libstix::core::normalize::values::{is_listable, IndicatorValue};
use libstix::core::normalize::xsoar::xsoar_type;
use libstix::core::route::Router;
use libstix::core::tlp::TlpLevel;
use libstix::core::{StixObject, Timestamp};
use libstix::pattern::{ObservableKind, StixVersion};
use libstix::pipeline::IngestReport;

/// A fresh temporary folder.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("libstix-pipeline-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// What the input patterns say each destination may list: usable values
/// (indicator routed there, not revoked, not expired, flat pattern, not
/// above the ceiling) with their kind and hash algorithm.
pub struct Expected {
    /// (kind, algorithm, value) of usable values, once each.
    pub usable: Vec<(ObservableKind, Option<String>, String)>,
    /// Values given only by indicators above the ceiling.
    pub forbidden: BTreeSet<String>,
}

pub fn expected(objects: &[StixObject], ceiling: TlpLevel, now: &Timestamp) -> Expected {
    let router = Router::with_default_config();
    let mut resolver = MarkingResolver::new(router.marking_settings());
    resolver.add_objects(objects);
    let mut usable = Vec::new();
    let mut seen = BTreeSet::new();
    let mut allowed_values = BTreeSet::new();
    let mut above_values = BTreeSet::new();
    for o in objects {
        let StixObject::Indicator(i) = o else {
            continue;
        };
        if i.pattern_type.as_deref().unwrap_or("stix") != "stix" {
            continue;
        }
        let version = if o.spec_version().is_some() {
            StixVersion::V21
        } else {
            StixVersion::V20
        };
        let Ok(p) = libstix::pattern::parse(i.pattern.as_deref().unwrap_or(""), version) else {
            continue;
        };
        let obs = p.observables();
        let m = resolver.markings_of(o);
        let above = m.tlp > ceiling || m.level_of("pattern").max(m.base_level()) > ceiling;
        for v in &obs.observables {
            if above {
                above_values.insert(v.value.trim().to_owned());
            } else {
                allowed_values.insert(v.value.trim().to_owned());
            }
        }
        let revoked = o.revoked() == Some(true);
        let expired = i.valid_until.as_ref().is_some_and(|u| u <= now);
        if above || revoked || expired || !obs.flat {
            continue;
        }
        for v in obs.observables {
            let key = (
                format!("{:?}", v.kind),
                v.algorithm.clone(),
                v.value.trim().to_owned(),
            );
            let listed = IndicatorValue {
                kind: v.kind,
                value: v.value.clone(),
                algorithm: v.algorithm.clone(),
                object_type: v.object_type.clone(),
                property: v.property.clone(),
            };
            if is_listable(&listed) && seen.insert(key) {
                usable.push((v.kind, v.algorithm.clone(), v.value.trim().to_owned()));
            }
        }
    }
    Expected {
        usable,
        forbidden: above_values.difference(&allowed_values).cloned().collect(),
    }
}

pub fn read_lines(p: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The blocklist files of a destination, by list name.
pub fn blocklists(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            out.insert(name, read_lines(&p));
        }
    }
    out
}

/// Value cells of every Splunk lookup of a destination.
pub fn splunk_values(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let mut r = csv::Reader::from_path(&p).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
            assert_eq!(header[0], "description", "{}", p.display());
            assert_eq!(header.last().unwrap(), "weight", "{}", p.display());
            for row in r.records() {
                let row = row.unwrap();
                for (c, cell) in header.iter().zip(row.iter()) {
                    if c != "description" && c != "weight" && !cell.is_empty() {
                        out.insert(cell.to_owned());
                    }
                }
            }
        }
    }
    out
}

pub fn xsoar_values(dir: &Path) -> BTreeSet<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("xsoar-indicators.json")).unwrap())
            .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            x["fields"]["stixid"]
                .as_str()
                .unwrap()
                .starts_with("indicator--")
        })
        .map(|x| x["value"].as_str().unwrap().to_owned())
        .collect()
}

/// MISP attribute values by `to_ids`.
pub fn misp_values(dir: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("misp-event.json")).unwrap())
            .unwrap();
    let mut ids = BTreeSet::new();
    let mut context = BTreeSet::new();
    for a in v["Event"]["Attribute"].as_array().unwrap() {
        let val = a["value"].as_str().unwrap().to_owned();
        if a["to_ids"] == true {
            ids.insert(val);
        } else {
            context.insert(val);
        }
    }
    (ids, context)
}

pub fn all_text_under(dir: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            s.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    s
}

/// Checks every destination's files against what the inputs say.
pub fn check_outputs(report: &IngestReport, out: &Path, objects: &[StixObject], now: &Timestamp) {
    let config = Router::with_default_config();
    for (name, dest) in &config.config().destinations {
        let dir = out.join(name);
        assert!(dir.is_dir(), "no folder for destination {name}");
        let exp = expected(objects, dest.max_tlp, now);
        let text = all_text_under(&dir);
        // 1. Nothing above the ceiling, in any file of the destination. A
        //    JSON file may escape characters, so look for both spellings.
        for v in &exp.forbidden {
            let escaped = serde_json::to_string(v).unwrap();
            assert!(
                !text.contains(v.as_str()) && !text.contains(&escaped[1..escaped.len() - 1]),
                "{name}: value {v:?} of an indicator above {} found",
                dest.max_tlp
            );
        }
        let formats = &report.destinations[name];
        // 2. Blocklists: exactly the usable values, list by list.
        if formats.files.iter().any(|f| f.ends_with(".txt")) || name == "blocklist" {
            let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (k, alg, v) in &exp.usable {
                if let Some(list) = list_name(*k, alg.as_deref()) {
                    want.entry(list).or_default().insert(v.clone());
                }
            }
            assert_eq!(blocklists(&dir), want, "{name}: blocklists");
        }
        // 3. Splunk lookups: the value cells are exactly the usable values
        //    of the kinds ES has a lookup column for.
        if formats.files.iter().any(|f| f.ends_with(".csv")) {
            use ObservableKind::*;
            let want: BTreeSet<String> = exp
                .usable
                .iter()
                .filter(|(k, _, _)| {
                    matches!(
                        k,
                        Ipv4 | Ipv6
                            | Ipv4Cidr
                            | Ipv6Cidr
                            | Domain
                            | Hash
                            | FileName
                            | Url
                            | UserAgent
                            | EmailAddress
                            | EmailSubject
                            | RegistryKey
                    )
                })
                .map(|(_, _, v)| v.clone())
                .collect();
            assert_eq!(splunk_values(&dir), want, "{name}: Splunk lookups");
        }
        // 4. XSOAR: one indicator per usable value of a kind XSOAR knows.
        if formats.files.iter().any(|f| f == "xsoar-indicators.json") {
            let want: BTreeSet<String> = exp
                .usable
                .iter()
                .filter(|(k, _, _)| xsoar_type(*k).is_some())
                .map(|(_, _, v)| v.clone())
                .collect();
            assert_eq!(xsoar_values(&dir), want, "{name}: XSOAR indicators");
        }
        // 5. MISP: every detection attribute is a usable value, and every
        //    usable network or hash value is a detection attribute.
        if formats.files.iter().any(|f| f == "misp-event.json") {
            let (ids, _) = misp_values(&dir);
            let usable: BTreeSet<&String> = exp.usable.iter().map(|(_, _, v)| v).collect();
            for v in &ids {
                assert!(
                    usable.contains(v),
                    "{name}: MISP to_ids value {v:?} is not usable"
                );
            }
            use ObservableKind::*;
            for (k, _, v) in &exp.usable {
                if matches!(k, Domain | Ipv4 | Ipv6 | Url | Hash | EmailAddress) {
                    assert!(ids.contains(v), "{name}: MISP lacks detection value {v:?}");
                }
            }
        }
    }
}
