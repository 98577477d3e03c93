//! The indexed local store: every ingested object version in an embedded
//! SQLite database (bundled, so no system library is needed).
//!
//! Indexed by id, type, version (`modified`), TLP and by the observable
//! values of indicator patterns; relationships are queryable from either
//! end. The store also keeps the TAXII poll checkpoint of each collection
//! ([`StoreCheckpoints`] plugs into `taxii_client::Poller`) and the entries
//! each destination received on the last run, which is what makes runs
//! incremental: the next run's entries are compared with them to report
//! what was added and removed.
//!
//! The handle is `Send + Sync` and cheap to clone; all access goes through
//! one connection behind a mutex (SQLite serialises writers anyway).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use stix_core::tlp::TlpLevel;

use super::error::{PipelineError, Result};
use super::record::{version_key, Edge, ObjectRecord, ObservableValue};

/// Schema version written in the `meta` table.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
    id            TEXT NOT NULL,
    version       TEXT NOT NULL,
    version_key   TEXT NOT NULL,
    type          TEXT NOT NULL,
    spec_version  TEXT NOT NULL,
    tlp           TEXT,
    tlp_rank      INTEGER,
    revoked       INTEGER NOT NULL,
    valid_until   TEXT,
    valid_until_key TEXT,
    is_current    INTEGER NOT NULL DEFAULT 0,
    first_run     INTEGER,
    raw           TEXT NOT NULL,
    PRIMARY KEY (id, version_key)
);
CREATE INDEX IF NOT EXISTS objects_type     ON objects(type, is_current);
CREATE INDEX IF NOT EXISTS objects_modified ON objects(version_key);
CREATE INDEX IF NOT EXISTS objects_tlp      ON objects(tlp_rank);
CREATE INDEX IF NOT EXISTS objects_current  ON objects(is_current, id);
CREATE TABLE IF NOT EXISTS observables (
    id          TEXT NOT NULL,
    version_key TEXT NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    algorithm   TEXT
);
CREATE INDEX IF NOT EXISTS observables_value  ON observables(value);
CREATE INDEX IF NOT EXISTS observables_object ON observables(id, version_key);
CREATE TABLE IF NOT EXISTS edges (
    id                TEXT NOT NULL,
    version_key       TEXT NOT NULL,
    relationship_type TEXT NOT NULL,
    source_ref        TEXT NOT NULL,
    target_ref        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS edges_source ON edges(source_ref);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target_ref);
CREATE INDEX IF NOT EXISTS edges_object ON edges(id, version_key);
CREATE TABLE IF NOT EXISTS checkpoints (
    key     TEXT PRIMARY KEY,
    state   TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run      INTEGER PRIMARY KEY AUTOINCREMENT,
    started  TEXT NOT NULL,
    finished TEXT,
    summary  TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    destination TEXT NOT NULL,
    file        TEXT NOT NULL,
    value       TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    PRIMARY KEY (destination, file, value, object_id)
);
";

/// What storing one object version did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PutOutcome {
    /// First version of a new id.
    New,
    /// A newer version of a known id; it is now the current one.
    NewVersion {
        /// The version it replaces.
        previous: String,
    },
    /// A version older than the current one: kept for history, not current.
    OlderVersion {
        /// The current version.
        current: String,
    },
    /// This exact version was already stored with the same content.
    Unchanged,
    /// An object without a version (an SCO) whose content changed; the new
    /// content replaces the old.
    Updated,
    /// This version was already stored with different content (two
    /// producers disagree); the first one is kept.
    Conflict,
}

/// One stored object version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObject {
    /// `id`.
    pub id: String,
    /// `type`.
    pub object_type: String,
    /// The version as written (`modified`, else `created`, else empty).
    pub version: String,
    /// `spec_version`.
    pub spec_version: String,
    /// TLP level, `None` when unmarked.
    pub tlp: Option<TlpLevel>,
    /// `revoked: true`.
    pub revoked: bool,
    /// `valid_until`, as written.
    pub valid_until: Option<String>,
    /// Whether this is the newest stored version of its id.
    pub current: bool,
    /// The object's JSON text as ingested.
    pub raw: String,
}

impl StoredObject {
    /// The object parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_str(&self.raw).map_err(|e| PipelineError::CorruptObject {
            path: String::new(),
            id: self.id.clone(),
            version: self.version.clone(),
            message: e.to_string(),
        })
    }

    /// Whether `valid_until` is at or before `now` (a STIX timestamp).
    pub fn expired_at(&self, now: &str) -> bool {
        self.valid_until
            .as_deref()
            .is_some_and(|v| version_key(v) <= version_key(now))
    }
}

