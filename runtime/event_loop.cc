// The event loop: libuv for timers, the worker pool and I/O; V8 for microtasks and platform tasks.
#include "runtime/event_loop.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "runtime/isolate_slots.h"
#include "v8-exception.h"
#include "v8-microtask-queue.h"

namespace v8snap {
namespace {

// A message locates an error only when it names a script: one made for an error created by
// native code (an async op's rejection) has none, and "undefined:0:0" helps nobody.
v8::Local<v8::Message> Locating(v8::Local<v8::Message> message) {
  if (message.IsEmpty() || message->GetScriptResourceName()->IsUndefined()) return {};
  return message;
}

}  // namespace

EventLoop::EventLoop() {
  if (int error = uv_loop_init(&loop_); error != 0) {
    // Only fails when the process is out of file descriptors or memory; nothing can run then.
    std::fprintf(stderr, "v8snap: cannot create the event loop: %s\n", uv_strerror(error));
    std::abort();
  }
}

EventLoop::~EventLoop() { Close(); }

EventLoop* EventLoop::FromIsolate(v8::Isolate* isolate) {
  RuntimeState* state = RuntimeState::From(isolate);
  return state == nullptr ? nullptr : &state->loop();
}

void EventLoop::Attach(v8::Isolate* isolate, v8::Local<v8::Context> context,
                       V8snapPlatform* platform, ScriptNameMapper mapper) {
  isolate_ = isolate;
  platform_ = platform;
  if (platform_ != nullptr) {
    if (int error =
            uv_async_init(&loop_, &task_posted_,
                          [](uv_async_t* handle) {
                            static_cast<EventLoop*>(handle->data)->ScheduleDelayedTaskWakeUp();
                          });
        error != 0) {
      // Like uv_loop_init, only fails when the process is out of file descriptors.
      std::fprintf(stderr, "v8snap: cannot create the event loop's wake-up: %s\n",
                   uv_strerror(error));
      std::abort();
    }
    task_posted_.data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(&task_posted_));
    uv_timer_init(&loop_, &delayed_task_timer_);
    delayed_task_timer_.data = this;
    uv_unref(reinterpret_cast<uv_handle_t*>(&delayed_task_timer_));
    platform_->SetTaskPostedCallback(isolate, &EventLoop::OnTaskPosted, this);
  }
  context_.Reset(isolate, context);
  mapper_ = std::move(mapper);
  isolate->SetPromiseRejectCallback(PromiseRejectCallback);
  // Exceptions thrown by microtasks that are plain functions (queueMicrotask) reach no
  // TryCatch; V8 reports them to message listeners, and here they become uncaught errors.
  isolate->AddMessageListenerWithErrorLevel(MessageListener, v8::Isolate::kMessageError);
}

void EventLoop::OnTaskPosted(void* data, double delay_in_seconds) {
  auto* loop = static_cast<EventLoop*>(data);
  if (delay_in_seconds > 0) {
    std::lock_guard<std::mutex> lock(loop->posted_mutex_);
    loop->posted_due_.push_back(loop->platform_->MonotonicallyIncreasingTime() + delay_in_seconds);
  }
  // Wakes a uv_run that is waiting (thread-safe; several sends before the loop looks are one).
  uv_async_send(&loop->task_posted_);
}

void EventLoop::ScheduleDelayedTaskWakeUp() {
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    for (double due : posted_due_) delayed_due_.push(due);
    posted_due_.clear();
  }
  const double now = platform_->MonotonicallyIncreasingTime();
  while (!delayed_due_.empty() && delayed_due_.top() <= now) delayed_due_.pop();
  if (delayed_due_.empty()) {
    uv_timer_stop(&delayed_task_timer_);
    return;
  }
  // One millisecond more: libuv counts from the start of its current iteration, so the timer
  // could fire just before the task is due, and then nothing would wake the loop again.
  const auto delay_ms = static_cast<uint64_t>(std::ceil((delayed_due_.top() - now) * 1000)) + 1;
  uv_timer_start(
      &delayed_task_timer_,
      [](uv_timer_t* timer) { static_cast<EventLoop*>(timer->data)->ScheduleDelayedTaskWakeUp(); },
      delay_ms, 0);
}

void EventLoop::MessageListener(v8::Local<v8::Message> message, v8::Local<v8::Value> exception) {
  EventLoop* loop = FromIsolate(message->GetIsolate());
  if (loop != nullptr) loop->ReportUncaught(exception, message);
}

void EventLoop::PromiseRejectCallback(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  EventLoop* loop = FromIsolate(isolate);
  if (loop == nullptr) return;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler: {
      v8::Local<v8::Value> value = message.GetValue();
      if (value.IsEmpty()) value = v8::Undefined(isolate);
      loop->unhandled_.emplace_back(v8::Global<v8::Promise>(isolate, promise),
                                    v8::Global<v8::Value>(isolate, value));
      break;
    }
    case v8::kPromiseHandlerAddedAfterReject:
      loop->ForgetRejection(promise);
      break;
    default:
      break;
  }
}

void EventLoop::ForgetRejection(v8::Local<v8::Promise> promise) {
  for (auto it = unhandled_.begin(); it != unhandled_.end(); ++it) {
    if (it->first.Get(isolate_) == promise) {
      unhandled_.erase(it);
      return;
    }
  }
}

