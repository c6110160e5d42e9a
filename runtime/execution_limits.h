// Resource limits for one runtime: a heap ceiling (--max-heap-mb), the same ceiling on the memory
// of ArrayBuffer backing stores, and a wall-clock budget (--timeout-ms). Each stops the script
// cleanly, with an error the runtime reports and exit 1, instead of V8 aborting the process
// (heap) or the script running forever (time). The heap ceiling is always watched: without
// --max-heap-mb it is V8's default heap limit.
//
// Usage (JsRuntime does this): CheckExecutionLimitOptions() when taking the options,
// NewArrayBufferAllocator() and ConfigureIsolate() before Isolate::New, Attach() right after it,
// Arm() before running a script, Disarm() after; Explain() turns a "terminated" error into the
// limit that caused it.
#ifndef V8SNAP_RUNTIME_EXECUTION_LIMITS_H_
#define V8SNAP_RUNTIME_EXECUTION_LIMITS_H_

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "compat/v8_compat.h"
#include "format/sidecar.pb.h"
#include "runtime/counting_array_buffer_allocator.h"
#include "runtime/event_loop.h"
#include "v8-array-buffer.h"
#include "v8-isolate.h"

namespace v8snap {

struct ExecutionLimitOptions {
  // Ceiling in MiB on the JS heap and, separately, on the memory of ArrayBuffer backing stores
  // (typed arrays, DataViews); 0 keeps V8's default heap limit and leaves ArrayBuffers
  // unlimited. Otherwise within [kMinHeapMb, kMaxHeapMb].
  uint64_t max_heap_mb = 0;
  // Wall-clock budget for running a script and its event loop, in ms; 0 for none. Otherwise
  // within [1, kMaxTimeoutMs].
  uint64_t timeout_ms = 0;
};

// The valid ranges. Below 16 MiB V8 cannot deserialize a snapshot and run the extensions; above
// 1 TiB the number is a typo. The longest timeout is JS's own longest timer delay (2^31-1 ms,
// about 24.8 days), which also keeps the deadline arithmetic far from overflowing.
inline constexpr uint64_t kMinHeapMb = 16;
inline constexpr uint64_t kMaxHeapMb = 1024 * 1024;
inline constexpr uint64_t kMaxTimeoutMs = 2147483647;

// OK, or kInvalidArgument naming the option ("--max-heap-mb", "--timeout-ms"), the value and
// the valid range.
absl::Status CheckExecutionLimitOptions(const ExecutionLimitOptions& options);

// Before V8 deserializes the snapshot at `blob_path`: OK, or kResourceExhausted when its
// ArrayBuffers or its heap (Sidecar.array_buffer_bytes, heap_bytes, recorded by the builder)
// need more than max_heap_mb, naming both figures and the fix. V8 would abort on such a blob
// (the deserializer CHECKs every backing store it asks for), so it must never see it.
absl::Status CheckSnapshotFitsLimits(const ExecutionLimitOptions& options, const Sidecar& sidecar,
                                     const std::string& blob_path);

class ExecutionLimits {
 public:
  explicit ExecutionLimits(ExecutionLimitOptions options) : options_(options) {}
  ~ExecutionLimits();
  ExecutionLimits(const ExecutionLimits&) = delete;
  ExecutionLimits& operator=(const ExecutionLimits&) = delete;

  // The isolate's ArrayBuffer allocator: V8's default one, refusing (V8 then throws a
  // RangeError "Array buffer allocation failed", which the script can catch) any allocation
  // that would take the backing stores of this runtime past max_heap_mb. It must outlive the
  // isolate; Explain() notes a refusal.
  std::unique_ptr<v8::ArrayBuffer::Allocator> NewArrayBufferAllocator();

  // Sets the heap ceiling in `params` (before Isolate::New), and the process-exit handler when
  // ExitCleanlyOnFatalOutOfMemory was called.
  void ConfigureIsolate(v8::Isolate::CreateParams& params) const;

  // Registers the near-heap-limit callback, and a wake-up handle on `loop` so the timeout can
  // stop a loop that is only waiting (on a timer, say) rather than running JS.
  void Attach(v8::Isolate* isolate, EventLoop& loop);
  // The same for an isolate with no event loop (the snapshot builder's): the timeout stops the
  // JS that is running, there is no loop to wake.
  void Attach(v8::Isolate* isolate);

  // Starts the timeout's watchdog thread (no-op without a timeout); Disarm stops it.
  void Arm();
  void Disarm();

  // If a limit fired, the error to report instead of `status` (ResourceExhausted for the heap,
  // DeadlineExceeded for time) and V8's termination is cancelled so the runtime can be disposed
  // or reused; otherwise `status`, with a note when an ArrayBuffer allocation was refused.
  absl::Status Explain(absl::Status status);

  // For command-line tools, process-wide, before any isolate is created. Stopping a script at
  // the heap ceiling works when the script is running JS; a single operation inside V8 (say
  // `new Array(1e8).fill(0)` or a huge string conversion) may allocate past the ceiling plus
  // the unwinding room in one go, and V8 then gives up on the process (by default it aborts with
  // SIGTRAP, exit 133). After this call, isolates created through ConfigureIsolate print
  // "<tool>: error: out of memory: ..." (stdout flushed first) and exit 1 instead. Embedders
  // who must survive such a script run it in a process of its own.
  static void ExitCleanlyOnFatalOutOfMemory(const std::string& tool);

 private:
  static size_t NearHeapLimit(void* data, size_t current_heap_limit, size_t initial_heap_limit);
  static void FatalOutOfMemory(const char* location, compat::OomDetails details);
  void Watch(uint64_t generation);
  // "the 64 MiB heap limit (--max-heap-mb)" or "V8's default heap limit (1448 MiB; ...)".
  std::string DescribeHeapLimit() const;

  const ExecutionLimitOptions options_;
  v8::Isolate* isolate_ = nullptr;
  uv_async_t* wake_ = nullptr;  // owned by the loop once initialized; closed in ~ExecutionLimits
  CountingArrayBufferAllocator* allocator_ =
      nullptr;                   // owned by the runtime; nullptr without a limit
  size_t heap_limit_bytes_ = 0;  // the ceiling V8 started with, for messages
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
