//! What the specification says each object type contains: its category, its
//! specific properties with their value kinds, which are required, and which
//! predefined extensions it may carry.

use crate::vocab::{self, Vocab};

/// The category of an object type (SPEC §3.2 summary table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    Sdo,
    Sro,
    Sco,
    /// marking-definition, language-content, extension-definition.
    Meta,
    /// A type the specification does not define.
    Custom,
}

/// The kind of value a property holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Str,
    Bool,
    /// An integer within an inclusive range.
    Int(i128, i128),
    /// Any number within an inclusive range.
    Num(f64, f64),
    Timestamp,
    /// An identifier of one of these types (empty: any type; `&["SCO"]`:
    /// any cyber-observable).
    Ref(&'static [&'static str]),
    /// A non-empty list of such identifiers.
    Refs(&'static [&'static str]),
    StrList,
    /// A value of an open vocabulary or enumeration.
    Vocab(&'static Vocab),
    /// A list of such values.
    VocabList(&'static Vocab),
    Hashes,
    Dict,
    /// Any JSON object (a structure the walk checks generically).
    Object,
    /// Any non-empty list.
    List,
    Hex,
    Binary,
}

use Kind::*;

const ANY: &[&str] = &[];
const SCO: &[&str] = &["SCO"];
const SOFTWARE: &[&str] = &["software"];
const ADDR: &[&str] = &["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"];
const EMAIL: &[&str] = &["email-addr"];
const USER: &[&str] = &["user-account"];
const ARTIFACT: &[&str] = &["artifact"];
const NT: &[&str] = &["network-traffic"];
const PROCESS: &[&str] = &["process"];

/// (property, kind, required in 2.1)
pub(crate) type Prop = (&'static str, Kind, bool);

/// The type-specific properties of a spec-defined type.
pub(crate) fn type_props(t: &str) -> Option<&'static [Prop]> {
    Some(match t {
        "attack-pattern" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("aliases", StrList, false),
            ("kill_chain_phases", List, false),
        ],
        "campaign" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("aliases", StrList, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
            ("objective", Str, false),
        ],
        "course-of-action" => &[("name", Str, true), ("description", Str, false)],
        "grouping" => &[
            ("name", Str, false),
            ("description", Str, false),
            ("context", Vocab(&vocab::GROUPING_CONTEXT), true),
            ("object_refs", Refs(ANY), true),
        ],
        "identity" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("roles", StrList, false),
            ("identity_class", Vocab(&vocab::IDENTITY_CLASS), false),
            ("sectors", VocabList(&vocab::INDUSTRY_SECTOR), false),
            ("contact_information", Str, false),
        ],
        "incident" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("kill_chain_phases", List, false),
        ],
        "indicator" => &[
            ("name", Str, false),
            ("description", Str, false),
            ("indicator_types", VocabList(&vocab::INDICATOR_TYPE), false),
            ("pattern", Str, true),
            ("pattern_type", Vocab(&vocab::PATTERN_TYPE), true),
            ("pattern_version", Str, false),
            ("valid_from", Timestamp, true),
            ("valid_until", Timestamp, false),
            ("kill_chain_phases", List, false),
        ],
        "infrastructure" => &[
            ("name", Str, true),
            ("description", Str, false),
            (
                "infrastructure_types",
                VocabList(&vocab::INFRASTRUCTURE_TYPE),
                false,
            ),
            ("aliases", StrList, false),
            ("kill_chain_phases", List, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
        ],
        "intrusion-set" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("aliases", StrList, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
            ("goals", StrList, false),
            (
                "resource_level",
                Vocab(&vocab::ATTACK_RESOURCE_LEVEL),
                false,
            ),
            (
                "primary_motivation",
                Vocab(&vocab::ATTACK_MOTIVATION),
                false,
            ),
            (
                "secondary_motivations",
                VocabList(&vocab::ATTACK_MOTIVATION),
                false,
            ),
        ],
        "location" => &[
            ("name", Str, false),
            ("description", Str, false),
            ("latitude", Num(-90.0, 90.0), false),
            ("longitude", Num(-180.0, 180.0), false),
            ("precision", Num(0.0, f64::MAX), false),
            ("region", Vocab(&vocab::REGION), false),
            ("country", Str, false),
            ("administrative_area", Str, false),
            ("city", Str, false),
            ("street_address", Str, false),
            ("postal_code", Str, false),
        ],
        "malware" => &[
            ("name", Str, false),
            ("description", Str, false),
            ("malware_types", VocabList(&vocab::MALWARE_TYPE), false),
            ("is_family", Bool, false),
            ("aliases", StrList, false),
            ("kill_chain_phases", List, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
            ("operating_system_refs", Refs(SOFTWARE), false),
            (
                "architecture_execution_envs",
                VocabList(&vocab::PROCESSOR_ARCHITECTURE),
                false,
            ),
            (
                "implementation_languages",
                VocabList(&vocab::IMPLEMENTATION_LANGUAGE),
                false,
            ),
            (
                "capabilities",
                VocabList(&vocab::MALWARE_CAPABILITIES),
                false,
            ),
            ("sample_refs", Refs(&["file", "artifact"]), false),
        ],
        "malware-analysis" => &[
            ("product", Str, true),
            ("version", Str, false),
            ("host_vm_ref", Ref(SOFTWARE), false),
            ("operating_system_ref", Ref(SOFTWARE), false),
            ("installed_software_refs", Refs(SOFTWARE), false),
            ("configuration_version", Str, false),
            ("modules", StrList, false),
            ("analysis_engine_version", Str, false),
            ("analysis_definition_version", Str, false),
            ("submitted", Timestamp, false),
            ("analysis_started", Timestamp, false),
            ("analysis_ended", Timestamp, false),
            ("result_name", Str, false),
            ("result", Vocab(&vocab::MALWARE_RESULT), false),
            ("analysis_sco_refs", Refs(SCO), false),
            (
                "sample_ref",
                Ref(&["file", "network-traffic", "artifact"]),
                false,
            ),
        ],
        "note" => &[
            ("abstract", Str, false),
            ("content", Str, true),
            ("authors", StrList, false),
            ("object_refs", Refs(ANY), true),
        ],
        "observed-data" => &[
            ("first_observed", Timestamp, true),
            ("last_observed", Timestamp, true),
            ("number_observed", Int(1, 999_999_999), true),
            ("objects", Dict, false),
            ("object_refs", Refs(ANY), false),
        ],
        "opinion" => &[
            ("explanation", Str, false),
            ("authors", StrList, false),
            ("opinion", Vocab(&vocab::OPINION), true),
            ("object_refs", Refs(ANY), true),
        ],
        "report" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("report_types", VocabList(&vocab::REPORT_TYPE), false),
            ("published", Timestamp, true),
            ("object_refs", Refs(ANY), true),
        ],
        "threat-actor" => &[
            ("name", Str, true),
            ("description", Str, false),
            (
                "threat_actor_types",
                VocabList(&vocab::THREAT_ACTOR_TYPE),
                false,
            ),
            ("aliases", StrList, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
            ("roles", VocabList(&vocab::THREAT_ACTOR_ROLE), false),
            ("goals", StrList, false),
            (
                "sophistication",
                Vocab(&vocab::THREAT_ACTOR_SOPHISTICATION),
                false,
            ),
            (
                "resource_level",
                Vocab(&vocab::ATTACK_RESOURCE_LEVEL),
                false,
            ),
            (
                "primary_motivation",
                Vocab(&vocab::ATTACK_MOTIVATION),
                false,
            ),
            (
                "secondary_motivations",
                VocabList(&vocab::ATTACK_MOTIVATION),
                false,
            ),
            (
                "personal_motivations",
                VocabList(&vocab::ATTACK_MOTIVATION),
                false,
            ),
        ],
        "tool" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("tool_types", VocabList(&vocab::TOOL_TYPE), false),
            ("aliases", StrList, false),
            ("kill_chain_phases", List, false),
            ("tool_version", Str, false),
        ],
        "vulnerability" => &[("name", Str, true), ("description", Str, false)],
        "relationship" => &[
            ("relationship_type", Str, true),
            ("description", Str, false),
            ("source_ref", Ref(ANY), true),
            ("target_ref", Ref(ANY), true),
            ("start_time", Timestamp, false),
            ("stop_time", Timestamp, false),
        ],
        "sighting" => &[
            ("description", Str, false),
            ("first_seen", Timestamp, false),
            ("last_seen", Timestamp, false),
            ("count", Int(0, 999_999_999), false),
            ("sighting_of_ref", Ref(ANY), true),
            ("observed_data_refs", Refs(&["observed-data"]), false),
            ("where_sighted_refs", Refs(&["identity", "location"]), false),
            ("summary", Bool, false),
        ],
        "marking-definition" => &[
            ("name", Str, false),
            ("definition_type", Str, false),
            ("definition", Object, false),
        ],
        "language-content" => &[
            ("object_ref", Ref(ANY), true),
            ("object_modified", Timestamp, false),
            ("contents", Dict, true),
        ],
        "extension-definition" => &[
            ("name", Str, true),
            ("description", Str, false),
            ("schema", Str, true),
            ("version", Str, true),
            ("extension_types", VocabList(&vocab::EXTENSION_TYPE), true),
            ("extension_properties", StrList, false),
        ],
        "artifact" => &[
            ("mime_type", Str, false),
            ("payload_bin", Binary, false),
            ("url", Str, false),
            ("hashes", Hashes, false),
            (
                "encryption_algorithm",
                Vocab(&vocab::ENCRYPTION_ALGORITHM),
                false,
            ),
            ("decryption_key", Str, false),
        ],
        "autonomous-system" => &[
            ("number", Int(0, 4_294_967_295), true),
            ("name", Str, false),
            ("rir", Str, false),
        ],
        "directory" => &[
            ("path", Str, true),
            ("path_enc", Str, false),
            ("ctime", Timestamp, false),
            ("mtime", Timestamp, false),
            ("atime", Timestamp, false),
            ("contains_refs", Refs(&["file", "directory"]), false),
        ],
        "domain-name" => &[
            ("value", Str, true),
            (
                "resolves_to_refs",
                Refs(&["ipv4-addr", "ipv6-addr", "domain-name"]),
                false,
            ),
        ],
        "email-addr" => &[
            ("value", Str, true),
            ("display_name", Str, false),
            ("belongs_to_ref", Ref(USER), false),
        ],
        "email-message" => &[
            ("is_multipart", Bool, true),
            ("date", Timestamp, false),
            ("content_type", Str, false),
            ("from_ref", Ref(EMAIL), false),
            ("sender_ref", Ref(EMAIL), false),
            ("to_refs", Refs(EMAIL), false),
            ("cc_refs", Refs(EMAIL), false),
            ("bcc_refs", Refs(EMAIL), false),
            ("message_id", Str, false),
            ("subject", Str, false),
            ("received_lines", StrList, false),
            ("additional_header_fields", Dict, false),
            ("body", Str, false),
            ("body_multipart", List, false),
            ("raw_email_ref", Ref(ARTIFACT), false),
        ],
        "file" => &[
            ("hashes", Hashes, false),
            ("size", Int(0, 9_007_199_254_740_991), false),
            ("name", Str, false),
            ("name_enc", Str, false),
            ("magic_number_hex", Hex, false),
            ("mime_type", Str, false),
            ("ctime", Timestamp, false),
            ("mtime", Timestamp, false),
            ("atime", Timestamp, false),
            ("parent_directory_ref", Ref(&["directory"]), false),
            ("contains_refs", Refs(SCO), false),
            ("content_ref", Ref(ARTIFACT), false),
        ],
        "ipv4-addr" | "ipv6-addr" => &[
            ("value", Str, true),
            ("resolves_to_refs", Refs(&["mac-addr"]), false),
            ("belongs_to_refs", Refs(&["autonomous-system"]), false),
        ],
        "mac-addr" => &[("value", Str, true)],
        "mutex" => &[("name", Str, true)],
        "network-traffic" => &[
            ("start", Timestamp, false),
            ("end", Timestamp, false),
            ("is_active", Bool, false),
            ("src_ref", Ref(ADDR), false),
            ("dst_ref", Ref(ADDR), false),
            ("src_port", Int(0, 65535), false),
            ("dst_port", Int(0, 65535), false),
            ("protocols", StrList, true),
            ("src_byte_count", Int(0, 9_007_199_254_740_991), false),
            ("dst_byte_count", Int(0, 9_007_199_254_740_991), false),
            ("src_packets", Int(0, 9_007_199_254_740_991), false),
            ("dst_packets", Int(0, 9_007_199_254_740_991), false),
            ("ipfix", Dict, false),
            ("src_payload_ref", Ref(ARTIFACT), false),
            ("dst_payload_ref", Ref(ARTIFACT), false),
            ("encapsulates_refs", Refs(NT), false),
            ("encapsulated_by_ref", Ref(NT), false),
        ],
        "process" => &[
            ("is_hidden", Bool, false),
            (
                "pid",
                Int(-9_007_199_254_740_991, 9_007_199_254_740_991),
                false,
            ),
            ("created_time", Timestamp, false),
            ("cwd", Str, false),
            ("command_line", Str, false),
            ("environment_variables", Dict, false),
            ("opened_connection_refs", Refs(NT), false),
            ("creator_user_ref", Ref(USER), false),
            ("image_ref", Ref(&["file"]), false),
            ("parent_ref", Ref(PROCESS), false),
            ("child_refs", Refs(PROCESS), false),
        ],
        "software" => &[
            ("name", Str, true),
            ("cpe", Str, false),
            ("swid", Str, false),
            ("languages", StrList, false),
            ("vendor", Str, false),
            ("version", Str, false),
        ],
        "url" => &[("value", Str, true)],
        "user-account" => &[
            ("user_id", Str, false),
            ("credential", Str, false),
            ("account_login", Str, false),
            ("account_type", Vocab(&vocab::ACCOUNT_TYPE), false),
            ("display_name", Str, false),
            ("is_service_account", Bool, false),
            ("is_privileged", Bool, false),
            ("can_escalate_privs", Bool, false),
            ("is_disabled", Bool, false),
            ("account_created", Timestamp, false),
            ("account_expires", Timestamp, false),
            ("credential_last_changed", Timestamp, false),
            ("account_first_login", Timestamp, false),
            ("account_last_login", Timestamp, false),
        ],
        "windows-registry-key" => &[
            ("key", Str, false),
            ("values", List, false),
            ("modified_time", Timestamp, false),
            ("creator_user_ref", Ref(USER), false),
            ("number_of_subkeys", Int(0, 9_007_199_254_740_991), false),
        ],
        "x509-certificate" => &[
            ("is_self_signed", Bool, false),
            ("hashes", Hashes, false),
            ("version", Str, false),
            ("serial_number", Str, false),
            ("signature_algorithm", Str, false),
            ("issuer", Str, false),
            ("validity_not_before", Timestamp, false),
            ("validity_not_after", Timestamp, false),
            ("subject", Str, false),
            ("subject_public_key_algorithm", Str, false),
            ("subject_public_key_modulus", Str, false),
            (
                "subject_public_key_exponent",
                Int(0, 9_007_199_254_740_991),
                false,
            ),
            ("x509_v3_extensions", Object, false),
        ],
        _ => return None,
    })
}

