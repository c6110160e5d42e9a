// Exception formatting: location from the v8::Message, text and stack from the error itself (or
// from the installed inspector).
#include "runtime/js_error.h"

#include <atomic>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "v8-container.h"
#include "v8-primitive.h"

namespace v8snap {
namespace {

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value.IsEmpty()) return "";
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? "<unprintable value>" : std::string(*utf8, utf8.length());
}

std::string Mapped(const ScriptNameMapper& mapper, const std::string& name) {
  return mapper ? mapper(name) : name;
}

std::atomic<UncaughtValueInspectorInstaller> g_inspector_installer{nullptr};

// ScopedInternalScripts' predicate; per thread, since each isolate runs on one.
thread_local const std::function<bool(const std::string&)>* t_is_internal = nullptr;

// The place of the first frame of `exception`'s stack that is not in an internal script, as
// "name:line:col" with the raw resource name; empty when there is none (or no stack).
std::string FirstExternalFrame(v8::Isolate* isolate, v8::Local<v8::Context> context,
                               v8::Local<v8::Value> exception, std::string* name) {
  if (!exception->IsObject()) return "";
  v8::Local<v8::Value> stack;
  if (!exception.As<v8::Object>()
           ->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack"))
           .ToLocal(&stack) ||
      !stack->IsString()) {
    return "";
  }
  v8::String::Utf8Value utf8(isolate, stack);
  if (*utf8 == nullptr) return "";
  for (absl::string_view line : absl::StrSplit(absl::string_view(*utf8, utf8.length()), '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&line, "at ")) continue;
    // "at f (place)" or "at place"; the place is "name:line:col".
    if (absl::EndsWith(line, ")") && line.rfind('(') != absl::string_view::npos) {
      line = line.substr(line.rfind('(') + 1);
      line.remove_suffix(1);
    }
    size_t col = line.rfind(':');
    if (col == absl::string_view::npos || col == 0) continue;
    size_t row = line.rfind(':', col - 1);
    if (row == absl::string_view::npos) continue;
    std::string script(line.substr(0, row));
    if ((*t_is_internal)(script)) continue;
    *name = script;
    return std::string(line.substr(row));  // ":line:col"
  }
  return "";
}

v8::Local<v8::Private> InspectorKey(v8::Isolate* isolate) {
  return v8::Private::ForApi(isolate,
                             v8::String::NewFromUtf8Literal(isolate, "v8snap.uncaughtInspector"));
}

// Frames name scripts by resource name ("    at f (ext:console/console.js:12:3)"); show the
// same mapped names as the location line does. Only stack-frame lines are touched: a message
// that happens to contain "file://" is the user's text and stays as written.
std::string MapFrameNames(const ScriptNameMapper& mapper, const std::string& text) {
  if (!mapper) return text;
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  for (std::string& line : lines) {
    if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "at ")) continue;
    for (const std::string scheme : {"ext:", "file://"}) {
      size_t pos = 0;
      while ((pos = line.find(scheme, pos)) != std::string::npos) {
        size_t end = line.find(':', pos + scheme.size());
        if (end == std::string::npos) break;
        std::string name = line.substr(pos, end - pos);
        std::string shown = mapper(name);
        line.replace(pos, name.size(), shown);
        pos += shown.size();
      }
    }
  }
  return absl::StrJoin(lines, "\n");
}

// The installed inspector's view of `value`; empty when there is none or it fails. Strings are
// printed as they are (as Node prints a thrown string), so they never go through it.
std::string Inspected(v8::Isolate* isolate, v8::Local<v8::Context> context,
                      v8::Local<v8::Value> value) {
  if (value.IsEmpty() || value->IsString() || isolate->IsExecutionTerminating()) return "";
  auto find = [&](v8::Local<v8::Value>* inspect) {
    return context->Global()->GetPrivate(context, InspectorKey(isolate)).ToLocal(inspect) &&
           (*inspect)->IsFunction();
  };
  v8::Local<v8::Value> inspect;
  if (!find(&inspect)) {
    UncaughtValueInspectorInstaller installer = g_inspector_installer.load();
    if (installer == nullptr) return "";
    installer(context);
    if (!find(&inspect)) return "";
  }
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> result;
  if (!inspect.As<v8::Function>()
           ->Call(context, v8::Undefined(isolate), 1, &value)
           .ToLocal(&result) ||
      !result->IsString()) {
    return "";
  }
  std::string text = ToUtf8(isolate, result);
  // inspect() shows an error whose stack has no frames (one thrown by native code with no JS
  // on the stack, e.g. a failed import) as "[Error: message]"; after "Uncaught", the brackets
  // only get in the way.
  if (value->IsNativeError()) {
    std::string header = absl::StrCat("[", ToUtf8(isolate, value), "]");
    if (absl::StartsWith(text, header))
      text = text.substr(1, header.size() - 2) + text.substr(header.size());
  }
  return text;
}

