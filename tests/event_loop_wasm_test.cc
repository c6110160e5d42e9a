// End to end: the event loop waits for work V8 does on its worker threads. Async WebAssembly
// (compile, instantiate) finishes on a worker thread and posts its result back; V8's delayed
// tasks (Atomics.waitAsync's timeout) are due later. Every row runs on the default snapshot and
// from source, several times, and prints what node prints.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
constexpr char kPrelude[] =
    "const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, "
    "127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);\n";

// Each row several times: a loop that stops before V8 posts back fails only now and then when
// the compilation is quick enough, so one pass would not show it is fixed.
constexpr int kRepeats = 3;

class EventLoopWasmTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_dir_ = new TempDir();
    build_ = new ToolResult(
        RunTool("snapshot_builder",
                {"--manifest", SourcePath("manifests/default.textproto"), "--out", Snapshot()}));
  }
  static void TearDownTestSuite() {
    delete build_;
    delete snapshot_dir_;
  }
  static std::string Snapshot() { return snapshot_dir_->path() + "/default.bin"; }

  void SetUp() override { ASSERT_EQ(build_->exit_code, 0) << build_->err; }

  // Runs `script` (after kPrelude) as the main module, from the snapshot or from source.
  ToolResult Run(const std::string& script, bool from_snapshot) {
    std::string path = tmp_.Write("main.js", kPrelude + script);
    return from_snapshot ? RunTool("snapshot_run", {"--snapshot", Snapshot(), path})
                         : RunTool("snapshot_run", {"--no-snapshot", path});
  }

  static TempDir* snapshot_dir_;
  static ToolResult* build_;
  TempDir tmp_;
};

TempDir* EventLoopWasmTest::snapshot_dir_ = nullptr;
ToolResult* EventLoopWasmTest::build_ = nullptr;

struct Row {
  const char* what;
  const char* script;
  const char* out;  // what node prints for the same module
};

TEST_F(EventLoopWasmTest, AsyncWebAssemblySettlesFromTheSnapshotAndFromSource) {
  for (const Row& row : std::vector<Row>{
           {"WebAssembly.compile",
            "const m = await WebAssembly.compile(bytes);\n"
            "console.log(m instanceof WebAssembly.Module, "
            "JSON.stringify(WebAssembly.Module.exports(m)));",
            "true [{\"name\":\"add\",\"kind\":\"function\"}]\n"},
           {"WebAssembly.instantiate(bytes)",
            "const { instance, module } = await WebAssembly.instantiate(bytes);\n"
            "console.log(instance.exports.add(2, 3), module instanceof WebAssembly.Module);",
            "5 true\n"},
           {"WebAssembly.instantiate(module)",
            "const i = await WebAssembly.instantiate(new WebAssembly.Module(bytes));\n"
            "console.log(i instanceof WebAssembly.Instance, i.exports.add(40, 2));",
            "true 42\n"},
           {"compile, then instantiate the module it gave",
            "const i = await WebAssembly.instantiate(await WebAssembly.compile(bytes));\n"
            "console.log(i.exports.add(-1, 1));",
            "0\n"},
           {"five at once (es-module-lexer's `await init` pattern, several times over)",
            "const sums = await Promise.all([1, 2, 3, 4, 5].map((i) =>\n"
            "  WebAssembly.instantiate(bytes).then((r) => r.instance.exports.add(i, i))));\n"
            "console.log(sums.join());",
            "2,4,6,8,10\n"},
           {"a compile error rejects, and the rejection is caught",
            "await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]))\n"
            "  .catch((e) => console.log(e.name, e instanceof WebAssembly.CompileError));",
            "CompileError true\n"},
           {"then() callbacks, not only top-level await",
            "WebAssembly.instantiate(bytes).then(({ instance }) =>\n"
            "  console.log('then', instance.exports.add(1, 2)));\n"
            "console.log('sync');",
            "sync\nthen 3\n"},
           // The loop is asleep in a long timer when V8 posts from its worker thread: only the
           // platform's wake-up brings it back before the timer (which would print).
           {"V8's post wakes a loop that sleeps in a timer",
            "const t = setTimeout(() => console.log('the timer fired first'), 60000);\n"
            "const { instance } = await WebAssembly.instantiate(bytes);\n"
            "clearTimeout(t);\n"
            "console.log(instance.exports.add(20, 22));",
            "42\n"},
           // A delayed V8 task (the wait's 20 ms timeout) runs when due while the loop lives.
           {"Atomics.waitAsync's timeout while a timer keeps the loop alive",
            "const t = setTimeout(() => console.log('the timer fired first'), 60000);\n"
            "const cell = new Int32Array(new SharedArrayBuffer(4));\n"
            "const wait = Atomics.waitAsync(cell, 0, 0, 20);\n"
            "console.log(wait.async, await wait.value);\n"
            "clearTimeout(t);",
            "true timed-out\n"},
           // Node installs the streaming functions (it gives V8 a streaming callback);
           // v8snap has no fetch to stream from, so V8 leaves them out.
           {"instantiateStreaming and compileStreaming are absent",
            "console.log(typeof WebAssembly.instantiateStreaming, "
            "typeof WebAssembly.compileStreaming);",
            "undefined undefined\n"},
       }) {
    for (bool from_snapshot : {true, false}) {
      for (int attempt = 1; attempt <= kRepeats; ++attempt) {
        SCOPED_TRACE(::testing::Message() << row.what << (from_snapshot ? ", snapshot" : ", source")
                                          << ", run " << attempt);
        ToolResult run = Run(row.script, from_snapshot);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        EXPECT_EQ(run.out, row.out);
        EXPECT_EQ(run.err, "");
      }
    }
  }
}

// Work V8 still does in the background never keeps a failed module waiting: the uncaught error
// ends the run at once, as in Node.
TEST_F(EventLoopWasmTest, AnUncaughtErrorStopsTheLoopWhileV8CompilesInTheBackground) {
  for (bool from_snapshot : {true, false}) {
    SCOPED_TRACE(from_snapshot ? "snapshot" : "source");
    ToolResult run =
        Run("WebAssembly.compile(bytes).then(() => console.log('compiled'));\n"
            "throw new Error('boom');",
            from_snapshot);
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find("Uncaught Error: boom"), std::string::npos) << run.err;
  }
}

}  // namespace
}  // namespace v8snap::testing
