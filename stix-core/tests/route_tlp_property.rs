//! Property: whatever the rules, no object or value above a destination's
//! TLP ceiling ever appears in that destination's output.
//!
//! Bundles are generated with a mix of TLP 1.0 and TLP 2.0 object markings,
//! granular markings (on `pattern`, `name`, `description`), feed-defined
//! TLP and statement markings (one of them itself marked RED), references
//! to marking definitions nobody defines, and no markings at all; rules and
//! destinations are random. Every object carries unique tokens (its id, its
//! name, its pattern's value) and the test looks for them in the bytes of
//! every rendered file. The expected level of each object is computed here,
//! independently of the library, from the official marking ids.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::json;
use stix_core::normalize::{self, OutputFormat};
use stix_core::route::{DestinationConfig, Router, RouterConfig, RouterSettings, Rule};
use stix_core::tlp::TlpLevel;
use stix_core::{StixObject, Timestamp};

const LEVELS: [TlpLevel; 5] = [
    TlpLevel::Clear,
    TlpLevel::Green,
    TlpLevel::Amber,
    TlpLevel::AmberStrict,
    TlpLevel::Red,
];

/// The official ids, written out here rather than taken from the library.
fn official_id(level: TlpLevel, v2: bool) -> Option<&'static str> {
    Some(match (level, v2) {
        (TlpLevel::Clear, false) => "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        (TlpLevel::Green, false) => "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        (TlpLevel::Amber, false) => "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        (TlpLevel::Red, false) => "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        (TlpLevel::AmberStrict, false) => return None,
        (TlpLevel::Clear, true) => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        (TlpLevel::Green, true) => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        (TlpLevel::Amber, true) => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        (TlpLevel::AmberStrict, true) => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        (TlpLevel::Red, true) => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    })
}

const FEED_STATEMENT: &str = "marking-definition--00000000-0000-4000-8000-100000000001";
const FEED_TLP: &str = "marking-definition--00000000-0000-4000-8000-100000000002";
/// A statement marking that is itself marked TLP:RED: its text is RED.
const FEED_RED_STATEMENT: &str = "marking-definition--00000000-0000-4000-8000-100000000003";
const RED_STATEMENT_TEXT: &str = "red-statement-s3cr3t";
/// Referred to, defined nowhere: counts as RED (the default).
const UNDEFINED_MARKING: &str = "marking-definition--00000000-0000-4000-8000-100000000004";

#[derive(Debug, Clone)]
enum Kind {
    Indicator {
        expired: bool,
        revoked: bool,
        flat: bool,
    },
    Malware,
    Actor,
    Campaign,
    CourseOfAction,
    Relationship {
        source: usize,
        target: usize,
    },
}

#[derive(Debug, Clone)]
struct Marks {
    /// Object-level official markings: (level index, TLP 2.0?).
    object: Vec<(usize, bool)>,
    statement: bool,
    feed_tlp: bool,
    red_statement: bool,
    undefined: bool,
    /// Granular markings: (level index, TLP 2.0?, property).
    granular: Vec<(usize, bool, &'static str)>,
}

#[derive(Debug, Clone)]
struct Spec {
    kind: Kind,
    marks: Marks,
}

fn marks() -> impl Strategy<Value = Marks> {
    (
        prop::collection::vec((0usize..5, any::<bool>()), 0..3),
        any::<bool>(),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.1),
        prop::collection::vec(
            (
                0usize..5,
                any::<bool>(),
                prop::sample::select(vec!["pattern", "name", "description"]),
            ),
            0..2,
        ),
    )
        .prop_map(
            |(object, statement, feed_tlp, red_statement, undefined, granular)| Marks {
                object,
                statement,
                feed_tlp,
                red_statement,
                undefined,
                granular,
            },
        )
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => (prop::bool::weighted(0.2), prop::bool::weighted(0.15), prop::bool::weighted(0.8))
            .prop_map(|(expired, revoked, flat)| Kind::Indicator { expired, revoked, flat }),
        2 => Just(Kind::Malware),
        1 => Just(Kind::Actor),
        1 => Just(Kind::Campaign),
        1 => Just(Kind::CourseOfAction),
        3 => (0usize..64, 0usize..64).prop_map(|(source, target)| Kind::Relationship { source, target }),
    ]
}

