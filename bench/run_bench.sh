#!/usr/bin/env bash
# The benchmark suite behind `make bench`: generates the inputs, builds the snapshots, runs the
# in-process benchmarks (Google Benchmark) and the process-level timings, then prints the table
# and writes OUT/summary.json. Method and results: docs/performance.md.
#
# Usage: bench/run_bench.sh [OUT]   (default out/bench; OUT must hold the `bench` targets:
#                                    ninja -C OUT bench)
# Knobs (environment): BENCH_RUNS        whole-process runs per command (default 30)
#                      BENCH_REPETITIONS in-process repetitions, interleaved (default 8)
#                      BENCH_MIN_TIME    seconds per in-process repetition (default 0.3)
#                      BENCH_FILTER      in-process benchmark regex (default: all)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-out/bench}"
data="$out/data"
runs="${BENCH_RUNS:-30}"
repetitions="${BENCH_REPETITIONS:-8}"
min_time="${BENCH_MIN_TIME:-0.3}"
filter="${BENCH_FILTER:-.}"
results="$out/results"

for tool in snapshot_builder snapshot_run v8_floor v8snap_bench; do
  if [ ! -x "$out/$tool" ]; then
    echo "run_bench: $out/$tool is missing; build it first: ninja -C $out bench" >&2
    exit 1
  fi
done

step() { printf '\n== %s\n' "$*" >&2; }

