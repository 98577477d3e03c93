//! `validate [--json] [--strict] [--threads N] FILE...`
//!
//! Streams each file (a bundle or a lone object), parses every object into
//! the typed model and judges it by the STIX rules. Prints one line per
//! diagnostic (with `--json`, one JSON object per diagnostic on stdout),
//! in document order. Objects are parsed and judged on `--threads` worker
//! threads (default 0: one per core; 1 keeps everything on one thread).
//!
//! Exit status: 0 when every object is valid, 1 when any is invalid (or a
//! bundle-level rule is broken), 2 when a file cannot be read or is not
//! JSON. `--strict` judges strictly and turns warnings into failures.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use libstix::core::validate::{ValidatingReader, ValidationOptions};

// The typed model and the diagnostics allocate many small strings, and
// with worker threads they are freed on another thread than the one that
// made them: mimalloc handles both far better than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use libstix::core::{Diagnostic, Severity};

const USAGE: &str = "validate [--json] [--strict] [--threads N] [--] FILE...

  --json       one JSON object per diagnostic on stdout (file, object_id, path, rule,
               severity, message, line, column: where the fault is when known, else
               where its object starts; null for end-of-bundle findings
               such as references to objects not in the file)
  --strict     strict rule set, and any warning makes its object invalid
  --threads N  worker threads (0: one per core, the default; 1: no worker threads)

exit status: 0 every object valid, 1 some object or bundle invalid, 2 a file cannot be
read or is not JSON";

/// Marker for `--help` (printed to stdout, exit 0).
const HELP: &str = "\u{0}help";

struct Args {
    json: bool,
    strict: bool,
    threads: usize,
    files: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        json: false,
        strict: false,
        threads: 0,
        files: Vec::new(),
    };
    let mut argv = std::env::args().skip(1);
    while let Some(a) = argv.next() {
        match a.as_str() {
            "--" => {
                args.files.extend(argv.by_ref());
                break;
            }
            "--json" => args.json = true,
            "--strict" => args.strict = true,
            "--threads" => {
                let n = argv.next().ok_or("--threads needs a number")?;
                args.threads = n
                    .parse()
                    .map_err(|_| format!("--threads: `{n}` is not a number"))?;
            }
            "-h" | "--help" => return Err(HELP.into()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => args.files.push(a),
        }
    }
    if args.files.is_empty() {
        return Err("no FILE given".into());
    }
    Ok(args)
}

/// Counts over all files, for the exit status and the closing line.
#[derive(Default)]
struct Tally {
    objects: usize,
    invalid: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
    document_failures: usize,
}

fn emit(out: &mut impl Write, json: bool, file: &str, d: &Diagnostic, tally: &mut Tally) {
    match d.severity {
        Severity::Error => tally.errors += 1,
        Severity::Warning => tally.warnings += 1,
    }
    let _ = if json {
        let line = serde_json::json!({
            "file": file,
            "object_id": d.object_id,
            "path": d.path,
            "rule": d.rule,
            "severity": d.severity,
            "message": d.message,
            "line": d.line,
            "column": d.column,
        });
        writeln!(out, "{line}")
    } else {
        writeln!(out, "{file}: {d}")
    };
}

fn validate_file(out: &mut impl Write, args: &Args, file: &str, tally: &mut Tally) {
    let options = ValidationOptions {
        strict: args.strict,
        warnings_as_errors: args.strict,
        ..ValidationOptions::default()
    };
    let f = match File::open(file) {
        Ok(f) => f,
        Err(e) => {
            tally.unreadable += 1;
            let d = Diagnostic::error(None, "", "IO", format!("cannot read the file: {e}"));
            emit(out, args.json, file, &d, tally);
            return;
        }
    };
    let mut stream =
        ValidatingReader::new(std::io::BufReader::new(f), options).with_threads(args.threads);
    for item in stream.by_ref() {
        match item {
            Ok(v) => {
                tally.objects += 1;
                if !v.report.valid {
                    tally.invalid += 1;
                }
                for d in &v.report.diagnostics {
                    if d.line.is_some() {
                        emit(out, args.json, file, d, tally);
                    } else {
                        // Rules judge the parsed object, not its text: give
                        // where the object starts.
                        let mut d = d.clone();
                        d.line = Some(v.item.position.line);
                        d.column = Some(v.item.position.column);
                        emit(out, args.json, file, &d, tally);
                    }
                }
            }
            Err(e) => {
                // Malformed JSON or a read failure ends this file (exit 2);
                // well-formed JSON of the wrong shape (not an object, an
                // object too large) is invalid content (exit 1).
                let rule = match &e {
                    libstix::core::Error::Json { .. } => {
                        tally.unreadable += 1;
                        "STIX-JSON-01"
                    }
                    libstix::core::Error::Io(_) => {
                        tally.unreadable += 1;
                        "IO"
                    }
                    _ => {
                        tally.document_failures += 1;
                        "STIX-PARSE-02"
                    }
                };
                let mut d = Diagnostic::error(None, "", rule, e.to_string());
                if let libstix::core::Error::Json { line, column, .. }
                | libstix::core::Error::Shape { line, column, .. }
                | libstix::core::Error::TooLarge { line, column, .. } = &e
                {
                    d.line = Some(*line);
                    d.column = Some(*column);
                }
                emit(out, args.json, file, &d, tally);
                return;
            }
        }
    }
    let done = stream.finish();
    if let Some(lone) = &done.lone_object {
        tally.objects += 1;
        if !lone.valid {
            tally.invalid += 1;
        }
        for d in &lone.diagnostics {
            // A lone object is the whole document.
            let mut d = d.clone();
            d.line = d.line.or(Some(1));
            d.column = d.column.or(Some(1));
            emit(out, args.json, file, &d, tally);
        }
    }
    for d in done.diagnostics.iter().chain(&done.cross.diagnostics) {
        if d.is_error() || args.strict {
            tally.document_failures += 1;
        }
        emit(out, args.json, file, d, tally);
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) if msg == HELP => {
            println!("usage: {USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("validate: {msg}");
            eprintln!("usage: {USAGE}");
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut tally = Tally::default();
    for file in &args.files {
        validate_file(&mut out, &args, file, &mut tally);
    }
    let _ = out.flush();
    eprintln!(
        "validate: {} file(s), {} object(s), {} invalid, {} error(s), {} warning(s)",
        args.files.len(),
        tally.objects,
        tally.invalid,
        tally.errors,
        tally.warnings
    );
    if tally.unreadable > 0 {
        ExitCode::from(2)
    } else if tally.invalid > 0 || tally.document_failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
