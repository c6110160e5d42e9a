// The benchmark's fast-API op, on both V8s: on 13.6 the real Fast API; on 10.2 the part of its
// Fast API call ABI (v8-fast-api-calls.h) that op_call_bench.cc needs to
// try a fast op. Debian's libnode-dev ships V8's headers without v8-fast-api-calls.h, though
// libnode exports the API (CFunctionInfo's and CFunction's constructors, FunctionTemplate::New
// with a CFunction). These declarations follow 10.2's layout: CTypeInfo is three bytes (type,
// sequence type, flags); Type counts kVoid, kBool, kInt32, kUint32, kInt64, kUint64, kFloat32,
// kFloat64, kV8Value (8: what libnode's own CTypeInfoBuilder<Local<Value>> stores). A benchmark
// prototype only: shipping fast ops needs the real header of the exact V8 version.
#ifndef V8SNAP_BENCH_FAST_API_ABI_H_
#define V8SNAP_BENCH_FAST_API_ABI_H_

#include <cstdint>

#include "compat/fast_call.h"
#include "v8-template.h"
#include "v8-version.h"
#include "v8config.h"

#if V8_MAJOR_VERSION < 13
namespace v8 {

class CTypeInfo {
 public:
  enum class Type : uint8_t {
    kVoid,
    kBool,
    kInt32,
    kUint32,
    kInt64,
    kUint64,
    kFloat32,
    kFloat64,
    kV8Value,
  };
  enum class SequenceType : uint8_t { kScalar };
  enum class Flags : uint8_t { kNone = 0 };
  explicit constexpr CTypeInfo(Type type)
      : type_(type), sequence_type_(SequenceType::kScalar), flags_(Flags::kNone) {}

 private:
  Type type_;
  SequenceType sequence_type_;
  Flags flags_;
};

class V8_EXPORT CFunctionInfo {
 public:
  CFunctionInfo(const CTypeInfo& return_info, unsigned int arg_count, const CTypeInfo* arg_info);

 private:
  const CTypeInfo return_info_;
  const unsigned int arg_count_;
  const CTypeInfo* arg_info_;
};

class V8_EXPORT CFunction {
 public:
  CFunction(const void* address, const CFunctionInfo* type_info);

 private:
  const void* address_;
  const CFunctionInfo* type_info_;
};

}  // namespace v8
#endif  // V8_MAJOR_VERSION < 13

namespace v8snap::bench {

// Whether V8 emits fast API calls without --turbo-fast-api-calls (13.6 does, 10.2 does not).
inline constexpr bool kFastApiCallsByDefault = compat::kHasFastApi;

// A function template calling `slow`, with `fast` as its Fast API function: on V8 13.6 through
// the real header (compat/fast_call.h, as ops are bound), on 10.2 through the declarations
// above (V8 10.2 emits the call only with --turbo-fast-api-calls).
inline v8::Local<v8::FunctionTemplate> NewFastTemplate(
    v8::Isolate* isolate, v8::FunctionCallback slow,
    int32_t (*fast)(v8::Local<v8::Object> receiver, int32_t value)) {
#if V8_MAJOR_VERSION >= 13
  return compat::NewOpTemplate(isolate, slow, v8::Local<v8::Value>(), 1,
                               compat::MakeFastCall(fast));
#else
  static const v8::CTypeInfo kArgs[] = {v8::CTypeInfo(v8::CTypeInfo::Type::kV8Value),
                                        v8::CTypeInfo(v8::CTypeInfo::Type::kInt32)};
  static const v8::CFunctionInfo* kInfo =
      new v8::CFunctionInfo(v8::CTypeInfo(v8::CTypeInfo::Type::kInt32), 2, kArgs);
  const v8::CFunction c_function(reinterpret_cast<const void*>(fast), kInfo);
  return v8::FunctionTemplate::New(isolate, slow, v8::Local<v8::Value>(),
                                   v8::Local<v8::Signature>(), 1, v8::ConstructorBehavior::kThrow,
                                   v8::SideEffectType::kHasSideEffect, &c_function);
#endif
}

}  // namespace v8snap::bench

#endif  // V8SNAP_BENCH_FAST_API_ABI_H_
