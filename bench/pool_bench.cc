// Time to first script with and without a RuntimePool (runtimes loaded ahead of need on a
// background thread), on the default snapshot. Wall time is what matters here: the pool moves
// the load to another thread, so the caller's CPU time says little.
//   cold          FromVerifiedSnapshot + the first script, as without a pool
//   ready         Take() from a pool whose runtime is already made (the idle-time case: the
//                 pool refills between requests, untimed)
//   back_to_back  Take() + script, request after request with no pause: the pool can only
//                 overlap the next load with the current script (the saturated case)
#include <memory>
#include <string>

#include "bench/bench_support.h"
#include "runtime/runtime_pool.h"

namespace v8snap::bench {
namespace {

constexpr char kFirstScript[] =
    "const names = v8snap.core.opNames();"
    "[1, 2, 3].map((x) => x * names.length).join(',') + JSON.stringify({ n: names.length })";

void RunFirstScript(JsRuntime& runtime) {
  auto result = runtime.EvaluateScript("first_script.js", kFirstScript);
  CheckOk(result.status(), "first script");
  benchmark::DoNotOptimize(result->data());
}

void BM_PoolFirstScript(benchmark::State& state, const char* mode) {
  EnsureV8();
  const SnapshotInput& in = Input("default");
  const std::string how = mode;
  std::unique_ptr<RuntimePool> pool;
  if (how != "cold") {
    auto created = RuntimePool::Create(SnapshotPair{in.blob, in.sidecar}, in.blob_path, in.config,
                                       /*ready=*/1);
    CheckOk(created.status(), "pool");
    pool = *std::move(created);
  }
  double cpu = 0;
  for (auto _ : state) {
    if (how == "ready") pool->WaitUntilFull();
    std::unique_ptr<JsRuntime> runtime;
    {
      ManualTimer timer(state, &cpu);
      if (pool != nullptr) {
        auto taken = pool->Take();
        CheckOk(taken.status(), "take");
        runtime = *std::move(taken);
      } else {
        auto verified = VerifiedSnapshotPair::Decode(in.blob, in.sidecar_bytes, in.blob_path);
        CheckOk(verified.status(), "pair");
        auto created = JsRuntime::FromVerifiedSnapshot(*verified, in.config);
        CheckOk(created.status(), "load");
        runtime = *std::move(created);
      }
      RunFirstScript(*runtime);
    }
    runtime.reset();
  }
  ReportThreadCpu(state, cpu);
}

BENCHMARK_CAPTURE(BM_PoolFirstScript, cold, "cold")->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PoolFirstScript, ready, "ready")
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PoolFirstScript, back_to_back, "back_to_back")
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace v8snap::bench
