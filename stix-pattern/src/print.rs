//! The canonical printer: one normalised spelling per syntax tree, so that printing and
//! parsing again gives the same tree (spans aside).

use std::fmt::{self, Write};

use crate::ast::*;

impl Pattern {
    /// The canonical text of the pattern: single spaces around operators, `=`/`!=` spellings,
    /// no comments, quotes on path components only where needed.
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)
    }
}

fn obs_rank(e: &ObservationExpr) -> u8 {
    match &e.kind {
        ObservationKind::Chain { op, .. } => match op {
            ObservationOp::And => 1,
            ObservationOp::Or => 2,
            ObservationOp::FollowedBy => 3,
        },
        _ => 0,
    }
}

impl fmt::Display for ObservationExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ObservationKind::Observation(c) => write!(f, "[{c}]"),
            ObservationKind::Group(inner) => write!(f, "({inner})"),
            ObservationKind::Chain { op, operands } => {
                let me = obs_rank(self);
                for (n, o) in operands.iter().enumerate() {
                    if n > 0 {
                        write!(f, " {} ", op.as_str())?;
                    }
                    // Only hand-built trees need these parentheses; parsed ones carry Groups.
                    if obs_rank(o) >= me {
                        write!(f, "({o})")?;
                    } else {
                        write!(f, "{o}")?;
                    }
                }
                Ok(())
            }
            ObservationKind::Qualified { inner, qualifiers } => {
                if matches!(
                    inner.kind,
                    ObservationKind::Observation(_) | ObservationKind::Group(_)
                ) {
                    write!(f, "{inner}")?;
                } else {
                    write!(f, "({inner})")?;
                }
                for q in qualifiers {
                    write!(f, " {q}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            QualifierKind::Within { seconds } => write!(f, "WITHIN {seconds} SECONDS"),
            QualifierKind::Repeats { times } => write!(f, "REPEATS {times} TIMES"),
            QualifierKind::StartStop { start, stop } => write!(f, "START {start} STOP {stop}"),
        }
    }
}

fn cmp_rank(e: &ComparisonExpr) -> u8 {
    match &e.kind {
        ComparisonKind::And(_) => 1,
        ComparisonKind::Or(_) => 2,
        _ => 0,
    }
}

impl fmt::Display for ComparisonExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ops, kw) = match &self.kind {
            ComparisonKind::Comparison(c) => return write!(f, "{c}"),
            ComparisonKind::Group(inner) => return write!(f, "({inner})"),
            ComparisonKind::And(v) => (v, " AND "),
            ComparisonKind::Or(v) => (v, " OR "),
        };
        let me = cmp_rank(self);
        for (n, o) in ops.iter().enumerate() {
            if n > 0 {
                f.write_str(kw)?;
            }
            if cmp_rank(o) >= me {
                write!(f, "({o})")?;
            } else {
                write!(f, "{o}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::Exists {
            let not = if self.negated { "NOT " } else { "" };
            return write!(f, "{not}EXISTS {}", self.path);
        }
        write!(f, "{}", self.path)?;
        if self.negated {
            f.write_str(" NOT")?;
        }
        write!(f, " {}", self.op.as_str())?;
        match &self.value {
            Some(v) => write!(f, " {v}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Literal(l) => write!(f, "{l}"),
            Value::Set { items, .. } => {
                f.write_char('(')?;
                for (n, l) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{l}")?;
                }
                f.write_char(')')
            }
        }
    }
}

/// Writes `s` as a pattern string literal, escaping `'` and `\`.
pub(crate) fn write_quoted(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('\'')
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)
    }
}

impl fmt::Display for LiteralKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiteralKind::Int(t) | LiteralKind::Float(t) => f.write_str(t),
            LiteralKind::String(s) => write_quoted(f, s),
            LiteralKind::Bool(b) => write!(f, "{b}"),
            LiteralKind::Hex(s) => write!(f, "h'{s}'"),
            LiteralKind::Binary(s) => write!(f, "b'{s}'"),
            LiteralKind::Timestamp(s) => write!(f, "t'{s}'"),
        }
    }
}

/// Whether a property name can be written without quotes.
fn bare_ok(name: &str) -> bool {
    let mut cs = name.chars();
    matches!(cs.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::parser::is_reserved(name)
}

impl fmt::Display for ObjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.object_type)?;
        for (n, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Property(p) => {
                    if n > 0 {
                        f.write_char('.')?;
                    }
                    if bare_ok(p) {
                        f.write_str(p)?;
                    } else {
                        write_quoted(f, p)?;
                    }
                }
                PathStep::Index(i) => write!(f, "[{i}]")?,
                PathStep::AnyIndex => f.write_str("[*]")?,
            }
        }
        Ok(())
    }
}
