//! Property: printing any syntax tree gives canonical text that parses back to the same tree
//! (spans aside), and printing is idempotent.

use proptest::prelude::*;
use stix_pattern::*;

const Z: Span = Span { start: 0, end: 0 };

fn lit(kind: LiteralKind) -> Literal {
    Literal { kind, span: Z }
}

fn timestamp() -> impl Strategy<Value = String> {
    (
        1000u32..3000,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..60,
        proptest::option::of("[0-9]{1,6}"),
    )
        .prop_map(|(y, mo, d, h, mi, s, frac)| {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
        })
}

fn literal_kind(allow_bool: bool) -> impl Strategy<Value = LiteralKind> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,40})".prop_map(LiteralKind::Int),
        "-?(0|[1-9][0-9]{0,4})?\\.[0-9]{1,5}".prop_map(LiteralKind::Float),
        any::<String>().prop_map(LiteralKind::String),
        "([0-9a-fA-F]{2}){0,8}".prop_map(LiteralKind::Hex),
        proptest::collection::vec(any::<u8>(), 1..16).prop_map(|b| {
            use base64::Engine as _;
            LiteralKind::Binary(base64::engine::general_purpose::STANDARD.encode(b))
        }),
        timestamp().prop_map(LiteralKind::Timestamp),
        any::<bool>().prop_map(LiteralKind::Bool),
    ]
    .prop_filter("booleans are not orderable", move |k| {
        allow_bool || !matches!(k, LiteralKind::Bool(_))
    })
}

fn path() -> impl Strategy<Value = ObjectPath> {
    let ty = prop_oneof![
        Just("file".to_string()),
        Just("ipv4-addr".to_string()),
        Just("network-traffic".to_string()),
        "[a-z][a-z0-9-]{2,12}",
        "[A-Za-z_][A-Za-z0-9_-]{0,8}".prop_filter("not reserved", |t| !matches!(
            t.as_str(),
            "AND"
                | "OR"
                | "NOT"
                | "IN"
                | "LIKE"
                | "LAST"
                | "START"
                | "STOP"
                | "true"
                | "false"
                | "TIMES"
                | "WITHIN"
                | "EXISTS"
                | "MATCHES"
                | "SECONDS"
                | "REPEATS"
                | "ISSUBSET"
                | "ISSUPERSET"
                | "FOLLOWEDBY"
        )),
    ];
    let name = prop_oneof![
        "[a-z_][a-z0-9_]{0,10}",
        any::<String>(),
        Just("SHA-256".to_string()),
        Just("IN".to_string())
    ];
    let step = prop_oneof![
        name.clone().prop_map(PathStep::Property),
        any::<u64>().prop_map(PathStep::Index),
        Just(PathStep::AnyIndex),
    ];
    (ty, name, proptest::collection::vec(step, 0..4)).prop_map(|(object_type, first, rest)| {
        let mut steps = vec![PathStep::Property(first)];
        steps.extend(rest);
        ObjectPath {
            object_type,
            steps,
            span: Z,
        }
    })
}

fn comparison() -> impl Strategy<Value = ComparisonExpr> {
    let op = prop_oneof![
        Just(Operator::Eq),
        Just(Operator::Neq),
        Just(Operator::Lt),
        Just(Operator::Le),
        Just(Operator::Gt),
        Just(Operator::Ge),
        Just(Operator::In),
        Just(Operator::Like),
        Just(Operator::Matches),
        Just(Operator::IsSubset),
        Just(Operator::IsSuperset),
        Just(Operator::Exists),
    ];
    (path(), any::<bool>(), op).prop_flat_map(|(path, negated, op)| {
        let value: BoxedStrategy<Option<Value>> = match op {
            Operator::Exists => Just(None).boxed(),
            Operator::In => proptest::collection::vec(literal_kind(true), 0..4)
                .prop_map(|v| {
                    Some(Value::Set {
                        items: v.into_iter().map(lit).collect(),
                        span: Z,
                    })
                })
                .boxed(),
            Operator::Like | Operator::Matches | Operator::IsSubset | Operator::IsSuperset => {
                any::<String>()
                    .prop_map(|s| Some(Value::Literal(lit(LiteralKind::String(s)))))
                    .boxed()
            }
            Operator::Eq | Operator::Neq => literal_kind(true)
                .prop_map(|k| Some(Value::Literal(lit(k))))
                .boxed(),
            _ => literal_kind(false)
                .prop_map(|k| Some(Value::Literal(lit(k))))
                .boxed(),
        };
        value.prop_map(move |value| ComparisonExpr {
            kind: ComparisonKind::Comparison(Box::new(Comparison {
                path: path.clone(),
                negated,
                op,
                value,
                span: Z,
            })),
            span: Z,
        })
    })
}

fn cmp_rank(e: &ComparisonExpr) -> u8 {
    match e.kind {
        ComparisonKind::And(_) => 1,
        ComparisonKind::Or(_) => 2,
        _ => 0,
    }
}

/// Wraps operands that would regroup when printed without parentheses, as a parser would
/// have produced them.
fn cmp_group(e: ComparisonExpr, rank: u8) -> ComparisonExpr {
    if cmp_rank(&e) >= rank {
        ComparisonExpr {
            kind: ComparisonKind::Group(Box::new(e)),
            span: Z,
        }
    } else {
        e
    }
}

