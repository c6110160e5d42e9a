// Sets up a fresh context as an extension stack: installs `v8snap.core.ops` (one function per op
// of the layout, in op-id order) and evaluates every extension's sources in manifest order.
// The builder runs it inside SnapshotCreator; the runtime's --no-snapshot path runs it at start-up.
#ifndef V8SNAP_RUNTIME_BOOTSTRAP_H_
#define V8SNAP_RUNTIME_BOOTSTRAP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "format/manifest_loader.h"
#include "format/sidecar.pb.h"
#include "runtime/js_error.h"
#include "runtime/module_map.h"
#include "runtime/snapshot_layout.h"
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

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_BOOTSTRAP_H_
