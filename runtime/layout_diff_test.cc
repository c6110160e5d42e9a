// Unit tests for DiffLayouts: each kind of change, as a table.
#include "runtime/layout_diff.h"

#include "gtest/gtest.h"

namespace v8snap {
namespace {

struct Op {
  const char* extension;
  const char* name;
  int arity;
  bool is_async;
};

Layout MakeLayout(std::vector<std::string> extensions, std::vector<Op> ops) {
  Layout l;
  for (auto& e : extensions) l.add_extensions(e);
  for (const Op& op : ops) {
    OpRecord* r = l.add_ops();
    r->set_id(l.ops_size() - 1);
    r->set_extension(op.extension);
    r->set_name(op.name);
    r->set_arity(op.arity);
    r->set_is_async(op.is_async);
    auto* ref = l.add_external_references();
    ref->set_index(l.external_references_size() - 1);
    ref->set_name(std::string(op.extension) + "." + op.name);
    ref->set_kind(ExternalReferenceRecord::OP_CALLBACK);
  }
  return l;
}

const Layout kBase = MakeLayout({"core", "console", "timers"},
                                {{"core", "op_print", 2, false},
                                 {"console", "op_write", 2, false},
                                 {"timers", "op_sleep", 1, true}});

TEST(LayoutDiffTest, IdenticalLayoutsHaveNoChanges) {
  EXPECT_TRUE(DiffLayouts(kBase, kBase).empty());
}

struct Case {
  const char* name;
  Layout changed;
  LayoutChange::Kind first_kind;
  const char* first_subject;
};

TEST(LayoutDiffTest, EachKindOfChangeIsNamedFirst) {
  const std::vector<Case> cases = {
      {"extension order",
       MakeLayout({"core", "timers", "console"}, {{"core", "op_print", 2, false},
                                                  {"timers", "op_sleep", 1, true},
                                                  {"console", "op_write", 2, false}}),
       LayoutChange::Kind::kExtensionOrder, "extension 'console'"},
      {"extension removed",
       MakeLayout({"core", "console"}, {{"core", "op_print", 2, false},
                                        {"console", "op_write", 2, false}}),
       LayoutChange::Kind::kExtensionRemoved, "extension 'timers'"},
      {"extension added",
       MakeLayout({"core", "console", "timers", "fs"}, {{"core", "op_print", 2, false},
                                                        {"console", "op_write", 2, false},
                                                        {"timers", "op_sleep", 1, true}}),
       LayoutChange::Kind::kExtensionAdded, "extension 'fs'"},
      {"op renamed",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                  {"console", "op_log", 2, false},
                                                  {"timers", "op_sleep", 1, true}}),
       LayoutChange::Kind::kOpRenamed, "op 'op_write'"},
      {"op removed",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                  {"timers", "op_sleep", 1, true}}),
       LayoutChange::Kind::kOpRemoved, "op 'op_write'"},
      {"op added",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                  {"console", "op_write", 2, false},
                                                  {"timers", "op_sleep", 1, true},
                                                  {"timers", "op_now", 0, false}}),
       LayoutChange::Kind::kOpAdded, "op 'op_now'"},
      {"op moved",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                  {"console", "op_extra", 0, false},
                                                  {"console", "op_write", 2, false},
                                                  {"timers", "op_sleep", 1, true}}),
       LayoutChange::Kind::kOpMoved, "op 'op_write'"},
      {"arity",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 3, false},
                                                  {"console", "op_write", 2, false},
                                                  {"timers", "op_sleep", 1, true}}),
       LayoutChange::Kind::kOpSignature, "op 'op_print'"},
      {"sync to async",
       MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                  {"console", "op_write", 2, false},
                                                  {"timers", "op_sleep", 1, false}}),
       LayoutChange::Kind::kOpSignature, "op 'op_sleep'"},
  };
  for (const Case& c : cases) {
    std::vector<LayoutChange> changes = DiffLayouts(kBase, c.changed);
    ASSERT_FALSE(changes.empty()) << c.name;
    EXPECT_EQ(changes[0].kind, c.first_kind) << c.name;
    EXPECT_EQ(changes[0].subject, c.first_subject) << c.name;
  }
}

TEST(LayoutDiffTest, ReferenceTableDifferenceAloneIsReported) {
  Layout changed = kBase;
  changed.mutable_external_references(1)->set_kind(ExternalReferenceRecord::OP_FAST_CALL);
  std::vector<LayoutChange> changes = DiffLayouts(kBase, changed);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, LayoutChange::Kind::kReferenceChanged);
  EXPECT_EQ(changes[0].position, 1);
}

// Found by fuzzing (fuzz/regressions/sidecar/duplicate_extension_names.bin): a layout naming an
// extension twice made the order comparison read past the end of a list.
TEST(LayoutDiffTest, ExtensionNamedTwiceIsADifferenceNotACrash) {
  Layout twice = kBase;
  twice.add_extensions("core");
  EXPECT_FALSE(DiffLayouts(twice, kBase).empty());
  EXPECT_FALSE(DiffLayouts(kBase, twice).empty());
}

TEST(LayoutDiffTest, DescribeNamesBothSides) {
  Layout changed = kBase;
  changed.mutable_ops(0)->set_arity(3);
  std::string text = DiffLayouts(kBase, changed)[0].Describe("the snapshot", "this runtime");
  EXPECT_EQ(text,
            "op 'op_print' changed signature: sync, arity 2 in the snapshot, sync, arity 3 in "
            "this runtime");
}

}  // namespace
}  // namespace v8snap
