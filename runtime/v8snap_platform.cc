// The process's v8::Platform: libplatform's default one, with waking task runners and a clock
// that the snapshot builder can fix.
#include "runtime/v8snap_platform.h"

#include <atomic>
#include <utility>

#include "libplatform/libplatform.h"

namespace v8snap {

// One per isolate, shared by every task runner handed out for it, so that a runner V8 took
// before the event loop was attached (the heap takes one in Isolate::New) wakes it too, and
// one kept after the loop closed calls nothing.
class IsolateTaskWaker {
 public:
  void Set(V8snapPlatform::TaskPostedCallback callback, void* data) {
    std::lock_guard<std::mutex> lock(mutex_);
    callback_ = callback;
    data_ = data;
  }
  // Under the lock, so that Set(nullptr) returns only once no call is running.
  void Notify(double delay_in_seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (callback_ != nullptr) callback_(data_, delay_in_seconds);
  }

 private:
  std::mutex mutex_;
  V8snapPlatform::TaskPostedCallback callback_ = nullptr;
  void* data_ = nullptr;
};

namespace {

std::atomic<V8snapPlatform*> current_platform{nullptr};

// The default platform's runner for one isolate, telling the isolate's waker after each post.
// The task is queued before the waker is told, so a woken loop finds it.
class WakingTaskRunner final : public compat::ForwardingTaskRunner {
 public:
  WakingTaskRunner(std::shared_ptr<v8::TaskRunner> queue, std::shared_ptr<IsolateTaskWaker> waker)
      : ForwardingTaskRunner(std::move(queue)), waker_(std::move(waker)) {}

 protected:
  void AfterPost(double delay_in_seconds) override { waker_->Notify(delay_in_seconds); }

 private:
  std::shared_ptr<IsolateTaskWaker> waker_;
};

}  // namespace

V8snapPlatform::V8snapPlatform(std::optional<double> fixed_clock_ms)
    : ForwardingPlatform(v8::platform::NewDefaultPlatform()), fixed_clock_ms_(fixed_clock_ms) {}

V8snapPlatform* V8snapPlatform::Start(std::optional<double> fixed_clock_ms) {
  static std::once_flag once;
  // Never deleted: V8 may call into its platform until the process exits.
  std::call_once(once, [&] { current_platform = new V8snapPlatform(fixed_clock_ms); });
  return current_platform;
}

V8snapPlatform* V8snapPlatform::Current() { return current_platform; }

std::shared_ptr<IsolateTaskWaker> V8snapPlatform::WakerFor(v8::Isolate* isolate) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::shared_ptr<IsolateTaskWaker>& waker = wakers_[isolate];
  if (waker == nullptr) waker = std::make_shared<IsolateTaskWaker>();
  return waker;
}

void V8snapPlatform::SetTaskPostedCallback(v8::Isolate* isolate, TaskPostedCallback callback,
                                           void* data) {
  WakerFor(isolate)->Set(callback, data);
}

bool V8snapPlatform::RunForegroundTask(v8::Isolate* isolate) {
  return v8::platform::PumpMessageLoop(target(), isolate);
}

void V8snapPlatform::NotifyIsolateShutdown(v8::Isolate* isolate) {
  std::shared_ptr<IsolateTaskWaker> waker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = wakers_.find(isolate);
    if (it != wakers_.end()) {
      waker = std::move(it->second);
      wakers_.erase(it);
    }
  }
  // A runner V8 still holds keeps the waker alive; it must call nothing any more.
  if (waker != nullptr) waker->Set(nullptr, nullptr);
  v8::platform::NotifyIsolateShutdown(target(), isolate);
}

std::shared_ptr<v8::TaskRunner> V8snapPlatform::WrapForegroundTaskRunner(
    v8::Isolate* isolate, std::shared_ptr<v8::TaskRunner> runner) {
  return std::make_shared<WakingTaskRunner>(std::move(runner), WakerFor(isolate));
}

double V8snapPlatform::CurrentClockTimeMillis() {
  return fixed_clock_ms_.has_value() ? *fixed_clock_ms_
                                     : ForwardingPlatform::CurrentClockTimeMillis();
}

}  // namespace v8snap
