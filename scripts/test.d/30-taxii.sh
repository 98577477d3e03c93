#!/usr/bin/env bash
# Test stage: the TAXII client against a real TAXII 2.1 server.
# Starts the project's local medallion (scripts/taxii-server/) on 127.0.0.1,
# runs taxii-client's integration tests and the `taxii` example against it,
# and stops the server again, whatever happens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PORT="" SHORT_PORT="" TMP=""
cleanup() {
  local rc=$?
  for p in $PORT $SHORT_PORT; do
    if [[ $rc -ne 0 && -f "/tmp/libstix-taxii-$p/server.log" ]]; then
      echo "--- server log (port $p), last lines:" >&2
      tail -n 30 "/tmp/libstix-taxii-$p/server.log" >&2
    fi
    scripts/taxii-server/stop.sh "$p"
  done
  [[ -z "$TMP" ]] || rm -rf "$TMP"
}
trap cleanup EXIT
BASE="$(scripts/taxii-server/start.sh)"
PORT="${BASE##*:}"
# A second server whose `next` cursors expire after one second.
SHORT="$(TAXII_NEXT_TTL=1 TAXII_CHECK_INTERVAL=1 scripts/taxii-server/start.sh)"
SHORT_PORT="${SHORT##*:}"
export LIBSTIX_TAXII_URL="$BASE/taxii2/"
export LIBSTIX_TAXII_SHORT_TTL_URL="$SHORT/taxii2/"
echo "TAXII test servers: $LIBSTIX_TAXII_URL and (short cursor TTL) $LIBSTIX_TAXII_SHORT_TTL_URL"

# 1. integration tests (they skip only when LIBSTIX_TAXII_URL is unset)
cargo test --quiet -p taxii-client --test server

# 2. the example program, as a user would run it
cargo build --quiet --example taxii
BIN="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/examples/taxii"
AUTH=(--url "$LIBSTIX_TAXII_URL" --user admin --password Password0)
FEED=5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01
SANDBOX=a2c4e6f8-3b5d-4f71-8a9c-1e3d5f7b9d02
TMP="$(mktemp -d)"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_lines() {  # expected, description, command...
  local want="$1" what="$2"; shift 2
  local got
  got="$("$@" | wc -l)" || fail "$what: command failed"
  [[ "$got" -eq "$want" ]] || fail "$what: $got lines, expected $want"
  echo "ok: $what ($got lines)"
}
expect_lines 210 "fetch threat-feed --limit 50" "$BIN" "${AUTH[@]}" fetch "$FEED" --limit 50
expect_lines 250 "fetch threat-feed --version all" "$BIN" "${AUTH[@]}" fetch "$FEED" --version all
expect_lines 30 "fetch --added-after 2024-03-01" "$BIN" "${AUTH[@]}" fetch "$FEED" --added-after 2024-03-01T00:00:00Z
"$BIN" "${AUTH[@]}" fetch "$FEED" --limit 50 | python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in sys.stdin]
assert len(ids) == len(set(ids)) == 210, (len(ids), len(set(ids)))' || fail "fetch output is not 210 distinct JSON objects"
echo "ok: fetch prints 210 distinct JSON objects"

# poll: everything once, then nothing, then exactly what was pushed
expect_lines 40 "poll sandbox (first)" "$BIN" "${AUTH[@]}" poll "$SANDBOX" --state "$TMP/state.json"
expect_lines 0 "poll sandbox (nothing new)" "$BIN" "${AUTH[@]}" poll "$SANDBOX" --state "$TMP/state.json"
python3 - "$TMP/new.json" <<'PY'
import json, sys, uuid
now = "2025-02-01T00:00:00.000Z"
objs = [{"type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.uuid4(),
         "created": now, "modified": now, "name": "pushed %d" % i, "pattern_type": "stix",
         "pattern": "[ipv4-addr:value = '10.9.9.%d']" % i, "valid_from": now} for i in range(2)]
json.dump({"type": "bundle", "id": "bundle--%s" % uuid.uuid4(), "objects": objs}, open(sys.argv[1], "w"))
PY
"$BIN" "${AUTH[@]}" push "$SANDBOX" "$TMP/new.json" >"$TMP/status.json" || fail "push"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert sum(s["success_count"] for s in r["statuses"]) == 2, r' "$TMP/status.json" || fail "push status"
echo "ok: push reported 2 successes"
"$BIN" "${AUTH[@]}" poll "$SANDBOX" --state "$TMP/state.json" >"$TMP/polled.jsonl"
python3 - "$TMP/new.json" "$TMP/polled.jsonl" <<'PY' || fail "poll after push did not return exactly the pushed objects"
import json, sys
pushed = sorted(o["id"] for o in json.load(open(sys.argv[1]))["objects"])
polled = sorted(json.loads(l)["id"] for l in open(sys.argv[2]))
assert pushed == polled, (pushed, polled)
PY
echo "ok: poll after push printed exactly the 2 new objects"
expect_lines 0 "poll sandbox (overlap repeats dropped)" "$BIN" "${AUTH[@]}" poll "$SANDBOX" --state "$TMP/state.json"

# errors give a non-zero exit status
if "$BIN" "${AUTH[@]}" fetch e1f3a5b7-7c9d-4e1f-9a3b-5c7d9e1f3a04 >/dev/null 2>"$TMP/err"; then
  fail "fetch of an unreadable collection exited 0"
fi
grep -q forbidden "$TMP/err" || fail "expected a 'forbidden' error, got: $(cat "$TMP/err")"
if "$BIN" --url "$LIBSTIX_TAXII_URL" --user admin --password nope discover >/dev/null 2>"$TMP/err"; then
  fail "wrong password exited 0"
fi
grep -q unauthorized "$TMP/err" || fail "expected 'unauthorized'"
! grep -q nope "$TMP/err" || fail "password echoed in the error"
echo "ok: errors exit non-zero with typed messages"
echo "taxii stage passed"
