//! Content checks for the literal forms whose shape the grammar fixes but whose meaning it
//! does not: timestamps (real calendar dates), base64 and hex.

use base64::Engine as _;

/// Checks RFC 3339 `YYYY-MM-DDTHH:MM:SS(.frac)?Z` with a real calendar: the day must exist
/// in its month (leap years included) and second 60 is accepted only at 23:59, the one minute
/// of a UTC day where a leap second can be inserted.
pub(crate) fn check_timestamp(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let shape_ok = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&k| b[k].is_ascii_digit())
        && b[b.len() - 1] == b'Z';
    if !shape_ok {
        return Err("a timestamp must look like YYYY-MM-DDTHH:MM:SS[.fraction]Z".into());
    }
    let frac = &b[19..b.len() - 1];
    if !frac.is_empty()
        && (frac[0] != b'.' || frac.len() < 2 || !frac[1..].iter().all(u8::is_ascii_digit))
    {
        return Err("the fraction of a second needs at least one digit after '.'".into());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(u32::MAX);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} does not exist"));
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(format!("{:04}-{month:02} has no day {day:02}", year));
    }
    if hour > 23 {
        return Err(format!("hour {hour:02} does not exist"));
    }
    if minute > 59 {
        return Err(format!("minute {minute:02} does not exist"));
    }
    if second > 60 || (second == 60 && !(hour == 23 && minute == 59)) {
        return Err(format!(
            "second {second:02} does not exist here (a leap second is only 23:59:60 UTC)"
        ));
    }
    Ok(())
}

/// Checks padded standard base64 with at least one 4-character group and canonical
/// trailing bits (what the `base64` crate's strict standard engine enforces).
pub(crate) fn check_base64(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("a binary literal needs at least one base64 group".into());
    }
    if s.len() % 4 != 0 {
        return Err("base64 length must be a multiple of 4 (with '=' padding)".into());
    }
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map(|_| ())
        .map_err(|e| format!("not valid base64: {e}"))
}

/// Checks an even number of hex digits.
pub(crate) fn check_hex(s: &str) -> Result<(), String> {
    if let Some(c) = s.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("{c:?} is not a hex digit"));
    }
    if s.len() % 2 != 0 {
        return Err("a hex literal needs an even number of digits (whole bytes)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert!(check_timestamp("2020-02-29T00:00:00Z").is_ok());
        assert!(check_timestamp("2019-02-29T00:00:00Z").is_err());
        assert!(check_timestamp("1900-02-29T00:00:00Z").is_err());
        assert!(check_timestamp("2000-02-29T00:00:00Z").is_ok());
        assert!(check_timestamp("2021-04-31T00:00:00Z").is_err());
        assert!(check_timestamp("2016-12-31T23:59:60Z").is_ok());
        assert!(check_timestamp("2016-12-31T23:58:60Z").is_err());
        assert!(check_timestamp("2016-12-31T24:00:00Z").is_err());
        assert!(check_timestamp("2016-13-01T00:00:00Z").is_err());
        assert!(check_timestamp("2016-00-01T00:00:00Z").is_err());
        assert!(check_timestamp("2016-01-00T00:00:00Z").is_err());
        assert!(check_timestamp("2016-01-01T00:00:00.123456789Z").is_ok());
        assert!(check_timestamp("2016-01-01T00:00:00.Z").is_err());
        assert!(check_timestamp("2016-01-01t00:00:00Z").is_err());
        assert!(check_timestamp("2016-01-01T00:00:00z").is_err());
        assert!(check_timestamp("2016-01-01T00:00:00+00:00").is_err());
        assert!(check_timestamp("2016-01-01 00:00:00Z").is_err());
        assert!(check_timestamp("2016-01-01").is_err());
    }

    #[test]
    fn base64_and_hex() {
        assert!(check_base64("SGVsbG8=").is_ok());
        assert!(check_base64("SGVsbA==").is_ok());
        assert!(check_base64("====").is_err());
        assert!(check_base64("SGVsbG8").is_err());
        assert!(check_base64("").is_err());
        assert!(check_base64("SG=sbG8=").is_err());
        assert!(check_base64("SGVs-G8=").is_err());
        assert!(check_base64("SGV sbG8").is_err());
        assert!(check_hex("0a1F").is_ok());
        assert!(check_hex("").is_ok());
        assert!(check_hex("0a1").is_err());
        assert!(check_hex("0g").is_err());
    }
}
