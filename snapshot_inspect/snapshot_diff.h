// What changed between two snapshots, classified by what it means for the runtime that loads
// them: breaking (the runtime must change in lockstep) or compatible. Works on sidecars and blob
// headers only; layout differences come from check/layout_diff.h DiffLayouts, never from here.
//
// Usage:
//   SnapshotSide a{"a.bin", pair_a.sidecar, header_a}, b{...};
//   DiffReport report = DiffSnapshots(a, b);
//   bool fail = Fails(report, Severity::kBreaking);
#ifndef V8SNAP_SNAPSHOT_INSPECT_SNAPSHOT_DIFF_H_
#define V8SNAP_SNAPSHOT_INSPECT_SNAPSHOT_DIFF_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "format/sidecar.pb.h"
#include "format/v8_blob_header.h"
#include "check/layout_diff.h"
#include "snapshot_inspect/inspect_report.pb.h"

namespace v8snap::inspect {

// Ordered: a change "at or above" a level is >= it.
enum class Severity { kNone = 0, kCompatible = 1, kBreaking = 2 };

// "none", "compatible", "breaking".
const char* SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(absl::string_view name);

struct SnapshotSide {
  std::string path;
  Sidecar sidecar;
  // The blob's V8 header; nullopt when the blob could not be parsed (sizes then show as absent).
  std::optional<V8BlobHeader> header;
};

// Every difference between `old_side` and `new_side`: changes (breaking first), ops whose table
// place changed, section and per-extension sizes. severity is set; fail_on and fails are not.
// Linear in the number of ops, references, extensions, sources and modules.
DiffReport DiffSnapshots(const SnapshotSide& old_side, const SnapshotSide& new_side);

// Sets report->fail_on and report->fails: whether anything at or above `fail_on` changed
// (kNone never fails).
void ApplyFailOn(Severity fail_on, DiffReport* report);

// A DiffLayouts entry as reported by verify and diff.
LayoutChangeRecord ToRecord(const LayoutChange& change, const std::string& old_label,
                            const std::string& new_label);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_SNAPSHOT_DIFF_H_
