// XXH3-128 digests as lowercase hex: the one hash v8snap uses for blobs, sidecars and sources.
#ifndef V8SNAP_FORMAT_CONTENT_HASH_H_
#define V8SNAP_FORMAT_CONTENT_HASH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "format/xxh3_avx2.h"

namespace v8snap {

// XXH3-128 over `bytes`, with AVX2 where the CPU has it (3x faster than Debian's SSE2 build on a
// 640 KB blob: every load hashes its blob). Allocates nothing, so it may run where only C code
// may (the inspector's SIGBUS-guarded hash of a mapping).
Xxh3Digest Xxh3Digest128(absl::string_view bytes);

// 32 lowercase hex digits of a digest, high half first.
std::string Xxh3Hex(Xxh3Digest digest);

// 32 lowercase hex digits of XXH3-128 over `bytes`.
std::string Xxh3Hex(absl::string_view bytes);

// Incremental XXH3-128 over several pieces; Finish() gives the same form as Xxh3Hex. Each piece
// is length-prefixed, so ("ab","c") and ("a","bc") differ.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;

  void AddPiece(absl::string_view bytes);
  std::string Finish();

 private:
  void* state_;  // XXH3_state_t*, kept out of the header.
};

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_CONTENT_HASH_H_
