// Module resolution and loading for extension, lazy and file modules.
#include "runtime/module_map.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "compat/v8_compat.h"
#include "format/atomic_file.h"
#include "runtime/async_ops.h"
#include "runtime/event_loop.h"
#include "runtime/isolate_slots.h"
#include "runtime/js_error.h"
#include "runtime/permissions.h"
#include "v8-container.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-isolate.h"
#include "v8-primitive.h"

namespace v8snap {
namespace {

constexpr absl::string_view kFileScheme = "file://";
constexpr absl::string_view kExtScheme = "ext:";
// The module whose `inspect` export shows uncaught values, when the runtime has it: the console
// extension's formatter, a port of Node's util.inspect (extensions/console/README.md).
constexpr char kInspectorModule[] = "ext:console/console.js";

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? "" : std::string(*utf8, utf8.length());
}

v8::Local<v8::String> V8String(v8::Isolate* isolate, absl::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

// Lexically normalizes an absolute path: folds "//", "." and "..".
std::string NormalizePath(absl::string_view path) {
  std::vector<absl::string_view> parts;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
}

std::string DirOf(absl::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? "" : path.substr(0, slash));
}

absl::Status ErrnoError(int error, absl::string_view what, const std::string& path) {
  return absl::Status(absl::ErrnoToStatusCode(error),
                      absl::StrCat(what, " '", path, "': ", strerror(error)));
}

// Reads a file that Permissions::Check has approved, by its canonical path, without following
// symlinks (OpenParentWithoutSymlinks, as the fs ops do). Regular files only.
absl::StatusOr<std::string> ReadCheckedFile(const std::string& canonical) {
  std::string name;
  int folder = OpenParentWithoutSymlinks(canonical, &name);
  if (folder < 0) return ErrnoError(errno, "cannot open", canonical);
  if (name == ".") {
    close(folder);
    return ErrnoError(EISDIR, "cannot open", canonical);
  }
  // O_NONBLOCK: a FIFO must not block the open; it is refused below as not a regular file.
  int fd = openat(folder, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  int error = errno;
  close(folder);
  if (fd < 0) return ErrnoError(error, "cannot open", canonical);
  return ReadOpenedFile(fd, canonical);
}

// Counts a dynamic import's instantiation in ModuleMap::dynamic_import_depth_.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

// A failure V8 located in another module than the import() call (a syntax error in the imported
// file, a missing export named by one of its imports: V8 records their place on the error) would
// lose that place once it is only a rejected promise's value: keep it as the first frame of the
// error's stack, as Deno does.
void KeepFailureLocation(v8::Isolate* isolate, v8::Local<v8::Context> context,
                         v8::Local<v8::Value> exception) {
  if (!exception->IsObject()) return;
  v8::TryCatch ignored(isolate);  // a `stack` accessor or Error.prepareStackTrace may throw
  v8::Local<v8::Message> message = v8::Exception::CreateMessage(isolate, exception);
  if (!message->GetScriptResourceName()->IsString()) return;
  std::string file = ToUtf8(isolate, message->GetScriptResourceName());
  int line = message->GetLineNumber(context).FromMaybe(0);
  int column = message->GetStartColumn(context).FromMaybe(-1) + 1;
  // An error made at the import() call itself (one the runtime threw) is located by its stack
  // already; reading `stack` now would make V8 drop the frames it locates the error by.
  v8::Local<v8::StackTrace> here = v8::StackTrace::CurrentStackTrace(isolate, 1);
  if (here->GetFrameCount() > 0) {
    v8::Local<v8::StackFrame> frame = here->GetFrame(isolate, 0);
    if (!frame->GetScriptName().IsEmpty() && ToUtf8(isolate, frame->GetScriptName()) == file &&
        frame->GetLineNumber() == line && frame->GetColumn() == column) {
      return;
    }
  }
  std::string place = absl::StrCat(file, ":", line, ":", column);
  v8::Local<v8::Object> error = exception.As<v8::Object>();
  v8::Local<v8::String> key = V8String(isolate, "stack");
  v8::Local<v8::Value> stack_value;
  if (!error->Get(context, key).ToLocal(&stack_value) || !stack_value->IsString()) return;
  std::string stack = ToUtf8(isolate, stack_value);
  if (absl::StrContains(stack, place)) return;
  size_t frames = stack.find("\n    at ");
  stack.insert(frames == std::string::npos ? stack.size() : frames,
               absl::StrCat("\n    at ", place));
  error->Set(context, key, V8String(isolate, stack)).FromMaybe(false);
}

}  // namespace

ModuleMap::ModuleMap(v8::Isolate* isolate, v8::Local<v8::Context> context, bool allow_files)
    : isolate_(isolate), context_(isolate, context), allow_files_(allow_files) {}

ModuleMap::~ModuleMap() {
  if (From(isolate_) == this) isolate_->SetData(kModuleMapSlot, nullptr);
}

void ModuleMap::Install() {
  isolate_->SetData(kModuleMapSlot, this);
  // The console module's inspect() becomes the uncaught-value formatter when an uncaught value
  // first needs it (js_error.h), not at every start-up. Once found it sits on the context's
  // global, where the formatter looks first, so the installer runs at most once per context
  // that has a console.
  static const bool installer_set = [] {
    SetUncaughtValueInspectorInstaller([](v8::Local<v8::Context> context) {
      ModuleMap* map = From(context->GetIsolate());
      if (map != nullptr) map->InstallUncaughtInspector();
    });
    return true;
  }();
  (void)installer_set;
  isolate_->SetHostImportModuleDynamicallyCallback(DynamicImportCallback);
  isolate_->SetHostInitializeImportMetaObjectCallback(ImportMetaCallback);
}

ModuleMap* ModuleMap::From(v8::Isolate* isolate) {
  return static_cast<ModuleMap*>(isolate->GetData(kModuleMapSlot));
}

std::string ModuleMap::DisplayName(const std::string& name) {
  return absl::StartsWith(name, kFileScheme) ? name.substr(kFileScheme.size()) : name;
}

v8::MaybeLocal<v8::Module> ModuleMap::CompileUnrecorded(const std::string& name,
                                                        const std::string& source) {
  v8::ScriptOrigin origin =
      compat::MakeScriptOrigin(isolate_, V8String(isolate_, name), /*is_module=*/true);
  v8::ScriptCompiler::Source compiler_source(V8String(isolate_, source), origin);
  return v8::ScriptCompiler::CompileModule(isolate_, &compiler_source);
}

v8::MaybeLocal<v8::Module> ModuleMap::CompileOrThrow(const std::string& name,
                                                     const std::string& source) {
  // Caught and rethrown, not left to propagate: called from V8's resolve callback with a
  // TryCatch above and no JS frame between, V8 would count the exception as caught when
  // CompileModule returns, and InstantiateModule would then find none pending (a fatal CHECK).
  // ReThrow keeps the SyntaxError's message, so its file:line:col survives.
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Module> module;
  if (!CompileUnrecorded(name, source).ToLocal(&module)) {
    if (try_catch.HasCaught()) try_catch.ReThrow();
    return {};
  }
  Adopt(name, module);
  return module;
}

absl::StatusOr<v8::Local<v8::Module>> ModuleMap::Compile(const std::string& name,
                                                         const std::string& source) {
  v8::EscapableHandleScope scope(isolate_);
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Module> module;
  if (!CompileOrThrow(name, source).ToLocal(&module)) {
    return absl::InvalidArgumentError(
        FormatTryCatch(isolate_, context_.Get(isolate_), try_catch, mapper_));
  }
  return scope.Escape(module);
}

absl::Status ModuleMap::CheckSyntax(const std::string& name, const std::string& source) {
  v8::HandleScope scope(isolate_);
  v8::TryCatch try_catch(isolate_);
  if (CompileUnrecorded(name, source).IsEmpty()) {
    return absl::InvalidArgumentError(
        FormatTryCatch(isolate_, context_.Get(isolate_), try_catch, mapper_));
  }
  return absl::OkStatus();
}

void ModuleMap::Adopt(const std::string& name, v8::Local<v8::Module> module) {
  modules_[name].Reset(isolate_, module);
  names_by_hash_.emplace(module->GetIdentityHash(), name);
  lazy_sources_.erase(name);
}

void ModuleMap::InstallUncaughtInspector() {
  // While building too: the namespace object made here cannot be serialized by this V8, but an
  // uncaught value fails the build, so no blob is made from this context.
  v8::Local<v8::Module> console = Find(kInspectorModule);
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);  // the namespace is made in the current context
  if (console.IsEmpty() || console->GetStatus() != v8::Module::kEvaluated) {
    if (allow_files_) return;  // a runtime without console keeps the built-in formatting
    // A build without console: values still print the way console.log shows them, by the
    // native plain rendering; errors go on to the built-in formatting (their frames).
    v8::Local<v8::Function> plain;
    if (v8::Function::New(context, [](const v8::FunctionCallbackInfo<v8::Value>& info) {
          v8::Isolate* isolate = info.GetIsolate();
          if (info[0]->IsNativeError()) return;
          info.GetReturnValue().Set(
              V8String(isolate, InspectPlainly(isolate, isolate->GetCurrentContext(), info[0])));
        }).ToLocal(&plain)) {
      SetUncaughtValueInspector(context, plain);
    }
    return;
  }
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::Value> inspect;
  if (console->GetModuleNamespace()
          .As<v8::Object>()
          ->Get(context, V8String(isolate_, "inspect"))
          .ToLocal(&inspect) &&
      inspect->IsFunction()) {
    SetUncaughtValueInspector(context, inspect.As<v8::Function>());
  }
}

