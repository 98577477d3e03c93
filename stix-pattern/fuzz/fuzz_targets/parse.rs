#![no_main]
//! Any input: no panic, no stack overflow, no hang; and every valid pattern's canonical form
//! parses back to the same tree and yields observables.

use libfuzzer_sys::fuzz_target;
use stix_pattern::{parse, StixVersion};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for version in [StixVersion::V21, StixVersion::V20] {
        match parse(text, version) {
            Ok(p) => {
                let canonical = p.canonical();
                let again = parse(&canonical, version)
                    .unwrap_or_else(|e| panic!("canonical {canonical:?} of {text:?} fails: {e:?}"));
                assert_eq!(again.without_spans().root, p.without_spans().root, "{canonical:?}");
                assert_eq!(again.canonical(), canonical);
                let _ = p.observables();
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(e.offset <= text.len() && e.line >= 1 && e.column >= 1);
                }
            }
        }
    }
});