fn level_of(i: usize) -> TlpLevel {
    LEVELS[i]
}

fn token(i: usize) -> String {
    format!("t{i:03}q")
}

fn type_of(k: &Kind) -> &'static str {
    match k {
        Kind::Indicator { .. } => "indicator",
        Kind::Malware => "malware",
        Kind::Actor => "threat-actor",
        Kind::Campaign => "campaign",
        Kind::CourseOfAction => "course-of-action",
        Kind::Relationship { .. } => "relationship",
    }
}

fn id_of(i: usize, k: &Kind) -> String {
    format!("{}--00000000-0000-4000-8000-{:012}", type_of(k), i)
}

/// The feed-defined TLP marking states this level.
const FEED_TLP_LEVEL: TlpLevel = TlpLevel::Red;

struct Built {
    objects: Vec<StixObject>,
    ids: Vec<String>,
    tokens: Vec<Vec<String>>,
    expected: Vec<TlpLevel>,
    types: Vec<&'static str>,
}

fn build(specs: &[Spec], unmarked: TlpLevel) -> Built {
    let mut objects = vec![
        StixObject::from_value(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": FEED_STATEMENT,
            "created": "2024-01-01T00:00:00.000Z", "definition_type": "statement",
            "definition": {"statement": "Copyright Example"}
        }))
        .unwrap(),
        StixObject::from_value(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": FEED_TLP,
            "created": "2024-01-01T00:00:00.000Z", "name": "TLP:GREEN",
            "definition_type": "tlp", "definition": {"tlp": "red"}
        }))
        .unwrap(),
        StixObject::from_value(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": FEED_RED_STATEMENT,
            "created": "2024-01-01T00:00:00.000Z", "definition_type": "statement",
            "definition": {"statement": RED_STATEMENT_TEXT},
            "object_marking_refs": [official_id(TlpLevel::Red, true).unwrap()]
        }))
        .unwrap(),
    ];
    let mut out = Built {
        objects: Vec::new(),
        ids: Vec::new(),
        tokens: Vec::new(),
        expected: Vec::new(),
        types: Vec::new(),
    };
    let n = specs.len();
    for (i, s) in specs.iter().enumerate() {
        let id = id_of(i, &s.kind);
        let tok = token(i);
        let mut v = json!({
            "type": type_of(&s.kind), "spec_version": "2.1", "id": id,
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        });
        let mut tokens = vec![id.clone()];
        match &s.kind {
            Kind::Indicator {
                expired,
                revoked,
                flat,
            } => {
                let value = format!("{tok}.example");
                v["pattern"] = if *flat {
                    json!(format!(
                        "[domain-name:value = '{value}'] OR [ipv4-addr:value = '10.{}.{}.1']",
                        i / 256,
                        i % 256
                    ))
                } else {
                    json!(format!("[domain-name:value = '{value}'] FOLLOWEDBY [url:value = 'http://{tok}.example/x']"))
                };
                v["pattern_type"] = json!("stix");
                v["valid_from"] = json!("2024-01-01T00:00:00Z");
                v["valid_until"] = json!(if *expired {
                    "2024-02-01T00:00:00Z"
                } else {
                    "2030-01-01T00:00:00Z"
                });
                v["name"] = json!(format!("ind-{tok}"));
                v["description"] = json!(format!("desc-{tok}"));
                if *revoked {
                    v["revoked"] = json!(true);
                }
                tokens.push(value);
                tokens.push(format!("ind-{tok}"));
                tokens.push(format!("desc-{tok}"));
                if *flat {
                    tokens.push(format!("10.{}.{}.1", i / 256, i % 256));
                }
            }
            Kind::Malware => {
                v["name"] = json!(format!("mal-{tok}"));
                v["is_family"] = json!(true);
                v["description"] = json!(format!("desc-{tok}"));
                tokens.push(format!("mal-{tok}"));
                tokens.push(format!("desc-{tok}"));
            }
            Kind::Actor | Kind::Campaign | Kind::CourseOfAction => {
                v["name"] = json!(format!("sdo-{tok}"));
                v["description"] = json!(format!("desc-{tok}"));
                tokens.push(format!("sdo-{tok}"));
                tokens.push(format!("desc-{tok}"));
            }
            Kind::Relationship { source, target } => {
                let (src, dst) = (source % n, target % n);
                let rel = match (&specs[src].kind, &specs[dst].kind) {
                    (Kind::Indicator { .. }, _) => "indicates",
                    (Kind::Actor | Kind::Campaign, Kind::Malware) => "uses",
                    (Kind::Campaign, Kind::Actor) => "attributed-to",
                    (Kind::CourseOfAction, _) => "mitigates",
                    _ => "related-to",
                };
                v["relationship_type"] = json!(rel);
                v["source_ref"] = json!(id_of(src, &specs[src].kind));
                v["target_ref"] = json!(id_of(dst, &specs[dst].kind));
                v["description"] = json!(format!("desc-{tok}"));
                tokens.push(format!("desc-{tok}"));
            }
        }
        let mut refs: Vec<&str> = Vec::new();
        let mut official: Option<TlpLevel> = None;
        for (l, v2) in &s.marks.object {
            if let Some(mid) = official_id(level_of(*l), *v2) {
                refs.push(mid);
                official = official.max(Some(level_of(*l)));
            }
        }
        let mut expected = official.unwrap_or(unmarked);
        if s.marks.statement {
            refs.push(FEED_STATEMENT);
        }
        if s.marks.feed_tlp {
            refs.push(FEED_TLP);
            expected = expected.max(FEED_TLP_LEVEL);
        }
        if s.marks.red_statement {
            refs.push(FEED_RED_STATEMENT);
        }
        if s.marks.undefined {
            refs.push(UNDEFINED_MARKING);
            expected = expected.max(TlpLevel::Red);
        }
        if !refs.is_empty() {
            v["object_marking_refs"] = json!(refs);
        }
        let mut granular = Vec::new();
        for (l, v2, prop) in &s.marks.granular {
            let present = v.get(*prop).is_some();
            if let (Some(mid), true) = (official_id(level_of(*l), *v2), present) {
                granular.push(json!({"marking_ref": mid, "selectors": [prop]}));
                expected = expected.max(level_of(*l));
            }
        }
        if !granular.is_empty() {
            v["granular_markings"] = json!(granular);
        }
        out.ids.push(id);
        out.tokens.push(tokens);
        out.expected.push(expected);
        out.types.push(type_of(&s.kind));
        objects.push(StixObject::from_value(v).expect("generated object reads"));
    }
    out.objects = objects;
    out
}

