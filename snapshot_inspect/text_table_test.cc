// Tables line up by characters, not bytes, and carry no trailing spaces.
#include "snapshot_inspect/text_table.h"

#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

TEST(TextTableTest, AlignsColumnsLeftAndRight) {
  TextTable t({"id", "op", "arity"}, {TextTable::kRight, TextTable::kLeft, TextTable::kRight});
  t.AddRow({"0", "op_print", "2"});
  t.AddRow({"10", "op_console_write", "12"});
  EXPECT_EQ(t.Render("  "),
            "  id  op                arity\n"
            "   0  op_print              2\n"
            "  10  op_console_write     12\n");
}

TEST(TextTableTest, CountsUtf8CharactersAndTrimsTrailingSpace) {
  TextTable t({});
  t.AddRow({"a → b", "x"});
  t.AddRow({"abcdef", ""});
  EXPECT_EQ(t.Render(""),
            "a → b   x\n"
            "abcdef\n");
}

TEST(TextTableTest, ShortRowsArePadded) {
  TextTable t({"a", "b", "c"});
  t.AddRow({"1"});
  EXPECT_EQ(t.Render(""), "a  b  c\n1\n");
  EXPECT_FALSE(t.empty());
}

}  // namespace
}  // namespace v8snap::inspect
