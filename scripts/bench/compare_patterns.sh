#!/usr/bin/env bash
# Pattern parse+validate throughput: libstix against the reference validator stix2-patterns
# (`stix2patterns.validator.run_validator`), on the same generated mix of N patterns (default
# 20,000), in one run. Prints both rates and the ratios:
#  - wall clock: criterion bench `pattern` (mean per iteration over the whole mix) vs the
#    Python loop's wall time;
#  - CPU time: `stix-pattern` example `throughput` (best of 5 rounds, thread CPU time) vs the
#    Python loop's process CPU time. On a machine shared with other work this is the fairer
#    figure, since wall time then mostly measures the scheduler.
#
#   scripts/bench/compare_patterns.sh [N]
#
# Installs stix2-patterns into a venv under /tmp (PATTERN_BENCH_VENV) if it is not there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
N="${1:-20000}"
VENV="${PATTERN_BENCH_VENV:-/tmp/libstix-pattern-bench-venv}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 ../shared/corpus/gen_patterns.py -n "$N" -o "$WORK/patterns.txt"
echo "mix: $(wc -l < "$WORK/patterns.txt") patterns from gen_patterns.py -n $N (default seed)"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import stix2patterns' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet stix2-patterns
fi
PEER_VERSION="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("stix2-patterns"))')"

echo "== building (release)"
cargo bench --quiet --bench pattern --no-run
cargo build --quiet --release -p stix-pattern --example throughput

echo "== reference: stix2-patterns $PEER_VERSION run_validator"
"$VENV/bin/python" scripts/bench/compare_patterns_ref.py "$WORK/patterns.txt" | tee "$WORK/ref.json"

echo "== libstix: stix-pattern example throughput (CPU time)"
"$TARGET/release/examples/throughput" "$WORK/patterns.txt" 5 | tee "$WORK/ours.json"

echo "== libstix: cargo bench --bench pattern (criterion, wall clock)"
rm -rf "$TARGET/criterion/patterns"
PATTERN_BENCH_FILE="$WORK/patterns.txt" cargo bench --quiet --bench pattern -- --noplot > "$WORK/criterion.txt" 2>&1 \
  || { cat "$WORK/criterion.txt"; exit 1; }
grep -E "^patterns/|time:|thrpt:" "$WORK/criterion.txt" || true

python3 - "$WORK/ref.json" "$WORK/ours.json" "$TARGET/criterion/patterns" "$N" <<'PY'
import json, sys, os
ref = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
base, n = sys.argv[3], int(sys.argv[4])
ref_cpu = ref["patterns"] / ref["cpu_seconds"]
print()
print(f"{'measurement':44} {'patterns/s':>14} {'vs reference':>13}")
print("wall clock")
print(f"  {'stix2-patterns run_validator':42} {ref['patterns_per_s']:>14,.0f} {'1x':>13}")
for name in ["parse_validate", "parse_validate_observables", "parse_validate_canonical"]:
    est = json.load(open(os.path.join(base, name, "new", "estimates.json")))
    ns = est["mean"]["point_estimate"]           # nanoseconds per iteration = the whole mix
    rate = n / (ns / 1e9)
    print(f"  {'libstix ' + name + ' (criterion)':42} {rate:>14,.0f} {rate / ref['patterns_per_s']:>12,.0f}x")
print("CPU time")
print(f"  {'stix2-patterns run_validator':42} {ref_cpu:>14,.0f} {'1x':>13}")
rate = ours["cpu_patterns_per_s"]
print(f"  {'libstix parse_validate (throughput)':42} {rate:>14,.0f} {rate / ref_cpu:>12,.0f}x")
PY
