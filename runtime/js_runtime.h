// JsRuntime: one isolate and context running the extensions of a manifest, either deserialized
// from a verified snapshot (the fast path) or evaluated from source (--no-snapshot).
//
// Usage:
//   RuntimeConfig config;                         // which extensions, in which order
//   config.manifest = LoadManifestOrError(...);   // or the manifest compiled into the binary
//   config.manifest_label = "app.textproto";      // and config.builder_name, for "fix:" lines
//   auto runtime = JsRuntime::FromSnapshot("out/default.bin", config);
//   if (!runtime.ok()) { print runtime.status(); exit 1; }   // names the culprit on mismatch
//   absl::Status done = (*runtime)->RunMainModule("hello.js");   // runs the event loop too
//
// Many runtimes from one file: hash it once, then load from the verified pair.
//   ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot, VerifiedSnapshotPair::Read("app.bin"));
//   auto runtime = JsRuntime::FromVerifiedSnapshot(snapshot, config);   // no hashing here
//
// The snapshot carries its own truth for JS: loading never opens an extension source file. A
// snapshot may add JS-only extensions (no ops) on top of config.manifest's ("layered", e.g. a
// library on top of the default runtime); they run from the blob alone unless
// config.exact_extensions asks the snapshot to hold exactly the manifest's extensions. When
// config.manifest was read with its sources (LoadManifestOrError), their digests are compared with
// the sidecar's first: a stale snapshot is refused (check/content_check.h).
//
// Every way in checks the blob against its sidecar (FromSnapshot and FromSnapshotPair hash it;
// FromVerifiedSnapshot takes a pair that was hashed when it was made) and the sidecar's layout
// against the layout computed from `config` BEFORE V8 sees the blob: a mismatch is an error,
// never a misbinding (unless config.relink asks to bind by name when only the order differs;
// see relink.h). Ops of extensions the manifest disables (`enabled: false`) keep their places
// but throw.
#ifndef V8SNAP_RUNTIME_JS_RUNTIME_H_
#define V8SNAP_RUNTIME_JS_RUNTIME_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "runtime/event_loop.h"
#include "runtime/execution_limits.h"
#include "runtime/module_map.h"
#include "runtime/permissions.h"
#include "runtime/shared_read_only_heap.h"
#include "check/snapshot_layout.h"
#include "runtime/verified_snapshot_pair.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-persistent-handle.h"

namespace v8snap {

struct RuntimeConfig {
  // The runtime's own manifest: extension order (and, for FromSource, the sources).
  LoadedManifest manifest;
  // Shown in mismatch fixes ("<builder_name> --manifest <this>").
  std::string manifest_label;
  // The builder binary that makes snapshots for this runtime (the one linking the same
  // extensions), shown in mismatch fixes: an embedder's runtime names its own builder.
  std::string builder_name = "snapshot_builder";
  // What the file ops may read and write; nothing by default.
  Permissions permissions;
  // FromSnapshot: when only the extension order differs from the snapshot's, build the
  // external-reference table in the snapshot's order by name instead of refusing.
  bool relink = false;
  // FromSnapshot: refuse a snapshot that adds JS-only extensions the manifest does not list.
  // Off by default: the snapshot's JS is the truth, and native wiring is checked exactly either
  // way; an embedder whose manifest is the whole program (no library layered by its users) sets
  // it to be told when a snapshot holds more than that.
  bool exact_extensions = false;
  // Heap (and ArrayBuffer) ceiling and wall-clock budget; a script over either is stopped with
  // a clean error. Out-of-range values fail creation with kInvalidArgument.
  ExecutionLimitOptions limits;
};

class JsRuntime {
 public:
  // Reads and verifies BLOB_PATH and its sidecar, checks the layout, loads.
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSnapshot(const std::string& blob_path,
                                                                 const RuntimeConfig& config);
  // Same, from a pair read some other way (memory, a resource, a package): the blob is hashed
  // against the sidecar first (kDataLoss on a mismatch). `blob_path` names it in messages.
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSnapshotPair(SnapshotPair pair,
                                                                     const std::string& blob_path,
                                                                     const RuntimeConfig& config);
  // Same, from a pair verified once for the whole process: no hashing, the bytes are shared.
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromVerifiedSnapshot(
      const VerifiedSnapshotPair& snapshot, const RuntimeConfig& config);
  // What FromVerifiedSnapshot checks before V8 sees the blob (limits, the V8 version, the
  // layout, relinking when asked), without creating an isolate. RuntimePool::Create uses it to
  // fail at once.
  static absl::Status CheckLoadable(const VerifiedSnapshotPair& snapshot,
                                    const RuntimeConfig& config);
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSource(const RuntimeConfig& config);