// A value shown without the console extension's inspect(), for runtimes and builds that do not
// have it: the shape console.log gives for plain data ({ a: 1, b: [ 1, 2 ] }, 'text', 1n,
// [Function: f], [Object: null prototype] {}), never the value's toString(), which says
// "[object Object]" or throws. Getters are not called (they could throw or change state), as in
// Node; nesting deeper than two levels, and more than 20 entries, are elided the same way.
std::string PlainInspect(v8::Isolate* isolate, v8::Local<v8::Context> context,
                         v8::Local<v8::Value> value, int depth, bool nested) {
  if (value->IsString()) {
    std::string text = ToUtf8(isolate, value);
    return nested ? absl::StrCat("'", text, "'") : text;
  }
  if (value->IsBigInt()) return absl::StrCat(ToUtf8(isolate, value), "n");
  if (value->IsSymbol()) {
    v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(isolate);
    return absl::StrCat("Symbol(", description->IsString() ? ToUtf8(isolate, description) : "",
                        ")");
  }
  if (!value->IsObject()) return ToUtf8(isolate, value);  // numbers, booleans, null, undefined
  v8::Local<v8::Object> object = value.As<v8::Object>();
  if (value->IsFunction()) {
    std::string name = ToUtf8(isolate, value.As<v8::Function>()->GetName());
    return name.empty() ? "[Function (anonymous)]" : absl::StrCat("[Function: ", name, "]");
  }
  if (value->IsNativeError()) {
    v8::Local<v8::Value> stack;
    if (nested &&
        object->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&stack) &&
        stack->IsString()) {
      return absl::StrCat("[", ToUtf8(isolate, value), "]");
    }
    return ToUtf8(isolate, value);
  }
  bool array = value->IsArray();
  std::string prefix;
  v8::Local<v8::Value> prototype = object->GetPrototype();
  if (prototype->IsNull()) {
    prefix = array ? "[Array: null prototype] " : "[Object: null prototype] ";
  } else {
    std::string constructor = ToUtf8(isolate, object->GetConstructorName());
    if (!constructor.empty() && constructor != "Object" && constructor != "Array") {
      prefix = absl::StrCat(constructor, " ");
    }
  }
  const char* open = array ? "[" : "{";
  const char* close = array ? "]" : "}";
  v8::Local<v8::Array> keys;
  if (!object
           ->GetPropertyNames(context, v8::KeyCollectionMode::kOwnOnly,
                              v8::PropertyFilter::ONLY_ENUMERABLE, v8::IndexFilter::kIncludeIndices,
                              v8::KeyConversionMode::kConvertToString)
           .ToLocal(&keys) ||
      keys->Length() == 0) {
    return absl::StrCat(prefix, open, close);
  }
  if (depth > 2) return absl::StrCat("[", array ? "Array" : "Object", "]");
  std::vector<std::string> entries;
  constexpr uint32_t kMaxEntries = 20;
  for (uint32_t i = 0; i < keys->Length() && i < kMaxEntries; ++i) {
    v8::Local<v8::Value> key;
    v8::Local<v8::Value> descriptor;
    if (!keys->Get(context, i).ToLocal(&key) || !key->IsName() ||
        !object->GetOwnPropertyDescriptor(context, key.As<v8::Name>()).ToLocal(&descriptor) ||
        !descriptor->IsObject()) {
      continue;
    }
    auto field = [&](const char* name) {
      v8::Local<v8::Value> v;
      if (!descriptor.As<v8::Object>()
               ->Get(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked())
               .ToLocal(&v)) {
        return v8::Undefined(isolate).As<v8::Value>();
      }
      return v;
    };
    std::string shown;
    bool getter = !field("get")->IsUndefined();
    bool setter = !field("set")->IsUndefined();
    if (getter || setter) {
      shown = getter && setter ? "[Getter/Setter]" : getter ? "[Getter]" : "[Setter]";
    } else {
      shown = PlainInspect(isolate, context, field("value"), depth + 1, true);
    }
    std::string name = ToUtf8(isolate, key);
    if (array && !name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
      entries.push_back(shown);
    } else {
      entries.push_back(absl::StrCat(name, ": ", shown));
    }
  }
  if (keys->Length() > kMaxEntries) {
    entries.push_back(absl::StrCat("... ", keys->Length() - kMaxEntries, " more items"));
  }
  return absl::StrCat(prefix, open, " ", absl::StrJoin(entries, ", "), " ", close);
}

