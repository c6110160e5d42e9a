// Layered snapshots: a snapshot's JS-only extensions on top of the runtime's manifest.
#include "check/layered_extensions.h"

#include <set>

namespace v8snap {

ExtensionSelection SelectExtensionsForSnapshot(const Sidecar& sidecar,
                                               const std::vector<std::string>& manifest_names,
                                               const ExtensionRegistry& registry, bool exact) {
  ExtensionSelection selection;
  selection.names = manifest_names;
  if (exact) return selection;
  const Layout& layout = sidecar.layout();
  std::set<std::string> with_ops;
  for (const OpRecord& op : layout.ops()) with_ops.insert(op.extension());
  std::vector<std::string> added;
  size_t next = 0;  // the next manifest extension to find in the snapshot's list
  for (const std::string& name : layout.extensions()) {
    if (next < manifest_names.size() && name == manifest_names[next]) {
      ++next;
      continue;
    }
    // Whatever else the snapshot has must be JS-only on both sides: an extension with ops is
    // native wiring, which only the binary decides. Declining here leaves the difference to
    // the load check, which names it.
    if (with_ops.count(name) > 0 || registry.Find(name) != nullptr) return selection;
    added.push_back(name);
  }
  // A manifest extension missing from the snapshot, or in another order: not a layering.
  if (next != manifest_names.size() || added.empty()) return selection;
  selection.names.assign(layout.extensions().begin(), layout.extensions().end());
  selection.from_snapshot = std::move(added);
  return selection;
}

}  // namespace v8snap
