//! The catalogue of validation rule ids: every `rule` a [`crate::Diagnostic`]
//! from the validator can carry, with its default severity and meaning.
//! Ids follow `STIX21_CHECKLIST.md` where it names the rule; the others
//! (`STIX-OBJ-*`, `STIX-REQ-*`, ...) extend its scheme. `docs/RULES.md`
//! is the same table for readers.

use crate::diagnostic::Severity;

/// One validation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, such as `STIX-TS-04`.
    pub id: &'static str,
    /// Default severity (some rules are warnings unless judging strictly).
    pub severity: Severity,
    /// One-line meaning.
    pub summary: &'static str,
}

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

macro_rules! rules {
    ($(($id:literal, $sev:expr, $summary:literal)),* $(,)?) => {
        /// Every rule, in catalogue order.
        pub const RULES: &[Rule] = &[$(Rule { id: $id, severity: $sev, summary: $summary }),*];
    };
}

rules![
    ("STIX-JSON-01", E, "the input (or one object) is not well-formed JSON; line and column given"),
    ("STIX-PARSE-01", E, "an object does not fit the typed model (wrong JSON type of a property)"),
    ("STIX-PARSE-02", E, "an element of objects (or the whole document) is not a JSON object with a string type"),
    ("STIX-PARSE-03", E, "a bundle-level property has the wrong JSON type"),
    ("STIX-BUN-01", E, "a bundle needs type \"bundle\" and an id bundle--<RFC 4122 UUID>"),
    ("STIX-BUN-02", E, "a STIX 2.1 bundle must not carry spec_version (warning unless strict; \"2.0\" marks 2.0 content)"),
    ("STIX-BUN-03", E, "bundle objects must be a list"),
    ("STIX-BUN-04", W, "a property that is not a bundle property; consumers may drop it"),
    ("STIX-OBJ-01", E, "a STIX object must be a JSON object"),
    ("STIX-OBJ-02", E, "type and id are required on every object"),
    ("STIX-OBJ-03", E, "a common property that does not belong to the object's category (warning unless strict)"),
    ("STIX-REQ-01", E, "a required property of the object type is missing (2.0 rules for 2.0 objects)"),
    ("STIX-REQ-02", E, "malware is_family is required in 2.1 (warning unless strict: the errata table marks it optional)"),
    ("STIX-REQ-03", E, "malware-analysis needs result or analysis_sco_refs"),
    ("STIX-NAME-01", E, "type names: 3-250 characters a-z, 0-9, -; begin with a letter; no --"),
    ("STIX-NAME-04", E, "reserved property names (severity, username, phone_number(s), action) must not be used"),
    ("STIX-CUS-01", E, "custom property names: 3-250 characters a-z, 0-9, _"),
    ("STIX-CUS-02", W, "custom property names should start with x_"),
    ("STIX-CUS-04", W, "custom object types should start with x- (or be defined by an extension-definition)"),
    ("STIX-CUS-05", W, "deprecated custom *-ext extensions should be extension-definitions"),
    ("STIX-VAL-01", E, "lists must not be empty (warning inside custom properties)"),
    ("STIX-VAL-02", E, "dictionaries must not be empty; keys ASCII [a-zA-Z0-9_-] up to 250; no repeated member"),
    ("STIX-VAL-03", E, "integers within +-(2^53-1)"),
    ("STIX-VAL-04", E, "hex values: an even number of hexadecimal digits"),
    ("STIX-VAL-05", E, "binary values: base64 (RFC 4648)"),
    ("STIX-VAL-06", E, "hashes: algorithm names 3-250 characters, values in the algorithm's format (warning: name not in hash-algorithm-ov)"),
    ("STIX-VAL-07", E, "null is not a valid property value"),
    ("STIX-VAL-08", W, "an open-vocabulary property has a value outside its vocabulary"),
    ("STIX-VAL-09", E, "an enumeration property has a value outside its enumeration"),
    ("STIX-VAL-11", E, "a property has the wrong JSON type"),
    ("STIX-ID-01", E, "identifiers are <type>--<UUID>, the type part equal to the object's type"),
    ("STIX-ID-02", E, "the UUID of an identifier is RFC 4122 (version 1-5, variant 10xx)"),
    ("STIX-ID-03", W, "SDO/SRO/meta ids should be UUIDv4 (error for STIX 2.0, where v4 is required)"),
    ("STIX-ID-05", W, "an SCO id should be the deterministic UUIDv5 of its ID contributing properties"),
    ("STIX-ID-06", E, "an SCO without contributing properties (and every process) must use a UUIDv4"),
    ("STIX-ID-12", E, "a reference must be an identifier string of an allowed target type"),
    ("STIX-CP-01", E, "spec_version \"2.1\" is required on SDOs, SROs and meta objects; 2.1-only types cannot be 2.0"),
    ("STIX-CP-02", E, "confidence is an integer 0-100"),
    ("STIX-CP-03", E, "lang is an RFC 5646 language tag"),
    ("STIX-CP-07", E, "object_marking_refs must not reference the object itself"),
    ("STIX-TS-01", E, "timestamps: YYYY-MM-DDTHH:MM:SS[.s+]Z, UTC with Z, a real calendar date"),
    ("STIX-TS-04", E, "created/modified: at least millisecond precision (exactly 3 digits in STIX 2.0)"),
    ("STIX-TS-05", E, "modified must not be earlier than created"),
    ("STIX-TS-07", E, "windows-pebinary-ext time_date_stamp is precise to the second"),
    ("STIX-TS-10", E, "ordering: last_seen >= first_seen, valid_until > valid_from, stop_time > start_time, ..."),
    ("STIX-RNG-01", E, "observed-data number_observed is 1..999,999,999"),
    ("STIX-RNG-02", E, "sighting count is 0..999,999,999"),
    ("STIX-RNG-03", E, "another numeric property is outside its range (ports, latitude, ...)"),
    ("STIX-ER-01", E, "external references need source_name and one of description, url, external_id"),
    ("STIX-ER-02", E, "attack-pattern capec references need external_id CAPEC-[id]"),
    ("STIX-ER-03", E, "vulnerability cve references need the exact CVE id"),
    ("STIX-ER-04", W, "an external reference with a url should give hashes"),
    ("STIX-KC-01", E, "kill chain phases need kill_chain_name and phase_name strings"),
    ("STIX-KC-02", W, "kill chain names and phases should be lower case with hyphens"),
    ("STIX-MK-02", E, "a marking-definition without extensions needs definition_type and definition"),
    ("STIX-MK-03", E, "a statement marking needs definition.statement"),
    ("STIX-MK-04", E, "definition_type tlp is only allowed on the four fixed TLP 1.0 definitions"),
    ("STIX-MK-05", E, "a granular marking needs selectors and exactly one of marking_ref and lang"),
    ("STIX-MK-06", E, "granular marking selector syntax"),
    ("STIX-MK-07", E, "granular marking selectors must resolve on the object"),
    ("STIX-MK-08", E, "granular marking lang is an RFC 5646 language tag"),
    ("STIX-EXT-01", E, "extensions is a non-empty dictionary of non-empty objects"),
    ("STIX-EXT-02", E, "extension_type is one of extension-type-enum"),
    ("STIX-EXT-03", E, "an extension keyed by an extension-definition id gives extension_type"),
    ("STIX-EXT-04", E, "extension keys are extension-definition ids or *-ext names"),
    ("STIX-EXT-06", E, "extension_properties only with toplevel-property-extension"),
    ("STIX-EXT-11", E, "a predefined extension of another object type"),
    ("STIX-EXT-12", E, "a predefined extension lacks a property it requires"),
    ("STIX-OD-01", E, "observed-data has exactly one of object_refs and the deprecated objects"),
    ("STIX-OD-02", W, "observed-data objects is deprecated in 2.1"),
    ("STIX-OD-03", E, "observed-data object_refs refer to at least one cyber-observable"),
    ("STIX-REL-01", E, "relationship_type is a-z, 0-9 and -"),
    ("STIX-REL-02", E, "relationships connect SDOs and SCOs only (not SROs, bundles, meta objects)"),
    ("STIX-REL-03", W, "relationship_type should be one the specification defines"),
    ("STIX-SIG-01", E, "sighting_of_ref refers to an SDO"),
    ("STIX-LOC-01", E, "latitude and longitude together; precision needs both"),
    ("STIX-LOC-02", E, "a location needs region, country, or latitude with longitude"),
    ("STIX-SCO-01", E, "artifact: not both payload_bin and url; hashes with url; decryption_key needs encryption_algorithm"),
    ("STIX-SCO-02", E, "email-message body / body_multipart agree with is_multipart; MIME parts have body or body_raw_ref"),
    ("STIX-SCO-03", E, "a file needs hashes or name"),
    ("STIX-SCO-04", E, "network-traffic needs src_ref or dst_ref; no end while is_active"),
    ("STIX-SCO-05", E, "mac-addr value is a lower-case colon-delimited MAC-48"),
    ("STIX-SCO-06", E, "process, user-account, windows-registry-key, x509-certificate need a property of their own"),
    ("STIX-SCO-07", E, "url value is a URL (RFC 3986)"),
    ("STIX-SCO-08", E, "ipv4-addr / ipv6-addr value is an address or CIDR block of that family"),
    ("STIX-IND-01", E, "a pattern of pattern_type stix must parse (line and column inside the pattern given)"),
    ("STIX-IND-02", E, "object paths in a STIX pattern name properties in lower case a-z, 0-9, _"),
    ("STIX-VER-03", W, "two objects share id and modified but differ in content"),
    ("STIX-REF-01", W, "a reference to an object not in the bundle"),
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used_ids(src: &str) -> Vec<&str> {
        src.match_indices("\"STIX-")
            .filter_map(|(i, _)| {
                let rest = &src[i + 1..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn every_rule_the_validator_emits_is_catalogued_and_documented() {
        let sources = [
            include_str!("validate/mod.rs"),
            include_str!("validate/object.rs"),
            include_str!("validate/pattern.rs"),
            include_str!("validate/stream.rs"),
        ];
        let doc = include_str!("../../docs/RULES.md");
        for src in sources {
            for id in used_ids(src) {
                assert!(rule(id).is_some(), "{id} is not in RULES");
            }
        }
        for r in RULES {
            assert!(
                doc.contains(&format!("| `{}` |", r.id)),
                "{} missing from docs/RULES.md",
                r.id
            );
        }
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "duplicate rule ids");
    }
}
