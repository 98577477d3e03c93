//! The run summary as a text table, for people at a terminal.

use std::fmt::Write as _;

use stix_core::tlp::TlpLevel;

use super::ingest::IngestReport;
use super::summary::tlp_label;

/// How many items of a long list the text shows.
pub const LIST_LIMIT: usize = 15;

const LEVELS: [TlpLevel; 5] = [
    TlpLevel::Clear,
    TlpLevel::Green,
    TlpLevel::Amber,
    TlpLevel::AmberStrict,
    TlpLevel::Red,
];

fn level_head(l: TlpLevel) -> &'static str {
    match l {
        TlpLevel::Clear => "CLEAR",
        TlpLevel::Green => "GREEN",
        TlpLevel::Amber => "AMBER",
        TlpLevel::AmberStrict => "AMB+STR",
        TlpLevel::Red => "RED",
    }
}

fn more(s: &mut String, n: usize) {
    if n > LIST_LIMIT {
        let _ = writeln!(s, "  ... and {} more", n - LIST_LIMIT);
    }
}

/// The whole summary: what was read, what was stored, where everything
/// went per type and TLP, what was withheld and from where, entries added
/// and removed, and the TLP assumed for unmarked objects.
pub fn render_text(r: &IngestReport) -> String {
    let mut s = String::new();
    let i = &r.input;
    let _ = writeln!(s, "== ingest summary ==");
    for src in &i.sources {
        let _ = writeln!(
            s,
            "source {}: {} objects{}",
            src.label,
            src.objects,
            src.bundle_id
                .as_ref()
                .map(|b| format!(" (bundle {b})"))
                .unwrap_or_default()
        );
    }
    for (label, e) in &i.failed_sources {
        let _ = writeln!(s, "source {label}: NOT READ (or not to the end): {e}");
    }
    let _ = writeln!(
        s,
        "\n{} objects, {} invalid, {} revoked, {} warnings",
        i.objects,
        i.invalid
            .iter()
            .filter(|x| x.object_type != "bundle")
            .count(),
        i.revoked,
        i.warnings
    );
    let versions: Vec<String> = i
        .by_version
        .iter()
        .map(|(v, n)| format!("STIX {v}: {n}"))
        .collect();
    let _ = writeln!(s, "spec versions: {}", versions.join(", "));
    let _ = writeln!(s, "\nobjects per type:");
    let mut types: Vec<_> = i.by_type.iter().collect();
    types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (t, n) in types {
        let _ = writeln!(s, "  {n:>7}  {t}");
    }
    let _ = writeln!(s, "\nobjects per TLP marking (most restrictive wins):");
    let mut tlps = i.by_tlp.clone();
    tlps.sort_by(|a, b| b.0 .0.cmp(&a.0 .0).then(a.0 .1.cmp(&b.0 .1).reverse()));
    for ((level, version), n) in tlps {
        let _ = writeln!(s, "  {n:>7}  {}", tlp_label(level, version));
    }
    let _ = writeln!(
        s,
        "unmarked objects count as {} (setting `unmarked_tlp` of {}); objects referring to an unknown marking definition as at least {} (`unresolved_tlp`)",
        r.unmarked_tlp, r.config, r.unresolved_tlp
    );
    let total_ind = i.indicators_flat + i.indicators_complex + i.indicators_other_type;
    if total_ind > 0 {
        let _ = writeln!(
            s,
            "\nindicators: {} flatten to blocklist values, {} need a pattern engine (FOLLOWEDBY, AND, qualifiers, ranges...), {} use another pattern language",
            i.indicators_flat, i.indicators_complex, i.indicators_other_type
        );
        let obs: Vec<String> = i
            .observables
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        if !obs.is_empty() {
            let _ = writeln!(s, "  blocklist values: {}", obs.join(", "));
        }
    }
    let _ = writeln!(s, "\ninvalid objects: {}", i.invalid.len());
    for x in i.invalid.iter().take(LIST_LIMIT) {
        let _ = writeln!(
            s,
            "  {} {} ({}): {}",
            x.source, x.id, x.object_type, x.reason
        );
    }
    more(&mut s, i.invalid.len());
    let _ = writeln!(
        s,
        "\nunresolved references (not in the input; may live elsewhere): {}",
        i.unresolved.len()
    );
    for u in i.unresolved.iter().take(LIST_LIMIT) {
        let _ = writeln!(s, "  {} {} -> {}", u.from_id, u.path, u.target);
    }
    more(&mut s, i.unresolved.len());
    if i.duplicates > 0 {
        let _ = writeln!(
            s,
            "\nconflicting duplicates (same id and modified, different content): {}",
            i.duplicates
        );
    }

    let st = &r.stored;
    let _ = writeln!(
        s,
        "\n== store {} (run {}) ==\n{} new objects, {} new versions, {} unchanged, {} older versions kept as history, {} conflicting versions refused; {} current objects",
        r.db, r.run, st.new, st.new_versions, st.unchanged, st.older, st.conflicts, st.current_objects
    );

    let _ = writeln!(
        s,
        "\n== routing (config: {}, validity judged at {}) ==",
        r.config, r.now
    );
    let _ = writeln!(
        s,
        "unmarked objects count as {}; every destination gets nothing above its ceiling",
        r.unmarked_tlp
    );
    let mut head = format!("  {:<12} {:<14}", "destination", "ceiling");
    for l in LEVELS {
        let _ = write!(head, " {:>7}", level_head(l));
    }
    let _ = write!(head, " {:>7} {:>8}  folder", "total", "withheld");
    let _ = writeln!(s, "{head}");
    for (name, d) in &r.destinations {
        let mut per_level = [0usize; 5];
        for by in d.objects.values() {
            for (l, n) in by {
                per_level[LEVELS.iter().position(|x| x == l).unwrap_or(4)] += n;
            }
        }
        let mut line = format!("  {:<12} {:<14}", name, d.max_tlp.to_string());
        for n in per_level {
            let _ = write!(line, " {:>7}", n);
        }
        let _ = write!(line, " {:>7} {:>8}  {}/", d.total, d.withheld, d.dir);
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\nobjects per destination, type and TLP:");
    for (name, d) in &r.destinations {
        for (t, by) in &d.objects {
            let parts: Vec<String> = by.iter().map(|(l, n)| format!("{n} {l}")).collect();
            let _ = writeln!(s, "  {name:<12} {t:<18} {}", parts.join(", "));
        }
    }
    let red: Vec<&String> = r
        .destinations
        .iter()
        .filter(|(_, d)| d.objects.values().any(|b| b.contains_key(&TlpLevel::Red)))
        .map(|(n, _)| n)
        .collect();
    let red_objects: usize = r
        .current_by_tlp
        .values()
        .filter_map(|b| b.get(&TlpLevel::Red))
        .sum();
    let _ = writeln!(
        s,
        "\nTLP:RED: {red_objects} current objects; routed only to: {}",
        if red.is_empty() {
            "(none)".to_owned()
        } else {
            red.iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    );

    let _ = writeln!(s, "\nwithheld by TLP ceilings: {}", r.withheld.len());
    let mut by_dest: std::collections::BTreeMap<(&str, TlpLevel), usize> = Default::default();
    for w in &r.withheld {
        *by_dest
            .entry((w.destination.as_str(), w.object_tlp))
            .or_default() += 1;
    }
    for ((d, l), n) in &by_dest {
        let _ = writeln!(s, "  {n:>5} {l} object(s) withheld from {d}");
    }
    for w in r.withheld.iter().take(LIST_LIMIT) {
        let _ = writeln!(
            s,
            "  {} ({}) from {}: {}",
            w.object_id, w.object_type, w.destination, w.reason
        );
    }
    more(&mut s, r.withheld.len());

    let _ = writeln!(
        s,
        "\nblocklist and lookup entries: {} added, {} removed since the last run",
        r.added_total(),
        r.removed_total()
    );
    for (name, d) in &r.destinations {
        if d.entries == 0 && d.added.is_empty() && d.removed.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "  {name}: {} entries now, +{} -{}",
            d.entries,
            d.added.len(),
            d.removed.len()
        );
        for a in d.added.iter().take(LIST_LIMIT) {
            let _ = writeln!(s, "    + {}: {}", a.file, a.value);
        }
        more(&mut s, d.added.len());
        for x in d.removed.iter().take(LIST_LIMIT) {
            let _ = writeln!(
                s,
                "    - {}: {} ({})",
                x.entry.file, x.entry.value, x.reason
            );
        }
        more(&mut s, d.removed.len());
    }
    let skipped: usize = r.destinations.values().map(|d| d.skipped.len()).sum();
    if skipped > 0 {
        let _ = writeln!(s, "\nindicators giving no blocklist/lookup values:");
        for (name, d) in &r.destinations {
            let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
            for k in &d.skipped {
                *reasons
                    .entry(format!("{:?}", k.reason).to_lowercase())
                    .or_default() += 1;
            }
            if !reasons.is_empty() {
                let parts: Vec<String> = reasons.iter().map(|(k, n)| format!("{n} {k}")).collect();
                let _ = writeln!(s, "  {name}: {}", parts.join(", "));
            }
        }
    }
    if !r.statements.is_empty() {
        let _ = writeln!(s, "\nstatement markings (terms travel with the data):");
        for t in &r.statements {
            let _ = writeln!(s, "  {t}");
        }
    }
    let _ = writeln!(
        s,
        "\noutputs under {}/ (one folder per destination)",
        r.out_dir
    );
    let parts: Vec<String> = r
        .timings_ms
        .iter()
        .map(|(k, ms)| format!("{k} {:.1}s", *ms as f64 / 1000.0))
        .collect();
    let _ = writeln!(s, "time: {}", parts.join(", "));
    s
}
