// Relinking by name (`snapshot_run --relink`, RuntimeConfig::relink): lets a runtime whose
// extensions are listed in another order than the snapshot's load it anyway, by building the
// external-reference table in the SNAPSHOT's order, looking every reference up by its stable
// name. Only the order may differ: every extension, op and reference must exist on both sides
// with the same signature, or relinking fails naming the first culprit.
#ifndef V8SNAP_CHECK_RELINK_H_
#define V8SNAP_CHECK_RELINK_H_

#include "absl/status/statusor.h"
#include "format/sidecar.pb.h"
#include "check/snapshot_layout.h"

namespace v8snap {

// The runtime's ops rebound to the snapshot's ids: `layout` is the snapshot's, `ops` and
// `external_references` are `runtime`'s declarations and addresses in the snapshot's order.
// kFailedPrecondition, "(<kind>): <change>" as in the load check, when something other than
// the order differs (an extension, op or reference missing or added, an op moved to another
// extension, a changed arity or sync/async, a reference of another kind).
absl::StatusOr<RuntimeLayout> RelinkLayout(const Layout& snapshot, const RuntimeLayout& runtime);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_RELINK_H_