  ~JsRuntime();
  JsRuntime(const JsRuntime&) = delete;
  JsRuntime& operator=(const JsRuntime&) = delete;

  // Runs `path` as the main ES module and then the event loop until nothing is pending. An
  // uncaught exception or unhandled rejection is an error carrying the formatted JS error; a
  // limit that stopped the script is kResourceExhausted (heap) or kDeadlineExceeded (time); a
  // script stopped because its stdout reader went away (EPIPE) is kCancelled.
  absl::Status RunMainModule(const std::string& path);

  // Evaluates a classic script (for tests and embedders), runs the event loop, and returns the
  // script's result as a string. Errors as for RunMainModule.
  absl::StatusOr<std::string> EvaluateScript(const std::string& name, const std::string& source);

  // Runs the event loop (microtasks, V8 platform tasks, timers, async ops) until nothing is
  // pending. The first uncaught exception or unhandled rejection stops it and is returned;
  // what was still pending stays so, for a later call. Limits apply as for RunMainModule.
  //
  // After a limit stopped a script the runtime can be used again: the error is returned and
  // V8's termination is cancelled (the heap ceiling's unwinding room goes away as the heap
  // shrinks).
  absl::Status RunEventLoop();

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  const RuntimeLayout& layout() const { return layout_; }
  // FromSnapshot: the JS-only extensions the snapshot added on top of config.manifest's, in load
  // order (empty when the manifest lists them all, and for FromSource).
  const std::vector<std::string>& extensions_from_snapshot() const {
    return extensions_from_snapshot_;
  }

 private:
  JsRuntime() = default;
  // The runtime's layout for `snapshot` (relinked when asked and possible), checked against it.
  static absl::StatusOr<RuntimeLayout> LayoutFor(const VerifiedSnapshotPair& snapshot,
                                                 const RuntimeConfig& config,
                                                 std::vector<std::string>* from_snapshot);
  absl::Status CreateIsolate(v8::StartupData* blob, const ReadOnlyHeapNeed& need,
                             const RuntimeConfig& config);
  absl::Status AdoptSnapshotModules(const Sidecar& sidecar);
  // Runs `run` with the limits armed, then explains what stopped it (a limit, a closed stdout).
  absl::Status RunLimited(absl::FunctionRef<absl::Status()> run);
  absl::Status RunMainModuleUnlimited(const std::string& path);
  absl::Status EvaluateScriptUnlimited(const std::string& name, const std::string& source,
                                       std::string& value);
  absl::Status RunEventLoopUnlimited();
  // Points the ops of disabled extensions (table entries and declarations) at one thrower.
  void DisableOps(const LoadedManifest& manifest);

  RuntimeLayout layout_;
  std::vector<std::string> extensions_from_snapshot_;
  std::vector<std::unique_ptr<OpDecl>> disabled_ops_;  // layout_.ops entries of disabled ops
  std::unique_ptr<RuntimeState> state_;
  std::unique_ptr<ExecutionLimits> limits_;
  // V8 may read the blob while the isolate lives; kept here (shared, read-only).
  std::optional<VerifiedSnapshotPair> snapshot_;
  v8::StartupData startup_data_{nullptr, 0};
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;
  std::unique_ptr<ModuleMap> modules_;
  // Held from before Isolate::New until after Dispose (members outlive the destructor's body).
  SharedReadOnlyHeap::Lease read_only_heap_lease_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_JS_RUNTIME_H_
