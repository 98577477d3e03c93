//! Observable extraction: the comparisons of a pattern in a flat form integrations consume,
//! typed indicator values for equality and `IN` comparisons, and whether the pattern is a
//! plain list of values (a blocklist) or something richer.

use serde::{Deserialize, Serialize};

use crate::ast::*;
use crate::validate::{hash_algorithm, hash_spec, ipv4_or_cidr, ipv6_or_cidr, HashSpec};

/// One comparison of the pattern, flattened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonInfo {
    /// The object type (`file`, `ipv4-addr`, ...).
    pub object_type: String,
    /// The path after the `:` in canonical spelling, e.g. `hashes.'SHA-256'`.
    pub property: String,
    /// The path steps after the `:`.
    pub steps: Vec<PathStep>,
    /// The operator's canonical spelling (`=`, `!=`, `IN`, `EXISTS`, ...).
    pub operator: String,
    /// Whether the comparison was negated with `NOT`.
    pub negated: bool,
    /// The right-hand values: one, the members of an `IN` set, or none for `EXISTS`.
    pub values: Vec<LiteralKind>,
    /// Index (in text order, from 0) of the `[...]` observation this comparison is in.
    pub observation: usize,
}

/// The kinds of typed observable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservableKind {
    /// A domain name.
    Domain,
    /// An IPv4 address.
    Ipv4,
    /// An IPv4 CIDR range.
    Ipv4Cidr,
    /// An IPv6 address.
    Ipv6,
    /// An IPv6 CIDR range.
    Ipv6Cidr,
    /// A URL.
    Url,
    /// An e-mail address.
    EmailAddress,
    /// An e-mail subject line.
    EmailSubject,
    /// A hash of a file, artifact or certificate (see `algorithm`).
    Hash,
    /// A file name.
    FileName,
    /// A directory path.
    DirectoryPath,
    /// A Windows registry key.
    RegistryKey,
    /// A mutex name.
    Mutex,
    /// A MAC address.
    MacAddress,
    /// An autonomous system number.
    AutonomousSystem,
    /// A user account id or login.
    UserAccount,
    /// A process name.
    ProcessName,
    /// A process command line.
    CommandLine,
    /// A network port.
    Port,
    /// An HTTP User-Agent header value.
    UserAgent,
    /// An X.509 certificate serial number.
    CertificateSerial,
    /// A software name.
    Software,
    /// Any other property compared for equality.
    Other,
}

/// A typed value from an equality (`=`) or `IN` comparison that is not negated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observable {
    /// What the value is.
    pub kind: ObservableKind,
    /// The value as text (strings unescaped; other literals in pattern spelling).
    pub value: String,
    /// For hashes: the `hash-algorithm-ov` name (`SHA-256`), or the name as written.
    pub algorithm: Option<String>,
    /// The object type of the comparison.
    pub object_type: String,
    /// The property path after the `:`, in canonical spelling.
    pub property: String,
}

/// Everything [`Pattern::observables`] extracts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observables {
    /// Every comparison, in text order.
    pub comparisons: Vec<ComparisonInfo>,
    /// Typed values of the non-negated `=` and `IN` comparisons, in text order.
    pub observables: Vec<Observable>,
    /// `true` when the pattern is only a list of alternatives: `=`/`IN` comparisons joined by
    /// `OR` (inside or between observations), with no `NOT`, `AND`, `FOLLOWEDBY` or qualifier,
    /// so that any one of the observables matching means the pattern matches.
    pub flat: bool,
    /// Why the pattern is not flat (empty when it is).
    pub reasons: Vec<String>,
}

impl Pattern {
    /// Extracts the comparisons and typed observables of the pattern.
    pub fn observables(&self) -> Observables {
        let mut x = Extractor {
            out: Observables {
                comparisons: Vec::new(),
                observables: Vec::new(),
                flat: true,
                reasons: Vec::new(),
            },
            observation: 0,
        };
        x.observation(&self.root);
        x.out.flat = x.out.reasons.is_empty();
        x.out
    }
}

struct Extractor {
    out: Observables,
    observation: usize,
}

impl Extractor {
    fn reason(&mut self, r: String) {
        if !self.out.reasons.contains(&r) {
            self.out.reasons.push(r);
        }
    }

    fn observation(&mut self, e: &ObservationExpr) {
        match &e.kind {
            ObservationKind::Observation(c) => {
                self.comparison(c);
                self.observation += 1;
            }
            ObservationKind::Group(inner) => self.observation(inner),
            ObservationKind::Chain { op, operands } => {
                if *op != ObservationOp::Or {
                    self.reason(format!("observations joined by {}", op.as_str()));
                }
                operands.iter().for_each(|o| self.observation(o));
            }
            ObservationKind::Qualified { inner, qualifiers } => {
                for q in qualifiers {
                    self.reason(format!("{} qualifier", q.kind.name()));
                }
                self.observation(inner);
            }
        }
    }

