// The `bench` extension: one sync op with a numeric argument, registered like every op (a
// FunctionCallback bound through the layout, and on V8 13.6 its Fast API function), for
// op_call_bench.cc.
#include "bench/bench_ops.h"

#include "runtime/extension.h"
#include "v8-primitive.h"

namespace v8snap::bench {
namespace {

// op_bench_mix(value) -> Mix32(value): int32 in, int32 out; non-int32 arguments count as 0.
void OpBenchMix(const v8::FunctionCallbackInfo<v8::Value>& info) {
  int32_t value = info[0]->IsInt32() ? info[0].As<v8::Int32>()->Value() : 0;
  info.GetReturnValue().Set(Mix32(value));
}

// Its Fast API half (V8 13.6): the same result for every argument.
int32_t FastBenchMix(v8::Local<v8::Value> receiver, v8::Local<v8::Value> argument) {
  return Mix32(argument->IsInt32() ? argument.As<v8::Int32>()->Value() : 0);
}

}  // namespace
}  // namespace v8snap::bench

V8SNAP_REGISTER_EXTENSION(bench, {
    {"op_bench_mix", v8snap::bench::OpBenchMix, 1, v8snap::OpMode::kSync,
     v8snap::compat::MakeFastCall(&v8snap::bench::FastBenchMix)},
});
