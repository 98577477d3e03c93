//! The whole pipeline: sources (files, TAXII), validation, the indexed
//! local store, routing and normalisation into every destination's
//! formats, the run summary, and publishing back to TAXII.
//!
//! Everything here is a library function with owned inputs and outputs so
//! that the `ingest` example, and later the Python and C bindings, stay
//! thin.

pub mod config;
pub mod error;
pub mod ingest;
pub mod publish;
pub mod record;
pub mod report;
pub mod store;
pub mod summary;

pub use config::{IngestConfig, PublishConfig};
pub use error::{PipelineError, Result};
pub use ingest::{
    entries_of, ingest, DestinationSummary, IngestOptions, IngestReport, Progress, RemovedEntry,
    Source, StoreCounts, TaxiiSource,
};
pub use publish::{
    build_indicator, check_ceiling, publish, PublishOutcome, PublishRequest, RefusedObject,
};
pub use record::{version_key, Edge, ObjectRecord, ObservableValue};
pub use report::render_text;
pub use store::{
    tlp_from_label, Entry, EntryDiff, ObservableHit, PutOutcome, Store, StoreCheckpoints,
    StoreStats, StoredEdge, StoredObject,
};
pub use summary::{tlp_label, InputSummary, InvalidObject, SourceSummary, Unresolved};
