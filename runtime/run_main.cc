// RunRuntimeMain: snapshot_run's command line. Runs a script as an ES module on a runtime
// loaded from a checked snapshot.
#include "runtime/run_main.h"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/cli_support.h"
#include "runtime/embedded_manifest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "runtime/permissions.h"

namespace v8snap {
namespace {

// What CLI11 stores for a bare --allow-read / --allow-write (the flag's default value).
constexpr char kAllPaths[] = "*";

// Adds --allow-read / --allow-write: bare for every path, or =PATH[,PATH...] (repeatable).
CLI::Option* AddPermissionFlag(CLI::App& app, Access access, std::vector<std::string>& paths) {
  std::string verb = access == Access::kRead ? "read" : "write (create, truncate, remove)";
  return app
      .add_flag(absl::StrCat(Permissions::FlagName(access), "{", kAllPaths, "}"), paths,
                absl::StrCat("Let file ops ", verb,
                             " these paths and what is below them (symlinks resolved first); "
                             "bare: every path. Nothing is allowed by default"))
      ->delimiter(',');
}

// Shows "--allow-read[=PATH,...]" in --help rather than CLI11's "--allow-read{*}".
class RunFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* option, bool is_positional) const override {
    std::string name = CLI::Formatter::make_option_name(option, is_positional);
    return CLI::detail::find_and_replace(name, absl::StrCat("{", kAllPaths, "}"), "[=PATH,...]");
  }
};

// The flag's values into `permissions`; an error names the path that cannot be resolved.
absl::Status ApplyPermissionFlag(Access access, const std::vector<std::string>& paths,
                                 Permissions& permissions) {
  for (const std::string& path : paths) {
    if (path == kAllPaths) {
      permissions.AllowAll(access);
      continue;
    }
    if (absl::Status s = permissions.Allow(access, path); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

int RunRuntimeMain(int argc, char** argv, const char* tool_name) {
  const std::string tool = tool_name;
  CLI::App app(
      absl::StrCat(
          "Runs SCRIPT (an ES module) on the runtime described by a manifest, loaded from a\n"
          "snapshot.\n\n"
          "Examples:\n"
          "  ",
          tool,
          " --snapshot out/release/default.bin hello.js\n"
          "  ",
          tool,
          " --no-snapshot hello.js                 # evaluate the extensions from source\n"
          "  ",
          tool,
          " --snapshot s.bin --manifest m.textproto hello.js\n\n"
          "The runtime is configured by the manifest compiled into this binary unless --manifest\n"
          "names another. Before V8 sees the snapshot, its sidecar is checked against that\n"
          "configuration; any difference is refused with the first culprit named (--relink binds\n"
          "by name instead when only the extensions' order differs).\n\n"
          "File ops may touch nothing unless --allow-read / --allow-write grant it; the ES\n"
          "modules the script imports are loaded regardless.\n"
          "Exit codes: 0 ok, 1 error (mismatch, bad file, uncaught JS exception), 2 usage error."),
      tool);
  AddVersionFlag(app, tool);
  app.formatter(std::make_shared<RunFormatter>());
  std::string snapshot, manifest_path, script;
  bool no_snapshot = false;
  auto* snapshot_option =
      app.add_option("--snapshot", snapshot, "Snapshot blob (its sidecar is PATH.sidecar.pb)");
  app.add_option("--manifest", manifest_path,
                 "Configure the runtime from this manifest instead of the compiled-in one");
  app.add_flag("--no-snapshot", no_snapshot,
               "Evaluate the extensions' sources at start-up instead of loading a snapshot")
      ->excludes(snapshot_option);
  bool relink = false;
  app.add_flag("--relink", relink,
               "When the snapshot lists the same extensions, ops and references in another "
               "order, bind them by name in the snapshot's order instead of refusing it");
  std::vector<std::string> allow_read, allow_write;
  AddPermissionFlag(app, Access::kRead, allow_read);
  AddPermissionFlag(app, Access::kWrite, allow_write);
  ExecutionLimitOptions limits;
  app.add_option("--max-heap-mb", limits.max_heap_mb,
                 "Heap ceiling in MiB; a script that needs more is stopped with an out-of-memory "
                 "error (exit 1) instead of aborting the process");
  app.add_option("--timeout-ms", limits.timeout_ms,
                 "Stop the script (and its timers and ops) after this many milliseconds (exit 1)");
  app.add_option("script", script, "The ES module to run")->required();
  // CLI11 reads "--allow-read=" like a bare --allow-read; an empty list (an unset variable in
  // "--allow-read=$DIR") must not grant every path.
  for (int i = 1; i < argc; ++i) {
    for (Access access : {Access::kRead, Access::kWrite}) {
      if (argv[i] == absl::StrCat(Permissions::FlagName(access), "=")) {
        PrintError(tool,
                   absl::StrCat(argv[i], " names no path: give ", Permissions::FlagName(access),
                                "=PATH[,PATH...], or the bare flag for every path"));
        return kExitUsage;
      }
    }
  }
  if (int code = ParseOrExit(app, argc, argv); code >= 0) return code;
  if (!no_snapshot && snapshot.empty()) {
    PrintError(tool, "give --snapshot PATH, or --no-snapshot to start from source");
    return kExitUsage;
  }

  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  RuntimeConfig config;
  absl::StatusOr<LoadedManifest> manifest = manifest_path.empty()
                                                ? LoadEmbeddedManifest(check)
                                                : LoadManifestOrError(manifest_path, check);
  if (!manifest.ok()) {
    PrintError(tool, manifest.status());
    return kExitFailure;
  }
  config.manifest = std::move(*manifest);
  config.manifest_label = manifest_path.empty() ? kEmbeddedManifest.manifest_path : manifest_path;
  config.relink = relink;
  config.limits = limits;
  for (auto [access, paths] :
       {std::pair{Access::kRead, &allow_read}, std::pair{Access::kWrite, &allow_write}}) {
    if (absl::Status s = ApplyPermissionFlag(access, *paths, config.permissions); !s.ok()) {
      PrintError(tool, s);
      return kExitUsage;
    }
  }

  auto runtime =
      no_snapshot ? JsRuntime::FromSource(config) : JsRuntime::FromSnapshot(snapshot, config);
  if (!runtime.ok()) {
    PrintError(tool, runtime.status());
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

}  // namespace v8snap
