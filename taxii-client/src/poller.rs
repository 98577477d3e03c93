//! Incremental polling with a durable checkpoint (checklist C6).
//!
//! The checkpoint of a collection is the largest `X-TAXII-Date-Added-Last`
//! the server sent for a page the caller received: the server's clock, never
//! the local one. A poll asks for `added_after = checkpoint - overlap`
//! (default five minutes) so that objects the server commits late, or stamps
//! with a skewed clock, are not skipped; the objects the overlap returns a
//! second time are recognised by (id, version) and dropped.
//!
//! The checkpoint is saved (atomically: temporary file, then rename) only
//! once the caller has finished with a page, i.e. when it asks for the next
//! one, calls [`Poller::commit`], or the poll ends. A crash while a page is
//! being processed therefore re-delivers that page on the next run rather
//! than skipping it (at-least-once delivery; the dedupe keeps repeats rare).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::client::Collection;
use crate::envelope::{Object, Page};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::paging::Pages;
use crate::timestamp::Timestamp;

/// One (id, version) delivered recently, with the page's date-added-last.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecentKey {
    /// Object id.
    pub id: String,
    /// Object version (`modified`, `created`, or empty).
    pub version: String,
    /// `X-TAXII-Date-Added-Last` of the page that delivered it.
    pub page_last: Timestamp,
}

/// The polling state of one collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Largest `X-TAXII-Date-Added-Last` of a page handed to the caller.
    pub date_added_last: Option<Timestamp>,
    /// Objects delivered inside the overlap window, for dedupe.
    #[serde(default)]
    pub recent: Vec<RecentKey>,
}

/// Where checkpoints live. A JSON file by default; any store (SQLite...) can
/// implement this.
pub trait CheckpointStore: Send {
    /// The checkpoint saved under `key` (a collection URL), if any.
    fn load(&self, key: &str) -> Result<Option<Checkpoint>>;
    /// Saves `cp` under `key`; must be atomic (all or nothing).
    fn save(&mut self, key: &str, cp: &Checkpoint) -> Result<()>;
}

/// Checkpoints kept in memory (tests, or callers that persist elsewhere).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    /// The saved checkpoints by key.
    pub checkpoints: BTreeMap<String, Checkpoint>,
}

impl CheckpointStore for MemoryStore {
    fn load(&self, key: &str) -> Result<Option<Checkpoint>> {
        Ok(self.checkpoints.get(key).cloned())
    }
    fn save(&mut self, key: &str, cp: &Checkpoint) -> Result<()> {
        self.checkpoints.insert(key.to_string(), cp.clone());
        Ok(())
    }
}

const FORMAT: &str = "libstix-taxii-poll-state/1";

#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    format: String,
    collections: BTreeMap<String, Checkpoint>,
}

/// Checkpoints in one small JSON file, replaced atomically on every save.
#[derive(Debug, Clone)]
pub struct JsonFileStore {
    path: PathBuf,
}

impl JsonFileStore {
    /// A store in `path` (created on first save).
    pub fn new(path: impl Into<PathBuf>) -> JsonFileStore {
        JsonFileStore { path: path.into() }
    }

    fn err(&self, message: String) -> Error {
        Error::Checkpoint {
            path: self.path.display().to_string(),
            message,
        }
    }

    fn read(&self) -> Result<StateFile> {
        match std::fs::read(&self.path) {
            Ok(b) => {
                let f: StateFile =
                    serde_json::from_slice(&b).map_err(|e| self.err(format!("unreadable: {e}")))?;
                if f.format != FORMAT {
                    return Err(self.err(format!("unknown format {:?}", f.format)));
                }
                Ok(f)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StateFile {
                format: FORMAT.into(),
                collections: BTreeMap::new(),
            }),
            Err(e) => Err(self.err(e.to_string())),
        }
    }
}

/// Writes `bytes` to `path` via a temporary file in the same directory and a
/// rename, so readers see the old or the new content, never a torn one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all(); // best effort: not every platform can sync a directory
    }
    Ok(())
}

impl CheckpointStore for JsonFileStore {
    fn load(&self, key: &str) -> Result<Option<Checkpoint>> {
        Ok(self.read()?.collections.remove(key))
    }
    fn save(&mut self, key: &str, cp: &Checkpoint) -> Result<()> {
        let mut f = self.read()?;
        f.collections.insert(key.to_string(), cp.clone());
        let bytes = serde_json::to_vec_pretty(&f).map_err(|e| self.err(e.to_string()))?;
        write_atomic(&self.path, &bytes).map_err(|e| self.err(format!("cannot write: {e}")))
    }
}

struct Run {
    pages: Pages<Object>,
    state: Checkpoint,
    seen_before: HashSet<(String, String)>,
    dirty: bool,
}

