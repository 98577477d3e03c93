//! `validate_cost MODE FILE`: one step of the validation pipeline on a
//! bundle file, for cost comparisons (see `scripts/bench/validate_cost.sh`).
//!
//! MODE: `value` (serde_json::Value, the peer), `typed` (BundleReader, the
//! typed model), `view` (the validator's borrowed JSON view), `validate_str`
//! (view + every rule, in memory), `validate_reader` (typed model + view +
//! every rule, streaming: what the `validate` program does).

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(mode), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: validate_cost value|typed|view|validate_str|validate_reader FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("readable file");
    let objects = match mode.as_str() {
        "value" => serde_json::from_str::<serde_json::Value>(&text)
            .map(|v| v["objects"].as_array().map_or(0, Vec::len))
            .unwrap_or(0),
        "typed" => libstix::core::BundleReader::new(text.as_bytes()).count(),
        "view" => libstix::core::json_view::JsonView::parse(&text)
            .ok()
            .and_then(|v| v.get("objects").and_then(|o| o.as_array().map(<[_]>::len)))
            .unwrap_or(0),
        "validate_str" => libstix::core::validate::validate_str(&text, &Default::default())
            .objects
            .len(),
        "validate_reader" => {
            libstix::core::validate::validate_reader(text.as_bytes(), &Default::default())
                .map(|r| r.objects.len())
                .unwrap_or(0)
        }
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    };
    println!("{mode}: {objects} objects");
}
