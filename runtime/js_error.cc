// Exception formatting: location from the v8::Message, text and stack from the error itself.
#include "runtime/js_error.h"

#include "absl/strings/str_cat.h"
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

// Frames name scripts by resource name ("(ext:console/console.js:12:3)"); show the same mapped
// names as the location line does.
std::string MapFrameNames(const ScriptNameMapper& mapper, std::string frames) {
  for (const std::string scheme : {"ext:", "file://"}) {
    size_t pos = 0;
    while ((pos = frames.find(scheme, pos)) != std::string::npos) {
      size_t end = frames.find(':', pos + scheme.size());
      if (end == std::string::npos) break;
      std::string name = frames.substr(pos, end - pos);
      std::string shown = mapper(name);
      frames.replace(pos, name.size(), shown);
      pos += shown.size();
    }
  }
  return frames;
}

}  // namespace

std::string FormatJsException(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                              const ScriptNameMapper& mapper) {
  v8::HandleScope scope(isolate);
  v8::TryCatch nested(isolate);  // Getters on a thrown object may throw again; ignore that.
  std::string location;
  if (!message.IsEmpty()) {
    std::string file = Mapped(mapper, ToUtf8(isolate, message->GetScriptResourceName()));
    int line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(-1) + 1;
    location = absl::StrCat(file, ":", line, ":", column, ": ");
  }
  std::string text = ToUtf8(isolate, exception);
  std::string stack;
  if (!exception.IsEmpty() && exception->IsObject()) {
    v8::Local<v8::Value> stack_value;
    if (exception.As<v8::Object>()
            ->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack"))
            .ToLocal(&stack_value) &&
        stack_value->IsString()) {
      stack = ToUtf8(isolate, stack_value);
    }
  }
  std::string result = absl::StrCat(location, "Uncaught ", text);
  // The stack starts with "Name: message"; keep only its frames, since the text is printed.
  if (!stack.empty()) {
    size_t frames = stack.find("\n    at ");
    if (frames != std::string::npos) {
      std::string frame_text = stack.substr(frames);
      if (mapper) frame_text = MapFrameNames(mapper, frame_text);
      absl::StrAppend(&result, frame_text);
    }
  }
  return result;
}

std::string FormatTryCatch(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           const v8::TryCatch& try_catch, const ScriptNameMapper& mapper) {
  if (!try_catch.HasCaught()) return "unknown error (no exception was caught)";
  if (try_catch.HasTerminated()) return "execution was terminated";
  return FormatJsException(isolate, context, try_catch.Exception(), try_catch.Message(), mapper);
}

}  // namespace v8snap