/// Polls one collection for objects added since the last poll.
///
/// ```no_run
/// # use taxii_client::*;
/// # let collection: Collection = unimplemented!();
/// let mut poller = Poller::new(collection, JsonFileStore::new("state.json"));
/// while let Some(page) = poller.next_page()? {
///     for obj in &page.items { println!("{}", obj.json()); }
/// }
/// # Ok::<(), Error>(())
/// ```
pub struct Poller {
    collection: Collection,
    store: Box<dyn CheckpointStore>,
    overlap: Duration,
    filter: Filter,
    run: Option<Run>,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("collection", &self.collection.url())
            .field("overlap", &self.overlap)
            .field("filter", &self.filter)
            .field("running", &self.run.is_some())
            .finish()
    }
}

impl Poller {
    /// A poller with the default five-minute overlap and no filter.
    pub fn new(collection: Collection, store: impl CheckpointStore + 'static) -> Poller {
        Poller {
            collection,
            store: Box::new(store),
            overlap: Duration::from_secs(300),
            filter: Filter::default(),
            run: None,
        }
    }

    /// Sets the overlap window.
    pub fn overlap(mut self, d: Duration) -> Poller {
        self.overlap = d;
        self
    }

    /// Filters every poll (`limit`, `match[...]`); its `added_after` is
    /// used only for the very first poll, when there is no checkpoint.
    pub fn filter(mut self, f: Filter) -> Poller {
        self.filter = f;
        self
    }

    /// The key checkpoints are stored under (the collection URL).
    pub fn key(&self) -> String {
        self.collection.url()
    }

    /// The stored checkpoint.
    pub fn checkpoint(&self) -> Result<Option<Checkpoint>> {
        self.store.load(&self.key())
    }

    fn start(&mut self) -> Result<Run> {
        let state = self.store.load(&self.key())?.unwrap_or_default();
        let mut filter = self.filter.clone();
        if let Some(cp) = state.date_added_last {
            filter.added_after = Some(cp.minus(self.overlap));
        }
        let seen_before = state
            .recent
            .iter()
            .map(|k| (k.id.clone(), k.version.clone()))
            .collect();
        Ok(Run {
            pages: self.collection.objects(&filter)?,
            state,
            seen_before,
            dirty: false,
        })
    }

    /// Saves the checkpoint of the pages handed out so far.
    pub fn commit(&mut self) -> Result<()> {
        let key = self.key();
        if let Some(run) = &mut self.run {
            if run.dirty {
                self.store.save(&key, &run.state)?;
                run.dirty = false;
            }
        }
        Ok(())
    }

    /// The next page of new objects. Starts a poll if none is running;
    /// `Ok(None)` ends the poll (its checkpoint saved); the next call starts
    /// another. On an error the poll ends; what was handed out before it is
    /// committed, and the next poll resumes from there.
    pub fn next_page(&mut self) -> Result<Option<Page<Object>>> {
        if self.run.is_none() {
            self.run = Some(self.start()?);
        }
        // The caller asked for more: it is done with the previous page.
        self.commit()?;
        let overlap = self.overlap;
        let run = self.run.as_mut().expect("run started above");
        match run.pages.next() {
            None => {
                self.run = None;
                Ok(None)
            }
            Some(Err(e)) => {
                self.run = None;
                Err(e)
            }
            Some(Ok(mut page)) => {
                let before = page.items.len();
                page.items.retain(|o| !run.seen_before.contains(&o.key()));
                page.duplicates_dropped += before - page.items.len();
                match page.date_added_last {
                    Some(last) => {
                        let cp = run.state.date_added_last.map_or(last, |c| c.max(last));
                        run.state.date_added_last = Some(cp);
                        run.state.recent.extend(page.items.iter().map(|o| {
                            let (id, version) = o.key();
                            RecentKey {
                                id,
                                version,
                                page_last: last,
                            }
                        }));
                        let horizon = cp.minus(overlap);
                        run.state.recent.retain(|k| k.page_last > horizon);
                    }
                    None if !page.items.is_empty() => page.warnings.push(
                        "no X-TAXII-Date-Added-Last on this page: the checkpoint cannot advance"
                            .into(),
                    ),
                    None => {}
                }
                run.dirty = true;
                Ok(Some(page))
            }
        }
    }
}

impl Iterator for Poller {
    type Item = Result<Page<Object>>;
    /// One poll: pages until `None`; iterating again starts the next poll.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_page().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_store_round_trip_and_atomic_file() {
        let dir = std::env::temp_dir().join(format!("taxii-poll-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let _ = std::fs::remove_file(&path);
        let mut s = JsonFileStore::new(&path);
        assert_eq!(s.load("a").unwrap(), None);
        let cp = Checkpoint {
            date_added_last: Some(Timestamp::parse("2024-05-01T12:00:09Z").unwrap()),
            recent: vec![RecentKey {
                id: "ipv4-addr--1".into(),
                version: "".into(),
                page_last: Timestamp::parse("2024-05-01T12:00:09Z").unwrap(),
            }],
        };
        s.save("a", &cp).unwrap();
        s.save("b", &Checkpoint::default()).unwrap();
        assert_eq!(JsonFileStore::new(&path).load("a").unwrap(), Some(cp));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("2024-05-01T12:00:09.000000Z"), "{text}");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != "state.json")
            .collect();
        assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
        std::fs::write(&path, b"{garbage").unwrap();
        assert!(matches!(s.load("a"), Err(Error::Checkpoint { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
