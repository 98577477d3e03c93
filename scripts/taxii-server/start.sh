#!/usr/bin/env bash
# Starts the project's local TAXII 2.1 test server (medallion 3.0.0, memory
# backend, synthetic data from make_data.py) on 127.0.0.1.
#
#   usage: scripts/taxii-server/start.sh [PORT]     (no PORT: a free port)
#
# Prints one line on stdout: the base URL (http://127.0.0.1:PORT); discovery
# is BASE/taxii2/. Everything else goes to stderr. Stop it with stop.sh PORT.
#
# Environment:
#   LIBSTIX_TAXII_VENV   virtualenv (default: $XDG_CACHE_HOME/libstix/taxii-server-venv,
#                        reused across runs; re-installed when the pins change)
#   LIBSTIX_TAXII_RUN    run dir for pid file, log, config and data
#                        (default: /tmp/libstix-taxii-PORT)
#   TAXII_NEXT_TTL       lifetime of a `next` cursor in seconds (default 120)
#   TAXII_MAX_PAGE       server page-size cap (default 100)
#   TAXII_CHECK_INTERVAL seconds between the server's sweeps of expired cursors (default 5)
#   PYTHON               interpreter for the venv (default python3)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
say() { echo "[taxii-server] $*" >&2; }

PORT="${1:-}"
if [[ -z "$PORT" ]]; then
  PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
fi
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "usage: $0 [PORT]" >&2; exit 2; }

VENV="${LIBSTIX_TAXII_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/libstix/taxii-server-venv}"
RUN="${LIBSTIX_TAXII_RUN:-/tmp/libstix-taxii-$PORT}"
BASE="http://127.0.0.1:$PORT"

# 1. the venv: created once, packages re-installed only when the pins change
if [[ ! -x "$VENV/bin/python" ]]; then
  say "creating venv $VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV" >&2
fi
if ! cmp -s "$HERE/requirements.txt" "$VENV/.libstix-pins"; then
  say "installing pinned medallion into $VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$HERE/requirements.txt" >&2
  cp "$HERE/requirements.txt" "$VENV/.libstix-pins"
fi

# 2. one server per run dir
mkdir -p "$RUN"
if [[ -f "$RUN/server.pid" ]] && kill -0 "$(cat "$RUN/server.pid")" 2>/dev/null; then
  say "a server is already running for $RUN (pid $(cat "$RUN/server.pid"))"
  exit 1
fi

# 3. fresh data and config on every start (the memory backend never writes
#    back, so each start serves the pristine data set)
"$VENV/bin/python" "$HERE/make_data.py" "$BASE" "$RUN/data.json"
cat > "$RUN/config.json" <<JSON
{
  "backend": {
    "module": "medallion.backends.memory_backend",
    "module_class": "MemoryBackend",
    "filename": "$RUN/data.json",
    "session_timeout": ${TAXII_NEXT_TTL:-120},
    "check_interval": ${TAXII_CHECK_INTERVAL:-5}
  },
  "users": {"admin": "Password0", "reader": "reader-pass"},
  "taxii": {"max_page_size": ${TAXII_MAX_PAGE:-100}}
}
JSON

# 4. start on loopback only
"$VENV/bin/python" -m medallion.scripts.run --host 127.0.0.1 --port "$PORT" \
  --log-level WARN "$RUN/config.json" >"$RUN/server.log" 2>&1 </dev/null &
echo $! >"$RUN/server.pid"

# 5. ready when discovery answers with the TAXII media type
for _ in $(seq 1 100); do
  if ! kill -0 "$(cat "$RUN/server.pid")" 2>/dev/null; then
    say "server exited; log:"; cat "$RUN/server.log" >&2; rm -f "$RUN/server.pid"; exit 1
  fi
  if "$VENV/bin/python" - "$BASE/taxii2/" <<'PY' 2>/dev/null; then
import base64, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={
    "Accept": "application/taxii+json;version=2.1",
    "Authorization": "Basic " + base64.b64encode(b"admin:Password0").decode()})
with urllib.request.urlopen(req, timeout=2) as r:
    ok = r.status == 200 and r.headers.get("Content-Type", "").startswith("application/taxii+json")
sys.exit(0 if ok else 1)
PY
    say "ready at $BASE (pid $(cat "$RUN/server.pid"), log $RUN/server.log)"
    echo "$BASE"
    exit 0
  fi
  sleep 0.3
done
say "no answer from $BASE/taxii2/ within 30 s; log:"; cat "$RUN/server.log" >&2
exit 1
