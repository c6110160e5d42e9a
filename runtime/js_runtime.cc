// JsRuntime: verified snapshot → isolate → context → modules → main module → event loop.
#include "runtime/js_runtime.h"

#include <set>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "compat/v8_compat.h"
#include "format/status_macros.h"
#include "runtime/bootstrap.h"
#include "runtime/commonjs.h"
#include "check/content_check.h"
#include "runtime/isolate_slots.h"
#include "check/layered_extensions.h"
#include "check/layout_diff.h"
#include "check/load_check.h"
#include "runtime/op_args.h"
#include "runtime/process_output.h"
#include "check/relink.h"
#include "runtime/snapshot_hooks.h"
#include "runtime/v8_process.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-locker.h"
#include "v8-microtask-queue.h"
#include "v8-primitive.h"
#include "v8-promise.h"
#include "v8-script.h"

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

// What every op of a disabled extension is bound to. The op's id is the function's data (see
// InstallOps), and the runtime knows the name of every id.
void ThrowDisabledOp(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  RuntimeState* state = RuntimeState::From(isolate);
  uint32_t id = info.Data()->IsUint32() ? info.Data().As<v8::Uint32>()->Value() : UINT32_MAX;
  std::string name = state != nullptr && id < state->op_names().size() ? state->op_names()[id]
                                                                       : absl::StrCat("#", id);
  ThrowError(isolate, absl::StrCat("op ", name,
                                   " is disabled in this runtime (its extension has "
                                   "`enabled: false` in the runtime's manifest)"));
}

// Settles the main module: its rejection is an uncaught error that stops the event loop at once.
void OnMainModuleRejected(const v8::FunctionCallbackInfo<v8::Value>& info) {
  RuntimeState* state = RuntimeState::From(info.GetIsolate());
  if (state == nullptr) return;
  state->loop().ReportUncaught(info[0], v8::Exception::CreateMessage(info.GetIsolate(), info[0]));
}

}  // namespace

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSnapshot(const std::string& blob_path,
                                                                   const RuntimeConfig& config) {
  ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot, VerifiedSnapshotPair::Read(blob_path));
  return FromVerifiedSnapshot(snapshot, config);
}

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSnapshotPair(
    SnapshotPair pair, const std::string& blob_path, const RuntimeConfig& config) {
  // A pair from elsewhere may be anything: a blob V8 would abort on never reaches it.
  ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot,
                   VerifiedSnapshotPair::Verify(std::move(pair), blob_path));
  return FromVerifiedSnapshot(snapshot, config);
}

absl::Status JsRuntime::CheckLoadable(const VerifiedSnapshotPair& snapshot,
                                      const RuntimeConfig& config) {
  return LayoutFor(snapshot, config, nullptr).status();
}

