// The JS environment while a snapshot is built, and the hand-over to the load: V8 installs some
// built-ins only after a snapshot is loaded, which ones depending on the V8
// (compat/late_builtins.h; docs/snapshotting.md, "The JS environment while building"). BuildTimeGlobals shims or stands in for them while the extensions run, refuses
// what would make every load abort, warns about reads of what cannot exist while building, runs
// the onSerialize callbacks, and leaves in the snapshot what the load needs to redo the rest.
//
// Usage, inside CreateBlob's context scope:
//   ASSIGN_OR_RETURN(BuildTimeGlobals globals, BuildTimeGlobals::Install(isolate, context));
//   ... BootstrapContext, the warm-up ...
//   RETURN_IF_ERROR(globals.Finish(creator, context, mapper, sidecar));
//   ... (nothing may run JS after Finish) creator.SetDefaultContext(context);
// It holds a handle: it must be gone before SnapshotCreator::CreateBlob.
#ifndef V8SNAP_SNAPSHOT_BUILDER_BUILD_TIME_GLOBALS_H_
#define V8SNAP_SNAPSHOT_BUILDER_BUILD_TIME_GLOBALS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "format/sidecar.pb.h"
#include "runtime/js_error.h"
#include "v8-context.h"
#include "v8-persistent-handle.h"
#include "v8-snapshot.h"

namespace v8snap {

class BuildTimeGlobals {
 public:
  // Before the first extension runs. Also hands the hooks' state to core.js (v8snap.snapshot),
  // and from then on stops the build (BuildWatch::Stop) where V8 parses syntax it supports only
  // after a load (compat::kLateSyntax), before any of it runs.
  static absl::StatusOr<BuildTimeGlobals> Install(v8::Isolate* isolate,
                                                  v8::Local<v8::Context> context);

  // After the last JS of the build: runs the onSerialize callbacks; refuses (kFailedPrecondition)
  // a holder V8 adds to after a load that is frozen, sealed or not extensible, naming each and
  // the fix; removes the shims and placeholders; prints one warning per place that read a
  // placeholder (SharedArrayBuffer, WebAssembly, ...); when a load has work (onDeserialize
  // callbacks, built-ins to redo), keeps the state in the snapshot data and records its index in
  // `sidecar`.
  absl::Status Finish(v8::SnapshotCreator& creator, v8::Local<v8::Context> context,
                      const ScriptNameMapper& mapper, Sidecar& sidecar);

  // After Finish, until the BuildTimeGlobals that finished on `isolate` is destroyed: every
  // placeholder the build's code was handed, with the built-in it stands for, as locals of the
  // caller's HandleScope (CheckHeapSerializable refuses one still reachable). Empty otherwise.
  // The handles go with that object, before CreateBlob.
  static std::vector<std::pair<v8::Local<v8::Value>, std::string>> Placeholders(
      v8::Isolate* isolate);

  BuildTimeGlobals(BuildTimeGlobals&&) = default;
  BuildTimeGlobals& operator=(BuildTimeGlobals&&) = delete;
  ~BuildTimeGlobals();

  // The --v8-flags that only take effect in a context that is not being snapshotted
  // (compat::kLateFlags: what they add is absent while building, and a runtime refuses the blob
  // for them), as one error naming each; OK when there are none.
  static absl::Status CheckFlagsTakeEffectWhileBuilding(const std::vector<std::string>& flags);

 private:
  BuildTimeGlobals(v8::Isolate* isolate, v8::Local<v8::Object> prelude)
      : isolate_(isolate), prelude_(isolate, prelude) {}

  v8::Isolate* isolate_;
  // What the build-time script returned: { state, finish }.
  v8::Global<v8::Object> prelude_;
  // The placeholders handed out while building (Placeholders()).
  std::vector<std::pair<v8::Global<v8::Value>, std::string>> placeholders_;
};

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_BUILDER_BUILD_TIME_GLOBALS_H_
