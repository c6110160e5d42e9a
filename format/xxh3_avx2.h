// The AVX2 build of XXH3-128 behind Xxh3Digest128 (content_hash.h); call that instead.
#ifndef V8SNAP_FORMAT_XXH3_AVX2_H_
#define V8SNAP_FORMAT_XXH3_AVX2_H_

#include <cstddef>
#include <cstdint>

namespace v8snap {

struct Xxh3Digest {
  uint64_t high = 0;
  uint64_t low = 0;
};

namespace internal {
// Only on a CPU with AVX2 (the caller checks).
Xxh3Digest Xxh3_128Avx2(const void* data, size_t size);
}  // namespace internal

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_XXH3_AVX2_H_
