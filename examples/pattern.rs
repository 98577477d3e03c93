//! `pattern [--stix-version 2.0|2.1] [--strict]`
//!
//! Reads one JSON string (a STIX pattern) per line on stdin and writes one JSON object per
//! line on stdout, in the same order:
//! `{"valid": bool, "errors": [{line, column, offset, message, expected, kind}], "warnings": [...],
//!   "canonical": "...", "observables": {...}}` (`canonical` and `observables` only when valid).
//! A line that is not a JSON string gets an error object of its own; the program never stops
//! early. `--strict` makes `AND` across object types inside one observation an error.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use libstix::pattern::{parse_with, ParseOptions, PatternError, StixVersion};
use serde_json::{json, Value};

fn usage() -> ExitCode {
    eprintln!("usage: pattern [--stix-version 2.0|2.1] [--strict] < patterns.jsonl");
    ExitCode::from(2)
}

fn error_json(e: &PatternError) -> Value {
    json!({
        "line": e.line,
        "column": e.column,
        "offset": e.offset,
        "message": e.message,
        "expected": e.expected,
        "kind": e.kind,
    })
}

fn judge(line: &[u8], options: &ParseOptions) -> Value {
    // Read the bytes as they are: JSON text must be UTF-8, and a lossy
    // conversion would judge a different pattern from the one given.
    let mut text = line;
    while let [rest @ .., b'\n' | b'\r'] = text {
        text = rest;
    }
    let pattern: String = match serde_json::from_slice::<Value>(text) {
        Ok(Value::String(s)) => s,
        Ok(other) => {
            return json!({"valid": false, "errors": [{
                "line": 1, "column": 1, "offset": 0,
                "message": format!("input is not a JSON string but {}", kind_of(&other)),
                "expected": ["JSON string"], "kind": "input"}], "warnings": []});
        }
        Err(e) => {
            return json!({"valid": false, "errors": [{
                "line": e.line().max(1), "column": e.column().max(1), "offset": 0,
                "message": format!("input line is not JSON: {e}"),
                "expected": ["JSON string"], "kind": "input"}], "warnings": []});
        }
    };
    match parse_with(&pattern, options) {
        Ok(p) => json!({
            "valid": true,
            "errors": [],
            "warnings": p.warnings.iter().map(error_json).collect::<Vec<_>>(),
            "canonical": p.canonical(),
            "observables": p.observables(),
        }),
        Err(errors) => json!({
            "valid": false,
            "errors": errors.iter().map(error_json).collect::<Vec<_>>(),
            "warnings": [],
        }),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn main() -> ExitCode {
    let mut options = ParseOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--stix-version" => {
                options.version = match args.next().as_deref() {
                    Some("2.0") => StixVersion::V20,
                    Some("2.1") => StixVersion::V21,
                    _ => return usage(),
                }
            }
            "--strict" => options.strict_object_types = true,
            _ => return usage(),
        }
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("pattern: reading stdin: {e}");
                return ExitCode::from(2);
            }
        }
        let result = judge(&line, &options);
        if writeln!(out, "{result}").is_err() {
            return ExitCode::from(2);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
