#!/usr/bin/env bash
# Model benchmarks, whole processes, one run, same machine:
#  (a) fetch the 35 MB ATT&CK Enterprise bundle (../shared/corpus/fetch-large.sh)
#  (b) python stix2.parse(allow_custom=True) on it (venv under /tmp)
#  (c) release `validate` example, `parse_file` (typed whole / streaming) and the
#      serde_json::Value baseline on it: wall time and peak RSS (/usr/bin/time -v)
#  (d) streaming over a generated 1,000,000-object bundle: peak RSS (< 100 MB required)
# Usage: scripts/bench/compare_model.sh [DATA_DIR]   (default /tmp/stix-bench-data)
# Env: SKIP_PYTHON=1 skips (b); SKIP_1M=1 skips (d); RUNS=N repeats (c) (default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="$ROOT/../shared"
DATA="${1:-/tmp/stix-bench-data}"
RUNS="${RUNS:-3}"
mkdir -p "$DATA"
cd "$ROOT"

LARGE="$DATA/enterprise-attack-15-stix21.json"
echo "== (a) large bundle"
"$SHARED/corpus/fetch-large.sh" "$DATA" >/dev/null
ls -l "$LARGE"
SIZE=$(stat -L -c %s "$LARGE")

echo "== building release examples"
cargo build --release --quiet --example parse_file --example validate
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PARSE="$TARGET/release/examples/parse_file"
VALIDATE="$TARGET/release/examples/validate"

# measure NAME CMD... : prints wall seconds and peak RSS (KB) of the command
measure() {
  local name="$1"; shift
  local log; log="$(mktemp)"
  /usr/bin/time -v "$@" >"$log.out" 2>"$log" || true
  local wall rss cpu
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log")
  printf '%-28s wall %-8s cpu %6ss  peak RSS %7d KB (%sx file)  %s\n' "$name" "$wall" "$cpu" "$rss" \
    "$(awk -v r="$rss" -v s="$SIZE" 'BEGIN {printf "%.2f", r * 1024 / s}')" "$(head -c 200 "$log.out" | tr '\n' ' ')"
  rm -f "$log" "$log.out"
}

if [ "${SKIP_PYTHON:-0}" != 1 ]; then
  echo "== (b) python stix2 (allow_custom=True)"
  VENV=/tmp/stix2-venv
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -c "import stix2" 2>/dev/null || "$VENV/bin/pip" install --quiet stix2
  "$VENV/bin/python" -c "import stix2; print('stix2', stix2.__version__)"
  measure "python stix2.parse" "$VENV/bin/python" scripts/bench/compare_model_ref.py "$LARGE"
fi

echo "== (c) Rust, $RUNS runs each"
for i in $(seq "$RUNS"); do
  measure "serde_json::Value" "$PARSE" value "$LARGE"
  measure "parse_file whole (typed)" "$PARSE" whole "$LARGE"
  measure "parse_file stream (typed)" "$PARSE" stream "$LARGE"
  measure "validate --threads 1" "$VALIDATE" --threads 1 "$LARGE"
  measure "validate (all cores)" "$VALIDATE" "$LARGE"
done

if [ "${SKIP_1M:-0}" != 1 ]; then
  echo "== (d) streaming a generated 1,000,000-object bundle"
  GEN="$DATA/gen-1000000.json"
  [ -s "$GEN" ] || python3 "$SHARED/corpus/gen_bundle.py" 1000000 -o "$GEN"
  SIZE=$(stat -L -c %s "$GEN")
  ls -l "$GEN"
  measure "parse_file stream 1M" "$PARSE" stream "$GEN"
  measure "validate 1M" "$VALIDATE" "$GEN"
fi