/// The category of a type name.
pub(crate) fn category(t: &str) -> Category {
    match t {
        "relationship" | "sighting" => Category::Sro,
        "marking-definition" | "language-content" | "extension-definition" => Category::Meta,
        _ if crate::spec_version::SCO_TYPES.contains(&t) => Category::Sco,
        _ if type_props(t).is_some() => Category::Sdo,
        _ => Category::Custom,
    }
}

/// Types that exist only in STIX 2.1 (checklist §11).
pub(crate) fn only_in_21(t: &str) -> bool {
    matches!(
        t,
        "grouping"
            | "incident"
            | "infrastructure"
            | "location"
            | "malware-analysis"
            | "note"
            | "opinion"
            | "language-content"
            | "extension-definition"
    ) || crate::spec_version::SCO_TYPES.contains(&t)
}

/// The predefined extensions of an SCO type (SPEC §6), each with the
/// properties it requires (empty: at least one property).
pub(crate) fn predefined_extensions(t: &str) -> &'static [(&'static str, &'static [&'static str])] {
    match t {
        "file" => &[
            ("archive-ext", &["contains_refs"]),
            ("ntfs-ext", &[]),
            ("pdf-ext", &[]),
            ("raster-image-ext", &[]),
            ("windows-pebinary-ext", &["pe_type"]),
        ],
        "network-traffic" => &[
            ("http-request-ext", &["request_method", "request_value"]),
            ("icmp-ext", &["icmp_type_hex", "icmp_code_hex"]),
            ("socket-ext", &["address_family"]),
            ("tcp-ext", &[]),
        ],
        "process" => &[("windows-process-ext", &[]), ("windows-service-ext", &[])],
        "user-account" => &[("unix-account-ext", &[])],
        _ => &[],
    }
}

