// The heap check the builder runs after all build-time JS and right before
// SnapshotCreator::CreateBlob: it finds what V8 would abort on, and names it the way the user
// wrote it, so a build fails with a message instead of a V8 crash.
//
// Usage (snapshot_builder.cc does this, inside the context scope, after the hooks have run):
//   RETURN_IF_ERROR(CheckHeapSerializable(isolate, context, modules, sidecar));
//
// What it does, in one heap snapshot and one breadth-first pass over it:
// - finds every object reachable from the global object, a module's exports or any other root
//   of the heap that V8 (10.2 and 13.6 alike) cannot carry: Intl objects (V8 keeps their ICU state behind a
//   global handle, and CreateBlob aborts on `CheckGlobalAndEternalHandles`), ArrayBuffers over
//   2 GiB - 1 bytes (a CHECK in the serializer), collections keyed by globalThis (the entry
//   is lost after a load); it fails with kFailedPrecondition naming each by a JS path
//   (`globalThis.fmt`, `export fmt of ext:app/app.js`, `variable fmt in the scope of
//   ext:app/app.js`), its kind and the fix, and likewise when the blob would exceed 2 GiB - 1;
// - reads the `stack` of every reachable Error, so its frames are formatted now, while V8 still
//   knows the source positions, instead of at run time from code the blob no longer maps to
//   its source (`ext.js:1:1`);
// - runs the FinalizationRegistry cleanups that are due, which V8 would otherwise find pending
//   and abort on;
// - records in the sidecar what the snapshot's heap holds (array_buffer_bytes, heap_bytes), so
//   a runtime with a smaller --max-heap-mb refuses it before V8 deserializes it.
// The cost is linear in the heap: the line ends of every script are computed first
// (runtime/script_line_ends.h).
#ifndef V8SNAP_SNAPSHOT_BUILDER_SERIALIZATION_CHECK_H_
#define V8SNAP_SNAPSHOT_BUILDER_SERIALIZATION_CHECK_H_

#include "absl/status/status.h"
#include "format/sidecar.pb.h"
#include "runtime/module_map.h"
#include "v8-context.h"
#include "v8-isolate.h"

namespace v8snap {

// A build-time placeholder (BuildTimeGlobals::Placeholders: what the linked V8 adds only after a
// load, compat/late_builtins.h) reachable by a JS path is refused too, named by that path.
absl::Status CheckHeapSerializable(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                   const ModuleMap& modules, Sidecar& sidecar);

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_BUILDER_SERIALIZATION_CHECK_H_