void ModuleMap::AddLazySource(const std::string& name, std::string source) {
  lazy_sources_[name] = std::move(source);
}

v8::Local<v8::Module> ModuleMap::Find(const std::string& name) const {
  auto it = modules_.find(name);
  return it == modules_.end() ? v8::Local<v8::Module>() : it->second.Get(isolate_);
}

const std::string* ModuleMap::LazySource(const std::string& name) const {
  auto it = lazy_sources_.find(name);
  return it == lazy_sources_.end() ? nullptr : &it->second;
}

std::map<std::string, bool> ModuleMap::Names() const {
  std::map<std::string, bool> names;
  for (const auto& [name, module] : modules_) names[name] = false;
  for (const auto& [name, source] : lazy_sources_) names[name] = true;
  return names;
}

std::string ModuleMap::NameOf(v8::Local<v8::Module> module) const {
  auto range = names_by_hash_.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    if (Find(it->second) == module) return it->second;
  }
  return "";
}

absl::StatusOr<std::string> ModuleMap::ResolveName(const std::string& specifier,
                                                   const std::string& referrer) const {
  if (absl::StartsWith(specifier, kExtScheme)) return specifier;
  if (auto mapped = import_map_.find(specifier); mapped != import_map_.end()) {
    return mapped->second;
  }
  bool relative = absl::StartsWith(specifier, "./") || absl::StartsWith(specifier, "../");
  if (relative && absl::StartsWith(referrer, kExtScheme)) {
    // "./b.js" inside "ext:console/a.js" is "ext:console/b.js".
    std::string base = DirOf(referrer.substr(kExtScheme.size()));
    std::string joined = NormalizePath(absl::StrCat("/", base, "/", specifier));
    return absl::StrCat(kExtScheme, joined.substr(1));
  }
  if (!allow_files_) {
    return absl::InvalidArgumentError(
        "extension modules may only import 'ext:<extension>/<file>' specifiers");
  }
  if (absl::StartsWith(specifier, kFileScheme)) {
    return absl::StrCat(kFileScheme, NormalizePath(specifier.substr(kFileScheme.size())));
  }
  if (absl::StartsWith(specifier, "/")) {
    return absl::StrCat(kFileScheme, NormalizePath(specifier));
  }
  if (relative) {
    std::string base;
    if (absl::StartsWith(referrer, kFileScheme)) {
      base = DirOf(referrer.substr(kFileScheme.size()));
    } else {
      char cwd[PATH_MAX];
      base = getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : "/";
    }
    return absl::StrCat(kFileScheme, NormalizePath(absl::StrCat(base, "/", specifier)));
  }
  return absl::InvalidArgumentError(
      "bare specifiers are not supported: use a relative path (./x.js), an absolute path, a "
      "file:// URL or an 'ext:<extension>/<file>' specifier");
}

