// JsRuntime: one isolate and context running the extensions of a manifest, either deserialized
// from a verified snapshot (the fast path) or evaluated from source (--no-snapshot).
//
// Usage:
//   RuntimeConfig config;                         // which extensions, in which order
//   config.manifest = LoadManifestOrError(...);   // or the manifest compiled into the binary
//   auto runtime = JsRuntime::FromSnapshot("out/default.bin", config);
//   if (!runtime.ok()) { print runtime.status(); exit 1; }   // names the culprit on mismatch
//   absl::Status done = (*runtime)->RunMainModule("hello.js");   // runs the event loop too
//
// FromSnapshot checks the blob against its sidecar and the sidecar's layout against the layout
// computed from `config` BEFORE V8 sees the blob: a mismatch is an error, never a misbinding
// (unless config.relink asks to bind by name when only the order differs; see relink.h).
// Ops of extensions the manifest disables (`enabled: false`) keep their places but throw.
#ifndef V8SNAP_RUNTIME_JS_RUNTIME_H_
#define V8SNAP_RUNTIME_JS_RUNTIME_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "runtime/event_loop.h"
#include "runtime/execution_limits.h"
#include "runtime/module_map.h"
#include "runtime/permissions.h"
#include "runtime/snapshot_layout.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-persistent-handle.h"

namespace v8snap {

struct RuntimeConfig {
  // The runtime's own manifest: extension order (and, for FromSource, the sources).
  LoadedManifest manifest;
  // Shown in mismatch fixes ("snapshot_builder --manifest <this>").
  std::string manifest_label;
  // What the file ops may read and write; nothing by default.
  Permissions permissions;
  // FromSnapshot: when only the extension order differs from the snapshot's, build the
  // external-reference table in the snapshot's order by name instead of refusing.
  bool relink = false;
  // Heap ceiling and wall-clock budget; a script over either is stopped with a clean error.
  ExecutionLimitOptions limits;
};

class JsRuntime {
 public:
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSnapshot(const std::string& blob_path,
                                                                 const RuntimeConfig& config);
  // Same, from a pair already read and verified (ReadSnapshotPair), e.g. held in memory.
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSnapshotPair(SnapshotPair pair,
                                                                     const std::string& blob_path,
                                                                     const RuntimeConfig& config);
  static absl::StatusOr<std::unique_ptr<JsRuntime>> FromSource(const RuntimeConfig& config);

  ~JsRuntime();
  JsRuntime(const JsRuntime&) = delete;
  JsRuntime& operator=(const JsRuntime&) = delete;

  // Runs `path` as the main ES module and then the event loop until nothing is pending. An
  // uncaught exception or unhandled rejection is an error carrying the formatted JS error.
  absl::Status RunMainModule(const std::string& path);

  // Evaluates a classic script (for tests and embedders) and returns its result as a string.
  absl::StatusOr<std::string> EvaluateScript(const std::string& name, const std::string& source);

  // Runs the event loop (microtasks, V8 platform tasks, timers, async ops) until nothing is
  // pending. The first uncaught exception or unhandled rejection stops it and is returned;
  // what was still pending stays so, for a later call.
  absl::Status RunEventLoop();

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  const RuntimeLayout& layout() const { return layout_; }

 private:
  JsRuntime() = default;
  absl::Status CreateIsolate(v8::StartupData* blob, const RuntimeConfig& config);
  absl::Status AdoptSnapshotModules(const Sidecar& sidecar);
  absl::Status RunMainModuleUnlimited(const std::string& path);
  // Points the ops of disabled extensions (table entries and declarations) at one thrower.
  void DisableOps(const LoadedManifest& manifest);

  RuntimeLayout layout_;
  std::vector<std::unique_ptr<OpDecl>> disabled_ops_;  // layout_.ops entries of disabled ops
  std::unique_ptr<RuntimeState> state_;
  std::unique_ptr<ExecutionLimits> limits_;
  std::string blob_;  // V8 may read the blob while the isolate lives; kept here.
  v8::StartupData startup_data_{nullptr, 0};
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;
  std::unique_ptr<ModuleMap> modules_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_JS_RUNTIME_H_
