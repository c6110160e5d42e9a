// Start-up in-process: a bare V8 isolate + context (the baseline), a runtime loaded from a
// snapshot held in memory (check included), the same runtime evaluated from source, the parts
// of the load-time check, and the levers around them (V8's own checksum, copying vs mapping the
// blob, keeping compiled code in the blob).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "bench/bench_support.h"
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"
#include "google/protobuf/arena.h"
#include "check/layout_diff.h"
#include "check/load_check.h"
#include "check/snapshot_layout.h"
#include "runtime/v8_process.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-initialization.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"

namespace v8snap::bench {
namespace {

// The user's first script on a fresh runtime of the default manifest: touches the op surface
// and the built-ins, prints nothing.
constexpr char kDefaultFirstScript[] =
    "const names = v8snap.core.opNames();"
    "[1, 2, 3].map((x) => x * names.length).join(',') + JSON.stringify({ n: names.length })";

// V8 with its built-in snapshot: Isolate::New + Context::New, nothing of v8snap. The process
// runs with the runtime's flags (--no-verify-snapshot-checksum), so both sides skip V8's checksum
// unless a benchmark turns it back on.
// An isolate from V8's built-in snapshot with one context made in it; the caller disposes it.
v8::Isolate* NewBareIsolateWithContext(v8::ArrayBuffer::Allocator* allocator) {
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator;
  v8::Isolate* isolate = v8::Isolate::New(params);
  {
    v8::Isolate::Scope isolate_scope(isolate);
    v8::HandleScope scope(isolate);
    benchmark::DoNotOptimize(v8::Context::New(isolate));
  }
  return isolate;
}

void BM_BareIsolate(benchmark::State& state) {
  EnsureV8();
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  double cpu = 0;
  for (auto _ : state) {
    ManualTimer timer(state, &cpu);
    v8::Isolate* isolate = NewBareIsolateWithContext(allocator.get());
    timer.Stop();
    isolate->Dispose();
  }
  ReportThreadCpu(state, cpu);
}

// "Blob + sidecar in memory" to "context ready, ops bound", check included: the sidecar's
// envelope and payload are decoded, the blob copied into a VerifiedSnapshotPair and hashed
// against it (VerifiedSnapshotPair::Decode), then FromVerifiedSnapshot (own layout, layout diff,
// isolate, context, modules).
void BM_SnapshotLoad(benchmark::State& state, const char* name) {
  EnsureV8();
  const SnapshotInput& in = Input(name);
  double cpu = 0;
  double dispose_cpu = 0;
  for (auto _ : state) {
    std::unique_ptr<JsRuntime> runtime;
    {
      ManualTimer timer(state, &cpu);
      // Decodes the sidecar (on the pair's arena) and hashes the blob against it once;
      // FromVerifiedSnapshot does not hash again.
      auto verified = VerifiedSnapshotPair::Decode(in.blob, in.sidecar_bytes, in.blob_path);
      CheckOk(verified.status(), "pair");
      auto loaded = JsRuntime::FromVerifiedSnapshot(*verified, in.config);
      CheckOk(loaded.status(), "load");
      runtime = *std::move(loaded);
    }
    // Not part of the load; measured because a process that exits right after its script could
    // skip it.
    double dispose_start = ThreadCpuSeconds();
    runtime.reset();
    dispose_cpu += ThreadCpuSeconds() - dispose_start;
  }
  state.counters["blob_bytes"] = static_cast<double>(in.blob.size());
  state.counters["dispose_cpu_us"] =
      benchmark::Counter(dispose_cpu * 1e6, benchmark::Counter::kAvgIterations);
  ReportThreadCpu(state, cpu);
}

// The three start-ups side by side in every iteration (bare isolate, snapshot load, from source,
// each disposed before the next), each with its own thread-CPU clock: a paired measurement, so
// that a slow spell of this shared machine slows all three alike instead of whichever benchmark
// happened to run then. The headline ratios come from these counters.
void BM_StartupsPaired(benchmark::State& state, const char* name) {
  EnsureV8();
  const SnapshotInput& in = Input(name);
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  double bare_cpu = 0, load_cpu = 0, source_cpu = 0, all_cpu = 0;
  for (auto _ : state) {
    ManualTimer timer(state, &all_cpu);
    {
      double start = ThreadCpuSeconds();
      v8::Isolate* isolate = NewBareIsolateWithContext(allocator.get());
      bare_cpu += ThreadCpuSeconds() - start;
      isolate->Dispose();
    }
    {
      double start = ThreadCpuSeconds();
      auto verified = VerifiedSnapshotPair::Decode(in.blob, in.sidecar_bytes, in.blob_path);
      CheckOk(verified.status(), "pair");
      auto loaded = JsRuntime::FromVerifiedSnapshot(*verified, in.config);
      CheckOk(loaded.status(), "load");
      load_cpu += ThreadCpuSeconds() - start;
    }
    {
      double start = ThreadCpuSeconds();
      auto created = JsRuntime::FromSource(in.config);
      CheckOk(created.status(), "from source");
      source_cpu += ThreadCpuSeconds() - start;
    }
  }
  auto per_iteration_us = [&](double seconds) {
    return benchmark::Counter(seconds * 1e6, benchmark::Counter::kAvgIterations);
  };
  state.counters["bare_cpu_us"] = per_iteration_us(bare_cpu);
  state.counters["load_cpu_us"] = per_iteration_us(load_cpu);
  state.counters["source_cpu_us"] = per_iteration_us(source_cpu);
  state.counters["load_vs_bare"] = load_cpu / bare_cpu;
  state.counters["source_vs_load"] = source_cpu / load_cpu;
  state.counters["extension_cost_saved"] = 1 - (load_cpu - bare_cpu) / (source_cpu - bare_cpu);
}

// The same load with V8's own adler32 pass over the blob switched back on (V8 10.2's default;
// the runtime turns it off because v8snap has already hashed every byte). V8 10.2 reads the flag
// at each isolate start, so it can be flipped between benchmarks of one process.
void BM_SnapshotLoadV8Checksum(benchmark::State& state, const char* name) {
  EnsureV8();
  v8::V8::SetFlagsFromString("--verify-snapshot-checksum");
  BM_SnapshotLoad(state, name);
  v8::V8::SetFlagsFromString("--no-verify-snapshot-checksum");
}

void BM_BareIsolateV8Checksum(benchmark::State& state) {
  EnsureV8();
  v8::V8::SetFlagsFromString("--verify-snapshot-checksum");
  BM_BareIsolate(state);
  v8::V8::SetFlagsFromString("--no-verify-snapshot-checksum");
}

// --no-snapshot: a bare isolate, then the op surface and every extension source evaluated.
void BM_FromSource(benchmark::State& state, const char* name) {
  EnsureV8();
  const SnapshotInput& in = Input(name);
  double cpu = 0;
  for (auto _ : state) {
    std::unique_ptr<JsRuntime> runtime;
    {
      ManualTimer timer(state, &cpu);
      auto created = JsRuntime::FromSource(in.config);
      CheckOk(created.status(), "from source");
      runtime = *std::move(created);
    }
    runtime.reset();
  }
  ReportThreadCpu(state, cpu);
}

// Load, then the user's first script: what a cold request to a runtime waits for. With code
// cleared from the blob, every function the script reaches is compiled lazily on first call.
void BM_FirstScript(benchmark::State& state, const char* name, bool from_source) {
  EnsureV8();
  const SnapshotInput& in = Input(name);
  std::string script = name[0] == 's' ? ReadOrDie(DataDir() + "/synthetic/first_script.js")
                                      : std::string(kDefaultFirstScript);
  double cpu = 0;
  for (auto _ : state) {
    std::unique_ptr<JsRuntime> runtime;
    {
      ManualTimer timer(state, &cpu);
      absl::StatusOr<std::unique_ptr<JsRuntime>> created;
      if (from_source) {
        created = JsRuntime::FromSource(in.config);
      } else {
        auto verified = VerifiedSnapshotPair::Decode(in.blob, in.sidecar_bytes, in.blob_path);
        CheckOk(verified.status(), "pair");
        created = JsRuntime::FromVerifiedSnapshot(*verified, in.config);
      }
      CheckOk(created.status(), "create");
      runtime = *std::move(created);
      auto result = runtime->EvaluateScript("first_script.js", script);
      CheckOk(result.status(), "first script");
      benchmark::DoNotOptimize(result->data());
    }
    runtime.reset();
  }
  ReportThreadCpu(state, cpu);
}

// --- The parts of the load-time check, and what the load does besides V8 ---

// The sidecar decoded the load path's way: envelope and records on one arena.
void BM_CheckDecodeSidecar(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    google::protobuf::Arena arena;
    Sidecar* sidecar = google::protobuf::Arena::CreateMessage<Sidecar>(&arena);
    benchmark::DoNotOptimize(DecodeSidecarInto(in.sidecar_bytes, in.blob_path, sidecar).ok());
  }
  state.counters["sidecar_bytes"] = static_cast<double>(in.sidecar_bytes.size());
}

// The lever: the same decode into a heap message (DecodeSidecar by value, the inspector's way),
// where every record and string is a malloc and a free.
void BM_DecodeSidecarOnHeap(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    auto sidecar = DecodeSidecar(in.sidecar_bytes, in.blob_path);
    benchmark::DoNotOptimize(sidecar.ok());
  }
}