absl::StatusOr<v8::Local<v8::Module>> ModuleMap::LoadFile(const std::string& path) {
  std::string absolute = path;
  if (!absl::StartsWith(path, "/")) {
    char cwd[PATH_MAX];
    absolute = absl::StrCat(getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : "", "/", path);
  }
  std::string name = absl::StrCat(kFileScheme, NormalizePath(absolute));
  v8::Local<v8::Module> existing = Find(name);
  if (!existing.IsEmpty()) return existing;
  auto source = ReadFileToString(name.substr(kFileScheme.size()));
  if (!source.ok()) return source.status();
  return Compile(name, *source);
}

std::string ModuleMap::ImportSite(v8::Local<v8::Module> referrer,
                                  const std::string& specifier) const {
  std::string shown = mapper_(NameOf(referrer));
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Local<v8::FixedArray> requests = referrer->GetModuleRequests();
  for (int i = 0; i < requests->Length(); ++i) {
    v8::Local<v8::ModuleRequest> request = requests->Get(context, i).As<v8::ModuleRequest>();
    if (ToUtf8(isolate_, request->GetSpecifier()) != specifier) continue;
    v8::Location at = referrer->SourceOffsetToLocation(request->GetSourceOffset());
    return absl::StrCat(shown, ":", at.GetLineNumber() + 1, ":", at.GetColumnNumber() + 1);
  }
  return shown;
}

