// Module resolution and loading for extension, lazy and file modules.
#include "runtime/module_map.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "format/atomic_file.h"
#include "runtime/isolate_slots.h"
#include "runtime/js_error.h"
#include "v8-container.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-isolate.h"
#include "v8-primitive.h"

namespace v8snap {
namespace {

constexpr absl::string_view kFileScheme = "file://";
constexpr absl::string_view kExtScheme = "ext:";

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? "" : std::string(*utf8, utf8.length());
}

v8::Local<v8::String> V8String(v8::Isolate* isolate, const std::string& s) {
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

void ThrowError(v8::Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::Error(V8String(isolate, message)));
}

}  // namespace

ModuleMap::ModuleMap(v8::Isolate* isolate, v8::Local<v8::Context> context, bool allow_files)
    : isolate_(isolate), context_(isolate, context), allow_files_(allow_files) {}

ModuleMap::~ModuleMap() {
  if (From(isolate_) == this) isolate_->SetData(kModuleMapSlot, nullptr);
}

void ModuleMap::Install() {
  isolate_->SetData(kModuleMapSlot, this);
  isolate_->SetHostImportModuleDynamicallyCallback(DynamicImportCallback);
  isolate_->SetHostInitializeImportMetaObjectCallback(ImportMetaCallback);
}

ModuleMap* ModuleMap::From(v8::Isolate* isolate) {
  return static_cast<ModuleMap*>(isolate->GetData(kModuleMapSlot));
}

std::string ModuleMap::DisplayName(const std::string& name) {
  return absl::StartsWith(name, kFileScheme) ? name.substr(kFileScheme.size()) : name;
}

absl::StatusOr<v8::Local<v8::Module>> ModuleMap::Compile(const std::string& name,
                                                         const std::string& source) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::TryCatch try_catch(isolate_);
  v8::ScriptOrigin origin(isolate_, V8String(isolate_, name), 0, 0, false, -1,
                          v8::Local<v8::Value>(), false, false, /*is_module=*/true);
  v8::ScriptCompiler::Source compiler_source(V8String(isolate_, source), origin);
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(isolate_, &compiler_source).ToLocal(&module)) {
    return absl::InvalidArgumentError(
        FormatTryCatch(isolate_, context, try_catch, mapper_));
  }
  Adopt(name, module);
  return scope.Escape(module);
}

void ModuleMap::Adopt(const std::string& name, v8::Local<v8::Module> module) {
  modules_[name].Reset(isolate_, module);
  names_by_hash_.emplace(module->GetIdentityHash(), name);
  lazy_sources_.erase(name);
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
  bool relative = absl::StartsWith(specifier, "./") || absl::StartsWith(specifier, "../");
  if (relative && absl::StartsWith(referrer, kExtScheme)) {
    // "./b.js" inside "ext:console/a.js" is "ext:console/b.js".
    std::string base = DirOf(referrer.substr(kExtScheme.size()));
    std::string joined = NormalizePath(absl::StrCat("/", base, "/", specifier));
    return absl::StrCat(kExtScheme, joined.substr(1));
  }
  if (!allow_files_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot import '", specifier, "' from '", DisplayName(referrer),
        "': extension modules may only import 'ext:<extension>/<file>' specifiers"));
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
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot resolve '", specifier, "' imported from '", DisplayName(referrer),
      "': use a relative path (./x.js), an absolute path, a file:// URL or an "
      "'ext:<extension>/<file>' specifier"));
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

v8::MaybeLocal<v8::Module> ModuleMap::FetchForImport(const std::string& name) {
  v8::Local<v8::Module> module = Find(name);
  if (!module.IsEmpty()) return module;
  auto lazy = lazy_sources_.find(name);
  absl::StatusOr<v8::Local<v8::Module>> loaded;
  if (lazy != lazy_sources_.end()) {
    std::string source = lazy->second;
    loaded = Compile(name, source);
  } else if (absl::StartsWith(name, kExtScheme)) {
    std::vector<std::string> known;
    for (const auto& [known_name, is_lazy] : Names()) {
      if (absl::StartsWith(known_name, kExtScheme)) known.push_back(known_name);
    }
    loaded = absl::NotFoundError(absl::StrCat("unknown extension module '", name,
                                              "'; this runtime has: ", absl::StrJoin(known, ", ")));
  } else {
    loaded = LoadFile(name.substr(kFileScheme.size()));
  }
  if (!loaded.ok()) {
    ThrowError(isolate_, std::string(loaded.status().message()));
    return {};
  }
  return *loaded;
}

absl::StatusOr<v8::Local<v8::Promise>> ModuleMap::InstantiateAndEvaluate(
    v8::Local<v8::Module> module) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::TryCatch try_catch(isolate_);
  if (module->GetStatus() < v8::Module::kInstantiated &&
      !module->InstantiateModule(context, ResolveCallback).FromMaybe(false)) {
    return absl::InvalidArgumentError(
        FormatTryCatch(isolate_, context, try_catch, mapper_));
  }
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) {
    return absl::InvalidArgumentError(
        FormatTryCatch(isolate_, context, try_catch, mapper_));
  }
  return scope.Escape(result.As<v8::Promise>());
}

v8::MaybeLocal<v8::Module> ModuleMap::ResolveCallback(v8::Local<v8::Context> context,
                                                      v8::Local<v8::String> specifier,
                                                      v8::Local<v8::FixedArray> import_assertions,
                                                      v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleMap* self = From(isolate);
  auto name = self->ResolveName(ToUtf8(isolate, specifier), self->NameOf(referrer));
  if (!name.ok()) {
    ThrowError(isolate, std::string(name.status().message()));
    return {};
  }
  return self->FetchForImport(*name);
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
  auto fail = [&](const std::string& message) {
    resolver->Reject(context, v8::Exception::Error(V8String(isolate, message))).Check();
    return scope.Escape(resolver->GetPromise());
  };
  auto name = self->ResolveName(ToUtf8(isolate, specifier), referrer);
  if (!name.ok()) return fail(std::string(name.status().message()));
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Module> module;
  if (!self->FetchForImport(*name).ToLocal(&module)) {
    v8::Local<v8::Value> exception = try_catch.Exception();
    try_catch.Reset();
    resolver->Reject(context, exception).Check();
    return scope.Escape(resolver->GetPromise());
  }
  auto evaluated = self->InstantiateAndEvaluate(module);
  if (!evaluated.ok()) return fail(std::string(evaluated.status().message()));
  // Resolve with the namespace once evaluation (which may await) has finished.
  v8::Local<v8::Promise> evaluation = *evaluated;
  v8::Local<v8::Value> namespace_object = module->GetModuleNamespace();
  if (evaluation->State() == v8::Promise::kFulfilled) {
    resolver->Resolve(context, namespace_object).Check();
  } else if (evaluation->State() == v8::Promise::kRejected) {
    resolver->Reject(context, evaluation->Result()).Check();
  } else {
    v8::Local<v8::Array> pair = v8::Array::New(isolate, 2);
    pair->Set(context, 0, resolver).Check();
    pair->Set(context, 1, namespace_object).Check();
    auto on_done = [](const v8::FunctionCallbackInfo<v8::Value>& info) {
      v8::Local<v8::Context> ctx = info.GetIsolate()->GetCurrentContext();
      v8::Local<v8::Array> data = info.Data().As<v8::Array>();
      data->Get(ctx, 0).ToLocalChecked().As<v8::Promise::Resolver>()
          ->Resolve(ctx, data->Get(ctx, 1).ToLocalChecked()).Check();
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
