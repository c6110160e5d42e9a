// Resource limits for one runtime: a heap ceiling (--max-heap-mb) and a wall-clock budget
// (--timeout-ms). Either one stops the script cleanly, with an error the runtime reports and
// exit 1, instead of V8 aborting the process (heap) or the script running forever (time).
//
// Usage (JsRuntime does this): Attach() right after Isolate::New, Arm() before running a script,
// Disarm() after; Explain() turns a "terminated" error into the limit that caused it.
#ifndef V8SNAP_RUNTIME_EXECUTION_LIMITS_H_
#define V8SNAP_RUNTIME_EXECUTION_LIMITS_H_

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "runtime/event_loop.h"
#include "v8-isolate.h"

namespace v8snap {

struct ExecutionLimitOptions {
  // Old-generation heap ceiling in MiB; 0 keeps V8's default.
  uint64_t max_heap_mb = 0;
  // Wall-clock budget for running a script and its event loop, in ms; 0 for none.
  uint64_t timeout_ms = 0;
};

class ExecutionLimits {
 public:
  explicit ExecutionLimits(ExecutionLimitOptions options) : options_(options) {}
  ~ExecutionLimits();
  ExecutionLimits(const ExecutionLimits&) = delete;
  ExecutionLimits& operator=(const ExecutionLimits&) = delete;

  // Sets the heap ceiling in `params` (before Isolate::New).
  void ConfigureHeap(v8::Isolate::CreateParams& params) const;

  // Registers the near-heap-limit callback, and a wake-up handle on `loop` so the timeout can
  // stop a loop that is only waiting (on a timer, say) rather than running JS.
  void Attach(v8::Isolate* isolate, EventLoop& loop);

  // Starts the timeout's watchdog thread (no-op without a timeout); Disarm stops it.
  void Arm();
  void Disarm();

  // If a limit fired, the error to report instead of `status` (ResourceExhausted for the heap,
  // DeadlineExceeded for time) and V8's termination is cancelled so the runtime can be disposed
  // or reused; otherwise `status` unchanged.
  absl::Status Explain(absl::Status status);

 private:
  static size_t NearHeapLimit(void* data, size_t current_heap_limit, size_t initial_heap_limit);
  void Watch(uint64_t generation);

  const ExecutionLimitOptions options_;
  v8::Isolate* isolate_ = nullptr;
  uv_async_t* wake_ = nullptr;  // owned by the loop once initialized; closed in ~ExecutionLimits
  std::atomic<bool> heap_exhausted_{false};
  std::atomic<bool> timed_out_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;  // Arm/Disarm count, under mutex_: a stale watchdog does nothing
  bool armed_ = false;
  std::thread watchdog_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_EXECUTION_LIMITS_H_
