// Running the onSerialize / onDeserialize callbacks and the after-load restore of built-ins.
#include "runtime/snapshot_hooks.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "format/status_macros.h"
#include "runtime/bootstrap.h"
#include "v8-container.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-microtask-queue.h"
#include "v8-primitive.h"
#include "v8-promise.h"

namespace v8snap {
namespace {

v8::Local<v8::String> Key(v8::Isolate* isolate, const char* name) {
  return v8::String::NewFromUtf8(isolate, name, v8::NewStringType::kInternalized).ToLocalChecked();
}

// "app.js:3:22", where a callback's source starts (a bound function's target's), or a note
// when it has none (a built-in).
std::string DefinedAt(v8::Isolate* isolate, v8::Local<v8::Function> function,
                      const ScriptNameMapper& mapper) {
  while (function->GetBoundFunction()->IsFunction()) {
    function = function->GetBoundFunction().As<v8::Function>();
  }
  int line = function->GetScriptLineNumber();
  if (line == v8::Function::kLineOffsetNotFound) return "(a function without JS source)";
  v8::String::Utf8Value name(isolate, function->GetScriptOrigin().ResourceName());
  std::string script = *name == nullptr ? "" : std::string(*name, name.length());
  return absl::StrCat(mapper ? mapper(script) : script, ":", line + 1, ":",
                      function->GetScriptColumnNumber() + 1);
}

absl::Status CallbackFailed(SnapshotHook hook, const std::string& where, uint32_t number,
                            const std::string& what) {
  const bool building = hook == SnapshotHook::kSerialize;
  std::string message = absl::StrCat(
      where, ": the v8snap.snapshot.", building ? "onSerialize" : "onDeserialize",
      " callback defined here (number ", number + 1, " in registration order) failed ",
      building ? "at the end of the snapshot build" : "right after the snapshot was loaded", ":\n",
      what, "\n  fix: make the callback succeed; ",
      building ? "the build stops at the first callback that fails, and nothing is written"
               : "it runs after every load, before the main module");
  return building ? absl::InvalidArgumentError(message) : absl::AbortedError(message);
}

// Redoes what the build's JS did to the built-ins V8 adds after a load: `state.redo` holds
// [holder, key, descriptor or undefined (deleted)], applied with the defineProperty the builder
// captured before any extension ran (the heap is as the build's code left it).
absl::Status RedoBuildChanges(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              v8::Local<v8::Object> state, const ScriptNameMapper& mapper) {
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> redo, define;
  if (!state->Get(context, Key(isolate, "redo")).ToLocal(&redo) || !redo->IsArray() ||
      !state->Get(context, Key(isolate, "defineProperty")).ToLocal(&define) ||
      !define->IsFunction()) {
    return absl::DataLossError("the snapshot's hook state has no built-ins to redo");
  }
  v8::Local<v8::Array> list = redo.As<v8::Array>();
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> entry, holder, key, descriptor;
    bool ok = list->Get(context, i).ToLocal(&entry) && entry->IsArray();
    ok = ok && entry.As<v8::Array>()->Get(context, 0).ToLocal(&holder) && holder->IsObject() &&
         entry.As<v8::Array>()->Get(context, 1).ToLocal(&key) &&
         entry.As<v8::Array>()->Get(context, 2).ToLocal(&descriptor);
    if (ok && descriptor->IsUndefined()) {
      ok = holder.As<v8::Object>()->Delete(context, key).IsJust();
    } else if (ok) {
      v8::Local<v8::Value> args[] = {holder, key, descriptor};
      ok = !define.As<v8::Function>()->Call(context, v8::Undefined(isolate), 3, args).IsEmpty();
    }
    if (!ok) {
      return absl::InternalError(
          absl::StrCat("could not redo the build's change ", i + 1, " to V8's late built-ins: ",
                       try_catch.HasCaught() ? FormatTryCatch(isolate, context, try_catch, mapper)
                                             : "malformed entry"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunSnapshotCallbacks(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                  v8::Local<v8::Object> state, SnapshotHook hook,
                                  const ScriptNameMapper& mapper) {
  v8::HandleScope scope(isolate);
  v8::Local<v8::Value> value;
  const char* key = hook == SnapshotHook::kSerialize ? "serialize" : "deserialize";
  if (!state->Get(context, Key(isolate, key)).ToLocal(&value) || !value->IsArray()) {
    return absl::InternalError(absl::StrCat("the snapshot hooks' state has no '", key, "' list"));
  }
  v8::Local<v8::Array> list = value.As<v8::Array>();
  // Length read each time: a callback may register more, which run in this same pass.
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::HandleScope callback_scope(isolate);
    v8::Local<v8::Value> callback;
    if (!list->Get(context, i).ToLocal(&callback) || !callback->IsFunction()) {
      return absl::InternalError(absl::StrCat("snapshot callback ", i + 1, " is not a function"));
    }
    v8::Local<v8::Function> function = callback.As<v8::Function>();
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Value> result;
    if (!function->Call(context, v8::Undefined(isolate), 0, nullptr).ToLocal(&result)) {
      return CallbackFailed(hook, DefinedAt(isolate, function, mapper), i,
                            FormatTryCatch(isolate, context, try_catch, mapper));
    }
    isolate->PerformMicrotaskCheckpoint();
    if (!result->IsPromise()) continue;
    v8::Local<v8::Promise> promise = result.As<v8::Promise>();
    if (promise->State() == v8::Promise::kRejected) {
      promise->MarkAsHandled();
      return CallbackFailed(
          hook, DefinedAt(isolate, function, mapper), i,
          FormatJsException(isolate, context, promise->Result(),
                            v8::Exception::CreateMessage(isolate, promise->Result()), mapper));
    }
    if (promise->State() == v8::Promise::kPending) {
      return CallbackFailed(
          hook, DefinedAt(isolate, function, mapper), i,
          "it returned a promise that was still pending after its microtasks ran (callbacks "
          "may not wait on timers or I/O: nothing else runs until they are done)");
    }
  }
  if (list->Set(context, Key(isolate, "length"), v8::Integer::New(isolate, 0)).IsNothing()) {
    return absl::InternalError("could not empty the snapshot callback list");
  }
  return absl::OkStatus();
}

absl::Status AfterSnapshotLoad(v8::Isolate* isolate, const v8::Global<v8::Context>& context_handle,
                               const Sidecar& sidecar,
                               const std::vector<LoadedExtension>& extensions) {
  if (!sidecar.has_build_state_data_index()) return absl::OkStatus();
  const ScriptNameMapper mapper = SourcePathMapper(extensions);
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = context_handle.Get(isolate);
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Object> state;
  if (!context->GetDataFromSnapshotOnce<v8::Object>(sidecar.build_state_data_index())
           .ToLocal(&state)) {
    return absl::DataLossError(absl::StrCat("the snapshot's hook state (data index ",
                                            sidecar.build_state_data_index(),
                                            ") is missing from the snapshot data"));
  }
  RETURN_IF_ERROR(RedoBuildChanges(isolate, context, state, mapper));
  return RunSnapshotCallbacks(isolate, context, state, SnapshotHook::kDeserialize, mapper);
}

}  // namespace v8snap
