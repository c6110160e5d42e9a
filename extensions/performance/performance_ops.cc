// The `performance` extension's ops: the High Resolution Time clock. Its origin is this
// process's start, never the snapshot build's: JS asks these ops every time instead of keeping
// a value that would be frozen into the blob.
#include <time.h>

#include "runtime/extension.h"

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

// op_performance_now(): milliseconds since the time origin (monotonic, sub-millisecond).
void OpPerformanceNow(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(ClockMs(CLOCK_MONOTONIC) - kTimeOrigin.monotonic_ms);
}

// op_performance_time_origin(): the time origin in milliseconds since the Unix epoch.
void OpPerformanceTimeOrigin(const v8::FunctionCallbackInfo<v8::Value>& info) {
  info.GetReturnValue().Set(kTimeOrigin.wall_ms);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(performance, {
    {"op_performance_now", v8snap::OpPerformanceNow, 0, v8snap::OpMode::kSync},
    {"op_performance_time_origin", v8snap::OpPerformanceTimeOrigin, 0, v8snap::OpMode::kSync},
});
