// Heap ceiling through V8's near-heap-limit callback (always installed) and a counting
// ArrayBuffer allocator; timeout through a watchdog thread that terminates JS and wakes the
// libuv loop.
#include "runtime/execution_limits.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "v8-statistics.h"

namespace v8snap {
namespace {

constexpr size_t kMiB = 1024 * 1024;

// What the fatal out-of-memory handler reports; set by ExitCleanlyOnFatalOutOfMemory and
// ConfigureIsolate/Attach. V8's callback has no data pointer, and the handler runs when V8 is
// about to give up, so it only reads these.
std::atomic<bool> g_exit_on_fatal_oom{false};
char g_fatal_oom_tool[64] = "v8snap";
std::atomic<uint64_t> g_fatal_oom_limit_mb{0};
std::atomic<bool> g_fatal_oom_limit_from_flag{false};
// Bytes of the snapshot blob the isolate is made from, while V8 deserializes it (from
// ConfigureIsolate until Attach); 0 otherwise.
std::atomic<uint64_t> g_fatal_oom_loading_blob_bytes{0};

// Heap room granted once the script has been told to stop, so that V8 can unwind it. Without
// room V8 aborts the process on the very allocation that reached the limit. The limit itself
// (at least 64 MiB, at most 512 MiB) lets a growing table's last rehash or one more large array
// complete, which is what a loop that keeps allocating is doing when it is stopped.
size_t UnwindRoom(size_t initial_heap_limit) {
  return std::clamp(initial_heap_limit, 64 * kMiB, 512 * kMiB);
}

}  // namespace

absl::Status CheckExecutionLimitOptions(const ExecutionLimitOptions& options) {
  if (options.max_heap_mb != 0 &&
      (options.max_heap_mb < kMinHeapMb || options.max_heap_mb > kMaxHeapMb)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-heap-mb ", options.max_heap_mb, " is out of range: give a number of MiB from ",
        kMinHeapMb, " to ", kMaxHeapMb, " (or leave it out for V8's default limit)"));
  }
  if (options.timeout_ms > kMaxTimeoutMs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--timeout-ms ", options.timeout_ms, " is out of range: give a number of ms from 1 to ",
        kMaxTimeoutMs, " (about 24.8 days; or leave it out for no timeout)"));
  }
  return absl::OkStatus();
}

absl::Status CheckSnapshotFitsLimits(const ExecutionLimitOptions& options, const Sidecar& sidecar,
                                     const std::string& blob_path) {
  if (options.max_heap_mb == 0) return absl::OkStatus();
  const uint64_t limit = options.max_heap_mb * kMiB;
  // Whole MiB, rounded up: the smallest --max-heap-mb that holds the bytes.
  auto mib = [](uint64_t bytes) { return (bytes + kMiB - 1) / kMiB; };
  auto refuse = [&](uint64_t bytes, const char* what, const char* why) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "snapshot '", blob_path, "' needs ", mib(bytes), " MiB (", bytes, " bytes) of ", what,
        ", more than the ", options.max_heap_mb, " MiB limit given (--max-heap-mb ",
        options.max_heap_mb, "): ", why, "\n  fix: run it with --max-heap-mb ",
        std::max<uint64_t>(mib(bytes), kMinHeapMb),
        " or more, or build a smaller snapshot (create large data at run time)."));
  };
  if (sidecar.array_buffer_bytes() > limit) {
    return refuse(sidecar.array_buffer_bytes(), "ArrayBuffer memory",
                  "V8 restores every ArrayBuffer of the snapshot before anything runs, and "
                  "ArrayBuffer memory counts against that limit");
  }
  if (sidecar.heap_bytes() > limit) {
    return refuse(sidecar.heap_bytes(), "JS heap",
                  "that is what its objects took when it was built, and V8 restores them all "
                  "before anything runs");
  }
  return absl::OkStatus();
}

