//! The 19 STIX Domain Objects (SPEC §4). Every type-specific property is
//! optional in the struct: required-ness differs between STIX 2.0 and 2.1
//! and is judged by the validator, so a missing property never loses the
//! object.

use serde_json::{Map, Number, Value};

use super::common::KillChainPhase;
use crate::{Identifier, Timestamp};

stix_object! {
    /// Attack Pattern (SPEC §4.1).
    pub struct AttackPattern = "attack-pattern" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `aliases`.
        aliases: Vec<String>,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
    }
}

stix_object! {
    /// Campaign (SPEC §4.2).
    pub struct Campaign = "campaign" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `aliases`.
        aliases: Vec<String>,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
        /// `objective`.
        objective: String,
    }
}

stix_object! {
    /// Course of Action (SPEC §4.3). The reserved `action` property, if
    /// present, stays in `custom` for the validator to report.
    pub struct CourseOfAction = "course-of-action" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
    }
}

stix_object! {
    /// Grouping (SPEC §4.4).
    pub struct Grouping = "grouping" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `context` (open vocabulary grouping-context-ov).
        context: String,
        /// `object_refs`.
        object_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Identity (SPEC §4.5).
    pub struct Identity = "identity" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `roles`.
        roles: Vec<String>,
        /// `identity_class` (identity-class-ov).
        identity_class: String,
        /// `sectors` (industry-sector-ov).
        sectors: Vec<String>,
        /// `contact_information`.
        contact_information: String,
    }
}

stix_object! {
    /// Incident (SPEC §4.6).
    pub struct Incident = "incident" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
    }
}

stix_object! {
    /// Indicator (SPEC §4.7). `pattern_version` is never filled in.
    pub struct Indicator = "indicator" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `indicator_types` (indicator-type-ov).
        indicator_types: Vec<String>,
        /// `pattern`.
        pattern: String,
        /// `pattern_type` (pattern-type-ov).
        pattern_type: String,
        /// `pattern_version`.
        pattern_version: String,
        /// `valid_from`.
        valid_from: Timestamp,
        /// `valid_until`.
        valid_until: Timestamp,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
    }
}

stix_object! {
    /// Infrastructure (SPEC §4.8).
    pub struct Infrastructure = "infrastructure" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `infrastructure_types` (infrastructure-type-ov).
        infrastructure_types: Vec<String>,
        /// `aliases`.
        aliases: Vec<String>,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
    }
}

stix_object! {
    /// Intrusion Set (SPEC §4.9).
    pub struct IntrusionSet = "intrusion-set" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `aliases`.
        aliases: Vec<String>,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
        /// `goals`.
        goals: Vec<String>,
        /// `resource_level` (attack-resource-level-ov).
        resource_level: String,
        /// `primary_motivation` (attack-motivation-ov).
        primary_motivation: String,
        /// `secondary_motivations`.
        secondary_motivations: Vec<String>,
    }
}

stix_object! {
    /// Location (SPEC §4.10). Coordinates keep their JSON number form
    /// (`45` stays an integer, `45.0` a float) for a lossless round trip.
    pub struct Location = "location" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `latitude`.
        latitude: Number,
        /// `longitude`.
        longitude: Number,
        /// `precision` (metres).
        precision: Number,
        /// `region` (region-ov).
        region: String,
        /// `country`.
        country: String,
        /// `administrative_area`.
        administrative_area: String,
        /// `city`.
        city: String,
        /// `street_address`.
        street_address: String,
        /// `postal_code`.
        postal_code: String,
    }
}

