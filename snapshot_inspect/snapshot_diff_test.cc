// The diff's classification, as a table of sidecar edits and what each must be reported as.
#include "snapshot_inspect/snapshot_diff.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ExtensionSpec {
  std::string name;
  int ops;
};

// A sidecar as the builder writes it for `extensions` (ops named op_<ext>_<i>), one classic
// source per extension.
Sidecar MakeSidecar(const std::vector<ExtensionSpec>& extensions) {
  Sidecar s;
  s.set_builder_version("0.1.0");
  s.set_v8_version("10.2.154.26-node.37");
  s.add_v8_flags("--predictable");
  s.set_code_cache("clear");
  s.set_manifest_name("test");
  s.set_manifest_digest("d1");
  s.mutable_blob()->set_size(1000);
  s.mutable_blob()->set_xxh3_128("b1");
  for (const ExtensionSpec& e : extensions) {
    ExtensionRecord* record = s.add_extensions();
    record->set_name(e.name);
    record->set_native(e.ops > 0);
    record->set_enabled(true);
    SourceRecord* source = record->add_sources();
    source->set_kind(SourceRecord::CLASSIC);
    source->set_path(e.name + ".js");
    source->set_size(100);
    source->set_xxh3_128("h-" + e.name);
    s.mutable_layout()->add_extensions(e.name);
    for (int i = 0; i < e.ops; ++i) {
      uint32_t id = s.layout().ops_size();
      OpRecord* op = s.mutable_layout()->add_ops();
      op->set_id(id);
      op->set_name(absl::StrCat("op_", e.name, "_", i));
      op->set_extension(e.name);
      op->set_arity(1);
      op->add_external_reference_indexes(id);
      ExternalReferenceRecord* ref = s.mutable_layout()->add_external_references();
      ref->set_index(id);
      ref->set_name(absl::StrCat(e.name, ".", op->name()));
      ref->set_kind(ExternalReferenceRecord::OP_CALLBACK);
    }
  }
  return s;
}

SnapshotSide Side(Sidecar sidecar, const std::string& path = "a.bin") {
  return SnapshotSide{path, std::move(sidecar), std::nullopt};
}

std::vector<std::string> Kinds(const DiffReport& report) {
  std::vector<std::string> kinds;
  for (const Change& c : report.changes()) kinds.push_back(c.severity() + ": " + c.kind());
  return kinds;
}

const Sidecar kBase = MakeSidecar({{"core", 2}, {"console", 1}});

DiffReport DiffEdited(const std::function<void(Sidecar&)>& edit) {
  Sidecar changed = kBase;
  edit(changed);
  return DiffSnapshots(Side(kBase), Side(changed, "b.bin"));
}

TEST(SnapshotDiffTest, IdenticalSidecarsHaveNoChanges) {
  DiffReport report = DiffSnapshots(Side(kBase), Side(kBase, "b.bin"));
  EXPECT_EQ(report.severity(), "none");
  EXPECT_EQ(report.changes_size(), 0);
  EXPECT_EQ(report.ops_size(), 0);
  EXPECT_EQ(report.old_path(), "a.bin");
  EXPECT_EQ(report.new_path(), "b.bin");
}

// Each edit of the sidecar, and the changes it must give, in report order.
struct Case {
  const char* what;
  std::function<void(Sidecar&)> edit;
  std::vector<std::string> kinds;
};

