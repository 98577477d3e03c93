#!/usr/bin/env bash
# Pattern parse+validate throughput: libstix (criterion bench `pattern`) against the reference
# validator stix2-patterns (`stix2patterns.validator.run_validator`), on the same generated mix
# of N patterns (default 20,000), in one run. Prints both rates and the ratio.
#
#   scripts/bench/compare_patterns.sh [N]
#
# Installs stix2-patterns into a venv under /tmp (PATTERN_BENCH_VENV) if it is not there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
N="${1:-20000}"
VENV="${PATTERN_BENCH_VENV:-/tmp/libstix-pattern-bench-venv}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 ../shared/corpus/gen_patterns.py -n "$N" -o "$WORK/patterns.txt"
echo "mix: $(wc -l < "$WORK/patterns.txt") patterns from gen_patterns.py -n $N (default seed)"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import stix2patterns' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet stix2-patterns
fi
PEER_VERSION="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("stix2-patterns"))')"

echo "== reference: stix2-patterns $PEER_VERSION run_validator"
"$VENV/bin/python" scripts/bench/compare_patterns_ref.py "$WORK/patterns.txt" | tee "$WORK/ref.json"

echo "== libstix: cargo bench --bench pattern (criterion)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
rm -rf "$TARGET/criterion/patterns"
PATTERN_BENCH_FILE="$WORK/patterns.txt" cargo bench --quiet --bench pattern -- --noplot 2>&1 | grep -E "^patterns/|time:|thrpt:" || true

python3 - "$WORK/ref.json" "$TARGET/criterion/patterns" "$N" <<'PY'
import json, sys, os
ref = json.load(open(sys.argv[1]))
base, n = sys.argv[2], int(sys.argv[3])
print()
print(f"{'measurement':40} {'patterns/s':>14} {'vs reference':>13}")
print(f"{'stix2-patterns run_validator':40} {ref['patterns_per_s']:>14,.0f} {'1x':>13}")
for name in ["parse_validate", "parse_validate_observables", "parse_validate_canonical"]:
    est = json.load(open(os.path.join(base, name, "new", "estimates.json")))
    ns = est["mean"]["point_estimate"]           # nanoseconds per iteration = the whole mix
    rate = n / (ns / 1e9)
    print(f"{'libstix ' + name:40} {rate:>14,.0f} {rate / ref['patterns_per_s']:>12,.0f}x")
PY
