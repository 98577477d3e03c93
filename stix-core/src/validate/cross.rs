//! Checks across the objects of one bundle, in bounded memory: only hashes
//! of ids and of content are kept, plus the references that are still
//! unresolved at the point they were read.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use serde::{Deserialize, Serialize};

use crate::tlp;

/// A reference to an object that is not in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedRef {
    /// The id of the referring object.
    pub from_id: Option<String>,
    /// JSON Pointer of the reference.
    pub path: String,
    /// The identifier that was not found.
    pub target: String,
}

/// Two objects with the same `id` and `modified` but different content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateVersion {
    /// The shared id.
    pub id: String,
    /// The shared `modified` (empty for objects that are not versioned).
    pub modified: String,
    /// JSON Pointer of the later copy.
    pub path: String,
}

struct Pending {
    seq: u64,
    reference: UnresolvedRef,
}

/// The value of an id present in the bundle whose version is not recorded
/// yet.
const NO_VERSION: u64 = u64::MAX;

/// Cross-object state for one bundle. A million-object bundle keeps one
/// table entry of 16 bytes per id (plus one per extra version of an id),
/// which is what bounds the memory of streaming validation.
#[derive(Default)]
pub(crate) struct CrossObjects {
    /// Hash of each id present → its first version, packed: the high 32
    /// bits hash `modified`, the low 32 bits hash the content.
    ids: FxHashMap<u64, u64>,
    /// Versions after the first of one id: hash of (id, `modified`) →
    /// content hash.
    more_versions: FxHashMap<u64, u64>,
    pending: FxHashMap<u64, Vec<Pending>>,
    seq: u64,
    pub(crate) duplicates: Vec<DuplicateVersion>,
}

fn id_hash(id: &str) -> u64 {
    // UUIDs are case-insensitive; type names are lower case anyway.
    // The keys are hashes already: a fast non-cryptographic hash is
    // enough (ids come from the input, but a collision only merges two
    // ids' bookkeeping, it cannot make the validator loop or allocate).
    let mut h = FxHasher::default();
    let mut buf = [0u8; 64];
    for chunk in id.as_bytes().chunks(64) {
        let lower = &mut buf[..chunk.len()];
        lower.copy_from_slice(chunk);
        lower.make_ascii_lowercase();
        h.write(lower);
    }
    h.finish()
}

impl CrossObjects {
    /// Record that an object with this id is present; resolves earlier
    /// forward references to it.
    pub(crate) fn object_seen(&mut self, id: &str) {
        let h = id_hash(id);
        self.ids.entry(h).or_insert(NO_VERSION);
        self.pending.remove(&h);
    }

    /// Record a reference found at `path` in object `from`.
    pub(crate) fn reference(&mut self, target: &str, from: Option<&str>, path: &str) {
        if tlp::tlp_by_id(target).is_some() {
            // The predefined TLP markings are known to every consumer.
            return;
        }
        let h = id_hash(target);
        if self.ids.contains_key(&h) {
            return;
        }
        self.seq += 1;
        self.pending.entry(h).or_default().push(Pending {
            seq: self.seq,
            reference: UnresolvedRef {
                from_id: from.map(str::to_owned),
                path: path.to_owned(),
                target: target.to_owned(),
            },
        });
    }

    /// Record one version (`id`, `modified`) with its content hash; returns
    /// true when an earlier copy had the same version and other content.
    pub(crate) fn version(&mut self, id: &str, modified: &str, content: u64, path: &str) -> bool {
        use std::collections::hash_map::Entry;
        let h = id_hash(id);
        let mut m = FxHasher::default();
        modified.hash(&mut m);
        let modified_hash = m.finish();
        let packed = (modified_hash << 32) | (content & 0xffff_ffff);
        let conflict = match self.ids.entry(h) {
            Entry::Vacant(e) => {
                e.insert(packed);
                false
            }
            Entry::Occupied(mut e) => {
                let first = *e.get();
                if first == NO_VERSION {
                    e.insert(packed);
                    false
                } else if first >> 32 == packed >> 32 {
                    // The same version again; keep the latest content so
                    // that a third copy is judged against the second.
                    e.insert(packed);
                    first != packed
                } else {
                    let mut k = FxHasher::default();
                    h.hash(&mut k);
                    modified_hash.hash(&mut k);
                    match self.more_versions.insert(k.finish(), content) {
                        Some(previous) => previous != content,
                        None => false,
                    }
                }
            }
        };
        if conflict {
            self.duplicates.push(DuplicateVersion {
                id: id.to_owned(),
                modified: modified.to_owned(),
                path: path.to_owned(),
            });
        }
        conflict
    }

    /// The references still unresolved at the end, in the order read.
    pub(crate) fn unresolved(&mut self) -> Vec<UnresolvedRef> {
        let mut all: Vec<Pending> = self.pending.drain().flat_map(|(_, v)| v).collect();
        all.sort_by_key(|p| p.seq);
        all.into_iter().map(|p| p.reference).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_references_resolve_and_dangling_ones_remain() {
        let mut x = CrossObjects::default();
        x.object_seen("relationship--1");
        x.reference(
            "malware--AAA",
            Some("relationship--1"),
            "/objects/0/target_ref",
        );
        x.reference(
            "indicator--b",
            Some("relationship--1"),
            "/objects/0/source_ref",
        );
        x.reference(
            tlp::TLP1[3].id,
            Some("relationship--1"),
            "/objects/0/object_marking_refs/0",
        );
        x.object_seen("malware--aaa");
        let left = x.unresolved();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].target, "indicator--b");
        assert_eq!(left[0].path, "/objects/0/source_ref");
    }

    #[test]
    fn an_id_seen_before_its_version_is_recorded_is_not_a_duplicate() {
        let mut x = CrossObjects::default();
        x.object_seen("malware--a");
        assert!(!x.version("malware--a", "2021", 1, "/objects/0"));
        assert!(x.version("malware--a", "2021", 2, "/objects/1"));
        x.reference("malware--a", None, "/objects/2/target_ref");
        assert!(x.unresolved().is_empty());
    }

    #[test]
    fn same_version_with_other_content_is_a_duplicate() {
        let mut x = CrossObjects::default();
        assert!(!x.version("malware--a", "2021", 1, "/objects/0"));
        assert!(!x.version("malware--a", "2021", 1, "/objects/1"));
        assert!(x.version("malware--a", "2021", 2, "/objects/2"));
        assert!(!x.version("malware--a", "2022", 3, "/objects/3"));
        assert!(!x.version("MALWARE--A", "2022", 3, "/objects/4"));
        assert!(x.version("malware--a", "2022", 4, "/objects/5"));
        // Judged against the latest copy of the version: 2, then 1.
        assert!(x.version("malware--a", "2021", 1, "/objects/6"));
        assert!(!x.version("malware--b", "2021", 1, "/objects/7"));
        let paths: Vec<_> = x.duplicates.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["/objects/2", "/objects/5", "/objects/6"]);
    }
}
