// snapshot_inspect's commands: each builds a report (inspect_report.proto), prints it as text or
// JSON, and returns the process exit code. inspect_main.cc only parses flags and calls Run*.
//
// The report builders and text renderers are separate so tests can check what a user sees
// without spawning the tool.
#ifndef V8SNAP_SNAPSHOT_INSPECT_COMMANDS_H_
#define V8SNAP_SNAPSHOT_INSPECT_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/cli_support.h"
#include "format/snapshot_files.h"
#include "google/protobuf/message.h"
#include "snapshot_inspect/inspect_report.pb.h"
#include "snapshot_inspect/snapshot_diff.h"

namespace v8snap::inspect {

// This binary's name in "NAME: error: ..." lines: snapshot_inspect, or the name an embedder's
// inspector passed to RunInspectMain (inspect_main.h). Converts to std::string where a tool
// name is expected.
struct InspectorName {
  operator std::string() const { return MessageToolNames().inspector; }  // NOLINT: implicit
};
inline constexpr InspectorName kTool{};

// The report as JSON: proto field names, every primitive printed, indented, newline-terminated.
std::string ToJson(const google::protobuf::Message& report);

// ---- info ----
// Parts of `info` that --only may select (text and JSON).
inline constexpr const char* kInfoParts[] = {"build",   "sections", "extensions", "ops",
                                             "refs",    "modules",  "sizes"};
struct InfoOptions {
  std::string blob_path;
  bool json = false;
  // Empty: everything. Otherwise some of kInfoParts.
  std::vector<std::string> only;
};
// Reads the sidecar and the blob (no V8). A blob that does not match its sidecar is still
// described (blob.matches_sidecar = false); an unreadable sidecar or blob is an error.
absl::StatusOr<InfoReport> BuildInfoReport(const std::string& blob_path);
// Clears the parts not in `only` (empty: keeps all).
void KeepInfoParts(const std::vector<std::string>& only, InfoReport* report);
std::string RenderInfoText(const InfoReport& report, const std::vector<std::string>& only);
int RunInfo(const InfoOptions& options);

// ---- verify ----
struct VerifyOptions {
  std::string blob_path;
  std::string manifest_path;  // empty: integrity checks only
  bool json = false;
};
VerifyReport BuildVerifyReport(const VerifyOptions& options);
std::string RenderVerifyText(const VerifyReport& report);
int RunVerify(const VerifyOptions& options);

// ---- validate ----
struct ValidateOptions {
  std::string manifest_path;
  bool fix = false;
  bool json = false;
  // kGithub: problems as GitHub Actions annotations (one ::error line each) on stdout.
  ErrorFormat error_format = ErrorFormat::kText;
};
// Validates (and with fix, rewrites and re-validates) the manifest. Never fails: a manifest that
// cannot be read is a problem in the report, and a rewrite --fix cannot do is its fix_error (the
// manifest is then untouched). --fix writes through a symlink to its target and keeps the
// target's permission bits.
ValidateReport BuildValidateReport(const ValidateOptions& options);
std::string RenderValidateText(const ValidateReport& report);
int RunValidate(const ValidateOptions& options);

// ---- diff ----
struct DiffOptions {
  std::string old_path;
  std::string new_path;
  Severity fail_on = Severity::kBreaking;
  bool heap = false;
  bool json = false;
};
absl::StatusOr<DiffReport> BuildDiffReport(const DiffOptions& options);
std::string RenderDiffText(const DiffReport& report);
// diff(1) exit codes: 0 nothing at or above --fail-on changed, 1 something did, 2 trouble.
int RunDiff(const DiffOptions& options);

// ---- heap ----
struct HeapOptions {
  std::string blob_path;
  int top = 20;  // 0: every group
  bool json = false;
};
std::string RenderHeapText(const HeapReport& report);
int RunHeap(const HeapOptions& options);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_COMMANDS_H_
