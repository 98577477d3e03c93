#!/usr/bin/env bash
# Compare libstix.parse with stix2.parse on the large_bundle_scale bundle.
# Creates /tmp/libstix-bench-venv with stix2 (pinned) and this wheel.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${LIBSTIX_BENCH_VENV:-/tmp/libstix-bench-venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "stix2==3.0.2" "maturin==1.16.0" "pytest==9.2.0"
DIST="$(mktemp -d)"; trap 'rm -rf "$DIST"' EXIT
(cd "$HERE/.." && "$VENV/bin/maturin" build --release --quiet --interpreter "$VENV/bin/python" --out "$DIST")
"$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$DIST"/libstix-*.whl
"$VENV/bin/python" "$HERE/compare_stix2.py" "$@"