TEST(SnapshotDiffTest, ClassifiesEachKindOfChange) {
  const Case cases[] = {
      {"V8 version", [](Sidecar& s) { s.set_v8_version("11.3.244.8"); }, {"breaking: v8 version"}},
      {"V8 flags", [](Sidecar& s) { s.add_v8_flags("--no-lazy"); }, {"breaking: v8 flags"}},
      {"op arity",
       [](Sidecar& s) { s.mutable_layout()->mutable_ops(0)->set_arity(3); },
       {"breaking: op signature"}},
      {"op async",
       [](Sidecar& s) { s.mutable_layout()->mutable_ops(2)->set_is_async(true); },
       {"breaking: op signature"}},
      {"reference renamed",
       [](Sidecar& s) { s.mutable_layout()->mutable_external_references(1)->set_name("x.y"); },
       {"breaking: external reference"}},
      {"extension added",
       [](Sidecar& s) { s.mutable_layout()->add_extensions("extra"); },
       {"breaking: extension added"}},
      {"source contents",
       [](Sidecar& s) { s.mutable_extensions(1)->mutable_sources(0)->set_xxh3_128("h2"); },
       {"compatible: source changed"}},
      {"source added",
       [](Sidecar& s) {
         SourceRecord* src = s.mutable_extensions(0)->add_sources();
         src->set_path("more.js");
         src->set_kind(SourceRecord::ESM);
       },
       {"compatible: source added"}},
      {"source removed",
       [](Sidecar& s) { s.mutable_extensions(0)->clear_sources(); },
       {"compatible: source removed"}},
      {"source kind",
       [](Sidecar& s) { s.mutable_extensions(0)->mutable_sources(0)->set_kind(SourceRecord::ESM); },
       {"compatible: source kind changed"}},
      {"deps",
       [](Sidecar& s) { s.mutable_extensions(1)->add_deps("core"); },
       {"compatible: extension deps"}},
      {"disabled",
       [](Sidecar& s) { s.mutable_extensions(1)->set_enabled(false); },
       {"compatible: extension enabled"}},
      {"module added",
       [](Sidecar& s) {
         ModuleRecord* m = s.add_modules();
         m->set_specifier("ext:console/console.js");
         m->set_extension("console");
       },
       {"compatible: module added"}},
      {"code cache", [](Sidecar& s) { s.set_code_cache("keep"); }, {"compatible: code cache"}},
      {"builder",
       [](Sidecar& s) { s.set_builder_version("0.2.0"); },
       {"compatible: builder version"}},
      {"manifest comment only",
       [](Sidecar& s) { s.set_manifest_digest("d2"); },
       {"compatible: manifest changed"}},
      {"blob bytes",
       [](Sidecar& s) { s.mutable_blob()->set_size(1100); },
       {"compatible: blob changed"}},
      // The digest changes with any source; it is not reported again then.
      {"source and digest",
       [](Sidecar& s) {
         s.set_manifest_digest("d2");
         s.mutable_extensions(0)->mutable_sources(0)->set_size(120);
       },
       {"compatible: source changed"}},
      {"breaking and compatible",
       [](Sidecar& s) {
         s.set_code_cache("keep");
         s.set_v8_version("11.0");
       },
       {"breaking: v8 version", "compatible: code cache"}},
  };
  for (const Case& c : cases) {
    DiffReport report = DiffEdited(c.edit);
    EXPECT_EQ(Kinds(report), c.kinds) << c.what;
    EXPECT_EQ(report.severity(),
              c.kinds.empty() ? "none" : c.kinds.front().substr(0, c.kinds.front().find(':')))
        << c.what;
  }
}

TEST(SnapshotDiffTest, ReorderedExtensionsListEveryMovedOpWithBothIds) {
  Sidecar reordered = MakeSidecar({{"console", 1}, {"core", 2}});
  DiffReport report = DiffSnapshots(Side(kBase), Side(reordered, "b.bin"));
  EXPECT_EQ(report.severity(), "breaking");
  ASSERT_GE(report.changes_size(), 1);
  EXPECT_EQ(report.changes(0).kind(), "extension order");
  EXPECT_THAT(report.changes(0).description(),
              HasSubstr("extension 'core' is out of order: position 0 in old, position 1"));
  std::vector<std::string> ops;
  for (const OpChange& op : report.ops()) {
    ops.push_back(absl::StrCat(op.name(), " ", op.old_id(), "->", op.new_id(), " ", op.change()));
  }
  EXPECT_THAT(
      ops, ElementsAre("op_core_0 0->1 moved", "op_core_1 1->2 moved", "op_console_0 2->0 moved"));
}

