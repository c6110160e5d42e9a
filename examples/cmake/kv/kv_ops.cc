// The example's own extension, `kv`: a key-value store per runtime. op_kv_set and op_kv_get are
// sync; op_kv_get_later reads on libuv's thread pool and settles a promise.
#include <map>
#include <string>

#include "runtime/async_ops.h"
#include "runtime/event_loop.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"

namespace kv {
namespace {

using v8snap::OpError;
using v8snap::OpResult;

// Per runtime, not global: two runtimes in one process must not see each other's keys.
struct Store {
  std::map<std::string, std::string> values;
};

Store& StoreOf(v8::Isolate* isolate) { return v8snap::RuntimeState::From(isolate)->Get<Store>(); }

OpResult<std::string> Lookup(const std::map<std::string, std::string>& values,
                             const std::string& key) {
  auto it = values.find(key);
  if (it == values.end()) return OpError::Named("NotFound", "kv: no key '" + key + "'");
  return it->second;
}

v8::Local<v8::Value> StringToJs(v8::Isolate* isolate, std::string text) {
  return v8snap::OpString(isolate, text);
}

// op_kv_set(key, value): stores value under key.
void OpKvSet(const v8::FunctionCallbackInfo<v8::Value>& info) {
  StoreOf(info.GetIsolate()).values[v8snap::OpArgString(info, 0)] = v8snap::OpArgString(info, 1);
}

// op_kv_get(key) -> the value; throws NotFound for a key never set.
void OpKvGet(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8snap::ReturnSync(info, Lookup(StoreOf(info.GetIsolate()).values, v8snap::OpArgString(info, 0)),
                     StringToJs);
}

// op_kv_get_later(key) -> Promise<value>: the lookup runs on a worker thread, on a copy of the
// store taken now, on the JS thread (a worker must not touch runtime state).
void OpKvGetLater(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string key = v8snap::OpArgString(info, 0);
  std::map<std::string, std::string> values = StoreOf(info.GetIsolate()).values;
  v8snap::ReturnAsync(
      info, [key, values = std::move(values)] { return Lookup(values, key); }, StringToJs);
}

}  // namespace
}  // namespace kv

V8SNAP_REGISTER_EXTENSION(kv, {
                                  {"op_kv_set", kv::OpKvSet, 2, v8snap::OpMode::kSync},
                                  {"op_kv_get", kv::OpKvGet, 1, v8snap::OpMode::kSync},
                                  {"op_kv_get_later", kv::OpKvGetLater, 1, v8snap::OpMode::kAsync},
                              });