std::string ModuleMap::CallSite(const std::string& referrer) const {
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate_, 1);
  if (trace->GetFrameCount() > 0) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate_, 0);
    v8::Local<v8::String> script = frame->GetScriptName();
    if (!script.IsEmpty() && script->Length() > 0) {
      return absl::StrCat(mapper_(ToUtf8(isolate_, script)), ":", frame->GetLineNumber(), ":",
                          frame->GetColumn());
    }
  }
  return referrer.empty() ? "a script" : mapper_(referrer);
}

void ModuleMap::ThrowImportError(bool type_error, const std::string& specifier,
                                 ImportSiteFn site, absl::string_view reason) const {
  v8::Local<v8::String> message = V8String(
      isolate_, absl::StrCat("cannot import '", specifier, "' from ", site(), ": ", reason));
  isolate_->ThrowException(type_error ? v8::Exception::TypeError(message)
                                      : v8::Exception::Error(message));
}

bool ModuleMap::ReadFileModule(const std::string& path, const std::string& specifier,
                               ImportSiteFn site, std::string* contents) {
  absl::StatusOr<std::string> source;
  if (dynamic_import_depth_ == 0) {
    source = ReadFileToString(path);
  } else {
    // The same check, and the same PermissionDenied error, as the fs ops: a dynamic import
    // reads a file the user did not name on the command line.
    RuntimeState* state = RuntimeState::From(isolate_);
    const Permissions none;
    absl::StatusOr<std::string> canonical =
        (state != nullptr ? state->permissions() : none).Check(Access::kRead, path);
    if (!canonical.ok() && canonical.status().code() == absl::StatusCode::kPermissionDenied) {
      ThrowOpError(isolate_, OpError::FromStatus(canonical.status(), "import", path));
      return false;
    }
    source = canonical.ok() ? ReadCheckedFile(*canonical) : canonical.status();
  }
  if (!source.ok()) {
    ThrowImportError(false, specifier, site, source.status().message());
    return false;
  }
  *contents = *std::move(source);
  return true;
}

