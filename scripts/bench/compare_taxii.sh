#!/usr/bin/env bash
# CPU cost of fetching and parsing every object version of the `threat-feed`
# collection (250 objects, pages of 100) from the local TAXII test server:
#   ours: the `taxii` example (release build): ureq + taxii-client, each
#         object parsed into stix-core's typed model;
#   peer: taxii2client.v21 (as_pages) + stix2.parse(allow_custom=True).
# Both run against the same server in the same run, interleaved, ROUNDS times
# each; the figure is user+sys CPU time of the client process (from
# getrusage of the children), so interpreter start-up and imports count for
# the peer. The peer's in-process fetch+parse time (imports excluded) is
# reported as well.
#
#   usage: scripts/bench/compare_taxii.sh [ROUNDS]     (default 10)
# Needs: python3 with venv/pip (PyPI reachable the first time), cargo.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ROUNDS="${1:-10}"
VENV="${LIBSTIX_BENCH_VENV:-/tmp/libstix-taxii-bench-venv}"

if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c 'import taxii2client, stix2' 2>/dev/null || \
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q \
    taxii2-client==2.3.0 stix2==3.0.2 requests==2.34.2 >&2

cargo build --quiet --release --example taxii
BIN="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/examples/taxii"

BASE="$(scripts/taxii-server/start.sh)"
PORT="${BASE##*:}"
trap 'scripts/taxii-server/stop.sh "$PORT"' EXIT

PEER="$(mktemp /tmp/libstix-peer-XXXX.py)"
trap 'rm -f "$PEER"; scripts/taxii-server/stop.sh "$PORT"' EXIT
cat >"$PEER" <<'PY'
import sys, time
t0 = time.process_time()
import stix2
from taxii2client.v21 import Collection, as_pages
t1 = time.process_time()
col = Collection(sys.argv[1], user="admin", password="Password0")
n = 0
for envelope in as_pages(col.get_objects, per_request=100, version="all"):
    for obj in envelope.get("objects", []):
        stix2.parse(obj, allow_custom=True)
        n += 1
t2 = time.process_time()
print("%d %.6f %.6f" % (n, t1 - t0, t2 - t1), file=sys.stderr)
PY

"$VENV/bin/python" - "$BIN" "$VENV/bin/python" "$PEER" "$BASE" "$ROUNDS" <<'PY'
import resource, subprocess, sys
binary, python, peer, base, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
feed = "5f1e8a3c-1b0d-4c7a-9e21-0a6b4d2f8c01"
ours_cmd = [binary, "--url", base + "/taxii2/", "--user", "admin", "--password", "Password0",
            "fetch", feed, "--version", "all", "--limit", "100"]
peer_cmd = [python, peer, base + "/api1/collections/%s/" % feed]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run(cmd):
    before = cpu()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    return cpu() - before, p

ours, theirs, theirs_inproc = [], [], []
for _ in range(rounds):
    t, p = run(ours_cmd)
    lines = p.stdout.count("\n")
    assert lines == 250, ("ours printed", lines, p.stderr)
    ours.append(t)
    t, p = run(peer_cmd)
    n, imports, work = p.stderr.strip().splitlines()[-1].split()
    assert int(n) == 250, ("peer parsed", n)
    theirs.append(t)
    theirs_inproc.append(float(work))

med = lambda xs: sorted(xs)[len(xs) // 2]
o, t, ti = med(ours), med(theirs), med(theirs_inproc)
print("objects per run: 250 (threat-feed, match[version]=all, pages of 100), rounds: %d" % rounds)
print("ours  (taxii example, fetch + typed parse)        median CPU %.4f s" % o)
print("peer  (taxii2client + stix2.parse, whole process) median CPU %.4f s" % t)
print("peer  (fetch + parse only, imports excluded)      median CPU %.4f s" % ti)
print("ratio peer/ours, whole process: %.1fx" % (t / o))
print("ratio peer/ours, peer without imports: %.1fx" % (ti / o))
PY
