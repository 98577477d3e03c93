//! Every line of `../shared/cases/pattern/cases.jsonl` as a test, plus one named test per case
//! id so that the kinds of fault show in the test list.

use serde_json::Value;
use stix_pattern::{parse, StixVersion};

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/cases/pattern/cases.jsonl"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the shared case file {path} must exist: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("each case line is JSON"))
        .collect()
}

fn version(v: &str) -> StixVersion {
    match v {
        "2.0" => StixVersion::V20,
        "2.1" => StixVersion::V21,
        other => panic!("unknown stix_version {other}"),
    }
}

fn verdict(
    id: &str,
) -> (
    bool,
    Result<stix_pattern::Pattern, Vec<stix_pattern::PatternError>>,
) {
    let all = cases();
    let case = all
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("case {id} is not in cases.jsonl"));
    let res = parse(
        case["pattern"].as_str().unwrap(),
        version(case["stix_version"].as_str().unwrap()),
    );
    (case["valid"].as_bool().unwrap(), res)
}

#[test]
fn every_case_line_has_the_expected_verdict() {
    let all = cases();
    assert!(
        all.len() >= 39,
        "expected the whole case file, got {} lines",
        all.len()
    );
    let mut wrong = Vec::new();
    for c in &all {
        let pattern = c["pattern"].as_str().unwrap();
        let res = parse(pattern, version(c["stix_version"].as_str().unwrap()));
        if res.is_ok() != c["valid"].as_bool().unwrap() {
            wrong.push(format!("{}: {pattern} -> {res:?}", c["id"]));
        }
        if let Err(errs) = &res {
            assert!(!errs.is_empty());
            for e in errs {
                assert!(
                    e.line >= 1 && e.column >= 1 && !e.message.is_empty(),
                    "{e:?}"
                );
            }
        }
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

macro_rules! case_tests {
    ($($name:ident => $id:literal),* $(,)?) => {$(
        #[test]
        fn $name() {
            let (valid, res) = verdict($id);
            assert_eq!(res.is_ok(), valid, "case {}: {:?}", $id, res);
        }
    )*};
}

case_tests! {
    b21_1_unescaped_apostrophe_ends_string => "B21-1",
    b21_2_escaped_apostrophe => "B21-2",
    b21_3_escaped_quote_then_paren => "B21-3",
    b21_4_four_escaped_apostrophes => "B21-4",
    b21_5_sql_doubled_quotes_rejected => "B21-5",
    b22_1_invalid_backslash_escapes => "B22-1",
    b22_2_doubled_backslashes => "B22-2",
    b22_3_command_line_backslashes => "B22-3",
    b22_4_registry_key_backslashes => "B22-4",
    b22_5_trailing_escaped_backslash => "B22-5",
    b22_6_trailing_backslash_unterminated => "B22-6",
    b23_1_regex_escape_not_string_escape => "B23-1",
    b23_2_regex_backslashes_doubled => "B23-2",
    b23_3_regex_escaped_dot => "B23-3",
    b24_1_base64_only_padding => "B24-1",
    b24_2_base64_padded => "B24-2",
    b24_3_base64_missing_padding => "B24-3",
    b24_4_hex_even => "B24-4",
    b24_5_hex_odd => "B24-5",
    b24_6_hex_non_digit => "B24-6",
    b26_1_start_stop_timestamps => "B26-1",
    b26_2_start_stop_strings_in_21 => "B26-2",
    b26_3_start_stop_strings_in_20 => "B26-3",
    b26_4_start_without_stop => "B26-4",
    b26_5_stop_without_start => "B26-5",
    b28_1_mixed_case_keyword => "B28-1",
    b28_2_negative_within => "B28-2",
    b28_3_lower_case_qualifier => "B28-3",
    b28_4_and_across_types_is_grammatical => "B28-4",
    b30_1_unquoted_hyphen_hash_key => "B30-1",
    b30_2_quoted_hash_key => "B30-2",
    b30_3_non_vocabulary_hash_key => "B30-3",
    b30_4_extension_and_wildcard => "B30-4",
    b30_5_unquoted_extension_key => "B30-5",
    b30_6_zero_index => "B30-6",
    b30_7_negative_index => "B30-7",
    b30_8_quoted_component_with_dot => "B30-8",
    b31_1_matches_on_bin => "B31-1",
    b31_2_matches_on_payload => "B31-2",
}
