// `snapshot_inspect report`: gathers what info, heap and diff report into HtmlReportData and
// writes the self-contained page (report_page.h) atomically.
#include "snapshot_inspect/report_command.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "format/status_macros.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/heap_composition.h"
#include "snapshot_inspect/report_page.h"

namespace v8snap::inspect {
namespace {

// The page lists this many categories, groups and biggest objects at most; totals, extensions
// and sources cover everything anyway.
constexpr int kShownRows = 20;

// The heap of `path`, or nullopt (with a note) when the snapshot is another V8's: the V8 linked
// here cannot load it, and a V8 upgrade should still be reviewable (the sidecars, the sections
// and the API diff need no V8).
absl::StatusOr<std::optional<HeapComposition>> HeapIfLoadable(const std::string& path,
                                                              HtmlReportData* data) {
  ASSIGN_OR_RETURN(SnapshotPair pair, ReadSnapshotPair(path));
  absl::StatusOr<HeapComposition> heap = MeasureHeap(pair, path);
  if (heap.ok()) {
    KeepTopGroups(kShownRows, &*heap);
    return std::optional<HeapComposition>(*std::move(heap));
  }
  if (!absl::IsFailedPrecondition(heap.status())) return heap.status();
  data->add_notes(absl::StrCat("The heap of ", path, " is not shown: ", heap.status().message()));
  return std::optional<HeapComposition>();
}

}  // namespace

absl::StatusOr<HtmlReportData> BuildHtmlReportData(const ReportOptions& options) {
  HtmlReportData data;
  ASSIGN_OR_RETURN(*data.mutable_new_info(), BuildInfoReport(options.new_path));
  ASSIGN_OR_RETURN(std::optional<HeapComposition> new_heap,
                   HeapIfLoadable(options.new_path, &data));
  if (new_heap) *data.mutable_new_heap() = std::move(*new_heap);
  if (!options.old_path.empty()) {
    ASSIGN_OR_RETURN(*data.mutable_old_info(), BuildInfoReport(options.old_path));
    ASSIGN_OR_RETURN(std::optional<HeapComposition> old_heap,
                     HeapIfLoadable(options.old_path, &data));
    if (old_heap) *data.mutable_old_heap() = std::move(*old_heap);
    DiffOptions diff;
    diff.old_path = options.old_path;
    diff.new_path = options.new_path;
    diff.fail_on = Severity::kNone;
    ASSIGN_OR_RETURN(*data.mutable_diff(), BuildDiffReport(diff));
  }
  return data;
}

std::string RenderHtmlReport(const HtmlReportData& data) {
  // "</" inside the JSON would end the <script> element that carries it; "<\/" is the same
  // JSON string.
  std::string json = absl::StrReplaceAll(ToJson(data), {{"</", "<\\/"}});
  std::string title = data.new_info().blob_path();
  if (data.has_old_info()) title = absl::StrCat(data.old_info().blob_path(), " → ", title);
  return ReportPage(title, json);
}

int RunReport(const ReportOptions& options) {
  if (absl::Status can_write = CheckOutputFilePath(options.out_path, "--out"); !can_write.ok()) {
    PrintError(kTool, can_write);
    return kExitFailure;
  }
  absl::StatusOr<HtmlReportData> data = BuildHtmlReportData(options);
  if (!data.ok()) {
    PrintError(kTool, data.status());
    return kExitFailure;
  }
  if (absl::Status written = WriteFileAtomically(options.out_path, RenderHtmlReport(*data));
      !written.ok()) {
    PrintError(kTool, written);
    return kExitFailure;
  }
  const std::string text =
      options.json ? ToJson(*data) : absl::StrCat("wrote ", options.out_path, "\n");
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

CLI::App* AddReportCommand(CLI::App& app, ReportOptions& options) {
  CLI::App* command = app.add_subcommand(
      "report", "One self-contained HTML page: blob treemap, heap, and with OLD the diff");
  command->add_option("new", options.new_path, "The snapshot blob to show")
      ->required()
      ->check(NonEmptyPath());
  command->add_option("old", options.old_path,
                      "An older snapshot blob: sizes side by side and the API diff");
  command->add_option("--out", options.out_path, "The HTML file to write (atomically)")
      ->required()
      ->check(NonEmptyPath());
  command->add_flag("--json", options.json,
                    "Print the data the page shows as JSON (the page is written all the same)");
  command->footer(
      "Examples:\n"
      "  snapshot_inspect report out/release/default.bin --out report.html\n"
      "  snapshot_inspect report head.bin base.bin --out review.html\n\n"
      "The page needs no network: styles, script, data and charts are all inside it.\n"
      "Exit codes: 0 written, 1 a pair that cannot be read or loaded, or an --out that cannot\n"
      "be written, 2 usage.");
  return command;
}

}  // namespace v8snap::inspect
