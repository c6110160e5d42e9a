// Heap ceiling through V8's near-heap-limit callback; timeout through a watchdog thread that
// terminates JS and wakes the libuv loop.
#include "runtime/execution_limits.h"

#include <chrono>

#include "absl/strings/str_cat.h"

namespace v8snap {

ExecutionLimits::~ExecutionLimits() {
  Disarm();
  if (wake_ != nullptr) {
    // The loop frees the handle in its close callback (the loop outlives this object's use).
    uv_close(reinterpret_cast<uv_handle_t*>(wake_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
  }
}

void ExecutionLimits::ConfigureHeap(v8::Isolate::CreateParams& params) const {
  if (options_.max_heap_mb == 0) return;
  params.constraints.ConfigureDefaultsFromHeapSize(0, options_.max_heap_mb * 1024 * 1024);
}

void ExecutionLimits::Attach(v8::Isolate* isolate, EventLoop& loop) {
  isolate_ = isolate;
  if (options_.max_heap_mb != 0) isolate->AddNearHeapLimitCallback(NearHeapLimit, this);
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

size_t ExecutionLimits::NearHeapLimit(void* data, size_t current_heap_limit,
                                      size_t initial_heap_limit) {
  auto* self = static_cast<ExecutionLimits*>(data);
  self->heap_exhausted_ = true;
  self->isolate_->TerminateExecution();
  // Room for V8 to unwind the terminated script; without it V8 would abort the process.
  return current_heap_limit + initial_heap_limit;
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
  uv_async_send(wake_);            // Thread-safe: stops a loop that is only waiting.
}

absl::Status ExecutionLimits::Explain(absl::Status status) {
  if (!heap_exhausted_ && !timed_out_) return status;
  if (isolate_ != nullptr) isolate_->CancelTerminateExecution();
  if (heap_exhausted_) {
    heap_exhausted_ = false;
    return absl::ResourceExhaustedError(absl::StrCat(
        "out of memory: the script needed more than the ", options_.max_heap_mb,
        " MiB heap limit (--max-heap-mb) and was stopped; raise the limit or allocate less"));
  }
  timed_out_ = false;
  return absl::DeadlineExceededError(
      absl::StrCat("timed out: the script ran longer than ", options_.timeout_ms,
                   " ms (--timeout-ms) and was stopped"));
}

}  // namespace v8snap
