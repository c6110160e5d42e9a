// End to end: what every tool's command line promises: --help with examples, --version with the
// V8 version, exit codes, --error-format=github, and no colors unless on a terminal.
#include <string>

#include "compat/v8_compat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(CliTest, EveryToolHasHelpWithExamplesAndVersion) {
  for (const char* tool : {"snapshot_builder", "snapshot_run", "snapshot_inspect"}) {
    ToolResult help = RunTool(tool, {"--help"});
    EXPECT_EQ(help.exit_code, 0) << tool;
    EXPECT_THAT(help.out, HasSubstr("Examples:")) << tool;
    EXPECT_THAT(help.out, HasSubstr("Exit codes")) << tool;
    ToolResult version = RunTool(tool, {"--version"});
    EXPECT_EQ(version.exit_code, 0) << tool;
    EXPECT_THAT(version.out, StartsWith(std::string(tool) + " 0.1.0 (v8snap), V8 " +
                                             compat::kV8MajorMinor + ".")) << tool;
  }
}

// `snapshot_inspect info x.bin | head -3` under `set -o pipefail` (make demo, CI scripts): the
// tools stop writing when the reader goes, and exit as they would have, not 141 (SIGPIPE). The
// reader here closes its end before the tool starts (a flag file orders the two), so the first
// write meets a closed pipe every time.
TEST(CliTest, AReaderThatGoesAwayIsNotAFailure) {
  TempDir tmp;
  const std::string bin = ToolPath("default.bin");
  const std::string flag = tmp.path() + "/reader-gone";
  for (const std::string& command :
       {"'" + ToolPath("snapshot_inspect") + "' info '" + bin + "'",
        "'" + ToolPath("snapshot_inspect") + "' heap '" + bin + "' --top 0",
        "'" + ToolPath("snapshot_builder") + "' --help"}) {
    std::string script = "set -o pipefail; rm -f '" + flag + "'; { while [ ! -e '" + flag +
                         "' ]; do sleep 0.01; done; " + command + "; } | { exec 0<&-; touch '" +
                         flag + "'; }";
    ToolResult r = RunTool("/bin/bash", {"-c", script});
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    EXPECT_EQ(r.err, "") << command;
  }
}

TEST(CliTest, UsageErrorsExit2ForEveryTool) {
  EXPECT_EQ(RunTool("snapshot_builder", {"--out", "x.bin"}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_builder", {"--manifest", "m", "--out", "o", "--code-cache=maybe"})
                .exit_code,
            2);
  EXPECT_EQ(RunTool("snapshot_run", {"--snapshot", "a.bin", "--no-snapshot", "x.js"}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_inspect", {"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunTool("snapshot_builder", {"--manifest", "m", "--out", "o", "--error-format=xml"})
                .exit_code,
            2);
}

TEST(CliTest, BuilderErrorsAsGithubAnnotations) {
  TempDir tmp;
  ToolResult r = RunTool("snapshot_builder",
                         {"--manifest", SourcePath("tests/fixtures/throws_at_build.textproto"),
                          "--out", tmp.path() + "/s.bin", "--error-format=github"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith("::error file="));
  EXPECT_THAT(r.out,
              HasSubstr("tests/fixtures/throws_at_build.js,line=4,col=3::Uncaught TypeError"));
  EXPECT_THAT(r.out, HasSubstr("%0A    at setUp"));
}

TEST(CliTest, ValidateProblemsAsGithubAnnotations) {
  TempDir tmp;
  std::string manifest = tmp.Write("m.textproto",
                                   "extension { name: \"b\" deps: \"a\" js: \"b.js\" }\n"
                                   "extension { name: \"a\" js: \"a.js\" }\n");
  tmp.Write("a.js", "");
  tmp.Write("b.js", "");
  ToolResult r = RunTool("snapshot_inspect", {"validate", manifest, "--error-format=github"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith("::error file=" + manifest + ",line=1,col="));
  EXPECT_THAT(r.out, HasSubstr("move 'a' before 'b'"));
}

// The choices, not CLI11's internals ("{github->1,text->0} OR {1,0}").
TEST(CliTest, ErrorFormatHelpListsTheChoices) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"snapshot_builder", "--help"}, {"snapshot_inspect", "validate", "--help"}}) {
    ToolResult help = RunTool(args[0], {args.begin() + 1, args.end()});
    EXPECT_EQ(help.exit_code, 0) << args[0];
    EXPECT_THAT(help.out, HasSubstr("--error-format TEXT:{text,github}")) << args[0];
    EXPECT_THAT(help.out, Not(HasSubstr("->"))) << args[0];
  }
}

