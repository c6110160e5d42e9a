// End to end: what snapshot_builder prints when the JS it evaluates goes wrong (docs/
// snapshotting.md, "Errors while building"): the cause, the user's file:line and the fix, exit 1,
// never a hang and never a blob.
#include <string>
#include <vector>

#include "format/atomic_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class BuildErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file : {"core/core.js", "console/console.js", "timers/timers.js", "fs/fs.js"}) {
      tmp_.Write(file, *ReadFileToString(SourcePath(std::string("extensions/") + file)));
    }
  }

  // A manifest of core, console (unless `with_console` is false), timers and fs, then `app`
  // blocks (written as given), in tmp_.
  std::string Manifest(const std::string& app, bool with_console = true) {
    std::string text = "extension { name: \"core\" js: \"core/core.js\" }\n";
    if (with_console) {
      text += "extension { name: \"console\" deps: \"core\" esm: \"console/console.js\" }\n";
    }
    text +=
        "extension { name: \"timers\" deps: \"core\" esm: \"timers/timers.js\" }\n"
        "extension { name: \"fs\" deps: \"core\" esm: \"fs/fs.js\" }\n";
    return tmp_.Write("m.textproto", text + app);
  }

  // Builds a manifest whose last extension "app" runs `source` as a classic script.
  ToolResult BuildScript(const std::string& source, bool with_console = true,
                         const std::vector<std::string>& flags = {}) {
    tmp_.Write("app.js", source);
    return Build(Manifest("extension { name: \"app\" deps: \"core\" js: \"app.js\" }\n",
                          with_console),
                 flags);
  }

  // Same, as an ES module.
  ToolResult BuildModule(const std::string& source, const std::vector<std::string>& flags = {}) {
    tmp_.Write("app.js", source);
    return Build(Manifest("extension { name: \"app\" deps: \"core\" esm: \"app.js\" }\n"), flags);
  }

  ToolResult Build(const std::string& manifest, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {"--manifest", manifest, "--out", out()};
    args.insert(args.end(), flags.begin(), flags.end());
    return RunTool("snapshot_builder", args);
  }

  std::string out() const { return tmp_.path() + "/s.bin"; }
  bool BlobWritten() const { return ReadFileToString(out()).ok(); }

  TempDir tmp_;
};

// Item 11: a thrown value that is not an Error prints as console.log shows it, with or without
// the console extension in the manifest (then the builder's own plain rendering).
TEST_F(BuildErrorsTest, NonErrorThrowsPrintAsConsoleLogWould) {
  struct Row {
    std::string code;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {"throw {a: 1, b: [1, 2]};", "app.js:1:1: Uncaught { a: 1, b: [ 1, 2 ] }\n"},
      {"throw Object.create(null);", "app.js:1:1: Uncaught [Object: null prototype] {}\n"},
      {"throw [1, 'x', 10n];", "app.js:1:1: Uncaught [ 1, 'x', 10n ]\n"},
      {"class P { constructor() { this.x = 1; } }\nthrow new P();",
       "app.js:2:1: Uncaught P { x: 1 }\n"},
      {"throw 42;", "app.js:1:1: Uncaught 42\n"},
  };
  for (bool with_console : {true, false}) {
    for (const Row& row : rows) {
      ToolResult r = BuildScript(row.code, with_console);
      EXPECT_EQ(r.exit_code, 1) << row.code;
      EXPECT_EQ(r.err, "snapshot_builder: error: " + tmp_.path() + "/" + row.expected)
          << row.code << (with_console ? " (with console)" : " (without console)");
      EXPECT_FALSE(BlobWritten());
    }
  }
}

// Without console, the plain rendering still never calls getters and elides deep nesting.
TEST_F(BuildErrorsTest, PlainRenderingWithoutConsoleShowsGettersAndDepth) {
  ToolResult r = BuildScript("throw {get c() { return 1; }, d: {e: {f: {g: 1}}}, s: Symbol('t')};",
                             /*with_console=*/false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Uncaught { c: [Getter], d: { e: { f: [Object] } }, s: Symbol(t) }"));
  EXPECT_THAT(r.err, Not(HasSubstr("[object Object]")));
}

}  // namespace
}  // namespace v8snap::testing
