//! The streaming reader and the whole-document functions on good and bad
//! input: same objects either way, absolute error positions, no panics on
//! hostile input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use stix_core::{parse_bundle, BundleReader, Error, ItemObject, ParsedItem};

/// A reader that hands out at most `n` bytes per call, to cut the input at
/// every possible place (inside strings, escapes, keys, numbers).
struct Trickle<'a> {
    data: &'a [u8],
    n: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.n.min(buf.len()).min(self.data.len());
        buf[..k].copy_from_slice(&self.data[..k]);
        self.data = &self.data[k..];
        Ok(k)
    }
}

fn stream_all<R: Read>(r: R) -> Result<Vec<ParsedItem>, Error> {
    BundleReader::new(r).collect()
}

fn generated(n: usize) -> PathBuf {
    let gen = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/gen_bundle.py");
    assert!(gen.is_file(), "../shared/corpus/gen_bundle.py is missing");
    let out = std::env::temp_dir().join(format!(
        "stix-core-reader-test-{n}-{}.json",
        std::process::id()
    ));
    let st = Command::new("python3")
        .arg(&gen)
        .arg(n.to_string())
        .arg("-o")
        .arg(&out)
        .arg("--indent")
        .arg("1")
        .status()
        .expect("python3 runs");
    assert!(st.success());
    out
}

#[test]
fn streaming_equals_whole_parse_on_generated_bundle() {
    let path = generated(3000);
    let text = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    let input: Value = serde_json::from_slice(&text).unwrap();
    let elements = input["objects"].as_array().unwrap();
    assert_eq!(elements.len(), 3000);

    let whole = parse_bundle(&text).unwrap();
    assert_eq!(whole.items.len(), 3000);
    assert_eq!(
        whole.diagnostics().count(),
        0,
        "{:?}",
        whole.diagnostics().next()
    );
    assert_eq!(whole.to_value(), input);

    let streamed = stream_all(std::io::Cursor::new(&text)).unwrap();
    assert_eq!(streamed, whole.items);
    for (item, el) in streamed.iter().zip(elements) {
        assert_eq!(&item.to_value(), el);
    }
    // Odd chunk sizes cut strings, escapes and keys at every place.
    let tricky = stream_all(Trickle {
        data: &text[..200_000.min(text.len())],
        n: 7,
    });
    assert!(tricky.is_err(), "a truncated bundle must be an error");
    let seven = stream_all(Trickle { data: &text, n: 7 }).unwrap();
    assert_eq!(seven, whole.items);
}

const ESCAPES: &str = r#"{"objects": [
  {"type": "note", "spec_version": "2.1", "id": "note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
   "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z",
   "content": "a \"quoted\" ]} {[ back\\slash \\\" \u00e9 \ud83d\ude00", "object_refs": ["note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"],
   "x_n\"ame": [1, 2.5, -3e2, true, false, null, {"a": [[]]}]},
  {"type": "x-custom-thing", "id": "x-custom-thing--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0062", "x_val": "\\"}
 ],
 "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "x_tail": {"k": "]"}, "type": "bundle"}"#;

#[test]
fn keys_in_any_order_and_escapes_across_chunks() {
    let input: Value = serde_json::from_str(ESCAPES).unwrap();
    for n in [1, 2, 3, 5, 64, 1 << 20] {
        let mut r = BundleReader::new(Trickle {
            data: ESCAPES.as_bytes(),
            n,
        });
        let items: Vec<_> = r.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(items.len(), 2);
        assert!(items
            .iter()
            .all(|i| matches!(i.object, ItemObject::Typed(_))));
        assert_eq!(items[0].to_value(), input["objects"][0], "chunk {n}");
        assert_eq!(items[1].to_value(), input["objects"][1], "chunk {n}");
        assert_eq!(items[1].typed().unwrap().type_name(), "x-custom-thing");
        assert_eq!((items[1].position.line, items[1].position.column), (6, 3));
        let h = r.header();
        assert_eq!(h.type_name.as_deref(), Some("bundle"));
        assert_eq!(
            h.id.as_deref(),
            Some("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d")
        );
        assert_eq!(h.custom["x_tail"], serde_json::json!({"k": "]"}));
        assert_eq!(h.object_count, 2);
    }
    let doc = parse_bundle(ESCAPES.as_bytes()).unwrap();
    assert_eq!(doc.to_value(), input);
}

