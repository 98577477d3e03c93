#!/usr/bin/env bash
# The one test command: runs every test of the project on a fresh machine.
# It installs what the tests need (Python tools, the local TAXII server),
# starts the TAXII test server on 127.0.0.1, and stops it again on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "Rust tests (all workspace crates)"
cargo test --workspace --quiet

for extra in scripts/test.d/*.sh; do
  [ -f "$extra" ] || continue
  step "$(basename "$extra")"
  bash "$extra"
done
echo
echo "all test stages passed"
