// Unit tests for DiffLayouts: each kind of change, as a table.
#include "check/layout_diff.h"

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
    r->add_external_reference_indexes(l.external_references_size());
    auto* ref = l.add_external_references();
    ref->set_index(l.external_references_size() - 1);
    ref->set_name(std::string(op.extension) + "." + op.name);
    ref->set_kind(ExternalReferenceRecord::OP_CALLBACK);
  }
  return l;
}

const Layout kBase = MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
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
       MakeLayout({"core", "console"},
                  {{"core", "op_print", 2, false}, {"console", "op_write", 2, false}}),
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
       MakeLayout({"core", "console", "timers"},
                  {{"core", "op_print", 2, false}, {"timers", "op_sleep", 1, true}}),
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

// The check the builder's sidecar is held to: each op's external_reference_indexes must point
// at that op's own function. A sidecar whose checksum was recomputed after pointing
// op_write at op_print's reference used to pass.
TEST(LayoutDiffTest, OpUsingAnotherOpsReferenceIsRefused) {
  Layout tampered = kBase;
  tampered.mutable_ops(1)->set_external_reference_indexes(0, 0);
  std::vector<LayoutChange> changes = DiffLayouts(tampered, kBase);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, LayoutChange::Kind::kMalformed);
  EXPECT_EQ(changes[0].subject, "op 'op_write'");
  EXPECT_EQ(changes[0].Describe("the snapshot", "this runtime"),
            "op 'op_write' uses external reference #0 ('core.op_print' (OP_CALLBACK)), which op "
            "'op_print' already uses in the snapshot");
}

TEST(LayoutDiffTest, OpUsingAnotherReferenceIsAChange) {
  // Reference #3 is a runtime callback no op uses; op_sleep pointing at it is well-formed but
  // binds op_sleep to the wrong function.
  Layout base = kBase;
  auto* callback = base.add_external_references();
  callback->set_index(3);
  callback->set_name("v8snap.getter");
  callback->set_kind(ExternalReferenceRecord::RUNTIME_CALLBACK);
  Layout tampered = base;
  tampered.mutable_ops(2)->set_external_reference_indexes(0, 3);
  std::vector<LayoutChange> changes = DiffLayouts(tampered, base);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, LayoutChange::Kind::kOpReferences);
  EXPECT_EQ(changes[0].Describe("the snapshot", "this runtime"),
            "op 'op_sleep' uses other external references: #3 'v8snap.getter' (RUNTIME_CALLBACK) "
            "in the snapshot, #2 'timers.op_sleep' (OP_CALLBACK) in this runtime");
}

TEST(LayoutDiffTest, MovedOpIsNotAlsoAReferenceChange) {
  // Its reference index moves with it; relinking depends on that being a move only.
  Layout moved = MakeLayout({"core", "console", "timers"}, {{"core", "op_print", 2, false},
                                                            {"console", "op_extra", 0, false},
                                                            {"console", "op_write", 2, false},
                                                            {"timers", "op_sleep", 1, true}});
  for (const LayoutChange& change : DiffLayouts(kBase, moved)) {
    EXPECT_NE(change.kind, LayoutChange::Kind::kOpReferences) << change.Describe("a", "b");
    EXPECT_NE(change.kind, LayoutChange::Kind::kMalformed) << change.Describe("a", "b");
  }
}

struct MalformedCase {
  const char* name;
  void (*tamper)(Layout&);
  const char* description;  // Describe("the snapshot", ...) of the only change
};

TEST(LayoutDiffTest, DuplicateAndContradictoryEntriesAreNamed) {
  const std::vector<MalformedCase> cases = {
      {"op listed twice",
       [](Layout& l) {
         OpRecord* again = l.add_ops();
         *again = l.ops(0);
         again->set_id(3);
         again->clear_external_reference_indexes();
       },
       "op 'op_print' is listed twice (ids 0 and 3) in the snapshot"},
      {"op id used twice", [](Layout& l) { l.mutable_ops(2)->set_id(1); },
       "op 'op_sleep' has id 1, which op 'op_write' already has in the snapshot"},
      {"reference listed twice",
       [](Layout& l) {
         auto* again = l.add_external_references();
         *again = l.external_references(1);
         again->set_index(3);
       },
       "external reference 'console.op_write' is listed twice (#1 and #3) in the snapshot"},
      {"reference index contradicts its place",
       [](Layout& l) { l.mutable_external_references(2)->set_index(7); },
       "external reference 'timers.op_sleep' records index 7 at position 2 in the snapshot"},
      {"op lists a reference twice",
       [](Layout& l) { l.mutable_ops(0)->add_external_reference_indexes(0); },
       "op 'op_print' lists external reference #0 twice in the snapshot"},
      {"op reference out of range",
       [](Layout& l) { l.mutable_ops(2)->set_external_reference_indexes(0, 9); },
       "op 'op_sleep' uses external reference #9, but the table has 3 entries in the snapshot"},
      {"op of an unlisted extension", [](Layout& l) { l.mutable_ops(2)->set_extension("fs"); },
       "op 'op_sleep' belongs to extension 'fs', which the layout does not list in the "
       "snapshot"},
      {"extension listed twice", [](Layout& l) { l.add_extensions("core"); },
       "extension 'core' is listed twice (positions 0 and 3) in the snapshot"},
  };
  for (const MalformedCase& c : cases) {
    Layout tampered = kBase;
    c.tamper(tampered);
    std::vector<LayoutChange> changes = DiffLayouts(tampered, kBase);
    ASSERT_EQ(changes.size(), 1u) << c.name;
    EXPECT_EQ(changes[0].kind, LayoutChange::Kind::kMalformed) << c.name;
    EXPECT_EQ(changes[0].Describe("the snapshot", "this runtime"), c.description) << c.name;
    // The same problem on the new side is named with the new side's label.
    std::vector<LayoutChange> reversed = DiffLayouts(kBase, tampered);
    ASSERT_EQ(reversed.size(), 1u) << c.name;
    EXPECT_NE(reversed[0].Describe("a", "this runtime").find("in this runtime"), std::string::npos)
        << c.name;
  }
}

}  // namespace
}  // namespace v8snap
