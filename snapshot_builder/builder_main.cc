// RunBuilderMain: manifest in, snapshot blob + sidecar out (the snapshot_builder command line).
#include "snapshot_builder/builder_main.h"

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/builtin_sources.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "runtime/bootstrap.h"
#include "runtime/build_clock.h"
#include "runtime/execution_limits.h"
#include "runtime/v8_process.h"
#include "snapshot_builder/snapshot_builder.h"

namespace v8snap {

int RunBuilderMain(int argc, char** argv, const char* tool_name) {
  IgnoreClosedOutput();
  SetMessageToolNames({tool_name, MessageToolNames().inspector});  // fix lines name this binary
  ConfigureBuiltinSources();  // where a manifest's "builtin:" sources are
  const std::string tool = tool_name;
  CLI::App app(
      absl::StrCat(
          "Builds a V8 startup snapshot from a manifest and writes the blob and its sidecar.\n\n"
          "Examples:\n  ",
          tool, " --manifest app.textproto --out app.bin\n  ", tool,
          " --manifest m.textproto --out snap.bin --code-cache=clear --verbose\n\n"
          "Writes OUT and OUT.sidecar.pb, each atomically: a failed build leaves the previous "
          "pair.\n"
          "The clock JS reads while building is fixed, so builds are byte-identical: "
          "SOURCE_DATE_EPOCH (seconds) when set, else 2000-01-01T00:00:00Z.\n"
          "Exit codes: 0 built, 1 build failed (message on stderr), 2 usage error."),
      tool);
  AddVersionFlag(app, tool);
  BuildOptions options;
  std::string v8_flags;
  // keep by default: measured on five npm libraries and the default runtime (docs/performance.md,
  // "Code cache"), it costs 2-5% of blob and at most a few percent of a start that calls nothing,
  // and saves a quarter of a start that calls much of a large library.
  std::string code_cache = "keep";
  app.add_option("--manifest", options.manifest_path, "Manifest (protobuf text format)")
      ->required()
      ->check(NonEmptyPath());
  app.add_option("--out", options.out_path, "Blob path; the sidecar goes to OUT.sidecar.pb")
      ->required()
      ->check(NonEmptyPath());
  app.add_option("--v8-flags", v8_flags,
                 "Extra V8 flags, space-separated (after --predictable and fixed seeds); checked "
                 "before the build. --v8-flags=--help lists the flags this V8 knows");
  app.add_option("--code-cache", code_cache,
                 "keep: the code of the functions the build ran stays in the blob (faster first "
                 "calls, a 2-5% bigger blob); clear: drop it (smaller blob, each function compiled "
                 "again at its first call)")
      ->check(CLI::IsMember({"keep", "clear"}))
      ->capture_default_str();
  app.add_option("--warmup", options.warmup_script_path,
                 "Run this classic script before serializing, so the functions it calls keep "
                 "their compiled code in the blob (needs --code-cache=keep, the default)");
  app.add_option("--depfile", options.depfile_path,
                 "Also write a depfile (OUT: manifest sources...) for ninja or make")
      ->check(NonEmptyPath());
  app.add_flag("--size-report", options.size_report,
               "Also record in the sidecar how many blob bytes each extension adds (builds each "
               "manifest prefix once more; see docs/inspect.md)");
  app.add_flag("--require-rehashable", options.require_rehashable,
               "Fail when V8 cannot rehash the blob, so every process draws its own hash seed "
               "(V8 cannot rehash a blob that holds ES modules; see docs/reliability.md)");
  std::string max_heap_mb, timeout_ms;
  app.add_option("--timeout-ms", timeout_ms,
                 absl::StrCat("Stop the build's JS (extensions, warm-up, hooks) after this many "
                              "milliseconds (0 to ",
                              kMaxTimeoutMs,
                              "; 0: no limit) with an error naming the file being evaluated "
                              "(exit 1). Default: ",
                              kDefaultBuildTimeoutMs, " (5 minutes), so a build never hangs"))
      ->type_name("MS");
  app.add_option("--max-heap-mb", max_heap_mb,
                 absl::StrCat("Ceiling in MiB (", kMinHeapMb, " to ", kMaxHeapMb,
                              ") on the JS heap while building; JS that needs more is stopped "
                              "with an out-of-memory error naming the file (exit 1). Default: "
                              "V8's heap limit, watched the same way"))
      ->type_name("MIB");
  app.add_flag("--verbose,-v", options.verbose, "One line per extension and a summary on stderr");
  ErrorFormat error_format = ErrorFormat::kText;
  AddErrorFormatOption(app, error_format);
  // V8's flag list is a question of its own: it needs no manifest and builds nothing.
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--v8-flags=--help") {
      V8Process::PrintFlagHelp();
      return kExitOk;
    }
  }
  if (int code = ParseOrExit(app, argc, argv); code >= 0) return code;

  for (auto [flag, text, min, max, unit, out] :
       {std::tuple{"--max-heap-mb", &max_heap_mb, kMinHeapMb, kMaxHeapMb, "MiB",
                   &options.limits.max_heap_mb},
        std::tuple{"--timeout-ms", &timeout_ms, uint64_t{0}, kMaxTimeoutMs, "milliseconds",
                   &options.limits.timeout_ms}}) {
    if (text->empty()) continue;
    if (absl::Status s = ParseWholeNumberFlag(flag, *text, min, max, unit, *out); !s.ok()) {
      PrintErrorAs(error_format, tool, s);
      return kExitUsage;
    }
  }

  // One operation of the build's JS that allocates past the heap limit in one go makes V8 give
  // up on the process: an error and exit 1 instead of V8's abort.
  ExecutionLimits::ExitCleanlyOnFatalOutOfMemory(tool);

  for (absl::string_view flag : absl::StrSplit(v8_flags, ' ', absl::SkipEmpty())) {
    options.extra_v8_flags.emplace_back(flag);
  }
  if (V8Process::AsksForFlagHelp(options.extra_v8_flags)) {
    V8Process::PrintFlagHelp();
    return kExitOk;
  }
  // Before V8 starts: V8 itself would only print a line about a bad flag and go on, and the
  // sidecar would record it.
  if (absl::Status flags = V8Process::CheckFlags(options.extra_v8_flags); !flags.ok()) {
    PrintErrorAs(error_format, tool,
                 absl::InvalidArgumentError(
                     absl::StrCat("--v8-flags: ", flags.message(), "\n  fix: correct or drop it; `",
                                  tool, " --v8-flags=--help` lists the flags this V8 knows.")));
    return kExitUsage;
  }

  // A bad SOURCE_DATE_EPOCH is the caller's mistake, like a bad flag.
  if (absl::StatusOr<BuildClock> clock = BuildClockFromEnvironment(); !clock.ok()) {
    PrintErrorAs(error_format, tool, clock.status());
    return kExitUsage;
  }

  // Output paths are checked before V8 starts: a build that cannot write its result should say
  // so at once, and leave nothing behind.
  absl::Status writable = CheckSnapshotOutputPath(options.out_path, "--out");
  if (writable.ok() && !options.depfile_path.empty()) {
    writable = CheckOutputFilePath(options.depfile_path, "--depfile");
  }
  if (!writable.ok()) {
    PrintErrorAs(error_format, tool, writable);
    return kExitFailure;
  }

  options.keep_code_cache = code_cache == "keep";
  absl::StatusOr<BuildSummary> summary = BuildSnapshot(options);
  if (!summary.ok()) {
    PrintErrorAs(error_format, tool, summary.status());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace v8snap
