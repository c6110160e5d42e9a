// Small helpers for reading op arguments and throwing from ops: the one place native errors
// become JS exceptions (TypeError for bad arguments, Error otherwise).
#ifndef V8SNAP_RUNTIME_OP_ARGS_H_
#define V8SNAP_RUNTIME_OP_ARGS_H_

#include <string>

#include "v8-exception.h"
#include "v8-function-callback.h"
#include "v8-isolate.h"
#include "v8-primitive.h"

namespace v8snap {

// Argument `index` converted to a UTF-8 string with JS's String() rules ("" if it throws).
inline std::string OpArgString(const v8::FunctionCallbackInfo<v8::Value>& info, int index) {
  v8::String::Utf8Value utf8(info.GetIsolate(), info[index]);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

inline v8::Local<v8::String> OpString(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

inline void ThrowTypeError(v8::Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::TypeError(OpString(isolate, message)));
}

inline void ThrowError(v8::Isolate* isolate, const std::string& message) {
  isolate->ThrowException(v8::Exception::Error(OpString(isolate, message)));
}

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_OP_ARGS_H_
