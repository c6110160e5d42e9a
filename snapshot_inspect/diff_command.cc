// `snapshot_inspect diff`: two verified snapshot pairs compared by snapshot_diff.h and, with
// --heap, by their heap compositions; exit codes follow diff(1).
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "format/snapshot_files.h"
#include "format/status_macros.h"
#include "format/v8_blob_header.h"
#include "runtime/v8_process.h"
#include "snapshot_inspect/blob_file.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/heap_composition.h"
#include "snapshot_inspect/human_size.h"
#include "snapshot_inspect/text_table.h"

namespace v8snap::inspect {
namespace {

// diff(1): trouble is 2, whatever went wrong.
constexpr int kExitTrouble = 2;

absl::StatusOr<SnapshotSide> ReadSide(const std::string& path, SnapshotPair* pair) {
  ASSIGN_OR_RETURN(*pair, ReadSnapshotPair(path));
  SnapshotSide side;
  side.path = path;
  side.sidecar = pair->sidecar;
  absl::StatusOr<V8BlobHeader> header = ParseBlobHeaderAt(pair->blob, path);
  if (header.ok()) {
    side.header = *std::move(header);
  } else if (pair->sidecar.v8_version() == V8Process::LinkedV8Version()) {
    return header.status();
  }
  // Otherwise the blob (which matches its sidecar) is another V8's, whose header layout may not
  // be the one this inspector reads: the sidecars still compare, without section sizes.
  return side;
}

// Global names from the two heaps. When both sidecars record their API surface, the API diff
// already reports the globals the extensions changed (with their kinds, and without V8's own
// globals, which differ between V8 versions), so these are not repeated as changes.
void AddHeapChanges(const HeapDiff& heap, DiffReport* report) {
  if (report->api_compared()) return;
  auto add = [&](const std::string& name, bool added) {
    Change* c = report->add_changes();
    c->set_severity(SeverityName(Severity::kCompatible));
    c->set_category("heap");
    c->set_kind(added ? "global property added" : "global property removed");
    c->set_subject(absl::StrCat("globalThis.", name));
    c->set_old_value(added ? "absent" : "present");
    c->set_new_value(added ? "present" : "absent");
    c->set_description(absl::StrCat("global property '", name, "' ", added ? "added" : "removed"));
  };
  for (const std::string& name : heap.global_properties_added()) add(name, true);
  for (const std::string& name : heap.global_properties_removed()) add(name, false);
  if (report->severity() == SeverityName(Severity::kNone) &&
      heap.global_properties_added_size() + heap.global_properties_removed_size() > 0) {
    report->set_severity(SeverityName(Severity::kCompatible));
  }
}

std::string SideBytes(int64_t bytes) { return bytes < 0 ? "-" : HumanSize(bytes); }

std::string IdCell(int32_t id) { return id < 0 ? "-" : absl::StrCat(id); }

void RenderSizes(const char* title, const google::protobuf::RepeatedPtrField<SizeDelta>& rows,
                 std::string& out) {
  if (rows.empty()) return;
  absl::StrAppend(&out, "\n", title, "\n");
  TextTable t({"", "old", "new", "delta"},
              {TextTable::kLeft, TextTable::kRight, TextTable::kRight, TextTable::kRight});
  for (const SizeDelta& d : rows) {
    // Exact bytes next to a rounded delta, so small changes stay visible in KiB and MiB.
    std::string delta = HumanDelta(d.delta());
    if (std::llabs(d.delta()) >= 1024) {
      absl::StrAppend(&delta, " (", d.delta() > 0 ? "+" : "", GroupedNumber(d.delta()), ")");
    }
    t.AddRow({d.name(), SideBytes(d.old_bytes()), SideBytes(d.new_bytes()), delta});
  }
  absl::StrAppend(&out, t.Render("  "));
}

void RenderHeap(const HeapDiff& heap, std::string& out) {
  absl::StrAppend(&out, "\nHeap after Isolate::New + Context::New (--heap)\n");
  TextTable totals({"", "old", "new", "delta"},
                   {TextTable::kLeft, TextTable::kRight, TextTable::kRight, TextTable::kRight});
  totals.AddRow({"objects", GroupedNumber(heap.old_objects()), GroupedNumber(heap.new_objects()),
                 absl::StrCat(heap.new_objects() >= heap.old_objects() ? "+" : "",
                              GroupedNumber(heap.new_objects() - heap.old_objects()))});
  totals.AddRow({"bytes", HumanSize(heap.old_bytes()), HumanSize(heap.new_bytes()),
                 HumanDelta(heap.new_bytes() - heap.old_bytes())});
  absl::StrAppend(&out, totals.Render("  "));
  if (heap.groups_size() > 0) {
    TextTable t(
        {"type", "constructor", "old count", "new count", "old bytes", "new bytes", "delta"},
        {TextTable::kLeft, TextTable::kLeft, TextTable::kRight, TextTable::kRight,
         TextTable::kRight, TextTable::kRight, TextTable::kRight});
    for (const HeapGroupDelta& g : heap.groups()) {
      t.AddRow({g.type(), g.constructor(), GroupedNumber(g.old_count()),
                GroupedNumber(g.new_count()), HumanSize(g.old_bytes()), HumanSize(g.new_bytes()),
                HumanDelta(g.new_bytes() - g.old_bytes())});
    }
    absl::StrAppend(&out, "\n", t.Render("  "));
  }
  absl::StrAppend(&out, "\n  global properties added:   ",
                  heap.global_properties_added().empty()
                      ? "none"
                      : absl::StrJoin(heap.global_properties_added(), ", "),
                  "\n  global properties removed: ",
                  heap.global_properties_removed().empty()
                      ? "none"
                      : absl::StrJoin(heap.global_properties_removed(), ", "),
                  "\n");
}

}  // namespace

absl::StatusOr<DiffReport> BuildDiffReport(const DiffOptions& options) {
  SnapshotPair old_pair, new_pair;
  ASSIGN_OR_RETURN(SnapshotSide old_side, ReadSide(options.old_path, &old_pair));
  ASSIGN_OR_RETURN(SnapshotSide new_side, ReadSide(options.new_path, &new_pair));
  DiffReport report = DiffSnapshots(old_side, new_side);
  if (options.heap) {
    ASSIGN_OR_RETURN(HeapComposition old_heap, MeasureHeap(old_pair, options.old_path));
    ASSIGN_OR_RETURN(HeapComposition new_heap, MeasureHeap(new_pair, options.new_path));
    *report.mutable_heap() = DiffHeaps(old_heap, new_heap);
    AddHeapChanges(report.heap(), &report);
  }
  ApplyFailOn(options.fail_on, &report);
  return report;
}

std::string RenderDiffText(const DiffReport& report) {
  std::string out = absl::StrCat("old: ", report.old_path(), "\nnew: ", report.new_path(), "\n");
  int breaking = 0;
  for (const Change& c : report.changes()) breaking += c.severity() == "breaking";
  int compatible = report.changes_size() - breaking;
  if (report.changes().empty()) {
    absl::StrAppend(&out, "\nno differences\n");
  } else {
    absl::StrAppend(&out, "\nresult: ", report.severity(), " (", breaking, " breaking, ",
                    compatible, " compatible change", compatible == 1 ? "" : "s", ")\n");
  }
  // Breaking API changes break the code that uses the snapshot's modules and globals, not the
  // runtime's wiring: they get their own heading, so neither reads as the other.
  struct Section {
    const char* severity;
    bool api;
    const char* heading;
  };
  for (const Section& section :
       {Section{"breaking", false, "Breaking changes (the runtime must change in lockstep):\n"},
        Section{"breaking", true,
                "Breaking API changes (code that uses these exports or globals must change):\n"},
        Section{"compatible", false, "Compatible changes:\n"}}) {
    TextTable t({});
    for (const Change& c : report.changes()) {
      const bool breaking_api = c.severity() == "breaking" && c.category() == "api";
      if (c.severity() == section.severity && breaking_api == section.api) {
        t.AddRow({c.kind(), c.description()});
      }
    }
    if (t.empty()) continue;
    absl::StrAppend(&out, "\n", section.heading, t.Render("  "));
  }
  if (!report.api_compared()) {
    absl::StrAppend(&out,
                    "\nAPI surface: not compared (a sidecar does not record it: rebuild that "
                    "snapshot with this ",
                    MessageToolNames().builder, " to compare exports and globals)\n");
  }
  if (report.ops_size() > 0) {
    absl::StrAppend(&out, "\nOps (", report.ops_size(), " changed; old id → new id)\n");
    TextTable t({"op", "extension", "old id", "new id", "change"},
                {TextTable::kLeft, TextTable::kLeft, TextTable::kRight, TextTable::kRight});
    for (const OpChange& op : report.ops()) {
      t.AddRow({op.new_name().empty() ? op.name() : absl::StrCat(op.name(), " → ", op.new_name()),
                op.extension(), IdCell(op.old_id()), IdCell(op.new_id()), op.change()});
    }
    absl::StrAppend(&out, t.Render("  "));
  }
  if (!report.changes().empty()) {
    RenderSizes("Size by blob section", report.sections(), out);
    RenderSizes("Size by extension (--size-report)", report.extensions(), out);
  }
  if (report.has_heap()) RenderHeap(report.heap(), out);
  absl::StrAppend(&out, "\n--fail-on=", report.fail_on(), ": ",
                  report.fails() ? "fails (exit 1)" : "passes (exit 0)", "\n");
  return out;
}

int RunDiff(const DiffOptions& options) {
  absl::StatusOr<DiffReport> report = BuildDiffReport(options);
  if (!report.ok()) {
    PrintError(kTool, report.status());
    return kExitTrouble;
  }
  std::string text = options.json ? ToJson(*report) : RenderDiffText(*report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return report->fails() ? kExitFailure : kExitOk;
}

}  // namespace v8snap::inspect
