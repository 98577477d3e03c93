//! Pagination that cannot lose data (§3.5, checklist C5).
//!
//! [`Pages`] yields one page per request:
//! - it follows `next` while `more` is true, repeating the original filters
//!   and `limit` on every request (some servers refuse a `next` request that
//!   changes them, others need `limit` on it);
//! - when the server says `more: true` without `next`, it asks again with
//!   `added_after` one microsecond before the page's `X-TAXII-Date-Added-Last`,
//!   so objects sharing that timestamp are not skipped (`added_after` is
//!   strict), and drops what the previous page already delivered;
//! - it stops with [`Error::PaginationStalled`] when a page brings nothing new
//!   (a server ignoring `next`, or an `added_after` fallback that does not
//!   advance), and with [`Error::TooManyPages`] at the configured cap;
//! - `more: true` with an empty page and no `next` ends the iteration
//!   normally (§3.5: the rest may have been deleted meanwhile); an empty page
//!   with a `next` is followed, but three in a row are a stall;
//! - in the `added_after` fallback, a run of equal `date_added` longer than a
//!   page is crossed by doubling `limit` (up to 16 times), as long as the
//!   server honours the larger size; otherwise it is a stall.
//!
//! A request carrying `next` is never replayed once it may have reached the
//! server: with consuming cursors (medallion) a replay skips a page. When
//! such a request fails, the error is returned and the iteration ends; the
//! caller restarts from [`Pages::checkpoint`] (the `X-TAXII-Date-Added-Last`
//! of the last page it received) with an overlap: [`Pages::restart`] does
//! that for one iteration, and [`crate::Poller`] does it across runs. Nothing is lost that way, and the overlap's
//! duplicates are recognised by (id, version).

use std::collections::HashSet;
use std::sync::Arc;

use url::Url;

use crate::envelope::{parse_page, Item, Page};
use crate::error::{Error, Result, StallReason};
use crate::filter::Filter;
use crate::timestamp::Timestamp;
use crate::transport::{redact, Request, Transport};

const MAX_BOOST: u32 = 16;
const MAX_EMPTY_PAGES: u32 = 3;

/// Iterator over the pages of one query. Each item is one HTTP request.
pub struct Pages<T: Item> {
    transport: Arc<Transport>,
    url: Url,
    filter: Filter,
    next: Option<String>,
    fallback_after: Option<Timestamp>,
    /// Multiplier of `limit` while the `added_after` fallback is stuck in a
    /// run of objects sharing one `date_added`.
    boost: u32,
    /// Consecutive empty pages that claimed `more` with a `next`.
    empty_streak: u32,
    done: bool,
    pending_error: Option<Error>,
    pages: u64,
    received: u64,
    prev_keys: HashSet<(String, String)>,
    checkpoint: Option<Timestamp>,
    _item: std::marker::PhantomData<fn() -> T>,
}

impl<T: Item> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("url", &redact(&self.url))
            .field("filter", &self.filter)
            .field("pages", &self.pages)
            .field("received", &self.received)
            .field("checkpoint", &self.checkpoint)
            .finish()
    }
}

impl<T: Item> Pages<T> {
    pub(crate) fn new(transport: Arc<Transport>, url: Url, filter: Filter) -> Pages<T> {
        let pending_error = filter.validate().err();
        Pages {
            transport,
            url,
            filter,
            next: None,
            fallback_after: None,
            boost: 1,
            empty_streak: 0,
            done: false,
            pending_error,
            pages: 0,
            received: 0,
            prev_keys: HashSet::new(),
            checkpoint: None,
            _item: std::marker::PhantomData,
        }
    }

    /// The largest `X-TAXII-Date-Added-Last` among the pages handed out so
    /// far: a safe `added_after` to resume from (with an overlap).
    pub fn checkpoint(&self) -> Option<Timestamp> {
        self.checkpoint
    }

    /// A new iteration that continues where this one stopped, for use after
    /// an error such as [`Error::CursorExpired`] or a dropped connection on a
    /// `next` request: it asks again from one microsecond before
    /// [`checkpoint`](Self::checkpoint) with the original filters (from the
    /// start when no page had a date), and drops what the last delivered
    /// page already held. Objects sharing the checkpoint's `date_added` that
    /// were delivered on an earlier page may come again: a restart can
    /// repeat, never skip.
    pub fn restart(&self) -> Pages<T> {
        let mut filter = self.filter.clone();
        if let Some(cp) = self.checkpoint {
            filter.added_after = Some(cp.just_before());
        }
        let mut p = Pages::new(self.transport.clone(), self.url.clone(), filter);
        p.prev_keys = self.prev_keys.clone();
        p.checkpoint = self.checkpoint;
        p
    }

    /// Pages received so far.
    pub fn pages_received(&self) -> u64 {
        self.pages
    }

    /// Items handed out so far (after duplicate removal).
    pub fn items_received(&self) -> u64 {
        self.received
    }

