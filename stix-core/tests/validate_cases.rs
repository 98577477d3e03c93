//! One test per regression case of `../shared/cases/model/` and the
//! model-related ones of `../shared/cases/bindings/`, each asserting the
//! case's expected verdict with the validator.

use std::path::PathBuf;

use serde_json::Value;
use stix_core::validate::{validate_str, BundleReport, ValidationOptions};

fn shared() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    assert!(p.is_dir(), "../shared is missing: {}", p.display());
    p
}

fn run_case(dir: &str, name: &str) -> BundleReport {
    let base = shared().join("cases").join(dir);
    let input = std::fs::read_to_string(base.join(format!("{name}.json"))).unwrap();
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(base.join(format!("{name}.expect.json"))).unwrap(),
    )
    .unwrap();
    // The cases give the strict verdict (lenient modes are noted apart);
    // warnings stay warnings.
    let options = ValidationOptions {
        strict: true,
        ..ValidationOptions::default()
    };
    let report = validate_str(&input, &options);
    let streamed = stix_core::validate::validate_reader(input.as_bytes(), &options).unwrap();
    assert_eq!(
        report.valid(),
        streamed.valid(),
        "{name}: streaming verdict differs"
    );
    assert_eq!(report.unresolved_refs, streamed.unresolved_refs, "{name}");
    assert_eq!(report.duplicates, streamed.duplicates, "{name}");
    let dump = || {
        report
            .all_diagnostics()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        report.valid(),
        expect["valid"].as_bool().unwrap(),
        "{name}: verdict; diagnostics:\n{}",
        dump()
    );
    if let Some(needle) = expect["error_contains"].as_str() {
        assert!(
            report
                .all_diagnostics()
                .any(|d| d.is_error() && (d.message.contains(needle) || d.path.contains(needle))),
            "{name}: no error mentions `{needle}`; diagnostics:\n{}",
            dump()
        );
    }
    if let Some(n) = expect["unresolved_refs"].as_u64() {
        assert_eq!(
            report.unresolved_refs.len() as u64,
            n,
            "{name}: unresolved refs"
        );
    }
    if let Some(n) = expect["duplicates"].as_u64() {
        assert_eq!(report.duplicates.len() as u64, n, "{name}: duplicates");
    } else {
        assert!(report.duplicates.is_empty(), "{name}");
    }
    if expect["spec_version"].as_str() == Some("2.0") {
        assert!(
            report
                .objects
                .iter()
                .all(|o| o.spec_version.as_str() == "2.0"),
            "{name}: objects must be judged as STIX 2.0"
        );
    }
    report
}

macro_rules! cases {
    ($dir:literal: $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_case($dir, stringify!($name));
            }
        )*
    };
}

mod model {
    use super::*;
    cases!("model":
        bundle21_with_v20_object,
        bundle_with_spec_version_21,
        created_by_ref_embedded_object,
        created_second_precision,
        extension_type_not_in_enum,
        file_with_user_account_extension,
        granular_selector_list_index,
        granular_selector_out_of_range,
        infrastructure_missing_spec_version,
        observed_data_object_refs_only,
        observed_data_objects_and_object_refs,
        property_extension_unknown_definition,
        ref_with_non_uuid_id,
        relationship_dangling_ref,
        same_id_same_modified_different_content,
        sighting_where_sighted_location,
        toplevel_property_extension,
        ts_empty_fraction,
        ts_no_zone_and_space,
        ts_numeric_utc_offset,
        v20_created_microseconds,
        v20_valid_from_whole_seconds,
        valid_from_second_precision,
    );
}

mod bindings {
    use super::*;
    cases!("bindings":
        ms_precision_preserved_on_output,
        python_access_nanosecond_timestamp,
    );
}

#[test]
fn every_case_file_has_a_test() {
    let listed = include_str!("validate_cases.rs");
    for dir in ["model", "bindings"] {
        for entry in std::fs::read_dir(shared().join("cases").join(dir)).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(stem) = name.strip_suffix(".expect.json") {
                assert!(
                    listed.contains(&format!("        {stem},")),
                    "case {dir}/{stem} has no test"
                );
            }
        }
    }
}