step "inputs (bench/gen_bench_inputs.py)"
rm -rf "$data"
python3 bench/gen_bench_inputs.py "$data" >&2
mkdir -p "$data/snapshots" "$results"
rm -f "$results"/*

step "snapshots"
build() {  # NAME MANIFEST [builder flags...]
  local name="$1" manifest="$2"
  shift 2
  "$out/snapshot_builder" --manifest "$manifest" --out "$data/snapshots/$name.bin" "$@"
  printf '  %-14s %9d bytes blob, %7d bytes sidecar\n' "$name" \
    "$(stat -c %s "$data/snapshots/$name.bin")" \
    "$(stat -c %s "$data/snapshots/$name.bin.sidecar.pb")" >&2
}
# Named by manifest and code-cache mode: `default` and `synth` are cleared builds, as in every run
# before the builder's default became keep, so that the figures compare across runs; the _keep
# ones are what the default builds now (load_default_keep_vs_load and the like).
build default manifests/default.textproto --code-cache=clear
build default_keep manifests/default.textproto --code-cache=keep
build synth "$data/synthetic/manifest.textproto" --code-cache=clear
build synth_keep "$data/synthetic/manifest.textproto" --code-cache=keep
build synth_warm "$data/synthetic/manifest.textproto" --code-cache=keep \
  --warmup "$data/synthetic/first_script.js"
for n in 10 100 1000; do build "scale_$n" "$data/scaling/$n/manifest.textproto"; done

# Google Benchmark 1.8 and later (unstable's) want the unit written; 1.7 (Debian 12's) refuses it.
min_time_arg="$min_time"
if "$out/v8snap_bench" --benchmark_list_tests --benchmark_min_time=1s >/dev/null 2>&1; then
  min_time_arg="${min_time}s"
fi

step "in-process benchmarks ($repetitions interleaved repetitions of ${min_time}s)"
"$out/v8snap_bench" --v8snap_data="$data" \
  --benchmark_filter="$filter" \
  --benchmark_repetitions="$repetitions" \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="$min_time_arg" \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$results/inprocess.json" --benchmark_out_format=json >&2

step "RSS per runtime (one process each)"
for spec in bare:default snapshot:default source:default snapshot:synth source:synth; do
  "$out/v8snap_bench" --v8snap_data="$data" --v8snap_rss="$spec" | tee -a "$results/rss.jsonl" >&2
done

step "whole-process start-up ($runs interleaved runs each)"
# The floor and hello.js with libnode as Debian ships it and as install_deps.sh binds it
# (tools/bind_libnode_calls.py; docs/performance.md, "The direct-start floor"), both through
# env, so that both pay the same for it.
libnode_pair=()
if [ -f "$root/third_party/v8/debian-libnode/libnode.so.108" ]; then
  for v in "debian:$root/third_party/v8/debian-libnode" "bound:$root/third_party/v8/usr/lib/x86_64-linux-gnu"; do
    libnode_pair+=("floor_libnode_${v%%:*}=/usr/bin/env LD_LIBRARY_PATH=${v#*:} $out/v8_floor"
      "snapshot_run_libnode_${v%%:*}=/usr/bin/env LD_LIBRARY_PATH=${v#*:} $out/snapshot_run --snapshot $data/snapshots/default.bin bench/hello.js")
  done
fi
python3 bench/process_timing.py --runs "$runs" --json "$results/startup.json" \
  "floor=$out/v8_floor" \
  "floor_isolate=$out/v8_floor --isolate" \
  "snapshot_run=$out/snapshot_run --snapshot $data/snapshots/default.bin bench/hello.js" \
  "snapshot_run_no_snapshot=$out/snapshot_run --no-snapshot bench/hello.js" \
  "snapshot_run_demo=$out/snapshot_run --snapshot $data/snapshots/default.bin --allow-read=examples examples/hello.js" \
  "${libnode_pair[@]}"

step "whole-process start-up through a pre-started runtime ($runs interleaved runs each)"
# snapshot_run --serve keeps the next runtime made (docs/runtime.md, "Pre-started runtimes");
# the client's wall time is the figure (its CPU time leaves out the runtime process's work).
bash bench/serve_timing.sh "$out" "$data/snapshots/default.bin" "$runs" "$results/startup_serve.json"

step "real-library start-ups: typescript, lodash, preact, marked, acorn ($runs interleaved runs each)"
# Each library layered on the default runtime (clear and keep builds), direct, pre-started,
# Node's own --build-snapshot of the same file, and deno run for typescript.
bash bench/library_bench.sh "$out" "$data" "$runs" "$results/library.json" \
  "$results/library_sizes.json"

step "snapshot_builder vs node --build-snapshot"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node_bin="$(command -v node || true)"
builder_runs=$(( runs / 2 > 5 ? runs / 2 : 5 ))
if [ -n "$node_bin" ]; then
  echo "  node: $node_bin $("$node_bin" --version)" >&2
  python3 bench/process_timing.py --runs "$builder_runs" --json "$results/builder.json" \
    "builder=$out/snapshot_builder --manifest manifests/default.textproto --out $tmp/builder.bin" \
    "node=$node_bin --snapshot-blob $tmp/node.blob --build-snapshot $data/node/entry.js"
else
  echo "  no node on PATH: builder_vs_node left out (tools/install_deps.sh --bench installs it)" >&2
  python3 bench/process_timing.py --runs "$builder_runs" --json "$results/builder.json" \
    "builder=$out/snapshot_builder --manifest manifests/default.textproto --out $tmp/builder.bin"
fi

step "builder scaling (10, 100, 1000 extensions)"
python3 bench/process_timing.py --runs 5 --json "$results/builder_scaling.json" \
  "scale_10=$out/snapshot_builder --manifest $data/scaling/10/manifest.textproto --out $tmp/s10.bin" \
  "scale_100=$out/snapshot_builder --manifest $data/scaling/100/manifest.textproto --out $tmp/s100.bin" \
  "scale_1000=$out/snapshot_builder --manifest $data/scaling/1000/manifest.textproto --out $tmp/s1000.bin"

step "snapshot_inspect heap on a large source (40,000 functions) against building it"
"$out/snapshot_builder" --manifest "$data/heap_large/manifest.textproto" --out "$tmp/heap_large.bin"
python3 bench/process_timing.py --runs 3 --json "$results/heap_large.json" \
  "build=$out/snapshot_builder --manifest $data/heap_large/manifest.textproto --out $tmp/heap_large_build.bin" \
  "heap=$out/snapshot_inspect heap $tmp/heap_large.bin"

python3 bench/inspect_bench.py --out "$out" --data "$data" --small "$data/snapshots/default.bin" --runs "$builder_runs" --json "$results/inspect.json" >&2

step "summary"
python3 bench/summarize.py "$out"