fn rules_and_destinations(
) -> impl Strategy<Value = (BTreeMap<String, DestinationConfig>, Vec<Rule>, TlpLevel)> {
    let dest = (0usize..5).prop_map(|l| DestinationConfig {
        max_tlp: LEVELS[l],
        formats: OutputFormat::ALL.to_vec(),
        description: None,
    });
    let types = prop::sample::subsequence(
        vec![
            "indicator",
            "malware",
            "threat-actor",
            "campaign",
            "course-of-action",
            "relationship",
        ],
        0..4,
    );
    let rule = (
        types,
        prop::sample::subsequence(LEVELS.to_vec(), 0..3),
        prop::option::of(0usize..5),
        prop::sample::subsequence(vec!["d0", "d1", "d2", "d3"], 1..4),
    )
        .prop_map(|(types, tlp, at_least, dests)| Rule {
            name: "generated".into(),
            types: types.into_iter().map(str::to_owned).collect(),
            tlp,
            tlp_at_least: at_least.map(|l| LEVELS[l]),
            destinations: dests.into_iter().map(str::to_owned).collect(),
            ..Rule::default()
        });
    (
        prop::collection::vec(dest, 4),
        prop::collection::vec(rule, 1..6),
        0usize..5,
    )
        .prop_map(|(dests, rules, unmarked)| {
            let map = dests
                .into_iter()
                .enumerate()
                .map(|(i, d)| (format!("d{i}"), d))
                .collect();
            (map, rules, LEVELS[unmarked])
        })
}

