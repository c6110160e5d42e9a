// RunInspectMain: snapshot_inspect's whole command line (every command's flags, help and
// dispatch), shared by snapshot_inspect and embedders' own inspectors.
#include "snapshot_inspect/inspect_main.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/builtin_sources.h"
#include "cli/cli_support.h"
#include "format/snapshot_files.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/report_command.h"

namespace v8snap {
namespace {

constexpr const char* kCommands[] = {"info", "verify", "validate", "diff", "heap", "report"};

// CLI11's own message for a misspelt command is "The following arguments were not expected";
// name the command and list the real ones instead. The top level only has flags (--help,
// --version), so its first non-flag argument is the command.
bool RejectUnknownCommand(int argc, char** argv, const std::string& tool) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    if (std::find_if(std::begin(kCommands), std::end(kCommands), [&](const char* c) {
          return std::strcmp(c, argv[i]) == 0;
        }) != std::end(kCommands)) {
      return false;
    }
    PrintError(tool,
               absl::StrCat("unknown command '", argv[i], "': the commands are ",
                            absl::StrJoin(kCommands, ", "), " (", tool, " --help describes them)"));
    return true;
  }
  return false;
}

// --top: CLI11's NonNegativeNumber says "Value abc not in range 0.000000 to 1.79769e+308".
CLI::Validator TopCount() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        int n = 0;
        if (absl::SimpleAtoi(value, &n) && n >= 0) return "";
        return absl::StrCat("expected a non-negative integer (0 shows every group), got '", value,
                            "'");
      },
      "N>=0");
}

// "Examples:\n  TOOL line\n  TOOL line\n\n": the examples name this binary and files as a user
// has them (app.bin, app.textproto), never paths inside v8snap's source tree.
std::string Examples(const std::string& tool, std::initializer_list<const char*> lines) {
  std::string out = "Examples:\n";
  for (const char* line : lines) absl::StrAppend(&out, "  ", tool, " ", line, "\n");
  return out + "\n";
}

}  // namespace

