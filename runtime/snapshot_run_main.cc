// snapshot_run: runs a script as an ES module on a runtime loaded from a checked snapshot.
#include <cstdio>

#include "cli/cli_support.h"
#include "runtime/embedded_manifest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"

int main(int argc, char** argv) {
  using namespace v8snap;
  CLI::App app(
      "Runs SCRIPT (an ES module) on the runtime described by a manifest, loaded from a snapshot.\n\n"
      "Examples:\n"
      "  snapshot_run --snapshot out/release/default.bin hello.js\n"
      "  snapshot_run --no-snapshot hello.js                 # evaluate the extensions from source\n"
      "  snapshot_run --snapshot s.bin --manifest m.textproto hello.js\n\n"
      "The runtime is configured by the manifest compiled into this binary unless --manifest\n"
      "names another. Before V8 sees the snapshot, its sidecar is checked against that\n"
      "configuration; any difference is refused with the first culprit named.\n"
      "Exit codes: 0 ok, 1 error (mismatch, bad file, uncaught JS exception), 2 usage error.",
      "snapshot_run");
  AddVersionFlag(app, "snapshot_run");
  std::string snapshot, manifest_path, script;
  bool no_snapshot = false;
  auto* snapshot_option =
      app.add_option("--snapshot", snapshot, "Snapshot blob (its sidecar is PATH.sidecar.pb)");
  app.add_option("--manifest", manifest_path,
                 "Configure the runtime from this manifest instead of the compiled-in one");
  app.add_flag("--no-snapshot", no_snapshot,
               "Evaluate the extensions' sources at start-up instead of loading a snapshot")
      ->excludes(snapshot_option);
  app.add_option("script", script, "The ES module to run")->required();
  if (int code = ParseOrExit(app, argc, argv); code >= 0) return code;
  if (!no_snapshot && snapshot.empty()) {
    PrintError("snapshot_run", "give --snapshot PATH, or --no-snapshot to start from source");
    return kExitUsage;
  }

  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  RuntimeConfig config;
  absl::StatusOr<LoadedManifest> manifest = manifest_path.empty()
                                                ? LoadEmbeddedManifest(check)
                                                : LoadManifestOrError(manifest_path, check);
  if (!manifest.ok()) {
    PrintError("snapshot_run", manifest.status());
    return kExitFailure;
  }
  config.manifest = std::move(*manifest);
  config.manifest_label = manifest_path.empty() ? kEmbeddedManifest.manifest_path : manifest_path;

  auto runtime = no_snapshot ? JsRuntime::FromSource(config) : JsRuntime::FromSnapshot(snapshot, config);
  if (!runtime.ok()) {
    PrintError("snapshot_run", runtime.status());
    return kExitFailure;
  }
  absl::Status status = (*runtime)->RunMainModule(script);
  if (!status.ok()) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    return kExitFailure;
  }
  return kExitOk;
}
