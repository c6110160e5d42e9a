// RunRuntimeMain: snapshot_run's command line. Runs a script as an ES module on a runtime
// loaded from a checked snapshot.
#include "runtime/run_main.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/builtin_sources.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "runtime/embedded_manifest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "runtime/permissions.h"
#include "runtime/process_output.h"
#include "runtime/serve/prestarted_runtime.h"
#include "runtime/serve/serve_main.h"

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

// Shows "--allow-read[=PATH,...]" in --help rather than CLI11's "--allow-read{*}". Replaced in
// the option's whole line, since CLI11 2.5 and later split the names at commas before laying
// them out; as many of the spaces after the name as it grew are taken back, so the description
// keeps its column.
class RunFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* option, bool is_positional) const override {
    std::string line = CLI::Formatter::make_option(option, is_positional);
    const std::string placeholder = absl::StrCat("{", kAllPaths, "}");
    constexpr std::string_view kShown = "[=PATH,...]";
    const size_t at = line.find(placeholder);
    if (at == std::string::npos) return line;
    line.replace(at, placeholder.size(), kShown);
    const size_t after = at + kShown.size();
    size_t spaces = 0;
    while (after + spaces < line.size() && line[after + spaces] == ' ') ++spaces;
    // Keep at least one space between the name and its description.
    line.erase(after, std::min(kShown.size() - placeholder.size(), spaces > 0 ? spaces - 1 : 0));
    return line;
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

// Errors that JsRuntime reports about the run rather than about the script's JS (which comes
// formatted as "file:line:col: Uncaught ..." and is printed as it is).
bool IsRuntimeError(const absl::Status& status) {
  return absl::IsResourceExhausted(status) || absl::IsDeadlineExceeded(status);
}

}  // namespace

