// Aligned plain-text tables for snapshot_inspect's text output.
//
// Usage:
//   TextTable table({"id", "name"}, {TextTable::kRight, TextTable::kLeft});
//   table.AddRow({"0", "op_print"});
//   std::fputs(table.Render("  ").c_str(), stdout);
#ifndef V8SNAP_SNAPSHOT_INSPECT_TEXT_TABLE_H_
#define V8SNAP_SNAPSHOT_INSPECT_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace v8snap::inspect {

class TextTable {
 public:
  enum Align { kLeft, kRight };

  // `align` may be shorter than `header`; missing columns align left. An empty header renders
  // the rows only.
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});

  // Rows shorter than the header are padded with empty cells.
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // Every line starts with `indent`; columns are separated by two spaces, widths counted in
  // UTF-8 characters, trailing spaces trimmed.
  std::string Render(const std::string& indent = "  ") const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_TEXT_TABLE_H_