stix_object! {
    /// Malware (SPEC §4.11).
    pub struct Malware = "malware" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `malware_types` (malware-type-ov).
        malware_types: Vec<String>,
        /// `is_family`.
        is_family: bool,
        /// `aliases`.
        aliases: Vec<String>,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
        /// `operating_system_refs`.
        operating_system_refs: Vec<Identifier>,
        /// `architecture_execution_envs` (processor-architecture-ov).
        architecture_execution_envs: Vec<String>,
        /// `implementation_languages` (implementation-language-ov).
        implementation_languages: Vec<String>,
        /// `capabilities` (malware-capabilities-ov).
        capabilities: Vec<String>,
        /// `sample_refs`.
        sample_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Malware Analysis (SPEC §4.12).
    pub struct MalwareAnalysis = "malware-analysis" {
        /// `product`.
        product: String,
        /// `version`.
        version: String,
        /// `host_vm_ref`.
        host_vm_ref: Identifier,
        /// `operating_system_ref`.
        operating_system_ref: Identifier,
        /// `installed_software_refs`.
        installed_software_refs: Vec<Identifier>,
        /// `configuration_version`.
        configuration_version: String,
        /// `modules`.
        modules: Vec<String>,
        /// `analysis_engine_version`.
        analysis_engine_version: String,
        /// `analysis_definition_version`.
        analysis_definition_version: String,
        /// `submitted`.
        submitted: Timestamp,
        /// `analysis_started`.
        analysis_started: Timestamp,
        /// `analysis_ended`.
        analysis_ended: Timestamp,
        /// `result_name`.
        result_name: String,
        /// `result` (malware-result-ov).
        result: String,
        /// `analysis_sco_refs`.
        analysis_sco_refs: Vec<Identifier>,
        /// `sample_ref`.
        sample_ref: Identifier,
    }
}

stix_object! {
    /// Note (SPEC §4.13).
    pub struct Note = "note" {
        /// `abstract`.
        abstract_ = "abstract": String,
        /// `content`.
        content: String,
        /// `authors`.
        authors: Vec<String>,
        /// `object_refs`.
        object_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Observed Data (SPEC §4.14). The deprecated `objects` container
    /// (STIX 2.0 style) is kept as the JSON dictionary it is.
    pub struct ObservedData = "observed-data" {
        /// `first_observed`.
        first_observed: Timestamp,
        /// `last_observed`.
        last_observed: Timestamp,
        /// `number_observed`.
        number_observed: i64,
        /// `objects` (deprecated container of SCOs keyed "0", "1", …).
        objects: Map<String, Value>,
        /// `object_refs`.
        object_refs: Vec<Identifier>,
    }
}

string_enum! {
    /// `opinion` values (SPEC §10.8, opinion-enum).
    pub enum OpinionValue ("opinion") {
        /// strongly-disagree
        StronglyDisagree = "strongly-disagree",
        /// disagree
        Disagree = "disagree",
        /// neutral
        Neutral = "neutral",
        /// agree
        Agree = "agree",
        /// strongly-agree
        StronglyAgree = "strongly-agree",
    }
}

stix_object! {
    /// Opinion (SPEC §4.15).
    pub struct Opinion = "opinion" {
        /// `explanation`.
        explanation: String,
        /// `authors`.
        authors: Vec<String>,
        /// `opinion`.
        opinion: OpinionValue,
        /// `object_refs`.
        object_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Report (SPEC §4.16).
    pub struct Report = "report" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `report_types` (report-type-ov).
        report_types: Vec<String>,
        /// `published`.
        published: Timestamp,
        /// `object_refs`.
        object_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Threat Actor (SPEC §4.17).
    pub struct ThreatActor = "threat-actor" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `threat_actor_types` (threat-actor-type-ov).
        threat_actor_types: Vec<String>,
        /// `aliases`.
        aliases: Vec<String>,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
        /// `roles` (threat-actor-role-ov).
        roles: Vec<String>,
        /// `goals`.
        goals: Vec<String>,
        /// `sophistication` (threat-actor-sophistication-ov).
        sophistication: String,
        /// `resource_level`.
        resource_level: String,
        /// `primary_motivation`.
        primary_motivation: String,
        /// `secondary_motivations`.
        secondary_motivations: Vec<String>,
        /// `personal_motivations`.
        personal_motivations: Vec<String>,
    }
}

stix_object! {
    /// Tool (SPEC §4.18).
    pub struct Tool = "tool" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
        /// `tool_types` (tool-type-ov).
        tool_types: Vec<String>,
        /// `aliases`.
        aliases: Vec<String>,
        /// `kill_chain_phases`.
        kill_chain_phases: Vec<KillChainPhase>,
        /// `tool_version`.
        tool_version: String,
    }
}

stix_object! {
    /// Vulnerability (SPEC §4.19).
    pub struct Vulnerability = "vulnerability" {
        /// `name`.
        name: String,
        /// `description`.
        description: String,
    }
}
