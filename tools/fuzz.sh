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
  # libFuzzer exits at once on a corpus folder that does not exist: only targets that have had
  # a crash have a regressions folder.
  corpora=("$out/corpus/$target" "fuzz/corpus/$target")
  [ -d "fuzz/regressions/$target" ] && corpora+=("fuzz/regressions/$target")
  if ! "$out/${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$out/crashes/$target/" -max_len=1048576 -rss_limit_mb=4096 \
      "${corpora[@]}" 2>"$out/$target.log"; then
    echo "   CRASH: see $out/$target.log and $out/crashes/$target/"
    status=1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added)|^Done' "$out/$target.log" | sed 's/^/   /' || true
done
exit "$status"
