// V8 functions that a snapshot may point at but the linked V8's own external-reference table
// lacks, so the embedder's table must carry them: which ones is per-V8 data
// (compat/v8_table_gaps.h: V8 10.2's module namespace accessors; none on 13.6).
//
// ComputeLayout appends them to every layout after the ops; the serializer then encodes them as
// embedder references, and the runtime's table, computed the same way in its own process,
// supplies the addresses back.
#ifndef V8SNAP_CHECK_V8_INTERNAL_REFERENCES_H_
#define V8SNAP_CHECK_V8_INTERNAL_REFERENCES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace v8snap {

struct V8InternalReference {
  // Stable name in the sidecar: "v8.Accessors::ModuleNamespaceEntryGetter".
  std::string name;
  intptr_t address = 0;
};

// Resolved once from the linked libnode by symbol name. A V8 that does not export one of them
// gets no entry for it: such a V8 has no use for it either.
const std::vector<V8InternalReference>& V8InternalReferences();

}  // namespace v8snap

#endif  // V8SNAP_CHECK_V8_INTERNAL_REFERENCES_H_
