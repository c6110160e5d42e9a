// Layered snapshots: which extension list a runtime computes its layout from, for one snapshot.
// A snapshot may add JS-only extensions (no ops) on top of the runtime's own: their JS is in the
// blob, so the runtime needs neither their sources nor a manifest entry. Native wiring is still
// compared exactly (DiffLayouts on the whole layout). No V8 here: snapshot_inspect verify uses it.
//
// Usage:
//   ExtensionSelection selection =
//       SelectExtensionsForSnapshot(sidecar, manifest_names, registry, /*exact=*/false);
//   ASSIGN_OR_RETURN(RuntimeLayout layout, ComputeLayout(selection.names, registry));
//   ... CheckSnapshotLoadable(...) with that layout, as for any other ...
#ifndef V8SNAP_CHECK_LAYERED_EXTENSIONS_H_
#define V8SNAP_CHECK_LAYERED_EXTENSIONS_H_

#include <string>
#include <vector>

#include "format/sidecar.pb.h"
#include "runtime/extension.h"

namespace v8snap {

struct ExtensionSelection {
  // The extensions to compute the runtime's layout from, in load order.
  std::vector<std::string> names;
  // The JS-only extensions the snapshot adds on top of the runtime's manifest, in load order:
  // they run from the snapshot alone. Empty when the manifest lists every extension.
  std::vector<std::string> from_snapshot;
};

// The runtime's `manifest_names`, or, when the snapshot layers JS-only extensions on top of
// them, the snapshot's own list. Layering is accepted only when `exact` is false, the manifest's
// extensions appear in the snapshot in the same order, and every extension the snapshot adds
// has no ops in the snapshot and none registered in this binary (`registry`). Otherwise the
// manifest's list comes back unchanged, so the load check reports the difference as before.
ExtensionSelection SelectExtensionsForSnapshot(const Sidecar& sidecar,
                                               const std::vector<std::string>& manifest_names,
                                               const ExtensionRegistry& registry, bool exact);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_LAYERED_EXTENSIONS_H_