/// The SCO type a predefined extension name belongs to, if it is one.
pub(crate) fn owner_of_predefined_extension(name: &str) -> Option<&'static str> {
    ["file", "network-traffic", "process", "user-account"]
        .into_iter()
        .find(|t| predefined_extensions(t).iter().any(|(n, _)| *n == name))
}

/// Common properties and the categories that may carry them.
pub(crate) fn common_allowed(prop: &str, cat: Category, t: &str) -> Option<bool> {
    use Category::*;
    let versioned =
        matches!(cat, Sdo | Sro) || t == "language-content" || t == "extension-definition";
    Some(match prop {
        "type" | "id" | "spec_version" | "object_marking_refs" | "granular_markings" => true,
        "extensions" => t != "extension-definition",
        "created" | "created_by_ref" | "external_references" => cat != Sco,
        "modified" | "revoked" | "labels" => versioned,
        "confidence" => versioned && t != "extension-definition",
        "lang" => matches!(cat, Sdo | Sro),
        "defanged" => cat == Sco,
        _ => return None,
    })
}

/// Property names the specification reserves (SPEC §3.8; the schema spells
/// one of them `phone_numbers`).
pub(crate) const RESERVED: &[&str] = &[
    "severity",
    "username",
    "phone_number",
    "phone_numbers",
    "action",
];

/// Types whose 2.0 definition required `labels` (STIX 2.0 part 2).
pub(crate) fn labels_required_in_20(t: &str) -> bool {
    matches!(
        t,
        "indicator" | "malware" | "report" | "threat-actor" | "tool"
    )
}
