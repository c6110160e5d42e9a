// Async ops: an op declared OpMode::kAsync returns a promise at once; its work runs on libuv's
// thread pool, and the promise is settled later on the JS thread, as one event-loop task, with
// a value built there. An op in flight keeps the event loop (and so the process) alive.
// Also the op error type: how native failures become JS errors, for sync and async ops alike.
//
// Writing one (extensions/fs/fs_ops.cc is the full example):
//
//   // Both halves share the work function, so sync and async give the same result.
//   OpResult<std::string> ReadConfig(std::string path) {        // no V8 in here: any thread
//     std::string text;
//     if (!ReadAll(path, &text)) return OpError::FromErrno(errno, "open", path);
//     return text;
//   }
//   v8::Local<v8::Value> ToJs(v8::Isolate* isolate, std::string text) {   // JS thread
//     return OpString(isolate, text);
//   }
//   void OpReadConfig(const v8::FunctionCallbackInfo<v8::Value>& info) {
//     std::string path = OpArgString(info, 0);    // read arguments now, on the JS thread
//     ReturnAsync(info, [path] { return ReadConfig(path); }, ToJs);
//   }
//   void OpReadConfigSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
//     ReturnSync(info, ReadConfig(OpArgString(info, 0)), ToJs);
//   }
//   V8SNAP_REGISTER_EXTENSION(config, {
//       {"op_read_config", OpReadConfig, 1, OpMode::kAsync},
//       {"op_read_config_sync", OpReadConfigSync, 1, OpMode::kSync},
//   });
//
// The work lambda runs on another thread: capture copies (never V8 handles, never `info`). An
// OpError rejects the promise (throws, for ReturnSync); so does an exception thrown while the
// result is turned into JS. Results settle in the order the work finishes, not the order the
// ops were called.
#ifndef V8SNAP_RUNTIME_ASYNC_OPS_H_
#define V8SNAP_RUNTIME_ASYNC_OPS_H_

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "v8-context.h"
#include "v8-exception.h"
#include "v8-function-callback.h"
#include "v8-isolate.h"
#include "v8-promise.h"

namespace v8snap {

// A native failure as JS will see it: `new <name>(message)` with `code`, `syscall` and `path`
// set when not empty. The one vocabulary of op errors: "Error", "TypeError" (bad arguments),
// "RangeError" (a result too large for JS) and "PermissionDenied" (refused by --allow-read /
// --allow-write; an Error whose name says so).
struct OpError {
  std::string name = "Error";
  std::string message;
  std::string code;     // "ENOENT", "ERR_PERMISSION_DENIED"
  std::string syscall;  // "open"
  std::string path;     // as the caller gave it

  // "ENOENT: no such file or directory, open 'notes.txt'", like Node (the path in the message
  // with control characters escaped, `path` as given).
  static OpError FromErrno(int error, const std::string& syscall, const std::string& path);
  // From Permissions::Check: kPermissionDenied becomes a PermissionDenied error, a failed
  // resolution its errno's error, kInvalidArgument a TypeError.
  static OpError FromStatus(const absl::Status& status, const std::string& syscall,
                            const std::string& path);
  static OpError TypeError(std::string message);
  // Any other kind ("Error", "RangeError") with just a message.
  static OpError Named(std::string name, std::string message);
};

// The JS error object for `error` (call on the JS thread, inside a context).
v8::Local<v8::Value> OpErrorToJs(v8::Isolate* isolate, const OpError& error);
void ThrowOpError(v8::Isolate* isolate, const OpError& error);

// A value of T or an OpError: what an op's work function returns.
template <typename T>
class OpResult {
 public:
  using value_type = T;
  OpResult(T value) : result_(std::in_place_index<0>, std::move(value)) {}
  OpResult(OpError error) : result_(std::in_place_index<1>, std::move(error)) {}
  bool ok() const { return result_.index() == 0; }
  T& value() { return std::get<0>(result_); }
  const OpError& error() const { return std::get<1>(result_); }