v8::MaybeLocal<v8::Module> ModuleMap::FetchForImport(const std::string& name,
                                                     const std::string& specifier,
                                                     const std::string& referrer,
                                                     ImportSiteFn site) {
  v8::Local<v8::Module> module = Find(name);
  if (!module.IsEmpty()) return module;
  auto lazy = lazy_sources_.find(name);
  if (lazy != lazy_sources_.end()) {
    std::string source = lazy->second;  // Adopt erases it.
    return CompileOrThrow(name, source);
  }
  if (absl::StartsWith(name, kExtScheme)) {
    std::vector<std::string> known;
    for (const auto& [known_name, is_lazy] : Names()) {
      if (absl::StartsWith(known_name, kExtScheme)) known.push_back(known_name);
    }
    if (explain_unavailable_) {
      std::string why = explain_unavailable_(name, referrer);
      if (!why.empty()) {
        ThrowImportError(false, specifier, site, why);
        return {};
      }
    }
    ThrowImportError(false, specifier, site,
                     absl::StrCat("unknown extension module '", name, "'; this runtime has: ",
                                  known.empty() ? "none" : absl::StrJoin(known, ", ")));
    return {};
  }
  std::string source;
  if (!ReadFileModule(name.substr(kFileScheme.size()), specifier, site, &source)) return {};
  return CompileOrThrow(name, source);
}

absl::StatusOr<v8::Local<v8::Promise>> ModuleMap::InstantiateAndEvaluate(
    v8::Local<v8::Module> module) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::TryCatch try_catch(isolate_);
  if (module->GetStatus() < v8::Module::kInstantiated &&
      !module->InstantiateModule(context, ResolveCallback).FromMaybe(false)) {
    return absl::InvalidArgumentError(FormatTryCatch(isolate_, context, try_catch, mapper_));
  }
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) {
    if (try_catch.HasTerminated()) return absl::AbortedError("execution was terminated");
    return absl::InvalidArgumentError(FormatTryCatch(isolate_, context, try_catch, mapper_));
  }
  return scope.Escape(result.As<v8::Promise>());
}

v8::MaybeLocal<v8::Module> ModuleMap::ResolveCallback(v8::Local<v8::Context> context,
                                                      v8::Local<v8::String> specifier,
                                                      v8::Local<v8::FixedArray> import_assertions,
                                                      v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleMap* self = From(isolate);
  std::string text = ToUtf8(isolate, specifier);
  auto site = [&] { return self->ImportSite(referrer, text); };
  std::string referrer_name = self->NameOf(referrer);
  auto name = self->ResolveName(text, referrer_name);
  if (!name.ok()) {
    self->ThrowImportError(true, text, site, name.status().message());
    return {};
  }
  return self->FetchForImport(*name, text, referrer_name, site);
}

bool ModuleMap::ImportDynamically(const std::string& specifier, const std::string& referrer,
                                  v8::Local<v8::Module>* module,
                                  v8::Local<v8::Promise>* evaluation) {
  v8::Local<v8::Context> context = context_.Get(isolate_);
  auto site = [&] { return CallSite(referrer); };
  if (!allow_files_) {
    constexpr absl::string_view kReason =
        "import() is not available while a snapshot is built (the module namespace it resolves "
        "to cannot be serialized by this V8); use a static import";
    // Kept for the builder even when the script catches the rejection: it fails the build.
    if (refused_import_.empty()) {
      refused_import_ =
          absl::StrCat("cannot import '", specifier, "' from ", site(), ": ", kReason);
    }
    ThrowImportError(false, specifier, site, kReason);
    return false;
  }
  auto name = ResolveName(specifier, referrer);
  if (!name.ok()) {
    ThrowImportError(true, specifier, site, name.status().message());
    return false;
  }
  {
    DepthGuard guard(dynamic_import_depth_);
    if (!FetchForImport(*name, specifier, referrer, site).ToLocal(module)) return false;
    if ((*module)->GetStatus() < v8::Module::kInstantiated &&
        !(*module)->InstantiateModule(context, ResolveCallback).FromMaybe(false)) {
      return false;
    }
  }
  v8::Local<v8::Value> result;
  if (!(*module)->Evaluate(context).ToLocal(&result)) return false;
  *evaluation = result.As<v8::Promise>();
  return true;
}

