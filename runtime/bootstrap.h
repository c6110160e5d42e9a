// Sets up a fresh context as an extension stack: installs `v8snap.core.ops` (one function per op
// of the layout, in op-id order) and evaluates every extension's sources in manifest order.
// The builder runs it inside SnapshotCreator, under a BuildWatch; the runtime's --no-snapshot
// path runs it at start-up.
#ifndef V8SNAP_RUNTIME_BOOTSTRAP_H_
#define V8SNAP_RUNTIME_BOOTSTRAP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "format/manifest_loader.h"
#include "format/sidecar.pb.h"
#include "runtime/execution_limits.h"
#include "runtime/js_error.h"
#include "runtime/module_map.h"
#include "check/snapshot_layout.h"
#include "v8-context.h"

namespace v8snap {

// Per-extension hook: called after each extension's sources have been evaluated (the builder
// uses it to time extensions and print progress).
struct BootstrapObserver {
  virtual ~BootstrapObserver() = default;
  virtual void ExtensionDone(const LoadedExtension& extension) {}
};

// The classic-script and module name for a source: "ext:<extension>/<file name>".
std::string SourceSpecifier(const std::string& extension, const LoadedSource& source);

// Maps "ext:..." script names back to the manifest-relative source paths, for messages.
ScriptNameMapper SourcePathMapper(const std::vector<LoadedExtension>& extensions);

// Installs the op surface and evaluates the extensions (`extensions` in the layout's order).
// ES modules are compiled into `modules`; lazy ones are compiled to check their syntax, then only
// added as sources (unless an eager module imports one: it is then compiled and evaluated with
// it). Returns the module records for the sidecar, `lazy` as the manifest says and
// data_index -1: the caller fills both from what `modules` holds when it serializes. A JS
// exception gives an error with the source file:line:col, the message and the stack.
absl::StatusOr<std::vector<ModuleRecord>> BootstrapContext(
    v8::Isolate* isolate, v8::Local<v8::Context> context, const RuntimeLayout& layout,
    const std::vector<LoadedExtension>& extensions, ModuleMap& modules,
    BootstrapObserver* observer = nullptr);

// Creates the `v8snap.core.ops` functions only (shared with BootstrapContext).
absl::Status InstallOps(v8::Isolate* isolate, v8::Local<v8::Context> context,
                        const RuntimeLayout& layout);

// How long a build's JS may run when the builder is given no --timeout-ms: five minutes. Real
// libraries evaluate in well under a second; a CI job's own limit is usually hours, and a build
// stuck in a loop should say where it is stuck long before that. --timeout-ms=0 turns it off.
inline constexpr uint64_t kDefaultBuildTimeoutMs = 5 * 60 * 1000;

// What the snapshot builder watches while the extensions and the warm-up script run: the
// execution limits (--timeout-ms, --max-heap-mb, as snapshot_run means them), promises rejected
// with no handler, import() calls, and which frame an error leads with (the user's, not the
// v8snap extension wrapper whose op refused to run while building).
//
// Usage, in the builder (one at a time per thread):
//   BuildWatch::LimitHeapOfNextIsolate(limits);
//   v8::SnapshotCreator creator(...);
//   ... context, ModuleMap ...
//   BuildWatch watch(isolate, limits, layout, manifest.extensions);
//   ASSIGN_OR_RETURN(records, watch.Check(BootstrapContext(...)));
//   RETURN_IF_ERROR(watch.Check(RunWarmup(...), "the warm-up script x.js"));
//   RETURN_IF_ERROR(watch.Finish(context, modules));
class BuildWatch {
 public:
  // V8 10.2's SnapshotCreator makes its isolate without CreateParams, so the heap ceiling goes
  // through V8's --max-old-space-size, set here for the next isolate and reset by the
  // constructor. It limits the build, it is not recorded in the sidecar.
  static void LimitHeapOfNextIsolate(const ExecutionLimitOptions& limits);

  BuildWatch(v8::Isolate* isolate, const ExecutionLimitOptions& limits, const RuntimeLayout& layout,
             const std::vector<LoadedExtension>& extensions);
  ~BuildWatch();
  BuildWatch(const BuildWatch&) = delete;
  BuildWatch& operator=(const BuildWatch&) = delete;

  // `result` of a build step, unless a limit stopped it: then that limit (DeadlineExceeded,
  // ResourceExhausted), where it hit (`where`, else the source BootstrapContext was evaluating)
  // and the fix. An op that refused to run while building gets the fix for that. The limits
  // are armed from the constructor to the destructor, so JS run after Finish (the serialize
  // hooks) is stopped too.
  absl::Status Check(absl::Status result, const std::string& where = "");
  template <typename T>
  absl::StatusOr<T> Check(absl::StatusOr<T> result) {
    if (result.ok()) return result;
    return Check(result.status());
  }

  // Stops the build's JS now (TerminateExecution) for `reason`, which Check and Finish then
  // report, after what was being compiled or evaluated ("app.js (extension 'app') <reason>"),
  // instead of a bare termination: for code V8 would crash on, or run wrongly, had it gone on
  // (BuildTimeGlobals: syntax whose support V8 installs only after a load). For V8's callbacks
  // on the building thread; the first reason stands. Does nothing while bootstrap only checks a
  // lazy module's syntax (none of it runs while building), or without a BuildWatch on `isolate`.
  static void Stop(v8::Isolate* isolate, const std::string& reason);

  // After the extensions and the warm-up script: an import() call (even a caught one) or a
  // promise still rejected with no handler fails the build with its place and stack. Checked once, here,
  // rather than after each extension: a rejection that a later extension or the warm-up
  // handles is handled in the snapshot, which is what matters.
  absl::Status Finish(v8::Local<v8::Context> context, const ModuleMap& modules);

 private:
  struct Rejection;
  static void OnPromiseReject(v8::PromiseRejectMessage message);

  v8::Isolate* isolate_;
  ExecutionLimits limits_;
  ScriptNameMapper mapper_;
  // Whether a script is one of v8snap's op wrappers (an extension with native ops).
  std::function<bool(const std::string&)> is_internal_;
  ScopedInternalScripts internal_scripts_;
  std::vector<std::unique_ptr<Rejection>> rejections_;
  // Stop's: what was being compiled or evaluated, and why.
  std::string stop_place_;
  std::string stop_reason_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_BOOTSTRAP_H_
