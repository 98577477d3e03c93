//! The nom parser: pattern text to [`Pattern`](crate::Pattern) syntax tree.
//!
//! Lexical pieces are nom combinators over `&str`; the recursive grammar is a set of methods on
//! [`Parser`] that thread a little state through them: the nesting depth (bounded, so deep input
//! gives an error instead of a stack overflow), the recoverable errors found so far, and the
//! set of things that were expected at the furthest position reached (the syntax error report).
//! Chains of one operator are parsed with loops, never by backtracking over alternatives, so
//! the parser is linear in the input length.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{digit1, satisfy};
use nom::combinator::{opt, recognize};
use nom::sequence::pair;
use nom::{IResult, Parser as _};

use crate::ast::*;
use crate::error::{ErrorKind, PatternError};
use crate::literal;

/// Maximum nesting of `(`, `[` and comparison parentheses together.
pub const MAX_DEPTH: usize = 100;

/// nom error type: the position lives in the remaining input; details are kept in [`Parser`].
#[derive(Debug)]
pub(crate) struct Fail;

impl<'a> nom::error::ParseError<&'a str> for Fail {
    fn from_error_kind(_: &'a str, _: nom::error::ErrorKind) -> Self {
        Fail
    }
    fn append(_: &'a str, _: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, T> = IResult<&'a str, T, Fail>;

const KEYWORDS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "FOLLOWEDBY",
    "LIKE",
    "MATCHES",
    "ISSUPERSET",
    "ISSUBSET",
    "EXISTS",
    "IN",
    "START",
    "STOP",
    "SECONDS",
    "WITHIN",
    "REPEATS",
    "TIMES",
    "LAST",
    "true",
    "false",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A maximal identifier-like word `[A-Za-z_][A-Za-z0-9_-]*` (hyphens decided by the caller).
fn word(i: &str) -> PResult<'_, &str> {
    recognize(pair(
        satisfy(|c| c.is_ascii_alphabetic() || c == '_'),
        take_while(is_word_char),
    ))
    .parse(i)
}

/// A keyword at the start of `i` that is not the start of a longer word (no expectation noted).
fn kw_at<'a>(i: &'a str, kw: &str) -> Option<(&'a str, ())> {
    match i.strip_prefix(kw) {
        Some(rest) if !rest.starts_with(is_word_char) => Some((rest, ())),
        _ => None,
    }
}

/// A comparison operator symbol, longest spelling first.
fn op_symbol(i: &str) -> PResult<'_, Operator> {
    alt((
        tag("<=").map(|_| Operator::Le),
        tag("<>").map(|_| Operator::Neq),
        tag("<").map(|_| Operator::Lt),
        tag(">=").map(|_| Operator::Ge),
        tag(">").map(|_| Operator::Gt),
        tag("==").map(|_| Operator::Eq),
        tag("=").map(|_| Operator::Eq),
        tag("!=").map(|_| Operator::Neq),
    ))
    .parse(i)
}

/// The text of a signed number: sign, digits, optional fraction; or sign, fraction.
fn number_text(i: &str) -> PResult<'_, &str> {
    recognize(pair(
        opt(alt((tag("+"), tag("-")))),
        alt((
            recognize(pair(digit1, opt(pair(tag("."), digit1)))),
            recognize(pair(tag("."), digit1)),
        )),
    ))
    .parse(i)
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    version: StixVersion,
    depth: usize,
    pub(crate) errors: Vec<PatternError>,
    furthest: usize,
    /// What was tried at `furthest` (a fixed array: this runs on every successful parse too).
    expected: [&'static str; MAX_EXPECTED],
    n_expected: usize,
    /// Bracket/parenthesis depth where `furthest` was reached (decides whether to recover).
    furthest_depth: usize,
    fatal: Option<PatternError>,
}

