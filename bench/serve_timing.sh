#!/usr/bin/env bash
# Whole-process start-up of bench/hello.js, direct and through a pre-started runtime
# (`snapshot_run --serve` + snapshot_run_client), interleaved in one process_timing.py run; and
# `deno run` when a deno binary is at hand ($DENO, OUT/deno/deno, out/deno/deno, or on PATH;
# tools/install_deno.sh puts the npm registry's pinned @deno/linux-x64-glibc in out/deno).
#
# Usage: bench/serve_timing.sh OUT SNAPSHOT RUNS JSON
# The server keeps one runtime ready (--serve-parallel=1): the runs are sequential, and the
# runtime for the next command is made while process_timing.py runs the other commands of the
# round, as it would be between two commands typed at a shell.
set -euo pipefail
out="$1" snapshot="$2" runs="$3" json="$4"
if [ ! -x "$out/snapshot_run_client" ]; then
  echo "serve_timing: $out/snapshot_run_client is missing; build it: ninja -C $out bench" >&2
  exit 1
fi
dir="$(mktemp -d)"
"$out/snapshot_run" --serve "$dir/s.sock" --snapshot "$snapshot" --serve-parallel=1 \
  2>"$dir/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1000); do
  grep -qs serving "$dir/server.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.01
done
commands=(
  "snapshot_run=$out/snapshot_run --snapshot $snapshot bench/hello.js"
  "prestarted=$out/snapshot_run_client $dir/s.sock bench/hello.js"
  "client_alone=$out/snapshot_run_client --help"
)
. "$(dirname "${BASH_SOURCE[0]}")/find_deno.sh"
deno="$(find_deno "$out")"
if [ -n "$deno" ]; then
  echo "  deno: $deno $("$deno" --version | head -1)" >&2
  commands+=("deno=$deno run --quiet bench/hello.js")
else
  echo "  no deno: startup_vs_deno left out (set DENO=/path/to/deno)" >&2
fi
python3 bench/process_timing.py --runs "$runs" --json "$json" "${commands[@]}"
