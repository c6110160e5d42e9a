// Tests for content_hash: the AVX2 path gives libxxhash's digests, byte for byte.
#include "format/content_hash.h"

#include <string>

#include "gtest/gtest.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace v8snap {
namespace {

std::string Reference(const std::string& bytes) {
  XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  return Xxh3Hex(Xxh3Digest{h.high64, h.low64});
}

TEST(ContentHashTest, KnownDigestOfNothing) {
  EXPECT_EQ(Xxh3Hex(absl::string_view()), "99aa06d3014798d86001c324468d497f");
}

// Every size class XXH3 treats differently (0-16, 17-128, 129-240, long inputs with partial
// stripes and blocks), up to past one 1 KiB block, and a blob-sized input.
TEST(ContentHashTest, SameDigestsAsLibxxhashAtEverySize) {
  std::string bytes;
  for (int i = 0; i < 4200; ++i) {
    EXPECT_EQ(Xxh3Hex(bytes), Reference(bytes)) << bytes.size() << " bytes";
    bytes.push_back(static_cast<char>(i * 2654435761u >> 11));
  }
  std::string blob(640 * 1024 + 17, '\0');
  for (size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 40503u >> 7);
  EXPECT_EQ(Xxh3Hex(blob), Reference(blob));
}

}  // namespace
}  // namespace v8snap
