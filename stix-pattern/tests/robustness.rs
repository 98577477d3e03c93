//! Deep nesting, long inputs, error positions and recovery.

use stix_pattern::{parse, ErrorKind, StixVersion, MAX_DEPTH};

#[test]
fn ten_thousand_nested_parentheses_give_an_error() {
    let p = format!("{}[a:b = 1]{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = parse(&p, StixVersion::V21).unwrap_err();
    assert_eq!(e[0].kind, ErrorKind::NestingTooDeep);
    let p = format!("[{}a:b = 1{}]", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(
        parse(&p, StixVersion::V21).unwrap_err()[0].kind,
        ErrorKind::NestingTooDeep
    );
    let p = "(".repeat(100_000);
    assert_eq!(
        parse(&p, StixVersion::V21).unwrap_err()[0].kind,
        ErrorKind::NestingTooDeep
    );
    let p = "[".repeat(100_000);
    assert!(parse(&p, StixVersion::V21).is_err());
}

#[test]
fn nesting_up_to_the_limit_is_fine_on_a_small_stack() {
    // One level is the [..]; the rest are parentheses. Run on a 1 MiB stack to show headroom.
    let depth = MAX_DEPTH - 1;
    let p = format!("{}[a:b = 1]{}", "(".repeat(depth), ")".repeat(depth));
    let over = format!("({p})");
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let ast = parse(&p, StixVersion::V21).expect("at the limit");
            assert_eq!(
                parse(&ast.canonical(), StixVersion::V21)
                    .unwrap()
                    .without_spans(),
                ast.without_spans()
            );
            drop(ast);
            assert_eq!(
                parse(&over, StixVersion::V21).unwrap_err()[0].kind,
                ErrorKind::NestingTooDeep
            );
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn long_flat_chains_do_not_nest() {
    // 50,000 observations and 50,000 comparisons: flat chains, so no deep recursion anywhere
    // (parse, validate, print, drop).
    let obs = vec!["[file:name = 'a']"; 50_000].join(" OR ");
    let p = parse(&obs, StixVersion::V21).unwrap();
    assert_eq!(p.observables().observables.len(), 50_000);
    assert_eq!(p.canonical(), obs);
    let cmp = format!("[{}]", vec!["file:name = 'a'"; 50_000].join(" AND "));
    assert!(parse(&cmp, StixVersion::V21).is_ok());
    let quals = format!("[a:b = 1]{}", " WITHIN 1 SECONDS".repeat(50_000));
    assert!(parse(&quals, StixVersion::V20).is_ok());
    let e = parse(&quals, StixVersion::V21).unwrap_err();
    assert_eq!(e.len(), 49_999);
}

#[test]
fn failing_inputs_are_not_quadratic() {
    // Inputs that would make a backtracking parser re-scan: each must still be rejected, and
    // the work must grow linearly (checked by counting, not by timing: a million-byte input
    // must finish within the default test timeout even in debug builds).
    let big = 200_000;
    let cases = [
        format!("[{}", "a:b = 1 AND ".repeat(big / 12)),
        format!("{}[a:b = 1]", "[a:b = 1] AND ".repeat(big / 14)) + " AND",
        format!("[a:b = '{}", "x".repeat(big)),
        format!("[a:b IN ({}", "1, ".repeat(big / 3)),
        format!("[a:b = 1] {}", "/* c */".repeat(big / 7)) + "/*",
        format!("[x:{} = 1]", "a.".repeat(big / 2)),
        format!("[x:a{} = 1", "[*]".repeat(big / 3)),
    ];
    for p in &cases {
        assert!(parse(p, StixVersion::V21).is_err());
    }
}

#[test]
fn error_positions_are_line_and_character_column() {
    let e = parse("[file:name = 'ü'\n  AND file:size = x]", StixVersion::V21).unwrap_err();
    assert_eq!((e[0].line, e[0].column), (2, 19));
    assert_eq!(e[0].offset, "[file:name = 'ü'\n  AND file:size = ".len());
    assert!(
        e[0].expected.iter().any(|x| x == "literal"),
        "{:?}",
        e[0].expected
    );
    // Columns count characters, not bytes.
    let e = parse("[x:y = 'ééé'] FOO", StixVersion::V21).unwrap_err();
    assert_eq!((e[0].line, e[0].column), (1, 15));
    assert_eq!(e[0].offset, 17);
}

#[test]
fn syntax_errors_say_what_was_expected() {
    let e = parse(
        "[file:name = 'a'] STOP t'2016-06-01T00:00:00Z'",
        StixVersion::V21,
    )
    .unwrap_err();
    let exp = &e[0].expected;
    for want in [
        "AND",
        "OR",
        "FOLLOWEDBY",
        "WITHIN",
        "REPEATS",
        "START",
        "end of pattern",
    ] {
        assert!(exp.iter().any(|x| x == want), "{want} missing from {exp:?}");
    }
    assert_eq!(e[0].column, 19);
    assert!(e[0].message.contains("STOP"), "{}", e[0].message);

    let e = parse("[file:name 'a']", StixVersion::V21).unwrap_err();
    for want in ["=", "IN", "LIKE", "NOT", "."] {
        assert!(
            e[0].expected.iter().any(|x| x == want),
            "{want} missing from {:?}",
            e[0].expected
        );
    }
    let e = parse("[file:name = 'a'", StixVersion::V21).unwrap_err();
    assert!(
        e[0].expected.iter().any(|x| x == "]"),
        "{:?}",
        e[0].expected
    );
    assert!(e[0].message.contains("end of pattern"));
}

#[test]
fn all_recoverable_errors_are_reported() {
    // Two bad escapes, an impossible date, an odd hex literal and a negative index: all five,
    // in text order.
    let p = "[directory:path = 'C:\\Windows\\System32' AND file:x[-1] = h'abc' OR file:created = t'2021-02-30T00:00:00Z']";
    let e = parse(p, StixVersion::V21).unwrap_err();
    let kinds: Vec<ErrorKind> = e.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::InvalidEscape,
            ErrorKind::InvalidEscape,
            ErrorKind::InvalidIndex,
            ErrorKind::InvalidHex,
            ErrorKind::InvalidTimestamp
        ]
    );
    // Validator errors are all collected too.
    let p = "[a:b = 1] WITHIN 0 SECONDS WITHIN 3 SECONDS AND [a:b = 2] REPEATS 0 TIMES";
    let e = parse(p, StixVersion::V21).unwrap_err();
    let kinds: Vec<ErrorKind> = e.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ErrorKind::NonPositiveQualifier,
            ErrorKind::DuplicateQualifier,
            ErrorKind::NonPositiveQualifier
        ]
    );
    assert_eq!(e[0].column, 18);
}