ExecutionLimits::~ExecutionLimits() {
  Disarm();
  // The runtime disposes of the isolate after this object: no callback may reach it then.
  if (isolate_ != nullptr) isolate_->RemoveNearHeapLimitCallback(NearHeapLimit, 0);
  if (wake_ != nullptr) {
    // The loop frees the handle in its close callback (the loop outlives this object's use).
    uv_close(reinterpret_cast<uv_handle_t*>(wake_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
  }
}

std::unique_ptr<v8::ArrayBuffer::Allocator> ExecutionLimits::NewArrayBufferAllocator() {
  if (options_.max_heap_mb == 0) {
    return std::unique_ptr<v8::ArrayBuffer::Allocator>(
        v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  }
  auto allocator = std::make_unique<CountingArrayBufferAllocator>(options_.max_heap_mb * kMiB);
  allocator_ = allocator.get();
  return allocator;
}

void ExecutionLimits::ConfigureIsolate(v8::Isolate::CreateParams& params) const {
  if (options_.max_heap_mb != 0) {
    params.constraints.ConfigureDefaultsFromHeapSize(0, options_.max_heap_mb * kMiB);
  }
  if (g_exit_on_fatal_oom) params.oom_error_callback = FatalOutOfMemory;
  // Attach knows V8's real ceiling; until then (while V8 deserializes) the message names the
  // limit given, never an unknown default as "0 MiB".
  g_fatal_oom_limit_mb = options_.max_heap_mb;
  g_fatal_oom_limit_from_flag = options_.max_heap_mb != 0;
  g_fatal_oom_loading_blob_bytes =
      params.snapshot_blob != nullptr ? static_cast<uint64_t>(params.snapshot_blob->raw_size) : 0;
}

void ExecutionLimits::ExitCleanlyOnFatalOutOfMemory(const std::string& tool) {
  std::snprintf(g_fatal_oom_tool, sizeof(g_fatal_oom_tool), "%s", tool.c_str());
  g_exit_on_fatal_oom = true;
}

void ExecutionLimits::Attach(v8::Isolate* isolate, EventLoop& loop) {
  Attach(isolate);
  if (options_.timeout_ms != 0) {
    wake_ = new uv_async_t;
    wake_->data = &loop;
    uv_async_init(loop.uv_loop(), wake_, [](uv_async_t* handle) {
      static_cast<EventLoop*>(handle->data)->Stop(absl::AbortedError("execution was terminated"));
    });
    // Waking the loop must not be a reason for it to stay alive.
    uv_unref(reinterpret_cast<uv_handle_t*>(wake_));
  }
}

void ExecutionLimits::Attach(v8::Isolate* isolate) {
  isolate_ = isolate;
  v8::HeapStatistics stats;
  isolate->GetHeapStatistics(&stats);
  heap_limit_bytes_ = stats.heap_size_limit();
  // The limit given, when one was: V8's own figure adds the young generation to it.
  g_fatal_oom_limit_mb =
      options_.max_heap_mb != 0 ? options_.max_heap_mb : heap_limit_bytes_ / kMiB;
  g_fatal_oom_limit_from_flag = options_.max_heap_mb != 0;
  g_fatal_oom_loading_blob_bytes = 0;
  // Always: without --max-heap-mb the ceiling is V8's default limit, and reaching it must be the
  // same clean error rather than V8 aborting the process.
  isolate->AddNearHeapLimitCallback(NearHeapLimit, this);
  // The room granted for unwinding goes away once the heap has shrunk again, so a runtime that
  // is used again has its original ceiling.
  isolate->AutomaticallyRestoreInitialHeapLimit();
  // An isolate made without CreateParams (the snapshot builder's) gets the handler here.
  if (g_exit_on_fatal_oom) isolate->SetOOMErrorHandler(FatalOutOfMemory);
}

size_t ExecutionLimits::NearHeapLimit(void* data, size_t current_heap_limit,
                                      size_t initial_heap_limit) {
  auto* self = static_cast<ExecutionLimits*>(data);
  if (self->heap_exhausted_.exchange(true)) {
    // Called again while the script is being stopped: something inside V8 (a builtin, where
    // termination cannot reach) keeps allocating. More room would let it grow without bound;
    // V8 gives up on the process instead (FatalOutOfMemory, when installed, reports it).
    return current_heap_limit;
  }
  self->isolate_->TerminateExecution();
  return current_heap_limit + UnwindRoom(initial_heap_limit);
}

void ExecutionLimits::FatalOutOfMemory(const char* location, compat::OomDetails details) {
  const bool is_heap_oom = compat::IsHeapOom(details);
  std::fflush(stdout);
  uint64_t limit_mb = g_fatal_oom_limit_mb;
  std::string limit = g_fatal_oom_limit_from_flag
                          ? absl::StrCat("the ", limit_mb, " MiB heap limit (--max-heap-mb)")
                      : limit_mb != 0 ? absl::StrCat("V8's default heap limit (", limit_mb, " MiB)")
                                      : std::string("V8's default heap limit");
  const char* where = location == nullptr ? "unknown" : location;
  if (uint64_t blob_bytes = g_fatal_oom_loading_blob_bytes; blob_bytes != 0) {
    std::fprintf(stderr,
                 "%s: error: out of memory while V8 loaded the snapshot: its %llu MiB blob "
                 "(%llu bytes) did not fit %s (V8: %s), so the process ended.\n  fix: raise "
                 "--max-heap-mb, or build a smaller snapshot.\n",
                 g_fatal_oom_tool, static_cast<unsigned long long>((blob_bytes + kMiB - 1) / kMiB),
                 static_cast<unsigned long long>(blob_bytes), limit.c_str(), where);
  } else if (is_heap_oom) {
    std::fprintf(stderr,
                 "%s: error: out of memory: one operation of the script needed more than %s at "
                 "once, more than stopping the script could free (V8: %s), so the process "
                 "ended.\n  fix: allocate less at once, or raise --max-heap-mb.\n",
                 g_fatal_oom_tool, limit.c_str(), where);
  } else {
    std::fprintf(stderr,
                 "%s: error: out of memory: an operation of the script could not get memory "
                 "outside the JS heap (V8: %s; ArrayBuffer memory counts against --max-heap-mb "
                 "when it is given), so the process ended.\n  fix: allocate less at once, or "
                 "raise --max-heap-mb.\n",
                 g_fatal_oom_tool, where);
  }
  std::fflush(stderr);
  // V8 is in no state to unwind or run destructors: leave now, with the documented exit code.
  _exit(1);
}

std::string ExecutionLimits::DescribeHeapLimit() const {
  if (options_.max_heap_mb != 0) {
    return absl::StrCat("the ", options_.max_heap_mb, " MiB heap limit (--max-heap-mb)");
  }
  return absl::StrCat("V8's default heap limit (", heap_limit_bytes_ / kMiB,
                      " MiB; --max-heap-mb sets another)");
}

void ExecutionLimits::Arm() {
  if (options_.timeout_ms == 0) return;
  Disarm();
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = true;
  watchdog_ = std::thread(&ExecutionLimits::Watch, this, ++generation_);
}

void ExecutionLimits::Disarm() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!armed_) return;
    armed_ = false;
    ++generation_;
  }
  cv_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

void ExecutionLimits::Watch(uint64_t generation) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.timeout_ms);
  if (cv_.wait_until(lock, deadline, [&] { return generation_ != generation; })) return;
  timed_out_ = true;
  isolate_->TerminateExecution();  // Thread-safe: stops JS that is running.
  if (wake_ != nullptr) uv_async_send(wake_);  // Thread-safe: stops a loop that only waits.
}

absl::Status ExecutionLimits::Explain(absl::Status status) {
  bool refused = allocator_ != nullptr && allocator_->refused();
  if (refused) allocator_->clear_refused();
  if (!heap_exhausted_ && !timed_out_) {
    if (!refused || status.ok()) return status;
    return absl::Status(status.code(),
                        absl::StrCat(status.message(),
                                     "\n  note: an ArrayBuffer allocation was refused in this "
                                     "run: ArrayBuffer memory is limited to ",
                                     options_.max_heap_mb, " MiB (--max-heap-mb)"));
  }
  if (isolate_ != nullptr) isolate_->CancelTerminateExecution();
  if (heap_exhausted_) {
    heap_exhausted_ = false;
    timed_out_ = false;
    return absl::ResourceExhaustedError(
        absl::StrCat("out of memory: the script needed more than ", DescribeHeapLimit(),
                     " and was stopped.\n  fix: allocate less, or raise --max-heap-mb."));
  }
  timed_out_ = false;
  return absl::DeadlineExceededError(absl::StrCat("timed out: the script ran longer than ",
                                                  options_.timeout_ms,
                                                  " ms (--timeout-ms) and was stopped"));
}

}  // namespace v8snap