void BM_CheckBlobHash(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifyBlobMatchesSidecar(in.blob, in.sidecar, in.blob_path).ok());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.blob.size()));
}

// V8 version + DiffLayouts of the sidecar's layout against the runtime's own.
void BM_CheckLayout(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  std::vector<std::string> names;
  for (const auto& extension : in.config.manifest.extensions) names.push_back(extension.name);
  auto layout = ComputeLayout(names, ExtensionRegistry::Global());
  CheckOk(layout.status(), "layout");
  LoadCheckInput check;
  check.sidecar = &in.sidecar;
  check.runtime_layout = &layout->layout;
  check.blob_path = in.blob_path;
  check.linked_v8_version = V8Process::LinkedV8Version();
  for (auto _ : state) benchmark::DoNotOptimize(CheckSnapshotLoadable(check).ok());
}

// The runtime's own layout (needed for the external-reference table whether or not it checks).
void BM_ComputeLayout(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  std::vector<std::string> names;
  for (const auto& extension : in.config.manifest.extensions) names.push_back(extension.name);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeLayout(names, ExtensionRegistry::Global()).ok());
  }
}

// The copy FromSnapshotPair's by-value pair costs when the embedder keeps its own bytes.
void BM_BlobCopy(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    std::string copy = in.blob;
    benchmark::DoNotOptimize(copy.data());
  }
}