const MAX_EXPECTED: usize = 32;

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str, version: StixVersion) -> Self {
        Parser {
            src,
            version,
            depth: 0,
            errors: Vec::new(),
            furthest: 0,
            expected: [""; MAX_EXPECTED],
            n_expected: 0,
            furthest_depth: 0,
            fatal: None,
        }
    }

    fn pos(&self, i: &str) -> usize {
        self.src.len() - i.len()
    }

    /// Notes that `what` would have been accepted at `i`; only the furthest position counts.
    fn expect(&mut self, i: &str, what: &'static str) {
        let p = self.pos(i);
        if p > self.furthest || self.n_expected == 0 {
            self.furthest = p;
            self.n_expected = 0;
            self.furthest_depth = self.depth;
        }
        // Duplicates are removed when the error is built; checking here would cost on every
        // successful parse.
        if p == self.furthest && self.n_expected < MAX_EXPECTED {
            self.expected[self.n_expected] = what;
            self.n_expected += 1;
        }
    }

    fn miss<T>(&mut self, i: &'a str, what: &'static str) -> PResult<'a, T> {
        self.expect(i, what);
        Err(nom::Err::Error(Fail))
    }

    /// A recoverable error: recorded, parsing goes on.
    fn soft(&mut self, offset: usize, kind: ErrorKind, message: String) {
        self.errors
            .push(PatternError::at(self.src, offset, kind, message));
    }

    /// An error that stops parsing.
    fn hard<T>(&mut self, offset: usize, kind: ErrorKind, message: String) -> PResult<'a, T> {
        if self.fatal.is_none() {
            self.fatal = Some(PatternError::at(self.src, offset, kind, message));
        }
        Err(nom::Err::Failure(Fail))
    }

    /// Skips whitespace (Unicode `White_Space`) and `/* */` and `//` comments.
    fn ws(&mut self, mut i: &'a str) -> PResult<'a, ()> {
        // Fast path: most tokens are followed by a plain ASCII character.
        if let Some(&b) = i.as_bytes().first() {
            if b.is_ascii() && b != b'/' && !b.is_ascii_whitespace() && b != 0x0b {
                return Ok((i, ()));
            }
        }
        loop {
            let t = i.trim_start_matches(char::is_whitespace);
            if let Some(rest) = t.strip_prefix("/*") {
                match rest.find("*/") {
                    Some(end) => i = &rest[end + 2..],
                    None => {
                        let at = self.pos(t);
                        return self.hard(
                            at,
                            ErrorKind::Unterminated,
                            "unterminated /* comment".into(),
                        );
                    }
                }
            } else if let Some(rest) = t.strip_prefix("//") {
                i = rest.find('\n').map_or("", |n| &rest[n..]);
            } else {
                return Ok((t, ()));
            }
        }
    }

    /// An upper-case keyword that is not the start of a longer word.
    fn keyword(&mut self, i: &'a str, kw: &'static str) -> PResult<'a, ()> {
        match kw_at(i, kw) {
            Some(ok) => Ok(ok),
            None => self.miss(i, kw),
        }
    }

    fn punct(&mut self, i: &'a str, p: &'static str) -> PResult<'a, ()> {
        match i.strip_prefix(p) {
            Some(rest) => Ok((rest, ())),
            None => self.miss(i, p),
        }
    }

    fn enter(&mut self, i: &'a str) -> PResult<'a, ()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let at = self.pos(i);
            return self.hard(
                at,
                ErrorKind::NestingTooDeep,
                format!("nesting deeper than {MAX_DEPTH} levels of brackets and parentheses"),
            );
        }
        Ok((i, ()))
    }

    /// The whole pattern: an observation expression tree and then end of input.
    pub(crate) fn pattern(&mut self) -> Result<ObservationExpr, Vec<PatternError>> {
        let run = |p: &mut Self| -> PResult<'a, ObservationExpr> {
            let (i, _) = p.ws(p.src)?;
            if i.is_empty() {
                let at = p.pos(i);
                return p.hard(
                    at,
                    ErrorKind::Empty,
                    "the pattern is empty: at least one [observation] is needed".into(),
                );
            }
            let (i, root) = p.followed_by(i)?;
            let (i, _) = p.ws(i)?;
            if !i.is_empty() {
                return p.miss(i, "end of pattern");
            }
            Ok((i, root))
        };
        let first = match run(self) {
            Ok((_, root)) => return Ok(root),
            Err(_) => self.take_error(),
        };
        let mut errors = vec![first];
        self.recover(&mut errors);
        Err(errors.into_iter().map(|(e, _)| e).collect())
    }

    /// The error that stopped parsing, with the depth it happened at.
    fn take_error(&mut self) -> (PatternError, usize) {
        match self.fatal.take() {
            Some(e) => (e, self.depth),
            None => (self.syntax_error(), self.furthest_depth),
        }
    }

    /// After a syntax error at the top level or directly inside a top-level `[...]`, skips to
    /// the next top-level observation and parses on from there, so that one run reports the
    /// errors of several observations. Errors deeper inside parentheses are not recovered
    /// from: without the enclosing context, the rest would only give follow-on errors.
    fn recover(&mut self, errors: &mut Vec<(PatternError, usize)>) {
        for _ in 0..1000 {
            let (last, depth) = &errors[errors.len() - 1];
            if last.kind != ErrorKind::Syntax || *depth > 1 {
                return;
            }
            let mut from = last.offset;
            if *depth == 1 {
                match skip_to(self.src, from, b']') {
                    Some(k) => from = k + 1,
                    None => return,
                }
            }
            let Some(start) = skip_to(self.src, from, b'[') else {
                return;
            };
            self.depth = 0;
            self.n_expected = 0;
            self.furthest = start;
            let rest = &self.src[start..];
            let outcome = self.followed_by(rest).and_then(|(i, _)| {
                let (i, _) = self.ws(i)?;
                if i.is_empty() {
                    Ok((i, ()))
                } else {
                    self.miss(i, "end of pattern")
                }
            });
            if outcome.is_ok() {
                return;
            }
            let next = self.take_error();
            if next.0.offset <= errors[errors.len() - 1].0.offset {
                return;
            }
            errors.push(next);
        }
    }

    fn syntax_error(&self) -> PatternError {
        let mut e = PatternError::at(self.src, self.furthest, ErrorKind::Syntax, String::new());
        let found = match self.src[self.furthest..].chars().next() {
            None => "end of pattern".to_string(),
            Some(_) => {
                let rest = &self.src[self.furthest..];
                let tok: String = match word(rest) {
                    Ok((_, w)) => w.chars().take(40).collect(),
                    Err(_) => rest.chars().take(1).collect(),
                };
                format!("{tok:?}")
            }
        };
        let mut expected: Vec<&str> = Vec::new();
        for &x in &self.expected[..self.n_expected] {
            if !expected.contains(&x) {
                expected.push(x);
            }
        }
        e.message = format!("unexpected {found}, expected {}", expected.join(" or "));
        e.expected = expected.iter().map(|s| s.to_string()).collect();
        e
    }

    /// Observation operators by precedence climbing without recursion: `levels[k]` collects
    /// the operands of the open chain of `OBS_OPS[k]`; an operator of level k closes the
    /// tighter chains below it. Only parentheses recurse, and they are bounded.
    fn followed_by(&mut self, i: &'a str) -> PResult<'a, ObservationExpr> {
        const OBS_OPS: [ObservationOp; 3] = [
            ObservationOp::And,
            ObservationOp::Or,
            ObservationOp::FollowedBy,
        ];
        let mut levels: [Level<ObservationExpr>; 3] = Default::default();
        let mut i = i;
        loop {
            let (j, operand) = self.qualified(i)?;
            levels[0].push(operand);
            i = j;
            let (j, _) = self.ws(i)?;
            let mut found = None;
            for (k, op) in OBS_OPS.iter().enumerate() {
                if let Ok((rest, _)) = self.keyword(j, op.as_str()) {
                    found = Some((k, rest));
                    break;
                }
            }
            let Some((k, rest)) = found else { break };
            for l in 0..k {
                let node = close_obs(&mut levels[l], OBS_OPS[l]);
                levels[l + 1].push(node);
            }
            i = self.ws(rest)?.0;
        }
        for l in 0..2 {
            let node = close_obs(&mut levels[l], OBS_OPS[l]);
            levels[l + 1].push(node);
        }
        Ok((i, close_obs(&mut levels[2], OBS_OPS[2])))
    }

    /// A primary observation expression followed by any number of qualifiers.
    fn qualified(&mut self, i: &'a str) -> PResult<'a, ObservationExpr> {
        let (i, inner) = self.obs_primary(i)?;
        let (i, qualifiers) = self.qualifier_list(i)?;
        if qualifiers.is_empty() {
            return Ok((i, inner));
        }
        let span = Span::new(inner.span.start, qualifiers[qualifiers.len() - 1].span.end);
        Ok((
            i,
            ObservationExpr {
                kind: ObservationKind::Qualified {
                    inner: Box::new(inner),
                    qualifiers,
                },
                span,
            },
        ))
    }

    #[inline(never)]
    fn qualifier_list(&mut self, mut i: &'a str) -> PResult<'a, Vec<Qualifier>> {
        let mut qualifiers = Vec::new();
        loop {
            let (j, _) = self.ws(i)?;
            match self.qualifier(j) {
                Ok((j, q)) => {
                    qualifiers.push(q);
                    i = j;
                }
                Err(nom::Err::Error(_)) => break,
                Err(e) => return Err(e),
            }
        }
        Ok((i, qualifiers))
    }

    fn obs_primary(&mut self, i: &'a str) -> PResult<'a, ObservationExpr> {
        if i.starts_with('[') {
            return self.bracketed(i);
        }
        self.obs_group(i)
    }

    #[inline(never)]
    fn bracketed(&mut self, i: &'a str) -> PResult<'a, ObservationExpr> {
        let start = self.pos(i);
        self.enter(i)?;
        let (j, _) = self.ws(&i[1..])?;
        let (j, cmp) = self.cmp_or(j)?;
        let (j, _) = self.ws(j)?;
        let (j, _) = self.punct(j, "]")?;
        self.depth -= 1;
        let span = Span::new(start, self.pos(j));
        Ok((
            j,
            ObservationExpr {
                kind: ObservationKind::Observation(cmp),
                span,
            },
        ))
    }

    fn obs_group(&mut self, i: &'a str) -> PResult<'a, ObservationExpr> {
        let start = self.pos(i);
        if let Some(rest) = i.strip_prefix('(') {
            self.enter(i)?;
            let (j, _) = self.ws(rest)?;
            let (j, inner) = self.followed_by(j)?;
            let (j, _) = self.ws(j)?;
            let (j, _) = self.punct(j, ")")?;
            self.depth -= 1;
            let span = Span::new(start, self.pos(j));
            return Ok((
                j,
                ObservationExpr {
                    kind: ObservationKind::Group(Box::new(inner)),
                    span,
                },
            ));
        }
        self.expect(i, "(");
        self.miss(i, "[")
    }

    #[inline(never)]
    fn qualifier(&mut self, i: &'a str) -> PResult<'a, Qualifier> {
        let start = self.pos(i);
        if let Ok((j, _)) = self.keyword(i, "WITHIN") {
            let (j, _) = self.ws(j)?;
            let (j, seconds) = self.unsigned_number(j, true)?;
            let (j, _) = self.ws(j)?;
            let (j, _) = self.keyword(j, "SECONDS")?;
            let span = Span::new(start, self.pos(j));
            return Ok((
                j,
                Qualifier {
                    kind: QualifierKind::Within { seconds },
                    span,
                },
            ));
        }
        if let Ok((j, _)) = self.keyword(i, "REPEATS") {
            let (j, _) = self.ws(j)?;
            let (j, times) = self.unsigned_number(j, false)?;
            let (j, _) = self.ws(j)?;
            let (j, _) = self.keyword(j, "TIMES")?;
            let span = Span::new(start, self.pos(j));
            return Ok((
                j,
                Qualifier {
                    kind: QualifierKind::Repeats { times },
                    span,
                },
            ));
        }
        if let Ok((j, _)) = self.keyword(i, "START") {
            let (j, _) = self.ws(j)?;
            let (j, start_lit) = self.qualifier_timestamp(j)?;
            let (j, _) = self.ws(j)?;
            let (j, _) = self.keyword(j, "STOP")?;
            let (j, _) = self.ws(j)?;
            let (j, stop) = self.qualifier_timestamp(j)?;
            let span = Span::new(start, self.pos(j));
            return Ok((
                j,
                Qualifier {
                    kind: QualifierKind::StartStop {
                        start: start_lit,
                        stop,
                    },
                    span,
                },
            ));
        }
        Err(nom::Err::Error(Fail))
    }

    /// The number after WITHIN (int or float) or REPEATS (int only): no sign but `+`.
    #[inline(never)]
    fn unsigned_number(&mut self, i: &'a str, float_ok: bool) -> PResult<'a, String> {
        let what = if float_ok {
            "positive number"
        } else {
            "positive integer"
        };
        let (j, text) = match number_text(i) {
            Ok(ok) => ok,
            Err(_) => return self.miss(i, what),
        };
        let lit = self.number_literal(i, text);
        match lit {
            LiteralKind::Float(_) if !float_ok => {
                let at = self.pos(i);
                self.soft(
                    at,
                    ErrorKind::InvalidNumber,
                    "REPEATS takes an integer, not a float".into(),
                );
            }
            _ => {}
        }
        match lit {
            LiteralKind::Int(t) | LiteralKind::Float(t) => Ok((j, t)),
            _ => unreachable!("number_literal returns numbers"),
        }
    }

    #[inline(never)]
    fn qualifier_timestamp(&mut self, i: &'a str) -> PResult<'a, Literal> {
        if i.starts_with("t'") {
            return self.literal(i);
        }
        if self.version == StixVersion::V20 && i.starts_with('\'') {
            let (j, lit) = self.literal(i)?;
            if let LiteralKind::String(s) = &lit.kind {
                if let Err(m) = literal::check_timestamp(s) {
                    self.soft(lit.span.start, ErrorKind::InvalidTimestamp, m);
                }
            }
            return Ok((j, lit));
        }
        if self.version == StixVersion::V20 {
            self.expect(i, "string timestamp");
        }
        self.miss(i, "timestamp literal t'...'")
    }

    /// `AND`/`OR` inside brackets, by the same non-recursive precedence climbing.
    fn cmp_or(&mut self, i: &'a str) -> PResult<'a, ComparisonExpr> {
        let mut levels: [Level<ComparisonExpr>; 2] = Default::default();
        let mut i = i;
        loop {
            let (j, operand) = self.cmp_primary(i)?;
            levels[0].push(operand);
            i = j;
            let (j, _) = self.ws(i)?;
            let k = if let Ok((rest, _)) = self.keyword(j, "AND") {
                (0, rest)
            } else if let Ok((rest, _)) = self.keyword(j, "OR") {
                (1, rest)
            } else {
                break;
            };
            if k.0 == 1 {
                let node = close_cmp(&mut levels[0], false);
                levels[1].push(node);
            }
            i = self.ws(k.1)?.0;
        }
        let node = close_cmp(&mut levels[0], false);
        levels[1].push(node);
        Ok((i, close_cmp(&mut levels[1], true)))
    }

    fn cmp_primary(&mut self, i: &'a str) -> PResult<'a, ComparisonExpr> {
        let start = self.pos(i);
        if let Some(rest) = i.strip_prefix('(') {
            self.enter(i)?;
            let (j, _) = self.ws(rest)?;
            let (j, inner) = self.cmp_or(j)?;
            let (j, _) = self.ws(j)?;
            let (j, _) = self.punct(j, ")")?;
            self.depth -= 1;
            return Ok((
                j,
                ComparisonExpr {
                    kind: ComparisonKind::Group(Box::new(inner)),
                    span: Span::new(start, self.pos(j)),
                },
            ));
        }
        self.leaf(i)
    }

    /// A single comparison; kept out of line so the recursive path's frames stay small.
    #[inline(never)]
    fn leaf(&mut self, i: &'a str) -> PResult<'a, ComparisonExpr> {
        let start = self.pos(i);
        // `NOT EXISTS path` / `EXISTS path`
        let (exists_at, negated) = match kw_at(i, "NOT") {
            Some((j, _)) => {
                let (j, _) = self.ws(j)?;
                if kw_at(j, "EXISTS").is_none() {
                    let at = self.pos(i);
                    return self.hard(
                        at,
                        ErrorKind::Syntax,
                        "NOT goes between the object path and the operator (file:name NOT = 'x'), or before EXISTS".into(),
                    );
                }
                (j, true)
            }
            None => (i, false),
        };
        if self.version == StixVersion::V21 {
            self.expect(exists_at, "EXISTS");
        }
        if let Some((j, _)) = kw_at(exists_at, "EXISTS") {
            if self.version == StixVersion::V20 {
                let at = self.pos(exists_at);
                self.soft(
                    at,
                    ErrorKind::UnsupportedInVersion,
                    "EXISTS is new in STIX 2.1; it is not available in 2.0".into(),
                );
            }
            let (j, _) = self.ws(j)?;
            let (j, path) = self.object_path(j)?;
            return Ok((
                j,
                ComparisonExpr {
                    span: Span::new(start, self.pos(j)),
                    kind: ComparisonKind::Comparison(Box::new(Comparison {
                        path,
                        negated,
                        op: Operator::Exists,
                        value: None,
                        span: Span::new(start, self.pos(j)),
                    })),
                },
            ));
        }
        self.expect(i, "(");
        let (j, path) = self.object_path(i)?;
        let (j, _) = self.ws(j)?;
        let (j, negated) = match self.keyword(j, "NOT") {
            Ok((k, _)) => {
                let (k, _) = self.ws(k)?;
                (k, true)
            }
            Err(_) => (j, false),
        };
        let (j, op) = self.operator(j)?;
        let (j, _) = self.ws(j)?;
        let (j, value) = self.rhs(j, op)?;
        let span = Span::new(start, self.pos(j));
        Ok((
            j,
            ComparisonExpr {
                kind: ComparisonKind::Comparison(Box::new(Comparison {
                    path,
                    negated,
                    op,
                    value: Some(value),
                    span,
                })),
                span,
            },
        ))
    }

    #[inline(never)]
    fn operator(&mut self, i: &'a str) -> PResult<'a, Operator> {
        if let Ok(ok) = op_symbol(i) {
            return Ok(ok);
        }
        if let Ok((j, w)) = word(i) {
            let op = match w {
                "IN" => Some(Operator::In),
                "LIKE" => Some(Operator::Like),
                "MATCHES" => Some(Operator::Matches),
                "ISSUBSET" => Some(Operator::IsSubset),
                "ISSUPERSET" => Some(Operator::IsSuperset),
                _ => None,
            };
            if let Some(op) = op {
                return Ok((j, op));
            }
        }
        for what in [
            "NOT",
            "=",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "IN",
            "LIKE",
            "MATCHES",
            "ISSUBSET",
            "ISSUPERSET",
        ] {
            self.expect(i, what);
        }
        Err(nom::Err::Error(Fail))
    }

    /// The right-hand side of `op`: a set for `IN`, a string for the string operators, a
    /// non-boolean literal for ordering, any literal for (in)equality.
    #[inline(never)]
    fn rhs(&mut self, i: &'a str, op: Operator) -> PResult<'a, Value> {
        if op == Operator::In {
            let start = self.pos(i);
            let Some(rest) = i.strip_prefix('(') else {
                return self.miss(i, "( set of literals )");
            };
            let (mut j, _) = self.ws(rest)?;
            let mut items = Vec::new();
            if let Some(rest) = j.strip_prefix(')') {
                return Ok((
                    rest,
                    Value::Set {
                        items,
                        span: Span::new(start, self.pos(rest)),
                    },
                ));
            }
            loop {
                let (k, lit) = self.literal(j)?;
                items.push(lit);
                let (k, _) = self.ws(k)?;
                if let Some(rest) = k.strip_prefix(',') {
                    j = self.ws(rest)?.0;
                    continue;
                }
                self.expect(k, ",");
                let (k, _) = self.punct(k, ")")?;
                return Ok((
                    k,
                    Value::Set {
                        items,
                        span: Span::new(start, self.pos(k)),
                    },
                ));
            }
        }
        if i.starts_with('(') {
            let at = self.pos(i);
            return self.hard(
                at,
                ErrorKind::Syntax,
                format!("a set ( ... ) can only follow IN, not {}", op.as_str()),
            );
        }
        let (j, lit) = self.literal(i)?;
        let bad = match (&lit.kind, op) {
            (LiteralKind::String(_), _) => None,
            (_, Operator::Like | Operator::Matches | Operator::IsSubset | Operator::IsSuperset) => {
                Some("a string literal")
            }
            (LiteralKind::Bool(_), Operator::Lt | Operator::Le | Operator::Gt | Operator::Ge) => {
                Some("an orderable literal (not a boolean)")
            }
            _ => None,
        };
        if let Some(want) = bad {
            let mut e = PatternError::at(
                self.src,
                lit.span.start,
                ErrorKind::Syntax,
                format!("{} needs {want} on its right", op.as_str()),
            );
            e.expected = vec![want.to_string()];
            self.errors.push(e);
        }
        Ok((j, Value::Literal(lit)))
    }

    /// Any primitive literal.
    #[inline(never)]
    fn literal(&mut self, i: &'a str) -> PResult<'a, Literal> {
        let start = self.pos(i);
        let b = i.as_bytes();
        let prefixed = b.len() >= 2 && b[1] == b'\'';
        let (j, kind) = if b.first() == Some(&b'\'') {
            let (j, s) = self.string_body(i)?;
            (j, LiteralKind::String(s))
        } else if prefixed && matches!(b[0], b'h' | b'b' | b't') {
            let (j, s) = self.string_body(&i[1..])?;
            let at = start;
            let kind = match b[0] {
                b'h' => {
                    if let Err(m) = literal::check_hex(&s) {
                        self.soft(at, ErrorKind::InvalidHex, m);
                    }
                    LiteralKind::Hex(s)
                }
                b'b' => {
                    if let Err(m) = literal::check_base64(&s) {
                        self.soft(at, ErrorKind::InvalidBase64, m);
                    }
                    LiteralKind::Binary(s)
                }
                _ => {
                    if let Err(m) = literal::check_timestamp(&s) {
                        self.soft(at, ErrorKind::InvalidTimestamp, m);
                    }
                    LiteralKind::Timestamp(s)
                }
            };
            (j, kind)
        } else if let Ok((j, text)) = number_text(i) {
            (j, self.number_literal(i, text))
        } else if let Ok((j, w)) = word(i) {
            match w {
                "true" => (j, LiteralKind::Bool(true)),
                "false" => (j, LiteralKind::Bool(false)),
                _ => return self.miss_literal(i),
            }
        } else {
            return self.miss_literal(i);
        };
        Ok((
            j,
            Literal {
                kind,
                span: Span::new(start, self.pos(j)),
            },
        ))
    }

    fn miss_literal<T>(&mut self, i: &'a str) -> PResult<'a, T> {
        if i.starts_with('"') {
            let at = self.pos(i);
            return self.hard(
                at,
                ErrorKind::Syntax,
                "strings are quoted with ' (single quotes), not \"".into(),
            );
        }
        self.miss(i, "literal")
    }

    /// Classifies number text and checks leading zeros.
    fn number_literal(&mut self, i: &'a str, text: &'a str) -> LiteralKind {
        let unsigned = text.trim_start_matches(['+', '-']);
        let int_part = unsigned.split('.').next().unwrap_or("");
        if int_part.len() > 1 && int_part.starts_with('0') {
            let at = self.pos(i);
            self.soft(
                at,
                ErrorKind::InvalidNumber,
                format!("{text} has a leading zero"),
            );
        }
        let norm = text.strip_prefix('+').unwrap_or(text).to_string();
        if unsigned.contains('.') {
            LiteralKind::Float(norm)
        } else {
            LiteralKind::Int(norm)
        }
    }

    /// `'...'` with only `\'` and `\\` escapes; returns the unescaped text.
    #[inline(never)]
    fn string_body(&mut self, i: &'a str) -> PResult<'a, String> {
        let start = self.pos(i);
        let body = &i[1..];
        let bytes = body.as_bytes();
        let mut out = String::new();
        let mut seg = 0;
        let mut k = 0;
        while k < bytes.len() {
            match memchr::memchr2(b'\'', b'\\', &bytes[k..]) {
                Some(n) => k += n,
                None => break,
            }
            match bytes[k] {
                b'\'' => {
                    out.push_str(&body[seg..k]);
                    return Ok((&body[k + 1..], out));
                }
                b'\\' => {
                    out.push_str(&body[seg..k]);
                    match bytes.get(k + 1) {
                        Some(&c @ (b'\'' | b'\\')) => out.push(c as char),
                        Some(_) => {
                            let c = body[k + 1..].chars().next().unwrap_or('?');
                            let at = self.src.len() - body.len() + k;
                            self.soft(at, ErrorKind::InvalidEscape, format!("\\{c} is not an escape: only \\' and \\\\ are (write \\\\ for a backslash)"));
                            out.push('\\');
                            out.push(c);
                            k += c.len_utf8() - 1;
                        }
                        None => break,
                    }
                    k += 2;
                    seg = k;
                }
                _ => k += 1,
            }
        }
        self.hard(
            start,
            ErrorKind::Unterminated,
            "unterminated string literal (a final \\' is an escaped quote, not the end)".into(),
        )
    }

    /// `type:prop(.prop|[idx])*`; whitespace is allowed between the tokens, as the grammar does.
    #[inline(never)]
    fn object_path(&mut self, i: &'a str) -> PResult<'a, ObjectPath> {
        let start = self.pos(i);
        let Ok((j, ty)) = word(i) else {
            return self.miss(i, "object path");
        };
        if is_reserved(ty) {
            return self.miss(i, "object path");
        }
        let (j, _) = self.ws(j)?;
        let (j, _) = self.punct(j, ":")?;
        let (j, _) = self.ws(j)?;
        let (mut i, first) = self.component(j)?;
        let mut steps = Vec::with_capacity(4);
        steps.push(PathStep::Property(first));
        let mut end = self.pos(i);
        loop {
            let (j, _) = self.ws(i)?;
            if let Some(rest) = j.strip_prefix('.') {
                let (k, _) = self.ws(rest)?;
                let (k, name) = self.component(k)?;
                steps.push(PathStep::Property(name));
                i = k;
            } else if let Some(rest) = j.strip_prefix('[') {
                let (k, _) = self.ws(rest)?;
                let (k, step) = self.index(k)?;
                let (k, _) = self.ws(k)?;
                let (k, _) = self.punct(k, "]")?;
                steps.push(step);
                i = k;
            } else {
                self.expect(j, ".");
                self.expect(j, "[");
                break;
            }
            end = self.pos(i);
        }
        Ok((
            i,
            ObjectPath {
                object_type: ty.to_string(),
                steps,
                span: Span::new(start, end),
            },
        ))
    }

    #[inline(never)]
    fn component(&mut self, i: &'a str) -> PResult<'a, String> {
        if i.starts_with('\'') {
            return self.string_body(i);
        }
        match word(i) {
            Ok((j, w)) if !is_reserved(w) => {
                if w.contains('-') {
                    let at = self.pos(i);
                    self.soft(
                        at,
                        ErrorKind::InvalidPropertyName,
                        format!("property name {w} contains '-': quote it as '{w}'"),
                    );
                }
                Ok((j, w.to_string()))
            }
            Ok((_, w)) => {
                let at = self.pos(i);
                self.soft(
                    at,
                    ErrorKind::InvalidPropertyName,
                    format!(
                        "{w} is a reserved word: quote it as '{w}' to use it as a property name"
                    ),
                );
                let (j, w) = word(i).map_err(|_| nom::Err::Error(Fail))?;
                Ok((j, w.to_string()))
            }
            Err(_) => self.miss(i, "property name"),
        }
    }

    #[inline(never)]
    fn index(&mut self, i: &'a str) -> PResult<'a, PathStep> {
        if let Some(rest) = i.strip_prefix('*') {
            return Ok((rest, PathStep::AnyIndex));
        }
        let at = self.pos(i);
        let parsed: PResult<'a, &str> =
            recognize(pair(opt(alt((tag("+"), tag("-")))), digit1)).parse(i);
        let Ok((j, text)) = parsed else {
            self.expect(i, "*");
            return self.miss(i, "list index");
        };
        let digits = text.trim_start_matches(['+', '-']);
        if text.starts_with('-') {
            self.soft(
                at,
                ErrorKind::InvalidIndex,
                "list indices are non-negative integers or *".into(),
            );
        } else if digits.len() > 1 && digits.starts_with('0') {
            self.soft(
                at,
                ErrorKind::InvalidNumber,
                format!("{text} has a leading zero"),
            );
        }
        match digits.parse::<u64>() {
            Ok(n) => Ok((j, PathStep::Index(n))),
            Err(_) => {
                self.soft(at, ErrorKind::InvalidIndex, "list index too large".into());
                Ok((j, PathStep::Index(u64::MAX)))
            }
        }
    }
}

/// The operands of one open operator chain. A lone operand needs no allocation, which is the
/// common case (most patterns are one observation with one comparison).
struct Level<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> Default for Level<T> {
    fn default() -> Self {
        Level {
            first: None,
            rest: Vec::new(),
        }
    }
}

impl<T> Level<T> {
    fn push(&mut self, x: T) {
        if self.first.is_none() {
            self.first = Some(x);
        } else {
            self.rest.push(x);
        }
    }

    /// Empties the level: `Ok(the lone operand)` or `Err(all operands)`.
    fn take(&mut self) -> Result<T, Vec<T>> {
        let first = self.first.take().expect("a chain has at least one operand");
        if self.rest.is_empty() {
            return Ok(first);
        }
        let mut all = Vec::with_capacity(self.rest.len() + 1);
        all.push(first);
        all.append(&mut self.rest);
        Err(all)
    }
}

fn close_obs(v: &mut Level<ObservationExpr>, op: ObservationOp) -> ObservationExpr {
    let operands = match v.take() {
        Ok(one) => return one,
        Err(all) => all,
    };
    let span = Span::new(
        operands[0].span.start,
        operands[operands.len() - 1].span.end,
    );
    ObservationExpr {
        kind: ObservationKind::Chain { op, operands },
        span,
    }
}

fn close_cmp(v: &mut Level<ComparisonExpr>, is_or: bool) -> ComparisonExpr {
    let operands = match v.take() {
        Ok(one) => return one,
        Err(all) => all,
    };
    let span = Span::new(
        operands[0].span.start,
        operands[operands.len() - 1].span.end,
    );
    let kind = if is_or {
        ComparisonKind::Or(operands)
    } else {
        ComparisonKind::And(operands)
    };
    ComparisonExpr { kind, span }
}

/// The offset of the next byte `b` at or after `from` that is outside string literals.
fn skip_to(src: &str, from: usize, b: u8) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut k = from;
    while k < bytes.len() {
        match bytes[k] {
            x if x == b => return Some(k),
            b'\'' => {
                k += 1;
                loop {
                    match bytes.get(k)? {
                        b'\\' => k += 2,
                        b'\'' => break,
                        _ => k += 1,
                    }
                }
                k += 1;
            }
            _ => k += 1,
        }
    }
    None
}

/// Whether `w` is a keyword or reserved word (and so needs quotes as a property name).
pub(crate) fn is_reserved(w: &str) -> bool {
    // Every reserved word starts with an upper-case letter, `t` or `f`, and is 2-10 long.
    match w.as_bytes().first() {
        Some(b'A'..=b'Z' | b't' | b'f') if (2..=10).contains(&w.len()) => KEYWORDS.contains(&w),
        _ => false,
    }
}
