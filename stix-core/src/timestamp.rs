//! STIX timestamps (SPEC §2.16): `YYYY-MM-DDTHH:MM:SS[.s+]Z`.
//!
//! A [`Timestamp`] keeps the exact text it was read from, so serialising a
//! parsed object gives back the same digits (`.000Z` stays `.000Z`, nine
//! fraction digits stay nine). Comparison is by instant, with every fraction
//! digit taken into account, so two versions that differ only in the tenth
//! fraction digit still order correctly.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// A STIX timestamp: the original text plus the instant it denotes.
///
/// Equality, ordering and hashing are by instant (`…07Z` equals `…07.000Z`);
/// use [`Timestamp::as_str`] when the exact text matters.
#[derive(Clone)]
pub struct Timestamp {
    repr: Repr,
}

/// Up to 30 bytes (nanosecond precision) are kept inline, which spares a
/// heap allocation for nearly every timestamp met in practice.
#[derive(Clone)]
enum Repr {
    Inline(u8, [u8; 30]),
    Heap(Box<str>),
}

const HELP: &str = "expected YYYY-MM-DDTHH:MM:SS[.fraction]Z in UTC with an upper-case Z";

impl Timestamp {
    /// Parse a STIX timestamp, checking the format and the calendar.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match parse_parts(text.as_bytes()) {
            Ok(_) => {
                let repr = if text.len() <= 30 {
                    let mut buf = [0u8; 30];
                    buf[..text.len()].copy_from_slice(text.as_bytes());
                    Repr::Inline(text.len() as u8, buf)
                } else {
                    Repr::Heap(text.into())
                };
                Ok(Timestamp { repr })
            }
            Err(reason) => Err(Error::Timestamp {
                value: text.to_owned(),
                reason: reason.to_owned(),
            }),
        }
    }

    /// (seconds since the epoch with `:60` counted as `:59`, leap second?)
    fn instant(&self) -> (i64, bool) {
        // The text was checked when the timestamp was made.
        parse_parts(self.as_str().as_bytes()).unwrap_or((0, false))
    }

    /// The exact text the timestamp was read from (or generated as).
    pub fn as_str(&self) -> &str {
        match &self.repr {
            // Only ASCII text that passed `parse_parts` is stored inline.
            Repr::Inline(n, buf) => std::str::from_utf8(&buf[..*n as usize]).unwrap_or(""),
            Repr::Heap(s) => s,
        }
    }

    /// The fraction-of-second digits as written (empty for whole seconds).
    pub fn fraction(&self) -> &str {
        let t = self.as_str();
        if t.len() > 20 {
            &t[20..t.len() - 1]
        } else {
            ""
        }
    }

    /// Number of digits after the decimal point (0 for whole seconds).
    pub fn fraction_digits(&self) -> usize {
        self.fraction().len()
    }

    /// Whole seconds since the Unix epoch (a leap second counts as `:59`).
    pub fn unix_seconds(&self) -> i64 {
        self.instant().0
    }

    /// Nanoseconds within the second, truncated to 9 digits
    /// (a leap second adds 1,000,000,000, as chrono does).
    pub fn subsec_nanos(&self) -> u32 {
        let mut n: u32 = 0;
        let digits = self.fraction().as_bytes();
        for i in 0..9 {
            n = n * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'));
        }
        if self.instant().1 {
            n + 1_000_000_000
        } else {
            n
        }
    }

    /// The instant as a chrono `DateTime<Utc>` (digits past the ninth are
    /// dropped; use the timestamp itself for exact comparisons).
    pub fn to_datetime(&self) -> DateTime<Utc> {
        // The calendar was checked on parse, so this cannot be out of range
        // for chrono (years 0000–9999).
        DateTime::from_timestamp(self.unix_seconds(), self.subsec_nanos()).unwrap_or_default()
    }

    /// A timestamp for the given instant with exactly `digits` fraction
    /// digits (0–9; STIX requires at least 3 for `created`/`modified`).
    /// Fails for instants outside the years 0000–9999, which STIX cannot
    /// write.
    pub fn from_datetime(dt: DateTime<Utc>, digits: usize) -> Result<Self, Error> {
        let digits = digits.min(9);
        let base = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
        let text = if digits == 0 {
            format!("{base}Z")
        } else {
            let nanos = dt.timestamp_subsec_nanos() % 1_000_000_000;
            let frac = format!("{nanos:09}");
            format!("{base}.{}Z", &frac[..digits])
        };
        Timestamp::parse(&text)
    }

    /// The current time with millisecond precision (exactly 3 fraction
    /// digits), as STIX asks for new `created`/`modified` values.
    pub fn now_millis() -> Self {
        Self::from_datetime(Utc::now(), 3).unwrap_or_else(|_| Self::unix_epoch())
    }

    /// `1970-01-01T00:00:00.000Z`.
    fn unix_epoch() -> Self {
        let text = b"1970-01-01T00:00:00.000Z";
        let mut buf = [0u8; 30];
        buf[..text.len()].copy_from_slice(text);
        Timestamp {
            repr: Repr::Inline(text.len() as u8, buf),
        }
    }

    fn frac_cmp(&self, other: &Self) -> Ordering {
        let a = self.fraction().as_bytes();
        let b = other.fraction().as_bytes();
        for i in 0..a.len().max(b.len()) {
            let x = a.get(i).copied().unwrap_or(b'0');
            let y = b.get(i).copied().unwrap_or(b'0');
            match x.cmp(&y) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        Ordering::Equal
    }
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap_year(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn parse_parts(b: &[u8]) -> Result<(i64, bool), &'static str> {
    if b.len() < 20 {
        return Err(HELP);
    }
    let num = |range: std::ops::Range<usize>| -> Result<i64, &'static str> {
        let mut v = 0i64;
        for &c in &b[range] {
            if !c.is_ascii_digit() {
                return Err(HELP);
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Ok(v)
    };
    let year = num(0..4)?;
    if b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return Err(HELP);
    }
    if b[10] != b'T' {
        return Err("the date and time must be separated by an upper-case T");
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let second = num(17..19)?;
    let rest = &b[19..];
    match rest {
        [b'Z'] => {}
        [b'.', frac @ .., b'Z'] => {
            if frac.is_empty() {
                return Err("a decimal point must be followed by at least one digit");
            }
            if !frac.iter().all(u8::is_ascii_digit) {
                return Err(HELP);
            }
        }
        _ => {
            return Err("the timestamp must be in UTC and end with an upper-case Z (no offsets)");
        }
    }
    if !(1..=12).contains(&month) {
        return Err("month out of range 01-12");
    }
    let dim = match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > dim {
        return Err("day out of range for the month");
    }
    if hour > 23 {
        return Err("hour out of range 00-23");
    }
    if minute > 59 {
        return Err("minute out of range 00-59");
    }
    if second > 60 {
        return Err("second out of range 00-60");
    }
    let leap = second == 60;
    let sec = if leap { 59 } else { second };
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + sec;
    Ok((secs, leap))
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Timestamp::parse(s)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.as_str())
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant()
            .cmp(&other.instant())
            .then_with(|| self.frac_cmp(other))
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.instant().hash(state);
        self.fraction().trim_end_matches('0').hash(state);
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a STIX timestamp string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn keeps_text_and_digits() {
        for s in [
            "2021-03-04T05:06:07Z",
            "2021-03-04T05:06:07.000Z",
            "2021-03-04T05:06:07.120Z",
            "2023-11-12T14:16:48.169979860Z",
            "2023-11-12T14:16:48.1699798601234Z",
        ] {
            assert_eq!(ts(s).as_str(), s);
            assert_eq!(serde_json::to_string(&ts(s)).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(ts("2021-03-04T05:06:07Z").fraction_digits(), 0);
        assert_eq!(ts("2021-03-04T05:06:07.120Z").fraction_digits(), 3);
        assert_eq!(ts("2023-11-12T14:16:48.169979860Z").fraction_digits(), 9);
    }

    #[test]
    fn rejects_bad_forms() {
        for s in [
            "2021-03-04T05:06:07.Z",
            "2021-03-04 05:06:07",
            "2021-03-04T05:06:07",
            "2021-03-04T05:06:07.000+00:00",
            "2021-03-04T05:06:07z",
            "2021-03-04 05:06:07Z",
            "2021-13-04T05:06:07Z",
            "2021-02-29T05:06:07Z",
            "2021-04-31T05:06:07Z",
            "2021-03-04T24:06:07Z",
            "2021-03-04T05:60:07Z",
            "2021-03-04T05:06:61Z",
            "2022-101-27T13:49:54.326Z",
            "2021-3-04T05:06:07Z",
            "",
            "2021-03-04T05:06:07.1a2Z",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s} accepted");
        }
        assert!(Timestamp::parse("2020-02-29T00:00:00Z").is_ok());
        assert!(Timestamp::parse("2000-02-29T00:00:00Z").is_ok());
        assert!(Timestamp::parse("1900-02-29T00:00:00Z").is_err());
        assert!(Timestamp::parse("2016-12-31T23:59:60Z").is_ok());
    }

    #[test]
    fn orders_with_full_precision() {
        assert!(ts("2023-11-12T14:16:48.169979860Z") < ts("2023-11-12T14:16:48.169979861Z"));
        assert!(ts("2023-11-12T14:16:48.1699798601Z") < ts("2023-11-12T14:16:48.1699798602Z"));
        assert_eq!(ts("2021-03-04T05:06:07Z"), ts("2021-03-04T05:06:07.000Z"));
        assert!(ts("2021-03-04T05:06:07.12Z") > ts("2021-03-04T05:06:07.119999Z"));
        assert!(ts("2016-12-31T23:59:60.5Z") > ts("2016-12-31T23:59:59.999Z"));
        assert!(ts("2016-12-31T23:59:60.5Z") < ts("2017-01-01T00:00:00Z"));
        assert!(ts("1969-12-31T23:59:59Z") < ts("1970-01-01T00:00:00Z"));
    }

    #[test]
    fn chrono_conversion() {
        let t = ts("2023-11-12T14:16:48.169979860Z");
        let dt = t.to_datetime();
        assert_eq!(dt.timestamp(), 1_699_798_608);
        assert_eq!(dt.timestamp_subsec_nanos(), 169_979_860);
        let back = Timestamp::from_datetime(dt, 3).unwrap();
        assert_eq!(back.as_str(), "2023-11-12T14:16:48.169Z");
        assert_eq!(
            Timestamp::from_datetime(dt, 0).unwrap().as_str(),
            "2023-11-12T14:16:48Z"
        );
        let far = DateTime::from_timestamp(400_000_000_000, 0).unwrap();
        assert!(Timestamp::from_datetime(far, 3).is_err());
        let leap = ts("2016-12-31T23:59:60.5Z").to_datetime();
        assert_eq!(leap.timestamp_subsec_nanos(), 1_500_000_000);
        let now = Timestamp::now_millis();
        assert_eq!(now.fraction_digits(), 3);
        assert_eq!(now.as_str().len(), 24);
    }
}
