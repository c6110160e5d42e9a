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

// Item 13: a source in another encoding than UTF-8 is named as such, with where and the iconv
// fix; a UTF-8 byte-order mark is fine (V8 reads U+FEFF as white space; Node strips it).
TEST_F(BuildErrorsTest, SourcesThatAreNotUtf8AreNamedWithTheIconvFix) {
  struct Row {
    std::string bytes;
    std::string expected;
    std::string iconv_from;
  };
  const std::vector<Row> rows = {
      {std::string("\xFF\xFEg\0=\0\n\0", 8),
       "is encoded as UTF-16LE (its byte-order mark says so), not UTF-8", "UTF-16LE"},
      {std::string("\xFE\xFF\0g\0=", 6),
       "is encoded as UTF-16BE (its byte-order mark says so), not UTF-8", "UTF-16BE"},
      {std::string("\xFF\xFE\0\0g\0\0\0", 8),
       "is encoded as UTF-32LE (its byte-order mark says so), not UTF-8", "UTF-32LE"},
      {std::string("\0g\0=\0\n", 6), "looks like UTF-16 (big-endian, no byte-order mark",
       "UTF-16BE"},
      {"// ok\nglobalThis.x = \"caf\xE9\";\n",
       "is not valid UTF-8: byte 0xe9 at " + tmp_.path() + "/app.js:2:20 (column in bytes)",
       "WINDOWS-1252"},
      {"globalThis.x = \"\xED\xA0\x80\";\n",  // an encoded surrogate: not UTF-8 either
       "is not valid UTF-8: byte 0xed at " + tmp_.path() + "/app.js:1:17", "WINDOWS-1252"},
  };
  for (const Row& row : rows) {
    ToolResult r = BuildScript(row.bytes);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, StartsWith(tmp_.path() + "/m.textproto:5:"));
    EXPECT_THAT(r.err, HasSubstr("source 'app.js' of extension 'app' " + row.expected)) << r.err;
    EXPECT_THAT(r.err, HasSubstr("fix: sources must be UTF-8 (a UTF-8 byte-order mark is fine): "
                                 "convert it, for example: iconv -f " +
                                 row.iconv_from + " -t UTF-8 '" + tmp_.path() + "/app.js'"));
    EXPECT_FALSE(BlobWritten());
  }
}

TEST_F(BuildErrorsTest, AUtf8ByteOrderMarkIsFine) {
  ToolResult r = BuildScript("\xEF\xBB\xBF\"use strict\";\nglobalThis.word = \"caf\xC3\xA9\";\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string main = tmp_.Write("main.js", "console.log(word);");
  r = RunTool("snapshot_run",
              {"--snapshot", out(), "--manifest", tmp_.path() + "/m.textproto", main});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "caf\xC3\xA9\n");
}

}  // namespace
}  // namespace v8snap::testing
