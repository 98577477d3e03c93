//! Traffic Light Protocol markings: the fixed TLP 1.0 marking definitions of
//! SPEC §7.2.1.4 and the TLP 2.0 ones published by OASIS as common objects.
//!
//! Markings are recognised by id only, never by name: `TLP:GREEN` is the
//! name of a TLP 1.0 and of a TLP 2.0 definition, and feeds in the wild put
//! TLP 2.0 names on TLP 1.0 ids.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::json_view::JsonView;

/// Which edition of TLP a marking belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TlpVersion {
    /// TLP 1.0, defined in the STIX 2.1 specification.
    #[serde(rename = "1.0")]
    V1,
    /// TLP 2.0, defined by the OASIS `tlp-2.0` extension.
    #[serde(rename = "2.0")]
    V2,
}

/// A TLP level, ordered from least to most restrictive.
///
/// TLP 1.0 WHITE and TLP 2.0 CLEAR share [`TlpLevel::Clear`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlpLevel {
    /// TLP:CLEAR (2.0) / TLP:WHITE (1.0): no restriction on disclosure.
    #[serde(alias = "white")]
    Clear,
    /// TLP:GREEN: the community.
    Green,
    /// TLP:AMBER: the recipient's organisation and its clients.
    Amber,
    /// TLP:AMBER+STRICT (2.0 only): the recipient's organisation only.
    #[serde(rename = "amber+strict")]
    AmberStrict,
    /// TLP:RED: the named recipients only.
    Red,
}

impl TlpLevel {
    /// The level's upper-case label as TLP 2.0 writes it (`RED`, `AMBER+STRICT`).
    pub fn label(self) -> &'static str {
        match self {
            TlpLevel::Clear => "CLEAR",
            TlpLevel::Green => "GREEN",
            TlpLevel::Amber => "AMBER",
            TlpLevel::AmberStrict => "AMBER+STRICT",
            TlpLevel::Red => "RED",
        }
    }
}

impl fmt::Display for TlpLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TLP:{}", self.label())
    }
}

/// One predefined TLP marking definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TlpMarking {
    /// TLP edition.
    pub version: TlpVersion,
    /// Level.
    pub level: TlpLevel,
    /// The marking definition's fixed id.
    pub id: &'static str,
    /// Its `name` property (`TLP:WHITE`, `TLP:AMBER+STRICT`...).
    pub name: &'static str,
}

/// `created` of all four TLP 1.0 marking definitions.
pub const TLP1_CREATED: &str = "2017-01-20T00:00:00.000Z";
/// `created` of all five TLP 2.0 marking definitions.
pub const TLP2_CREATED: &str = "2022-10-01T00:00:00.000Z";
/// The extension-definition that carries the TLP 2.0 level (`tlp_2_0`).
pub const TLP2_EXTENSION_ID: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The TLP 1.0 marking definitions of SPEC §7.2.1.4.
pub const TLP1: [TlpMarking; 4] = [
    TlpMarking {
        version: TlpVersion::V1,
        level: TlpLevel::Clear,
        id: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        name: "TLP:WHITE",
    },
    TlpMarking {
        version: TlpVersion::V1,
        level: TlpLevel::Green,
        id: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        name: "TLP:GREEN",
    },
    TlpMarking {
        version: TlpVersion::V1,
        level: TlpLevel::Amber,
        id: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        name: "TLP:AMBER",
    },
    TlpMarking {
        version: TlpVersion::V1,
        level: TlpLevel::Red,
        id: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        name: "TLP:RED",
    },
];

/// The TLP 2.0 marking definitions (OASIS cti-stix-common-objects).
pub const TLP2: [TlpMarking; 5] = [
    TlpMarking {
        version: TlpVersion::V2,
        level: TlpLevel::Clear,
        id: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        name: "TLP:CLEAR",
    },
    TlpMarking {
        version: TlpVersion::V2,
        level: TlpLevel::Green,
        id: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        name: "TLP:GREEN",
    },
    TlpMarking {
        version: TlpVersion::V2,
        level: TlpLevel::Amber,
        id: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        name: "TLP:AMBER",
    },
    TlpMarking {
        version: TlpVersion::V2,
        level: TlpLevel::AmberStrict,
        id: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        name: "TLP:AMBER+STRICT",
    },
    TlpMarking {
        version: TlpVersion::V2,
        level: TlpLevel::Red,
        id: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        name: "TLP:RED",
    },
];