absl::StatusOr<RuntimeLayout> JsRuntime::LayoutFor(const VerifiedSnapshotPair& snapshot,
                                                   const RuntimeConfig& config,
                                                   std::vector<std::string>* from_snapshot) {
  RETURN_IF_ERROR(CheckExecutionLimitOptions(config.limits));
  const Sidecar& sidecar = snapshot.sidecar();
  const std::string& blob_path = snapshot.blob_path();
  // JS-only extensions the snapshot layers on top join the layout; native wiring is still
  // compared in full below.
  ExtensionSelection selection =
      SelectExtensionsForSnapshot(sidecar, ExtensionNames(config.manifest),
                                  ExtensionRegistry::Global(), config.exact_extensions);
  ASSIGN_OR_RETURN(RuntimeLayout layout,
                   ComputeLayout(selection.names, ExtensionRegistry::Global()));
  const Layout& snapshot_layout = sidecar.layout();
  // Relinking a blob of another V8 is pointless: the load check below reports the version.
  if (config.relink && sidecar.v8_version() == V8Process::LinkedV8Version() &&
      !DiffLayouts(snapshot_layout, layout.layout).empty()) {
    absl::StatusOr<RuntimeLayout> relinked = RelinkLayout(snapshot_layout, layout);
    if (!relinked.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "snapshot '", blob_path, "' cannot be relinked to this runtime's extensions ",
          relinked.status().message(),
          "\n  --relink only changes the order: every extension, op and external reference "
          "must exist on both sides with the same signature.",
          "\n  fix: rebuild the snapshot from the runtime's manifest with this runtime's "
          "builder (",
          config.builder_name, " --manifest ",
          config.manifest_label.empty() ? "MANIFEST" : config.manifest_label, " --out ",
          RebuildOutPath(blob_path),
          ")."));
    }
    layout = *std::move(relinked);
  }
  LoadCheckInput check;
  check.sidecar = &sidecar;
  check.runtime_layout = &layout.layout;
  check.blob_path = blob_path;
  check.linked_v8_version = V8Process::LinkedV8Version();
  check.runtime_manifest = config.manifest_label;
  check.builder = config.builder_name;
  check.registry = &ExtensionRegistry::Global();
  check.blob = snapshot.blob();
  // The same message snapshot_inspect verify gives: the two must never disagree.
  RETURN_IF_ERROR(CheckSnapshotLoadable(check));
  ContentCheckInput content;
  content.sidecar = &sidecar;
  content.manifest = &config.manifest;
  content.blob_path = blob_path;
  content.manifest_label = config.manifest_label;
  content.builder = config.builder_name;
  RETURN_IF_ERROR(CheckSourcesMatchSnapshot(content));
  RETURN_IF_ERROR(CheckSnapshotFitsLimits(config.limits, sidecar, blob_path));
  if (from_snapshot != nullptr) *from_snapshot = std::move(selection.from_snapshot);
  return layout;
}

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromVerifiedSnapshot(
    const VerifiedSnapshotPair& snapshot, const RuntimeConfig& config) {
  std::unique_ptr<JsRuntime> runtime(new JsRuntime());
  ASSIGN_OR_RETURN(runtime->layout_,
                   LayoutFor(snapshot, config, &runtime->extensions_from_snapshot_));
  runtime->DisableOps(config.manifest);

  RETURN_IF_ERROR(V8Process::Initialize(RuntimeV8Flags()));
  ASSIGN_OR_RETURN(ReadOnlyHeapNeed need,
                   ReadOnlyHeapNeed::ForSnapshot(snapshot.blob_path(), snapshot.blob(),
                                                 snapshot.sidecar()));
  runtime->snapshot_ = snapshot;
  runtime->startup_data_ = {snapshot.blob().data(), static_cast<int>(snapshot.blob().size())};
  RETURN_IF_ERROR(runtime->CreateIsolate(&runtime->startup_data_, need, config));
  RETURN_IF_ERROR(runtime->AdoptSnapshotModules(snapshot.sidecar()));
  RETURN_IF_ERROR(AfterSnapshotLoad(runtime->isolate_, runtime->context_, snapshot.sidecar(),
                                    config.manifest.extensions));
  return runtime;
}

absl::StatusOr<std::unique_ptr<JsRuntime>> JsRuntime::FromSource(const RuntimeConfig& config) {
  RETURN_IF_ERROR(CheckExecutionLimitOptions(config.limits));
  std::unique_ptr<JsRuntime> runtime(new JsRuntime());
  ASSIGN_OR_RETURN(runtime->layout_,
                   ComputeLayout(ExtensionNames(config.manifest), ExtensionRegistry::Global()));
  runtime->DisableOps(config.manifest);
  RETURN_IF_ERROR(V8Process::Initialize(RuntimeV8Flags()));
  RETURN_IF_ERROR(runtime->CreateIsolate(nullptr, ReadOnlyHeapNeed::BuiltIn(), config));
  runtime->modules_->SetImportMap(ImportMapOf(config.manifest.manifest));
  v8::Isolate* isolate = runtime->isolate_;
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope scope(isolate);
  v8::Context::Scope context_scope(runtime->context());
  auto records = BootstrapContext(isolate, runtime->context(), runtime->layout_,
                                  config.manifest.extensions, *runtime->modules_);
  if (!records.ok()) return records.status();
  return runtime;
}

