//! The typed syntax tree of a STIX pattern. Every node carries the byte span of the text it
//! came from; [`Pattern::without_spans`] gives a span-free copy for structural comparison.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into the pattern text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// The STIX version whose patterning rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum StixVersion {
    /// STIX 2.0: no `EXISTS`; `START`/`STOP` also take plain string timestamps; the 2.1
    /// MUSTs on `AND` types and duplicate qualifiers do not apply.
    V20,
    /// STIX 2.1 (the default).
    #[default]
    V21,
}

/// A parsed and validated pattern: the root of the syntax tree plus the lint warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pattern {
    /// The observation expression tree.
    pub root: ObservationExpr,
    /// The version the pattern was checked against.
    pub version: StixVersion,
    /// Lint findings that do not make the pattern invalid (wrong hash length, bad IPv4...).
    pub warnings: Vec<crate::PatternError>,
}

/// An observation expression: a `[...]` group, a parenthesised group, a chain joined by an
/// observation operator, or an expression with qualifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationExpr {
    /// What kind of expression this is.
    pub kind: ObservationKind,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// The kinds of observation expression.
///
/// Chains of one operator are kept flat (`A AND B AND C` is one node with three operands), so
/// long inputs never make deep trees; nesting only grows with parentheses, which are bounded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ObservationKind {
    /// `[ comparison-expression ]`.
    Observation(ComparisonExpr),
    /// `( observation-expression )`, kept because qualifier rules look at it.
    Group(Box<ObservationExpr>),
    /// Two or more operands joined by one observation operator, left to right.
    Chain {
        /// The operator joining every operand.
        op: ObservationOp,
        /// The operands, in text order (at least two).
        operands: Vec<ObservationExpr>,
    },
    /// An expression followed by one or more qualifiers, in text order.
    Qualified {
        /// The qualified expression (an observation or a group).
        inner: Box<ObservationExpr>,
        /// The qualifiers, in text order (at least one).
        qualifiers: Vec<Qualifier>,
    },
}

/// Operators between observation expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ObservationOp {
    /// `AND` (binds tightest).
    And,
    /// `OR`.
    Or,
    /// `FOLLOWEDBY` (binds loosest).
    FollowedBy,
}

impl ObservationOp {
    /// The keyword as written in a pattern.
    pub fn as_str(self) -> &'static str {
        match self {
            ObservationOp::And => "AND",
            ObservationOp::Or => "OR",
            ObservationOp::FollowedBy => "FOLLOWEDBY",
        }
    }
}

/// A qualifier on an observation expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualifier {
    /// Which qualifier and its operands.
    pub kind: QualifierKind,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// The three qualifiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum QualifierKind {
    /// `WITHIN n SECONDS`; `seconds` is the number's text without a leading `+`.
    Within {
        /// The number of seconds, as written (an integer or a float).
        seconds: String,
    },
    /// `REPEATS n TIMES`; `times` is the integer's text without a leading `+`.
    Repeats {
        /// The repeat count, as written (unbounded integer).
        times: String,
    },
    /// `START t'..' STOP t'..'` (in 2.0 mode the operands may be plain strings).
    StartStop {
        /// The start timestamp literal.
        start: Literal,
        /// The stop timestamp literal.
        stop: Literal,
    },
}

impl QualifierKind {
    /// A short name of the qualifier type (`WITHIN`, `REPEATS`, `START/STOP`).
    pub fn name(&self) -> &'static str {
        match self {
            QualifierKind::Within { .. } => "WITHIN",
            QualifierKind::Repeats { .. } => "REPEATS",
            QualifierKind::StartStop { .. } => "START/STOP",
        }
    }
}

/// A comparison expression: the content of `[...]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonExpr {
    /// What kind of expression this is.
    pub kind: ComparisonKind,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// The kinds of comparison expression (chains of one operator are flat, as above).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ComparisonKind {
    /// A single comparison.
    Comparison(Box<Comparison>),
    /// `( comparison-expression )`.
    Group(Box<ComparisonExpr>),
    /// Two or more operands joined by `AND`.
    And(Vec<ComparisonExpr>),
    /// Two or more operands joined by `OR`.
    Or(Vec<ComparisonExpr>),
}

