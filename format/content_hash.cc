// XXH3-128 through libxxhash (Debian's libxxhash-dev), formatted as hex.
#include "format/content_hash.h"

#include <cstdint>

#include "absl/strings/str_format.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace v8snap {
namespace {

std::string ToHex(XXH128_hash_t h) { return Xxh3Hex(Xxh3Digest{h.high64, h.low64}); }

}  // namespace

Xxh3Digest Xxh3Digest128(absl::string_view bytes) {
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  if (has_avx2) return internal::Xxh3_128Avx2(bytes.data(), bytes.size());
  XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
  return {hash.high64, hash.low64};
}

std::string Xxh3Hex(Xxh3Digest digest) {
  return absl::StrFormat("%016x%016x", digest.high, digest.low);
}

std::string Xxh3Hex(absl::string_view bytes) { return Xxh3Hex(Xxh3Digest128(bytes)); }

ContentHasher::ContentHasher() : state_(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}

ContentHasher::~ContentHasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void ContentHasher::AddPiece(absl::string_view bytes) {
  auto* state = static_cast<XXH3_state_t*>(state_);
  uint64_t size = bytes.size();
  XXH3_128bits_update(state, &size, sizeof(size));
  XXH3_128bits_update(state, bytes.data(), bytes.size());
}

std::string ContentHasher::Finish() {
  return ToHex(XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_)));
}

}  // namespace v8snap
