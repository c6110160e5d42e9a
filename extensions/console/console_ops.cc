// The `console` extension's ops: writing lines, what inspect() cannot see from JS (proxies,
// promise states, iterator contents, exact value kinds), and the clock behind console.time().
#include <time.h>

#include <string>

#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "runtime/process_output.h"
#include "v8-container.h"
#include "v8-object.h"
#include "v8-promise.h"
#include "v8-proxy.h"

namespace v8snap {
namespace {

// op_console_write(text, toStderr): writes one line (a newline is appended). When stdout's
// reader has gone (`| head -1`), the script is stopped: the run ends quietly (process_output.h).
void OpConsoleWrite(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string line = OpArgString(info, 0);
  line.push_back('\n');
  bool to_stderr = info[1]->BooleanValue(info.GetIsolate());
  if (!WriteOutput(to_stderr ? OutputStream::kStderr : OutputStream::kStdout, line)) {
    info.GetIsolate()->TerminateExecution();
  }
}

// The kind of an object as V8 knows it, named like Node's util.types predicates. Checked in
// this order; a proxy is reported as one and never looked through (no trap runs).
const char* KindOf(v8::Local<v8::Value> value) {
  if (value->IsProxy()) return "proxy";
  if (value->IsFunction()) {
    bool is_async = value->IsAsyncFunction();
    bool is_generator = value->IsGeneratorFunction();
    if (is_async && is_generator) return "asyncGeneratorFunction";
    if (is_async) return "asyncFunction";
    if (is_generator) return "generatorFunction";
    return "function";
  }
  if (value->IsArray()) return "array";
  if (value->IsTypedArray()) return "typedArray";
  if (value->IsArrayBuffer()) return "arrayBuffer";
  if (value->IsSharedArrayBuffer()) return "sharedArrayBuffer";
  if (value->IsDataView()) return "dataView";
  if (value->IsMap()) return "map";
  if (value->IsSet()) return "set";
  if (value->IsMapIterator()) return "mapIterator";
  if (value->IsSetIterator()) return "setIterator";
  if (value->IsWeakMap()) return "weakMap";
  if (value->IsWeakSet()) return "weakSet";
  if (value->IsPromise()) return "promise";
  if (value->IsDate()) return "date";
  if (value->IsRegExp()) return "regExp";
  if (value->IsNativeError()) return "nativeError";
  if (value->IsArgumentsObject()) return "arguments";
  if (value->IsNumberObject()) return "numberObject";
  if (value->IsStringObject()) return "stringObject";
  if (value->IsBooleanObject()) return "booleanObject";
  if (value->IsBigIntObject()) return "bigIntObject";
  if (value->IsSymbolObject()) return "symbolObject";
  if (value->IsModuleNamespaceObject()) return "moduleNamespace";
  return "object";
}

// op_console_internals(object, withEntries) -> [kind, constructorName, a, b]:
//   proxy:                      a = target, b = handler (both null once revoked)
//   promise:                    a = 0 pending / 1 fulfilled / 2 rejected, b = result
//   mapIterator, setIterator:   a = remaining entries, b = whether they are [key, value] pairs
//   weakMap, weakSet:           the same, only when withEntries (they are costly to collect)
// constructorName is V8's own guess (used for objects without a prototype chain constructor).
void OpConsoleInternals(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (!info[0]->IsObject()) {
    ThrowTypeError(isolate, "op_console_internals: expected an object");
    return;
  }
  v8::Local<v8::Object> object = info[0].As<v8::Object>();
  const char* kind = KindOf(object);
  v8::Local<v8::Value> a = v8::Undefined(isolate);
  v8::Local<v8::Value> b = v8::Undefined(isolate);
  v8::Local<v8::Value> constructor_name = v8::Undefined(isolate);
  if (object->IsProxy()) {
    v8::Local<v8::Proxy> proxy = object.As<v8::Proxy>();
    a = proxy->GetTarget();
    b = proxy->GetHandler();
  } else {
    constructor_name = object->GetConstructorName();
    if (object->IsPromise()) {
      v8::Local<v8::Promise> promise = object.As<v8::Promise>();
      a = v8::Integer::New(isolate, static_cast<int>(promise->State()));
      if (promise->State() != v8::Promise::kPending) b = promise->Result();
    } else if (object->IsMapIterator() || object->IsSetIterator() ||
               ((object->IsWeakMap() || object->IsWeakSet()) && info[1]->IsTrue())) {
      bool is_key_value = false;
      v8::Local<v8::Array> entries;
      if (!object->PreviewEntries(&is_key_value).ToLocal(&entries)) return;
      a = entries;
      b = v8::Boolean::New(isolate, is_key_value);
    }
  }
  v8::Local<v8::Value> result[] = {OpString(isolate, kind), constructor_name, a, b};
  info.GetReturnValue().Set(v8::Array::New(isolate, result, 4));
}

// op_console_now(): a monotonic clock in milliseconds (arbitrary origin), for console.time().
void OpConsoleNow(const v8::FunctionCallbackInfo<v8::Value>& info) {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  info.GetReturnValue().Set(static_cast<double>(ts.tv_sec) * 1e3 +
                            static_cast<double>(ts.tv_nsec) / 1e6);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(console, {
    {"op_console_write", v8snap::OpConsoleWrite, 2, v8snap::OpMode::kSync},
    {"op_console_internals", v8snap::OpConsoleInternals, 2, v8snap::OpMode::kSync},
    {"op_console_now", v8snap::OpConsoleNow, 0, v8snap::OpMode::kSync},
});