    /// All remaining items, flattened; stops at the first error.
    pub fn collect_items(self) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for page in self {
            out.extend(page?.items);
        }
        Ok(out)
    }

    fn fetch(&mut self) -> Result<Page<T>> {
        let cfg = &self.transport.config;
        let mut url = self.url.clone();
        {
            let mut q = url.query_pairs_mut();
            let mut filter = self.filter.clone();
            if self.boost > 1 {
                filter.limit = self.limit().map(|l| l.saturating_mul(self.boost));
            }
            for (k, v) in filter.pairs(self.fallback_after, cfg.default_limit) {
                q.append_pair(k, &v);
            }
            if let Some(n) = &self.next {
                q.append_pair("next", n);
            }
        }
        let mut req = Request::get(url);
        req.cursor = self.next.clone();
        let resp = self.transport.execute(&req)?;
        parse_page(
            &resp.body,
            &resp.url,
            resp.header("x-taxii-date-added-first"),
            resp.header("x-taxii-date-added-last"),
            cfg.strict_envelopes,
        )
    }

    fn limit(&self) -> Option<u32> {
        self.filter.limit.or(self.transport.config.default_limit)
    }

    /// In the `added_after` fallback, a page that brings nothing new means a
    /// run of equal `date_added` at least a page long: ask again with a
    /// larger page, as long as the server honoured the previous size.
    fn try_boost(&mut self, served: usize) -> bool {
        if self.next.is_some() || self.fallback_after.is_none() || self.boost >= MAX_BOOST {
            return false;
        }
        let asked = self.limit().map(|l| l.saturating_mul(self.boost) as usize);
        if asked.is_some_and(|a| served < a) {
            return false; // the server caps the page size: a bigger limit will not help
        }
        self.boost *= 2;
        true
    }

    fn stalled(&self, reason: StallReason) -> Error {
        Error::PaginationStalled {
            url: redact(&self.url),
            reason,
            next: self.next.clone(),
            pages: self.pages,
            objects_received: self.received,
        }
    }
}

impl<T: Item> Iterator for Pages<T> {
    type Item = Result<Page<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        if let Some(cap) = self.transport.config.max_pages {
            if self.pages >= cap {
                self.done = true;
                return Some(Err(Error::TooManyPages {
                    url: redact(&self.url),
                    limit: cap,
                }));
            }
        }
        let (mut page, keys, fresh) = loop {
            let page = match self.fetch() {
                Ok(p) => p,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.pages += 1;
            let keys: Vec<(String, String)> = page.items.iter().map(Item::key).collect();
            let fresh = keys.iter().filter(|k| !self.prev_keys.contains(*k)).count();
            if keys.is_empty() || fresh > 0 || !page.more {
                break (page, keys, fresh);
            }
            // Nothing new and the server claims more: asking the same again
            // would bring the same again.
            if page.next.is_none() && self.try_boost(keys.len()) {
                continue;
            }
            self.done = true;
            let reason = if self.next.is_some() || page.next.is_some() {
                StallReason::RepeatedPage
            } else {
                StallReason::NoProgress
            };
            return Some(Err(self.stalled(reason)));
        };
        if fresh < keys.len() {
            let prev = std::mem::take(&mut self.prev_keys);
            let before = page.items.len();
            let mut seen_here = HashSet::new();
            page.items.retain(|i| {
                let k = i.key();
                !prev.contains(&k) && seen_here.insert(k)
            });
            page.duplicates_dropped = before - page.items.len();
        }
        let keys_len = keys.len();
        self.prev_keys = keys.into_iter().collect();
        if let Some(last) = page.date_added_last {
            self.checkpoint = Some(self.checkpoint.map_or(last, |c| c.max(last)));
        }
        self.received += page.items.len() as u64;

        if !page.more {
            self.done = true;
        } else if let Some(n) = &page.next {
            self.next = Some(n.clone());
            if page.items.is_empty() && page.duplicates_dropped == 0 {
                // Servers that filter after slicing may send an empty page
                // mid-way; a run of them is a server going nowhere.
                self.empty_streak += 1;
                if self.empty_streak >= MAX_EMPTY_PAGES {
                    self.pending_error = Some(self.stalled(StallReason::EmptyPages));
                }
            } else {
                self.empty_streak = 0;
            }
        } else if page.items.is_empty() && page.duplicates_dropped == 0 {
            // §3.5: `more` with an empty page is legal; nothing left to ask for.
            self.done = true;
        } else {
            // `more` without `next`: continue by date, inclusively (C5.2).
            self.next = None;
            match page.date_added_last {
                None => self.pending_error = Some(self.stalled(StallReason::NoCursor)),
                Some(last) => {
                    let after = last.just_before();
                    let current = self.fallback_after.or(self.filter.added_after);
                    if current.is_some_and(|c| after <= c) {
                        // Still inside one run of equal date_added.
                        if !self.try_boost(keys_len) {
                            self.pending_error = Some(self.stalled(StallReason::NoProgress));
                        }
                    } else {
                        self.fallback_after = Some(after);
                    }
                }
            }
        }
        Some(Ok(page))
    }
}
