// The v8snap.snapshot hooks' runner, one for both sides: the builder runs the onSerialize
// callbacks with it, the runtime runs AfterSnapshotLoad right after a load, before any other JS.
//
// The state it works on is the JS object made while building (snapshot_builder/
// build_time_globals.h): `serialize` and `deserialize` (callback lists, registration order),
// `building`, and `redo` (what the build's JS did to the built-ins the linked V8 only installs
// after a load, compat/late_builtins.h, with the `defineProperty` to redo it). The builder keeps it in the snapshot data; the
// sidecar records where.
#ifndef V8SNAP_RUNTIME_SNAPSHOT_HOOKS_H_
#define V8SNAP_RUNTIME_SNAPSHOT_HOOKS_H_

#include <vector>

#include "absl/status/status.h"
#include "format/manifest_loader.h"
#include "format/sidecar.pb.h"
#include "runtime/js_error.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-object.h"
#include "v8-persistent-handle.h"

namespace v8snap {

enum class SnapshotHook { kSerialize, kDeserialize };

// Calls every callback of `state`'s list for `hook` in order, with no arguments and a microtask
// checkpoint after each; a callback may append to the list (it then runs in the same pass), and
// the list is empty afterwards. The first callback that throws, or returns a promise that
// rejects or does not settle in that checkpoint, stops the pass: kInvalidArgument (building) or
// kAborted (loading), naming where the callback was defined (`mapper` maps script names to
// paths), when it ran, and the exception as every v8snap tool prints an uncaught one.
absl::Status RunSnapshotCallbacks(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                  v8::Local<v8::Object> state, SnapshotHook hook,
                                  const ScriptNameMapper& mapper);

// Right after `context` was deserialized from a blob described by `sidecar`: takes the state
// out of the snapshot data, redoes the build's changes to V8's late built-ins
// (Error.stackTraceLimit, ...), then runs the onDeserialize callbacks. A blob whose sidecar
// names no state had nothing for a load to do, and costs nothing more: `extensions` (the
// runtime's manifest, which names the callbacks' sources in errors) is read only when there is
// state. Errors as RunSnapshotCallbacks.
absl::Status AfterSnapshotLoad(v8::Isolate* isolate, const v8::Global<v8::Context>& context,
                               const Sidecar& sidecar,
                               const std::vector<LoadedExtension>& extensions);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SNAPSHOT_HOOKS_H_
