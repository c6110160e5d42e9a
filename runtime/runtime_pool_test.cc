// RuntimePool: runtimes made on the pool's thread work on the taker's thread (ops, modules, deep
// recursion ends in a RangeError, not a crash), a mismatched snapshot is refused at Create with
// the culprit named, and a pool with runtimes nobody took goes away cleanly.
#include "runtime/runtime_pool.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "gtest/gtest.h"
#include "runtime/extension.h"
#include "runtime/runtime_test_config.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

class RuntimePoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ToolResult build = RunTool("snapshot_builder",
                               {"--manifest", SourcePath("tests/fixtures/core_console.textproto"),
                                "--out", dir_->path() + "/snap.bin"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::unique_ptr<RuntimePool> MakePool(int ready) {
    auto pair = ReadSnapshotPair(dir_->path() + "/snap.bin");
    EXPECT_TRUE(pair.ok()) << pair.status();
    auto pool = RuntimePool::Create(*std::move(pair), dir_->path() + "/snap.bin",
                                    ConfigFor("tests/fixtures/core_console.textproto"), ready);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? *std::move(pool) : nullptr;
  }

  static TempDir* dir_;
};

TempDir* RuntimePoolTest::dir_ = nullptr;

TEST_F(RuntimePoolTest, TakenRuntimesRunScriptsThatCallOps) {
  std::unique_ptr<RuntimePool> pool = MakePool(2);
  ASSERT_NE(pool, nullptr);
  for (int i = 0; i < 5; ++i) {
    auto runtime = pool->Take();
    ASSERT_TRUE(runtime.ok()) << runtime.status();
    auto result = (*runtime)->EvaluateScript(
        "take.js",
        "v8snap.core.print(''); typeof console.log + ' ' + v8snap.core.opNames().length");
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, "function " + std::to_string((*runtime)->layout().ops.size()));
  }
}

TEST_F(RuntimePoolTest, DeepRecursionOnTheTakersThreadIsARangeError) {
  std::unique_ptr<RuntimePool> pool = MakePool(1);
  ASSERT_NE(pool, nullptr);
  // Taken on a thread other than the test's main thread and the pool's maker thread.
  std::string got;
  std::thread taker([&] {
    auto runtime = pool->Take();
    if (!runtime.ok()) {
      got = std::string(runtime.status().message());
      return;
    }
    auto result = (*runtime)->EvaluateScript(
        "deep.js",
        "function down(n) { return n === 0 ? 0 : 1 + down(n - 1); }"
        "try { down(1e7); 'no error' } catch (e) { e instanceof RangeError ? 'RangeError' : "
        "String(e) }");
    got = result.ok() ? *result : std::string(result.status().message());
  });
  taker.join();
  EXPECT_EQ(got, "RangeError");
}

TEST_F(RuntimePoolTest, ASnapshotThatDoesNotMatchIsRefusedAtCreate) {
  auto pair = ReadSnapshotPair(dir_->path() + "/snap.bin");
  ASSERT_TRUE(pair.ok()) << pair.status();
  auto pool = RuntimePool::Create(*std::move(pair), dir_->path() + "/snap.bin",
                                  ConfigFor("tests/fixtures/console_core.textproto"), 1);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(pool.status().message().find("extension 'core' is out of order"), std::string::npos)
      << pool.status();
}

TEST_F(RuntimePoolTest, APoolWithRuntimesNobodyTookIsDestroyedCleanly) {
  for (int i = 0; i < 3; ++i) {
    std::unique_ptr<RuntimePool> pool = MakePool(3);
    ASSERT_NE(pool, nullptr);
    pool->WaitUntilFull();
  }
  // And one destroyed while its thread may still be making the first runtime.
  std::unique_ptr<RuntimePool> pool = MakePool(1);
  pool.reset();
}

}  // namespace
}  // namespace v8snap::testing
