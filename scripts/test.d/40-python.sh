#!/usr/bin/env bash
# Python wheel stage: build the `libstix` extension (release, abi3) with
# maturin into a venv and run its pytest suite.
#
# Needs only python3 (3.9+) with venv/pip; maturin and pytest are installed
# into the venv at pinned versions. The venv is reused when present
# (LIBSTIX_PY_VENV overrides its place). Exit status is non-zero on any
# failure, including pytest finding no tests (its exit code 5).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PKG="$ROOT/bindings/python"
VENV="${LIBSTIX_PY_VENV:-/tmp/libstix-py-venv}"
MATURIN_VERSION="1.16.0"
PYTEST_VERSION="9.2.0"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check \
  "maturin==$MATURIN_VERSION" "pytest==$PYTEST_VERSION"

DIST="$(mktemp -d)"
trap 'rm -rf "$DIST"' EXIT

# One release build: the scale and GIL tests parse a 14 MB bundle, which a
# debug build makes needlessly slow. maturin builds the wheel; pip installs
# that exact wheel (no editable install, so the tests see what users get).
(cd "$PKG" && "$VENV/bin/maturin" build --release --quiet --interpreter "$PY" --out "$DIST")
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$DIST"/libstix-*.whl

set +e
(cd "$PKG" && "$PY" -m pytest -p no:cacheprovider -q tests)
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "40-python: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
