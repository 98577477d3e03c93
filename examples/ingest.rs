//! `ingest`: the main job.
//!
//! ```text
//! ingest [FILE...] [--taxii-url URL --collection ID [--user U --password P | --token T]]
//!        [--db PATH] [--out DIR] [--config FILE] [--strict] [--json] [--now TIMESTAMP]
//!        [--publish COLLECTION --publish-indicator KIND:VALUE... [--publish-tlp LEVEL]]
//! ```
//!
//! Reads bundles from files (by default the sample feed in
//! `data/sample-feed.json`) or from a TAXII collection (polled
//! incrementally from the checkpoint kept in the store), validates every
//! object, stores the valid ones in the SQLite store (`--db`, default
//! `./out/libstix.db`), routes the store's current state (built-in routes
//! or `--config`) and writes each destination's outputs under `--out DIR`
//! (default `./out`), one folder per destination. Prints the summary
//! table (or, with `--json`, the report as JSON). Progress goes to stderr
//! when it is a terminal.
//!
//! `--publish COLLECTION` posts indicators built from
//! `--publish-indicator domain:evil.example` (TLP:GREEN unless
//! `--publish-tlp`) to that collection of the `--taxii-url` server, after
//! checking them against the collection's ceiling from the configuration.
//!
//! Exit status: 0 when every source was read (invalid objects are reported,
//! not fatal), 2 when a source could not be read, 1 on any other failure
//! (store, outputs, configuration, a refused publication).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use libstix::core::Timestamp;
use libstix::pipeline::{
    build_indicator, ingest, publish, render_text, tlp_from_label, IngestConfig, IngestOptions,
    PublishRequest, Source, TaxiiSource,
};
use libstix::taxii::{Auth, Secret, WaitOptions};

struct Args {
    files: Vec<PathBuf>,
    taxii_url: Option<String>,
    collection: Option<String>,
    user: Option<String>,
    password: Option<String>,
    token: Option<String>,
    db: Option<PathBuf>,
    out: Option<PathBuf>,
    config: Option<PathBuf>,
    strict: bool,
    json: bool,
    now: Option<String>,
    publish: Option<String>,
    publish_indicators: Vec<String>,
    publish_tlp: Option<String>,
}

const USAGE: &str = "usage: ingest [FILE...] [--taxii-url URL --collection ID [--user U --password P | --token T]] [--db PATH] [--out DIR] [--config FILE] [--strict] [--json] [--now TIMESTAMP] [--publish COLLECTION --publish-indicator KIND:VALUE... [--publish-tlp LEVEL]]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        files: Vec::new(),
        taxii_url: None,
        collection: None,
        user: None,
        password: None,
        token: None,
        db: None,
        out: None,
        config: None,
        strict: false,
        json: false,
        now: None,
        publish: None,
        publish_indicators: Vec::new(),
        publish_tlp: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--taxii-url" => a.taxii_url = Some(value("--taxii-url")?),
            "--collection" => a.collection = Some(value("--collection")?),
            "--user" => a.user = Some(value("--user")?),
            "--password" => a.password = Some(value("--password")?),
            "--token" => a.token = Some(value("--token")?),
            "--db" => a.db = Some(value("--db")?.into()),
            "--out" => a.out = Some(value("--out")?.into()),
            "--config" => a.config = Some(value("--config")?.into()),
            "--now" => a.now = Some(value("--now")?),
            "--publish" => a.publish = Some(value("--publish")?),
            "--publish-indicator" => a.publish_indicators.push(value("--publish-indicator")?),
            "--publish-tlp" => a.publish_tlp = Some(value("--publish-tlp")?),
            "--strict" => a.strict = true,
            "--json" => a.json = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => a.files.push(arg.into()),
        }
    }
    Ok(a)
}

