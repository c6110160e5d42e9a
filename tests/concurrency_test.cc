// Many isolates from one snapshot at once, and many create/dispose cycles: no crash, no race
// (run under ThreadSanitizer by `make test-tsan`), no leak (RSS stays flat; LeakSanitizer in
// `make test-asan`). Counts shrink under sanitizers via V8SNAP_STRESS_SCALE.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "gtest/gtest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

// Divides iteration counts (sanitizer builds are 5-20x slower).
int Scale(int n) {
  const char* s = std::getenv("V8SNAP_STRESS_SCALE");
  int divisor = 1;
  if (s != nullptr && absl::SimpleAtoi(s, &divisor) && divisor > 1) return std::max(1, n / divisor);
  return n;
}

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string manifest = SourcePath("tests/fixtures/core_console.textproto");
    ToolResult build =
        RunTool("snapshot_builder", {"--manifest", manifest, "--out", dir_->path() + "/snap.bin"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
    pair_ = new SnapshotPair(*ReadSnapshotPair(dir_->path() + "/snap.bin"));
    ManifestCheckOptions check;
    check.native_extensions = ExtensionRegistry::Global().Names();
    config_ = new RuntimeConfig();
    config_->manifest = *LoadManifestOrError(manifest, check);
  }
  static void TearDownTestSuite() {
    delete config_;
    delete pair_;
    delete dir_;
  }

  // Creates a runtime from the shared in-memory pair, runs a script that calls ops, disposes it.
  static std::string OneCycle(int i) {
    auto runtime = JsRuntime::FromSnapshotPair(*pair_, "snap.bin", *config_);
    if (!runtime.ok()) return std::string(runtime.status().message());
    auto result = (*runtime)->EvaluateScript(
        "cycle.js", "v8snap.core.print(''); [1, 2, 3].map((x) => x * " + std::to_string(i) +
                        ").join(',') + ' ' + typeof v8snap.core.ops.op_print");
    if (!result.ok()) return std::string(result.status().message());
    return *result;
  }

  static TempDir* dir_;
  static SnapshotPair* pair_;
  static RuntimeConfig* config_;
};

TempDir* ConcurrencyTest::dir_ = nullptr;
SnapshotPair* ConcurrencyTest::pair_ = nullptr;
RuntimeConfig* ConcurrencyTest::config_ = nullptr;

TEST_F(ConcurrencyTest, EightThreadsEachRunAHundredIsolates) {
  const int per_thread = Scale(100);
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  std::vector<std::string> first_error(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, per_thread, &failures, &first_error] {
      for (int i = 0; i < per_thread; ++i) {
        std::string got = OneCycle(i);
        std::string want = std::to_string(i) + "," + std::to_string(2 * i) + "," +
                           std::to_string(3 * i) + " function";
        if (got != want) {
          if (failures[t]++ == 0) first_error[t] = got;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t << ": " << first_error[t];
}

TEST_F(ConcurrencyTest, RssStaysFlatOverAThousandCycles) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's quarantine holds freed memory, so RSS grows by design; "
                  "LeakSanitizer checks for leaks in this build instead";
#endif
  const int cycles = Scale(1000);
  // Warm up: first isolates grow V8's process-wide caches and the allocator's pools.
  for (int i = 0; i < cycles / 10; ++i) ASSERT_EQ(OneCycle(1), "1,2,3 function");
  long before = RssKiB();
  for (int i = 0; i < cycles; ++i) ASSERT_EQ(OneCycle(1), "1,2,3 function");
  long after = RssKiB();
  std::printf("RSS %ld KiB after warm-up, %ld KiB after %d more cycles\n", before, after, cycles);
  // A leak of even 20 KiB per cycle would show as 20 MiB here.
  EXPECT_LT(after - before, 8 * 1024) << "RSS grew from " << before << " KiB to " << after
                                      << " KiB over " << cycles << " create/dispose cycles";
}

}  // namespace
}  // namespace v8snap::testing
