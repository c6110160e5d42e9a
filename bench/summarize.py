#!/usr/bin/env python3
"""Turns one run's raw results into the figures: prints the tables, writes summary.json.

Usage: summarize.py OUT   (reads OUT/results/*, writes OUT/summary.json)

Every figure is a ratio of two measurements from the same run. In-process start-up figures use
the thread CPU time of the measured part (counter cpu_us, median over interleaved repetitions);
load_vs_bare_isolate, extension_cost_saved and source_vs_load come from a paired benchmark that
runs the start-ups they compare side by side in each iteration. The wall-clock twin of each
figure is written too, as KEY_wall. Whole-process figures use the median
CPU time (user + system, all threads) of interleaved runs, again with a KEY_wall twin. On this
shared two-core machine the wall clock also counts every moment a thread waited for a core that
other work held; docs/performance.md explains the choice.
"""
import json
import os
import sys

# key: (goal, "<=" or ">=", what it measures)
GOALS = {
    "load_vs_bare_isolate": (1.2, "<=", "snapshot load (check incl.) / bare Isolate::New+Context::New"),
    "extension_cost_saved": (0.9, ">=", "1 - (load - bare) / (from source - bare), default manifest"),
    "source_vs_load": (10.0, ">=", "from source / snapshot load, 2 MB synthetic runtime"),
    "check_share_of_load": (0.02, "<=", "(sidecar decode + blob hash + layout check) / load"),
    "startup_vs_floor": (1.3, "<=", "process: snapshot_run bench/hello.js / v8_floor"),
    "builder_vs_node": (0.5, "<=", "process: snapshot_builder / node --build-snapshot"),
    "op_call_vs_js_call": (3.0, "<=", "time per sync op call / per plain JS call, hot loop"),
    "inspect_info_vs_read": (2.0, "<=", "process: (snapshot_inspect info 50 MB - floor) / read it"),
    "inspect_diff_10k_ms": (500, "<=", "process: snapshot_inspect diff, 10,000 ops each, ms"),
    "inspect_heap_vs_build": (3.0, "<=", "process: snapshot_inspect heap / its build, 40,000 functions"),
    "startup_vs_deno": (1.0, "<=", "process wall: snapshot_run hello.js / deno run hello.js"),
    "startup_vs_deno_prestarted": (0.5, "<=", "process wall: snapshot_run_client hello.js / deno"),
}


def load_json(path):
    with open(path) as f:
        return json.load(f)


class InProcess:
    """Medians of the Google Benchmark aggregates, by benchmark name."""

    def __init__(self, path):
        self.rows = {}
        for row in load_json(path)["benchmarks"]:
            if row.get("aggregate_name") == "median":
                self.rows[row["run_name"]] = row

    def get(self, name):
        for key in (name, name + "/manual_time"):
            if key in self.rows:
                return self.rows[key]
        return None

    def cpu_us(self, name):
        row = self.get(name)
        return row.get("cpu_us") if row else None

    def wall_us(self, name):
        row = self.get(name)
        if not row:
            return None
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[row["time_unit"]]
        return row["real_time"] * scale

    def cpu_time_us(self, name):
        """The framework's CPU time (for benchmarks timed whole, without ManualTimer)."""
        row = self.get(name)
        if not row:
            return None
        scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[row["time_unit"]]
        return row["cpu_time"] * scale

    def items_per_second(self, name):
        row = self.get(name)
        return row.get("items_per_second") if row else None

    def counter(self, name, counter):
        row = self.get(name)
        return row.get(counter) if row else None


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