int RunInspectMain(int argc, char** argv, const char* tool_name, const char* builder_name) {
  IgnoreClosedOutput();
  using namespace v8snap::inspect;
  const std::string tool = tool_name;
  SetMessageToolNames({builder_name, tool});
  ConfigureBuiltinSources();  // where a manifest's "builtin:" sources are
  CLI::App app(
      absl::StrCat(
          "Looks inside V8 startup snapshots built by ", builder_name,
          ", checks them, validates\n"
          "manifests and diffs two snapshots. Every command takes --json (keys: "
          "docs/inspect.md).\n\n",
          Examples(tool, {"info app.bin", "info app.bin --only ops,refs",
                          "verify app.bin --manifest app.textproto", "validate app.textproto --fix",
                          "diff base.bin head.bin --fail-on=compatible --heap",
                          "heap app.bin --top 5", "report head.bin base.bin --out review.html"}),
          "Exit codes: 0 ok, 1 failure (or, for diff, a change at or above --fail-on), 2 usage\n"
          "error (for diff: any trouble)."),
      tool);
  AddVersionFlag(app, tool);
  app.require_subcommand(1);

  InfoOptions info;
  CLI::App* info_command = app.add_subcommand(
      "info", "V8 and builder versions, blob sections, extensions, ops, references, modules");
  info_command
      ->add_option("snapshot", info.blob_path, "Snapshot blob (sidecar: SNAPSHOT.sidecar.pb)")
      ->required();
  info_command->add_flag("--json", info.json, "Print the report as JSON");
  info_command->footer(absl::StrCat(
      Examples(tool, {"info app.bin", "info app.bin --only ops,refs",
                      "info app.bin --only sections --json"}),
      "Exit codes: 0 ok, 1 unreadable pair or a blob that does not match its sidecar, 2 usage."));
  info_command
      ->add_option("--only", info.only,
                   "Show only these parts, comma-separated: build, sections, extensions, ops, "
                   "refs, modules, sizes")
      ->delimiter(',')
      ->check(
          CLI::IsMember(std::vector<std::string>(std::begin(kInfoParts), std::end(kInfoParts))));

  VerifyOptions verify;
  CLI::App* verify_command = app.add_subcommand(
      "verify", "Integrity of a snapshot pair; with --manifest, whether that runtime loads it");
  verify_command->add_option("snapshot", verify.blob_path, "Snapshot blob")->required();
  verify_command->add_option("--manifest", verify.manifest_path,
                             "Check it as a runtime configured by this manifest would");
  verify_command->add_flag("--json", verify.json, "Print the report as JSON");
  verify_command->footer(absl::StrCat(
      Examples(tool, {"verify app.bin", "verify app.bin --manifest app.textproto --json"}),
      "Exit codes: 0 every check passed, 1 a check failed (first failure on stderr), 2 usage."));

  ValidateOptions validate;
  CLI::App* validate_command = app.add_subcommand(
      "validate", "Every problem of a manifest at once, and an order that satisfies the deps");
  validate_command->add_option("manifest", validate.manifest_path, "Manifest (text format)")
      ->required();
  validate_command->add_flag("--fix", validate.fix,
                             "Rewrite the manifest in the suggested order (atomically; comments "
                             "move with their blocks)");
  validate_command->add_flag("--json", validate.json, "Print the report as JSON");
  AddErrorFormatOption(*validate_command, validate.error_format);
  validate_command->footer(absl::StrCat(
      Examples(tool, {"validate app.textproto", "validate app.textproto --fix",
                      "validate app.textproto --error-format=github   # in a GitHub workflow"}),
      "Exit codes: 0 no problem (after --fix, if given), 1 problems, 2 usage."));

  DiffOptions diff;
  std::string fail_on = "breaking";
  CLI::App* diff_command = app.add_subcommand(
      "diff", "What changed between two snapshots, classified breaking or compatible");
  diff_command->add_option("old", diff.old_path, "The old snapshot blob")->required();
  diff_command->add_option("new", diff.new_path, "The new snapshot blob")->required();
  diff_command
      ->add_option("--fail-on", fail_on,
                   "Exit 1 when something at or above this changed (none: never)")
      ->check(CLI::IsMember({"none", "compatible", "breaking"}))
      ->capture_default_str();
  diff_command->add_flag("--heap", diff.heap, "Also load both blobs in V8 and compare their heaps");
  diff_command->add_flag("--json", diff.json, "Print the report as JSON");
  diff_command->footer(absl::StrCat(
      Examples(tool, {"diff base/app.bin head/app.bin",
                      "diff base.bin head.bin --fail-on=compatible --json",
                      "diff base.bin head.bin --heap --fail-on=none"}),
      "Exit codes (diff(1)): 0 nothing at or above --fail-on changed, 1 something did, 2 usage\n"
      "error or trouble (a pair missing, unreadable or corrupt)."));

  HeapOptions heap;
  CLI::App* heap_command = app.add_subcommand(
      "heap", "What fills a snapshot's heap: categories, extensions, biggest objects");
  heap_command->add_option("snapshot", heap.blob_path, "Snapshot blob")->required();
  heap_command
      ->add_option("--top", heap.top,
                   "Show the N largest categories and groups and the N biggest objects (0: all "
                   "groups, 50 objects)")
      ->check(TopCount())
      ->capture_default_str();
  heap_command->add_flag("--json", heap.json, "Print the report as JSON");
  heap_command->footer(absl::StrCat(
      Examples(tool, {"heap app.bin", "heap app.bin --top 0 --json"}),
      "Exit codes: 0 ok, 1 the pair cannot be read or V8 could not load the blob, 2 usage."));

  ReportOptions report;
  CLI::App* report_command = AddReportCommand(app, report);

  if (RejectUnknownCommand(argc, argv, tool)) return kExitUsage;
  if (int code = ParseOrExit(app, argc, argv); code >= 0) return code;

  if (info_command->parsed()) return RunInfo(info);
  if (verify_command->parsed()) return RunVerify(verify);
  if (report_command->parsed()) return RunReport(report);
  if (validate_command->parsed()) return RunValidate(validate);
  if (diff_command->parsed()) {
    diff.fail_on = *ParseSeverity(fail_on);
    return RunDiff(diff);
  }
  return RunHeap(heap);
}

}  // namespace v8snap
