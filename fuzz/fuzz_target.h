// One way to write a fuzz target that serves both libFuzzer (`make fuzz`) and the corpus replay
// that `make test` runs:
//
//   V8SNAP_FUZZ_TARGET(manifest) { LoadManifestFromText(..., AsString(data, size), ...); }
//
// defines FuzzTarget_manifest(data, size), registers it under "manifest" for the replay test,
// and, in a libFuzzer build (V8SNAP_LIBFUZZER), also LLVMFuzzerTestOneInput.
#ifndef V8SNAP_FUZZ_FUZZ_TARGET_H_
#define V8SNAP_FUZZ_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace v8snap::fuzz {

using FuzzFunction = void (*)(const uint8_t* data, size_t size);

// name → target, for the replay test (fuzz/corpus/<name>/ and fuzz/regressions/<name>/).
std::map<std::string, FuzzFunction>& FuzzTargets();

struct FuzzTargetRegistrar {
  FuzzTargetRegistrar(const char* name, FuzzFunction f) { FuzzTargets()[name] = f; }
};

inline std::string AsString(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace v8snap::fuzz

#ifdef V8SNAP_LIBFUZZER
#define V8SNAP_LIBFUZZER_ENTRY(name)                                           \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    FuzzTarget_##name(data, size);                                             \
    return 0;                                                                  \
  }
#else
#define V8SNAP_LIBFUZZER_ENTRY(name)
#endif

#define V8SNAP_FUZZ_TARGET(name)                                                      \
  static void FuzzTarget_##name(const uint8_t* data, size_t size);                    \
  static ::v8snap::fuzz::FuzzTargetRegistrar fuzz_registrar_##name(#name,             \
                                                                   FuzzTarget_##name); \
  V8SNAP_LIBFUZZER_ENTRY(name)                                                        \
  static void FuzzTarget_##name(const uint8_t* data, size_t size)

#endif  // V8SNAP_FUZZ_FUZZ_TARGET_H_