fn json_error(r: Result<stix_core::ParsedDocument, Error>) -> (u64, u64, String) {
    match r {
        Err(Error::Json {
            line,
            column,
            message,
        }) => (line, column, message),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn malformed_json_has_absolute_line_and_column() {
    // Inside the third line's object: a missing colon.
    let text = "{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n \"objects\": [\n  {\"type\": \"x-a\", \"id\" \"x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\"}\n]}";
    let (line, column, _) = json_error(parse_bundle(text.as_bytes()));
    assert_eq!((line, column), (3, 24));
    // Missing comma between elements.
    let text = "{\"objects\": [\n {\"type\": \"x-a\", \"id\": \"x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\"}\n {}]}";
    let (line, column, m) = json_error(parse_bundle(text.as_bytes()));
    assert_eq!((line, column), (3, 2), "{m}");
    // Truncated input, trailing comma, trailing garbage, empty input.
    for bad in [
        "{\"objects\": [{\"type\": \"x-a\"",
        "{\"objects\": [{}, ]}",
        "{\"objects\": []} x",
        "",
        "{\"type\": \"bundle\",}",
        "{\"objects\": [1 2]}",
    ] {
        assert!(
            matches!(parse_bundle(bad.as_bytes()), Err(Error::Json { .. })),
            "{bad:?}"
        );
    }
    assert!(matches!(parse_bundle(b"[1]"), Err(Error::Shape { .. })));
    // The good objects before a syntax error were already yielded by the
    // streaming reader.
    let text = "{\"objects\": [{\"type\": \"x-a\", \"id\": \"x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\"}, {\"type\": }]}";
    let got: Vec<_> = BundleReader::new(text.as_bytes()).collect();
    assert_eq!(got.len(), 2);
    assert!(got[0].is_ok());
    assert!(got[1].is_err());
}

#[test]
fn hostile_input_gives_errors_not_panics() {
    // 10,000 nested arrays inside an object, inside a bundle-level value,
    // and as a lone object's property.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let in_object = format!("{{\"objects\": [{{\"type\": \"x-a\", \"id\": \"x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\", \"x_deep\": {deep}}}]}}");
    // Grammatical JSON beyond the parser's depth limit inside one element
    // of `objects` makes that element invalid, not the bundle unreadable.
    let doc = parse_bundle(in_object.as_bytes()).unwrap();
    assert_eq!(doc.items.len(), 1);
    assert!(matches!(doc.items[0].object, ItemObject::Raw(_)));
    let d = &doc.items[0].diagnostics[0];
    assert!(d.is_error() && d.message.contains("recursion limit"), "{d}");
    // The same for a deep element that is not an object at all, beside a
    // good one, and through the validating reader.
    let beside = format!("{{\"objects\": [{{\"type\": \"x-a\", \"id\": \"x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061\"}}, {deep}]}}");
    let doc = parse_bundle(beside.as_bytes()).unwrap();
    assert_eq!(doc.items.len(), 2);
    assert!(doc.items[0].typed().is_some());
    assert!(doc.items[1].diagnostics[0]
        .message
        .contains("recursion limit"));
    for threads in [1, 2] {
        let items: Vec<_> =
            stix_core::validate::ValidatingReader::new(beside.as_bytes(), Default::default())
                .with_threads(threads)
                .collect::<Result<_, _>>()
                .unwrap();
        assert!(items[0].report.valid && !items[1].report.valid);
    }
    let in_header = format!("{{\"x_deep\": {deep}, \"objects\": []}}");
    assert!(matches!(
        parse_bundle(in_header.as_bytes()),
        Err(Error::Json { .. })
    ));
    let lone = format!("{{\"type\": \"x-a\", \"x_deep\": {deep}}}");
    assert!(stix_core::parse_object(lone.as_bytes()).is_err());
    // As a document, the lone object is read as one invalid item.
    let doc = stix_core::parse_document(lone.as_bytes()).unwrap();
    assert!(doc.items[0].diagnostics[0]
        .message
        .contains("recursion limit"));
    // Unbalanced: never closes.
    assert!(parse_bundle("[".repeat(100_000).as_bytes()).is_err());
    let open = format!("{{\"objects\": [{}", "[".repeat(100_000));
    assert!(parse_bundle(open.as_bytes()).is_err());

    // Invalid UTF-8 inside a string.
    let mut bad = br#"{"objects": [{"type": "x-a", "id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "x_s": "ab"#.to_vec();
    bad.extend_from_slice(&[0xff, 0xfe]);
    bad.extend_from_slice(br#""}]}"#);
    assert!(matches!(parse_bundle(&bad), Err(Error::Json { .. })));

    // A huge string beyond the reader's limit.
    let huge = format!(
        "{{\"objects\": [{{\"type\": \"x-a\", \"x_s\": \"{}\"}}]}}",
        "a".repeat(3_000_000)
    );
    let r: Result<Vec<_>, _> = BundleReader::new(huge.as_bytes())
        .with_max_object_size(1_000_000)
        .collect();
    match r {
        Err(Error::TooLarge {
            path,
            limit,
            line,
            column,
        }) => {
            assert_eq!(path, "/objects/0");
            assert_eq!(limit, 1_000_000);
            assert_eq!((line, column), (1, 14));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn wrong_json_types_are_located_diagnostics() {
    let text = r#"{"type": "bundle", "id": 7, "objects": [
      5,
      {"id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"},
      {"type": ["x"], "id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"},
      {"type": "campaign", "spec_version": "2.1", "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
       "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z", "name": 12},
      {"type": "campaign", "spec_version": "2.1", "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
       "created": "2016-05-12T08:17:27.000Z", "modified": "2016-05-12T08:17:27.000Z", "name": "ok",
       "external_references": [{"source_name": "x", "external_id": 17}]},
      {"type": "campaign", "spec_version": "2.1", "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "name": "good"}
    ]}"#;
    let doc = parse_bundle(text.as_bytes()).unwrap();
    let header = doc.bundle.as_ref().unwrap();
    assert_eq!(header.diagnostics.len(), 1);
    assert_eq!(header.diagnostics[0].path, "/id");
    assert_eq!(header.custom["id"], 7);
    let paths: Vec<(String, String)> = doc
        .items
        .iter()
        .flat_map(|i| {
            i.diagnostics
                .iter()
                .map(|d| (d.path.clone(), d.rule.clone()))
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            ("/objects/0".to_owned(), "STIX-PARSE-02".to_owned()),
            ("/objects/1".to_owned(), "STIX-PARSE-02".to_owned()),
            ("/objects/2".to_owned(), "STIX-PARSE-02".to_owned()),
            ("/objects/3/name".to_owned(), "STIX-PARSE-01".to_owned()),
            (
                "/objects/4/external_references/0/external_id".to_owned(),
                "STIX-PARSE-01".to_owned()
            ),
        ]
    );
    let d = &doc.items[4].diagnostics[0];
    assert_eq!(d.line, Some(9));
    assert!(
        d.message.contains("external_references[0].external_id"),
        "{}",
        d.message
    );
    assert_eq!(
        d.object_id.as_deref(),
        Some("campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061")
    );
    // The good object after the bad ones is typed.
    assert!(matches!(doc.items[5].object, ItemObject::Typed(_)));
    let input: Value = serde_json::from_str(text).unwrap();
    assert_eq!(doc.to_value(), input);
}

/// A property named twice at the top level of the document is an error
/// wherever the document is read: JSON parsers keep the last value
/// silently, which would hide the first (say, a TLP:RED marking).
#[test]
fn repeated_top_level_property_is_an_error() {
    let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let green = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    let lone = format!(
        r#"{{"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z", "pattern": "[domain-name:value = 'dup.example']", "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z", "object_marking_refs": ["{red}"], "object_marking_refs": ["{green}"]}}"#
    );
    let in_memory = stix_core::validate::validate_str(&lone, &Default::default());
    assert!(!in_memory.objects[0].valid);
    for threads in [1, 2] {
        let mut reader =
            stix_core::validate::ValidatingReader::new(lone.as_bytes(), Default::default())
                .with_threads(threads);
        assert_eq!(reader.by_ref().count(), 0);
        let report = reader.finish().lone_object.expect("a lone object");
        assert!(!report.valid, "{threads} thread(s): {report:?}");
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.rule == "STIX-VAL-02")
            .expect("the repeated name is reported");
        assert_eq!(d.path, "/object_marking_refs");
        assert_eq!(d.object_id, report.id);
        assert_eq!(
            (d.line, d.column),
            (
                Some(1),
                Some(lone.rfind("\"object_marking_refs\"").unwrap() as u64 + 1)
            )
        );
    }

    // The reader's other findings are about bundles: a lone object with a
    // property named `objects` gets none of them.
    let custom =
        r#"{"type": "x-a", "id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "objects": 5}"#;
    let mut reader =
        stix_core::validate::ValidatingReader::new(custom.as_bytes(), Default::default());
    assert_eq!(reader.by_ref().count(), 0);
    let report = reader.finish().lone_object.expect("a lone object");
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| !d.message.contains("bundle")),
        "{:?}",
        report.diagnostics
    );

    // At bundle level: reported on the bundle, the objects still read.
    let bundle = r#"{"type": "bundle", "id": "bundle--6d1f3b52-2c4a-4f9e-8e21-0a6b4d2f8c01", "id": "bundle--6d1f3b52-2c4a-4f9e-8e21-0a6b4d2f8c02", "objects": [{"type": "x-a", "id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"}]}"#;
    let mut reader =
        stix_core::validate::ValidatingReader::new(bundle.as_bytes(), Default::default());
    assert_eq!(reader.by_ref().count(), 1);
    let done = reader.finish();
    assert!(done
        .diagnostics
        .iter()
        .any(|d| d.rule == "STIX-VAL-02" && d.path == "/id" && d.is_error()));
    // A name that only repeats inside different objects is fine.
    let fine = r#"{"type": "bundle", "id": "bundle--6d1f3b52-2c4a-4f9e-8e21-0a6b4d2f8c01", "objects": [{"type": "x-a", "id": "x-a--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"}]}"#;
    let mut reader =
        stix_core::validate::ValidatingReader::new(fine.as_bytes(), Default::default());
    assert_eq!(reader.by_ref().count(), 1);
    assert!(reader
        .finish()
        .diagnostics
        .iter()
        .all(|d| d.rule != "STIX-VAL-02"));
}
