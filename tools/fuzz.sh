#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets with clang-14 + ASan/UBSan and runs each for
# FUZZ_SECONDS (default 60). New interesting inputs go to out/fuzz/corpus/<target>/ (the checked-in
# seeds in fuzz/corpus/ are read, never written); crashes to out/fuzz/crashes/<target>/. Copy a
# crash into fuzz/regressions/<target>/ once fixed: `make test` replays it from then on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${FUZZ_SECONDS:-60}"
out=out/fuzz

bash tools/install_deps.sh --fuzz
gn gen "$out" --args='is_clang=true cc="clang-14" cxx="clang++-14" use_asan=true use_libfuzzer=true'
ninja -C "$out" fuzz:fuzzers

status=0
for target in manifest sidecar blob_header load_path; do
  mkdir -p "$out/corpus/$target" "$out/crashes/$target"
  echo "== fuzzing $target for ${seconds}s"
  if ! "$out/${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$target/" -max_len=1048576 -rss_limit_mb=4096 \
      "$out/corpus/$target" "fuzz/corpus/$target" "fuzz/regressions/$target" 2>"$out/$target.log"; then
    echo "   CRASH: see $out/$target.log and $out/crashes/$target/"
    status=1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added)|^Done' "$out/$target.log" | sed 's/^/   /' || true
done
exit "$status"