/// Where an observable value was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservableHit {
    /// The indicator's id.
    pub indicator_id: String,
    /// The indicator version the value is in.
    pub version: String,
    /// Whether that version is the current one.
    pub current: bool,
    /// The value with its kind.
    pub observable: ObservableValue,
}

/// A relationship with its direction, as the store returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEdge {
    /// The relationship.
    pub edge: Edge,
    /// Whether the relationship object is revoked.
    pub revoked: bool,
    /// TLP level of the relationship object.
    pub tlp: Option<TlpLevel>,
}

/// One line an output file received: its destination, the file (relative
/// to the destination's folder), the value, and the object it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// Destination name.
    pub destination: String,
    /// Output file, relative to the destination's folder.
    pub file: String,
    /// The value (domain, address, hash...).
    pub value: String,
    /// The object that produced it.
    pub object_id: String,
}

/// What changed in one destination's entries since the last run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDiff {
    /// Entries present now and not after the last run.
    pub added: Vec<Entry>,
    /// Entries present after the last run and gone now.
    pub removed: Vec<Entry>,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Stored versions, all ids.
    pub versions: u64,
    /// Distinct ids.
    pub objects: u64,
    /// Current versions per type.
    pub by_type: BTreeMap<String, u64>,
}

/// The indexed local store (see the module docs).
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

fn tlp_text(t: Option<TlpLevel>) -> Option<&'static str> {
    t.map(TlpLevel::label)
}

fn tlp_rank(t: TlpLevel) -> i64 {
    match t {
        TlpLevel::Clear => 0,
        TlpLevel::Green => 1,
        TlpLevel::Amber => 2,
        TlpLevel::AmberStrict => 3,
        TlpLevel::Red => 4,
    }
}

/// The TLP level with this label (`RED`, `AMBER+STRICT`, `WHITE`...),
/// with or without the `TLP:` prefix, in any case.
pub fn tlp_from_label(s: &str) -> Option<TlpLevel> {
    let s = s.trim();
    let s = s
        .strip_prefix("TLP:")
        .or_else(|| s.strip_prefix("tlp:"))
        .unwrap_or(s);
    match s.to_ascii_uppercase().as_str() {
        "CLEAR" | "WHITE" => Some(TlpLevel::Clear),
        "GREEN" => Some(TlpLevel::Green),
        "AMBER" => Some(TlpLevel::Amber),
        "AMBER+STRICT" => Some(TlpLevel::AmberStrict),
        "RED" => Some(TlpLevel::Red),
        _ => None,
    }
}

const OBJECT_COLUMNS: &str =
    "id, type, version, spec_version, tlp, revoked, valid_until, is_current, raw";

