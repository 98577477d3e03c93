//! TAXII timestamps: always UTC, written with a `Z` and six fractional digits.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A TAXII timestamp (`date_added`, `added_after`, checkpoint values).
///
/// Input is any RFC 3339 timestamp (0-9 fractional digits, any offset); it is
/// normalised to UTC and written as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the form
/// every TAXII server accepts (medallion answers 500 to an offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Parses an RFC 3339 timestamp; a bare date is refused.
    pub fn parse(s: &str) -> Result<Timestamp> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|d| Timestamp(d.with_timezone(&Utc)))
            .map_err(|e| Error::InvalidArgument {
                message: format!("{s:?} is not an RFC 3339 timestamp: {e}"),
            })
    }

    /// The current time (only ever used for deadlines, never for checkpoints).
    pub fn now() -> Timestamp {
        Timestamp(Utc::now())
    }

    /// Wraps a chrono UTC date-time.
    pub fn from_datetime(d: DateTime<Utc>) -> Timestamp {
        Timestamp(d)
    }

    /// The chrono value.
    pub fn datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// This timestamp moved back by `d` (saturating at the minimum).
    pub fn minus(&self, d: std::time::Duration) -> Timestamp {
        let d = Duration::from_std(d).unwrap_or(Duration::MAX);
        Timestamp(
            self.0
                .checked_sub_signed(d)
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        )
    }

    /// One microsecond earlier: `added_after` with it is inclusive of `self`.
    pub fn just_before(&self) -> Timestamp {
        self.minus(std::time::Duration::from_micros(1))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Micros, true))
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_utc_micros() {
        let t = Timestamp::parse("2024-01-01T01:30:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2024-01-01T00:30:00.000000Z");
        let t = Timestamp::parse("2024-01-17T16:11:20.183201123Z").unwrap();
        assert_eq!(t.to_string(), "2024-01-17T16:11:20.183201Z");
        assert_eq!(
            Timestamp::parse("2024-01-01T00:00:00Z")
                .unwrap()
                .just_before()
                .to_string(),
            "2023-12-31T23:59:59.999999Z"
        );
        assert!(Timestamp::parse("2024-01-01").is_err());
    }

    #[test]
    fn overlap_subtracts() {
        let t = Timestamp::parse("2024-01-01T00:03:00Z").unwrap();
        assert_eq!(
            t.minus(std::time::Duration::from_secs(300)).to_string(),
            "2023-12-31T23:58:00.000000Z"
        );
    }
}
