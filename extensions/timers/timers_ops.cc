// The `timers` extension's ops: one libuv timer per setTimeout/setInterval, and V8's own
// microtask queue for queueMicrotask.
#include <uv.h>

#include <cmath>
#include <cstdint>
#include <map>

#include "runtime/event_loop.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "v8-function.h"

namespace v8snap {
namespace {

// Longer delays (and NaN, negative, zero) become 1 ms, as in Node: libuv's millisecond timers
// cannot fire sooner, and browsers clamp past the same signed 32-bit limit.
constexpr double kMaxDelayMs = 2147483647;

class TimerTable;

struct Timer {
  uv_timer_t handle;
  uint32_t id = 0;
  bool repeat = false;
  v8::Global<v8::Function> callback;
  TimerTable* table = nullptr;
  EventLoop* loop = nullptr;
};

// Every pending timer of one runtime, by id (RuntimeState::Get<TimerTable>()). A timer's handle
// is active, and so keeps the loop alive, exactly while the timer is in the table.
class TimerTable {
 public:
  ~TimerTable() {
    for (auto& [id, timer] : timers_) Close(timer);
  }

  uint32_t Start(EventLoop& loop, v8::Local<v8::Function> callback, uint64_t delay, bool repeat) {
    auto* timer = new Timer();
    timer->id = next_id_++;
    timer->repeat = repeat;
    timer->callback.Reset(loop.isolate(), callback);
    timer->table = this;
    timer->loop = &loop;
    timer->handle.data = timer;
    uv_timer_init(loop.uv_loop(), &timer->handle);
    // The loop's clock is cached at the start of each turn; without this, JS that ran long
    // would schedule against a stale "now" and timers would fire early.
    uv_update_time(loop.uv_loop());
    // libuv runs timers due at the same time in the order they were started.
    uv_timer_start(&timer->handle, Fire, delay, repeat ? delay : 0);
    timers_[timer->id] = timer;
    return timer->id;
  }

  // Unknown ids (already fired, already cleared, never were) are ignored, as in browsers.
  void Clear(uint32_t id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    Close(it->second);
    timers_.erase(it);
  }

 private:
  // The Timer is freed by the close callback, after the current libuv callback returns, so a
  // timer cleared while it runs stays valid until its callback is done.
  static void Close(Timer* timer) {
    uv_timer_stop(&timer->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer->handle),
             [](uv_handle_t* handle) { delete static_cast<Timer*>(handle->data); });
  }

  static void Fire(uv_timer_t* handle) {
    Timer* timer = static_cast<Timer*>(handle->data);
    EventLoop* loop = timer->loop;
    // A one-shot timer is gone before its callback runs: clearTimeout(id) inside it is a no-op.
    if (!timer->repeat) timer->table->Clear(timer->id);
    loop->RunTask([&](v8::Local<v8::Context> context) {
      v8::Local<v8::Function> callback = timer->callback.Get(loop->isolate());
      // Empty when it threw: RunTask reports the exception as uncaught.
      if (callback->Call(context, v8::Undefined(loop->isolate()), 0, nullptr).IsEmpty()) return;
    });
  }

  std::map<uint32_t, Timer*> timers_;
  uint32_t next_id_ = 1;
};

// op_timer_start(callback, delay, repeat) -> id. Extra arguments are bound in JS.
void OpTimerStart(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  RuntimeState* state = RuntimeState::From(isolate);
  if (state == nullptr) {
    ThrowError(isolate, "timers cannot be started while a snapshot is built");
    return;
  }
  if (!info[0]->IsFunction()) {
    ThrowTypeError(isolate, "timer callback must be a function");
    return;
  }
  double delay = info[1]->IsNumber() ? info[1].As<v8::Number>()->Value() : 0;
  if (!(delay >= 1 && delay <= kMaxDelayMs)) delay = 1;
  uint32_t id = state->Get<TimerTable>().Start(state->loop(), info[0].As<v8::Function>(),
                                               static_cast<uint64_t>(std::floor(delay)),
                                               info[2]->IsTrue());
  info.GetReturnValue().Set(id);
}

// op_timer_clear(id)
void OpTimerClear(const v8::FunctionCallbackInfo<v8::Value>& info) {
  RuntimeState* state = RuntimeState::From(info.GetIsolate());
  if (state == nullptr || !info[0]->IsUint32()) return;
  state->Get<TimerTable>().Clear(info[0].As<v8::Uint32>()->Value());
}

// op_queue_microtask(callback): what it throws is an uncaught error (see EventLoop), as in
// browsers, rather than a rejected promise.
void OpQueueMicrotask(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!info[0]->IsFunction()) {
    ThrowTypeError(info.GetIsolate(), "queueMicrotask callback must be a function");
    return;
  }
  info.GetIsolate()->EnqueueMicrotask(info[0].As<v8::Function>());
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(timers, {
    {"op_timer_start", v8snap::OpTimerStart, 3, v8snap::OpMode::kSync},
    {"op_timer_clear", v8snap::OpTimerClear, 1, v8snap::OpMode::kSync},
    {"op_queue_microtask", v8snap::OpQueueMicrotask, 1, v8snap::OpMode::kSync},
});
