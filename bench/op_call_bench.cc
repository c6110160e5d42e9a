// A sync op called in a hot loop vs a plain JS function doing the same work (Mix32). The loops
// are JS; each benchmark iteration calls one of them once with kCallsPerIteration calls inside,
// after TurboFan has optimized it. items_per_second is calls per second.
//   js_function   a plain JS function (TurboFan inlines it)
//   op            the `bench` extension's op, bound like every op (a FunctionCallback, and on
//                 V8 13.6 its Fast API function: compat/fast_call.h)
//   fast_api_op   the same work as a Fast API call installed by this file (bench/fast_api_abi.h):
//                 on 10.2, whose ops have no fast path, what fast ops would buy there
//                 (docs/performance.md)
#include <memory>
#include <string>

#include "bench/bench_ops.h"
#include "bench/bench_support.h"
#include "bench/fast_api_abi.h"
#include "v8-context.h"
#include "v8-function.h"
#include "v8-initialization.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"
#include "v8-primitive.h"
#include "v8-template.h"

namespace v8snap::bench {
namespace {

constexpr int kCallsPerIteration = 10000;

// The two loops differ only in the callee. The op is destructured once, as runtimes do
// (`const { op_x } = ops`), so both loops make one direct call per turn.
std::string LoopsScript() {
  return std::string(kMix32Js) +
         "const { op_bench_mix } = v8snap.core.ops;"
         "globalThis.loopJs = (n) => {"
         "  let acc = 0;"
         "  for (let i = 0; i < n; i++) acc = (acc + mix(i)) | 0;"
         "  return acc;"
         "};"
         "globalThis.loopOp = (n) => {"
         "  let acc = 0;"
         "  for (let i = 0; i < n; i++) acc = (acc + op_bench_mix(i)) | 0;"
         "  return acc;"
         "};";
}

// The fast and the slow half of the fast-API op. V8 calls FastMix straight from optimized code
// when the argument is an int32; anything else, or unoptimized code, takes SlowMix.
int64_t fast_calls = 0;
int32_t FastMix(v8::Local<v8::Object> receiver, int32_t value) {
  ++fast_calls;
  return Mix32(value);
}
void SlowMix(const v8::FunctionCallbackInfo<v8::Value>& info) {
  int32_t value = info[0]->IsInt32() ? info[0].As<v8::Int32>()->Value() : 0;
  info.GetReturnValue().Set(Mix32(value));
}

// Installs globalThis.fastMix (the fast-API op) and loopFast, shaped like loopOp.
void InstallFastMix(JsRuntime& runtime) {
  v8::Isolate* isolate = runtime.isolate();
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = runtime.context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::FunctionTemplate> tmpl = NewFastTemplate(isolate, SlowMix, &FastMix);
  CheckOk(context->Global()
                  ->Set(context, v8::String::NewFromUtf8Literal(isolate, "fastMix"),
                        tmpl->GetFunction(context).ToLocalChecked())
                  .FromMaybe(false)
              ? absl::OkStatus()
              : absl::InternalError("could not install fastMix"),
          "fastMix");
  CheckOk(runtime
              .EvaluateScript("loop_fast.js",
                              "const { fastMix } = globalThis;"
                              "globalThis.loopFast = (n) => {"
                              "  let acc = 0;"
                              "  for (let i = 0; i < n; i++) acc = (acc + fastMix(i)) | 0;"
                              "  return acc;"
                              "};")
              .status(),
          "loop_fast.js");
}

// A runtime for one op-call benchmark (from source: ops are bound by the same InstallOps whether
// the context comes from a snapshot or not). Made and disposed per benchmark run: in this V8 a
// live isolate started from V8's built-in snapshot breaks the next isolate loaded from a v8snap
// blob (docs/performance.md, "Found on the way"), and the other benchmarks load blobs.
std::unique_ptr<JsRuntime> MakeOpCallRuntime() {
  EnsureV8();
  static RuntimeConfig* config =
      new RuntimeConfig(LoadConfig(SourcePath("bench/op_call.textproto")));
  auto created = JsRuntime::FromSource(*config);
  CheckOk(created.status(), "op_call runtime");
  CheckOk((*created)->EvaluateScript("loops.js", LoopsScript()).status(), "loops.js");
  // The two must compute the same thing, or the comparison means nothing.
  uint32_t expected = 0;  // JS's `(acc + x) | 0` wraps like uint32 arithmetic
  for (int i = 0; i < kCallsPerIteration; ++i) expected += static_cast<uint32_t>(Mix32(i));
  InstallFastMix(**created);
  for (const char* loop : {"loopJs", "loopOp", "loopFast"}) {
    auto result = (*created)->EvaluateScript(
        "check.js", std::string(loop) + "(" + std::to_string(kCallsPerIteration) + ")");
    CheckOk(result.status(), loop);
    std::string want = std::to_string(static_cast<int32_t>(expected));
    if (*result != want) {
      CheckOk(
          absl::InternalError(std::string(loop) + " returned " + *result + ", expected " + want),
          "op_call check");
    }
  }
  return *std::move(created);
}

// Calls `loop` (a global of the runtime) once per iteration, after a warm-up long enough for
// TurboFan to optimize the loop and its callee.
void RunHotLoop(benchmark::State& state, JsRuntime& runtime, const char* loop) {
  v8::Isolate* isolate = runtime.isolate();
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = runtime.context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Function> function =
      context->Global()
          ->Get(context, v8::String::NewFromUtf8(isolate, loop).ToLocalChecked())
          .ToLocalChecked()
          .As<v8::Function>();
  v8::Local<v8::Value> n = v8::Integer::New(isolate, kCallsPerIteration);
  for (int i = 0; i < 200; ++i) {
    if (function->Call(context, context->Global(), 1, &n).IsEmpty()) {
      state.SkipWithError("the loop threw");
      return;
    }
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(function->Call(context, context->Global(), 1, &n));
  }
  state.SetItemsProcessed(state.iterations() * kCallsPerIteration);
}

void BM_HotLoop(benchmark::State& state, const char* loop) {
  std::unique_ptr<JsRuntime> runtime = MakeOpCallRuntime();
  RunHotLoop(state, *runtime, loop);
}

// V8 10.2 only emits fast calls with --turbo-fast-api-calls (off by default); it reads the flag
// when TurboFan compiles, so it is switched on for this benchmark only. fast_path_share is the
// part of the timed calls that took the fast path (1 when V8 used it throughout).
void BM_HotLoopFastApi(benchmark::State& state) {
  v8::V8::SetFlagsFromString("--turbo-fast-api-calls");
  std::unique_ptr<JsRuntime> runtime = MakeOpCallRuntime();
  int64_t before = 0;
  {
    fast_calls = 0;
    before = fast_calls;
    RunHotLoop(state, *runtime, "loopFast");
  }
  double total = static_cast<double>(state.iterations()) * kCallsPerIteration;
  state.counters["fast_path_share"] =
      total > 0 ? static_cast<double>(fast_calls - before) / (total + 200.0 * kCallsPerIteration)
                : 0;
  runtime.reset();
  // Back to the V8's own default, for the benchmarks that run after this one (on 13.6 the op
  // benchmark's fast path needs the flag on, as it is by default).
  if (!kFastApiCallsByDefault) v8::V8::SetFlagsFromString("--no-turbo-fast-api-calls");
}

BENCHMARK_CAPTURE(BM_HotLoop, js_function, "loopJs");
BENCHMARK_CAPTURE(BM_HotLoop, op, "loopOp");
BENCHMARK(BM_HotLoopFastApi)->Name("BM_HotLoop/fast_api_op");

}  // namespace
}  // namespace v8snap::bench
