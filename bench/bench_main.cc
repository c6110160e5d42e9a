// v8snap_bench: the in-process benchmarks (Google Benchmark), run by bench/run_bench.sh.
//
//   v8snap_bench --v8snap_data=out/bench/data [--benchmark_* flags]
//   v8snap_bench --v8snap_data=out/bench/data --v8snap_rss=snapshot:default
//   v8snap_bench --v8snap_v8_flags="--no-rehash-snapshot" ...   # try a V8 flag: set after V8
//                                                                # starts, so it applies to every
//                                                                # isolate but not to V8's setup
//
// Needs the inputs run_bench.sh builds first (snapshots, synthetic manifests). Runs with the
// runtime's V8 flags, never the builder's --predictable.
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "v8-initialization.h"

namespace v8snap::bench {
int RunRssProbe(const std::string& spec);
}  // namespace v8snap::bench

int main(int argc, char** argv) {
  std::vector<char*> rest = {argv[0]};
  std::string rss;
  std::string v8_flags;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--v8snap_data=", 14) == 0) {
      v8snap::bench::SetDataDir(argv[i] + 14);
    } else if (std::strncmp(argv[i], "--v8snap_v8_flags=", 18) == 0) {
      v8_flags = argv[i] + 18;
    } else if (std::strncmp(argv[i], "--v8snap_rss=", 13) == 0) {
      rss = argv[i] + 13;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (!v8_flags.empty()) {
    v8snap::bench::EnsureV8();
    v8::V8::SetFlagsFromString(v8_flags.c_str(), v8_flags.size());
  }
  if (!rss.empty()) return v8snap::bench::RunRssProbe(rss);
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
