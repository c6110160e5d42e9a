// Context bootstrap: op surface first, then extension sources in order.
#include "runtime/bootstrap.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "v8-function.h"
#include "v8-microtask-queue.h"
#include "v8-primitive.h"
#include "v8-script.h"
#include "v8-template.h"

namespace v8snap {
namespace {

v8::Local<v8::String> V8String(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kInternalized,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Gets or creates globalThis[name] as a plain object.
v8::MaybeLocal<v8::Object> EnsureObject(v8::Local<v8::Context> context,
                                        v8::Local<v8::Object> holder, const char* name) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::String> key = V8String(isolate, name);
  v8::Local<v8::Value> existing;
  if (!holder->Get(context, key).ToLocal(&existing)) return {};
  if (existing->IsObject()) return existing.As<v8::Object>();
  v8::Local<v8::Object> created = v8::Object::New(isolate);
  if (holder->Set(context, key, created).IsNothing()) return {};
  return created;
}

absl::Status RunClassicScript(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              const std::string& name, const std::string& source,
                              const ScriptNameMapper& mapper) {
  v8::HandleScope scope(isolate);
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin(isolate, V8String(isolate, name));
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::Script::Compile(context, V8String(isolate, source), &origin).ToLocal(&script) ||
      !script->Run(context).ToLocal(&result)) {
    return absl::InvalidArgumentError(FormatTryCatch(isolate, context, try_catch, mapper));
  }
  return absl::OkStatus();
}

}  // namespace

std::string SourceSpecifier(const std::string& extension, const LoadedSource& source) {
  if (!source.specifier.empty()) return source.specifier;
  return absl::StrCat("ext:", extension, "/", FileName(source.path));
}

ScriptNameMapper SourcePathMapper(const std::vector<LoadedExtension>& extensions) {
  std::map<std::string, std::string> paths;
  for (const LoadedExtension& extension : extensions) {
    for (const LoadedSource& source : extension.sources) {
      paths[SourceSpecifier(extension.name, source)] = source.resolved_path;
    }
  }
  return [paths = std::move(paths)](const std::string& name) {
    auto it = paths.find(name);
    return it == paths.end() ? ModuleMap::DisplayName(name) : it->second;
  };
}

absl::Status InstallOps(v8::Isolate* isolate, v8::Local<v8::Context> context,
                        const RuntimeLayout& layout) {
  v8::HandleScope scope(isolate);
  // V8 leaves Error.stackTraceLimit unset in a context made for a snapshot, so errors thrown
  // while building, and every error of a runtime loaded from the snapshot, would have no stack.
  v8::Local<v8::Value> error_constructor;
  if (!context->Global()->Get(context, V8String(isolate, "Error")).ToLocal(&error_constructor) ||
      !error_constructor->IsObject() ||
      error_constructor.As<v8::Object>()
          ->Set(context, V8String(isolate, "stackTraceLimit"), v8::Integer::New(isolate, 10))
          .IsNothing()) {
    return absl::InternalError("could not set Error.stackTraceLimit");
  }
  v8::Local<v8::Object> v8snap_object, core, ops;
  if (!EnsureObject(context, context->Global(), "v8snap").ToLocal(&v8snap_object) ||
      !EnsureObject(context, v8snap_object, "core").ToLocal(&core) ||
      !EnsureObject(context, core, "ops").ToLocal(&ops)) {
    return absl::InternalError("could not create globalThis.v8snap.core.ops");
  }
  for (size_t id = 0; id < layout.ops.size(); ++id) {
    const OpDecl& op = *layout.ops[id];
    // The op id rides along as the function's data: the runtime uses it to name a disabled op.
    v8::Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(
        isolate, op.callback, v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(id)),
        v8::Local<v8::Signature>(), op.arity, v8::ConstructorBehavior::kThrow);
    v8::Local<v8::Function> function;
    if (!tmpl->GetFunction(context).ToLocal(&function)) {
      return absl::InternalError(absl::StrCat("could not create op function ", op.name));
    }
    function->SetName(V8String(isolate, op.name));
    if (ops->Set(context, V8String(isolate, op.name), function).IsNothing()) {
      return absl::InternalError(absl::StrCat("could not install op ", op.name));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ModuleRecord>> BootstrapContext(
    v8::Isolate* isolate, v8::Local<v8::Context> context, const RuntimeLayout& layout,
    const std::vector<LoadedExtension>& extensions, ModuleMap& modules,
    BootstrapObserver* observer) {
  v8::HandleScope scope(isolate);
  if (absl::Status s = InstallOps(isolate, context, layout); !s.ok()) return s;
  ScriptNameMapper mapper = SourcePathMapper(extensions);
  modules.SetNameMapper(mapper);
  std::vector<ModuleRecord> records;

  for (const LoadedExtension& extension : extensions) {
    // Classic scripts run first, in order; then the extension's modules are all compiled (they
    // may import each other in any order) and evaluated in manifest order.
    std::vector<std::pair<std::string, v8::Local<v8::Module>>> compiled;
    for (const LoadedSource& source : extension.sources) {
      std::string name = SourceSpecifier(extension.name, source);
      switch (source.kind) {
        case SourceRecord::CLASSIC:
          if (absl::Status s = RunClassicScript(isolate, context, name, source.contents, mapper);
              !s.ok()) {
            return s;
          }
          break;
        case SourceRecord::ESM: {
          auto module = modules.Compile(name, source.contents);
          if (!module.ok()) return module.status();
          compiled.emplace_back(name, *module);
          break;
        }
        case SourceRecord::LAZY_ESM:
          // Compiled (never evaluated) now so that a syntax error fails the build with its
          // file:line:col instead of waiting for the first import; kept as source.
          if (absl::Status s = modules.CheckSyntax(name, source.contents); !s.ok()) return s;
          modules.AddLazySource(name, source.contents);
          break;
        default:
          return absl::InternalError(absl::StrCat("unknown source kind in ", source.path));
      }
      if (source.kind != SourceRecord::CLASSIC) {
        ModuleRecord record;
        record.set_specifier(name);
        record.set_extension(extension.name);
        record.set_lazy(source.kind == SourceRecord::LAZY_ESM);
        record.set_data_index(-1);
        records.push_back(std::move(record));
      }
    }
    for (const auto& [name, module] : compiled) {
      auto evaluation = modules.InstantiateAndEvaluate(module);
      if (!evaluation.ok()) return evaluation.status();
      // Extension modules must finish while the snapshot is built: run their microtasks now.
      isolate->PerformMicrotaskCheckpoint();
      v8::Local<v8::Promise> promise = *evaluation;
      if (promise->State() == v8::Promise::kRejected) {
        return absl::InvalidArgumentError(FormatJsException(
            isolate, context, promise->Result(),
            v8::Exception::CreateMessage(isolate, promise->Result()), mapper));
      }
      if (promise->State() == v8::Promise::kPending) {
        return absl::InvalidArgumentError(absl::StrCat(
            mapper(name), ": extension module did not finish evaluating (top-level await on "
            "something that never settles while building); extension modules must evaluate "
            "without waiting on timers or I/O"));
      }
    }
    if (observer != nullptr) observer->ExtensionDone(extension);
  }
  return records;
}

}  // namespace v8snap
