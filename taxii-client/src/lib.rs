//! A blocking TAXII 2.1 client that does not lose data.
//!
//! ```no_run
//! use taxii_client::{Client, Filter, VersionMatch};
//!
//! let client = Client::builder("https://taxii.example.org/taxii2/")
//!     .basic_auth("user", "password")
//!     .build()?;
//! let root = client.default_api_root()?;
//! let feed = root.collection("5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01")?;
//! for page in feed.objects(&Filter::new().limit(50).version(VersionMatch::All))? {
//!     let page = page?;
//!     for object in &page.items {
//!         println!("{}", object.json());
//!     }
//! }
//! # Ok::<(), taxii_client::Error>(())
//! ```
//!
//! - [`Client`] → [`ApiRoot`] → [`Collection`]: discovery, API root
//!   information, collections, objects, manifest, versions, delete, add, status.
//! - [`Pages`]: pagination guarantees (see its module docs): follows `next`,
//!   survives `more` without `next`, detects stalls, never replays a cursor.
//! - [`Poller`]: incremental polling from a durable server-side checkpoint.
//! - [`Collection::publish`]: envelopes split under `max_content_length`,
//!   status followed to its final state.
//! - Every failure is an [`Error`] variant with plain data.

mod client;
mod config;
mod envelope;
mod error;
mod filter;
pub mod media;
mod paging;
mod poller;
mod resources;
mod taxii20;
mod timestamp;
mod transport;

pub use client::{
    ApiRoot, Client, Collection, DeleteFilter, ObjectPage, PublishReport, WaitOptions,
};
pub use config::{Auth, ClientBuilder, RetryPolicy, Secret};
pub use envelope::{split_envelopes, Item, Object, ObjectProblem, Page};
pub use error::{Error, HttpFailure, Result, StallReason, TaxiiError, TransportKind};
pub use filter::{Filter, VersionMatch};
pub use media::ContentTypePolicy;
pub use paging::Pages;
pub use poller::{Checkpoint, CheckpointStore, JsonFileStore, MemoryStore, Poller, RecentKey};
pub use resources::{ApiRootInfo, CollectionInfo, Discovery, ManifestRecord, Status, StatusDetail};
pub use taxii20::ItemRange;
pub use timestamp::Timestamp;
