// The example embedder end to end: the snapshot the build made runs main.js with sync and async
// ops, and a snapshot built in another extension order is refused by the runtime binary.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kExpectedMainOutput[] =
    "Hello, embedder!\n"
    "words: 7\n"
    "Hello, async op!\n"
    "TypeError: greet: expected a non-empty name\n";

std::string Example(const std::string& path) { return SourcePath("examples/embedder/" + path); }

TEST(EmbedderExampleTest, BuiltSnapshotRunsMainWithSyncAndAsyncOps) {
  ToolResult run =
      RunTool("embedder_run", {"--snapshot", ToolPath("embedder.bin"), Example("main.js")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, kExpectedMainOutput);
  EXPECT_EQ(run.err, "");
}

TEST(EmbedderExampleTest, SameOutputFromSource) {
  ToolResult run = RunTool("embedder_run", {"--no-snapshot", Example("main.js")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, kExpectedMainOutput);
}

TEST(EmbedderExampleTest, AsyncOpsRunConcurrentlyOffTheJsThread) {
  TempDir tmp;
  // Three 300 ms waits on the thread pool finish together; in sequence they would take 900 ms.
  std::string script = tmp.Write("main.js", R"(
    const start = Date.now();
    const all = await Promise.all(["a", "b", "c"].map((n) => greeter.greetLater(n, 300)));
    console.log(all.join(" "), Date.now() - start < 850 ? "concurrent" : "serial");
  )");
  ToolResult run = RunTool("embedder_run", {"--snapshot", ToolPath("embedder.bin"), script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Hello, a! Hello, b! Hello, c! concurrent\n");
}

TEST(EmbedderExampleTest, TheBuilderBindsTheExamplesOwnOps) {
  TempDir tmp;
  std::string snap = tmp.path() + "/e.bin";
  ToolResult build =
      RunTool("embedder_builder", {"--manifest", Example("embedder.textproto"), "--out", snap});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  std::string script = tmp.Write(
      "ops.js", "console.log(v8snap.core.opNames().filter((n) => n.includes('greet')).join());");
  ToolResult run = RunTool("embedder_run", {"--snapshot", snap, script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "op_greet,op_greet_later\n");
}

// The point of the example: change the extension order on one side only, and the runtime
// refuses the snapshot loudly, naming the culprit and the fix, before any JS runs.
TEST(EmbedderExampleTest, SnapshotBuiltInAnotherOrderIsRefused) {
  TempDir tmp;
  std::string snap = tmp.path() + "/reordered.bin";
  ToolResult build = RunTool(
      "embedder_builder", {"--manifest", Example("testdata/reordered.textproto"), "--out", snap});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult run = RunTool("embedder_run", {"--snapshot", snap, Example("main.js")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "") << "no JS may run on a mismatched snapshot";
  EXPECT_THAT(run.err, HasSubstr("embedder_run: error: snapshot"));
  EXPECT_THAT(run.err, HasSubstr("does not match this runtime's extensions"));
  EXPECT_THAT(run.err, HasSubstr("out of order"));
  // The fix names the example's own builder, not v8snap's snapshot_builder.
  EXPECT_THAT(run.err,
              HasSubstr("(embedder_builder --manifest examples/embedder/embedder.textproto"));
}

TEST(EmbedderExampleTest, RuntimeConfiguredInAnotherOrderRefusesTheBuiltSnapshot) {
  ToolResult run =
      RunTool("embedder_run", {"--snapshot", ToolPath("embedder.bin"), "--manifest",
                               Example("testdata/reordered.textproto"), Example("main.js")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("extension 'console' is out of order"));
}

TEST(EmbedderExampleTest, SnapshotRunRefusesTheExamplesSnapshot) {
  // v8snap's own snapshot_run links no greeter ops and has another manifest compiled in.
  ToolResult run =
      RunTool("snapshot_run", {"--snapshot", ToolPath("embedder.bin"), Example("main.js")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("extension 'greeter' (position 2 in the snapshot) is missing"));
}

}  // namespace
}  // namespace v8snap::testing
