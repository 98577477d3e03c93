#!/usr/bin/env bash
# Cost of validation against the serde_json::Value peer on one bundle.
# Instruction counts (valgrind callgrind) do not depend on machine load;
# wall time and peak RSS (GNU time) are given for the whole `validate` run.
# Usage: scripts/bench/validate_cost.sh FILE
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FILE="${1:?usage: validate_cost.sh FILE}"
cd "$ROOT"
cargo build --release --quiet --example validate_cost --example validate
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples"
for mode in value typed view validate_str validate_reader; do
  refs=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN/validate_cost" "$mode" "$FILE" 2>&1 >/dev/null \
    | sed -n 's/.*refs: *\([0-9,]*\).*/\1/p')
  printf '%-16s %s instructions\n' "$mode" "$refs"
done
for mode in value validate_reader; do
  /usr/bin/time -f "$mode: %e s wall, %M KB peak RSS" "$BIN/validate_cost" "$mode" "$FILE" >/dev/null
done
/usr/bin/time -f "validate program: %e s wall, %M KB peak RSS" "$BIN/validate" "$FILE" >/dev/null 2>/tmp/validate_cost.err || true
tail -1 /tmp/validate_cost.err
