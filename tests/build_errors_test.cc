// End to end: what snapshot_builder prints when the JS it evaluates goes wrong (docs/
// snapshotting.md, "Errors while building"): the cause, the user's file:line and the fix, exit 1,
// never a hang and never a blob.
#include <cstdio>
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
    for (const char* file :
         {"core/core.js", "console/console.js", "timers/timers.js", "fs/fs.js"}) {
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
    return Build(
        Manifest("extension { name: \"app\" deps: \"core\" js: \"app.js\" }\n", with_console),
        flags);
  }

  // Same, as an ES module.
  ToolResult BuildModule(const std::string& source, const std::vector<std::string>& flags = {}) {
    tmp_.Write("app.js", source);
    return Build(Manifest("extension { name: \"app\" deps: \"core\" esm: \"app.js\" }\n"), flags);
  }

  // Only core and "app" (`source`, a classic script or a module): for the limits, so that the
  // time and heap the other extensions take never count against them.
  ToolResult BuildAlone(const std::string& source, bool module,
                        const std::vector<std::string>& flags) {
    tmp_.Write("app.js", source);
    return Build(tmp_.Write("alone.textproto",
                            std::string("extension { name: \"core\" js: \"core/core.js\" }\n"
                                        "extension { name: \"app\" deps: \"core\" ") +
                                (module ? "esm" : "js") + ": \"app.js\" }\n"),
                 flags);
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

// V8 keeps no place for a value that is not an Error thrown by a module: the module is named.
TEST_F(BuildErrorsTest, NonErrorThrownByAModuleNamesTheModule) {
  ToolResult r = BuildModule("export const x = 1;\nthrow {x};\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "snapshot_builder: error: " + tmp_.path() + "/app.js: Uncaught { x: 1 }\n");
}

// Without console, the plain rendering still never calls getters and elides deep nesting.
TEST_F(BuildErrorsTest, PlainRenderingWithoutConsoleShowsGettersAndDepth) {
  ToolResult r = BuildScript("throw {get c() { return 1; }, d: {e: {f: {g: 1}}}, s: Symbol('t')};",
                             /*with_console=*/false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("Uncaught { c: [Getter], d: { e: { f: [Object] } }, s: Symbol(t) }"));
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

TEST_F(BuildErrorsTest, AWarmUpScriptThatIsNotUtf8IsNamed) {
  std::string warm = tmp_.Write("warm.js", std::string("\xFF\xFE"
                                                       "f\0(\0)\0",
                                                       8));
  ToolResult r =
      BuildScript("globalThis.f = () => 1;\n", true, {"--code-cache=keep", "--warmup", warm});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "snapshot_builder: error: warm-up script '" + warm +
                       "' is encoded as UTF-16LE (its byte-order mark says so), not UTF-8\n"
                       "  fix: sources must be UTF-8 (a UTF-8 byte-order mark is fine): convert "
                       "it, for example: iconv -f UTF-16LE -t UTF-8 '" +
                       warm + "' > x.js && mv x.js '" + warm + "'\n");
  EXPECT_FALSE(BlobWritten());
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

// Item 5: a promise still rejected with no handler when the build ends fails it, with the
// rejection's place and stack; one handled later in the same build (here by a later extension)
// does not.
TEST_F(BuildErrorsTest, UnhandledRejectionsFailTheBuildWithTheirPlace) {
  ToolResult r = BuildScript(
      "function start() {\n  return Promise.reject(new Error('boom'));\n}\n"
      "start();\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              StartsWith("snapshot_builder: error: " + tmp_.path() +
                         "/app.js:2:25: Uncaught (in promise) Error: boom\n    at start (" +
                         tmp_.path() + "/app.js:2:25)\n    at " + tmp_.path() + "/app.js:4:1"));
  EXPECT_THAT(r.err, HasSubstr("nothing handled it by the end of the build"));
  EXPECT_THAT(r.err, HasSubstr("fix: handle the rejection (await it, or add .catch())"));
  EXPECT_FALSE(BlobWritten());

  // A value that is not an Error is placed by the call that rejected.
  r = BuildScript("function start() {\n  return Promise.reject({code: 7});\n}\nstart();\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("snapshot_builder: error: " + tmp_.path() +
                                "/app.js:2:18: Uncaught (in promise) { code: 7 }\n    at start ("));

  // Handled in the same build, by a later extension: not an error.
  tmp_.Write("early.js", "globalThis.pending = Promise.reject(new Error('later'));\n");
  tmp_.Write("late.js", "globalThis.pending.catch(() => {});\n");
  r =
      Build(Manifest("extension { name: \"early\" deps: \"core\" js: \"early.js\" }\n"
                     "extension { name: \"late\" deps: \"early\" js: \"late.js\" }\n"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Item 5: import() while building fails the build, even when the script catches its rejection.
TEST_F(BuildErrorsTest, DynamicImportFailsTheBuildEvenWhenCaught) {
  for (const char* code : {"import('ext:console/console.js');\n",
                           "import('ext:console/console.js').catch(() => {});\n"}) {
    ToolResult r = BuildScript(code);
    EXPECT_EQ(r.exit_code, 1) << code;
    EXPECT_THAT(r.err, HasSubstr("cannot import 'ext:console/console.js' from " + tmp_.path() +
                                 "/app.js:1:1: import() is not available while a snapshot is "
                                 "built"));
    EXPECT_THAT(r.err, HasSubstr("fix: import the module statically"));
    EXPECT_FALSE(BlobWritten());
  }
}

// Item 10: an endless loop is stopped by --timeout-ms, naming the file; the heap by
// --max-heap-mb. Neither depends on the machine's speed: the loops never end by themselves.
TEST_F(BuildErrorsTest, TimeoutAndHeapLimitStopTheBuildNamingTheFile) {
  // The limit is generous next to what core.js takes, so only the loop can reach it.
  ToolResult r = BuildAlone("for (;;) {}\n", false, {"--timeout-ms=1000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("1000 ms (--timeout-ms)"));
  EXPECT_THAT(r.err, HasSubstr("while evaluating " + tmp_.path() + "/app.js (extension 'app')"));
  EXPECT_THAT(r.err, HasSubstr("raise --timeout-ms (0 turns the limit off"));
  EXPECT_FALSE(BlobWritten());

  r = BuildAlone("while (true) { await null; }\n", true, {"--timeout-ms=1000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("while evaluating " + tmp_.path() + "/app.js (extension 'app')"));

  // About 100 MiB of objects, dropped before the end: builds without the limit, not within 32.
  const std::string allocates =
      "globalThis.all = [];\nfor (let i = 0; i < 2e6; i++) globalThis.all.push({i});\n"
      "globalThis.all = null;\n";
  EXPECT_EQ(BuildAlone(allocates, false, {}).exit_code, 0);
  std::remove(out().c_str());
  r = BuildAlone(allocates, false, {"--max-heap-mb=32"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("32 MiB heap limit (--max-heap-mb)"));
  EXPECT_THAT(r.err, HasSubstr("while evaluating " + tmp_.path() + "/app.js (extension 'app')"));
  EXPECT_FALSE(BlobWritten());

  tmp_.Write("warm.js", "for (;;) {}\n");
  r = BuildAlone("globalThis.f = () => 1;\n", false,
                 {"--timeout-ms=1000", "--code-cache=keep", "--warmup", tmp_.path() + "/warm.js"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("while evaluating the warm-up script " + tmp_.path() + "/warm.js"));
}

// One operation that allocates past the limit at once cannot be stopped inside V8: the process
// ends with the error and exit 1, never V8's abort (exit 133).
TEST_F(BuildErrorsTest, ASingleHugeAllocationEndsTheBuildCleanly) {
  ToolResult r =
      BuildAlone("globalThis.a = new Array(2 ** 29).fill(1.5);\n", false, {"--max-heap-mb=32"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("snapshot_builder: error: out of memory: one operation of the "
                               "script needed more than the 32 MiB heap limit (--max-heap-mb)"));
  EXPECT_FALSE(BlobWritten());
}

TEST_F(BuildErrorsTest, LimitFlagsAreCheckedAsUsageErrors) {
  for (const char* flag : {"--timeout-ms=-1", "--timeout-ms=soon", "--max-heap-mb=8"}) {
    ToolResult r = BuildScript("globalThis.x = 1;\n", true, {flag});
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_THAT(r.err, HasSubstr("is not a valid value: give a whole number of")) << flag;
  }
  // 0 turns the timeout off.
  EXPECT_EQ(BuildScript("globalThis.x = 1;\n", true, {"--timeout-ms=0"}).exit_code, 0);
}

// Item 12: a timer or file op started while building leads with the user's frame, not with the
// extension wrapper whose op refused, and says why and what to do instead.
TEST_F(BuildErrorsTest, TimersAndFileOpsAtBuildLeadWithTheUsersFrame) {
  ToolResult r = BuildScript("// starts a timer\nsetTimeout(() => {}, 10);\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("snapshot_builder: error: " + tmp_.path() +
                                "/app.js:2:1: Uncaught Error: timers cannot be started while a "
                                "snapshot is built\n"));
  EXPECT_THAT(r.err, HasSubstr("fix: timers, file and other async ops cannot run while a "
                               "snapshot is built"));
  EXPECT_THAT(r.err, HasSubstr("v8snap.snapshot.onDeserialize(fn)"));

  r = BuildScript("async function load() {\n  await v8snap.fs.readFile('x');\n}\nload();\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("snapshot_builder: error: " + tmp_.path() +
                                "/app.js:2:19: Uncaught (in promise) Error: file ops cannot run "
                                "while a snapshot is built\n"));
  EXPECT_THAT(r.err, HasSubstr("v8snap.snapshot.onDeserialize(fn)"));

  // From a --warmup script too.
  tmp_.Write("warm.js", "globalThis.f();\nsetInterval(globalThis.f, 5);\n");
  r = BuildScript("globalThis.f = () => 1;\n", true,
                  {"--code-cache=keep", "--warmup", tmp_.path() + "/warm.js"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(tmp_.path() + "/warm.js:2:1: Uncaught Error: timers cannot be "
                                             "started while a snapshot is built"));
  EXPECT_THAT(r.err, HasSubstr("v8snap.snapshot.onDeserialize(fn)"));
}

// Item 14: a module of an extension declared later is named with where it is declared and the
// order fix; when the later one depends on the importer, the cycle is named.
TEST_F(BuildErrorsTest, ImportOfALaterExtensionNamesItsDeclarationAndTheOrderFix) {
  tmp_.Write("a.js", "import { b } from 'ext:b/b.js';\nexport const a = b;\n");
  tmp_.Write("b.js", "export const b = 1;\n");
  std::string manifest = Manifest(
      "extension { name: \"a\" deps: \"core\" esm: \"a.js\" }\n"
      "extension {\n  name: \"b\"\n  deps: \"core\"\n  esm: \"b.js\"\n}\n");
  ToolResult r = Build(manifest);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot import 'ext:b/b.js' from " + tmp_.path() +
                               "/a.js:1:19: 'ext:b/b.js' belongs to extension 'b', declared at " +
                               manifest + ":6:1, after extension 'a' (" + manifest + ":5:1)"));
  EXPECT_THAT(r.err, HasSubstr("fix: list extension 'b' before 'a' in the manifest and add deps: "
                               "\"b\" to 'a'"));

  manifest = Manifest(
      "extension { name: \"a\" deps: \"core\" esm: \"a.js\" }\n"
      "extension {\n  name: \"b\"\n  deps: [\"core\", \"a\"]\n  esm: \"b.js\"\n}\n");
  r = Build(manifest);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("and 'b' depends on 'a', so no order works (a cycle)"));
  EXPECT_THAT(r.err, HasSubstr("fix: move what both need into an extension listed before both"));
}

// Item 15: a top-level await that never settles names the module's line.
TEST_F(BuildErrorsTest, TopLevelAwaitThatNeverSettlesNamesTheLine) {
  ToolResult r = BuildModule(
      "// a comment with await in it\nconst ready = async () => await 1;\nawait ready();\n"
      "const s = 'await';\nawait new Promise(() => {});\nexport const x = 1;\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: " + tmp_.path() +
                               "/app.js: extension module 'ext:app/app.js' did not finish "
                               "evaluating: one of its top-level awaits (lines 3, 5) waits on "
                               "something that never settles"));

  r = BuildModule(
      "function later() {\n  return new Promise(() => {});\n}\n\nconst v = await later();\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: " + tmp_.path() +
                               "/app.js:5:11: extension module 'ext:app/app.js' did not finish "
                               "evaluating: its top-level await here waits on something that "
                               "never settles"));
  EXPECT_THAT(r.err, HasSubstr("fix: await only work that finishes without timers or I/O"));
  EXPECT_FALSE(BlobWritten());

  // The await is in a module of the extension that the first one imports.
  tmp_.Write("a.js", "import { b } from './b.js';\nexport const a = b;\n");
  tmp_.Write("b.js", "export const b = 1;\n\nawait new Promise(() => {});\n");
  r = Build(Manifest("extension { name: \"app\" deps: \"core\" esm: \"a.js\" esm: \"b.js\" }\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: " + tmp_.path() +
                               "/b.js:3:1: extension module 'ext:app/a.js' did not finish "
                               "evaluating: the module it imports, 'ext:app/b.js': its top-level "
                               "await here waits on something that never settles"));
}

}  // namespace
}  // namespace v8snap::testing
