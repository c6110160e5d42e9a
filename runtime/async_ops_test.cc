// Async ops and the event loop, in-process: results settle in the order the work finishes, the
// loop runs until the last op is done, errors reject with their code, and disabled ops throw.
#include "runtime/async_ops.h"

#include <errno.h>

#include <chrono>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "runtime/op_args.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

// op_test_delay(ms, value): resolves with String(value) after sleeping `ms` on the pool.
void OpTestDelay(const v8::FunctionCallbackInfo<v8::Value>& info) {
  int ms = info[0]->Int32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  ReturnAsync(
      info,
      [ms, value = OpArgString(info, 1)]() -> OpResult<std::string> {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        return value;
      },
      [](v8::Isolate* isolate, std::string value) -> v8::Local<v8::Value> {
        return OpString(isolate, value);
      });
}

// op_test_fail(path): rejects with ENOENT for `path`.
void OpTestFail(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ReturnAsync(
      info, [path = OpArgString(info, 0)]() -> OpResult<OpDone> {
        return OpError::FromErrno(ENOENT, "open", path);
      },
      [](v8::Isolate* isolate, OpDone) -> v8::Local<v8::Value> { return v8::Undefined(isolate); });
}

// op_test_fail_sync(path): the same error, thrown.
void OpTestFailSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  ReturnSync(info, OpResult<OpDone>(OpError::FromErrno(ENOENT, "open", OpArgString(info, 0))),
             [](v8::Isolate* isolate, OpDone) -> v8::Local<v8::Value> {
               return v8::Undefined(isolate);
             });
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(async_test, {
    {"op_test_delay", v8snap::OpTestDelay, 2, v8snap::OpMode::kAsync},
    {"op_test_fail", v8snap::OpTestFail, 1, v8snap::OpMode::kAsync},
    {"op_test_fail_sync", v8snap::OpTestFailSync, 1, v8snap::OpMode::kSync},
});

namespace v8snap {
namespace {

std::unique_ptr<JsRuntime> Runtime(bool enabled = true) {
  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  std::string text = "name: \"t\"\nextension { name: \"async_test\" ";
  if (!enabled) text += "enabled: false ";
  text += "}\n";
  ManifestLoadResult loaded = LoadManifestFromText("/virtual/t.textproto", text, check);
  EXPECT_TRUE(loaded.problems.empty());
  RuntimeConfig config;
  config.manifest = *loaded.manifest;
  auto runtime = JsRuntime::FromSource(config);
  EXPECT_TRUE(runtime.ok()) << runtime.status();
  return std::move(*runtime);
}

std::string Eval(JsRuntime& runtime, const std::string& source) {
  absl::StatusOr<std::string> result = runtime.EvaluateScript("test.js", source);
  return result.ok() ? *result : "error: " + std::string(result.status().message());
}

TEST(AsyncOpsTest, ResultsArriveInTheOrderTheWorkFinishes) {
  auto runtime = Runtime();
  Eval(*runtime,
       "globalThis.log = [];\n"
       "const { op_test_delay } = v8snap.core.ops;\n"
       "op_test_delay(300, 'slow').then((v) => log.push(v));\n"
       "op_test_delay(100, 'middle').then((v) => log.push(v));\n"
       "op_test_delay(0, 'fast').then((v) => log.push(v));\n"
       "log.push('sync');");
  // EvaluateScript ran the loop until the last op settled: nothing was left pending.
  EXPECT_EQ(Eval(*runtime, "log.join()"), "sync,fast,middle,slow");
}

TEST(AsyncOpsTest, OpReturnsAPromiseAtOnce) {
  auto runtime = Runtime();
  EXPECT_EQ(Eval(*runtime,
                 "const p = v8snap.core.ops.op_test_delay(0, 'x');\n"
                 "`${p instanceof Promise} ${v8snap.core.ops.op_test_delay.length}`"),
            "true 2");
}

TEST(AsyncOpsTest, ErrorsRejectWithCodeSyscallAndPath) {
  auto runtime = Runtime();
  Eval(*runtime,
       "v8snap.core.ops.op_test_fail('notes.txt').catch((e) => {\n"
       "  globalThis.seen = [e instanceof Error, e.code, e.syscall, e.path, e.message].join('|');\n"
       "});");
  EXPECT_EQ(Eval(*runtime, "seen"),
            "true|ENOENT|open|notes.txt|ENOENT: no such file or directory, open 'notes.txt'");
  EXPECT_EQ(Eval(*runtime,
                 "try { v8snap.core.ops.op_test_fail_sync('notes.txt') } catch (e) { e.message }"),
            "ENOENT: no such file or directory, open 'notes.txt'");
}

TEST(AsyncOpsTest, UnhandledRejectionOfAnOpIsAnError) {
  auto runtime = Runtime();
  EXPECT_EQ(Eval(*runtime, "v8snap.core.ops.op_test_fail('gone.txt'); 1"),
            "error: Uncaught (in promise) Error: ENOENT: no such file or directory, open "
            "'gone.txt'");
  // Reported once: the runtime goes on with the next script.
  EXPECT_EQ(Eval(*runtime, "1 + 1"), "2");
}

TEST(AsyncOpsTest, DisabledExtensionKeepsItsOpsButTheyThrow) {
  auto runtime = Runtime(/*enabled=*/false);
  EXPECT_EQ(Eval(*runtime, "typeof v8snap.core.ops.op_test_delay"), "function");
  EXPECT_THAT(Eval(*runtime, "try { v8snap.core.ops.op_test_delay(0, 'x') } catch (e) { e.message }"),
              HasSubstr("op op_test_delay is disabled in this runtime"));
}

}  // namespace
}  // namespace v8snap
