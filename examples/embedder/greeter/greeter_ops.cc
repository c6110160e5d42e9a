// The example embedder's own extension, `greeter`: the three shapes an op takes. A sync op that
// returns a value, a sync op that can throw, and an async op whose work runs on libuv's thread
// pool (docs/embedding.md walks through this file).
#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include "runtime/async_ops.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "v8-primitive.h"

namespace greeter {
namespace {

using v8snap::OpError;
using v8snap::OpResult;

// The work function: no V8 in here, so the sync op calls it on the JS thread and the async op
// on a worker thread, and both give the same result and the same error.
OpResult<std::string> Greeting(const std::string& name) {
  if (name.empty()) return OpError::TypeError("greet: expected a non-empty name");
  return "Hello, " + name + "!";
}

// Turns a finished work result into JS, on the JS thread.
v8::Local<v8::Value> StringToJs(v8::Isolate* isolate, std::string text) {
  return v8snap::OpString(isolate, text);
}

// op_greet(name) -> "Hello, NAME!"; throws a TypeError for an empty name.
void OpGreet(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8snap::ReturnSync(info, Greeting(v8snap::OpArgString(info, 0)), StringToJs);
}

// op_word_count(text) -> how many whitespace-separated words `text` has.
void OpWordCount(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string text = v8snap::OpArgString(info, 0);
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  info.GetReturnValue().Set(words);
}

// Longest wait op_greet_later accepts: a worker thread is a shared resource.
constexpr double kMaxDelayMs = 10000;

// op_greet_later(name, delayMs) -> Promise<"Hello, NAME!">, settled after delayMs on a worker
// thread; the JS thread keeps running meanwhile, and the pending op keeps the process alive.
void OpGreetLater(const v8::FunctionCallbackInfo<v8::Value>& info) {
  // Arguments are read now, on the JS thread; the work lambda gets copies, never V8 handles.
  std::string name = v8snap::OpArgString(info, 0);
  double delay_ms = info[1]->NumberValue(info.GetIsolate()->GetCurrentContext()).FromMaybe(0);
  if (!std::isfinite(delay_ms) || delay_ms < 0) delay_ms = 0;
  if (delay_ms > kMaxDelayMs) delay_ms = kMaxDelayMs;
  v8snap::ReturnAsync(
      info,
      [name, delay_ms] {
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(delay_ms));
        return Greeting(name);
      },
      StringToJs);
}

}  // namespace
}  // namespace greeter

// Declaration order is op-id order inside the extension; the manifest places the extension.
V8SNAP_REGISTER_EXTENSION(greeter,
                          {
                              {"op_greet", greeter::OpGreet, 1, v8snap::OpMode::kSync},
                              {"op_word_count", greeter::OpWordCount, 1, v8snap::OpMode::kSync},
                              {"op_greet_later", greeter::OpGreetLater, 2, v8snap::OpMode::kAsync},
                          });
