// The `performance` extension's ops: the High Resolution Time clock. Its origin is this
// process's start, never the snapshot build's: JS asks these ops every time instead of keeping
// a value that would be frozen into the blob. While a snapshot is built, the clock stands still
// at the builder's fixed time (runtime/build_clock.h), so what JS keeps of it is the same in
// every build.
#include <time.h>

#include <optional>

#include "runtime/extension.h"
#include "runtime/v8snap_platform.h"

namespace v8snap {
namespace {

double ClockMs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Both clocks read once, during static initialization: the time origin is when the process
// started. The builder process has its own, which nothing it snapshots can hold on to.
struct TimeOrigin {
  double monotonic_ms = ClockMs(CLOCK_MONOTONIC);
  double wall_ms = ClockMs(CLOCK_REALTIME);
};
const TimeOrigin kTimeOrigin;

// The builder's fixed wall clock, in a process that builds snapshots (the same one V8's Date
// reads there); nullopt in a runtime.
std::optional<double> FixedBuildClockMs() {
  V8snapPlatform* platform = V8snapPlatform::Current();
  return platform == nullptr ? std::nullopt : platform->fixed_clock_ms();
}

// op_performance_now(): milliseconds since the time origin (monotonic, sub-millisecond).
// While building: 0, the fixed clock's origin itself.
void OpPerformanceNow(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (FixedBuildClockMs().has_value()) {
    info.GetReturnValue().Set(0.0);
    return;
  }
  info.GetReturnValue().Set(ClockMs(CLOCK_MONOTONIC) - kTimeOrigin.monotonic_ms);
}

// Its Fast API half (V8 13.6): what optimized code calls instead.
double FastPerformanceNow(v8::Local<v8::Value> receiver) {
  return FixedBuildClockMs().has_value() ? 0.0
                                         : ClockMs(CLOCK_MONOTONIC) - kTimeOrigin.monotonic_ms;
}

// op_performance_time_origin(): the time origin in milliseconds since the Unix epoch.
// While building: the fixed clock's time.
void OpPerformanceTimeOrigin(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(FixedBuildClockMs().value_or(kTimeOrigin.wall_ms));
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(performance, {
    {"op_performance_now", v8snap::OpPerformanceNow, 0, v8snap::OpMode::kSync,
     v8snap::compat::MakeFastCall(&v8snap::FastPerformanceNow)},
    {"op_performance_time_origin", v8snap::OpPerformanceTimeOrigin, 0, v8snap::OpMode::kSync},
});
