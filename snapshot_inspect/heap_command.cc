// `snapshot_inspect heap`: the heap composition of one snapshot (heap_composition.h).
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/cli_support.h"
#include "format/snapshot_files.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/heap_composition.h"
#include "snapshot_inspect/human_size.h"
#include "snapshot_inspect/text_table.h"

namespace v8snap::inspect {
namespace {

// Names joined by ", " and wrapped before `width` columns, each line indented.
std::string Wrapped(const google::protobuf::RepeatedPtrField<std::string>& names,
                    const std::string& indent, size_t width) {
  std::string out, line = indent;
  for (int i = 0; i < names.size(); ++i) {
    std::string item = names[i] + (i + 1 < names.size() ? "," : "");
    if (line.size() > indent.size() && line.size() + 1 + item.size() > width) {
      out += line + "\n";
      line = indent;
    }
    if (line.size() > indent.size()) line += " ";
    line += item;
  }
  if (line.size() > indent.size()) out += line + "\n";
  return out;
}

}  // namespace

std::string RenderHeapText(const HeapReport& report) {
  const HeapComposition& heap = report.heap();
  std::string out = absl::StrCat("heap of ", report.blob_path(),
                                 " after Isolate::New + Context::New\n");
  absl::StrAppend(&out, "  ", GroupedNumber(heap.objects()), " objects, ",
                  HumanSize(heap.bytes()), " (", GroupedNumber(heap.bytes()), " bytes)\n\n");
  TextTable t({"type", "constructor", "count", "bytes", "share"},
              {TextTable::kLeft, TextTable::kLeft, TextTable::kRight, TextTable::kRight,
               TextTable::kRight});
  int64_t shown = 0;
  for (const HeapGroup& g : heap.groups()) {
    shown += g.bytes();
    t.AddRow({g.type(), g.constructor(), GroupedNumber(g.count()), HumanSize(g.bytes()),
              heap.bytes() == 0 ? "" : absl::StrFormat("%.1f%%", 100.0 * g.bytes() / heap.bytes())});
  }
  if (shown < heap.bytes()) {
    t.AddRow({"(other groups)", "", "", HumanSize(heap.bytes() - shown),
              absl::StrFormat("%.1f%%", 100.0 * (heap.bytes() - shown) / heap.bytes())});
  }
  absl::StrAppend(&out, t.Render("  "));
  absl::StrAppend(&out, "\nGlobal object's own properties (", heap.global_properties_size(),
                  "):\n", Wrapped(heap.global_properties(), "  ", 100));
  return out;
}

int RunHeap(const HeapOptions& options) {
  absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(options.blob_path);
  if (!pair.ok()) {
    PrintError(kTool, pair.status());
    return kExitFailure;
  }
  absl::StatusOr<HeapComposition> heap = MeasureHeap(*pair, options.blob_path);
  if (!heap.ok()) {
    PrintError(kTool, heap.status());
    return kExitFailure;
  }
  HeapReport report;
  report.set_blob_path(options.blob_path);
  *report.mutable_heap() = std::move(*heap);
  KeepTopGroups(options.top, report.mutable_heap());
  std::string text = options.json ? ToJson(report) : RenderHeapText(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kExitOk;
}

}  // namespace v8snap::inspect