void EventLoop::ReportUncaught(v8::Local<v8::Value> exception, v8::Local<v8::Message> message) {
  if (!error_.ok() || closing_) return;
  v8::HandleScope scope(isolate_);
  error_ = absl::AbortedError(FormatJsException(isolate_, context_.Get(isolate_), exception,
                                                Locating(message), mapper_));
  uv_stop(&loop_);
}

void EventLoop::CheckUnhandledRejections() {
  if (unhandled_.empty() || !error_.ok()) return;
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Value> reason = unhandled_.front().second.Get(isolate_);
  unhandled_.clear();
  std::string text =
      FormatJsException(isolate_, context_.Get(isolate_), reason,
                        Locating(v8::Exception::CreateMessage(isolate_, reason)), mapper_);
  // "Uncaught X" reads better as "Uncaught (in promise) X" for a rejection.
  size_t at = text.find("Uncaught ");
  if (at != std::string::npos) text.insert(at + 9, "(in promise) ");
  error_ = absl::AbortedError(text);
  uv_stop(&loop_);
}

void EventLoop::DrainMicrotasks() {
  if (!error_.ok() || closing_) return;
  isolate_->PerformMicrotaskCheckpoint();
  CheckUnhandledRejections();
}

void EventLoop::RunTask(absl::FunctionRef<void(v8::Local<v8::Context>)> task) {
  if (!error_.ok() || closing_) return;
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);
  {
    v8::TryCatch try_catch(isolate_);
    task(context);
    if (try_catch.HasCaught()) {
      if (try_catch.HasTerminated()) {
        error_ = absl::AbortedError("execution was terminated");
        uv_stop(&loop_);
        return;
      }
      ReportUncaught(try_catch.Exception(), try_catch.Message());
      return;
    }
  }
  // Outside the TryCatch, so that a throwing queueMicrotask callback reaches MessageListener.
  DrainMicrotasks();
}

absl::Status EventLoop::Run() {
  v8::HandleScope scope(isolate_);
  v8::Context::Scope context_scope(context_.Get(isolate_));
  while (error_.ok()) {
    DrainMicrotasks();
    if (!error_.ok()) break;
    // Foreground tasks V8 posted (finalization callbacks, wasm compilation results); each may
    // queue microtasks, so drain again before anything else runs.
    if (platform_ != nullptr && platform_->RunForegroundTask(isolate_)) continue;
    if (uv_loop_alive(&loop_)) {
      uv_run(&loop_, UV_RUN_ONCE);  // sleeps until a handle, a request or V8's post wakes it
      continue;
    }
    // Nothing of the loop's own is left, but V8 may still be working for this isolate on its
    // worker threads (async WebAssembly compilation) and will post a task with the result:
    // stopping now would leave its promise pending forever. Sleep until V8 posts; a post made
    // since the last RunForegroundTask is already waiting in task_posted_.
    if (platform_ == nullptr || !isolate_->HasPendingBackgroundTasks()) break;
    uv_ref(reinterpret_cast<uv_handle_t*>(&task_posted_));
    uv_run(&loop_, UV_RUN_ONCE);
    uv_unref(reinterpret_cast<uv_handle_t*>(&task_posted_));
  }
  // Reported once: a later Run (an embedder's next script) goes on with what is still pending.
  absl::Status error = std::move(error_);
  error_ = absl::OkStatus();
  return error;
}

void EventLoop::Stop(absl::Status reason) {
  if (error_.ok()) error_ = std::move(reason);
  uv_stop(&loop_);
}

void EventLoop::Close() {
  if (closed_) return;
  closing_ = true;
  // First, so that no thread sends to task_posted_ once it is closed.
  if (platform_ != nullptr) platform_->SetTaskPostedCallback(isolate_, nullptr, nullptr);
  for (uv_work_t* work : in_flight_) uv_cancel(reinterpret_cast<uv_req_t*>(work));
  // Handles whose owners did not close them; their memory stays the owners' to free.
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void*) {
        if (!uv_is_closing(handle)) uv_close(handle, nullptr);
      },
      nullptr);
  // Close callbacks, cancelled requests' completions, and work already running on the pool
  // (it cannot be interrupted; its completion sees closing() and releases without running JS).
  // A Stop() (an uncaught error) leaves libuv's stop flag set, and then a uv_run returns at once,
  // running none of that, and clears the flag as it returns: run again until nothing is left,
  // or uv_loop_close finds the closing handles, fails, and the loop's memory leaks.
  while (uv_run(&loop_, UV_RUN_DEFAULT) != 0) {
  }
  uv_loop_close(&loop_);
  closed_ = true;
  context_.Reset();
  unhandled_.clear();
}

RuntimeState* RuntimeState::From(v8::Isolate* isolate) {
  return static_cast<RuntimeState*>(isolate->GetData(kRuntimeStateSlot));
}

RuntimeState::~RuntimeState() { Shutdown(); }

void RuntimeState::Shutdown() {
  while (!states_.empty()) states_.pop_back();
  loop_.Close();
}

}  // namespace v8snap
