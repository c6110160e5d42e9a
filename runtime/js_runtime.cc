// JsRuntime: verified snapshot → isolate → context → modules → main module → event loop.
#include "runtime/js_runtime.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "format/status_macros.h"
#include "runtime/bootstrap.h"
#include "runtime/isolate_slots.h"
#include "runtime/load_check.h"
#include "runtime/v8_process.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-locker.h"
#include "v8-microtask-queue.h"
#include "v8-primitive.h"
#include "v8-promise.h"
#include "v8-script.h"
#include "libplatform/libplatform.h"

namespace v8snap {
namespace {

// The runtime's V8 flags. v8snap has already verified the blob with XXH3-128 against the
// sidecar, so V8's own adler32 pass over the whole blob on every isolate start is skipped.
std::vector<std::string> RuntimeV8Flags() { return {"--no-verify-snapshot-checksum"}; }

std::vector<std::string> ExtensionNames(const LoadedManifest& manifest) {
  std::vector<std::string> names;
  for (const auto& extension : manifest.extensions) names.push_back(extension.name);
  return names;
}

}  // namespace

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSnapshot(const std::string& blob_path,
                                                                   const RuntimeConfig& config) {
  ASSIGN_OR_RETURN(SnapshotPair pair, ReadSnapshotPair(blob_path));
  return FromSnapshotPair(std::move(pair), blob_path, config);
}

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSnapshotPair(
    SnapshotPair pair, const std::string& blob_path, const RuntimeConfig& config) {
  std::unique_ptr<JsRuntime> runtime(new JsRuntime());
  ASSIGN_OR_RETURN(runtime->layout_,
                   ComputeLayout(ExtensionNames(config.manifest), ExtensionRegistry::Global()));
  LoadCheckInput check;
  check.sidecar = &pair.sidecar;
  check.runtime_layout = &runtime->layout_.layout;
  check.blob_path = blob_path;
  check.linked_v8_version = V8Process::LinkedV8Version();
  check.runtime_manifest = config.manifest_label;
  RETURN_IF_ERROR(CheckSnapshotLoadable(check));

  RETURN_IF_ERROR(V8Process::Initialize(RuntimeV8Flags()));
  runtime->blob_ = std::move(pair.blob);
  runtime->startup_data_ = {runtime->blob_.data(), static_cast<int>(runtime->blob_.size())};
  RETURN_IF_ERROR(runtime->CreateIsolate(&runtime->startup_data_));
  RETURN_IF_ERROR(runtime->AdoptSnapshotModules(pair.sidecar));
  return runtime;
}

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSource(const RuntimeConfig& config) {
  std::unique_ptr<JsRuntime> runtime(new JsRuntime());
  ASSIGN_OR_RETURN(runtime->layout_,
                   ComputeLayout(ExtensionNames(config.manifest), ExtensionRegistry::Global()));
  RETURN_IF_ERROR(V8Process::Initialize(RuntimeV8Flags()));
  RETURN_IF_ERROR(runtime->CreateIsolate(nullptr));
  v8::Isolate* isolate = runtime->isolate_;
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope scope(isolate);
  v8::Context::Scope context_scope(runtime->context());
  auto records = BootstrapContext(isolate, runtime->context(), runtime->layout_,
                                  config.manifest.extensions, *runtime->modules_);
  if (!records.ok()) return records.status();
  return runtime;
}

absl::Status JsRuntime::CreateIsolate(v8::StartupData* blob) {
  allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  params.snapshot_blob = blob;
  // Without a blob the isolate starts from V8's built-in snapshot, which needs no references.
  params.external_references = blob != nullptr ? layout_.external_references.data() : nullptr;
  isolate_ = v8::Isolate::New(params);
  if (isolate_ == nullptr) return absl::InternalError("V8 could not create an isolate");
  isolate_->SetPromiseRejectCallback(PromiseRejectCallback);
  isolate_->SetData(kRuntimeStateSlot, this);
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  if (context.IsEmpty()) return absl::InternalError("V8 could not create a context");
  context_.Reset(isolate_, context);
  modules_ = std::make_unique<ModuleMap>(isolate_, context, /*allow_files=*/true);
  modules_->Install();
  return absl::OkStatus();
}

absl::Status JsRuntime::AdoptSnapshotModules(const Sidecar& sidecar) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = this->context();
  for (const ModuleRecord& record : sidecar.modules()) {
    if (record.lazy()) {
      v8::Local<v8::String> source;
      if (!context->GetDataFromSnapshotOnce<v8::String>(record.data_index()).ToLocal(&source)) {
        return absl::DataLossError(absl::StrCat("lazy module ", record.specifier(),
                                                " is missing from the snapshot data"));
      }
      v8::String::Utf8Value utf8(isolate_, source);
      modules_->AddLazySource(record.specifier(), std::string(*utf8, utf8.length()));
    } else {
      v8::Local<v8::Module> module;
      if (!context->GetDataFromSnapshotOnce<v8::Module>(record.data_index()).ToLocal(&module)) {
        return absl::DataLossError(absl::StrCat("module ", record.specifier(),
                                                " is missing from the snapshot data"));
      }
      modules_->Adopt(record.specifier(), module);
    }
  }
  return absl::OkStatus();
}