TEST(SnapshotDiffTest, AddedRemovedAndRenamedOps) {
  DiffReport added = DiffEdited([](Sidecar& s) {
    OpRecord* op = s.mutable_layout()->add_ops();
    op->set_id(3);
    op->set_name("op_console_1");
    op->set_extension("console");
  });
  ASSERT_EQ(added.ops_size(), 1);
  EXPECT_EQ(added.ops(0).change(), "added");
  EXPECT_EQ(added.ops(0).old_id(), -1);
  EXPECT_EQ(added.ops(0).new_id(), 3);

  DiffReport removed =
      DiffEdited([](Sidecar& s) { s.mutable_layout()->mutable_ops()->RemoveLast(); });
  ASSERT_EQ(removed.ops_size(), 1);
  EXPECT_EQ(removed.ops(0).change(), "removed");
  EXPECT_EQ(removed.ops(0).old_id(), 2);
  EXPECT_EQ(removed.ops(0).new_id(), -1);

  DiffReport renamed =
      DiffEdited([](Sidecar& s) { s.mutable_layout()->mutable_ops(1)->set_name("op_x"); });
  ASSERT_EQ(renamed.ops_size(), 1);
  EXPECT_EQ(renamed.ops(0).change(), "renamed");
  EXPECT_EQ(renamed.ops(0).name(), "op_core_1");
  EXPECT_EQ(renamed.ops(0).new_name(), "op_x");
}

TEST(SnapshotDiffTest, SectionAndExtensionSizes) {
  V8BlobHeader small, large;
  small.sections = {{"header", 0, 88}, {"startup", 88, 100}, {"context 0", 188, 812}};
  large.sections = {
      {"header", 0, 88}, {"startup", 88, 100}, {"context 0", 188, 912}, {"context 1", 1100, 50}};
  Sidecar a = kBase, b = kBase;
  b.mutable_blob()->set_size(1150);
  ExtensionSize* size = a.add_size_report();
  size->set_extension("core");
  size->set_bytes(300);
  size = b.add_size_report();
  size->set_extension("core");
  size->set_bytes(350);
  size = b.add_size_report();
  size->set_extension("console");
  size->set_bytes(20);
  DiffReport report =
      DiffSnapshots(SnapshotSide{"a.bin", a, small}, SnapshotSide{"b.bin", b, large});
  std::vector<std::string> sections;
  for (const SizeDelta& d : report.sections()) {
    sections.push_back(
        absl::StrCat(d.name(), " ", d.old_bytes(), " ", d.new_bytes(), " ", d.delta()));
  }
  EXPECT_THAT(sections, ElementsAre("header 88 88 0", "startup 100 100 0", "context 0 812 912 100",
                                    "context 1 -1 50 50", "total 1000 1150 150"));
  std::vector<std::string> extensions;
  for (const SizeDelta& d : report.extensions()) {
    extensions.push_back(
        absl::StrCat(d.name(), " ", d.old_bytes(), " ", d.new_bytes(), " ", d.delta()));
  }
  EXPECT_THAT(extensions, ElementsAre("core 300 350 50", "console -1 20 20"));
}

TEST(SnapshotDiffTest, FailOnLevels) {
  const struct {
    const char* severity;
    Severity fail_on;
    bool fails;
  } cases[] = {
      {"none", Severity::kNone, false},
      {"none", Severity::kCompatible, false},
      {"none", Severity::kBreaking, false},
      {"compatible", Severity::kNone, false},
      {"compatible", Severity::kCompatible, true},
      {"compatible", Severity::kBreaking, false},
      {"breaking", Severity::kNone, false},
      {"breaking", Severity::kCompatible, true},
      {"breaking", Severity::kBreaking, true},
  };
  for (const auto& c : cases) {
    DiffReport report;
    report.set_severity(c.severity);
    ApplyFailOn(c.fail_on, &report);
    EXPECT_EQ(report.fails(), c.fails) << c.severity << " --fail-on=" << SeverityName(c.fail_on);
    EXPECT_EQ(report.fail_on(), SeverityName(c.fail_on));
  }
  EXPECT_EQ(ParseSeverity("compatible"), Severity::kCompatible);
  EXPECT_EQ(ParseSeverity("minor"), std::nullopt);
}

