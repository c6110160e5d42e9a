// XXH3-128 digests as lowercase hex: the one hash v8snap uses for blobs, sidecars and sources.
#ifndef V8SNAP_FORMAT_CONTENT_HASH_H_
#define V8SNAP_FORMAT_CONTENT_HASH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace v8snap {

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