void JsRuntime::DisableOps(const LoadedManifest& manifest) {
  std::set<std::string> disabled;
  for (const LoadedExtension& extension : manifest.extensions) {
    if (!extension.enabled) disabled.insert(extension.name);
  }
  if (disabled.empty()) return;
  // Only the runtime's table changes, and only addresses: the layout (what the load check
  // compared) stays as it is. Several entries may now share the thrower's address; V8 only
  // maps index to address when deserializing, so that is fine here (never in the builder).
  for (size_t id = 0; id < layout_.ops.size(); ++id) {
    const OpRecord& record = layout_.layout.ops(static_cast<int>(id));
    if (disabled.count(record.extension()) == 0) continue;
    auto thrower = std::make_unique<OpDecl>(*layout_.ops[id]);
    thrower->callback = ThrowDisabledOp;
    layout_.ops[id] = thrower.get();
    disabled_ops_.push_back(std::move(thrower));
    for (uint32_t index : record.external_reference_indexes()) {
      layout_.external_references[index] = reinterpret_cast<intptr_t>(&ThrowDisabledOp);
    }
  }
}

absl::Status JsRuntime::CreateIsolate(v8::StartupData* blob, const ReadOnlyHeapNeed& need,
                                      const RuntimeConfig& config) {
  // Before Isolate::New: an isolate the live read-only heap cannot serve would abort in V8.
  ASSIGN_OR_RETURN(read_only_heap_lease_, SharedReadOnlyHeap::Acquire(need));
  state_ = std::make_unique<RuntimeState>(config.permissions);
  for (const OpRecord& op : layout_.layout.ops()) state_->op_names().push_back(op.name());
  limits_ = std::make_unique<ExecutionLimits>(config.limits);
  // Counts ArrayBuffer memory against the limit; outlives the isolate (disposed before it).
  allocator_ = limits_->NewArrayBufferAllocator();
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  params.snapshot_blob = blob;
  // Without a blob the isolate starts from V8's built-in snapshot, which needs no references.
  params.external_references = blob != nullptr ? layout_.external_references.data() : nullptr;
  limits_->ConfigureIsolate(params);
  isolate_ = v8::Isolate::New(params);
  if (isolate_ == nullptr) return absl::InternalError("V8 could not create an isolate");
  limits_->Attach(isolate_, state_->loop());
  isolate_->SetData(kRuntimeStateSlot, state_.get());
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  if (context.IsEmpty()) return absl::InternalError("V8 could not create a context");
  context_.Reset(isolate_, context);
  state_->loop().Attach(isolate_, context, V8Process::platform(), &ModuleMap::DisplayName);
  modules_ = std::make_unique<ModuleMap>(isolate_, context, /*allow_files=*/true);
  modules_->Install();
  return absl::OkStatus();
}

