#![no_main]
//! Any input, as a document: no panic, no stack overflow, no hang in the streaming reader,
//! the validating reader (on one thread and on worker threads, which must agree item by
//! item), the whole-document parser and the in-memory validator; and every typed object
//! serialises to JSON that reads back to the same object.

use libfuzzer_sys::fuzz_target;
use stix_core::validate::{validate_reader, validate_str, ValidatingReader, ValidationOptions};
use stix_core::{parse_bundle, BundleReader, StixObject};

fuzz_target!(|data: &[u8]| {
    let options = ValidationOptions::default();
    let one: Vec<_> = ValidatingReader::new(data, options.clone()).collect();
    let many: Vec<_> = ValidatingReader::new(data, options.clone())
        .with_threads(2)
        .collect();
    assert_eq!(one, many, "threads disagree");

    let _ = validate_reader(data, &options);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = validate_str(text, &options);
    }
    let _ = parse_bundle(data);
    for item in BundleReader::new(data).flatten() {
        if let Some(o) = item.typed() {
            let json = serde_json::to_vec(&o.to_value()).unwrap();
            let again = stix_core::parse_object(&json)
                .unwrap_or_else(|e| panic!("serialised object does not read back: {e}"));
            assert_eq!(&again, o as &StixObject);
        }
    }
});
