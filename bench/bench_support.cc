// Inputs for the in-process benchmarks, loaded once per process.
#include "bench/bench_support.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "format/atomic_file.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "runtime/extension.h"

namespace v8snap::bench {
namespace {

std::string& DataDirSlot() {
  static auto* dir = new std::string("out/bench/data");
  return *dir;
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "v8snap_bench: %s\n", message.c_str());
  std::exit(1);
}

// Which manifest each snapshot input was built from (run_bench.sh builds them so).
std::string ManifestFor(const std::string& name) {
  if (name.rfind("default", 0) == 0) return SourcePath("manifests/default.textproto");
  if (name.rfind("synth", 0) == 0) return DataDir() + "/synthetic/manifest.textproto";
  Die("no manifest known for snapshot input '" + name + "'");
}

}  // namespace

void SetDataDir(const std::string& dir) { DataDirSlot() = dir; }
std::string SourcePath(const std::string& relative) {
  return std::string(V8SNAP_SOURCE_ROOT) + "/" + relative;
}
const std::string& DataDir() { return DataDirSlot(); }

std::string ReadOrDie(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) Die(std::string(bytes.status().message()) + " (run bench/run_bench.sh first)");
  return *std::move(bytes);
}

void CheckOk(const absl::Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + std::string(status.message()));
}

RuntimeConfig LoadConfig(const std::string& manifest_path) {
  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  absl::StatusOr<LoadedManifest> manifest = LoadManifestOrError(manifest_path, check);
  CheckOk(manifest.status(), "loading " + manifest_path);
  RuntimeConfig config;
  config.manifest = *std::move(manifest);
  config.manifest_label = manifest_path;
  return config;
}

const SnapshotInput& Input(const std::string& name) {
  static auto* inputs = new std::map<std::string, std::unique_ptr<SnapshotInput>>();
  auto it = inputs->find(name);
  if (it != inputs->end()) return *it->second;
  auto input = std::make_unique<SnapshotInput>();
  input->blob_path = DataDir() + "/snapshots/" + name + ".bin";
  input->blob = ReadOrDie(input->blob_path);
  input->sidecar_bytes = ReadOrDie(SidecarPathFor(input->blob_path));
  absl::StatusOr<Sidecar> sidecar = DecodeSidecar(input->sidecar_bytes, input->blob_path);
  CheckOk(sidecar.status(), "decoding the sidecar of " + input->blob_path);
  input->sidecar = *std::move(sidecar);
  input->config = LoadConfig(ManifestFor(name));
  return *inputs->emplace(name, std::move(input)).first->second;
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void ReportThreadCpu(benchmark::State& state, double cpu_seconds) {
  state.counters["cpu_us"] =
      benchmark::Counter(cpu_seconds * 1e6, benchmark::Counter::kAvgIterations);
}

void EnsureV8() {
  static bool started = [] {
    const SnapshotInput& in = Input("default");
    SnapshotPair pair{in.blob, in.sidecar};
    auto runtime = JsRuntime::FromSnapshotPair(std::move(pair), in.blob_path, in.config);
    CheckOk(runtime.status(), "loading " + in.blob_path);
    return true;
  }();
  (void)started;
}

}  // namespace v8snap::bench