absl::Status JsRuntime::AdoptSnapshotModules(const Sidecar& sidecar) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = this->context();
  // Bare specifiers of the scripts this runtime runs resolve as the extensions' did.
  modules_->SetImportMap(ImportMapOf(sidecar));
  for (const ModuleRecord& record : sidecar.modules()) {
    if (record.lazy()) {
      v8::Local<v8::String> source;
      if (!context->GetDataFromSnapshotOnce<v8::String>(record.data_index()).ToLocal(&source)) {
        return absl::DataLossError(
            absl::StrCat("lazy module ", record.specifier(), " is missing from the snapshot data"));
      }
      v8::String::Utf8Value utf8(isolate_, source);
      modules_->AddLazySource(record.specifier(), std::string(*utf8, utf8.length()));
    } else {
      v8::Local<v8::Module> module;
      if (!context->GetDataFromSnapshotOnce<v8::Module>(record.data_index()).ToLocal(&module)) {
        return absl::DataLossError(
            absl::StrCat("module ", record.specifier(), " is missing from the snapshot data"));
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
    // Limits first (their wake-up handle closes on the loop), then extension state and the
    // loop: they close libuv handles and release V8 handles.
    limits_.reset();
    state_->Shutdown();
    modules_.reset();
    context_.Reset();
  }
  // The platform keeps per-isolate task queues; drop this isolate's before it goes away.
  V8Process::NotifyIsolateShutdown(isolate_);
  isolate_->Dispose();
}

absl::Status JsRuntime::RunEventLoop() {
  return RunLimited([this] { return RunEventLoopUnlimited(); });
}

absl::Status JsRuntime::RunEventLoopUnlimited() {
  v8::Isolate::Scope isolate_scope(isolate_);
  return state_->loop().Run();
}

absl::Status JsRuntime::RunMainModule(const std::string& path) {
  return RunLimited([&] { return RunMainModuleUnlimited(path); });
}

absl::Status JsRuntime::RunLimited(absl::FunctionRef<absl::Status()> run) {
  limits_->Arm();
  absl::Status status = run();
  limits_->Disarm();
  status = limits_->Explain(std::move(status));
  if (!status.ok() && StdoutClosed() && !absl::IsResourceExhausted(status) &&
      !absl::IsDeadlineExceeded(status)) {
    // A write op stopped the script because nobody reads its output any more (EPIPE).
    isolate_->CancelTerminateExecution();
    return absl::CancelledError(
        "the script was stopped: its stdout was closed by the reader (EPIPE)");
  }
  return status;
}

absl::Status JsRuntime::RunMainModuleUnlimited(const std::string& path) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Context::Scope context_scope(context());
  ASSIGN_OR_RETURN(v8::Local<v8::Module> module, modules_->LoadFile(path));
  absl::StatusOr<v8::Local<v8::Promise>> evaluation = modules_->InstantiateAndEvaluate(module);
  if (!evaluation.ok()) return absl::AbortedError(evaluation.status().message());
  v8::Local<v8::Promise> promise = *evaluation;
  // A rejected main module is reported as its own uncaught error, not as an unhandled
  // rejection, and at once: the loop stops with timers and ops still pending, as in Node.
  promise->MarkAsHandled();
  state_->loop().ForgetRejection(promise);
  v8::Local<v8::Function> on_rejected;
  if (!v8::Function::New(context(), OnMainModuleRejected).ToLocal(&on_rejected) ||
      promise->Catch(context(), on_rejected).IsEmpty()) {
    return absl::InternalError("could not watch the main module's evaluation");
  }
  RETURN_IF_ERROR(RunEventLoopUnlimited());
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
  std::string value;
  RETURN_IF_ERROR(RunLimited([&] { return EvaluateScriptUnlimited(name, source, value); }));
  return value;
}

absl::Status JsRuntime::EvaluateScriptUnlimited(const std::string& name, const std::string& source,
                                                std::string& value) {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = this->context();
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Value> result;
  {
    // Not around the event loop: its tasks catch their own exceptions.
    v8::TryCatch try_catch(isolate_);
    v8::ScriptOrigin origin = compat::MakeScriptOrigin(
        isolate_, v8::String::NewFromUtf8(isolate_, name.c_str()).ToLocalChecked());
    v8::Local<v8::String> code;
    v8::Local<v8::Script> script;
    if (!v8::String::NewFromUtf8(isolate_, source.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(source.size()))
             .ToLocal(&code) ||
        !v8::Script::Compile(context, code, &origin).ToLocal(&script) ||
        !script->Run(context).ToLocal(&result)) {
      return absl::AbortedError(FormatTryCatch(isolate_, context, try_catch));
    }
  }
  RETURN_IF_ERROR(RunEventLoopUnlimited());
  v8::String::Utf8Value utf8(isolate_, result);
  value.assign(*utf8 == nullptr ? "" : *utf8, utf8.length());
  return absl::OkStatus();
}

}  // namespace v8snap
