// What every in-process benchmark shares: the snapshots and manifests bench/run_bench.sh built
// (loaded once, kept in memory), and the manual timer the start-up benchmarks report with.
//
// Usage:
//   const SnapshotInput& in = Input("default");   // data/default.bin + sidecar, its manifest
//   double cpu = 0;
//   for (auto _ : state) {
//     ManualTimer timer(state, &cpu);             // times until Stop() (or scope end)
//     ... the part measured ...
//     timer.Stop();
//     ... teardown, not measured ...
//   }
//   ReportThreadCpu(state, cpu);                  // counter cpu_us
#ifndef V8SNAP_BENCH_BENCH_SUPPORT_H_
#define V8SNAP_BENCH_BENCH_SUPPORT_H_

#include <chrono>
#include <string>

#include "benchmark/benchmark.h"
#include "format/sidecar.pb.h"
#include "runtime/js_runtime.h"

namespace v8snap::bench {

// Where run_bench.sh put the inputs (`--v8snap_data=DIR`, default out/bench/data).
void SetDataDir(const std::string& dir);
const std::string& DataDir();

// `relative` (e.g. "manifests/default.textproto") in the source tree this binary was built from.
std::string SourcePath(const std::string& relative);

// A snapshot pair as an embedder holds it in memory, and the runtime configuration that matches
// it (its manifest, sources read, as FromSource needs them).
struct SnapshotInput {
  std::string blob_path;
  std::string blob;           // the blob file's bytes
  std::string sidecar_bytes;  // the sidecar file's bytes
  Sidecar sidecar;            // decoded
  RuntimeConfig config;
};

// "default", "default_keep", "synth", "synth_keep", "synth_warm": DIR/snapshots/NAME.bin, built
// by run_bench.sh from manifests/default.textproto (default*) or DIR/synthetic/manifest.textproto
// (synth*). Loaded on
// first use; a missing input ends the process with a message naming the file.
const SnapshotInput& Input(const std::string& name);

// A manifest loaded with the sources, checked against this binary's registry. Exits on error.
RuntimeConfig LoadConfig(const std::string& manifest_path);

// Reads a file or exits with a message.
std::string ReadOrDie(const std::string& path);

// Exits with `what` and the status message when `status` is not OK.
void CheckOk(const absl::Status& status, const std::string& what);

// Starts V8 the way JsRuntime does (one runtime from the default snapshot), so benchmarks that
// use the V8 API directly run with the runtime's process-wide flags.
void EnsureV8();

// This thread's CPU time (user + system), in seconds.
double ThreadCpuSeconds();

// Times one iteration's measured part: the wall time between construction and Stop() becomes the
// iteration's time (UseManualTime); this thread's CPU time over the same span is added to
// `*cpu_seconds`, for ReportThreadCpu. On a machine shared with other work the wall time absorbs
// every moment the thread waited for a core; the CPU time does not.
class ManualTimer {
 public:
  ManualTimer(benchmark::State& state, double* cpu_seconds)
      : state_(state),
        cpu_seconds_(cpu_seconds),
        start_(std::chrono::steady_clock::now()),
        cpu_start_(ThreadCpuSeconds()) {}
  ~ManualTimer() { Stop(); }
  void Stop() {
    if (stopped_) return;
    stopped_ = true;
    *cpu_seconds_ += ThreadCpuSeconds() - cpu_start_;
    state_.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

 private:
  benchmark::State& state_;
  double* cpu_seconds_;
  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
  bool stopped_ = false;
};

// Sets the counter "cpu_us": the measured parts' thread CPU time per iteration, in microseconds.
void ReportThreadCpu(benchmark::State& state, double cpu_seconds);

}  // namespace v8snap::bench

#endif  // V8SNAP_BENCH_BENCH_SUPPORT_H_
