// `snapshot_inspect report NEW [OLD] --out FILE.html`: one self-contained HTML page (no network;
// CSS, script and data inline, the charts drawn as SVG by the page) for people who would rather
// look than read: a treemap of the blob, the heap composition and, with OLD, sizes side by side
// and the API diff.
//
// Usage (main.cc registers the command):
//   ReportOptions options{"new.bin", "old.bin", "report.html"};
//   int exit_code = RunReport(options);
#ifndef V8SNAP_SNAPSHOT_INSPECT_REPORT_COMMAND_H_
#define V8SNAP_SNAPSHOT_INSPECT_REPORT_COMMAND_H_

#include <string>

#include "absl/status/statusor.h"
#include "snapshot_inspect/inspect_report.pb.h"

namespace CLI {
class App;
}  // namespace CLI

namespace v8snap::inspect {

struct ReportOptions {
  std::string new_path;
  std::string old_path;  // empty: one snapshot
  std::string out_path;
  // Also print the page's data (HtmlReportData) on stdout as JSON, instead of "wrote FILE".
  bool json = false;
};

// Reads the pairs, measures their heaps (V8 starts) and diffs them. Errors name the file.
absl::StatusOr<HtmlReportData> BuildHtmlReportData(const ReportOptions& options);

// The page: the template of report_page.h with `data` embedded.
std::string RenderHtmlReport(const HtmlReportData& data);

// Writes the page atomically (a failed run leaves an older report intact). Exit codes: 0 written,
// 1 a pair that cannot be read or loaded, or a file that cannot be written (message on stderr).
int RunReport(const ReportOptions& options);

// Adds the `report` subcommand to snapshot_inspect's command line; after parsing, RunReport with
// the options it filled runs when the returned subcommand was parsed.
CLI::App* AddReportCommand(CLI::App& app, ReportOptions& options);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_REPORT_COMMAND_H_
