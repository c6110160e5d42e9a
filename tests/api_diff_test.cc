// End to end: the API surface the builder records and `snapshot_inspect diff`'s API changes, on
// two builds of tests/fixtures/api/ whose module 'slugs' changes its exports and its global.
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "snapshot_inspect/inspect_report.pb.h"
#include "tests/api_fixture_snapshots.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class ApiDiffTest : public ApiFixtureSnapshotsTest {
 protected:
  static inspect::DiffReport ParseDiff(const std::string& json) {
    inspect::DiffReport report;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &report).ok()) << json;
    return report;
  }
};

// The record is deterministic: a second build of the same manifest writes the same sidecar.
TEST_F(ApiDiffTest, RebuildingGivesTheSameApiSurface) {
  TempDir tmp;
  const std::string again = tmp.path() + "/again.bin";
  ToolResult r = RunTool(
      "snapshot_builder",
      {"--manifest", SourcePath("tests/fixtures/api/v1/runtime.textproto"), "--out", again});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(*ReadFileToString(SidecarPathFor(again)),
            *ReadFileToString(SidecarPathFor(Snap("v1"))));
  EXPECT_EQ(*ReadFileToString(again), *ReadFileToString(Snap("v1")));
}

TEST_F(ApiDiffTest, SidecarRecordsExportsAndTheGlobalsExtensionsAdded) {
  absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(Snap("v1"));
  ASSERT_TRUE(pair.ok()) << pair.status();
  const ApiSurface& api = pair->sidecar.api_surface();
  ASSERT_EQ(api.modules_size(), 1);
  EXPECT_EQ(api.modules(0).specifier(), "ext:slugs/slugs.js");
  EXPECT_EQ(api.modules(0).extension(), "slugs");
  std::vector<std::string> exports;
  for (const ApiName& e : api.modules(0).exports()) exports.push_back(e.name() + ":" + e.kind());
  EXPECT_THAT(exports, ElementsAre("Slugger:class", "options:object", "parse:function",
                                   "version:string", "words:array"));
  std::vector<std::string> globals;
  for (const ApiName& g : api.globals()) globals.push_back(g.name() + ":" + g.kind());
  // core's own global and the fixture's; none of V8's (Array, Math, ...).
  EXPECT_THAT(globals, ::testing::Contains("slugify:function"));
  EXPECT_THAT(globals, ::testing::Contains("v8snap:object"));
  EXPECT_THAT(globals, Not(::testing::Contains("Array:function")));
  EXPECT_THAT(globals, Not(::testing::Contains("Math:object")));
}

