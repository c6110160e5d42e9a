// The `bench` extension: one sync op with a numeric argument, registered like every op (a
// FunctionCallback bound through the layout, and on V8 13.6 its Fast API function), for
// op_call_bench.cc.
#include "bench/bench_ops.h"

#include "runtime/extension.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-primitive.h"

namespace v8snap::bench {
namespace {

// op_bench_mix(value) -> Mix32(value | 0) for a Number (JS's ToInt32), Mix32(0) otherwise.
void OpBenchMix(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Local<v8::Value> value = info[0];
  info.GetReturnValue().Set(
      Mix32(value->IsNumber() ? value->Int32Value(info.GetIsolate()->GetCurrentContext()).FromJust()
                              : 0));
}

// Its Fast API half (V8 13.6): V8 hands it only Numbers it converts as ToInt32 does
// (tests/fast_ops checks the two paths agree on edge values), so the result is the same.
int32_t FastBenchMix(v8::Local<v8::Value> receiver, int32_t value) { return Mix32(value); }

}  // namespace
}  // namespace v8snap::bench

V8SNAP_REGISTER_EXTENSION(bench,
                          {
                              {"op_bench_mix", v8snap::bench::OpBenchMix, 1, v8snap::OpMode::kSync,
                               v8snap::compat::MakeFastCall(&v8snap::bench::FastBenchMix)},
                          });