# bench/library_bench.sh: real npm libraries layered on the default runtime. The figures that
# compare with another program (Node's own snapshot, deno run) or go through the pre-started
# runtime use wall time, as startup_vs_deno does (a client's CPU time leaves out the runtime
# process; Node and Deno compile on threads of their own), with a KEY_cpu twin where both sides
# are direct. keep against clear compares snapshot_run with itself: CPU time, with a KEY_wall twin.
def library_figures(results, s, extra):
    path = os.path.join(results, "library.json")
    if not os.path.exists(path):
        return []
    timing = load_json(path)
    sizes_path = os.path.join(results, "library_sizes.json")
    sizes = load_json(sizes_path) if os.path.exists(sizes_path) else {}
    blobs = sizes.get("blobs", {})
    # The start-up figures are those of a build in the builder's default code-cache mode.
    mode = sizes.get("default_code_cache", "clear")
    extra["library_default_code_cache"] = mode
    names = []
    for key in timing:
        lib = key.split(".", 1)[0]
        if lib not in names:
            names.append(lib)
    names.sort(key=lambda n: (n != "typescript", n == "default", n))

    def get(lib, kind, metric="wall_ms"):
        row = timing.get(f"{lib}.{kind}")
        return row[metric] if row else None

    def direct(lib, metric="wall_ms"):
        return get(lib, mode, metric)

    kinds = ("direct", "direct_cpu", "clear_cpu", "keep_cpu", "prestarted", "node", "deno")
    ms = {kind: {} for kind in kinds}
    for lib in names:
        ms["direct"][lib] = direct(lib)
        ms["direct_cpu"][lib] = direct(lib, "cpu_ms")
        ms["clear_cpu"][lib] = get(lib, "clear", "cpu_ms")
        ms["keep_cpu"][lib] = get(lib, "keep", "cpu_ms")
        ms["prestarted"][lib] = get(lib, "prestarted")
        ms["node"][lib] = get(lib, "node")
        ms["deno"][lib] = get(lib, "deno")
        s[f"library_startup_vs_node_snapshot_{lib}"] = ratio(direct(lib), get(lib, "node"))
        s[f"library_startup_vs_node_snapshot_{lib}_cpu"] = ratio(
            direct(lib, "cpu_ms"), get(lib, "node", "cpu_ms"))
        s[f"library_startup_prestarted_vs_node_snapshot_{lib}"] = ratio(get(lib, "prestarted"),
                                                                         get(lib, "node"))
        s[f"library_keep_vs_clear_{lib}"] = ratio(get(lib, "keep", "cpu_ms"),
                                                  get(lib, "clear", "cpu_ms"))
        s[f"library_keep_vs_clear_{lib}_wall"] = ratio(get(lib, "keep"), get(lib, "clear"))
        if get(lib, "use_clear") is not None:
            s[f"library_keep_vs_clear_{lib}_use"] = ratio(get(lib, "use_keep", "cpu_ms"),
                                                          get(lib, "use_clear", "cpu_ms"))
            s[f"library_keep_vs_clear_{lib}_use_wall"] = ratio(get(lib, "use_keep"),
                                                               get(lib, "use_clear"))
            extra[f"library_use_ms_{lib}"] = {"clear_cpu": get(lib, "use_clear", "cpu_ms"),
                                              "keep_cpu": get(lib, "use_keep", "cpu_ms"),
                                              "clear": get(lib, "use_clear"),
                                              "keep": get(lib, "use_keep")}
        blob = blobs.get(lib, {})
        s[f"library_keep_blob_vs_clear_{lib}"] = ratio(blob.get("keep"), blob.get("clear"))
    s["library_startup_vs_node_snapshot"] = s.get("library_startup_vs_node_snapshot_typescript")
    s["library_startup_vs_node_snapshot_cpu"] = s.get(
        "library_startup_vs_node_snapshot_typescript_cpu")
    s["library_startup_typescript_vs_deno"] = ratio(direct("typescript"),
                                                    get("typescript", "deno"))
    s["library_startup_typescript_vs_deno_cpu"] = ratio(direct("typescript", "cpu_ms"),
                                                        get("typescript", "deno", "cpu_ms"))
    s["library_startup_typescript_prestarted_vs_deno"] = ratio(get("typescript", "prestarted"),
                                                               get("typescript", "deno"))
    s["library_startup_typescript_prestarted_vs_node_snapshot"] = s.get(
        "library_startup_prestarted_vs_node_snapshot_typescript")
    drop_none = lambda d: {k: v for k, v in d.items() if v is not None}
    extra["library_startup_ms"] = drop_none(ms["direct"])
    extra["library_startup_cpu_ms"] = drop_none(ms["direct_cpu"])
    extra["library_startup_clear_cpu_ms"] = drop_none(ms["clear_cpu"])
    extra["library_startup_keep_cpu_ms"] = drop_none(ms["keep_cpu"])
    extra["library_startup_prestarted_ms"] = drop_none(ms["prestarted"])
    extra["library_node_snapshot_ms"] = drop_none(ms["node"])
    extra["library_deno_ms"] = drop_none(ms["deno"])
    extra["library_blob_bytes"] = blobs
    return [(lib, ms["direct"][lib], ms["prestarted"][lib], ms["node"][lib], ms["deno"][lib],
             s.get(f"library_startup_vs_node_snapshot_{lib}"),
             s.get(f"library_startup_prestarted_vs_node_snapshot_{lib}"),
             s.get(f"library_keep_vs_clear_{lib}"), blobs.get(lib, {})) for lib in names]


