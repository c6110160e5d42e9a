// V8snapPlatform: the process's v8::Platform. libplatform's default platform does the work
// (worker threads, task queues, tracing; compat::ForwardingPlatform passes every call to it, on
// any V8 version); this wrapper adds what v8snap needs on top of it:
// an event loop that is woken when V8 posts a task for its isolate from another thread (async
// WebAssembly compilation finishes on worker threads), and the snapshot builder's fixed clock.
//
// Usage (V8Process does this once per process; nothing else creates a platform):
//   V8snapPlatform* platform = V8snapPlatform::Start(/*fixed_clock_ms=*/std::nullopt);
//   v8::V8::InitializePlatform(platform);
// and per isolate, from its event loop (EventLoop::Attach / Close):
//   platform->SetTaskPostedCallback(isolate, &OnTaskPosted, loop);  // any thread may call it
//   while (platform->RunForegroundTask(isolate)) {}                  // on the isolate's thread
//   platform->SetTaskPostedCallback(isolate, nullptr, nullptr);      // before the loop closes
//   platform->NotifyIsolateShutdown(isolate);                        // before Isolate::Dispose
#ifndef V8SNAP_RUNTIME_V8SNAP_PLATFORM_H_
#define V8SNAP_RUNTIME_V8SNAP_PLATFORM_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "compat/forwarding_platform.h"
#include "v8-platform.h"

namespace v8snap {

class IsolateTaskWaker;

class V8snapPlatform final : public compat::ForwardingPlatform {
 public:
  // Told that a foreground task was posted for an isolate: `delay_in_seconds` is 0 for a task
  // to run now, else how long until it is due. Runs on the posting thread, which may be any.
  using TaskPostedCallback = void (*)(void* data, double delay_in_seconds);

  // Creates the process's platform (once; later calls return the first one, whatever they ask).
  // With `fixed_clock_ms`, V8's wall clock (Date.now(), new Date()) reads that many
  // milliseconds since the Unix epoch for the life of the process: the builder's clock.
  static V8snapPlatform* Start(std::optional<double> fixed_clock_ms);

  // The platform Start made, or nullptr when V8 was started by someone else (or not yet).
  static V8snapPlatform* Current();

  // The fixed wall clock given to Start, if any: a process that builds snapshots.
  std::optional<double> fixed_clock_ms() const { return fixed_clock_ms_; }

  // Registers (or, with nullptr, removes) the callback told about every foreground task posted
  // for `isolate`, including by task runners V8 obtained before the call. Once a removing call
  // returns, the old callback is not running and will not run again.
  void SetTaskPostedCallback(v8::Isolate* isolate, TaskPostedCallback callback, void* data);

  // Runs one foreground task of `isolate` that is due, if there is one; returns whether it did.
  // Never waits: waiting is the event loop's job.
  bool RunForegroundTask(v8::Isolate* isolate);

  // Drops `isolate`'s task queues and callback; right before Isolate::Dispose.
  void NotifyIsolateShutdown(v8::Isolate* isolate);

  // The wall clock: fixed when Start was given one, else the default platform's.
  double CurrentClockTimeMillis() override;

 protected:
  // Foreground task runners also call the isolate's TaskPostedCallback.
  std::shared_ptr<v8::TaskRunner> WrapForegroundTaskRunner(
      v8::Isolate* isolate, std::shared_ptr<v8::TaskRunner> runner) override;

 private:
  explicit V8snapPlatform(std::optional<double> fixed_clock_ms);
  std::shared_ptr<IsolateTaskWaker> WakerFor(v8::Isolate* isolate);

  const std::optional<double> fixed_clock_ms_;
  std::mutex mutex_;  // guards wakers_
  std::map<v8::Isolate*, std::shared_ptr<IsolateTaskWaker>> wakers_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_V8SNAP_PLATFORM_H_