int RunRuntimeMain(int argc, char** argv, const char* tool_name, const char* builder_name) {
  const std::string tool = tool_name;
  // `--serve SOCKET`: keep runtimes ready for snapshot_run_client (runtime/serve/serve_main.h).
  if (IsServeCommand(argc, argv)) {
    return RunServeMain(argc, argv, tool_name, builder_name, RunRuntimeMain);
  }
  // A reader that goes away (`| head -1`) must not kill the process with SIGPIPE (exit 141):
  // the write op sees EPIPE instead and the run ends quietly (runtime/process_output.h).
  IgnoreClosedOutput();
  SetMessageToolNames({builder_name, MessageToolNames().inspector});  // fix lines: own builder
  CLI::App app(
      absl::StrCat(
          "Runs SCRIPT (an ES module) on the runtime described by a manifest, loaded from a\n"
          "snapshot.\n\n"
          "Examples:\n"
          "  ",
          tool,
          " --snapshot app.bin hello.js\n"
          "  ",
          tool,
          " --no-snapshot hello.js                 # evaluate the extensions from source\n"
          "  ",
          tool,
          " --snapshot app.bin --manifest app.textproto hello.js\n\n"
          "The runtime is configured by the manifest compiled into this binary unless --manifest\n"
          "names another. Before V8 sees the snapshot, its sidecar is checked against that\n"
          "configuration; any difference in native wiring is refused with the first culprit\n"
          "named (--relink binds by name instead when only the extensions' order differs).\n"
          "JS-only extensions the snapshot adds run from it alone: no source file is opened.\n"
          "With --manifest, the manifest's sources are compared with the ones the snapshot was\n"
          "built from, and a stale snapshot is refused.\n\n"
          "File ops may touch nothing unless --allow-read / --allow-write grant it. The script\n"
          "and its static imports load without a grant; a dynamic import() of a file needs\n"
          "--allow-read for it.\n"
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
  bool exact_extensions = false, verbose = false;
  app.add_flag("--exact-extensions", exact_extensions,
               "Refuse a snapshot that adds JS-only extensions to the runtime's manifest (by "
               "default they run from the snapshot alone; native wiring is checked either way)");
  app.add_flag("--verbose", verbose,
               "Say on stderr where the runtime's extensions came from (the manifest, or the "
               "snapshot alone)");
  std::vector<std::string> allow_read, allow_write;
  AddPermissionFlag(app, Access::kRead, allow_read);
  AddPermissionFlag(app, Access::kWrite, allow_write);
  std::string max_heap_mb, timeout_ms;
  app.add_option("--max-heap-mb", max_heap_mb,
                 absl::StrCat("Ceiling in MiB (", kMinHeapMb, " to ", kMaxHeapMb,
                              ") on the JS heap, and separately on ArrayBuffer memory; a script "
                              "that needs more is stopped with an out-of-memory error (exit 1). "
                              "Default: V8's heap limit, watched the same way"))
      ->type_name("MIB");
  app.add_option("--timeout-ms", timeout_ms,
                 absl::StrCat("Stop the script (and its timers and ops) after this many "
                              "milliseconds (1 to ",
                              kMaxTimeoutMs, ") with an error (exit 1)"))
      ->type_name("MS");
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
  ExecutionLimitOptions limits;
  for (auto [flag, text, min, max, unit, out] :
       {std::tuple{"--max-heap-mb", &max_heap_mb, kMinHeapMb, kMaxHeapMb, "MiB",
                   &limits.max_heap_mb},
        std::tuple{"--timeout-ms", &timeout_ms, uint64_t{1}, kMaxTimeoutMs, "milliseconds",
                   &limits.timeout_ms}}) {
    if (text->empty()) continue;
    if (absl::Status s = ParseWholeNumberFlag(flag, *text, min, max, unit, *out); !s.ok()) {
      PrintError(tool, s);
      return kExitUsage;
    }
  }
  // Checked before the snapshot is loaded: a wrong path is the most common mistake of all.
  if (absl::StatusOr<std::string> source = ReadFileToString(script); !source.ok()) {
    char cwd[PATH_MAX];
    PrintError(tool, absl::StrCat(source.status().message(),
                                  "\n  fix: give the path of an ES module file to run (a "
                                  "relative path starts from the current folder, ",
                                  getcwd(cwd, sizeof(cwd)) != nullptr ? cwd : ".", ")."));
    return kExitFailure;
  }
  // When one operation of the script allocates past the heap limit in one go, V8 gives up on
  // the process; report it like any other out-of-memory error rather than as SIGTRAP.
  ExecutionLimits::ExitCleanlyOnFatalOutOfMemory(tool);

  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  RuntimeConfig config;
  // A manifest file's "builtin:" sources are read from v8snap's extensions folder; the embedded
  // manifest's are compiled in under that very name, so it must not be resolved for them.
  if (!manifest_path.empty()) ConfigureBuiltinSources();
  absl::StatusOr<LoadedManifest> manifest = manifest_path.empty()
                                                ? LoadEmbeddedManifest(check)
                                                : LoadManifestOrError(manifest_path, check);
  if (!manifest.ok()) {
    PrintError(tool, manifest.status());
    return kExitFailure;
  }
  config.manifest = std::move(*manifest);
  config.manifest_label = manifest_path.empty() ? kEmbeddedManifest.manifest_path : manifest_path;
  config.builder_name = builder_name;
  config.relink = relink;
  config.exact_extensions = exact_extensions;
  config.limits = limits;
  for (auto [access, paths] :
       {std::pair{Access::kRead, &allow_read}, std::pair{Access::kWrite, &allow_write}}) {
    if (absl::Status s = ApplyPermissionFlag(access, *paths, config.permissions); !s.ok()) {
      PrintError(tool, s);
      return kExitUsage;
    }
  }

  auto runtime =
      no_snapshot ? JsRuntime::FromSource(config) : PrestartedOrFromSnapshot(snapshot, config);
  if (!runtime.ok()) {
    PrintError(tool, runtime.status());
    return kExitFailure;
  }
  if (verbose && !no_snapshot) {
    const std::vector<std::string>& layered = (*runtime)->extensions_from_snapshot();
    std::string line = absl::StrCat(tool, ": loaded ", snapshot, ": ",
                                    config.manifest.extensions.size(), " extensions from ",
                                    config.manifest_label, " (native wiring checked)");
    if (!layered.empty()) {
      absl::StrAppend(&line, "; from the snapshot alone (JS-only, no sources read): ",
                      absl::StrJoin(layered, ", "));
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  absl::Status status = (*runtime)->RunMainModule(script);
  // Stopped because stdout's reader went away: a quiet end, as for a Unix tool piped into head.
  if (absl::IsCancelled(status) && StdoutClosed()) return kExitOk;
  if (!status.ok()) {
    std::fflush(stdout);
    if (IsRuntimeError(status)) {
      PrintError(tool, status);
    } else {
      std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace v8snap
