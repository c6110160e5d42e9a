// The example embedder end to end: the snapshot the build made runs main.js with sync and async
// ops, a snapshot built in another extension order is refused by the runtime binary, and the
// example's own inspector checks its snapshots and manifest knowing greeter's ops.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

// embedder_inspect links greeter, so it sees the example's snapshot as embedder_run does.
TEST(EmbedderExampleTest, OwnInspectorVerifiesAndValidatesTheExample) {
  ToolResult verify = RunTool("embedder_inspect", {"verify", ToolPath("embedder.bin"), "--manifest",
                                                   Example("embedder.textproto")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("ok    load check"));
  EXPECT_EQ(verify.err, "");

  ToolResult validate = RunTool("embedder_inspect", {"validate", Example("embedder.textproto")});
  EXPECT_EQ(validate.exit_code, 0) << validate.out << validate.err;
  EXPECT_THAT(validate.out, HasSubstr("3 extensions in a valid order: core, console, greeter"));
}

TEST(EmbedderExampleTest, OwnInspectorRefusesAMismatchNamingTheExamplesTools) {
  TempDir tmp;
  std::string snap = tmp.path() + "/reordered.bin";
  ToolResult build = RunTool(
      "embedder_builder", {"--manifest", Example("testdata/reordered.textproto"), "--out", snap});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult verify =
      RunTool("embedder_inspect", {"verify", snap, "--manifest", Example("embedder.textproto")});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out, HasSubstr("FAIL  load check"));
  EXPECT_THAT(verify.err, HasSubstr("embedder_inspect: error: snapshot"));
  EXPECT_THAT(verify.err, HasSubstr("extension 'greeter' is out of order"));
  EXPECT_THAT(verify.err, HasSubstr("(embedder_builder --manifest "));
  EXPECT_THAT(verify.err, Not(HasSubstr("snapshot_builder")));

  // A missing pair's fix names the example's builder too (format/snapshot_files.cc).
  ToolResult missing = RunTool("embedder_inspect", {"verify", tmp.path() + "/none.bin"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("build the snapshot there with embedder_builder --manifest"));
  EXPECT_THAT(missing.err, Not(HasSubstr("snapshot_builder")));
}

TEST(EmbedderExampleTest, OwnInspectorsHelpNamesItselfAndNoSourceTreePath) {
  ToolResult help = RunTool("embedder_inspect", {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Examples:\n  embedder_inspect info app.bin\n"));
  EXPECT_THAT(help.out, HasSubstr("built by embedder_builder"));
  EXPECT_THAT(help.out, Not(HasSubstr("out/release")));
  EXPECT_THAT(help.out, Not(HasSubstr("manifests/default.textproto")));
}

// v8snap's own inspector links no greeter ops: to it the example's good snapshot looks broken,
// which is why the example has its own.
TEST(EmbedderExampleTest, SnapshotInspectDoesNotKnowTheExamplesOps) {
  ToolResult verify = RunTool("snapshot_inspect", {"verify", ToolPath("embedder.bin"), "--manifest",
                                                   Example("embedder.textproto")});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.err, HasSubstr("op 'op_greet'"));
}

}  // namespace
}  // namespace v8snap::testing
