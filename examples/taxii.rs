//! `taxii`: a small TAXII 2.1 command-line client on `libstix::taxii`.
//!
//! ```text
//! taxii --url URL [--user U --password P | --token T] [--api-root URL]
//!       [--ca-bundle PEM] [--timeout SECS] COMMAND
//!
//!   discover                          discovery resource and API roots
//!   collections                       one JSON line per collection
//!   fetch COLLECTION_ID [--added-after T] [--limit N] [--version all|first|last]
//!         [--type T]...               one STIX object per line on stdout
//!   push COLLECTION_ID FILE           post a bundle / envelope / array / JSON lines;
//!                                     prints the final status
//!   poll COLLECTION_ID --state FILE [--overlap SECS] [--limit N]
//!                                     only the objects new since the last poll
//! ```
//!
//! `URL` is the discovery URL (e.g. `http://127.0.0.1:8080/taxii2/`).
//! Summaries and warnings go to stderr; the exit status is 0 on success,
//! 1 on any error (including envelope entries that are not JSON objects),
//! 2 on usage errors, 3 when a push had per-object failures or pendings.

use std::process::ExitCode;
use std::time::Duration;

use libstix::taxii::{
    ApiRoot, Client, Collection, Error, Filter, JsonFileStore, Object, Page, Poller, Timestamp,
    VersionMatch, WaitOptions,
};

const USAGE: &str = "usage: taxii --url URL [--user U --password P | --token T] [--api-root URL] \
[--ca-bundle PEM] [--timeout SECS] COMMAND
commands:
  discover
  collections
  fetch COLLECTION_ID [--added-after T] [--limit N] [--version all|first|last] [--type T]...
  push COLLECTION_ID FILE
  poll COLLECTION_ID --state FILE [--overlap SECS] [--limit N]";

struct Args {
    url: String,
    user: Option<String>,
    password: Option<String>,
    token: Option<String>,
    api_root: Option<String>,
    ca_bundle: Option<String>,
    timeout: Option<u64>,
    command: Vec<String>,
    added_after: Option<String>,
    limit: Option<u32>,
    version: Option<String>,
    types: Vec<String>,
    state: Option<String>,
    overlap: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        url: String::new(),
        user: None,
        password: None,
        token: None,
        api_root: None,
        ca_bundle: None,
        timeout: None,
        command: Vec::new(),
        added_after: None,
        limit: None,
        version: None,
        types: Vec::new(),
        state: None,
        overlap: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--url" => a.url = val("--url")?,
            "--user" => a.user = Some(val("--user")?),
            "--password" => a.password = Some(val("--password")?),
            "--token" => a.token = Some(val("--token")?),
            "--api-root" => a.api_root = Some(val("--api-root")?),
            "--ca-bundle" => a.ca_bundle = Some(val("--ca-bundle")?),
            "--timeout" => {
                a.timeout = Some(
                    val("--timeout")?
                        .parse()
                        .map_err(|_| "--timeout wants seconds")?,
                )
            }
            "--added-after" => a.added_after = Some(val("--added-after")?),
            "--limit" => {
                a.limit = Some(
                    val("--limit")?
                        .parse()
                        .map_err(|_| "--limit wants a positive integer")?,
                )
            }
            "--version" => a.version = Some(val("--version")?),
            "--type" => a.types.push(val("--type")?),
            "--state" => a.state = Some(val("--state")?),
            "--overlap" => {
                a.overlap = Some(
                    val("--overlap")?
                        .parse()
                        .map_err(|_| "--overlap wants seconds")?,
                )
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => a.command.push(arg),
        }
    }
    if a.url.is_empty() {
        return Err("--url is required".into());
    }
    if a.user.is_some() != a.password.is_some() {
        return Err("--user and --password go together".into());
    }
    if a.token.is_some() && a.user.is_some() {
        return Err("use either --user/--password or --token".into());
    }
    Ok(a)
}

fn client(a: &Args) -> Result<Client, Error> {
    let mut b = Client::builder(&a.url);
    if let (Some(u), Some(p)) = (&a.user, &a.password) {
        b = b.basic_auth(u, p);
    }
    if let Some(t) = &a.token {
        b = b.bearer_token(t);
    }
    if let Some(ca) = &a.ca_bundle {
        b = b.ca_bundle(ca);
    }
    if let Some(t) = a.timeout {
        b = b
            .read_timeout(Duration::from_secs(t))
            .connect_timeout(Duration::from_secs(t));
    }
    b.build()
}

fn root(c: &Client, a: &Args) -> Result<ApiRoot, Error> {
    match &a.api_root {
        Some(u) => c.api_root(u),
        None => c.default_api_root(),
    }
}

fn collection(c: &Client, a: &Args, id: &str) -> Result<Collection, Error> {
    root(c, a)?.collection(id)
}

fn filter(a: &Args) -> Result<Filter, Error> {
    let mut f = Filter::new().types(a.types.iter().cloned());
    if let Some(t) = &a.added_after {
        f = f.added_after(Timestamp::parse(t)?);
    }
    if let Some(l) = a.limit {
        f = f.limit(l);
    }
    if let Some(v) = &a.version {
        for part in v.split(',') {
            f = f.version(VersionMatch::parse(part));
        }
    }
    f.validate()?;
    Ok(f)
}

/// Counts of what was printed.
#[derive(Default)]
struct Tally {
    objects: u64,
    typed: u64,
    pages: u64,
    duplicates: u64,
    /// Entries that were not JSON objects and so could not be printed.
    dropped: u64,
}

