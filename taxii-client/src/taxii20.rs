//! Reading objects from a TAXII 2.0 server, for migrations.
//!
//! The client targets TAXII 2.1; TAXII 2.0 differs in media types, returns
//! STIX bundles, and pages with HTTP `Range: items=a-b` requests answered by
//! `206 Partial Content` and `Content-Range: items a-b/N` (§1.7.1 of 2.1
//! lists the changes). Only this read path is offered for 2.0.

use url::Url;

use crate::config::parse_url;
use crate::envelope::{parse_page, Object};
use crate::error::{Error, Result};
use crate::transport::{Request, Taxii20Request};
use crate::Client;

/// A parsed `Content-Range: items a-b/N` (any part may be `*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRange {
    /// First and last index of the items in this response, if given.
    pub span: Option<(u64, u64)>,
    /// Total number of items, if known.
    pub total: Option<u64>,
}

impl ItemRange {
    /// Parses `items a-b/N`, `items a-b/*`, `items */N` (also with `=`).
    pub fn parse(v: &str) -> Option<ItemRange> {
        let rest = v.trim().strip_prefix("items")?;
        let rest = rest.trim_start_matches([' ', '=']);
        let (span, total) = rest.split_once('/')?;
        let total = match total.trim() {
            "*" => None,
            t => Some(t.parse().ok()?),
        };
        let span = match span.trim() {
            "*" => None,
            s => {
                let (a, b) = s.split_once('-')?;
                Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
            }
        };
        Some(ItemRange { span, total })
    }
}

impl Client {
    /// All objects of a TAXII 2.0 collection (`collection_url` ends in the
    /// collection id), `page_size` items per request.
    pub fn taxii20_objects(&self, collection_url: &str, page_size: u64) -> Result<Vec<Object>> {
        if page_size == 0 {
            return Err(Error::InvalidArgument {
                message: "page_size must be positive".into(),
            });
        }
        let base = crate::config::with_slash(parse_url(collection_url)?);
        let url: Url = base.join("objects/").map_err(|e| Error::InvalidUrl {
            url: collection_url.to_string(),
            reason: e.to_string(),
        })?;
        let mut out = Vec::new();
        let mut first = 0u64;
        let mut space_form = false;
        loop {
            let last = first + page_size - 1;
            let range = if space_form {
                format!("items {first}-{last}")
            } else {
                format!("items={first}-{last}")
            };
            let mut req = Request::get(url.clone());
            req.taxii20 = Some(Taxii20Request { range });
            let resp = match self.transport_ref().execute(&req) {
                Ok(r) => r,
                // Some 2.0 servers only know the form printed in the 2.0 text.
                Err(e) if e.http_status() == Some(416) && !space_form && first == 0 => {
                    space_form = true;
                    continue;
                }
                Err(e) if e.http_status() == Some(416) => break,
                Err(e) => return Err(e),
            };
            let page = parse_page::<Object>(&resp.body, &resp.url, None, None, false)?;
            let n = page.items.len() as u64;
            out.extend(page.items);
            if resp.status != 206 || n == 0 {
                break; // 200: the server sent everything at once
            }
            let cr = resp.header("content-range").and_then(ItemRange::parse);
            let end = cr.and_then(|c| c.span).map_or(first + n - 1, |s| s.1);
            match cr.and_then(|c| c.total) {
                Some(total) if end + 1 >= total => break,
                None if n < page_size => break,
                _ => first = end + 1,
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_forms() {
        assert_eq!(
            ItemRange::parse("items 0-1/5"),
            Some(ItemRange {
                span: Some((0, 1)),
                total: Some(5)
            })
        );
        assert_eq!(
            ItemRange::parse("items 2-3/*"),
            Some(ItemRange {
                span: Some((2, 3)),
                total: None
            })
        );
        assert_eq!(
            ItemRange::parse("items */5"),
            Some(ItemRange {
                span: None,
                total: Some(5)
            })
        );
        assert_eq!(ItemRange::parse("bytes 0-1/5"), None);
    }
}
