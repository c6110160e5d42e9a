// Fast API ops: an op may have, beside its v8::FunctionCallback, a plain C++ function that V8's
// optimizing compilers call directly (V8's Fast API, deno_core's `#[op2(fast)]`). V8 13.6 ships
// the Fast API header (v8-fast-api-calls.h); V8 10.2 as Debian packages it does not, so there an
// op's fast function is left out and the callback serves every call.
//
// Usage (in an extension's ops file):
//   double FastNow(v8::Local<v8::Value> receiver) { return ...; }   // same result as the slow one
//   V8SNAP_REGISTER_EXTENSION(foo, {
//       {"op_now", OpNow, 0, v8snap::OpMode::kSync, v8snap::compat::MakeFastCall(&FastNow)},
//   });
// A fast function takes the receiver first, then the op's arguments as C types (bool, int32_t,
// uint32_t, int64_t, uint64_t, float, double, v8::Local<v8::Value>), optionally a trailing
// v8::FastApiCallbackOptions& (13.6), and returns one of them or void. It must give exactly the
// slow callback's result for every argument it accepts: V8 picks either path as it likes. An
// int32_t parameter receives only Numbers, converted as JS's ToInt32 (`x | 0`) converts them,
// so the callback should read a Number argument with Int32Value and treat other types on its
// own (tests/fast_ops checks the two agree on edge values); a v8::Local<v8::Value> parameter
// accepts anything, at about three times the cost of the call.
#ifndef V8SNAP_COMPAT_FAST_CALL_H_
#define V8SNAP_COMPAT_FAST_CALL_H_

#include "v8-function-callback.h"
#include "v8-local-handle.h"
#include "v8-template.h"
#include "v8-version.h"

#if V8_MAJOR_VERSION >= 13
#include "v8-fast-api-calls.h"
#endif

namespace v8snap::compat {

// Whether the linked V8 calls ops through the Fast API.
inline constexpr bool kHasFastApi = V8_MAJOR_VERSION >= 13;

// An op's fast function and its type description (a v8::CFunction, kept as two addresses so
// that code built against a V8 without the Fast API header can carry one). Both addresses go
// into the external-reference table (kinds OP_FAST_CALL and OP_FAST_CALL_INFO): the snapshot's
// function templates point at them.
struct FastCall {
  const void* address = nullptr;
  const void* info = nullptr;
  explicit operator bool() const { return address != nullptr; }
};

// The FastCall of `function`; empty where the V8 has no Fast API (the callback then serves).
template <typename Function>
FastCall MakeFastCall(Function* function) {
#if V8_MAJOR_VERSION >= 13
  v8::CFunction c_function = v8::CFunction::Make(function);
  return FastCall{c_function.GetAddress(), c_function.GetTypeInfo()};
#else
  (void)function;
  return FastCall{};
#endif
}

// A function template for an op: `callback` always; with a FastCall, also the fast function.
inline v8::Local<v8::FunctionTemplate> NewOpTemplate(v8::Isolate* isolate,
                                                     v8::FunctionCallback callback,
                                                     v8::Local<v8::Value> data, int length,
                                                     const FastCall& fast) {
#if V8_MAJOR_VERSION >= 13
  // Only with a fast function: v8::CFunction's constructor aborts on a null address.
  if (fast) {
    v8::CFunction c_function(fast.address, static_cast<const v8::CFunctionInfo*>(fast.info));
    return v8::FunctionTemplate::New(isolate, callback, data, v8::Local<v8::Signature>(), length,
                                     v8::ConstructorBehavior::kThrow,
                                     v8::SideEffectType::kHasSideEffect, &c_function);
  }
#else
  (void)fast;
#endif
  return v8::FunctionTemplate::New(isolate, callback, data, v8::Local<v8::Signature>(), length,
                                   v8::ConstructorBehavior::kThrow);
}

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_FAST_CALL_H_