/// Prints a page's objects, one per line, after parsing each into the typed
/// model; objects the model rejects are still printed, and reported.
fn print_page(page: &Page<Object>, out: &mut impl std::io::Write, t: &mut Tally) -> bool {
    t.pages += 1;
    t.duplicates += page.duplicates_dropped as u64;
    for w in &page.warnings {
        eprintln!("warning: {w}");
    }
    for p in &page.problems {
        if p.raw.is_some() {
            t.dropped += 1;
        }
        eprintln!(
            "warning: {} ({}): {}",
            p.pointer,
            p.object_id.as_deref().unwrap_or("no id"),
            p.message
        );
    }
    for o in &page.items {
        match o.parse() {
            Ok(_) => t.typed += 1,
            Err(e) => eprintln!(
                "warning: object {} does not fit the STIX 2.1 model: {e}",
                o.id().unwrap_or("(no id)")
            ),
        }
        let line = o.json();
        let ok = if line.contains('\n') {
            writeln!(out, "{}", o.to_value())
        } else {
            writeln!(out, "{line}")
        };
        if ok.is_err() {
            return false; // stdout closed (e.g. piped into `head`)
        }
        t.objects += 1;
    }
    true
}

fn read_objects(path: &str) -> Result<Vec<Object>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let as_list = |v: serde_json::Value| -> Vec<serde_json::Value> {
        match v {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(mut m) => match m.remove("objects") {
                Some(serde_json::Value::Array(a)) => a,
                _ => vec![serde_json::Value::Object(m)],
            },
            other => vec![other],
        }
    };
    let values = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => as_list(v),
        Err(whole) => text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l).map_err(|e| {
                    format!(
                        "{path}: not JSON ({whole}) nor JSON lines (line {}: {e})",
                        n + 1
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    values
        .iter()
        .map(|v| Object::from_value(v).map_err(|e| format!("{path}: {e}")))
        .collect()
}

fn run(a: &Args) -> Result<ExitCode, String> {
    let c = client(a).map_err(|e| e.to_string())?;
    let cmd: Vec<&str> = a.command.iter().map(String::as_str).collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    use std::io::Write;
    match cmd.as_slice() {
        ["discover"] => {
            let d = c.discover().map_err(|e| e.to_string())?;
            writeln!(out, "{}", serde_json::to_string_pretty(&d).unwrap()).ok();
        }
        ["collections"] => {
            let r = root(&c, a).map_err(|e| e.to_string())?;
            for col in r.collections().map_err(|e| e.to_string())? {
                writeln!(out, "{}", serde_json::to_string(&col).unwrap()).ok();
            }
        }
        ["fetch", id] => {
            let f = filter(a).map_err(|e| e.to_string())?;
            let col = collection(&c, a, id).map_err(|e| e.to_string())?;
            let mut t = Tally::default();
            for page in col.objects(&f).map_err(|e| e.to_string())? {
                let page = page.map_err(|e| {
                    format!("{e} (after {} objects in {} pages)", t.objects, t.pages)
                })?;
                if !print_page(&page, &mut out, &mut t) {
                    break;
                }
            }
            out.flush().ok();
            eprintln!(
                "fetched {} objects ({} typed) in {} pages from {}",
                t.objects,
                t.typed,
                t.pages,
                col.url()
            );
            if t.dropped > 0 {
                return Err(format!(
                    "{} entries of the server's envelopes were not STIX objects (see the warnings)",
                    t.dropped
                ));
            }
        }
        ["push", id, file] => {
            let objects = read_objects(file)?;
            let col = collection(&c, a, id).map_err(|e| e.to_string())?;
            let report = col
                .publish(&objects, &WaitOptions::default())
                .map_err(|e| e.to_string())?;
            writeln!(out, "{}", serde_json::to_string_pretty(&report).unwrap()).ok();
            out.flush().ok();
            eprintln!(
                "pushed {} objects in {} requests: {} succeeded, {} failed, {} pending",
                report.total_count(),
                report.statuses.len(),
                report.success_count(),
                report.failure_count(),
                report.pending_count()
            );
            if report.failure_count() > 0 || report.pending_count() > 0 {
                return Ok(ExitCode::from(3));
            }
        }
        ["poll", id] => {
            let state = a.state.as_ref().ok_or("poll needs --state FILE")?;
            let col = collection(&c, a, id).map_err(|e| e.to_string())?;
            let mut f = filter(a).map_err(|e| e.to_string())?;
            f.added_after = None;
            let mut poller = Poller::new(col, JsonFileStore::new(state))
                .filter(f)
                .overlap(Duration::from_secs(a.overlap.unwrap_or(300)));
            let mut t = Tally::default();
            loop {
                match poller.next_page() {
                    Ok(Some(page)) => {
                        if !print_page(&page, &mut out, &mut t) {
                            break;
                        }
                        out.flush().ok();
                    }
                    Ok(None) => break,
                    Err(e) => {
                        return Err(format!(
                            "{e} (after {} new objects; the checkpoint holds what was printed)",
                            t.objects
                        ))
                    }
                }
            }
            out.flush().ok();
            let cp = poller.checkpoint().ok().flatten();
            eprintln!(
                "{} new objects ({} repeats dropped) in {} pages; checkpoint {}",
                t.objects,
                t.duplicates,
                t.pages,
                cp.and_then(|c| c.date_added_last)
                    .map_or("(none)".to_string(), |d| d.to_string())
            );
        }
        _ => return Err(format!("unknown or incomplete command\n{USAGE}")),
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
