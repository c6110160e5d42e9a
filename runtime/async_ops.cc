// Async ops on libuv's thread pool (uv_queue_work), settled through the runtime's event loop;
// and OpError, the one place op failures become JS error objects.
#include "runtime/async_ops.h"

#include <uv.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/event_loop.h"
#include "runtime/permissions.h"
#include "v8-exception.h"
#include "v8-primitive.h"

namespace v8snap {
namespace {

v8::Local<v8::String> V8String(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

// libuv's errors are negated errnos on Unix, so it names errnos the way Node does.
std::string ErrnoCode(int error) {
  char name[64];
  uv_err_name_r(-error, name, sizeof name);
  return absl::StartsWith(name, "Unknown") ? absl::StrCat("E", error) : std::string(name);
}

std::string ErrnoText(int error) {
  char text[256];
  uv_strerror_r(-error, text, sizeof text);
  return text;
}

// One async op between uv_queue_work and its completion.
struct AsyncOpRequest {
  uv_work_t work;
  std::unique_ptr<internal::AsyncOpTask> task;
  v8::Global<v8::Promise::Resolver> resolver;
  EventLoop* loop = nullptr;
};

void RunWork(uv_work_t* work) { static_cast<AsyncOpRequest*>(work->data)->task->Work(); }

void AfterWork(uv_work_t* work, int status) {
  std::unique_ptr<AsyncOpRequest> request(static_cast<AsyncOpRequest*>(work->data));
  EventLoop* loop = request->loop;
  loop->UntrackWork(work);
  // Cancelled or shutting down: the runtime is going away and runs no more JS.
  if (status != 0 || loop->closing()) return;
  v8::Isolate* isolate = loop->isolate();
  loop->RunTask([&](v8::Local<v8::Context> context) {
    request->task->Settle(isolate, context, request->resolver.Get(isolate));
  });
}

}  // namespace

OpError OpError::FromErrno(int error, const std::string& syscall, const std::string& path) {
  OpError op_error;
  op_error.code = ErrnoCode(error);
  op_error.syscall = syscall;
  op_error.path = path;
  // `path` stays as given; the message shows it with control characters escaped, so a crafted
  // file name cannot send terminal escapes.
  op_error.message = absl::StrCat(op_error.code, ": ", ErrnoText(error), ", ", syscall, " '",
                                  EscapeControlCharacters(path), "'");
  return op_error;
}

OpError OpError::FromStatus(const absl::Status& status, const std::string& syscall,
                            const std::string& path) {
  if (int error = ErrnoOf(status); error != 0) return FromErrno(error, syscall, path);
  OpError op_error;
  op_error.message = std::string(status.message());
  op_error.path = path;
  if (status.code() == absl::StatusCode::kPermissionDenied) {
    op_error.name = "PermissionDenied";
    op_error.code = "ERR_PERMISSION_DENIED";
  } else if (status.code() == absl::StatusCode::kInvalidArgument) {
    op_error.name = "TypeError";
  }
  return op_error;
}

OpError OpError::TypeError(std::string message) { return Named("TypeError", std::move(message)); }

OpError OpError::Named(std::string name, std::string message) {
  OpError op_error;
  op_error.name = std::move(name);
  op_error.message = std::move(message);
  return op_error;
}

v8::Local<v8::Value> OpErrorToJs(v8::Isolate* isolate, const OpError& error) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::String> message = V8String(isolate, error.message);
  v8::Local<v8::Value> value = error.name == "TypeError"    ? v8::Exception::TypeError(message)
                               : error.name == "RangeError" ? v8::Exception::RangeError(message)
                                                            : v8::Exception::Error(message);
  v8::Local<v8::Object> object = value.As<v8::Object>();
  // V8 formats `stack` when it is first read, with the name current then: so a name set here
  // shows in the stack too ("PermissionDenied: ...").
  auto set = [&](const char* key, const std::string& text) {
    if (text.empty()) return;
    object->Set(context, V8String(isolate, key), V8String(isolate, text)).Check();
  };
  if (error.name != "Error" && error.name != "TypeError" && error.name != "RangeError") {
    set("name", error.name);
  }
  set("code", error.code);
  set("syscall", error.syscall);
  set("path", error.path);
  return scope.Escape(value);
}

void ThrowOpError(v8::Isolate* isolate, const OpError& error) {
  isolate->ThrowException(OpErrorToJs(isolate, error));
}

namespace internal {

v8::MaybeLocal<v8::Promise> QueueAsyncOp(v8::Isolate* isolate, std::unique_ptr<AsyncOpTask> task) {
  RuntimeState* state = RuntimeState::From(isolate);
  if (state == nullptr || state->loop().closing()) {
    isolate->ThrowException(v8::Exception::Error(V8String(
        isolate,
        "async ops need a running event loop: they cannot be called while a snapshot is built "
        "(extension code must not start I/O at load time)")));
    return {};
  }
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};

  auto request = std::make_unique<AsyncOpRequest>();
  request->work.data = request.get();
  request->task = std::move(task);
  request->resolver.Reset(isolate, resolver);
  request->loop = &state->loop();
  int error = uv_queue_work(state->loop().uv_loop(), &request->work, RunWork, AfterWork);
  if (error != 0) {
    isolate->ThrowException(v8::Exception::Error(
        V8String(isolate, absl::StrCat("cannot queue async op: ", uv_strerror(error)))));
    return {};
  }
  state->loop().TrackWork(&request->work);
  request.release();  // Owned by the loop until AfterWork.
  return scope.Escape(resolver->GetPromise());
}

}  // namespace internal
}  // namespace v8snap
