//! The two STIX Relationship Objects (SPEC §5).

use crate::{Identifier, Timestamp};

stix_object! {
    /// Relationship (SPEC §5.1).
    pub struct Relationship = "relationship" {
        /// `relationship_type`.
        relationship_type: String,
        /// `description`.
        description: String,
        /// `source_ref`.
        source_ref: Identifier,
        /// `target_ref`.
        target_ref: Identifier,
        /// `start_time`.
        start_time: Timestamp,
        /// `stop_time`.
        stop_time: Timestamp,
    }
}

stix_object! {
    /// Sighting (SPEC §5.2).
    pub struct Sighting = "sighting" {
        /// `description`.
        description: String,
        /// `first_seen`.
        first_seen: Timestamp,
        /// `last_seen`.
        last_seen: Timestamp,
        /// `count`.
        count: i64,
        /// `sighting_of_ref`.
        sighting_of_ref: Identifier,
        /// `observed_data_refs`.
        observed_data_refs: Vec<Identifier>,
        /// `where_sighted_refs`.
        where_sighted_refs: Vec<Identifier>,
        /// `summary`.
        summary: bool,
    }
}