// Reading the blob file into memory and hashing it (ReadSnapshotPair's way) vs mapping it and
// hashing the mapping (what a mapped blob would do). Page cache warm in both.
void BM_BlobReadAndHash(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    auto bytes = ReadFileToString(in.blob_path);
    benchmark::DoNotOptimize(Xxh3Hex(*bytes));
  }
}

void BM_BlobMapAndHash(benchmark::State& state, const char* name) {
  const SnapshotInput& in = Input(name);
  for (auto _ : state) {
    int fd = open(in.blob_path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st;
    fstat(fd, &st);
    void* data = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    benchmark::DoNotOptimize(Xxh3Hex(
        absl::string_view(static_cast<const char*>(data), static_cast<size_t>(st.st_size))));
    munmap(data, static_cast<size_t>(st.st_size));
  }
}

#define V8SNAP_STARTUP_BENCHMARK(...) \
  BENCHMARK_CAPTURE(__VA_ARGS__)->UseManualTime()->Unit(benchmark::kMicrosecond)

BENCHMARK(BM_BareIsolate)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BareIsolateV8Checksum)->UseManualTime()->Unit(benchmark::kMicrosecond);
V8SNAP_STARTUP_BENCHMARK(BM_StartupsPaired, default, "default");
V8SNAP_STARTUP_BENCHMARK(BM_StartupsPaired, synth, "synth");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoad, default, "default");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoad, default_keep, "default_keep");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoadV8Checksum, default, "default");
V8SNAP_STARTUP_BENCHMARK(BM_FromSource, default, "default");
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, default, "default", false);
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, default_keep, "default_keep", false);
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoad, synth, "synth");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoad, synth_keep, "synth_keep");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoad, synth_warm, "synth_warm");
V8SNAP_STARTUP_BENCHMARK(BM_SnapshotLoadV8Checksum, synth, "synth");
V8SNAP_STARTUP_BENCHMARK(BM_FromSource, synth, "synth");
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, synth, "synth", false);
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, synth_keep, "synth_keep", false);
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, synth_warm, "synth_warm", false);
V8SNAP_STARTUP_BENCHMARK(BM_FirstScript, synth_source, "synth", true);

BENCHMARK_CAPTURE(BM_CheckDecodeSidecar, default, "default");
BENCHMARK_CAPTURE(BM_DecodeSidecarOnHeap, default, "default");
BENCHMARK_CAPTURE(BM_CheckBlobHash, default, "default");
BENCHMARK_CAPTURE(BM_CheckLayout, default, "default");
BENCHMARK_CAPTURE(BM_ComputeLayout, default, "default");
BENCHMARK_CAPTURE(BM_BlobCopy, default, "default");
BENCHMARK_CAPTURE(BM_BlobReadAndHash, default, "default");
BENCHMARK_CAPTURE(BM_BlobMapAndHash, default, "default");
BENCHMARK_CAPTURE(BM_CheckDecodeSidecar, synth, "synth");
BENCHMARK_CAPTURE(BM_CheckBlobHash, synth, "synth");
BENCHMARK_CAPTURE(BM_CheckLayout, synth, "synth");
BENCHMARK_CAPTURE(BM_BlobCopy, synth, "synth");
BENCHMARK_CAPTURE(BM_BlobReadAndHash, synth, "synth");
BENCHMARK_CAPTURE(BM_BlobMapAndHash, synth, "synth");

}  // namespace
}  // namespace v8snap::bench
