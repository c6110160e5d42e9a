// Fast API ops end to end, in-process: an op declared with a fast function (compat/fast_call.h)
// is bound with it on V8 13.6 (the sidecar records OP_FAST_CALL and OP_FAST_CALL_INFO entries
// for it, and optimized code calls it, from source and from a snapshot) and without it on 10.2,
// where the callback serves every call; both paths give the same results.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "compat/fast_call.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "runtime/runtime_test_config.h"
#include "snapshot_builder/snapshot_builder.h"
#include "tests/tool_runner.h"
#include "v8-primitive.h"

namespace v8snap::testing {
namespace {

std::atomic<int64_t> fast_calls{0};

// op_fast_probe(x): (x | 0) + 1 for a Number (JS's ToInt32), wrapping as int32, and -1 for
// anything else. The fast function takes an int32_t: V8 calls it only for the Numbers whose
// ToInt32 it can take (the loop's edge values check that the two agree on every one).
int32_t PlusOne(int32_t x) { return static_cast<int32_t>(static_cast<uint32_t>(x) + 1u); }
void OpFastProbe(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Value> x = info[0];
  info.GetReturnValue().Set(
      x->IsNumber() ? PlusOne(x->Int32Value(info.GetIsolate()->GetCurrentContext()).FromJust())
                    : -1);
}
int32_t FastProbe(v8::Local<v8::Value> receiver, int32_t x) {
  fast_calls.fetch_add(1, std::memory_order_relaxed);
  return PlusOne(x);
}
// op_fast_probe_count(): how many calls took the fast path so far.
void OpFastProbeCount(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(static_cast<double>(fast_calls.load()));
}

}  // namespace
}  // namespace v8snap::testing

V8SNAP_REGISTER_EXTENSION(
    fastprobe,
    {
        {"op_fast_probe", v8snap::testing::OpFastProbe, 1, v8snap::OpMode::kSync,
         v8snap::compat::MakeFastCall(&v8snap::testing::FastProbe)},
        {"op_fast_probe_count", v8snap::testing::OpFastProbeCount, 0, v8snap::OpMode::kSync},
    });

namespace v8snap::testing {
namespace {

constexpr char kManifest[] = "tests/fast_ops/fast_probe.textproto";



// Calls the hot loop until the fast path was taken (V8 optimizes it after enough calls, on its
// own schedule: the bound is in calls, not time) or 20 million calls went by; returns the fast
// calls seen. Every chunk's sum of op results must equal the one JS computes for the same
// arguments, whichever path each call took.
int64_t RunUntilFast(JsRuntime& runtime) {
  constexpr int kChunk = 100000;
  for (int round = 0; round < 200; ++round) {
    auto sums = runtime.EvaluateScript("loop.js", "fastProbe.loop(" + std::to_string(kChunk) + ")");
    EXPECT_TRUE(sums.ok()) << sums.status();
    if (!sums.ok()) return -1;
    size_t comma = sums->find(',');
    EXPECT_EQ(sums->substr(0, comma), sums->substr(comma + 1)) << "round " << round;
    auto count = runtime.EvaluateScript("count.js", "fastProbe.count()");
    if (count.ok() && *count != "0") return std::stoll(*count);
  }
  return 0;
}

class FastOpsTest : public ::testing::Test {
 protected:
  // The snapshot is built in a child process: a process either builds snapshots or runs them.
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      BuildOptions options;
      options.manifest_path = SourcePath(kManifest);
      options.out_path = Path();
      _exit(BuildSnapshot(options).ok() ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "building " << Path();
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Path() { return dir_->path() + "/fast.bin"; }
  static TempDir* dir_;
};
TempDir* FastOpsTest::dir_ = nullptr;

TEST_F(FastOpsTest, TheSidecarRecordsTheFastFunctionOfEveryFastOp) {
  auto pair = ReadSnapshotPair(Path());
  ASSERT_TRUE(pair.ok()) << pair.status();
  std::vector<std::string> fast_entries;
  for (const ExternalReferenceRecord& reference : pair->sidecar.layout().external_references()) {
    if (reference.kind() == ExternalReferenceRecord::OP_FAST_CALL ||
        reference.kind() == ExternalReferenceRecord::OP_FAST_CALL_INFO) {
      fast_entries.push_back(reference.name());
    }
  }
  if (compat::kHasFastApi) {
    EXPECT_THAT(fast_entries, ::testing::ElementsAre("fastprobe.op_fast_probe.fast",
                                                     "fastprobe.op_fast_probe.fast_info"));
  } else {
    EXPECT_THAT(fast_entries, ::testing::IsEmpty());
  }
}

TEST_F(FastOpsTest, OptimizedCodeCallsTheFastFunctionFromTheSnapshotWithTheSameResults) {
  auto runtime = JsRuntime::FromSnapshot(Path(), ConfigFor(kManifest));
  ASSERT_TRUE(runtime.ok()) << runtime.status();
  int64_t fast = RunUntilFast(**runtime);
  if (compat::kHasFastApi) {
    EXPECT_GT(fast, 0) << "the fast path was never taken in 20 million calls";
  } else {
    EXPECT_EQ(fast, 0);
  }
}

TEST_F(FastOpsTest, FromSourceTheSameOpIsFastToo) {
  auto runtime = JsRuntime::FromSource(ConfigFor(kManifest));
  ASSERT_TRUE(runtime.ok()) << runtime.status();
  int64_t fast = RunUntilFast(**runtime);
  if (compat::kHasFastApi) {
    EXPECT_GT(fast, 0);
  } else {
    EXPECT_EQ(fast, 0);
  }
}

}  // namespace
}  // namespace v8snap::testing