// The built-in formatting: the value's string, then the frames of its `stack`.
std::string Plain(v8::Isolate* isolate, v8::Local<v8::Context> context,
                  v8::Local<v8::Value> exception) {
  std::string text = ToUtf8(isolate, exception);
  if (exception.IsEmpty() || !exception->IsObject()) return text;
  v8::Local<v8::Value> stack_value;
  if (!exception.As<v8::Object>()
           ->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack"))
           .ToLocal(&stack_value) ||
      !stack_value->IsString()) {
    return text;
  }
  // The stack starts with "Name: message"; keep only its frames, since the text is printed.
  std::string stack = ToUtf8(isolate, stack_value);
  size_t frames = stack.find("\n    at ");
  if (frames != std::string::npos) absl::StrAppend(&text, stack.substr(frames));
  return text;
}

}  // namespace

std::string FormatJsException(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                              const ScriptNameMapper& mapper) {
  v8::HandleScope scope(isolate);
  v8::Context::Scope context_scope(context);
  v8::TryCatch nested(isolate);  // Getters on a thrown object may throw again; ignore that.
  std::string location;
  // A message made for an error thrown by native code with no JS on the stack (a failed module
  // resolution, an async op's rejection) names no script; "undefined:0:0" would help nobody.
  if (!message.IsEmpty() && message->GetScriptResourceName()->IsString()) {
    std::string raw = ToUtf8(isolate, message->GetScriptResourceName());
    std::string file = Mapped(mapper, raw);
    int line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(-1) + 1;
    if (!file.empty()) location = absl::StrCat(file, ":", line, ":", column, ": ");
    std::string caller;
    std::string at;
    if (t_is_internal != nullptr && (*t_is_internal)(raw) &&
        !(at = FirstExternalFrame(isolate, context, exception, &caller)).empty()) {
      location = absl::StrCat(Mapped(mapper, caller), at, ": ");
    }
  }
  std::string text = Inspected(isolate, context, exception);
  if (text.empty()) text = Plain(isolate, context, exception);
  return absl::StrCat(location, "Uncaught ", MapFrameNames(mapper, text));
}

std::string FormatTryCatch(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           const v8::TryCatch& try_catch, const ScriptNameMapper& mapper) {
  if (!try_catch.HasCaught()) return "unknown error (no exception was caught)";
  if (try_catch.HasTerminated()) return "execution was terminated";
  return FormatJsException(isolate, context, try_catch.Exception(), try_catch.Message(), mapper);
}

std::string InspectPlainly(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           v8::Local<v8::Value> value) {
  v8::HandleScope scope(isolate);
  v8::TryCatch ignored(isolate);  // a proxy's traps may throw
  return PlainInspect(isolate, context, value, 0, false);
}

ScopedInternalScripts::ScopedInternalScripts(std::function<bool(const std::string&)> is_internal) {
  t_is_internal = new std::function<bool(const std::string&)>(std::move(is_internal));
}

ScopedInternalScripts::~ScopedInternalScripts() {
  delete t_is_internal;
  t_is_internal = nullptr;
}

void SetUncaughtValueInspectorInstaller(UncaughtValueInspectorInstaller installer) {
  g_inspector_installer.store(installer);
}

void SetUncaughtValueInspector(v8::Local<v8::Context> context, v8::Local<v8::Function> inspect) {
  v8::Isolate* isolate = context->GetIsolate();
  context->Global()->SetPrivate(context, InspectorKey(isolate), inspect).Check();
}

}  // namespace v8snap
