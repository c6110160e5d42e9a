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
class WakingTaskRunner final : public v8::TaskRunner {
 public:
  WakingTaskRunner(std::shared_ptr<v8::TaskRunner> queue, std::shared_ptr<IsolateTaskWaker> waker)
      : queue_(std::move(queue)), waker_(std::move(waker)) {}

  void PostTask(std::unique_ptr<v8::Task> task) override {
    queue_->PostTask(std::move(task));
    waker_->Notify(0);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    queue_->PostNonNestableTask(std::move(task));
    waker_->Notify(0);
  }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    queue_->PostDelayedTask(std::move(task), delay_in_seconds);
    waker_->Notify(delay_in_seconds);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task,
                                  double delay_in_seconds) override {
    queue_->PostNonNestableDelayedTask(std::move(task), delay_in_seconds);
    waker_->Notify(delay_in_seconds);
  }
  // Idle tasks are off in the default platform; nothing to wake for.
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    queue_->PostIdleTask(std::move(task));
  }
  bool IdleTasksEnabled() override { return queue_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return queue_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override {
    return queue_->NonNestableDelayedTasksEnabled();
  }

 private:
  std::shared_ptr<v8::TaskRunner> queue_;
  std::shared_ptr<IsolateTaskWaker> waker_;
};

}  // namespace

V8snapPlatform::V8snapPlatform(std::optional<double> fixed_clock_ms)
    : default_platform_(v8::platform::NewDefaultPlatform()), fixed_clock_ms_(fixed_clock_ms) {}

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
  return v8::platform::PumpMessageLoop(default_platform_.get(), isolate);
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
  v8::platform::NotifyIsolateShutdown(default_platform_.get(), isolate);
}

std::shared_ptr<v8::TaskRunner> V8snapPlatform::GetForegroundTaskRunner(v8::Isolate* isolate) {
  return std::make_shared<WakingTaskRunner>(default_platform_->GetForegroundTaskRunner(isolate),
                                            WakerFor(isolate));
}

double V8snapPlatform::CurrentClockTimeMillis() {
  return fixed_clock_ms_.has_value() ? *fixed_clock_ms_
                                     : default_platform_->CurrentClockTimeMillis();
}

// The rest is the default platform's.
v8::PageAllocator* V8snapPlatform::GetPageAllocator() {
  return default_platform_->GetPageAllocator();
}
v8::ZoneBackingAllocator* V8snapPlatform::GetZoneBackingAllocator() {
  return default_platform_->GetZoneBackingAllocator();
}
void V8snapPlatform::OnCriticalMemoryPressure() { default_platform_->OnCriticalMemoryPressure(); }
bool V8snapPlatform::OnCriticalMemoryPressure(size_t length) {
  return default_platform_->OnCriticalMemoryPressure(length);
}
int V8snapPlatform::NumberOfWorkerThreads() { return default_platform_->NumberOfWorkerThreads(); }
void V8snapPlatform::CallOnWorkerThread(std::unique_ptr<v8::Task> task) {
  default_platform_->CallOnWorkerThread(std::move(task));
}
void V8snapPlatform::CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) {
  default_platform_->CallBlockingTaskOnWorkerThread(std::move(task));
}
void V8snapPlatform::CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) {
  default_platform_->CallLowPriorityTaskOnWorkerThread(std::move(task));
}
void V8snapPlatform::CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task,
                                               double delay_in_seconds) {
  default_platform_->CallDelayedOnWorkerThread(std::move(task), delay_in_seconds);
}
bool V8snapPlatform::IdleTasksEnabled(v8::Isolate* isolate) {
  return default_platform_->IdleTasksEnabled(isolate);
}
std::unique_ptr<v8::JobHandle> V8snapPlatform::PostJob(v8::TaskPriority priority,
                                                       std::unique_ptr<v8::JobTask> job_task) {
  return default_platform_->PostJob(priority, std::move(job_task));
}
double V8snapPlatform::MonotonicallyIncreasingTime() {
  return default_platform_->MonotonicallyIncreasingTime();
}
v8::Platform::StackTracePrinter V8snapPlatform::GetStackTracePrinter() {
  return default_platform_->GetStackTracePrinter();
}
v8::TracingController* V8snapPlatform::GetTracingController() {
  return default_platform_->GetTracingController();
}
void V8snapPlatform::DumpWithoutCrashing() { default_platform_->DumpWithoutCrashing(); }
v8::HighAllocationThroughputObserver* V8snapPlatform::GetHighAllocationThroughputObserver() {
  return default_platform_->GetHighAllocationThroughputObserver();
}

}  // namespace v8snap
