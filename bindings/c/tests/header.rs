//! The committed header must be what cbindgen generates from the current
//! source: C users compile against the committed file.

#[test]
fn committed_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/libstix.h"));
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/libstix.h");
    let committed = std::fs::read_to_string(committed_path)
        .unwrap_or_else(|e| panic!("cannot read {committed_path}: {e}"));
    assert!(
        generated == committed,
        "bindings/c/include/libstix.h is stale: regenerate it with \
         `LIBSTIX_UPDATE_HEADER=1 cargo build -p libstix-c` and commit it"
    );
}

#[test]
fn header_declares_every_entry_point() {
    let header = include_str!(concat!(env!("OUT_DIR"), "/libstix.h"));
    for name in [
        "stix_version",
        "stix_document_parse",
        "stix_document_object_json",
        "stix_validate",
        "stix_validate_path",
        "stix_reader_open_path",
        "stix_reader_next",
        "stix_pattern_check",
        "stix_bundle_builder_add_json",
        "stix_error_message",
        "stix_string_free",
    ] {
        assert!(
            header.contains(&format!(" {name}(")) || header.contains(&format!("*{name}(")),
            "{name} missing from libstix.h"
        );
    }
}