TEST(CliTest, ManifestProblemsAreNotPrefixedWithASecondError) {
  TempDir tmp;
  std::string manifest = tmp.Write("m.textproto", "extension { nmae: \"core\" }\n");
  ToolResult r =
      RunTool("snapshot_builder", {"--manifest", manifest, "--out", tmp.path() + "/s.bin"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith(manifest + ":1:13: error: unknown field 'nmae'"));
  EXPECT_THAT(r.err, Not(HasSubstr("snapshot_builder: error:")));
}

TEST(CliTest, NoColorsWhenNotOnATerminal) {
  ToolResult r =
      RunTool("snapshot_builder", {"--manifest", "/nonexistent.textproto", "--out", "/tmp/x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("snapshot_builder: error: "));
  EXPECT_THAT(r.err, Not(HasSubstr("\033[")));
}

// CLI11's usage errors read like every other error of the tool, and say where help is.
TEST(CliTest, UsageErrorsHaveTheToolsErrorPrefix) {
  struct Row {
    std::vector<std::string> args;
    std::string expected_err;
  };
  for (const Row& row : std::vector<Row>{
           {{"snapshot_builder", "--manifest", "m", "--out", "o", "--code-cache=maybe"},
            "snapshot_builder: error: --code-cache: maybe not in {keep,clear} (snapshot_builder "
            "--help lists the flags)\n"},
           {{"snapshot_builder", "--out", "x.bin"},
            "snapshot_builder: error: --manifest is required (snapshot_builder --help lists the "
            "flags)\n"},
           {{"snapshot_run", "--snapshot", "a.bin", "--no-snapshot", "x.js"},
            "snapshot_run: error: --snapshot excludes --no-snapshot (snapshot_run --help lists "
            "the flags)\n"},
           {{"snapshot_inspect", "info"},
            "snapshot_inspect: error: snapshot is required (snapshot_inspect --help lists the "
            "flags)\n"},
       }) {
    ToolResult r = RunTool(row.args[0], {row.args.begin() + 1, row.args.end()});
    EXPECT_EQ(r.exit_code, 2) << row.args[0];
    EXPECT_EQ(r.out, "") << row.args[0];
    EXPECT_EQ(r.err, row.expected_err);
  }
}

// CLI11 checks required options first: a misspelt flag must still be what the user hears about.
TEST(CliTest, AnUnknownFlagIsNamedBeforeAMissingRequiredOne) {
  ToolResult r = RunTool("snapshot_builder", {"--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "snapshot_builder: error: unknown flag '--bogus' (snapshot_builder --help lists the "
            "flags)\n");
  // A value that starts with '-' is a value, not an unknown flag.
  ToolResult value = RunTool("snapshot_builder", {"--manifest", "-m.textproto"});
  EXPECT_EQ(value.exit_code, 2);
  EXPECT_THAT(value.err, HasSubstr("--out is required"));
}

// The examples are what a user of an installed v8snap can type: no paths of the source tree.
TEST(CliTest, HelpExamplesShowNoSourceTreePaths) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"snapshot_builder", "--help"},
                                             {"snapshot_run", "--help"},
                                             {"snapshot_inspect", "--help"},
                                             {"snapshot_inspect", "info", "--help"},
                                             {"snapshot_inspect", "verify", "--help"},
                                             {"snapshot_inspect", "validate", "--help"},
                                             {"snapshot_inspect", "diff", "--help"},
                                             {"snapshot_inspect", "heap", "--help"}}) {
    ToolResult help = RunTool(args[0], {args.begin() + 1, args.end()});
    EXPECT_EQ(help.exit_code, 0) << args[0] << " " << args[1];
    EXPECT_THAT(help.out, HasSubstr("Examples:")) << args[0] << " " << args[1];
    EXPECT_THAT(help.out, Not(HasSubstr("out/release"))) << args[0] << " " << args[1];
    EXPECT_THAT(help.out, Not(HasSubstr("manifests/default"))) << args[0] << " " << args[1];
  }
}

// What docs/inspect.md promises a script that asked for --json.
TEST(CliTest, JsonOnTroubleIsAReportOrNothing) {
  TempDir tmp;
  const std::string missing = tmp.path() + "/missing.bin";
  ToolResult info = RunTool("snapshot_inspect", {"info", missing, "--json"});
  EXPECT_EQ(info.exit_code, 1);
  EXPECT_EQ(info.out, "");
  EXPECT_THAT(info.err, StartsWith("snapshot_inspect: error: no "));
  ToolResult diff = RunTool("snapshot_inspect", {"diff", missing, missing, "--json"});
  EXPECT_EQ(diff.exit_code, 2);
  EXPECT_EQ(diff.out, "");
  ToolResult verify = RunTool("snapshot_inspect", {"verify", missing, "--json"});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out, StartsWith("{"));
  EXPECT_THAT(verify.out, HasSubstr("\"ok\": false"));
  EXPECT_THAT(verify.err, StartsWith("snapshot_inspect: error: no snapshot blob at"));
}

// On a terminal (script(1) gives the tool one), "error:" is red unless NO_COLOR or TERM=dumb.
TEST(CliTest, ColorsOnATerminalOnlyWhenAllowed) {
  if (RunTool("/bin/sh", {"-c", "command -v script"}).exit_code != 0) {
    GTEST_SKIP() << "script(1) is not installed (apt-get install bsdutils)";
  }
  const std::string command = "'" + ToolPath("snapshot_builder") + "' --bogus";
  auto on_terminal = [&](const std::string& env) {
    return RunTool("/bin/sh", {"-c", env + " script -qec \"" + command + "\" /dev/null"});
  };
  EXPECT_THAT(on_terminal("TERM=xterm NO_COLOR=").out, HasSubstr("\033[1;31merror:"));
  EXPECT_THAT(on_terminal("TERM=xterm NO_COLOR=1").out, Not(HasSubstr("\033[")));
  EXPECT_THAT(on_terminal("TERM=dumb NO_COLOR=").out, Not(HasSubstr("\033[")));
  EXPECT_THAT(on_terminal("TERM=dumb NO_COLOR=").out, HasSubstr("error: unknown flag '--bogus'"));
}

}  // namespace
}  // namespace v8snap::testing
