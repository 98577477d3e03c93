//! The semantic pass after parsing: the 2.1 MUSTs that the grammar cannot express, and the
//! lint warnings that do not make a pattern invalid.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::ast::*;
use crate::error::{ErrorKind, PatternError};
use crate::ParseOptions;

struct Checker<'a> {
    src: &'a str,
    options: &'a ParseOptions,
    errors: &'a mut Vec<PatternError>,
    warnings: &'a mut Vec<PatternError>,
}

pub(crate) fn check(
    src: &str,
    root: &ObservationExpr,
    options: &ParseOptions,
    errors: &mut Vec<PatternError>,
    warnings: &mut Vec<PatternError>,
) {
    let mut c = Checker {
        src,
        options,
        errors,
        warnings,
    };
    c.observation(root);
}

impl Checker<'_> {
    fn error(&mut self, at: usize, kind: ErrorKind, msg: String) {
        self.errors.push(PatternError::at(self.src, at, kind, msg));
    }

    fn warn(&mut self, at: usize, kind: ErrorKind, msg: String) {
        self.warnings
            .push(PatternError::at(self.src, at, kind, msg));
    }

    fn observation(&mut self, e: &ObservationExpr) {
        match &e.kind {
            ObservationKind::Observation(c) => {
                self.comparisons(c);
                self.and_types(c);
            }
            ObservationKind::Group(inner) => self.observation(inner),
            ObservationKind::Chain { operands, .. } => {
                operands.iter().for_each(|o| self.observation(o))
            }
            ObservationKind::Qualified { inner, qualifiers } => {
                self.observation(inner);
                self.qualifiers(qualifiers);
            }
        }
    }

    fn qualifiers(&mut self, qs: &[Qualifier]) {
        for (n, q) in qs.iter().enumerate() {
            // cti-stix2 #70: one qualifier of each type directly on an observation (2.1 MUST).
            // Parentheses start a new observation expression, so they reset the rule (#214).
            if self.options.version == StixVersion::V21
                && qs[..n]
                    .iter()
                    .any(|p| std::mem::discriminant(&p.kind) == std::mem::discriminant(&q.kind))
            {
                self.error(
                    q.span.start,
                    ErrorKind::DuplicateQualifier,
                    format!(
                        "a second {} qualifier on the same observation expression",
                        q.kind.name()
                    ),
                );
            }
            match &q.kind {
                QualifierKind::Within { seconds: v } | QualifierKind::Repeats { times: v } => {
                    if v.starts_with('-') || !v.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                        let at = q.span.start + q.kind.name().len() + 1;
                        let at = self.src[at.min(self.src.len())..]
                            .find(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
                            .map_or(q.span.start, |k| at + k);
                        self.error(
                            at,
                            ErrorKind::NonPositiveQualifier,
                            format!("{} needs a value greater than 0, not {v}", q.kind.name()),
                        );
                    }
                }
                QualifierKind::StartStop { start, stop } => {
                    let text = |l: &Literal| match &l.kind {
                        LiteralKind::Timestamp(s) | LiteralKind::String(s) => s.clone(),
                        _ => String::new(),
                    };
                    let (a, b) = (text(start), text(stop));
                    let both_valid = crate::literal::check_timestamp(&a).is_ok()
                        && crate::literal::check_timestamp(&b).is_ok();
                    if both_valid && timestamp_key(&b) <= timestamp_key(&a) {
                        self.warn(
                            stop.span.start,
                            ErrorKind::EmptyTimeWindow,
                            "STOP is not later than START, so this qualifier never matches".into(),
                        );
                    }
                }
            }
        }
    }

    /// AND operands must share an object type: `OR` unions the operands' type sets, `AND`
    /// intersects them, and an empty intersection can never match one object.
    fn and_types(&mut self, c: &ComparisonExpr) {
        if let ComparisonKind::Comparison(_) = c.kind {
            return;
        }
        let mut found = None;
        types_of(c, &mut found);
        if let Some(at) = found {
            let msg = "AND inside one observation joins comparisons that no single object type can satisfy; use separate [..] AND [..] observations".to_string();
            if self.options.strict_object_types && self.options.version == StixVersion::V21 {
                self.error(at, ErrorKind::MixedObjectTypes, msg);
            } else {
                self.warn(at, ErrorKind::MixedObjectTypes, msg);
            }
        }
    }

    fn comparisons(&mut self, c: &ComparisonExpr) {
        match &c.kind {
            ComparisonKind::Comparison(cmp) => self.lint(cmp),
            ComparisonKind::Group(inner) => self.comparisons(inner),
            ComparisonKind::And(v) | ComparisonKind::Or(v) => {
                v.iter().for_each(|o| self.comparisons(o))
            }
        }
    }

    fn lint(&mut self, c: &Comparison) {
        let ty = c.path.object_type.as_str();
        let type_ok = (3..=250).contains(&ty.len())
            && ty
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !type_ok {
            self.warn(
                c.path.span.start,
                ErrorKind::ObjectTypeName,
                format!(
                    "{ty:?} is not a valid STIX type name (3-250 characters of a-z, 0-9 and -)"
                ),
            );
        }
        let literals: &[Literal] = match &c.value {
            Some(Value::Literal(l)) => std::slice::from_ref(l),
            Some(Value::Set { items, span }) => {
                if items.is_empty() {
                    self.warn(
                        span.start,
                        ErrorKind::EmptySet,
                        "IN () never matches".into(),
                    );
                }
                items
            }
            None => &[],
        };
        let equality = matches!(c.op, Operator::Eq | Operator::Neq | Operator::In);
        if let Some(alg) = hash_algorithm(&c.path) {
            match hash_spec(alg) {
                HashSpec::Known(canon, len) => {
                    if canon != alg {
                        self.warn(
                            c.path.span.start,
                            ErrorKind::HashAlgorithm,
                            format!("hash algorithm {alg:?} is not the hash-algorithm-ov name; use '{canon}'"),
                        );
                    }
                    if equality {
                        for l in literals {
                            if let LiteralKind::String(v) = &l.kind {
                                if let Some(len) = len {
                                    if v.len() != len || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                                        self.warn(
                                            l.span.start,
                                            ErrorKind::HashValue,
                                            format!("a {canon} hash is {len} hex digits; this value has {} characters{}", v.len(),
                                                if v.bytes().all(|b| b.is_ascii_hexdigit()) { "" } else { " and non-hex ones" }),
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
                HashSpec::Unknown => {}
            }
        }
        let ip_v4 = ty == "ipv4-addr";
        let ip_v6 = ty == "ipv6-addr";
        let value_path = matches!(c.path.steps.as_slice(), [PathStep::Property(p)] if p == "value");
        if (ip_v4 || ip_v6)
            && value_path
            && (equality || matches!(c.op, Operator::IsSubset | Operator::IsSuperset))
        {
            for l in literals {
                if let LiteralKind::String(v) = &l.kind {
                    let ok = if ip_v4 {
                        ipv4_or_cidr(v)
                    } else {
                        ipv6_or_cidr(v)
                    };
                    if !ok {
                        let what = if ip_v4 { "IPv4" } else { "IPv6" };
                        self.warn(
                            l.span.start,
                            ErrorKind::IpAddress,
                            format!("{v:?} is not a valid {what} address or CIDR range"),
                        );
                    }
                }
            }
        }
    }
}

/// Collects the offset of the first `AND` whose operands share no object type.
fn types_of<'a>(c: &'a ComparisonExpr, bad: &mut Option<usize>) -> Vec<&'a str> {
    match &c.kind {
        ComparisonKind::Comparison(cmp) => vec![cmp.path.object_type.as_str()],
        ComparisonKind::Group(inner) => types_of(inner, bad),
        ComparisonKind::Or(v) => {
            let mut all: Vec<&str> = Vec::new();
            for o in v {
                for t in types_of(o, bad) {
                    if !all.contains(&t) {
                        all.push(t);
                    }
                }
            }
            all
        }
        ComparisonKind::And(v) => {
            let mut acc: Option<Vec<&str>> = None;
            for o in v {
                let ts = types_of(o, bad);
                acc = Some(match acc {
                    None => ts,
                    Some(a) => a.into_iter().filter(|t| ts.contains(t)).collect(),
                });
            }
            let acc = acc.unwrap_or_default();
            if acc.is_empty() && bad.is_none() {
                *bad = Some(c.span.start);
            }
            acc
        }
    }
}

/// Orders RFC 3339 UTC texts already checked by `check_timestamp`: the fixed-width part,
/// then the fraction as a decimal.
fn timestamp_key(s: &str) -> (String, String) {
    let head = s[..19].to_string();
    let frac = s[19..s.len() - 1]
        .trim_start_matches('.')
        .trim_end_matches('0');
    (head, frac.to_string())
}

/// The algorithm named by a `...hashes.<alg>` path, if the path is one.
pub(crate) fn hash_algorithm(path: &ObjectPath) -> Option<&str> {
    match path.steps.as_slice() {
        [.., PathStep::Property(h), PathStep::Property(alg)] if h == "hashes" => Some(alg),
        _ => None,
    }
}

pub(crate) enum HashSpec {
    /// The vocabulary name and the hex length (None when the value is not plain hex).
    Known(&'static str, Option<usize>),
    Unknown,
}

/// The `hash-algorithm-ov` name for a written algorithm name, tolerating case and hyphens.
pub(crate) fn hash_spec(alg: &str) -> HashSpec {
    // The common, correctly spelled names without building a normalised copy.
    match alg {
        "MD5" => return HashSpec::Known("MD5", Some(32)),
        "SHA-1" => return HashSpec::Known("SHA-1", Some(40)),
        "SHA-256" => return HashSpec::Known("SHA-256", Some(64)),
        "SHA-512" => return HashSpec::Known("SHA-512", Some(128)),
        _ => {}
    }
    let norm: String = alg
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_uppercase)
        .collect();
    let (canon, len) = match norm.as_str() {
        "MD5" => ("MD5", Some(32)),
        "SHA1" => ("SHA-1", Some(40)),
        "SHA224" => ("SHA-224", Some(56)),
        "SHA256" => ("SHA-256", Some(64)),
        "SHA384" => ("SHA-384", Some(96)),
        "SHA512" => ("SHA-512", Some(128)),
        "SHA3224" => ("SHA3-224", Some(56)),
        "SHA3256" => ("SHA3-256", Some(64)),
        "SHA3384" => ("SHA3-384", Some(96)),
        "SHA3512" => ("SHA3-512", Some(128)),
        "RIPEMD160" => ("RIPEMD-160", Some(40)),
        "WHIRLPOOL" => ("WHIRLPOOL", Some(128)),
        "SSDEEP" => ("SSDEEP", None),
        "TLSH" => ("TLSH", None),
        _ => return HashSpec::Unknown,
    };
    HashSpec::Known(canon, len)
}

pub(crate) fn ipv4_or_cidr(v: &str) -> bool {
    match v.split_once('/') {
        None => v.parse::<Ipv4Addr>().is_ok(),
        Some((a, p)) => {
            a.parse::<Ipv4Addr>().is_ok()
                && p.len() <= 2
                && p.parse::<u8>().is_ok_and(|n| n <= 32)
                && !(p.len() > 1 && p.starts_with('0'))
        }
    }
}

pub(crate) fn ipv6_or_cidr(v: &str) -> bool {
    match v.split_once('/') {
        None => v.parse::<Ipv6Addr>().is_ok(),
        Some((a, p)) => {
            a.parse::<Ipv6Addr>().is_ok()
                && p.len() <= 3
                && p.parse::<u8>().is_ok_and(|n| n <= 128)
                && !(p.len() > 1 && p.starts_with('0'))
        }
    }
}