/// A relationship goes only where both its ends may go.
fn refs_within(specs: &[Spec], built: &Built, i: usize, max: TlpLevel) -> bool {
    match specs[i].kind {
        Kind::Relationship { source, target } => {
            let n = specs.len();
            built.expected[source % n] <= max && built.expected[target % n] <= max
        }
        _ => true,
    }
}

fn rule_wants(rule: &Rule, ty: &str, level: TlpLevel, dest: &str) -> bool {
    rule.destinations.iter().any(|d| d == dest)
        && (rule.types.is_empty() || rule.types.iter().any(|t| t == ty))
        && (rule.tlp.is_empty() || rule.tlp.contains(&level))
        && rule.tlp_at_least.map_or(true, |l| level >= l)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn nothing_above_the_ceiling_reaches_a_destination(
        specs in prop::collection::vec((kind(), marks()).prop_map(|(kind, marks)| Spec { kind, marks }), 1..14),
        (destinations, rules, unmarked) in rules_and_destinations(),
    ) {
        let built = build(&specs, unmarked);
        let config = RouterConfig {
            settings: RouterSettings { unmarked_tlp: unmarked, ..RouterSettings::default() },
            destinations: destinations.clone(),
            rules: rules.clone(),
        };
        let router = Router::new(config).unwrap();
        let now = Timestamp::parse("2024-06-01T00:00:00.000Z").unwrap();
        let report = router.route(&built.objects, &now);

        for (name, dest) in &destinations {
            // The routing itself: exactly the objects a rule asks for and
            // the ceiling allows (an oracle written independently).
            // (The feed's own marking definitions are left out of the oracle.)
            let routed: BTreeSet<&str> = report.destinations[name]
                .object_ids
                .iter()
                .map(String::as_str)
                .filter(|id| !id.starts_with("marking-definition--"))
                .collect();
            let expected: BTreeSet<&str> = (0..built.ids.len())
                .filter(|&i| built.expected[i] <= dest.max_tlp
                    && refs_within(&specs, &built, i, dest.max_tlp)
                    && rules.iter().any(|r| rule_wants(r, built.types[i], built.expected[i], name)))
                .map(|i| built.ids[i].as_str())
                .collect();
            prop_assert_eq!(&routed, &expected, "destination {}", name);

            // The outputs: no token of an object above the ceiling.
            let batch = report.batch(name, &built.objects).unwrap();
            let rendered = normalize::render(&batch, &OutputFormat::ALL);
            let mut bytes = Vec::new();
            for f in &rendered.files {
                bytes.extend_from_slice(&f.bytes);
                bytes.push(b'\n');
            }
            let text = String::from_utf8(bytes).unwrap();
            if dest.max_tlp < TlpLevel::Red {
                prop_assert!(!text.contains(RED_STATEMENT_TEXT),
                    "the text of a RED statement marking leaked into {}", name);
            }
            for i in 0..built.ids.len() {
                if built.expected[i] > dest.max_tlp {
                    for t in &built.tokens[i] {
                        prop_assert!(!text.contains(t.as_str()),
                            "{} ({:?}) leaked into {} (max {:?}) via {}", t, built.expected[i], name, dest.max_tlp,
                            rendered.files.iter().find(|f| String::from_utf8_lossy(&f.bytes).contains(t.as_str())).map(|f| f.path.clone()).unwrap_or_default());
                    }
                }
            }
            // Liveness: a routed, valid, flat indicator's domain reaches the
            // blocklist, so the property above is not vacuous.
            for (i, spec) in specs.iter().enumerate() {
                if let Kind::Indicator { expired: false, revoked: false, flat: true } = spec.kind {
                    if routed.contains(built.ids[i].as_str()) {
                        let domains = rendered.file("domains.txt").map(|f| String::from_utf8_lossy(&f.bytes).into_owned()).unwrap_or_default();
                        let want = format!("{}.example", token(i));
                        prop_assert!(domains.lines().any(|l| l == want), "{} missing from {}", want, name);
                    }
                }
            }
        }
    }
}