def print_library_rows(rows, summary):
    if not rows:
        print("\nreal-library start-up: not measured (bench/library_bench.sh found no packages)")
        return
    def num(v, f):
        width = int(f.split(".")[0])
        return format(v, f) if v is not None else format("n/a", f">{width}s")
    print("\nreal-library start-up (wall ms, median; ratios v8snap / other, < 1 is faster; "
          f"--code-cache={summary.get('library_default_code_cache')}, the builder's default):")
    print(f"  {'library':10s} {'direct':>7s} {'pre-st.':>7s} {'node sn.':>8s} {'deno':>7s}"
          f" {'vs node':>7s} {'pre/node':>8s} {'keep/clr':>8s}  blob clear / keep / node")
    for lib, direct, pre, node, deno, vs_node, pre_node, keep, size in rows:
        blob = " / ".join(f"{size[k] / 1e6:.2f}" if size.get(k) else "n/a"
                          for k in ("clear", "keep", "node"))
        print(f"  {lib:10s} {num(direct, '7.1f')} {num(pre, '7.1f')} {num(node, '8.1f')}"
              f" {num(deno, '7.1f')} {num(vs_node, '7.3f')} {num(pre_node, '8.3f')}"
              f" {num(keep, '8.3f')}  {blob} MB")
    for key in ("library_startup_vs_node_snapshot", "library_startup_typescript_vs_deno",
                "library_startup_typescript_prestarted_vs_deno",
                "library_startup_typescript_prestarted_vs_node_snapshot",
                "library_keep_vs_clear_typescript_use"):
        value = summary.get(key)
        print(f"  {key:56s} {value:8.3f}" if value is not None else f"  {key:56s}      n/a")
    print("  (keep/clr: CPU time of the same script from a --code-cache=keep and a clear build;"
          " typescript_use: transpileModule of one line;\n   default: the default runtime alone,"
          " bench/hello.js)")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py OUT")
    out = sys.argv[1]
    results = os.path.join(out, "results")
    bench = InProcess(os.path.join(results, "inprocess.json"))
    startup = load_json(os.path.join(results, "startup.json"))
    builder = load_json(os.path.join(results, "builder.json"))
    scaling = load_json(os.path.join(results, "builder_scaling.json"))
    rss = {}
    with open(os.path.join(results, "rss.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            rss[f"{row['kind']}:{row['input']}"] = row["rss_kib_per_runtime"]

    s = {}
    extra = {}
    # bench/inspect_bench.py: snapshot_inspect's two figures and their raw timings.
    inspect_path = os.path.join(results, "inspect.json")
    if os.path.exists(inspect_path):
        s.update(load_json(inspect_path))

    def both(key, measure):
        """measure(metric) -> value, for metric 'cpu' and 'wall'."""
        s[key] = measure("cpu")
        s[key + "_wall"] = measure("wall")

    def t(name, metric):
        return bench.cpu_us(name) if metric == "cpu" else bench.wall_us(name)

    bare, load, source = "BM_BareIsolate", "BM_SnapshotLoad/default", "BM_FromSource/default"
    both("load_vs_bare_isolate", lambda m: ratio(t(load, m), t(bare, m)))

    def saved(m):
        b, l, src = t(bare, m), t(load, m), t(source, m)
        if None in (b, l, src) or src == b:
            return None
        return 1 - (l - b) / (src - b)
    both("extension_cost_saved", saved)
    both("source_vs_load", lambda m: ratio(t("BM_FromSource/synth", m), t("BM_SnapshotLoad/synth", m)))

    # The headline CPU figures come from the paired benchmark (bare, load and from-source side by
    # side in every iteration, median of the per-repetition ratios); the figures of the separate
    # benchmarks above stay as KEY_separate, and the wall-clock twins come from those.
    paired = {
        "load_vs_bare_isolate": ("BM_StartupsPaired/default", "load_vs_bare"),
        "extension_cost_saved": ("BM_StartupsPaired/default", "extension_cost_saved"),
        "source_vs_load": ("BM_StartupsPaired/synth", "source_vs_load"),
    }
    for key, (name, counter) in paired.items():
        value = bench.counter(name, counter)
        if value is not None:
            extra[key + "_separate"] = s[key]
            s[key] = value

    def check_share(m):
        parts = [bench.cpu_time_us(f"BM_Check{p}/default") if m == "cpu"
                 else bench.wall_us(f"BM_Check{p}/default")
                 for p in ("DecodeSidecar", "BlobHash", "Layout")]
        if None in parts:
            return None
        return ratio(sum(parts), t(load, m))
    both("check_share_of_load", check_share)

    def process(table, a, b):
        return (ratio(table[a]["cpu_ms"], table[b]["cpu_ms"]),
                ratio(table[a]["wall_ms"], table[b]["wall_ms"]))
    s["startup_vs_floor"], s["startup_vs_floor_wall"] = process(startup, "snapshot_run", "floor")
    if "node" in builder:
        s["builder_vs_node"], s["builder_vs_node_wall"] = process(builder, "builder", "node")
    s["op_call_vs_js_call"] = ratio(bench.items_per_second("BM_HotLoop/js_function"),
                                    bench.items_per_second("BM_HotLoop/op"))

    # Levers and supporting figures.
    extra["v8_checksum_load_vs_load"] = ratio(bench.cpu_us("BM_SnapshotLoadV8Checksum/default"),
                                              bench.cpu_us(load))
    extra["v8_checksum_bare_vs_bare"] = ratio(bench.cpu_us("BM_BareIsolateV8Checksum"),
                                              bench.cpu_us(bare))
    extra["v8_checksum_synth_load_vs_load"] = ratio(
        bench.cpu_us("BM_SnapshotLoadV8Checksum/synth"), bench.cpu_us("BM_SnapshotLoad/synth"))
    extra["blob_copy_share_of_load"] = ratio(bench.cpu_time_us("BM_BlobCopy/default"),
                                             bench.cpu_us(load))
    extra["blob_map_vs_read_hash"] = ratio(bench.cpu_time_us("BM_BlobMapAndHash/default"),
                                           bench.cpu_time_us("BM_BlobReadAndHash/default"))
    extra["blob_map_vs_read_hash_synth"] = ratio(bench.cpu_time_us("BM_BlobMapAndHash/synth"),
                                                 bench.cpu_time_us("BM_BlobReadAndHash/synth"))
    extra["sidecar_decode_arena_vs_heap"] = ratio(bench.cpu_time_us("BM_CheckDecodeSidecar/default"),
                                                  bench.cpu_time_us("BM_DecodeSidecarOnHeap/default"))
    extra["check_share_of_load_synth"] = ratio(
        sum(bench.cpu_time_us(f"BM_Check{p}/synth") or 0
            for p in ("DecodeSidecar", "BlobHash", "Layout")),
        bench.cpu_us("BM_SnapshotLoad/synth"))
    for variant in ("default_keep",):
        extra[f"load_{variant}_vs_load"] = ratio(bench.cpu_us(f"BM_SnapshotLoad/{variant}"),
                                                 bench.cpu_us(load))
    for variant in ("synth_keep", "synth_warm"):
        extra[f"load_{variant}_vs_load"] = ratio(bench.cpu_us(f"BM_SnapshotLoad/{variant}"),
                                                 bench.cpu_us("BM_SnapshotLoad/synth"))
    for variant in ("synth_keep", "synth_warm", "synth_source"):
        extra[f"first_script_{variant}_vs_synth"] = ratio(
            bench.cpu_us(f"BM_FirstScript/{variant}"), bench.cpu_us("BM_FirstScript/synth"))
    extra["first_script_default_keep_vs_default"] = ratio(
        bench.cpu_us("BM_FirstScript/default_keep"), bench.cpu_us("BM_FirstScript/default"))
    extra["pool_first_script_vs_cold"] = ratio(bench.cpu_us("BM_PoolFirstScript/ready"),
                                               bench.cpu_us("BM_PoolFirstScript/cold"))
    extra["pool_first_script_vs_cold_wall"] = ratio(bench.wall_us("BM_PoolFirstScript/ready"),
                                                    bench.wall_us("BM_PoolFirstScript/cold"))
    extra["pool_back_to_back_vs_cold_wall"] = ratio(
        bench.wall_us("BM_PoolFirstScript/back_to_back"), bench.wall_us("BM_PoolFirstScript/cold"))
    extra["op_call_vs_js_call_fast_api"] = ratio(
        bench.items_per_second("BM_HotLoop/js_function"),
        bench.items_per_second("BM_HotLoop/fast_api_op"))
    extra["startup_floor_isolate_vs_floor"] = process(startup, "floor_isolate", "floor")[0]
    extra["load_dispose_share"] = ratio(bench.counter(load, "dispose_cpu_us"), bench.cpu_us(load))
    extra["startup_demo_vs_floor"] = process(startup, "snapshot_run_demo", "floor")[0]
    extra["startup_no_snapshot_vs_snapshot"] = process(
        startup, "snapshot_run_no_snapshot", "snapshot_run")[0]
    # libnode's own calls bound in the file (tools/bind_libnode_calls.py) / libnode as Debian
    # ships it: v8_floor and hello.js (docs/performance.md, "The direct-start floor").
    if "floor_libnode_debian" in startup:
        extra["floor_bound_vs_debian_libnode"] = process(
            startup, "floor_libnode_bound", "floor_libnode_debian")[0]
        extra["startup_bound_vs_debian_libnode"] = process(
            startup, "snapshot_run_libnode_bound", "snapshot_run_libnode_debian")[0]
    # bench/serve_timing.sh: hello.js direct and through a pre-started runtime (wall time: the
    # client's CPU time leaves out the runtime process that does the work), and deno run.
    serve_path = os.path.join(results, "startup_serve.json")
    if os.path.exists(serve_path):
        serve = load_json(serve_path)
        wall = lambda a, b: ratio(serve[a]["wall_ms"], serve[b]["wall_ms"])
        extra["startup_prestarted_vs_direct"] = wall("prestarted", "snapshot_run")
        extra["startup_serve_wall_ms"] = {k: v["wall_ms"] for k, v in serve.items()}
        if "deno" in serve:
            s["startup_vs_deno"] = wall("snapshot_run", "deno")
            s["startup_vs_deno_prestarted"] = wall("prestarted", "deno")
            s["startup_vs_deno_cpu"] = ratio(serve["snapshot_run"]["cpu_ms"], serve["deno"]["cpu_ms"])
    # snapshot_inspect heap on a large source against building that snapshot (heap
    # must stay linear; V8's heap snapshot is quadratic on a large source unless v8snap computes
    # every script's line ends first).
    heap_path = os.path.join(results, "heap_large.json")
    if os.path.exists(heap_path):
        heap = load_json(heap_path)
        s["inspect_heap_vs_build"] = ratio(heap["heap"]["cpu_ms"], heap["build"]["cpu_ms"])
        extra["inspect_heap_large_ms"] = {k: v["cpu_ms"] for k, v in heap.items()}
    library_rows = library_figures(results, s, extra)
    extra["rss_kib_per_runtime"] = rss
    extra["rss_snapshot_vs_source_default"] = ratio(rss.get("snapshot:default"),
                                                    rss.get("source:default"))
    extra["rss_snapshot_vs_source_synth"] = ratio(rss.get("snapshot:synth"), rss.get("source:synth"))

    # Scaling: builder time per extension count, sidecar bytes, check and diff per op.
    curve = {"builder_ms": {}, "builder_cpu_ms": {}, "sidecar_bytes": {}}
    for n in (10, 100, 1000):
        curve["builder_ms"][n] = scaling[f"scale_{n}"]["wall_ms"]
        curve["builder_cpu_ms"][n] = scaling[f"scale_{n}"]["cpu_ms"]
        sidecar = os.path.join(out, "data", "snapshots", f"scale_{n}.bin.sidecar.pb")
        curve["sidecar_bytes"][n] = os.path.getsize(sidecar) if os.path.exists(sidecar) else None
    ops_curve = {"sidecar_bytes": {}, "decode_us": {}, "check_us": {}, "diff_all_moved_us": {}}
    for n in (10, 100, 1000, 10000):
        ops_curve["sidecar_bytes"][n] = bench.counter(f"BM_ScaleDecodeSidecar/{n}", "sidecar_bytes")
        ops_curve["decode_us"][n] = bench.cpu_time_us(f"BM_ScaleDecodeSidecar/{n}")
        ops_curve["check_us"][n] = bench.cpu_time_us(f"BM_ScaleCheck/{n}")
        ops_curve["diff_all_moved_us"][n] = bench.cpu_time_us(f"BM_ScaleDiffAllMoved/{n}")
    extra["scaling_extensions"] = curve
    extra["scaling_ops"] = ops_curve
    extra["absolute"] = {
        "bare_isolate_cpu_us": bench.cpu_us(bare),
        "load_default_cpu_us": bench.cpu_us(load),
        "from_source_default_cpu_us": bench.cpu_us(source),
        "load_synth_cpu_us": bench.cpu_us("BM_SnapshotLoad/synth"),
        "from_source_synth_cpu_us": bench.cpu_us("BM_FromSource/synth"),
        "floor_cpu_ms": startup["floor"]["cpu_ms"],
        "snapshot_run_cpu_ms": startup["snapshot_run"]["cpu_ms"],
        "builder_cpu_ms": builder["builder"]["cpu_ms"],
        "node_build_snapshot_cpu_ms": builder.get("node", {}).get("cpu_ms"),
        "js_call_ns": 1e9 / bench.items_per_second("BM_HotLoop/js_function"),
        "op_call_ns": 1e9 / bench.items_per_second("BM_HotLoop/op"),
    }

    summary = {k: v for k, v in s.items() if v is not None}
    summary.update({k: v for k, v in extra.items() if v is not None})
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")

    print(f"{'figure':24s} {'value':>8s} {'goal':>8s}      {'wall-clock':>10s}  measures")
    for key, (goal, direction, what) in GOALS.items():
        value = s.get(key)
        if value is None:
            print(f"{key:24s} {'n/a':>8s} {direction}{goal:<7g}      {'':>10s}  {what}")
            continue
        ok = value <= goal if direction == "<=" else value >= goal
        wall = s.get(key + "_wall")
        wall_text = f"{wall:10.3f}" if wall is not None else f"{'':>10s}"
        print(f"{key:24s} {value:8.3f} {direction}{goal:<7g} {'ok  ' if ok else 'MISS'} {wall_text}"
              f"  {what}")
    print()
    print("levers (ratios; < 1 is faster or smaller):")
    for key in ("v8_checksum_load_vs_load", "v8_checksum_bare_vs_bare",
                "v8_checksum_synth_load_vs_load", "blob_copy_share_of_load",
                "blob_map_vs_read_hash", "blob_map_vs_read_hash_synth",
                "load_default_keep_vs_load", "first_script_default_keep_vs_default",
                "load_synth_keep_vs_load", "load_synth_warm_vs_load",
                "first_script_synth_keep_vs_synth", "first_script_synth_warm_vs_synth",
                "first_script_synth_source_vs_synth", "pool_first_script_vs_cold",
                "pool_first_script_vs_cold_wall", "pool_back_to_back_vs_cold_wall",
                "op_call_vs_js_call_fast_api", "startup_floor_isolate_vs_floor",
                "startup_demo_vs_floor", "load_dispose_share",
                "startup_no_snapshot_vs_snapshot", "floor_bound_vs_debian_libnode",
                "startup_bound_vs_debian_libnode", "rss_snapshot_vs_source_default",
                "rss_snapshot_vs_source_synth", "check_share_of_load_synth",
                "sidecar_decode_arena_vs_heap", "load_vs_bare_isolate_separate",
                "extension_cost_saved_separate", "source_vs_load_separate"):
        value = summary.get(key)
        print(f"  {key:40s} {value:8.3f}" if value is not None else f"  {key:40s}      n/a")
    print()
    print("scaling (extensions: builder ms / sidecar bytes; ops: decode / check / diff µs):")
    for n in (10, 100, 1000):
        print(f"  {n:5d} extensions  builder {curve['builder_cpu_ms'][n]:8.1f} ms cpu"
              f" ({curve['builder_ms'][n]:7.1f} wall)  sidecar {curve['sidecar_bytes'][n]} B")
    for n in (10, 100, 1000, 10000):
        def fmt(v):
            return f"{v:9.1f}" if v is not None else "      n/a"
        print(f"  {n:5d} ops  sidecar {ops_curve['sidecar_bytes'][n]!s:>8} B  decode"
              f" {fmt(ops_curve['decode_us'][n])}  check {fmt(ops_curve['check_us'][n])}"
              f"  diff {fmt(ops_curve['diff_all_moved_us'][n])} µs")
    print_library_rows(library_rows, summary)
    print(f"\nwrote {os.path.join(out, 'summary.json')}")


if __name__ == "__main__":
    main()
