#!/usr/bin/env bash
# Runs every test binary of a build folder and ends with one line "N passed, N failed".
# Usage: tools/run_tests.sh OUT_DIR [BINARY...]   (BINARY: more gtest binaries to run and count)
#        tools/run_tests.sh --only BINARY...       (just those)
set -u
only=0
if [ "${1:-}" = --only ]; then
  only=1
  shift
  out="${1:-}"
else
  out="${1:-out/release}"
  shift || true
fi
passed=0
failed=0
failed_binaries=()

binaries=()
[ "$only" -eq 1 ] ||
  mapfile -t binaries < <(find "$out" -maxdepth 1 -type f -executable \( -name '*_unittests' -o -name '*_tests' \) | sort)
binaries+=("$@")
if [ "${#binaries[@]}" -eq 0 ]; then
  echo "run_tests: no test binaries in $out (run: make build)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

for bin in "${binaries[@]}"; do
  name="$(basename "$bin")"
  log="$(mktemp)"
  start=$(date +%s)
  "$bin" --gtest_color=no >"$log" 2>&1
  rc=$?
  p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | head -1)
  f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | grep -oE '[0-9]+' | head -1)
  p=${p:-0}
  f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # crashed or failed outside a test: count the binary itself as a failure
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  printf '%-28s %4d passed %4d failed  (%ds)\n' "$name" "$p" "$f" $(( $(date +%s) - start ))
  if [ "$f" -ne 0 ]; then
    failed_binaries+=("$name")
    grep -E '^\[  FAILED  \]|Failure|error:' "$log" | head -40 | sed 's/^/    /'
    if [ "$rc" -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$log"; then tail -20 "$log" | sed 's/^/    /'; fi
  fi
  rm -f "$log"
done

[ "${#failed_binaries[@]}" -eq 0 ] || echo "failing: ${failed_binaries[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
