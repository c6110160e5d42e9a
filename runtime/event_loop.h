// The per-runtime event loop (a libuv loop driving timers, async-op completions and V8's
// microtasks and platform tasks) and RuntimeState, the object every op reaches through its
// isolate (data slot kRuntimeStateSlot): the loop, the permissions and per-extension state.
//
// Usage from an op:
//   RuntimeState* state = RuntimeState::From(info.GetIsolate());   // nullptr while building
//   uv_loop_t* loop = state->loop().uv_loop();                    // to start libuv handles
//   const Permissions& permissions = state->permissions();
//   TimerTable& timers = state->Get<TimerTable>();                // created on first use
//
// A libuv callback that runs JS does it through EventLoop::RunTask, which gives it the scopes,
// catches what it throws (an uncaught error: the loop stops and Run returns it) and runs the
// microtasks queued by it before the next task, as browsers and Node do.
#ifndef V8SNAP_RUNTIME_EVENT_LOOP_H_
#define V8SNAP_RUNTIME_EVENT_LOOP_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "runtime/js_error.h"
#include "runtime/permissions.h"
#include "runtime/v8snap_platform.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-persistent-handle.h"
#include "v8-promise.h"

namespace v8snap {

class EventLoop {
 public:
  EventLoop();
  // Closes the loop if Close() was not called (see Close for the order that matters).
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Binds the loop to the context whose JS it runs and installs the isolate's promise-reject
  // callback and message listener. `platform` runs V8's foreground tasks for the isolate and
  // wakes the loop when one is posted from another thread; `mapper` names scripts in
  // uncaught-error messages.
  void Attach(v8::Isolate* isolate, v8::Local<v8::Context> context, V8snapPlatform* platform,
              ScriptNameMapper mapper);

  uv_loop_t* uv_loop() { return &loop_; }
  v8::Isolate* isolate() const { return isolate_; }

  // Turns until nothing can happen any more: microtasks, then V8 platform tasks, then one libuv
  // iteration (timers due, finished async ops), again and again until no microtask, platform
  // task, libuv handle or request remains, and V8 has no background work that will post a
  // task back (async WebAssembly compilation): the loop sleeps until then, never spins. V8's
  // delayed tasks run when due while the loop is alive, but do not keep it alive (as in
  // Node). Returns the first uncaught exception or unhandled
  // rejection as kAborted with the formatted JS error; the loop then stops where it was (a
  // later Run goes on from there). Call inside an Isolate::Scope.
  absl::Status Run();

  // One task that runs JS (a timer firing, an async op settling): `task` runs in a HandleScope
  // and the context under a TryCatch; what it throws becomes the loop's uncaught error. Then
  // microtasks run. Nothing runs once the loop has an error or is closing.
  void RunTask(absl::FunctionRef<void(v8::Local<v8::Context>)> task);

  // Records `exception` as the loop's uncaught error (the first one wins) and stops the loop.
  void ReportUncaught(v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

  // Runs the microtask queue; an unhandled rejection left afterwards becomes the loop's error.
  void DrainMicrotasks();

  // The rejection of `promise` is handled elsewhere (e.g. the main module's evaluation promise).
  void ForgetRejection(v8::Local<v8::Promise> promise);

  // Async-op requests in flight (see async_ops.h), so Close can cancel those not started.
  void TrackWork(uv_work_t* work) { in_flight_.insert(work); }
  void UntrackWork(uv_work_t* work) { in_flight_.erase(work); }
  size_t pending_ops() const { return in_flight_.size(); }

  bool closing() const { return closing_; }

  // Stops Run() at the next turn with `reason` (loop thread only; other threads wake the loop
  // with a uv_async_t whose callback calls this, as ExecutionLimits does).
  void Stop(absl::Status reason);
  bool has_error() const { return !error_.ok(); }

  // Shuts the loop down without running more JS: cancels queued work, waits for work already
  // running, closes every handle still open and runs their close callbacks. Call it after the
  // owners of handles (extension state) have closed theirs and BEFORE the isolate is disposed:
  // completion callbacks release V8 handles.
  void Close();

 private:
  static void PromiseRejectCallback(v8::PromiseRejectMessage message);
  static void MessageListener(v8::Local<v8::Message> message, v8::Local<v8::Value> exception);
  static EventLoop* FromIsolate(v8::Isolate* isolate);
  void CheckUnhandledRejections();
  // V8snapPlatform::TaskPostedCallback: any thread.
  static void OnTaskPosted(void* data, double delay_in_seconds);
  // On the loop's thread: arms delayed_task_timer_ for the earliest delayed task still ahead.
  void ScheduleDelayedTaskWakeUp();

  uv_loop_t loop_;
  bool closed_ = false;
  bool closing_ = false;
  v8::Isolate* isolate_ = nullptr;
  V8snapPlatform* platform_ = nullptr;
  // Sent by the platform when V8 posts a task for the isolate. Unreferenced: only V8's pending
  // background work keeps the loop alive (Run refs it while waiting for that work).
  uv_async_t task_posted_;
  // Wakes the loop when V8's earliest delayed task is due; unreferenced like task_posted_.
  uv_timer_t delayed_task_timer_;
  // When V8's delayed tasks are due (platform monotonic seconds): posted_due_ from posting
  // threads (under posted_mutex_), moved into delayed_due_ (loop thread, earliest first).
  std::mutex posted_mutex_;
  std::vector<double> posted_due_;
  std::priority_queue<double, std::vector<double>, std::greater<double>> delayed_due_;
  v8::Global<v8::Context> context_;
  ScriptNameMapper mapper_;
  absl::Status error_;
  std::unordered_set<uv_work_t*> in_flight_;
  std::vector<std::pair<v8::Global<v8::Promise>, v8::Global<v8::Value>>> unhandled_;
};

// Per-runtime state reached from any op through the isolate. Owned by JsRuntime.
class RuntimeState {
 public:
  explicit RuntimeState(Permissions permissions) : permissions_(std::move(permissions)) {}
  ~RuntimeState();
  RuntimeState(const RuntimeState&) = delete;
  RuntimeState& operator=(const RuntimeState&) = delete;

  // The state of the runtime `isolate` belongs to; nullptr for an isolate that is not a
  // runtime's (the snapshot builder's, where ops must not start asynchronous work).
  static RuntimeState* From(v8::Isolate* isolate);

  EventLoop& loop() { return loop_; }
  const Permissions& permissions() const { return permissions_; }

  // Op names by op id, for messages about an op seen only as its id (a disabled op).
  std::vector<std::string>& op_names() { return op_names_; }

  // An extension's own state (a default-constructible T), created on first use and destroyed
  // by Shutdown, newest first, while the isolate and the loop still exist: a T's destructor
  // closes its libuv handles and releases its V8 handles.
  template <typename T>
  T& Get() {
    static const char key = 0;  // One address per T: the state's identity.
    for (auto& [k, state] : states_) {
      if (k == &key) return static_cast<Holder<T>*>(state.get())->value;
    }
    states_.emplace_back(&key, std::make_unique<Holder<T>>());
    return static_cast<Holder<T>*>(states_.back().second.get())->value;
  }

  // Destroys extension state, then closes the loop. Before the isolate is disposed.
  void Shutdown();

 private:
  struct HolderBase {
    virtual ~HolderBase() = default;
  };
  template <typename T>
  struct Holder : HolderBase {
    T value;
  };

  EventLoop loop_;
  Permissions permissions_;
  std::vector<std::string> op_names_;
  std::vector<std::pair<const void*, std::unique_ptr<HolderBase>>> states_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_EVENT_LOOP_H_