    fn comparison(&mut self, c: &ComparisonExpr) {
        match &c.kind {
            ComparisonKind::Comparison(cmp) => self.leaf(cmp),
            ComparisonKind::Group(inner) => self.comparison(inner),
            ComparisonKind::Or(v) => v.iter().for_each(|o| self.comparison(o)),
            ComparisonKind::And(v) => {
                self.reason("comparisons joined by AND".into());
                v.iter().for_each(|o| self.comparison(o));
            }
        }
    }

    fn leaf(&mut self, c: &Comparison) {
        let full = c.path.to_string();
        let property = full[c.path.object_type.len() + 1..].to_string();
        let values: Vec<LiteralKind> = match &c.value {
            Some(Value::Literal(l)) => vec![l.kind.clone()],
            Some(Value::Set { items, .. }) => items.iter().map(|l| l.kind.clone()).collect(),
            None => Vec::new(),
        };
        if c.negated {
            self.reason("negated comparison (NOT)".into());
        }
        let equality = matches!(c.op, Operator::Eq | Operator::In);
        if !equality {
            self.reason(format!("operator {}", c.op.as_str()));
        }
        if equality && !c.negated {
            for v in &values {
                let text = match v {
                    LiteralKind::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let (kind, algorithm) = classify(&c.path, &text);
                self.out.observables.push(Observable {
                    kind,
                    value: text,
                    algorithm,
                    object_type: c.path.object_type.clone(),
                    property: property.clone(),
                });
            }
        }
        self.out.comparisons.push(ComparisonInfo {
            object_type: c.path.object_type.clone(),
            property,
            steps: c.path.steps.clone(),
            operator: c.op.as_str().to_string(),
            negated: c.negated,
            values,
            observation: self.observation,
        });
    }
}

fn address_kind(v: &str) -> ObservableKind {
    if v.contains('/') {
        if ipv4_or_cidr(v) {
            return ObservableKind::Ipv4Cidr;
        }
        if ipv6_or_cidr(v) {
            return ObservableKind::Ipv6Cidr;
        }
    } else if ipv4_or_cidr(v) {
        return ObservableKind::Ipv4;
    } else if ipv6_or_cidr(v) {
        return ObservableKind::Ipv6;
    }
    ObservableKind::Other
}

fn classify(path: &ObjectPath, value: &str) -> (ObservableKind, Option<String>) {
    use ObservableKind as K;
    if let Some(alg) = hash_algorithm(path) {
        let name = match hash_spec(alg) {
            HashSpec::Known(canon, _) => canon.to_string(),
            HashSpec::Unknown => alg.to_string(),
        };
        return (K::Hash, Some(name));
    }
    let names: Vec<&str> = path
        .steps
        .iter()
        .map(|s| match s {
            PathStep::Property(p) => p.as_str(),
            _ => "[]",
        })
        .collect();
    let kind = match (path.object_type.as_str(), names.as_slice()) {
        ("domain-name", ["value"]) => K::Domain,
        ("ipv4-addr", ["value"]) => {
            if value.contains('/') {
                K::Ipv4Cidr
            } else {
                K::Ipv4
            }
        }
        ("ipv6-addr", ["value"]) => {
            if value.contains('/') {
                K::Ipv6Cidr
            } else {
                K::Ipv6
            }
        }
        ("url", ["value"]) => K::Url,
        ("email-addr", ["value"]) => K::EmailAddress,
        ("email-message", [r, "value"] | [r, "[]", "value"])
            if matches!(
                *r,
                "from_ref" | "sender_ref" | "to_refs" | "cc_refs" | "bcc_refs"
            ) =>
        {
            K::EmailAddress
        }
        ("email-message", ["subject"]) => K::EmailSubject,
        ("file", ["name"]) => K::FileName,
        ("file", ["parent_directory_ref", "path"]) | ("directory", ["path"]) => K::DirectoryPath,
        ("windows-registry-key", ["key"]) => K::RegistryKey,
        ("mutex", ["name"]) => K::Mutex,
        ("mac-addr", ["value"]) => K::MacAddress,
        ("autonomous-system", ["number"]) => K::AutonomousSystem,
        ("user-account", ["user_id" | "account_login"]) => K::UserAccount,
        ("process", ["name"]) => K::ProcessName,
        ("process", ["command_line"]) => K::CommandLine,
        ("network-traffic", ["src_ref" | "dst_ref", "value"]) => address_kind(value),
        ("network-traffic", ["src_port" | "dst_port"]) => K::Port,
        ("network-traffic", [.., "request_header", h]) if h.eq_ignore_ascii_case("user-agent") => {
            K::UserAgent
        }
        ("x509-certificate", ["serial_number"]) => K::CertificateSerial,
        ("software", ["name"]) => K::Software,
        _ => K::Other,
    };
    (kind, None)
}