fn auth(a: &Args) -> Result<Auth, String> {
    match (&a.user, &a.password, &a.token) {
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
            Err("give either --user/--password or --token".into())
        }
        (Some(u), Some(p), None) => Ok(Auth::Basic {
            user: u.clone(),
            password: Secret::new(p.clone()),
        }),
        (Some(_), None, None) | (None, Some(_), None) => {
            Err("--user and --password go together".into())
        }
        (None, None, Some(t)) => Ok(Auth::Bearer(Secret::new(t.clone()))),
        (None, None, None) => Ok(Auth::None),
    }
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("ingest: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if e.is_empty() { 0 } else { 2 });
        }
    };
    let auth = match auth(&a) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("ingest: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match &a.config {
        Some(p) => match IngestConfig::from_file(p) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("ingest: {e}");
                return ExitCode::from(1);
            }
        },
        None => IngestConfig::default_config(),
    };
    let now = match a.now.as_deref().map(Timestamp::parse).transpose() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("ingest: --now: {e}");
            return ExitCode::from(2);
        }
    };

    if let Some(target) = &a.publish {
        return run_publish(&a, target, auth, &config, now);
    }

    let mut sources: Vec<Source> = a.files.iter().cloned().map(Source::File).collect();
    match (&a.taxii_url, &a.collection) {
        (Some(url), Some(c)) => sources.push(Source::Taxii(TaxiiSource {
            url: url.clone(),
            collection: c.clone(),
            auth,
        })),
        (None, None) => {}
        _ => {
            eprintln!("ingest: --taxii-url and --collection go together\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if sources.is_empty() {
        sources.push(Source::File(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample-feed.json"),
        ));
    }
    let mut options = IngestOptions::new(sources);
    if let Some(db) = a.db.clone() {
        options.db = db;
    } else if let Some(out) = &a.out {
        options.db = out.join("libstix.db");
    }
    if let Some(out) = a.out.clone() {
        options.out_dir = out;
    }
    options.config = config;
    options.validation.strict = a.strict;
    options.now = now;
    // On a terminal: a live line every 1,000 objects; otherwise a plain
    // line every 100,000 so logs of long runs show life without noise.
    let tty = std::io::stderr().is_terminal();
    options.progress_every = if tty { 1_000 } else { 100_000 };
    let every = options.progress_every;
    let mut last_bucket = 0u64;
    let mut progress = |p: &libstix::pipeline::Progress| {
        if tty {
            eprint!("\r\x1b[2K{} {}: {} objects", p.stage, p.what, p.done);
            if p.total.is_some() || p.stage != "reading" {
                eprintln!();
            }
        } else if p.stage == "reading" && p.done / every > last_bucket {
            // Pages arrive in arbitrary sizes: print once per N objects.
            last_bucket = p.done / every;
            eprintln!("{} {}: {} objects", p.stage, p.what, p.done);
        }
    };
    match ingest(&options, &mut progress) {
        Ok(report) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                );
            } else {
                print!("{}", render_text(&report));
            }
            if report.all_sources_read() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("ingest: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_publish(
    a: &Args,
    target: &str,
    auth: Auth,
    config: &IngestConfig,
    now: Option<Timestamp>,
) -> ExitCode {
    let Some(url) = &a.taxii_url else {
        eprintln!("ingest: --publish needs --taxii-url\n{USAGE}");
        return ExitCode::from(2);
    };
    if a.publish_indicators.is_empty() {
        eprintln!("ingest: --publish needs at least one --publish-indicator KIND:VALUE");
        return ExitCode::from(2);
    }
    let tlp = match a.publish_tlp.as_deref().map(tlp_from_label) {
        None => libstix::core::tlp::TlpLevel::Green,
        Some(Some(l)) => l,
        Some(None) => {
            eprintln!("ingest: --publish-tlp: clear, green, amber, amber+strict or red");
            return ExitCode::from(2);
        }
    };
    let now = now.unwrap_or_else(Timestamp::now_millis);
    let mut objects = Vec::new();
    for spec in &a.publish_indicators {
        match build_indicator(spec, tlp, &now) {
            Ok(o) => objects.push(o),
            Err(e) => {
                eprintln!("ingest: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let request = PublishRequest {
        target: TaxiiSource {
            url: url.clone(),
            collection: target.to_owned(),
            auth,
        },
        objects,
        wait: WaitOptions::default(),
    };
    match publish(&request, &config.publish, config.router.marking_settings()) {
        Ok(out) => {
            if a.json {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                println!(
                    "== publish to collection {} (ceiling {}) ==",
                    out.collection, out.ceiling
                );
                for (id, l) in &out.sent {
                    println!("  sent    {id} ({l})");
                }
                for r in &out.refused {
                    println!("  REFUSED {} ({}): {}", r.id, r.tlp, r.reason);
                }
                println!(
                    "status {}: {} added, {} failed, {} pending",
                    out.status_ids.join(", "),
                    out.success_count,
                    out.failures.len(),
                    out.pending_count
                );
                for f in &out.failures {
                    println!(
                        "  failed {} {}: {}",
                        f.id,
                        f.version,
                        f.message.as_deref().unwrap_or("")
                    );
                }
            }
            if out.failures.is_empty() && out.refused.is_empty() && out.pending_count == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("ingest: {e}");
            ExitCode::from(1)
        }
    }
}
