#!/usr/bin/env bash
# C ABI benchmark on the large-bundle case (shared/cases/bindings/large_bundle_scale.md, B46):
# build a bundle of 1 malware + N indicators + N relationships through stix_bundle_builder,
# then parse, validate and stream it through the C ABI (bindings/c/bench/bench_abi.c, release
# build, static link), for N = 20,000 and N = 200,000 (linearity), plus peak RSS of streaming
# alone. Peer in the same run: python stix2 3.0.2 parse(allow_custom=True) of the N = 20,000
# file (venv under /tmp; imports excluded from its time).
# Usage: scripts/bench/compare_c_abi.sh   (env SKIP_PYTHON=1 skips the peer)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cargo build --release --quiet -p libstix-c
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
cc -std=c11 -O2 -Wall -Wextra -Werror -pedantic -Ibindings/c/include bindings/c/bench/bench_abi.c \
  "$TARGET_DIR/release/libstix.a" -lpthread -ldl -lm -lrt -lgcc_s -lc -o "$TMP/bench_abi"

for n in 20000 200000; do
  echo "== C ABI, N = $n"
  "$TMP/bench_abi" "$n" "$TMP/bundle-$n.json"
  "$TMP/bench_abi" --stream "$TMP/bundle-$n.json"
done

if [[ "${SKIP_PYTHON:-0}" != 1 ]]; then
  VENV=/tmp/libstix-c-bench-venv
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "stix2==3.0.2"
  echo "== peer: python stix2 3.0.2, N = 20000"
  "$VENV/bin/python" - "$TMP/bundle-20000.json" <<'PY'
import resource, sys, time
import stix2
text = open(sys.argv[1], encoding="utf-8").read()
t = time.perf_counter()
bundle = stix2.parse(text, allow_custom=True)
dt = time.perf_counter() - t
print(f"parse     {len(bundle.objects)} objects  {dt:.3f} s  peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")
PY
fi
