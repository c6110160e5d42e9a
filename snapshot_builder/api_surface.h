// The API surface of a snapshot, recorded at build time into the sidecar (Sidecar.api_surface):
// each evaluated module's export names and kinds, and the global properties the extensions
// added. `snapshot_inspect diff` compares two of them to tell breaking API changes.
//
// Usage (inside the SnapshotCreator's context, after the bootstrap and the warm-up, before the
// module records are written):
//   RETURN_IF_ERROR(RecordApiSurface(isolate, context, modules, records, sidecar));
#ifndef V8SNAP_SNAPSHOT_BUILDER_API_SURFACE_H_
#define V8SNAP_SNAPSHOT_BUILDER_API_SURFACE_H_

#include <vector>

#include "absl/status/status.h"
#include "format/sidecar.pb.h"
#include "runtime/module_map.h"
#include "v8-context.h"
#include "v8-isolate.h"

namespace v8snap {

// Fills sidecar.api_surface. Names are sorted and kinds come from a fixed vocabulary
// (format/sidecar.proto ApiSurface), so the record is byte-identical from build to build and
// compares across V8 versions: V8's own globals are left out by comparing with a fresh context
// of the same isolate. Reads properties through descriptors, so no getter and no other JS runs.
// Lazy modules (not evaluated) have no exports to read and are left out.
absl::Status RecordApiSurface(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              const ModuleMap& modules, const std::vector<ModuleRecord>& records,
                              Sidecar& sidecar);

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_BUILDER_API_SURFACE_H_
