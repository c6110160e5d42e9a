// `snapshot_inspect heap`: what fills one snapshot's heap (heap_composition.h), as text or JSON.
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

std::string Share(int64_t bytes, int64_t total) {
  return total == 0 ? "" : absl::StrFormat("%.1f%%", 100.0 * bytes / total);
}

// A table of HeapShare rows; `with_extension` adds the extension column (scripts and modules).
std::string SharesTable(const char* first_column,
                        const google::protobuf::RepeatedPtrField<HeapShare>& rows, int64_t total,
                        bool with_extension) {
  std::vector<std::string> headers = {first_column};
  std::vector<TextTable::Align> align = {TextTable::kLeft};
  if (with_extension) {
    headers.push_back("extension");
    align.push_back(TextTable::kLeft);
  }
  for (const char* h : {"objects", "bytes", "share"}) {
    headers.push_back(h);
    align.push_back(TextTable::kRight);
  }
  TextTable t(headers, align);
  int64_t shown = 0;
  for (const HeapShare& row : rows) {
    shown += row.bytes();
    std::vector<std::string> cells = {row.name()};
    if (with_extension) cells.push_back(row.extension().empty() ? "-" : row.extension());
    cells.insert(cells.end(),
                 {GroupedNumber(row.count()), HumanSize(row.bytes()), Share(row.bytes(), total)});
    t.AddRow(cells);
  }
  if (shown < total) {
    std::vector<std::string> cells = {"(the rest)"};
    if (with_extension) cells.push_back("");
    cells.insert(cells.end(), {"", HumanSize(total - shown), Share(total - shown, total)});
    t.AddRow(cells);
  }
  return t.Render("  ");
}

}  // namespace

std::string RenderHeapText(const HeapReport& report) {
  const HeapComposition& heap = report.heap();
  std::string out =
      absl::StrCat("heap of ", report.blob_path(), " after Isolate::New + Context::New\n");
  absl::StrAppend(&out, "  ", GroupedNumber(heap.objects()), " objects, ", HumanSize(heap.bytes()),
                  " (", GroupedNumber(heap.bytes()), " bytes)\n");

  absl::StrAppend(&out, "\nBy category\n",
                  SharesTable("category", heap.categories(), heap.bytes(), false));
  absl::StrAppend(&out, "\nBy extension (through the script or module each object comes from)\n",
                  SharesTable("extension", heap.extensions(), heap.bytes(), false));
  absl::StrAppend(&out, "\nBy script or module\n",
                  SharesTable("source", heap.sources(), heap.bytes(), true));

  if (heap.biggest_size() > 0) {
    absl::StrAppend(&out,
                    "\nBiggest objects by retained size (the bytes that would go with them), "
                    "with a path from a global or a module export\n");
    TextTable t({"retained", "self", "type", "name", "extension", "path"},
                {TextTable::kRight, TextTable::kRight, TextTable::kLeft, TextTable::kLeft,
                 TextTable::kLeft, TextTable::kLeft});
    for (const RetainedObject& o : heap.biggest()) {
      t.AddRow({HumanSize(o.retained_bytes()), HumanSize(o.self_bytes()), o.type(),
                o.name().empty() ? "-" : o.name(), o.extension().empty() ? "-" : o.extension(),
                o.path()});
    }
    absl::StrAppend(&out, t.Render("  "));
  }

  absl::StrAppend(&out, "\nBy type and constructor\n");
  TextTable t({"type", "constructor", "count", "bytes", "share"},
              {TextTable::kLeft, TextTable::kLeft, TextTable::kRight, TextTable::kRight,
               TextTable::kRight});
  int64_t shown = 0;
  for (const HeapGroup& g : heap.groups()) {
    shown += g.bytes();
    t.AddRow({g.type(), g.constructor(), GroupedNumber(g.count()), HumanSize(g.bytes()),
              Share(g.bytes(), heap.bytes())});
  }
  if (shown < heap.bytes()) {
    t.AddRow({"(other groups)", "", "", HumanSize(heap.bytes() - shown),
              Share(heap.bytes() - shown, heap.bytes())});
  }
  absl::StrAppend(&out, t.Render("  "));
  absl::StrAppend(&out, "\nGlobal object's own properties (", heap.global_properties_size(), "):\n",
                  Wrapped(heap.global_properties(), "  ", 100));
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
