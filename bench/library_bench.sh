#!/usr/bin/env bash
# Real-library start-ups: five pinned npm packages (tools/fetch_bench_packages.sh), each layered
# on the default runtime as a `cjs` source (bench/gen_library_inputs.py), built with
# --code-cache=clear and keep, and Node's own snapshot of the same file. One interleaved
# process_timing.py run times, per library, the whole process of:
#   LIB.clear, LIB.keep  snapshot_run --snapshot clear.bin|keep.bin main.mjs
#   LIB.prestarted       snapshot_run_client SOCK main.mjs (a `snapshot_run --serve` of the
#                        build in the builder's default mode)
#   LIB.node             node --snapshot-blob node.blob node_main.js
#   typescript.deno      deno run deno_main.mjs (the same typescript.js through createRequire)
#   typescript.use_clear, typescript.use_keep  use.mjs (transpileModule of one line)
#   default.clear, default.keep  the default runtime alone, bench/hello.js
# The builder's default mode is found by building the default runtime without --code-cache and
# comparing the bytes with both modes' builds (builds are reproducible). JSON_SIZES gets it and
# the blob sizes. A package that cannot be fetched leaves the figures out, with a line saying so.
#
# Usage: bench/library_bench.sh OUT DATA RUNS JSON JSON_SIZES
set -euo pipefail
out="$1" data="$2" runs="$3" json="$4" sizes="$5"
for tool in snapshot_builder snapshot_run snapshot_run_client; do
  if [ ! -x "$out/$tool" ]; then
    echo "library_bench: $out/$tool is missing; build it: ninja -C $out bench" >&2
    exit 1
  fi
done
if ! modules="$(sh tools/fetch_bench_packages.sh 2>&1)"; then
  echo "$modules" >&2
  echo "  the npm packages could not be fetched: real-library start-ups left out" >&2
  exit 0
fi
libs="$data/libs"
rm -rf "$libs"
python3 bench/gen_library_inputs.py "$modules/node_modules" "$libs" >&2
names=(typescript lodash preact marked acorn)

node_bin="$(command -v node || true)"
. "$(dirname "${BASH_SOURCE[0]}")/find_deno.sh"
deno="$(find_deno "$out")"

for lib in "${names[@]}"; do
  d="$libs/$lib"
  "$out/snapshot_builder" --manifest "$d/manifest.textproto" --out "$d/clear.bin" --code-cache=clear
  "$out/snapshot_builder" --manifest "$d/manifest.textproto" --out "$d/keep.bin" --code-cache=keep
  if [ -n "$node_bin" ]; then
    # Node warns that typescript's use of perf_hooks is not verified in a snapshot; the blob
    # works (node_main.js prints what main.mjs prints).
    "$node_bin" --snapshot-blob "$d/node.blob" --build-snapshot "$d/node_entry.js" \
      >/dev/null 2>"$d/node_build.log" || { cat "$d/node_build.log" >&2; exit 1; }
  fi
done
# The default runtime alone, both ways (bench/hello.js), and once without --code-cache.
mkdir -p "$libs/default"
for mode in clear keep; do
  "$out/snapshot_builder" --manifest manifests/default.textproto --out "$libs/default/$mode.bin" \
    --code-cache=$mode
done
"$out/snapshot_builder" --manifest manifests/default.textproto --out "$libs/default/unset.bin"
default_mode=
for mode in clear keep; do
  cmp -s "$libs/default/unset.bin" "$libs/default/$mode.bin" && default_mode=$mode
done
if [ -z "$default_mode" ]; then
  echo "library_bench: a build without --code-cache matches neither mode's build" >&2
  exit 1
fi
echo "  the builder's default: --code-cache=$default_mode (byte-identical to it)" >&2
python3 - "$libs" "$sizes" "$default_mode" default "${names[@]}" <<'PY'
import json, os, sys
libs, path, mode, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
index = json.load(open(os.path.join(libs, "libraries.json")))
sizes = {}
for lib in names:
    d = os.path.join(libs, lib)
    size = lambda f: os.path.getsize(os.path.join(d, f)) if os.path.exists(os.path.join(d, f)) else None
    sizes[lib] = {"clear": size("clear.bin"), "keep": size("keep.bin"),
                  "clear_sidecar": size("clear.bin.sidecar.pb"), "node": size("node.blob"),
                  "source": index.get(lib, {}).get("source_bytes")}
    s = sizes[lib]
    print(f"  {lib:10s} source {s['source'] or 0:9,d}  blob clear {s['clear']:11,d}  keep"
          f" {s['keep']:11,d} ({(s['keep'] / s['clear'] - 1) * 100:+.1f}%)  node"
          f" {s['node'] or 0:11,d}", file=sys.stderr)
with open(path, "w") as f:
    json.dump({"default_code_cache": mode, "blobs": sizes}, f, indent=2, sort_keys=True)
    f.write("\n")
PY

# One pre-started server per library snapshot (--serve-parallel=1: it remakes the runtime after
# each command, while the round goes on with the other commands).
sockets="$(mktemp -d)"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$sockets"
}
trap cleanup EXIT
for lib in "${names[@]}"; do
  "$out/snapshot_run" --serve "$sockets/$lib.sock" --snapshot "$libs/$lib/$default_mode.bin" \
    --serve-parallel=1 2>"$sockets/$lib.log" &
  servers+=($!)
done
for lib in "${names[@]}"; do
  for _ in $(seq 1000); do
    grep -qs serving "$sockets/$lib.log" && break
    sleep 0.01
  done
  grep -qs serving "$sockets/$lib.log" || { cat "$sockets/$lib.log" >&2; exit 1; }
done

commands=(
  "default.clear=$out/snapshot_run --snapshot $libs/default/clear.bin bench/hello.js"
  "default.keep=$out/snapshot_run --snapshot $libs/default/keep.bin bench/hello.js"
)
for lib in "${names[@]}"; do
  d="$libs/$lib"
  commands+=(
    "$lib.clear=$out/snapshot_run --snapshot $d/clear.bin $d/main.mjs"
    "$lib.keep=$out/snapshot_run --snapshot $d/keep.bin $d/main.mjs"
    "$lib.prestarted=$out/snapshot_run_client $sockets/$lib.sock $d/main.mjs"
  )
  [ -n "$node_bin" ] && commands+=("$lib.node=$node_bin --snapshot-blob $d/node.blob $d/node_main.js")
  if [ -f "$d/use.mjs" ]; then
    commands+=("$lib.use_clear=$out/snapshot_run --snapshot $d/clear.bin $d/use.mjs"
               "$lib.use_keep=$out/snapshot_run --snapshot $d/keep.bin $d/use.mjs")
  fi
  if [ -f "$d/deno_main.mjs" ] && [ -n "$deno" ]; then
    commands+=("$lib.deno=$deno run --quiet --allow-read --allow-env $d/deno_main.mjs")
  fi
done
[ -n "$node_bin" ] || echo "  no node on PATH: the node snapshot figures left out" >&2
if [ -n "$deno" ]; then
  echo "  deno: $deno $("$deno" --version | head -1)" >&2
else
  echo "  no deno: library_startup_typescript_vs_deno left out (set DENO=/path/to/deno)" >&2
fi
# Deno keeps its V8 code cache in DENO_DIR, filled by process_timing.py's warm-up round: the
# measured runs are Deno's warm start, as a user's second run would be.
DENO_DIR="$data/deno_dir" python3 bench/process_timing.py --runs "$runs" --json "$json" \
  "${commands[@]}"