/// The predefined TLP marking with this id (1.0 or 2.0), if any. Ids are
/// compared ignoring the case of the UUID's hex digits.
pub fn tlp_by_id(id: &str) -> Option<&'static TlpMarking> {
    TLP1.iter()
        .chain(TLP2.iter())
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// The most restrictive TLP level among these marking references, with the
/// marking that set it. References that are not TLP markings are ignored.
pub fn most_restrictive<'a>(
    marking_refs: impl IntoIterator<Item = &'a str>,
) -> Option<&'static TlpMarking> {
    marking_refs
        .into_iter()
        .filter_map(tlp_by_id)
        .max_by_key(|m| m.level)
}

/// What a marking-definition object is, judged from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingKind {
    /// A predefined TLP marking (recognised by id).
    Tlp(TlpMarking),
    /// A statement marking (`definition_type: statement`) and its text.
    Statement(String),
    /// A TLP 2.0-style marking (the `tlp_2_0` extension) with an id that is
    /// not one of the five official ones.
    UnofficialTlp2(String),
    /// Anything else (a custom marking, an extension-based one).
    Other,
}

/// Classify a marking-definition object.
pub fn marking_kind(object: &JsonView<'_>) -> MarkingKind {
    if let Some(m) = object
        .get("id")
        .and_then(JsonView::as_str)
        .and_then(tlp_by_id)
    {
        return MarkingKind::Tlp(*m);
    }
    if object.get("definition_type").and_then(JsonView::as_str) == Some("statement") {
        if let Some(text) = object
            .get("definition")
            .and_then(|d| d.get("statement"))
            .and_then(JsonView::as_str)
        {
            return MarkingKind::Statement(text.to_owned());
        }
    }
    if let Some(level) = object
        .get("extensions")
        .and_then(|e| e.get(TLP2_EXTENSION_ID))
        .and_then(|e| e.get("tlp_2_0"))
        .and_then(JsonView::as_str)
    {
        return MarkingKind::UnofficialTlp2(level.to_owned());
    }
    MarkingKind::Other
}