v8::MaybeLocal<v8::Promise> ModuleMap::DynamicImportCallback(
    v8::Local<v8::Context> context, v8::Local<v8::Data> host_defined_options,
    v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier,
    v8::Local<v8::FixedArray> import_assertions) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::EscapableHandleScope scope(isolate);
  ModuleMap* self = From(isolate);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  std::string referrer = resource_name->IsString() ? ToUtf8(isolate, resource_name) : "";
  v8::Local<v8::Module> module;
  v8::Local<v8::Promise> evaluation;
  {
    v8::TryCatch try_catch(isolate);
    if (!self->ImportDynamically(ToUtf8(isolate, specifier), referrer, &module, &evaluation)) {
      if (!try_catch.CanContinue() || try_catch.HasTerminated()) {
        try_catch.ReThrow();
        return {};
      }
      // The importer gets the exception itself: a SyntaxError stays a SyntaxError. Reset
      // first: an exception thrown through the API stays scheduled until then, and V8 runs no
      // more JS (not even the `stack` getter) while one is.
      v8::Local<v8::Value> exception = try_catch.Exception();
      try_catch.Reset();
      KeepFailureLocation(isolate, context, exception);
      resolver->Reject(context, exception).Check();
      return scope.Escape(resolver->GetPromise());
    }
  }
  // Resolve with the namespace once evaluation (which may await) has finished.
  v8::Local<v8::Value> namespace_object = module->GetModuleNamespace();
  if (evaluation->State() == v8::Promise::kFulfilled) {
    resolver->Resolve(context, namespace_object).Check();
  } else if (evaluation->State() == v8::Promise::kRejected) {
    // The importer's promise carries the error now: the evaluation promise itself is handled,
    // or a caught import() would still be reported as an unhandled rejection.
    evaluation->MarkAsHandled();
    if (RuntimeState* state = RuntimeState::From(isolate); state != nullptr) {
      state->loop().ForgetRejection(evaluation);
    }
    resolver->Reject(context, evaluation->Result()).Check();
  } else {
    v8::Local<v8::Array> pair = v8::Array::New(isolate, 2);
    pair->Set(context, 0, resolver).Check();
    pair->Set(context, 1, namespace_object).Check();
    auto on_done = [](const v8::FunctionCallbackInfo<v8::Value>& info) {
      v8::Local<v8::Context> ctx = info.GetIsolate()->GetCurrentContext();
      v8::Local<v8::Array> data = info.Data().As<v8::Array>();
      data->Get(ctx, 0)
          .ToLocalChecked()
          .As<v8::Promise::Resolver>()
          ->Resolve(ctx, data->Get(ctx, 1).ToLocalChecked())
          .Check();
    };
    auto on_error = [](const v8::FunctionCallbackInfo<v8::Value>& info) {
      v8::Local<v8::Context> ctx = info.GetIsolate()->GetCurrentContext();
      v8::Local<v8::Array> data = info.Data().As<v8::Array>();
      data->Get(ctx, 0).ToLocalChecked().As<v8::Promise::Resolver>()->Reject(ctx, info[0]).Check();
    };
    v8::Local<v8::Function> then_fn, catch_fn;
    if (!v8::Function::New(context, on_done, pair).ToLocal(&then_fn) ||
        !v8::Function::New(context, on_error, pair).ToLocal(&catch_fn) ||
        evaluation->Then(context, then_fn, catch_fn).IsEmpty()) {
      return {};
    }
  }
  return scope.Escape(resolver->GetPromise());
}

void ModuleMap::ImportMetaCallback(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                   v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string name = From(isolate)->NameOf(module);
  meta->CreateDataProperty(context, v8::String::NewFromUtf8Literal(isolate, "url"),
                           V8String(isolate, name))
      .Check();
}

}  // namespace v8snap