fn row_object(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredObject> {
    let tlp: Option<String> = row.get(4)?;
    Ok(StoredObject {
        id: row.get(0)?,
        object_type: row.get(1)?,
        version: row.get(2)?,
        spec_version: row.get(3)?,
        tlp: tlp.as_deref().and_then(tlp_from_label),
        revoked: row.get::<_, i64>(5)? != 0,
        valid_until: row.get(6)?,
        current: row.get::<_, i64>(7)? != 0,
        raw: row.get(8)?,
    })
}

impl Store {
    /// Opens (creating when absent) the store in `path`; its folder is
    /// created too.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref();
        let name = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| PipelineError::Store {
                path: name.clone(),
                message: format!("cannot create folder {}: {e}", dir.display()),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| PipelineError::Store {
            path: name.clone(),
            message: format!("cannot open: {e}"),
        })?;
        Store::init(conn, name)
    }

    /// A store that lives in memory only (tests, one-shot runs).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| PipelineError::Store {
            path: ":memory:".into(),
            message: e.to_string(),
        })?;
        Store::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Store> {
        let err = |what: &str, e: rusqlite::Error| PipelineError::Store {
            path: path.clone(),
            message: format!("{what}: {e}"),
        };
        // WAL keeps readers unblocked while a run writes; NORMAL sync is
        // durable across application crashes, which is what matters here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .or_else(|_| conn.pragma_update(None, "journal_mode", "MEMORY"))
            .map_err(|e| err("journal mode", e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| err("synchronous", e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| err("busy timeout", e))?;
        let found: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .or_else(|e| match e {
                // A fresh file has no meta table yet.
                rusqlite::Error::SqliteFailure(_, Some(ref m)) if m.contains("no such table") => {
                    Ok(None)
                }
                e => Err(e),
            })
            .map_err(|e| err("reading schema version", e))?;
        if let Some(found) = found {
            let found: i64 = found.parse().unwrap_or(-1);
            if found != SCHEMA_VERSION {
                return Err(PipelineError::SchemaVersion {
                    path,
                    found,
                    expected: SCHEMA_VERSION,
                });
            }
        }
        conn.execute_batch(SCHEMA)
            .map_err(|e| err("creating schema", e))?;
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?1)",
            [SCHEMA_VERSION.to_string()],
        )
        .map_err(|e| err("writing schema version", e))?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// The database file (`:memory:` for an in-memory store).
    pub fn path(&self) -> &str {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent
        // (transactions roll back), so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn err(&self, what: &str) -> impl Fn(rusqlite::Error) -> PipelineError + '_ {
        let what = what.to_owned();
        move |e| PipelineError::Store {
            path: self.path.clone(),
            message: format!("{what}: {e}"),
        }
    }

    /// Starts a run; returns its number.
    pub fn begin_run(&self, started: &str) -> Result<i64> {
        let conn = self.lock();
        conn.execute("INSERT INTO runs(started) VALUES (?1)", [started])
            .map_err(self.err("starting run"))?;
        Ok(conn.last_insert_rowid())
    }

    /// Ends a run, keeping its summary (JSON) for later inspection.
    pub fn finish_run(&self, run: i64, finished: &str, summary_json: &str) -> Result<()> {
        self.lock()
            .execute(
                "UPDATE runs SET finished = ?2, summary = ?3 WHERE run = ?1",
                params![run, finished, summary_json],
            )
            .map_err(self.err("finishing run"))?;
        Ok(())
    }

    /// The number of runs started so far.
    pub fn run_count(&self) -> Result<i64> {
        self.lock()
            .query_row("SELECT COUNT(*) FROM runs", [], |r| r.get(0))
            .map_err(self.err("counting runs"))
    }

    /// Stores one object version (see [`PutOutcome`]).
    pub fn put(&self, record: &ObjectRecord, run: Option<i64>) -> Result<PutOutcome> {
        Ok(self.put_batch(std::slice::from_ref(record), run)?.remove(0))
    }

    /// Stores many object versions in one transaction; one outcome per
    /// record, in order.
    pub fn put_batch(&self, records: &[ObjectRecord], run: Option<i64>) -> Result<Vec<PutOutcome>> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(self.err("begin"))?;
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            out.push(put_one(&tx, r, run).map_err(self.err(&format!("storing {}", r.id)))?);
        }
        tx.commit().map_err(self.err("commit"))?;
        Ok(out)
    }

    /// The current (newest) version of `id`.
    pub fn current(&self, id: &str) -> Result<Option<StoredObject>> {
        self.lock()
            .query_row(
                &format!("SELECT {OBJECT_COLUMNS} FROM objects WHERE id = ?1 AND is_current = 1"),
                [id],
                row_object,
            )
            .optional()
            .map_err(self.err("reading object"))
    }

    /// Every stored version of `id`, oldest first.
    pub fn versions(&self, id: &str) -> Result<Vec<StoredObject>> {
        self.query(
            &format!("SELECT {OBJECT_COLUMNS} FROM objects WHERE id = ?1 ORDER BY version_key"),
            [id],
        )
    }

    /// The current version of every object, ordered by id.
    pub fn current_objects(&self) -> Result<Vec<StoredObject>> {
        self.query(
            &format!("SELECT {OBJECT_COLUMNS} FROM objects WHERE is_current = 1 ORDER BY id"),
            [],
        )
    }

    /// Current versions of objects of this type, ordered by id.
    pub fn by_type(&self, object_type: &str) -> Result<Vec<StoredObject>> {
        self.query(
            &format!(
                "SELECT {OBJECT_COLUMNS} FROM objects WHERE type = ?1 AND is_current = 1 ORDER BY id"
            ),
            [object_type],
        )
    }

    /// Current versions of objects marked exactly at `level` (`None`:
    /// unmarked), ordered by id.
    pub fn by_tlp(&self, level: Option<TlpLevel>) -> Result<Vec<StoredObject>> {
        match level {
            Some(l) => self.query(
                &format!(
                    "SELECT {OBJECT_COLUMNS} FROM objects WHERE tlp_rank = ?1 AND is_current = 1 ORDER BY id"
                ),
                [tlp_rank(l)],
            ),
            None => self.query(
                &format!(
                    "SELECT {OBJECT_COLUMNS} FROM objects WHERE tlp_rank IS NULL AND is_current = 1 ORDER BY id"
                ),
                [],
            ),
        }
    }

    /// Versions (any, not only current) modified after `since` (a STIX
    /// timestamp), oldest first.
    pub fn modified_after(&self, since: &str) -> Result<Vec<StoredObject>> {
        self.query(
            &format!(
                "SELECT {OBJECT_COLUMNS} FROM objects WHERE version_key > ?1 ORDER BY version_key, id"
            ),
            [version_key(since)],
        )
    }

    fn query<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<StoredObject>> {
        let conn = self.lock();
        let mut st = conn.prepare_cached(sql).map_err(self.err("query"))?;
        let rows = st.query_map(p, row_object).map_err(self.err("query"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err("query"))
    }

    /// The indicators (any version) whose pattern contains `value`.
    pub fn find_observable(&self, value: &str) -> Result<Vec<ObservableHit>> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT o.id, ob.version, ob.is_current, o.kind, o.value, o.algorithm
                 FROM observables o JOIN objects ob
                   ON ob.id = o.id AND ob.version_key = o.version_key
                 WHERE o.value = ?1 ORDER BY o.id, o.version_key",
            )
            .map_err(self.err("observable query"))?;
        let rows = st
            .query_map([value], |r| {
                Ok(ObservableHit {
                    indicator_id: r.get(0)?,
                    version: r.get(1)?,
                    current: r.get::<_, i64>(2)? != 0,
                    observable: ObservableValue {
                        kind: r.get(3)?,
                        value: r.get(4)?,
                        algorithm: r.get(5)?,
                    },
                })
            })
            .map_err(self.err("observable query"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err("observable query"))
    }

    /// The observable values of the current version of an indicator.
    pub fn observables_of(&self, id: &str) -> Result<Vec<ObservableValue>> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT o.kind, o.value, o.algorithm FROM observables o JOIN objects ob
                   ON ob.id = o.id AND ob.version_key = o.version_key
                 WHERE o.id = ?1 AND ob.is_current = 1 ORDER BY o.kind, o.value",
            )
            .map_err(self.err("observable query"))?;
        let rows = st
            .query_map([id], |r| {
                Ok(ObservableValue {
                    kind: r.get(0)?,
                    value: r.get(1)?,
                    algorithm: r.get(2)?,
                })
            })
            .map_err(self.err("observable query"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err("observable query"))
    }

    fn edges(&self, column: &str, id: &str) -> Result<Vec<StoredEdge>> {
        let conn = self.lock();
        let sql = format!(
            "SELECT e.id, e.relationship_type, e.source_ref, e.target_ref, ob.revoked, ob.tlp
             FROM edges e JOIN objects ob ON ob.id = e.id AND ob.version_key = e.version_key
             WHERE e.{column} = ?1 AND ob.is_current = 1
             ORDER BY e.relationship_type, e.source_ref, e.target_ref, e.id"
        );
        let mut st = conn.prepare_cached(&sql).map_err(self.err("edge query"))?;
        let rows = st
            .query_map([id], |r| {
                let tlp: Option<String> = r.get(5)?;
                Ok(StoredEdge {
                    edge: Edge {
                        id: r.get(0)?,
                        relationship_type: r.get(1)?,
                        source_ref: r.get(2)?,
                        target_ref: r.get(3)?,
                    },
                    revoked: r.get::<_, i64>(4)? != 0,
                    tlp: tlp.as_deref().and_then(tlp_from_label),
                })
            })
            .map_err(self.err("edge query"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err("edge query"))
    }

    /// Current relationships whose `source_ref` is `id` (id → others).
    pub fn relationships_from(&self, id: &str) -> Result<Vec<StoredEdge>> {
        self.edges("source_ref", id)
    }

    /// Current relationships whose `target_ref` is `id` (others → id).
    pub fn relationships_to(&self, id: &str) -> Result<Vec<StoredEdge>> {
        self.edges("target_ref", id)
    }

    /// Counts of what is stored.
    pub fn stats(&self) -> Result<StoreStats> {
        let conn = self.lock();
        let e = self.err("stats");
        let versions: i64 = conn
            .query_row("SELECT COUNT(*) FROM objects", [], |r| r.get(0))
            .map_err(&e)?;
        let mut by_type = BTreeMap::new();
        let mut st = conn
            .prepare("SELECT type, COUNT(*) FROM objects WHERE is_current = 1 GROUP BY type")
            .map_err(&e)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(&e)?;
        let mut objects = 0;
        for row in rows {
            let (t, n) = row.map_err(&e)?;
            objects += n as u64;
            by_type.insert(t, n as u64);
        }
        Ok(StoreStats {
            versions: versions as u64,
            objects,
            by_type,
        })
    }

    /// The TAXII poll checkpoint saved under `key` (JSON).
    pub fn checkpoint_json(&self, key: &str) -> Result<Option<String>> {
        self.lock()
            .query_row("SELECT state FROM checkpoints WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err("reading checkpoint"))
    }

    /// Saves a poll checkpoint (JSON) under `key`, atomically.
    pub fn save_checkpoint_json(&self, key: &str, state: &str) -> Result<()> {
        let now = stix_core::Timestamp::now_millis();
        self.lock()
            .execute(
                "INSERT INTO checkpoints(key, state, updated) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated = excluded.updated",
                params![key, state, now.as_str()],
            )
            .map_err(self.err("saving checkpoint"))?;
        Ok(())
    }

    /// A `taxii_client::CheckpointStore` that keeps poll checkpoints in
    /// this store.
    pub fn checkpoints(&self) -> StoreCheckpoints {
        StoreCheckpoints {
            store: self.clone(),
        }
    }

    /// The entries a destination received on the last run.
    pub fn entries(&self, destination: &str) -> Result<BTreeSet<Entry>> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT destination, file, value, object_id FROM entries WHERE destination = ?1",
            )
            .map_err(self.err("reading entries"))?;
        let rows = st
            .query_map([destination], |r| {
                Ok(Entry {
                    destination: r.get(0)?,
                    file: r.get(1)?,
                    value: r.get(2)?,
                    object_id: r.get(3)?,
                })
            })
            .map_err(self.err("reading entries"))?;
        rows.collect::<rusqlite::Result<BTreeSet<_>>>()
            .map_err(self.err("reading entries"))
    }

    /// The destinations that have entries from an earlier run.
    pub fn entry_destinations(&self) -> Result<Vec<String>> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached("SELECT DISTINCT destination FROM entries ORDER BY destination")
            .map_err(self.err("reading entries"))?;
        let rows = st
            .query_map([], |r| r.get(0))
            .map_err(self.err("reading entries"))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(self.err("reading entries"))
    }

    /// Replaces a destination's entries with `now` and returns what changed
    /// since the last run (sorted).
    pub fn replace_entries(&self, destination: &str, now: &BTreeSet<Entry>) -> Result<EntryDiff> {
        let before = self.entries(destination)?;
        let diff = EntryDiff {
            added: now.difference(&before).cloned().collect(),
            removed: before.difference(now).cloned().collect(),
        };
        let mut conn = self.lock();
        let e = self.err("writing entries");
        let tx = conn.transaction().map_err(&e)?;
        {
            let mut del = tx
                .prepare_cached(
                    "DELETE FROM entries WHERE destination = ?1 AND file = ?2 AND value = ?3 AND object_id = ?4",
                )
                .map_err(&e)?;
            for x in &diff.removed {
                del.execute(params![x.destination, x.file, x.value, x.object_id])
                    .map_err(&e)?;
            }
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO entries(destination, file, value, object_id) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&e)?;
            for x in &diff.added {
                if x.destination != destination {
                    continue;
                }
                ins.execute(params![x.destination, x.file, x.value, x.object_id])
                    .map_err(&e)?;
            }
        }
        tx.commit().map_err(&e)?;
        Ok(diff)
    }
}