#[test]
fn spans_point_at_the_source_text() {
    use stix_pattern::{ComparisonKind, ObservationKind, Value};
    let src = "  [file:name = 'x' AND file:size > 10] WITHIN 5 SECONDS ";
    let p = parse(src, StixVersion::V21).unwrap();
    assert_eq!(
        &src[p.root.span.start..p.root.span.end],
        "[file:name = 'x' AND file:size > 10] WITHIN 5 SECONDS"
    );
    let ObservationKind::Qualified { inner, qualifiers } = &p.root.kind else {
        panic!()
    };
    assert_eq!(
        &src[qualifiers[0].span.start..qualifiers[0].span.end],
        "WITHIN 5 SECONDS"
    );
    let ObservationKind::Observation(c) = &inner.kind else {
        panic!()
    };
    assert_eq!(
        &src[c.span.start..c.span.end],
        "file:name = 'x' AND file:size > 10"
    );
    let ComparisonKind::And(v) = &c.kind else {
        panic!()
    };
    let ComparisonKind::Comparison(cmp) = &v[1].kind else {
        panic!()
    };
    assert_eq!(&src[cmp.span.start..cmp.span.end], "file:size > 10");
    assert_eq!(&src[cmp.path.span.start..cmp.path.span.end], "file:size");
    let Some(Value::Literal(l)) = &cmp.value else {
        panic!()
    };
    assert_eq!(&src[l.span.start..l.span.end], "10");
}

#[test]
fn pattern_is_send_and_owned() {
    fn assert_send<T: Send + 'static>(_: &T) {}
    let p = parse("[a:b = 1]", StixVersion::V21).unwrap();
    assert_send(&p);
    let h = std::thread::spawn(move || p.canonical());
    assert_eq!(h.join().unwrap(), "[a:b = 1]");
}

#[test]
fn syntax_errors_in_several_top_level_observations_are_all_reported() {
    let p =
        "[file:name = 'a' x] AND [file:size == ] OR [file:name = 'ok'] FOLLOWEDBY [url:value 'x']";
    let e = parse(p, StixVersion::V21).unwrap_err();
    let cols: Vec<usize> = e.iter().map(|e| e.column).collect();
    assert_eq!(cols, vec![18, 39, 85], "{e:#?}");
    assert!(e.iter().all(|e| e.kind == ErrorKind::Syntax));
    // An error at the top level between observations resumes at the next one.
    let e = parse("[a:b = 1] x [a:b = ] AND [c:d = 1]", StixVersion::V21).unwrap_err();
    assert_eq!(e.iter().map(|e| e.column).collect::<Vec<_>>(), vec![11, 20]);
    // No follow-on errors: recovery gives up inside parentheses and inside broken strings.
    let e = parse("([a:b = 1 x] AND [c:d = 2])", StixVersion::V21).unwrap_err();
    assert_eq!(e.len(), 1);
    let e = parse(
        "[file:name = 'report for o'brien.doc'] AND [a:b = 1]",
        StixVersion::V21,
    )
    .unwrap_err();
    assert_eq!(e.len(), 1, "{e:#?}");
    let e = parse("[a:b = 1 x] AND [c:d = 2] AND [e:f = 3]", StixVersion::V21).unwrap_err();
    assert_eq!(e.len(), 1);
}
