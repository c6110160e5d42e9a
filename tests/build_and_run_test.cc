// End to end: build a snapshot with snapshot_builder, run scripts on it with snapshot_run.
#include <sys/stat.h>

#include "compat/v8_compat.h"
#include "format/atomic_file.h"
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
  ToolResult run =
      Run("console.log('o'); console.warn('w'); console.error('e'); console.info('i');");
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
  ToolResult run =
      Run("import { format } from 'ext:console/console.js';\n"
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

// A blob V8 cannot rehash fixes the hash seed of every isolate; --require-rehashable refuses
// one (ES modules, in V8 10.2) and accepts a manifest of classic scripts.
TEST_F(BuildAndRunTest, RequireRehashableRefusesModulesAndAcceptsClassicScripts) {
  ToolResult refused = Build("tests/fixtures/core_console.textproto", {"--require-rehashable"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("V8 cannot rehash the snapshot"));
  EXPECT_THAT(refused.err, HasSubstr("it holds ES modules, such as ext:console/console.js"));
  EXPECT_THAT(refused.err, HasSubstr("fix: carry the extensions' code as classic scripts"));
  struct stat st;
  EXPECT_NE(stat(Snap().c_str(), &st), 0) << "a refused build wrote its blob";
  EXPECT_NE(stat((Snap() + ".sidecar.pb").c_str(), &st), 0) << "a refused build wrote its sidecar";

  ToolResult accepted =
      Build("tests/fixtures/core_only.textproto", {"--require-rehashable", "--verbose"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_THAT(accepted.err, HasSubstr("hash seed: V8 can rehash the blob"));
  ToolResult modules = Build("tests/fixtures/core_console.textproto", {"--verbose"});
  ASSERT_EQ(modules.exit_code, 0) << modules.err;
  EXPECT_THAT(modules.err, HasSubstr("hash seed: fixed at 1 in every isolate"));
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
  EXPECT_THAT(v.out, HasSubstr(std::string("V8 ") + compat::kV8MajorMinor + "."));
}

TEST_F(BuildAndRunTest, DefaultSnapshotIsBuiltByTheBuild) {
  struct stat st;
  ASSERT_EQ(stat(ToolPath("default.bin").c_str(), &st), 0) << "ninja should build default.bin";
  std::string script = tmp_.Write("main.js", "console.log('ok');");
  ToolResult run = RunTool("snapshot_run", {"--snapshot", ToolPath("default.bin"), script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

// Depfile names are escaped for ninja's depfile parser (and make's): `$` doubled, space and `#`
// after a backslash. Written raw, "d$x#.js" was read as files "d" and "x" that never exist, so
// ninja rebuilt the snapshot on every run.
class DepfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_.Write("core.js", *ReadFileToString(SourcePath("extensions/core/core.js")));
    tmp_.Write("d$x#.js", "globalThis.dollar = 1;");
    tmp_.Write("with space.js", "globalThis.space = 1;");
    manifest_ = tmp_.Write("m.textproto",
                           "extension { name: \"core\" js: \"core.js\" }\n"
                           "extension { name: \"app\" js: [\"d$x#.js\", \"with space.js\"] }\n");
  }
  TempDir tmp_;
  std::string manifest_;
};

TEST_F(DepfileTest, SpecialCharactersAreEscaped) {
  const std::string d = tmp_.path();
  ToolResult build = RunTool("snapshot_builder", {"--manifest", manifest_, "--out", d + "/s.bin",
                                                  "--depfile", d + "/s.bin.d"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(tmp_.Read("s.bin.d"), d + "/s.bin: " + d + "/m.textproto " + d + "/core.js " + d +
                                      "/d$$x\\#.js " + d + "/with\\ space.js\n");
}

TEST_F(DepfileTest, NinjaDoesNothingOnTheSecondRun) {
  if (RunTool("/bin/sh", {"-c", "command -v ninja"}).exit_code != 0) {
    GTEST_SKIP() << "ninja is not installed";
  }
  tmp_.Write("build.ninja",
             "rule snap\n"
             "  command = " +
                 ToolPath("snapshot_builder") +
                 " --manifest m.textproto --out s.bin --depfile s.bin.d\n"
                 "  depfile = s.bin.d\n"
                 "  deps = gcc\n"
                 "build s.bin: snap\n");
  auto ninja = [&] { return RunTool("/bin/sh", {"-c", "ninja 2>&1"}, tmp_.path()); };
  ToolResult first = ninja();
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ToolResult second = ninja();
  EXPECT_EQ(second.exit_code, 0) << second.out;
  EXPECT_THAT(second.out, HasSubstr("ninja: no work to do.")) << "the depfile names files that "
                                                                 "do not exist";
  // And the escaped names are the files ninja watches.
  ToolResult deps = RunTool("/bin/sh", {"-c", "ninja -t deps s.bin"}, tmp_.path());
  EXPECT_THAT(deps.out, HasSubstr("\n    d$x#.js\n"));
  EXPECT_THAT(deps.out, HasSubstr("\n    with space.js\n"));
}

TEST_F(DepfileTest, NameADepfileCannotHoldIsRefusedBeforeBuilding) {
  tmp_.Write("semi;colon.js", "1;");
  std::string manifest = tmp_.Write("bad.textproto",
                                    "extension { name: \"core\" js: \"core.js\" }\n"
                                    "extension { name: \"app\" js: \"semi;colon.js\" }\n");
  ToolResult build =
      RunTool("snapshot_builder", {"--manifest", manifest, "--out", tmp_.path() + "/s.bin",
                                   "--depfile", tmp_.path() + "/s.bin.d"});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_EQ(build.err, "snapshot_builder: error: cannot write a depfile entry for '" + tmp_.path() +
                           "/semi;colon.js': its character ';' cannot be written "
                           "in a depfile (ninja and make would read another file name): rename "
                           "the file, or build without --depfile\n");
  struct stat st;
  EXPECT_NE(stat((tmp_.path() + "/s.bin").c_str(), &st), 0) << "a refused build wrote its blob";
}

// `make -C examples/embedder mismatch` passes only on the refusal itself: exit code 1 and the
// layout-mismatch error. It used to pass on any non-zero exit, a crash included. The target runs
// here with stand-in binaries (make -o build: nothing is built).
TEST(EmbedderMakefileTest, MismatchTargetAcceptsOnlyTheRefusal) {
  struct Case {
    const char* name;
    const char* run_body;  // embedder_run's stand-in
    int make_exit;
    const char* words;
  };
  const Case cases[] = {
      {"refusal",
       "echo \"embedder_run: error: snapshot 'x' does not match this runtime's extensions\" >&2; "
       "exit 1",
       0, "(refused with exit code 1 and the culprit named, as it should be)"},
      {"crash", "kill -SEGV $$", 2,
       "expected embedder_run to refuse the snapshot with exit code 1, got 139"},
      {"other error", "echo 'embedder_run: error: cannot open main.js' >&2; exit 1", 2,
       "exit code 1, but not the refusal ('does not match this runtime's extensions')"},
      {"loaded", "echo hello", 2,
       "expected embedder_run to refuse the snapshot with exit code 1, got 0"},
  };
  for (const Case& c : cases) {
    TempDir bin;
    bin.Write("embedder_builder", "#!/bin/sh\nexit 0\n");
    bin.Write("embedder_run", std::string("#!/bin/sh\n") + c.run_body + "\n");
    chmod((bin.path() + "/embedder_builder").c_str(), 0755);
    chmod((bin.path() + "/embedder_run").c_str(), 0755);
    ToolResult make =
        RunTool("/bin/sh", {"-c", "make -s -C \"$0\" -o build mismatch BIN=\"$1\" 2>&1",
                            SourcePath("examples/embedder"), bin.path()});
    EXPECT_EQ(make.exit_code, c.make_exit) << c.name << "\n" << make.out;
    EXPECT_THAT(make.out, HasSubstr(c.words)) << c.name;
  }
}

}  // namespace
}  // namespace v8snap::testing
