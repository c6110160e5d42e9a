// The `bench` extension's work, shared by its op (bench_ops.cc) and by the benchmark that
// checks the JS twin computes the same thing (op_call_bench.cc).
#ifndef V8SNAP_BENCH_BENCH_OPS_H_
#define V8SNAP_BENCH_BENCH_OPS_H_

#include <cstdint>

namespace v8snap::bench {

// A 32-bit integer mix (two multiply-xorshift rounds): a few nanoseconds of arithmetic, the
// size of work a small sync op does (a hash step, a flag check, a clamp).
inline int32_t Mix32(int32_t value) {
  uint32_t x = static_cast<uint32_t>(value);
  x = ((x >> 16) ^ x) * 0x45d9f3bu;
  x = ((x >> 16) ^ x) * 0x45d9f3bu;
  return static_cast<int32_t>((x >> 16) ^ x);
}

// The same in JS, as op_call_bench.cc's plain-function baseline evaluates it.
inline constexpr char kMix32Js[] =
    "function mix(value) {"
    "  let x = value | 0;"
    "  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b);"
    "  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b);"
    "  return ((x >>> 16) ^ x) | 0;"
    "}";

}  // namespace v8snap::bench

#endif  // V8SNAP_BENCH_BENCH_OPS_H_
