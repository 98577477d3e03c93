#!/usr/bin/env bash
# Test stage: the main job against a real TAXII 2.1 server and PyMISP.
#  1. starts the project's local medallion (scripts/taxii-server/) on 127.0.0.1
#     and runs tests/pipeline_taxii.rs against it (ingest from a collection,
#     incremental second poll, publish with the TLP ceiling enforced);
#  2. runs the `ingest` example as a user would: from TAXII, and --publish;
#  3. loads every MISP event `ingest` writes (sample feed, its update, the
#     whole real corpus, the TAXII collection) in PyMISP, in a venv.
# Stops the server and removes its temporary files, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
fail() { echo "FAIL: $*" >&2; exit 1; }

TMP="$(mktemp -d)"
PORT=""
cleanup() {
  [[ -n "$PORT" ]] && scripts/taxii-server/stop.sh "$PORT" || true
  rm -rf "$TMP"
}
trap cleanup EXIT

BASE="$(LIBSTIX_TAXII_RUN="$TMP/taxii" scripts/taxii-server/start.sh)"
PORT="${BASE##*:}"
export LIBSTIX_TAXII_RUN="$TMP/taxii"
export LIBSTIX_TAXII_URL="$BASE/taxii2/"
echo "TAXII test server: $LIBSTIX_TAXII_URL"

# 1. library tests against the server
cargo test --quiet -p libstix --test pipeline_taxii

# 2. the example program
cargo build --quiet --example ingest
BIN="$(cargo metadata --format-version 1 --no-deps | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/examples/ingest"
FEED=5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01
SANDBOX=a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02
AUTH=(--taxii-url "$LIBSTIX_TAXII_URL" --user admin --password Password0)

"$BIN" "${AUTH[@]}" --collection "$FEED" --out "$TMP/taxii-out" >"$TMP/taxii.txt" || fail "ingest from TAXII"
grep -q "210 objects, 0 invalid" "$TMP/taxii.txt" || fail "ingest from TAXII: $(head -5 "$TMP/taxii.txt")"
[[ "$(wc -l <"$TMP/taxii-out/blocklist/ipv4.txt")" -eq 119 ]] || fail "TAXII blocklist is not 119 addresses"
grep -q "Password0" "$TMP/taxii.txt" && fail "the password appears in the output"
"$BIN" "${AUTH[@]}" --collection "$FEED" --out "$TMP/taxii-out" >"$TMP/taxii2.txt" || fail "second poll"
grep -q "): 0 objects" "$TMP/taxii2.txt" || fail "second poll was not incremental: $(head -3 "$TMP/taxii2.txt")"
grep -q "0 added, 0 removed since the last run" "$TMP/taxii2.txt" || fail "second poll changed the outputs"
echo "ok: ingest from TAXII, then an incremental poll with nothing new"

"$BIN" "${AUTH[@]}" --publish "$SANDBOX" --publish-indicator domain:stage-c2.example >"$TMP/pub.txt" \
  || fail "publish: $(cat "$TMP/pub.txt")"
grep -q "1 added, 0 failed, 0 pending" "$TMP/pub.txt" || fail "publish status: $(cat "$TMP/pub.txt")"
if "$BIN" "${AUTH[@]}" --publish "$SANDBOX" --publish-indicator domain:stage-red.example \
     --publish-tlp red >"$TMP/pub-red.txt" 2>&1; then
  fail "a TLP:RED indicator was published to a TLP:GREEN collection"
fi
grep -q "above the collection's ceiling" "$TMP/pub-red.txt" || fail "refusal: $(cat "$TMP/pub-red.txt")"
"$BIN" "${AUTH[@]}" --collection "$SANDBOX" --out "$TMP/sandbox-out" >/dev/null || fail "ingest sandbox"
grep -qx "stage-c2.example" "$TMP/sandbox-out/blocklist/domains.txt" || fail "published indicator not ingested back"
grep -rq "stage-red.example" "$TMP/sandbox-out" && fail "the refused indicator reached the collection"
echo "ok: publish (TLP:GREEN accepted, TLP:RED refused), and the result ingested back"

# 3. PyMISP loads every MISP event ingest writes
"$BIN" --out "$TMP/sample-out" >/dev/null || fail "ingest sample"
"$BIN" --out "$TMP/sample-out" data/sample-feed-update.json >"$TMP/update.txt" || fail "ingest update"
grep -q "login-example-bank.example (revoked" "$TMP/update.txt" || fail "the update's revocation is not reported"
mapfile -t CORPUS < <(find ../shared/corpus/real/valid -name '*.json' | sort)
[[ "${#CORPUS[@]}" -gt 50 ]] || fail "the shared corpus is missing (../shared/corpus/real/valid)"
"$BIN" --out "$TMP/corpus-out" "${CORPUS[@]}" >/dev/null || fail "ingest corpus"

VENV="${LIBSTIX_PYMISP_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/libstix/pymisp-venv}"
PIN="pymisp==2.5.34.4"
if [[ ! -x "$VENV/bin/python" ]]; then
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV"
fi
if [[ "$(cat "$VENV/.libstix-pin" 2>/dev/null)" != "$PIN" ]]; then
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$PIN"
  echo "$PIN" >"$VENV/.libstix-pin"
fi
"$VENV/bin/python" scripts/pipeline/check_misp.py "$TMP/sample-out" "$TMP/corpus-out" "$TMP/taxii-out"
echo "pipeline stage passed"
