// End to end: build a snapshot with snapshot_builder, run scripts on it with snapshot_run.
#include <sys/stat.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;

class BuildAndRunTest : public ::testing::Test {
 protected:
  // Builds `manifest` (relative to the source root) into tmp_/snap.bin.
  ToolResult Build(const std::string& manifest, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--manifest", SourcePath(manifest), "--out", Snap()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTool("snapshot_builder", args);
  }
  std::string Snap() const { return tmp_.path() + "/snap.bin"; }
  ToolResult Run(const std::string& script_text, std::vector<std::string> extra = {}) {
    std::string script = tmp_.Write("main.js", script_text);
    std::vector<std::string> args = {"--snapshot", Snap()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(script);
    return RunTool("snapshot_run", args);
  }
  TempDir tmp_;
};

TEST_F(BuildAndRunTest, DefaultManifestBuildsAndRuns) {
  ToolResult build = Build("manifests/default.textproto");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult run = Run("console.log('sum', 1 + 2);");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "sum 3\n");
}

TEST_F(BuildAndRunTest, RebuildIsByteIdentical) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  std::string blob = tmp_.Read("snap.bin");
  std::string sidecar = tmp_.Read("snap.bin.sidecar.pb");
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  EXPECT_TRUE(blob == tmp_.Read("snap.bin")) << "blob differs between two builds";
  EXPECT_TRUE(sidecar == tmp_.Read("snap.bin.sidecar.pb")) << "sidecar differs";
  EXPECT_GT(blob.size(), 100000u);
}

TEST_F(BuildAndRunTest, SidecarHoldsNoAbsolutePaths) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  std::string sidecar = tmp_.Read("snap.bin.sidecar.pb");
  EXPECT_EQ(sidecar.find(SourcePath("")), std::string::npos);
  EXPECT_EQ(sidecar.find("/tmp/"), std::string::npos);
}

TEST_F(BuildAndRunTest, NoSnapshotRunsTheSameScriptFromSource) {
  std::string script = tmp_.Write("main.js", "console.log(typeof v8snap.core.ops.op_print);");
  ToolResult run = RunTool("snapshot_run", {"--no-snapshot", script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "function\n");
}

TEST_F(BuildAndRunTest, OpsAreReachableFromJs) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run("v8snap.core.print('raw\\n'); console.log(v8snap.core.opNames().join());");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  // core's op, then console's, then the other extensions' in manifest order.
  EXPECT_THAT(run.out, ::testing::StartsWith("raw\nop_print,op_console_write,"));
  for (const char* op : {"op_console_internals", "op_console_now", "op_encoding_encode",
                         "op_encoding_encode_into", "op_encoding_decode", "op_performance_now",
                         "op_performance_time_origin", "op_crypto_get_random_values"}) {
    EXPECT_THAT(run.out, HasSubstr(op));
  }
}

TEST_F(BuildAndRunTest, WarnAndErrorGoToStderr) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run("console.log('o'); console.warn('w'); console.error('e'); console.info('i');");
  EXPECT_EQ(run.out, "o\ni\n");
  EXPECT_EQ(run.err, "w\ne\n");
}

TEST_F(BuildAndRunTest, UncaughtExceptionPrintsLocationAndStackAndExits1) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run("function f() {\n  null.x;\n}\nf();\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr(tmp_.path() + "/main.js:2:"));
  EXPECT_THAT(run.err, HasSubstr("Uncaught TypeError"));
  EXPECT_THAT(run.err, HasSubstr("at f ("));
}

TEST_F(BuildAndRunTest, UnhandledRejectionExits1) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run("Promise.reject(new Error('nobody listens'));");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("Uncaught (in promise) Error: nobody listens"));
}

TEST_F(BuildAndRunTest, JsOnlyExtensionIsSnapshotted) {
  ASSERT_EQ(Build("tests/fixtures/core_console_extra.textproto").exit_code, 0);
  ToolResult run = Run("console.log(globalThis.greeting);",
                       {"--manifest", SourcePath("tests/fixtures/core_console_extra.textproto")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from a JS-only extension\n");
}

TEST_F(BuildAndRunTest, JsExceptionAtBuildNamesSourceAndKeepsPreviousOutputs) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  std::string blob = tmp_.Read("snap.bin");
  ToolResult build = Build("tests/fixtures/throws_at_build.textproto");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("tests/fixtures/throws_at_build.js:4:3"));
  EXPECT_THAT(build.err, HasSubstr("TypeError: config.port is required, got undefined"));
  EXPECT_THAT(build.err, HasSubstr("at setUp ("));
  EXPECT_TRUE(blob == tmp_.Read("snap.bin")) << "previous blob was replaced by a failed build";
  EXPECT_EQ(Run("console.log('still loads');").exit_code, 0);
}

TEST_F(BuildAndRunTest, ExtensionModulesAreImportableFromUserCode) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run(
      "import { format } from 'ext:console/console.js';\n"
      "console.log(format('a', 1), import.meta.url.startsWith('file:///'));");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "a 1 true\n");
}

TEST_F(BuildAndRunTest, UnknownExtModuleIsAClearError) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = Run("import 'ext:nope/missing.js';");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("unknown extension module 'ext:nope/missing.js'"));
}

TEST_F(BuildAndRunTest, MissingScriptIsAClearError) {
  ASSERT_EQ(Build("manifests/default.textproto").exit_code, 0);
  ToolResult run = RunTool("snapshot_run", {"--snapshot", Snap(), tmp_.path() + "/nope.js"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("nope.js"));
}

TEST_F(BuildAndRunTest, UsageErrorsExit2) {
  EXPECT_EQ(RunTool("snapshot_builder", {"--manifest"}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_builder", {"--bogus"}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_run", {}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_run", {"x.js"}).exit_code, 2);
}

TEST_F(BuildAndRunTest, VersionNamesV8) {
  ToolResult v = RunTool("snapshot_builder", {"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_THAT(v.out, HasSubstr("V8 10.2"));
}

TEST_F(BuildAndRunTest, DefaultSnapshotIsBuiltByTheBuild) {
  struct stat st;
  ASSERT_EQ(stat(ToolPath("default.bin").c_str(), &st), 0) << "ninja should build default.bin";
  std::string script = tmp_.Write("main.js", "console.log('ok');");
  ToolResult run = RunTool("snapshot_run", {"--snapshot", ToolPath("default.bin"), script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

}  // namespace
}  // namespace v8snap::testing
