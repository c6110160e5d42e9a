// XXH3-128 through libxxhash (Debian's libxxhash-dev), formatted as hex.
#include "format/content_hash.h"

#include <cstdint>

#include "absl/strings/str_format.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace v8snap {
namespace {

std::string ToHex(XXH128_hash_t h) {
  return absl::StrFormat("%016x%016x", h.high64, h.low64);
}

}  // namespace

std::string Xxh3Hex(absl::string_view bytes) {
  return ToHex(XXH3_128bits(bytes.data(), bytes.size()));
}

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
