// Reads the API surface (module exports, globals the extensions added) out of the builder's
// context, without running any JS.
#include "snapshot_builder/api_surface.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "v8-container.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-local-handle.h"
#include "v8-object.h"
#include "v8-primitive.h"
#include "v8-script.h"

namespace v8snap {
namespace {

std::string Utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

// The vocabulary of format/sidecar.proto ApiSurface. A class is a function whose source text
// is a class declaration or expression: V8 10.2 has no public IsClassConstructor, and
// Function.prototype.toString is the behaviour JS itself observes.
const char* KindOfValue(v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  if (value->IsUndefined()) return "undefined";
  if (value->IsNull()) return "null";
  if (value->IsFunction()) {
    v8::Local<v8::String> text;
    if (value.As<v8::Function>()->FunctionProtoToString(context).ToLocal(&text)) {
      v8::Isolate* isolate = context->GetIsolate();
      std::string head = Utf8(isolate, text).substr(0, 6);
      if (head == "class " || head == "class{") return "class";
    }
    return "function";
  }
  if (value->IsArray()) return "array";
  if (value->IsString()) return "string";
  if (value->IsNumber()) return "number";
  if (value->IsBoolean()) return "boolean";
  if (value->IsBigInt()) return "bigint";
  if (value->IsSymbol()) return "symbol";
  return "object";
}

// The kind of an own property, read from its descriptor so that no getter runs: "accessor" for
// a getter/setter pair, "uninitialized" when reading throws (a module binding in its temporal
// dead zone).
std::string KindOfOwnProperty(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                              v8::Local<v8::Name> key) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> descriptor;
  if (!object->GetOwnPropertyDescriptor(context, key).ToLocal(&descriptor) ||
      !descriptor->IsObject()) {
    return "uninitialized";
  }
  v8::Local<v8::Object> fields = descriptor.As<v8::Object>();
  v8::Local<v8::String> get_key = v8::String::NewFromUtf8Literal(isolate, "get");
  v8::Local<v8::String> value_key = v8::String::NewFromUtf8Literal(isolate, "value");
  if (fields->HasOwnProperty(context, get_key).FromMaybe(false)) return "accessor";
  v8::Local<v8::Value> value;
  if (!fields->Get(context, value_key).ToLocal(&value)) return "uninitialized";
  return KindOfValue(context, value);
}

absl::StatusOr<std::vector<std::string>> OwnNames(v8::Local<v8::Context> context,
                                                  v8::Local<v8::Object> object,
                                                  const std::string& what) {
  v8::Local<v8::Array> names;
  if (!object
           ->GetOwnPropertyNames(context, v8::SKIP_SYMBOLS, v8::KeyConversionMode::kConvertToString)
           .ToLocal(&names)) {
    return absl::InternalError(
        absl::StrCat("recording the API surface: V8 could not list the own properties of ", what,
                     " (an exception while listing them); the snapshot was not written"));
  }
  std::vector<std::string> out;
  out.reserve(names->Length());
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name;
    if (names->Get(context, i).ToLocal(&name)) out.push_back(Utf8(context->GetIsolate(), name));
  }
  // Insertion order depends on the order the extensions ran in; sorted, a reorder is no change.
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status AddNames(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                      const std::string& what, const absl::flat_hash_set<std::string>& skip,
                      google::protobuf::RepeatedPtrField<ApiName>* out) {
  absl::StatusOr<std::vector<std::string>> names = OwnNames(context, object, what);
  if (!names.ok()) return names.status();
  v8::Isolate* isolate = context->GetIsolate();
  for (const std::string& name : *names) {
    if (skip.contains(name)) continue;
    v8::HandleScope scope(isolate);
    v8::Local<v8::String> key =
        v8::String::NewFromUtf8(isolate, name.data(), v8::NewStringType::kNormal,
                                static_cast<int>(name.size()))
            .ToLocalChecked();
    ApiName* record = out->Add();
    record->set_name(name);
    record->set_kind(KindOfOwnProperty(context, object, key));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RecordApiSurface(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              const ModuleMap& modules, const std::vector<ModuleRecord>& records,
                              Sidecar& sidecar) {
  v8::HandleScope scope(isolate);
  ApiSurface* surface = sidecar.mutable_api_surface();
  for (const ModuleRecord& record : records) {
    v8::Local<v8::Module> module = modules.Find(record.specifier());
    // Lazy modules nobody imported are only source text: their exports are unknown until run.
    if (module.IsEmpty() || module->GetStatus() != v8::Module::kEvaluated) continue;
    ModuleExports* exports = surface->add_modules();
    exports->set_specifier(record.specifier());
    exports->set_extension(record.extension());
    v8::Local<v8::Value> namespace_object = module->GetModuleNamespace();
    if (!namespace_object->IsObject()) continue;
    absl::Status added = AddNames(context, namespace_object.As<v8::Object>(),
                                  absl::StrCat("module ", record.specifier(), "'s namespace"), {},
                                  exports->mutable_exports());
    if (!added.ok()) return added;
  }

  // What V8 itself puts on a global object: a fresh context of this isolate has exactly that,
  // whatever V8 version built the snapshot. It is garbage once this scope ends.
  v8::Local<v8::Context> fresh = v8::Context::New(isolate);
  absl::StatusOr<std::vector<std::string>> builtins =
      OwnNames(fresh, fresh->Global(), "a fresh context's global object");
  if (!builtins.ok()) return builtins.status();
  absl::flat_hash_set<std::string> skip(builtins->begin(), builtins->end());
  return AddNames(context, context->Global(), "the global object", skip,
                  surface->mutable_globals());
}

}  // namespace v8snap
