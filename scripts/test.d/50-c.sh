#!/usr/bin/env bash
# Test stage: the C ABI (bindings/c).
# Builds libstix (static and shared) in the project's normal target dir,
# checks that the committed header is the generated one, compiles the C
# test and example with `cc` against include/libstix.h, runs the test
# (statically linked under valgrind --leak-check=full when valgrind is
# there, and linked to libstix.so), and runs the example on corpus files.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SHARED="$ROOT/../shared"
[[ -d "$SHARED/corpus" && -d "$SHARED/cases" ]] || {
  echo "FAIL: $SHARED (corpus/, cases/) is missing" >&2
  exit 1
}

passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

# 1. the library, in the same profile and target dir as `cargo test`
cargo build --quiet -p libstix-c
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
LIBDIR="$TARGET_DIR/debug"
[[ -f "$LIBDIR/libstix.a" && -f "$LIBDIR/libstix.so" ]] || {
  echo "FAIL: libstix.a / libstix.so not found in $LIBDIR" >&2
  exit 1
}

# 2. the committed header is what cbindgen generates now
HEADER="bindings/c/include/libstix.h"
GENERATED="$(ls -t "$LIBDIR"/build/libstix-c-*/out/libstix.h | head -n 1)"
if cmp -s "$GENERATED" "$HEADER"; then
  ok "committed $HEADER is current"
else
  bad "$HEADER is stale (regenerate: LIBSTIX_UPDATE_HEADER=1 cargo build -p libstix-c)"
fi

# 3. compile the C side with warnings as errors
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
CC="${CC:-cc}"
CFLAGS=(-std=c11 -g -O1 -pthread -Wall -Wextra -Werror -pedantic -Ibindings/c/include)
# What a Rust staticlib needs from the system when linked into C.
NATIVE_LIBS=(-lpthread -ldl -lm -lrt -lgcc_s -lc)
"$CC" "${CFLAGS[@]}" bindings/c/tests/test_libstix.c "$LIBDIR/libstix.a" "${NATIVE_LIBS[@]}" \
  -o "$TMP/test_libstix_static"
"$CC" "${CFLAGS[@]}" bindings/c/tests/test_libstix.c -L"$LIBDIR" -lstix \
  -Wl,-rpath,"$LIBDIR" -o "$TMP/test_libstix_shared"
"$CC" "${CFLAGS[@]}" bindings/c/examples/validate.c -L"$LIBDIR" -lstix \
  -Wl,-rpath,"$LIBDIR" -o "$TMP/validate"
# C++ compilers must accept the header too.
if command -v c++ >/dev/null; then
  printf '#include "libstix.h"\nint main() { return stix_version() == nullptr; }\n' >"$TMP/cxx.cpp"
  if c++ -std=c++17 -Wall -Werror -Ibindings/c/include "$TMP/cxx.cpp" -L"$LIBDIR" -lstix \
    -Wl,-rpath,"$LIBDIR" -o "$TMP/cxx" && "$TMP/cxx"; then
    ok "header compiles as C++"
  else
    bad "header does not compile as C++"
  fi
fi
ok "C test and example compile with -Wall -Wextra -Werror -pedantic"

# 4. the C test: counts its own tests; its closing line is "N passed, M failed"
run_test() {  # label, command...
  local label="$1"; shift
  local out="$TMP/$label.log"
  if "$@" "$SHARED" >"$out" 2>&1; then
    sed 's/^/  /' "$out"
    local line n
    line="$(grep -E '^[0-9]+ passed, 0 failed$' "$out" | tail -n 1)"
    n="${line%% *}"
    [[ -n "$n" && "$n" -gt 0 ]] || { bad "$label: no closing line"; return; }
    ok "$label: $line"
    passed=$((passed + n - 1))
  else
    sed 's/^/  /' "$out" >&2
    bad "$label (exit status $?)"
  fi
}

if ! command -v valgrind >/dev/null && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing valgrind for the leak check"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) \
    >"$TMP/apt.log" 2>&1 || echo "note: could not install valgrind (see apt log)"
fi
if command -v valgrind >/dev/null; then
  run_test "test_libstix (static, valgrind)" \
    valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
    "$TMP/test_libstix_static"
else
  echo "note: valgrind is not available; running without the leak check"
  run_test "test_libstix (static)" "$TMP/test_libstix_static"
fi
run_test "test_libstix (shared)" "$TMP/test_libstix_shared"

# 5. the example, as a user runs it
GOOD="$SHARED/corpus/real/valid/oasis-cti-stix2-json-schemas/poisonivy.json"
CASE="$SHARED/cases/bindings/python_access_nanosecond_timestamp.json"
if out="$("$TMP/validate" "$GOOD" "$CASE")" &&
  grep -q "poisonivy.json: [0-9]* objects, 0 invalid, 0 errors, .*: valid$" <<<"$out"; then
  ok "example: valid corpus bundle and case file pass (exit 0)"
else
  bad "example on valid files: $out"
fi
printf '{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [\n  {"type": "malware", "spec_version": "2.1", "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "created": "yesterday", "modified": "2016-04-06T20:07:09.000Z", "name": "x", "is_family": true}]}\n' >"$TMP/bad.json"
set +e
out="$("$TMP/validate" "$TMP/bad.json")"
status=$?
set -e
if [[ $status -eq 1 ]] && grep -q "error \[STIX-.*\] malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b at /objects/0/created" <<<"$out"; then
  ok "example: invalid object reported with rule, id and path (exit 1)"
else
  bad "example on an invalid bundle: status $status, output: $out"
fi
printf '{"type": "bundle",\n  "objects": [ {"type": } ]}' >"$TMP/broken.json"
set +e
err="$("$TMP/validate" "$TMP/broken.json" 2>&1 >/dev/null)"
status=$?
set -e
if [[ $status -eq 2 ]] && grep -q "STIX_RESULT_JSON.*line 2" <<<"$err"; then
  ok "example: malformed JSON reported with its line (exit 2)"
else
  bad "example on malformed JSON: status $status, stderr: $err"
fi
if "$TMP/validate" --json "$GOOD" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["objects"] and r["is_bundle"]'; then
  ok "example: --json prints the report as JSON"
else
  bad "example --json"
fi

echo
echo "c: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