/// How a `definition_type: tlp` marking departs from the fixed TLP 1.0
/// definition with its id (STIX-MK-04). Empty when it is exactly one of the
/// four; each entry names the property and says what differs.
pub fn tlp1_deviations(object: &JsonView<'_>) -> Vec<(&'static str, String)> {
    let id = object.get("id").and_then(JsonView::as_str).unwrap_or("");
    let Some(official) = TLP1.iter().find(|m| m.id.eq_ignore_ascii_case(id)) else {
        return vec![(
            "id",
            format!("`{id}` is not one of the four TLP 1.0 marking-definition ids"),
        )];
    };
    let mut out = Vec::new();
    let name = object.get("name").and_then(JsonView::as_str);
    if name != Some(official.name) {
        out.push((
            "name",
            format!(
                "the TLP 1.0 marking {} must be named `{}`, found {}",
                official.id,
                official.name,
                name.map_or_else(|| "no name".to_owned(), |n| format!("`{n}`"))
            ),
        ));
    }
    if object.get("created").and_then(JsonView::as_str) != Some(TLP1_CREATED) {
        out.push((
            "created",
            format!(
                "the TLP 1.0 marking {} must have created {TLP1_CREATED}",
                official.id
            ),
        ));
    }
    let expected = match official.level {
        TlpLevel::Clear => "white",
        TlpLevel::Green => "green",
        TlpLevel::Amber => "amber",
        _ => "red",
    };
    let tlp = object
        .get("definition")
        .and_then(|d| d.as_object())
        .filter(|m| m.len() == 1)
        .and_then(|_| object.get("definition")?.get("tlp")?.as_str());
    if tlp != Some(expected) {
        out.push((
            "definition",
            format!(
                "the TLP 1.0 marking {} must have definition {{\"tlp\": \"{expected}\"}}",
                official.id
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_all_nine_by_id_not_name() {
        assert_eq!(TLP1.len() + TLP2.len(), 9);
        for m in TLP1.iter().chain(TLP2.iter()) {
            assert_eq!(tlp_by_id(m.id), Some(m));
            assert_eq!(
                tlp_by_id(
                    &m.id
                        .to_uppercase()
                        .replace("MARKING-DEFINITION", "marking-definition")
                ),
                Some(m)
            );
        }
        let g1 = tlp_by_id("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da").unwrap();
        let g2 = tlp_by_id("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb").unwrap();
        assert_eq!(g1.name, g2.name);
        assert_eq!((g1.version, g2.version), (TlpVersion::V1, TlpVersion::V2));
        assert_eq!(g1.level, g2.level);
        assert!(tlp_by_id("marking-definition--00000000-0000-4000-8000-000000000000").is_none());
    }

    #[test]
    fn most_restrictive_wins_across_editions() {
        let refs = [
            TLP1[1].id,
            "marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b",
            TLP2[3].id,
            TLP1[2].id,
        ];
        let m = most_restrictive(refs).unwrap();
        assert_eq!(m.level, TlpLevel::AmberStrict);
        assert_eq!(
            most_restrictive([TLP2[0].id, TLP1[3].id]).unwrap().level,
            TlpLevel::Red
        );
        assert!(
            most_restrictive(["marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b"])
                .is_none()
        );
        assert!(TlpLevel::Clear < TlpLevel::Green && TlpLevel::AmberStrict < TlpLevel::Red);
        assert_eq!(TlpLevel::AmberStrict.to_string(), "TLP:AMBER+STRICT");
    }

    #[test]
    fn classifies_statement_and_tlp2_markings() {
        let st = JsonView::parse(r#"{"type":"marking-definition","id":"marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b","definition_type":"statement","definition":{"statement":"Copyright ACME"}}"#).unwrap();
        assert_eq!(
            marking_kind(&st),
            MarkingKind::Statement("Copyright ACME".into())
        );
        let t2_text = format!(
            r#"{{"id":"{}","extensions":{{"{TLP2_EXTENSION_ID}":{{"extension_type":"property-extension","tlp_2_0":"red"}}}}}}"#,
            TLP2[4].id
        );
        let t2 = JsonView::parse(&t2_text).unwrap();
        assert_eq!(marking_kind(&t2), MarkingKind::Tlp(TLP2[4]));
        let fake_text = format!(
            r#"{{"id":"marking-definition--11111111-1111-4111-8111-111111111111","extensions":{{"{TLP2_EXTENSION_ID}":{{"tlp_2_0":"red"}}}}}}"#
        );
        let fake = JsonView::parse(&fake_text).unwrap();
        assert_eq!(
            marking_kind(&fake),
            MarkingKind::UnofficialTlp2("red".into())
        );
    }

    #[test]
    fn tlp1_definition_must_be_exact() {
        let ok = JsonView::parse(r#"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:WHITE","definition":{"tlp":"white"}}"#).unwrap();
        assert!(tlp1_deviations(&ok).is_empty());
        // The OpenCTI export quirk: TLP 2.0 name and level on the TLP 1.0 WHITE id.
        let opencti = JsonView::parse(r#"{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9","created":"2022-01-20T00:00:00.000Z","definition_type":"tlp","name":"TLP:CLEAR","definition":{"tlp":"clear"}}"#).unwrap();
        let props: Vec<_> = tlp1_deviations(&opencti)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(props, ["name", "created", "definition"]);
        let unknown = JsonView::parse(r#"{"id":"marking-definition--11111111-1111-4111-8111-111111111111","definition_type":"tlp","definition":{"tlp":"green"}}"#).unwrap();
        assert_eq!(tlp1_deviations(&unknown)[0].0, "id");
    }
}
