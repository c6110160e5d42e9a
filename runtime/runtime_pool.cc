// RuntimePool: one maker thread, a bounded queue of loaded runtimes.
#include "runtime/runtime_pool.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "format/status_macros.h"

namespace v8snap {
namespace {

// V8's default --stack-size (984 KiB): how far below the taker's frame JS may grow its stack.
constexpr uintptr_t kJsStackBytes = 984 * 1024;

}  // namespace

absl::StatusOr<std::unique_ptr<RuntimePool>> RuntimePool::Create(VerifiedSnapshotPair snapshot,
                                                                 RuntimeConfig config, int ready) {
  RETURN_IF_ERROR(JsRuntime::CheckLoadable(snapshot, config));
  return std::unique_ptr<RuntimePool>(
      new RuntimePool(std::move(snapshot), std::move(config), ready));
}

absl::StatusOr<std::unique_ptr<RuntimePool>> RuntimePool::Create(SnapshotPair pair,
                                                                 std::string blob_path,
                                                                 RuntimeConfig config, int ready) {
  ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot,
                   VerifiedSnapshotPair::Verify(std::move(pair), std::move(blob_path)));
  return Create(std::move(snapshot), std::move(config), ready);
}

RuntimePool::RuntimePool(VerifiedSnapshotPair snapshot, RuntimeConfig config, int ready)
    : snapshot_(std::move(snapshot)),
      config_(std::move(config)),
      capacity_(static_cast<size_t>(std::max(ready, 1))),
      thread_(&RuntimePool::MakeRuntimes, this) {}

RuntimePool::~RuntimePool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void RuntimePool::MakeRuntimes() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || (error_.ok() && ready_.size() < capacity_); });
    if (stopping_) return;
    lock.unlock();
    // The layout check runs again (cheap); the blob is not hashed again, and every runtime
    // shares its bytes.
    absl::StatusOr<std::unique_ptr<JsRuntime>> runtime =
        JsRuntime::FromVerifiedSnapshot(snapshot_, config_);
    lock.lock();
    if (runtime.ok()) {
      ready_.push_back(*std::move(runtime));
    } else {
      error_ = runtime.status();
    }
    changed_.notify_all();
  }
}

absl::StatusOr<std::unique_ptr<JsRuntime>> RuntimePool::Take() {
  std::unique_ptr<JsRuntime> runtime;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !ready_.empty() || !error_.ok(); });
    if (ready_.empty()) return error_;
    runtime = std::move(ready_.front());
    ready_.pop_front();
  }
  changed_.notify_all();
  // V8 set the isolate's stack limit from the maker thread's stack; JS will run on this one.
  uintptr_t here = reinterpret_cast<uintptr_t>(&runtime);
  runtime->isolate()->SetStackLimit(here - kJsStackBytes);
  return runtime;
}

void RuntimePool::WaitUntilFull() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return ready_.size() >= capacity_ || !error_.ok(); });
}

}  // namespace v8snap