fn put_one(
    tx: &rusqlite::Transaction<'_>,
    r: &ObjectRecord,
    run: Option<i64>,
) -> rusqlite::Result<PutOutcome> {
    let key = version_key(&r.version);
    let same: Option<String> = tx
        .prepare_cached("SELECT raw FROM objects WHERE id = ?1 AND version_key = ?2")?
        .query_row(params![r.id, key], |row| row.get(0))
        .optional()?;
    if let Some(stored) = same {
        if same_json(&stored, &r.raw) {
            return Ok(PutOutcome::Unchanged);
        }
        if !r.version.is_empty() {
            return Ok(PutOutcome::Conflict);
        }
        // An unversioned object (SCO): the newest content wins.
        tx.execute(
            "DELETE FROM observables WHERE id = ?1 AND version_key = ?2",
            params![r.id, key],
        )?;
        tx.execute(
            "DELETE FROM edges WHERE id = ?1 AND version_key = ?2",
            params![r.id, key],
        )?;
        tx.execute(
            "UPDATE objects SET type = ?3, spec_version = ?4, tlp = ?5, tlp_rank = ?6, revoked = ?7,
                 valid_until = ?8, valid_until_key = ?9, raw = ?10
             WHERE id = ?1 AND version_key = ?2",
            params![
                r.id,
                key,
                r.object_type,
                r.spec_version,
                tlp_text(r.tlp),
                r.tlp.map(tlp_rank),
                r.revoked as i64,
                r.valid_until,
                r.valid_until.as_deref().map(version_key),
                r.raw
            ],
        )?;
        insert_children(tx, r, &key)?;
        return Ok(PutOutcome::Updated);
    }
    let current: Option<(String, String)> = tx
        .prepare_cached(
            "SELECT version, version_key FROM objects WHERE id = ?1 AND is_current = 1",
        )?
        .query_row([&r.id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (outcome, is_current) = match current {
        None => (PutOutcome::New, true),
        Some((v, k)) if key > k => (PutOutcome::NewVersion { previous: v }, true),
        Some((v, _)) => (PutOutcome::OlderVersion { current: v }, false),
    };
    if is_current {
        tx.execute(
            "UPDATE objects SET is_current = 0 WHERE id = ?1 AND is_current = 1",
            [&r.id],
        )?;
    }
    tx.prepare_cached(
        "INSERT INTO objects(id, version, version_key, type, spec_version, tlp, tlp_rank, revoked,
             valid_until, valid_until_key, is_current, first_run, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        r.id,
        r.version,
        key,
        r.object_type,
        r.spec_version,
        tlp_text(r.tlp),
        r.tlp.map(tlp_rank),
        r.revoked as i64,
        r.valid_until,
        r.valid_until.as_deref().map(version_key),
        is_current as i64,
        run,
        r.raw
    ])?;
    insert_children(tx, r, &key)?;
    Ok(outcome)
}

fn insert_children(
    tx: &rusqlite::Transaction<'_>,
    r: &ObjectRecord,
    key: &str,
) -> rusqlite::Result<()> {
    if !r.observables.is_empty() {
        let mut st = tx.prepare_cached(
            "INSERT INTO observables(id, version_key, kind, value, algorithm) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for o in &r.observables {
            st.execute(params![r.id, key, o.kind, o.value, o.algorithm])?;
        }
    }
    if let Some(e) = &r.edge {
        tx.prepare_cached(
            "INSERT INTO edges(id, version_key, relationship_type, source_ref, target_ref)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            r.id,
            key,
            e.relationship_type,
            e.source_ref,
            e.target_ref
        ])?;
    }
    Ok(())
}

/// Same JSON value, whatever the whitespace and key order.
fn same_json(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Poll checkpoints kept in a [`Store`], for `taxii_client::Poller`.
#[derive(Debug, Clone)]
pub struct StoreCheckpoints {
    store: Store,
}

impl taxii_client::CheckpointStore for StoreCheckpoints {
    fn load(&self, key: &str) -> taxii_client::Result<Option<taxii_client::Checkpoint>> {
        let cp_err = |message: String| taxii_client::Error::Checkpoint {
            path: self.store.path.clone(),
            message,
        };
        match self
            .store
            .checkpoint_json(key)
            .map_err(|e| cp_err(e.to_string()))?
        {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| cp_err(format!("unreadable checkpoint for {key}: {e}"))),
        }
    }

    fn save(&mut self, key: &str, cp: &taxii_client::Checkpoint) -> taxii_client::Result<()> {
        let text = serde_json::to_string(cp).map_err(|e| taxii_client::Error::Checkpoint {
            path: self.store.path.clone(),
            message: e.to_string(),
        })?;
        self.store
            .save_checkpoint_json(key, &text)
            .map_err(|e| taxii_client::Error::Checkpoint {
                path: self.store.path.clone(),
                message: e.to_string(),
            })
    }
}
