// THE function that turns an ordered extension list into a snapshot layout: op ids and the
// external-reference table with stable names. The builder writes its result into the sidecar;
// the runtime computes it again from its own configuration and diffs the two before V8 runs.
#ifndef V8SNAP_CHECK_SNAPSHOT_LAYOUT_H_
#define V8SNAP_CHECK_SNAPSHOT_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "format/sidecar.pb.h"
#include "runtime/extension.h"

namespace v8snap {

struct RuntimeLayout {
  // What the sidecar records and what load-time checks compare.
  Layout layout;
  // One entry per layout.ops(i): the declaration it came from.
  std::vector<const OpDecl*> ops;
  // The table handed to V8 (SnapshotCreator and Isolate::CreateParams), same order as
  // layout.external_references(), terminated by 0 as V8 requires.
  std::vector<intptr_t> external_references;
};

// Extensions in load order; names not in `registry` are JS-only and contribute no ops. Fails
// (kInvalidArgument) if two ops share a name, or two references share an address (which is
// what identical-code folding would do, making the table ambiguous).
absl::StatusOr<RuntimeLayout> ComputeLayout(const std::vector<std::string>& extensions,
                                            const ExtensionRegistry& registry);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_SNAPSHOT_LAYOUT_H_
