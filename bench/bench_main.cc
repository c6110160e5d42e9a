// v8snap_bench: the in-process benchmarks (Google Benchmark), run by bench/run_bench.sh.
//
//   v8snap_bench --v8snap_data=out/bench/data [--benchmark_* flags]
//   v8snap_bench --v8snap_data=out/bench/data --v8snap_rss=snapshot:default
//
// Needs the inputs run_bench.sh builds first (snapshots, synthetic manifests). Runs with the
// runtime's V8 flags, never the builder's --predictable.
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_support.h"

namespace v8snap::bench {
int RunRssProbe(const std::string& spec);
}  // namespace v8snap::bench

int main(int argc, char** argv) {
  std::vector<char*> rest = {argv[0]};
  std::string rss;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--v8snap_data=", 14) == 0) {
      v8snap::bench::SetDataDir(argv[i] + 14);
    } else if (std::strncmp(argv[i], "--v8snap_rss=", 13) == 0) {
      rss = argv[i] + 13;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (!rss.empty()) return v8snap::bench::RunRssProbe(rss);
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