JsRuntime::~JsRuntime() {
  if (isolate_ == nullptr) return;
  {
    v8::Isolate::Scope isolate_scope(isolate_);
    modules_.reset();
    unhandled_.clear();
    unhandled_message_.Reset();
    context_.Reset();
  }
  isolate_->Dispose();
}

void JsRuntime::PromiseRejectCallback(v8::PromiseRejectMessage message) {
  v8::Isolate* isolate = message.GetPromise()->GetIsolate();
  auto* self = static_cast<JsRuntime*>(isolate->GetData(kRuntimeStateSlot));
  v8::Local<v8::Promise> promise = message.GetPromise();
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler: {
      v8::Local<v8::Value> value = message.GetValue();
      if (value.IsEmpty()) value = v8::Undefined(isolate);
      self->unhandled_.emplace_back(v8::Global<v8::Promise>(isolate, promise),
                                    v8::Global<v8::Value>(isolate, value));
      break;
    }
    case v8::kPromiseHandlerAddedAfterReject:
      self->ForgetRejection(promise);
      break;
    default:
      break;
  }
}

void JsRuntime::ForgetRejection(v8::Local<v8::Promise> promise) {
  for (auto it = unhandled_.begin(); it != unhandled_.end(); ++it) {
    if (it->first.Get(isolate_) == promise) {
      unhandled_.erase(it);
      return;
    }
  }
}

absl::Status JsRuntime::TakeUnhandledRejection() {
  if (unhandled_.empty()) return absl::OkStatus();
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Value> reason = unhandled_.front().second.Get(isolate_);
  unhandled_.clear();
  std::string text = FormatJsException(isolate_, context(), reason,
                                       v8::Exception::CreateMessage(isolate_, reason),
                                       &ModuleMap::DisplayName);
  // "Uncaught X" reads better as "Uncaught (in promise) X" for a rejection.
  size_t at = text.find("Uncaught ");
  if (at != std::string::npos) text.insert(at + 9, "(in promise) ");
  return absl::AbortedError(text);
}

absl::Status JsRuntime::RunEventLoop() {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  do {
    isolate_->PerformMicrotaskCheckpoint();
    RETURN_IF_ERROR(TakeUnhandledRejection());
  } while (v8::platform::PumpMessageLoop(V8Process::platform(), isolate_));
  return absl::OkStatus();
}

absl::Status JsRuntime::RunMainModule(const std::string& path) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Context::Scope context_scope(context());
  ASSIGN_OR_RETURN(v8::Local<v8::Module> module, modules_->LoadFile(path));
  absl::StatusOr<v8::Local<v8::Promise>> evaluation = modules_->InstantiateAndEvaluate(module);
  if (!evaluation.ok()) return absl::AbortedError(evaluation.status().message());
  v8::Local<v8::Promise> promise = *evaluation;
  // A rejected main module is reported as its own uncaught error, not as an unhandled rejection.
  promise->MarkAsHandled();
  ForgetRejection(promise);
  RETURN_IF_ERROR(RunEventLoop());
  if (promise->State() == v8::Promise::kRejected) {
    v8::Local<v8::Value> reason = promise->Result();
    return absl::AbortedError(FormatJsException(isolate_, context(), reason,
                                                v8::Exception::CreateMessage(isolate_, reason),
                                                &ModuleMap::DisplayName));
  }
  if (promise->State() == v8::Promise::kPending) {
    return absl::AbortedError(absl::StrCat(
        ModuleMap::DisplayName(path),
        ": top-level await never settled: the module waits on a promise that nothing will "
        "resolve (no timers or operations are pending)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> JsRuntime::EvaluateScript(const std::string& name,
                                                      const std::string& source) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = this->context();
  v8::Context::Scope context_scope(context);
  v8::TryCatch try_catch(isolate_);
  v8::ScriptOrigin origin(
      isolate_, v8::String::NewFromUtf8(isolate_, name.c_str()).ToLocalChecked());
  v8::Local<v8::String> code;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::String::NewFromUtf8(isolate_, source.data(), v8::NewStringType::kNormal,
                               static_cast<int>(source.size()))
           .ToLocal(&code) ||
      !v8::Script::Compile(context, code, &origin).ToLocal(&script) ||
      !script->Run(context).ToLocal(&result)) {
    return absl::AbortedError(FormatTryCatch(isolate_, context, try_catch));
  }
  RETURN_IF_ERROR(RunEventLoop());
  v8::String::Utf8Value utf8(isolate_, result);
  return std::string(*utf8 == nullptr ? "" : *utf8, utf8.length());
}

}  // namespace v8snap
