// Extension order: a dependency-respecting order for a manifest, and rewriting its text into it.
#ifndef V8SNAP_FORMAT_MANIFEST_ORDER_H_
#define V8SNAP_FORMAT_MANIFEST_ORDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "format/manifest.pb.h"

namespace v8snap {

// A stable topological order of the manifest's extensions (names): repeatedly takes the first
// extension, in manifest order, whose deps are all placed, so the manifest order is kept wherever
// the deps allow. Unknown deps are ignored. Extensions that can never be placed (members of a
// cycle, and whatever depends on them) follow at the end in manifest order.
// One entry per `extension` block (a name declared twice appears twice), so that
// ReorderManifestText can move every block; for telling a user which order works, use
// SuggestValidOrder.
std::vector<std::string> SuggestExtensionOrder(const Manifest& manifest);

// What an error message may claim about order: `order` holds each extension name once (at its
// first declaration's place, with the deps of all its declarations), in the same stable
// topological order; `unplaceable` holds, each once and in manifest order, the names that have no
// valid place at all: members of a dependency cycle and whatever depends on them.
struct ValidOrder {
  std::vector<std::string> order;
  std::vector<std::string> unplaceable;
};
ValidOrder SuggestValidOrder(const Manifest& manifest);

// Rewrites manifest text so its `extension { ... }` blocks appear in `order` (every extension
// name once; a name declared twice is listed twice). Each block moves with the comment lines
// directly above it (no blank line between); everything else stays where it is: header comments,
// `name:`, comments separated from a block by a blank line, trailing text. A comment run that
// starts on the file's first line is the header and never moves.
// kInvalidArgument if the text does not parse, `order` is not a permutation of the extension
// names, or a block shares a line with other text (it cannot be delimited by lines).
absl::StatusOr<std::string> ReorderManifestText(const std::string& text,
                                                const std::vector<std::string>& order);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_MANIFEST_ORDER_H_
