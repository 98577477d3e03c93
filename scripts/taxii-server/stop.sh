#!/usr/bin/env bash
# Stops the server that start.sh started on PORT, by its pid file, and
# removes its run dir (set LIBSTIX_TAXII_KEEP=1 to keep the log and data).
#   usage: scripts/taxii-server/stop.sh PORT
set -euo pipefail
PORT="${1:-}"
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "usage: $0 PORT" >&2; exit 2; }
RUN="${LIBSTIX_TAXII_RUN:-/tmp/libstix-taxii-$PORT}"
PIDFILE="$RUN/server.pid"
[[ -f "$PIDFILE" ]] || { echo "[taxii-server] nothing to stop ($PIDFILE absent)" >&2; exit 0; }
pid="$(cat "$PIDFILE")"
# Signal the pid only if it still is our medallion (pids get reused).
if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null \
   && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "medallion.scripts.run"; then
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  echo "[taxii-server] stopped pid $pid" >&2
fi
rm -f "$PIDFILE"
# The run dir only holds generated data, config and the log: remove it
# unless asked to keep it (LIBSTIX_TAXII_KEEP=1) or it is not ours.
if [[ "${LIBSTIX_TAXII_KEEP:-0}" != 1 && -f "$RUN/config.json" && -f "$RUN/data.json" ]]; then
  rm -f "$RUN/config.json" "$RUN/data.json" "$RUN/server.log"
  rmdir "$RUN" 2>/dev/null || true
fi