/// One comparison: `path NOT? op value` or `NOT? EXISTS path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The object path on the left (or after `EXISTS`).
    pub path: ObjectPath,
    /// Whether `NOT` was present.
    pub negated: bool,
    /// The operator.
    pub op: Operator,
    /// The right-hand side; `None` only for `EXISTS`.
    pub value: Option<Value>,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operator {
    /// `=` (also `==`).
    Eq,
    /// `!=` (also `<>`).
    Neq,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `IN` with a set.
    In,
    /// `LIKE` with a string.
    Like,
    /// `MATCHES` with a regular expression string.
    Matches,
    /// `ISSUBSET` with a string.
    IsSubset,
    /// `ISSUPERSET` with a string.
    IsSuperset,
    /// `EXISTS` (STIX 2.1 only; no right-hand side).
    Exists,
}

impl Operator {
    /// The canonical spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Neq => "!=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::In => "IN",
            Operator::Like => "LIKE",
            Operator::Matches => "MATCHES",
            Operator::IsSubset => "ISSUBSET",
            Operator::IsSuperset => "ISSUPERSET",
            Operator::Exists => "EXISTS",
        }
    }
}

/// An object path: `type:property(.property|[index])*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectPath {
    /// The object type (e.g. `file`, `network-traffic`).
    pub object_type: String,
    /// The steps after the `:`; the first is always a property.
    pub steps: Vec<PathStep>,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// One step of an object path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PathStep {
    /// A property name (quotes and escapes removed).
    Property(String),
    /// A list index `[n]`.
    Index(u64),
    /// The list wildcard `[*]`.
    AnyIndex,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// A single literal.
    Literal(Literal),
    /// A parenthesised set of literals (for `IN`), with its span.
    Set {
        /// The members, in text order.
        items: Vec<Literal>,
        /// Where the set is in the pattern text.
        span: Span,
    },
}

/// A literal constant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Literal {
    /// The literal's type and value.
    pub kind: LiteralKind,
    /// Where it is in the pattern text.
    pub span: Span,
}

/// Literal types. Numbers keep their text (no size limit); strings are unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum LiteralKind {
    /// An integer, as written without a leading `+` (arbitrary size).
    Int(String),
    /// A float, as written without a leading `+`.
    Float(String),
    /// A string, with `\'` and `\\` unescaped.
    String(String),
    /// `true` or `false`.
    Bool(bool),
    /// `h'..'`: the hex digits, as written.
    Hex(String),
    /// `b'..'`: the base64 text, as written.
    Binary(String),
    /// `t'..'`: the RFC 3339 text, as written.
    Timestamp(String),
}

impl Pattern {
    /// A copy with every span set to `0..0`, for comparing trees regardless of layout.
    pub fn without_spans(&self) -> Pattern {
        let mut p = self.clone();
        p.root.clear_spans();
        p.warnings.clear();
        p
    }
}

impl ObservationExpr {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        match &mut self.kind {
            ObservationKind::Observation(c) => c.clear_spans(),
            ObservationKind::Group(inner) => inner.clear_spans(),
            ObservationKind::Chain { operands, .. } => {
                operands.iter_mut().for_each(|o| o.clear_spans())
            }
            ObservationKind::Qualified { inner, qualifiers } => {
                inner.clear_spans();
                for q in qualifiers {
                    q.span = Span::default();
                    if let QualifierKind::StartStop { start, stop } = &mut q.kind {
                        start.span = Span::default();
                        stop.span = Span::default();
                    }
                }
            }
        }
    }
}

impl ComparisonExpr {
    fn clear_spans(&mut self) {
        self.span = Span::default();
        match &mut self.kind {
            ComparisonKind::Comparison(c) => {
                c.span = Span::default();
                c.path.span = Span::default();
                match &mut c.value {
                    Some(Value::Literal(l)) => l.span = Span::default(),
                    Some(Value::Set { items, span }) => {
                        *span = Span::default();
                        items.iter_mut().for_each(|l| l.span = Span::default());
                    }
                    None => {}
                }
            }
            ComparisonKind::Group(inner) => inner.clear_spans(),
            ComparisonKind::And(v) | ComparisonKind::Or(v) => {
                v.iter_mut().for_each(|o| o.clear_spans())
            }
        }
    }
}