 private:
  std::variant<T, OpError> result_;
};

// The value of a work function that has nothing to return (the promise resolves to undefined).
struct OpDone {};

namespace internal {

// One async op: Work on the pool, then Settle on the JS thread.
class AsyncOpTask {
 public:
  virtual ~AsyncOpTask() = default;
  virtual void Work() = 0;
  // Resolves or rejects `resolver`; called inside a HandleScope, the context and a TryCatch.
  virtual void Settle(v8::Isolate* isolate, v8::Local<v8::Context> context,
                      v8::Local<v8::Promise::Resolver> resolver) = 0;
};

// Creates the promise and queues the task on the runtime's loop. Empty (with an exception
// thrown) when the isolate has no runtime, e.g. while a snapshot is being built.
v8::MaybeLocal<v8::Promise> QueueAsyncOp(v8::Isolate* isolate, std::unique_ptr<AsyncOpTask> task);

// Settles `resolver` from a finished work result.
template <typename T, typename ToJs>
void SettleResult(v8::Isolate* isolate, v8::Local<v8::Context> context,
                  v8::Local<v8::Promise::Resolver> resolver, OpResult<T>& result, ToJs& to_js) {
  if (!result.ok()) {
    resolver->Reject(context, OpErrorToJs(isolate, result.error())).Check();
    return;
  }
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> value = to_js(isolate, std::move(result.value()));
  if (!value.IsEmpty()) {
    resolver->Resolve(context, value).Check();
  } else if (!try_catch.HasCaught()) {
    OpError error = OpError::Named("Error", "the op's result could not be turned into a JS value");
    resolver->Reject(context, OpErrorToJs(isolate, error)).Check();
  } else if (!try_catch.HasTerminated()) {
    resolver->Reject(context, try_catch.Exception()).Check();
  }
}

template <typename WorkFn, typename ToJsFn>
class AsyncOpTaskImpl : public AsyncOpTask {
 public:
  using Result = std::invoke_result_t<WorkFn&>;
  using T = typename Result::value_type;
  AsyncOpTaskImpl(WorkFn work, ToJsFn to_js) : work_(std::move(work)), to_js_(std::move(to_js)) {}
  void Work() override { result_ = std::make_unique<Result>(work_()); }
  void Settle(v8::Isolate* isolate, v8::Local<v8::Context> context,
              v8::Local<v8::Promise::Resolver> resolver) override {
    SettleResult<T>(isolate, context, resolver, *result_, to_js_);
  }

 private:
  WorkFn work_;
  ToJsFn to_js_;
  std::unique_ptr<Result> result_;
};

}  // namespace internal

// Starts an async op: `work()` (returning OpResult<T>) on the thread pool, then
// `to_js(isolate, T)` (returning v8::Local<v8::Value>, empty if it threw) on the JS thread.
template <typename Work, typename ToJs>
v8::MaybeLocal<v8::Promise> StartAsyncOp(v8::Isolate* isolate, Work work, ToJs to_js) {
  return internal::QueueAsyncOp(
      isolate, std::make_unique<internal::AsyncOpTaskImpl<Work, ToJs>>(std::move(work),
                                                                       std::move(to_js)));
}

// StartAsyncOp, with the promise as the op's return value.
template <typename Work, typename ToJs>
void ReturnAsync(const v8::FunctionCallbackInfo<v8::Value>& info, Work work, ToJs to_js) {
  v8::Local<v8::Promise> promise;
  if (StartAsyncOp(info.GetIsolate(), std::move(work), std::move(to_js)).ToLocal(&promise)) {
    info.GetReturnValue().Set(promise);
  }
}

// The sync twin: returns to_js(value), or throws the OpError.
template <typename T, typename ToJs>
void ReturnSync(const v8::FunctionCallbackInfo<v8::Value>& info, OpResult<T> result,
                ToJs to_js) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!result.ok()) {
    ThrowOpError(isolate, result.error());
    return;
  }
  v8::Local<v8::Value> value = to_js(isolate, std::move(result.value()));
  if (!value.IsEmpty()) info.GetReturnValue().Set(value);
}

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_ASYNC_OPS_H_
