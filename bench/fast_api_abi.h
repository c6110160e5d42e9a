// The part of V8 10.2's Fast API call ABI (v8-fast-api-calls.h) that op_call_bench.cc needs to
// try a fast op. Debian's libnode-dev ships V8's headers without v8-fast-api-calls.h, though
// libnode exports the API (CFunctionInfo's and CFunction's constructors, FunctionTemplate::New
// with a CFunction). These declarations follow 10.2's layout: CTypeInfo is three bytes (type,
// sequence type, flags); Type counts kVoid, kBool, kInt32, kUint32, kInt64, kUint64, kFloat32,
// kFloat64, kV8Value (8: what libnode's own CTypeInfoBuilder<Local<Value>> stores). A benchmark
// prototype only: shipping fast ops needs the real header of the exact V8 version.
#ifndef V8SNAP_BENCH_FAST_API_ABI_H_
#define V8SNAP_BENCH_FAST_API_ABI_H_

#include <cstdint>

#include "v8config.h"

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

#endif  // V8SNAP_BENCH_FAST_API_ABI_H_
