// ForwardingPlatform and ForwardingTaskRunner: a v8::Platform and a v8::TaskRunner that pass
// everything to another one, with version-neutral hooks for what an embedder adds on top.
//
// V8 changed both interfaces between 10.2 and 13.6 (13.6: GetForegroundTaskRunner takes a
// priority, worker tasks and jobs go through PostTaskOnWorkerThreadImpl / CreateJobImpl, task
// runners through Post*TaskImpl with a SourceLocation, no ZoneBackingAllocator). This is the
// one place that knows the two shapes: a class deriving from these overrides only the hooks
// below and builds against either V8 unchanged.
#ifndef V8SNAP_COMPAT_FORWARDING_PLATFORM_H_
#define V8SNAP_COMPAT_FORWARDING_PLATFORM_H_

#include <memory>

#include "v8-platform.h"
#include "v8-version.h"

namespace v8snap::compat {

// Posts every task to `target`, then calls AfterPost on the posting thread (which may be any).
class ForwardingTaskRunner : public v8::TaskRunner {
 public:
  explicit ForwardingTaskRunner(std::shared_ptr<v8::TaskRunner> target)
      : target_(std::move(target)) {}

  bool IdleTasksEnabled() override { return target_->IdleTasksEnabled(); }
  bool NonNestableTasksEnabled() const override { return target_->NonNestableTasksEnabled(); }
  bool NonNestableDelayedTasksEnabled() const override {
    return target_->NonNestableDelayedTasksEnabled();
  }

 protected:
  // A task was queued: `delay_in_seconds` is 0 for one to run now, else how long until it is
  // due. Idle tasks call nothing (no loop waits for them).
  virtual void AfterPost(double delay_in_seconds) = 0;

#if V8_MAJOR_VERSION >= 13
  void PostTaskImpl(std::unique_ptr<v8::Task> task, const v8::SourceLocation& location) override {
    target_->PostTask(std::move(task), location);
    AfterPost(0);
  }
  void PostNonNestableTaskImpl(std::unique_ptr<v8::Task> task,
                               const v8::SourceLocation& location) override {
    target_->PostNonNestableTask(std::move(task), location);
    AfterPost(0);
  }
  void PostDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay_in_seconds,
                           const v8::SourceLocation& location) override {
    target_->PostDelayedTask(std::move(task), delay_in_seconds, location);
    AfterPost(delay_in_seconds);
  }
  void PostNonNestableDelayedTaskImpl(std::unique_ptr<v8::Task> task, double delay_in_seconds,
                                      const v8::SourceLocation& location) override {
    target_->PostNonNestableDelayedTask(std::move(task), delay_in_seconds, location);
    AfterPost(delay_in_seconds);
  }
  void PostIdleTaskImpl(std::unique_ptr<v8::IdleTask> task,
                        const v8::SourceLocation& location) override {
    target_->PostIdleTask(std::move(task), location);
  }
#else
 public:
  void PostTask(std::unique_ptr<v8::Task> task) override {
    target_->PostTask(std::move(task));
    AfterPost(0);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override {
    target_->PostNonNestableTask(std::move(task));
    AfterPost(0);
  }
  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    target_->PostDelayedTask(std::move(task), delay_in_seconds);
    AfterPost(delay_in_seconds);
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task,
                                  double delay_in_seconds) override {
    target_->PostNonNestableDelayedTask(std::move(task), delay_in_seconds);
    AfterPost(delay_in_seconds);
  }
  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    target_->PostIdleTask(std::move(task));
  }
#endif

 private:
  std::shared_ptr<v8::TaskRunner> target_;
};

// Passes every call to `target` (libplatform's default platform), except what the hooks change.
class ForwardingPlatform : public v8::Platform {
 public:
  explicit ForwardingPlatform(std::unique_ptr<v8::Platform> target) : target_(std::move(target)) {}

  v8::Platform* target() const { return target_.get(); }

  // The wall clock (Date.now(), new Date()); the default is the target's.
  double CurrentClockTimeMillis() override { return target_->CurrentClockTimeMillis(); }

  v8::PageAllocator* GetPageAllocator() override { return target_->GetPageAllocator(); }
  void OnCriticalMemoryPressure() override { target_->OnCriticalMemoryPressure(); }
  int NumberOfWorkerThreads() override { return target_->NumberOfWorkerThreads(); }
  bool IdleTasksEnabled(v8::Isolate* isolate) override {
    return target_->IdleTasksEnabled(isolate);
  }
  double MonotonicallyIncreasingTime() override { return target_->MonotonicallyIncreasingTime(); }
  StackTracePrinter GetStackTracePrinter() override { return target_->GetStackTracePrinter(); }
  v8::TracingController* GetTracingController() override { return target_->GetTracingController(); }
  void DumpWithoutCrashing() override { target_->DumpWithoutCrashing(); }
  v8::HighAllocationThroughputObserver* GetHighAllocationThroughputObserver() override {
    return target_->GetHighAllocationThroughputObserver();
  }

#if V8_MAJOR_VERSION >= 13
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate,
                                                          v8::TaskPriority priority) override {
    return WrapForegroundTaskRunner(isolate, target_->GetForegroundTaskRunner(isolate, priority));
  }

 protected:
  void PostTaskOnWorkerThreadImpl(v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                                  const v8::SourceLocation& location) override {
    target_->PostTaskOnWorkerThread(priority, std::move(task), location);
  }
  void PostDelayedTaskOnWorkerThreadImpl(v8::TaskPriority priority, std::unique_ptr<v8::Task> task,
                                         double delay_in_seconds,
                                         const v8::SourceLocation& location) override {
    target_->PostDelayedTaskOnWorkerThread(priority, std::move(task), delay_in_seconds, location);
  }
  std::unique_ptr<v8::JobHandle> CreateJobImpl(v8::TaskPriority priority,
                                               std::unique_ptr<v8::JobTask> job_task,
                                               const v8::SourceLocation& location) override {
    return target_->CreateJob(priority, std::move(job_task), location);
  }
#else
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override {
    return WrapForegroundTaskRunner(isolate, target_->GetForegroundTaskRunner(isolate));
  }
  v8::ZoneBackingAllocator* GetZoneBackingAllocator() override {
    return target_->GetZoneBackingAllocator();
  }
  bool OnCriticalMemoryPressure(size_t length) override {
    return target_->OnCriticalMemoryPressure(length);
  }
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    target_->CallOnWorkerThread(std::move(task));
  }
  void CallBlockingTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    target_->CallBlockingTaskOnWorkerThread(std::move(task));
  }
  void CallLowPriorityTaskOnWorkerThread(std::unique_ptr<v8::Task> task) override {
    target_->CallLowPriorityTaskOnWorkerThread(std::move(task));
  }
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    target_->CallDelayedOnWorkerThread(std::move(task), delay_in_seconds);
  }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority,
                                         std::unique_ptr<v8::JobTask> job_task) override {
    return target_->PostJob(priority, std::move(job_task));
  }

 protected:
#endif
  // Every foreground task runner V8 asks for goes through here; the default hands out the
  // target's own.
  virtual std::shared_ptr<v8::TaskRunner> WrapForegroundTaskRunner(
      v8::Isolate* isolate, std::shared_ptr<v8::TaskRunner> runner) {
    return runner;
  }

 private:
  std::unique_ptr<v8::Platform> target_;
};

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_FORWARDING_PLATFORM_H_