fn comparison_expr() -> impl Strategy<Value = ComparisonExpr> {
    comparison().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| ComparisonExpr {
                kind: ComparisonKind::Group(Box::new(e)),
                span: Z
            }),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| ComparisonExpr {
                kind: ComparisonKind::And(v.into_iter().map(|e| cmp_group(e, 1)).collect()),
                span: Z
            }),
            proptest::collection::vec(inner, 2..4).prop_map(|v| ComparisonExpr {
                kind: ComparisonKind::Or(v.into_iter().map(|e| cmp_group(e, 2)).collect()),
                span: Z
            }),
        ]
    })
}

fn qualifiers() -> impl Strategy<Value = Vec<Qualifier>> {
    let within = prop_oneof!["[1-9][0-9]{0,6}", "(0|[1-9][0-9]{0,3})?\\.[0-9]{0,3}[1-9]"]
        .prop_map(|seconds| QualifierKind::Within { seconds });
    let repeats = "[1-9][0-9]{0,25}".prop_map(|times| QualifierKind::Repeats { times });
    let startstop = (timestamp(), timestamp()).prop_map(|(a, b)| QualifierKind::StartStop {
        start: lit(LiteralKind::Timestamp(a)),
        stop: lit(LiteralKind::Timestamp(b)),
    });
    (
        proptest::option::of(within),
        proptest::option::of(repeats),
        proptest::option::of(startstop),
        any::<u8>(),
    )
        .prop_map(|(a, b, c, rot)| {
            let mut v: Vec<Qualifier> = [a, b, c]
                .into_iter()
                .flatten()
                .map(|kind| Qualifier { kind, span: Z })
                .collect();
            let n = v.len().max(1);
            v.rotate_left(rot as usize % n);
            v
        })
}

fn obs_rank(e: &ObservationExpr) -> u8 {
    match &e.kind {
        ObservationKind::Chain {
            op: ObservationOp::And,
            ..
        } => 1,
        ObservationKind::Chain {
            op: ObservationOp::Or,
            ..
        } => 2,
        ObservationKind::Chain {
            op: ObservationOp::FollowedBy,
            ..
        } => 3,
        _ => 0,
    }
}

fn obs_group(e: ObservationExpr) -> ObservationExpr {
    ObservationExpr {
        kind: ObservationKind::Group(Box::new(e)),
        span: Z,
    }
}

fn observation_expr() -> impl Strategy<Value = ObservationExpr> {
    let leaf = comparison_expr().prop_map(|c| ObservationExpr {
        kind: ObservationKind::Observation(c),
        span: Z,
    });
    leaf.prop_recursive(4, 24, 4, |inner| {
        let op = prop_oneof![
            Just(ObservationOp::And),
            Just(ObservationOp::Or),
            Just(ObservationOp::FollowedBy)
        ];
        prop_oneof![
            inner.clone().prop_map(obs_group),
            (op, proptest::collection::vec(inner.clone(), 2..4)).prop_map(|(op, v)| {
                let rank = match op {
                    ObservationOp::And => 1,
                    ObservationOp::Or => 2,
                    ObservationOp::FollowedBy => 3,
                };
                let operands = v
                    .into_iter()
                    .map(|e| {
                        if obs_rank(&e) >= rank {
                            obs_group(e)
                        } else {
                            e
                        }
                    })
                    .collect();
                ObservationExpr {
                    kind: ObservationKind::Chain { op, operands },
                    span: Z,
                }
            }),
            (inner, qualifiers()).prop_filter_map("needs a qualifier", |(e, qualifiers)| {
                if qualifiers.is_empty() {
                    return None;
                }
                let e = match e.kind {
                    ObservationKind::Observation(_) | ObservationKind::Group(_) => e,
                    _ => obs_group(e),
                };
                Some(ObservationExpr {
                    kind: ObservationKind::Qualified {
                        inner: Box::new(e),
                        qualifiers,
                    },
                    span: Z,
                })
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn canonical_text_parses_back_to_the_same_tree(root in observation_expr()) {
        let ast = Pattern { root, version: StixVersion::V21, warnings: vec![] };
        let text = ast.canonical();
        let back = parse(&text, StixVersion::V21);
        prop_assert!(back.is_ok(), "{text:?} fails: {back:?}");
        let back = back.unwrap();
        prop_assert_eq!(&back.without_spans(), &ast.without_spans(), "{}", text);
        prop_assert_eq!(back.canonical(), text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse(&text, StixVersion::V21);
        let _ = parse(&text, StixVersion::V20);
    }

    #[test]
    fn valid_patterns_with_noise_reprint_stably(root in observation_expr(), ws in "[ \t\n]{0,3}") {
        // Same tree with comments and odd spacing around it: same canonical text.
        let ast = Pattern { root, version: StixVersion::V21, warnings: vec![] };
        let text = ast.canonical();
        let noisy = format!("{ws}/* lead */{ws}{text}{ws}// trail");
        let back = parse(&noisy, StixVersion::V21).unwrap();
        prop_assert_eq!(back.canonical(), text);
    }
}
