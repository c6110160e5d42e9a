// XXH3-128 with AVX2, compiled on its own with -mavx2 (format/BUILD.gn): Debian's libxxhash is
// built for the x86-64 baseline (SSE2) and does not ship xxHash's runtime dispatcher.
// content_hash.cc calls this only on a CPU that has AVX2; the digest is the same either way
// (XXH3 gives one result whatever the vector unit).
#include "format/xxh3_avx2.h"

#define XXH_INLINE_ALL
#define XXH_VECTOR XXH_AVX2
#include <xxhash.h>

namespace v8snap::internal {

Xxh3Digest Xxh3_128Avx2(const void* data, size_t size) {
  XXH128_hash_t hash = XXH3_128bits(data, size);
  return {hash.high64, hash.low64};
}

}  // namespace v8snap::internal