// 10,000 ops per side, every one of them moved: one row each, with the right ids (the diff is
// linear; bench/ measures its time, this checks its answer at that scale).
TEST(SnapshotDiffTest, TenThousandMovedOps) {
  Sidecar a = MakeSidecar({{"alpha", 5000}, {"beta", 5000}});
  Sidecar b = MakeSidecar({{"beta", 5000}, {"alpha", 5000}});
  DiffReport report = DiffSnapshots(Side(a), Side(b, "b.bin"));
  ASSERT_EQ(report.ops_size(), 10000);
  EXPECT_EQ(report.ops(0).name(), "op_alpha_0");
  EXPECT_EQ(report.ops(0).new_id(), 5000);
  EXPECT_EQ(report.ops(9999).name(), "op_beta_4999");
  EXPECT_EQ(report.ops(9999).new_id(), 4999);
  EXPECT_EQ(report.severity(), "breaking");
}

// The API surfaces: a module's exports and the globals the extensions added.
Sidecar WithApi(Sidecar s) {
  ModuleExports* m = s.mutable_api_surface()->add_modules();
  m->set_specifier("ext:lib/lib.js");
  m->set_extension("lib");
  for (auto [name, kind] :
       {std::pair{"Slugger", "class"}, {"parse", "function"}, {"version", "string"}}) {
    ApiName* e = m->add_exports();
    e->set_name(name);
    e->set_kind(kind);
  }
  ApiName* g = s.mutable_api_surface()->add_globals();
  g->set_name("lib");
  g->set_kind("object");
  return s;
}

TEST(SnapshotDiffTest, ClassifiesApiChanges) {
  const Sidecar base = WithApi(kBase);
  const Case cases[] = {
      {"export removed",
       [](Sidecar& s) {
         s.mutable_api_surface()->mutable_modules(0)->mutable_exports()->erase(
             s.mutable_api_surface()->mutable_modules(0)->mutable_exports()->begin());
       },
       {"breaking: export removed"}},
      {"export added",
       [](Sidecar& s) {
         ApiName* e = s.mutable_api_surface()->mutable_modules(0)->add_exports();
         e->set_name("zeta");
         e->set_kind("number");
       },
       {"compatible: export added"}},
      {"export kind",
       [](Sidecar& s) {
         s.mutable_api_surface()->mutable_modules(0)->mutable_exports(1)->set_kind("class");
       },
       {"breaking: export kind changed"}},
      {"global removed",
       [](Sidecar& s) { s.mutable_api_surface()->clear_globals(); },
       {"breaking: global removed"}},
      {"module gone",
       [](Sidecar& s) { s.mutable_api_surface()->clear_modules(); },
       {"breaking: exports removed"}},
      // A different V8 changes the version, never the surface: V8's globals are not in it.
      {"other V8", [](Sidecar& s) { s.set_v8_version("13.6.233.10"); }, {"breaking: v8 version"}},
  };
  for (const Case& c : cases) {
    Sidecar changed = base;
    c.edit(changed);
    DiffReport report = DiffSnapshots(Side(base), Side(changed, "b.bin"));
    EXPECT_EQ(Kinds(report), c.kinds) << c.what;
    EXPECT_TRUE(report.api_compared()) << c.what;
  }

  DiffReport same = DiffSnapshots(Side(base), Side(WithApi(kBase), "b.bin"));
  EXPECT_EQ(same.changes_size(), 0);
  Sidecar without = base;
  without.mutable_api_surface()->mutable_modules(0)->mutable_exports()->erase(
      without.mutable_api_surface()->mutable_modules(0)->mutable_exports()->begin());
  DiffReport removed = DiffSnapshots(Side(base), Side(without, "b.bin"));
  ASSERT_EQ(removed.changes_size(), 1);
  EXPECT_EQ(removed.changes(0).category(), "api");
  EXPECT_EQ(removed.changes(0).subject(), "export 'Slugger' of ext:lib/lib.js");
  EXPECT_EQ(removed.changes(0).old_value(), "class");
  EXPECT_EQ(removed.changes(0).description(), "export 'Slugger' (class) of ext:lib/lib.js removed");
}

TEST(SnapshotDiffTest, ApiNotComparedWhenASideDoesNotRecordIt) {
  Sidecar without = WithApi(kBase);
  without.clear_api_surface();
  DiffReport report = DiffSnapshots(Side(WithApi(kBase)), Side(without, "b.bin"));
  EXPECT_FALSE(report.api_compared());
  EXPECT_EQ(report.changes_size(), 0);
}

}  // namespace
}  // namespace v8snap::inspect