TEST_F(ApiDiffTest, TextClassifiesRemovalsAndKindChangesBreakingAdditionsCompatible) {
  ToolResult r = RunTool("snapshot_inspect", {"diff", Snap("v1"), Snap("v2")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* line :
       {"result: breaking (3 breaking, 4 compatible changes)",
        "\nBreaking API changes (code that uses these exports or globals must change):\n"
        "  export removed       export 'Slugger' (class) of ext:slugs/slugs.js removed\n",
        "  export kind changed  export 'options' of ext:slugs/slugs.js changed kind: object → "
        "function\n",
        "  global removed       global 'slugify' (function) removed\n",
        "  export added    export 'Marked' (class) of ext:slugs/slugs.js added\n",
        "  global added    global 'slug' (function) added\n"}) {
    EXPECT_THAT(r.out, HasSubstr(line));
  }
  EXPECT_THAT(r.out, Not(HasSubstr("API surface: not compared")));
  EXPECT_THAT(r.out, Not(HasSubstr("the runtime must change in lockstep")));

  // The other way round, v2's additions are removals.
  ToolResult back = RunTool("snapshot_inspect", {"diff", Snap("v2"), Snap("v1")});
  EXPECT_EQ(back.exit_code, 1);
  EXPECT_THAT(back.out, HasSubstr("export 'Marked' (class) of ext:slugs/slugs.js removed"));
}

TEST_F(ApiDiffTest, FailOnAndJson) {
  ToolResult none = RunTool("snapshot_inspect", {"diff", Snap("v1"), Snap("v2"), "--fail-on=none"});
  EXPECT_EQ(none.exit_code, 0);
  ToolResult same = RunTool("snapshot_inspect", {"diff", Snap("v1"), Snap("v1")});
  EXPECT_EQ(same.exit_code, 0);
  EXPECT_THAT(same.out, HasSubstr("no differences"));

  ToolResult r = RunTool("snapshot_inspect", {"diff", Snap("v1"), Snap("v2"), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  inspect::DiffReport report = ParseDiff(r.out);
  EXPECT_TRUE(report.api_compared());
  EXPECT_TRUE(report.fails());
  std::vector<std::string> api;
  for (const inspect::Change& c : report.changes()) {
    if (c.category() != "api") continue;
    api.push_back(c.severity() + " " + c.kind() + " " + c.subject() + " " + c.old_value() + " -> " +
                  c.new_value());
  }
  EXPECT_THAT(api,
              ElementsAre("breaking export removed export 'Slugger' of ext:slugs/slugs.js class "
                          "-> absent",
                          "breaking export kind changed export 'options' of ext:slugs/slugs.js "
                          "object -> function",
                          "breaking global removed global 'slugify' function -> absent",
                          "compatible export added export 'Marked' of ext:slugs/slugs.js absent "
                          "-> class",
                          "compatible global added global 'slug' absent -> function"));
}

// Snapshots of two V8 versions: the surfaces name no V8 built-in, so only the extension's API
// changes show (here from a pair rewritten as another V8's builder would write it: its version,
// and a blob header this inspector's V8 10.2 layout cannot read).
TEST_F(ApiDiffTest, ComparesAcrossV8Versions) {
  TempDir tmp;
  auto forge = [&](const std::string& name, const std::string& v8_version) {
    std::string snap = tmp.path() + "/" + name;
    std::string blob = *ReadFileToString(Snap("v2"));
    blob[0] = blob[1] = blob[2] = blob[3] = '\xff';  // the header's context count
    EXPECT_TRUE(WriteFileAtomically(snap, blob).ok());
    absl::StatusOr<Sidecar> sidecar =
        DecodeSidecar(*ReadFileToString(SidecarPathFor(Snap("v2"))), "v2 sidecar");
    EXPECT_TRUE(sidecar.ok());
    sidecar->set_v8_version(v8_version);
    sidecar->mutable_blob()->set_xxh3_128(Xxh3Hex(blob));
    EXPECT_TRUE(WriteFileAtomically(SidecarPathFor(snap), EncodeSidecar(*sidecar)).ok());
    return snap;
  };
  const std::string other = forge("other.bin", "13.6.233.10");
  ToolResult r = RunTool("snapshot_inspect", {"diff", Snap("v1"), other, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  inspect::DiffReport report = ParseDiff(r.out);
  int api = 0;
  for (const inspect::Change& c : report.changes()) api += c.category() == "api";
  EXPECT_EQ(api, 5);
  ASSERT_GT(report.changes_size(), 0);
  EXPECT_EQ(report.changes(0).kind(), "v8 version");
  // The other V8's sections are not read: absent on the new side.
  ASSERT_GT(report.sections_size(), 0);
  EXPECT_EQ(report.sections(0).new_bytes(), -1);
  ToolResult text = RunTool("snapshot_inspect", {"diff", Snap("v1"), other, "--fail-on=none"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("export 'Slugger' (class) of ext:slugs/slugs.js removed"));

  // The same damage in a blob of this V8 is trouble, as before.
  const std::string broken = forge("broken.bin", report.changes(0).old_value());
  ToolResult trouble = RunTool("snapshot_inspect", {"diff", Snap("v1"), broken});
  EXPECT_EQ(trouble.exit_code, 2);
  EXPECT_THAT(trouble.err, HasSubstr("not a valid V8"));
}

// An older sidecar, written before the builder recorded the API: the diff says so.
TEST_F(ApiDiffTest, SaysWhenASideHasNoApiSurface) {
  TempDir tmp;
  std::string old = tmp.path() + "/old.bin";
  ASSERT_TRUE(WriteFileAtomically(old, *ReadFileToString(Snap("v1"))).ok());
  absl::StatusOr<Sidecar> sidecar =
      DecodeSidecar(*ReadFileToString(SidecarPathFor(Snap("v1"))), "v1 sidecar");
  ASSERT_TRUE(sidecar.ok());
  sidecar->clear_api_surface();
  ASSERT_TRUE(WriteFileAtomically(SidecarPathFor(old), EncodeSidecar(*sidecar)).ok());
  ToolResult r = RunTool("snapshot_inspect", {"diff", old, Snap("v2")});
  EXPECT_THAT(r.out, HasSubstr("API surface: not compared (a sidecar does not record it"));
  EXPECT_THAT(r.out, Not(HasSubstr("export removed")));
}

}  // namespace
}  // namespace v8snap::testing
