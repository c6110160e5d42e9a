// End to end: the rough edges of the tools' command lines. A missing script is an error like any
// other ("snapshot_run: error: ..." with a fix); a closed stdout (`| head -1`) ends a run
// quietly instead of killing it with SIGPIPE; a V8 flag V8 does not know, or cannot parse, is a
// usage error before anything is built.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(RuntimeEdgesTest, AMissingScriptIsAnErrorWithAFix) {
  ToolResult r = RunTool("snapshot_run", {"--snapshot", ToolPath("default.bin"), "/x/nonexist.js"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("snapshot_run: error: cannot open '/x/nonexist.js': No such file "
                                "or directory"));
  EXPECT_THAT(r.err, HasSubstr("fix: give the path of an ES module file to run"));
}

TEST(RuntimeEdgesTest, AScriptThatIsAFolderIsAnErrorWithAFix) {
  TempDir tmp;
  ToolResult r = RunTool("snapshot_run", {"--snapshot", ToolPath("default.bin"), tmp.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("snapshot_run: error: "));
  EXPECT_THAT(r.err, HasSubstr("is a directory"));
  EXPECT_THAT(r.err, HasSubstr("fix:"));
}

// `snapshot_run endless.js | head -1`: the reader goes away after one line. The runtime ignores
// SIGPIPE and ends the run at the EPIPE, exit 0 and nothing on stderr, as a tool piped into
// head should. (--timeout-ms only keeps a broken build from hanging the test.)
TEST(RuntimeEdgesTest, AClosedStdoutEndsTheRunQuietly) {
  // console.log and the raw op_print (which wrote on, ignoring EPIPE, until the timeout).
  for (const char* write :
       {"console.log('line ' + i)", "v8snap.core.ops.op_print('line ' + i + '\\n', false)"}) {
    TempDir tmp;
    std::string script =
        tmp.Write("endless.js", std::string("for (let i = 0; ; i++) ") + write + ";\n");
    ToolResult r = RunTool(
        "/bin/bash", {"-c", "'" + ToolPath("snapshot_run") + "' --timeout-ms=60000 --snapshot '" +
                                ToolPath("default.bin") + "' '" + script +
                                "' | head -1; echo \"exit ${PIPESTATUS[0]}\""});
    EXPECT_EQ(r.out, "line 0\nexit 0\n") << write << ": 141 is death by SIGPIPE";
    EXPECT_EQ(r.err, "") << write;
  }
}

TEST(RuntimeEdgesTest, AScriptThatFinishesBeforeTheReaderLeavesIsUnaffected) {
  TempDir tmp;
  std::string script = tmp.Write("three.js", "console.log(1);\nconsole.log(2);\nconsole.log(3);\n");
  ToolResult r = RunTool("/bin/bash", {"-c", "'" + ToolPath("snapshot_run") + "' --snapshot '" +
                                                 ToolPath("default.bin") + "' '" + script +
                                                 "' | cat; echo \"exit ${PIPESTATUS[0]}\""});
  EXPECT_EQ(r.out, "1\n2\n3\nexit 0\n");
}

class BuilderV8FlagsTest : public ::testing::Test {
 protected:
  ToolResult Build(const std::string& v8_flags) {
    return RunTool("snapshot_builder",
                   {"--manifest", SourcePath("tests/fixtures/core_console.textproto"), "--out",
                    Out(), "--v8-flags=" + v8_flags});
  }
  std::string Out() const { return tmp_.path() + "/snap.bin"; }
  // Nothing written: a refused flag is found before the build starts.
  void ExpectNothingWritten() {
    EXPECT_EQ(tmp_.Read("snap.bin"), "");
    EXPECT_EQ(tmp_.Read("snap.bin.sidecar.pb"), "");
  }
  TempDir tmp_;
};

TEST_F(BuilderV8FlagsTest, AnUnknownFlagIsAUsageError) {
  ToolResult r = Build("--no-such-flag-xyz");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "") << "V8's own complaint must not leak to stdout";
  EXPECT_THAT(r.err, HasSubstr("snapshot_builder: error: --v8-flags: V8 flag refused: "
                               "'--no-such-flag-xyz' is not a V8 flag"));
  EXPECT_THAT(r.err, HasSubstr("`snapshot_builder --v8-flags=--help` lists the flags"));
  ExpectNothingWritten();
}

TEST_F(BuilderV8FlagsTest, AValueV8CannotParseIsAUsageError) {
  ToolResult r = Build("--stack-size=notanumber");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("'--stack-size=notanumber': V8 says: illegal value for flag "
                               "--stack-size=notanumber of type int"));
  EXPECT_THAT(r.err, Not(HasSubstr("Uncaught")));
  ExpectNothingWritten();
}

TEST_F(BuilderV8FlagsTest, AnEmptyValueAndAStrayWordAreUsageErrors) {
  ToolResult empty = Build("--stack-size=");
  EXPECT_EQ(empty.exit_code, 2) << empty.err;
  EXPECT_THAT(empty.err, HasSubstr("'--stack-size=' gives no value after '='"));
  ToolResult stray = Build("--predictable oops");
  EXPECT_EQ(stray.exit_code, 2) << stray.err;
  EXPECT_THAT(stray.err, HasSubstr("'oops' is not a V8 flag (flags start with --"));
  ExpectNothingWritten();
}

TEST_F(BuilderV8FlagsTest, ValidFlagsStillBuildAndAreRecorded) {
  ToolResult r = Build("--stack-size 900 --no-lazy-feedback-allocation");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ToolResult info = RunTool("snapshot_inspect", {"info", Out()});
  EXPECT_THAT(info.out, HasSubstr("--stack-size 900 --no-lazy-feedback-allocation"));
}

TEST_F(BuilderV8FlagsTest, HelpAmongTheV8FlagsListsThem) {
  ToolResult r = RunTool("snapshot_builder", {"--v8-flags=--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("--stack-size"));
  EXPECT_THAT(r.out, HasSubstr("--predictable"));
}

}  // namespace
}  // namespace v8snap::testing
