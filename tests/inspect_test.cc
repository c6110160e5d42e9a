// End to end: snapshot_inspect on real snapshots built from tests/fixtures/inspect/, as a user in
// code review or CI runs it: what it prints, its JSON, and its exit codes.
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "compat/v8_compat.h"
#include "compat/v8_table_gaps.h"
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "snapshot_inspect/inspect_report.pb.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::ContainerEq;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFixtures[] = "tests/fixtures/inspect/";

// The snapshots every test reads, built once: v1 (core, console, greeting), v1 with console and
// core swapped, v2 (v1 with another greeting.js), v1 built with --size-report, v1 plus the native
// extension timers, and v1 built with an extra V8 flag.
class InspectTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    built_ = Build("v1/runtime", "v1.bin") && Build("v1/reordered", "reordered.bin") &&
             Build("v2/runtime", "v2.bin") && Build("v1/runtime", "sizes.bin", {"--size-report"}) &&
             Build("v1/added", "added.bin") &&
             Build("v1/runtime", "flags.bin", {"--v8-flags=--stack-size=900"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(built_) << build_error_; }

  static bool Build(const std::string& manifest, const std::string& out,
                    std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--manifest", Manifest(manifest), "--out", Snap(out)};
    args.insert(args.end(), extra.begin(), extra.end());
    ToolResult r = RunTool("snapshot_builder", args);
    if (r.exit_code != 0) build_error_ = manifest + ": " + r.err;
    return r.exit_code == 0;
  }
  static std::string Manifest(const std::string& name) {
    return SourcePath(std::string(kFixtures) + name + ".textproto");
  }
  static std::string Snap(const std::string& name) { return dir_->path() + "/" + name; }
  static ToolResult Inspect(const std::vector<std::string>& args) {
    return RunTool("snapshot_inspect", args);
  }

  // A private copy of a built pair, for tests that damage it.
  std::string CopyPair(const std::string& name) {
    std::string copy = tmp_.path() + "/" + name;
    EXPECT_TRUE(WriteFileAtomically(copy, *ReadFileToString(Snap(name))).ok());
    EXPECT_TRUE(
        WriteFileAtomically(SidecarPathFor(copy), *ReadFileToString(SidecarPathFor(Snap(name))))
            .ok());
    return copy;
  }

  // Edits a pair's sidecar and writes it back with a valid envelope: the sidecar another builder
  // (linked with other ops) would have written for the same blob.
  static void RewriteSidecar(const std::string& snap, const std::function<void(Sidecar&)>& edit) {
    const std::string path = SidecarPathFor(snap);
    absl::StatusOr<Sidecar> sidecar = DecodeSidecar(*ReadFileToString(path), path);
    ASSERT_TRUE(sidecar.ok()) << sidecar.status();
    edit(*sidecar);
    ASSERT_TRUE(WriteFileAtomically(path, EncodeSidecar(*sidecar)).ok());
  }

  // A copy of v1 whose blob was edited after V8 wrote it, with a sidecar re-hashed to match:
  // `verify` reports it as "FAIL V8 checksum", and V8 itself would abort on it.
  std::string ChecksumForgedPair() {
    std::string snap = CopyPair("v1.bin");
    std::string blob = *ReadFileToString(snap);
    blob[blob.size() - 3] ^= 0x01;
    EXPECT_TRUE(WriteFileAtomically(snap, blob).ok());
    RewriteSidecar(snap, [&](Sidecar& s) { s.mutable_blob()->set_xxh3_128(Xxh3Hex(blob)); });
    return snap;
  }

  template <typename Report>
  static Report ParseJson(const std::string& json) {
    Report report;
    auto status = google::protobuf::util::JsonStringToMessage(json, &report);
    EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
    return report;
  }

  static TempDir* dir_;
  static bool built_;
  static std::string build_error_;
  TempDir tmp_;
};

TempDir* InspectTest::dir_ = nullptr;
bool InspectTest::built_ = false;
std::string InspectTest::build_error_;

// ---- info ----------------------------------------------------------------------------------

TEST_F(InspectTest, InfoShowsBuildHeaderSectionsExtensionsOpsRefsAndModules) {
  ToolResult r = Inspect({"info", Snap("v1.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* expected :
       {"manifest    inspect (digest ", "V8 flags    --predictable --random-seed=1 --hash-seed=1",
        "code cache  keep", "(matches the blob)", "V8 blob header", "contexts    1",
        "rehashable  ", "checksum    0x", "read-only", "shared heap", "context 0", "KiB",
        "Extensions (3, in load order)", "greeting   -     no", "Ops (", "op_print",
        "core.op_print", "OP_CALLBACK", "ext:console/console.js  console    evaluated",
        "not recorded: rebuild with `snapshot_builder --size-report`"}) {
    EXPECT_THAT(r.out, HasSubstr(expected));
  }
  EXPECT_EQ(r.err, "");
}

TEST_F(InspectTest, InfoJsonParsesAndSectionsCoverTheBlob) {
  ToolResult r = Inspect({"info", Snap("v1.bin"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Documented keys, with proto field names.
  for (const char* key : {"\"blob_path\"", "\"v8_header\"", "\"num_contexts\"",
                          "\"external_references\"", "\"matches_sidecar\""}) {
    EXPECT_THAT(r.out, HasSubstr(key));
  }
  auto report = ParseJson<inspect::InfoReport>(r.out);
  EXPECT_TRUE(report.blob().matches_sidecar());
  EXPECT_EQ(report.build().code_cache(), "keep");  // the builder's default
  EXPECT_EQ(report.v8_header().version(), report.build().v8_version());
  std::vector<std::string> sections;
  uint64_t covered = 0;
  for (const auto& s : report.v8_header().sections()) {
    sections.push_back(s.name());
    EXPECT_EQ(s.offset(), covered) << s.name();
    covered += s.size();
  }
  EXPECT_THAT(sections,
              ElementsAre("header", "startup", "read-only", "shared heap", "context 0"));
  EXPECT_EQ(covered, report.blob().size());
  std::vector<std::string> extensions;
  for (const auto& e : report.extensions()) extensions.push_back(e.name());
  EXPECT_THAT(extensions, ElementsAre("core", "console", "greeting"));
  ASSERT_GE(report.ops_size(), 2);
  EXPECT_EQ(report.ops(0).name(), "op_print");
  // Each op's own, then what the linked V8's own table lacks (compat/v8_table_gaps.h: V8 10.2's
  // two module namespace accessors; none on 13.6), named "v8.*".
  int op_references = 0;
  for (const auto& op : report.ops()) op_references += op.external_reference_indexes_size();
  const int gaps = static_cast<int>(compat::kV8TableGaps.size());
  ASSERT_EQ(report.external_references_size(), op_references + gaps);
  for (int i = op_references; i < report.external_references_size(); ++i) {
    EXPECT_EQ(report.external_references(i).name(), compat::kV8TableGaps[i - op_references].name);
    EXPECT_EQ(report.external_references(i).kind(), ExternalReferenceRecord::V8_INTERNAL);
  }
  EXPECT_FALSE(report.has_size_report());
}

TEST_F(InspectTest, InfoOnlyShowsTheAskedParts) {
  ToolResult r = Inspect({"info", Snap("v1.bin"), "--only", "ops,refs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Ops ("));
  EXPECT_THAT(r.out, HasSubstr("External references ("));
  EXPECT_THAT(r.out, Not(HasSubstr("V8 blob header")));
  EXPECT_THAT(r.out, Not(HasSubstr("code cache")));

  ToolResult json = Inspect({"info", Snap("v1.bin"), "--only", "sections", "--json"});
  auto report = ParseJson<inspect::InfoReport>(json.out);
  EXPECT_GT(report.v8_header().sections_size(), 0);
  EXPECT_EQ(report.ops_size(), 0);
}

// --only in JSON: the parts not asked for are left out (message parts) or empty (list parts);
// blob_path is always there.
TEST_F(InspectTest, InfoOnlyJsonLeavesOutTheOtherParts) {
  ToolResult r = Inspect({"info", Snap("sizes.bin"), "--only", "sizes", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"size_report\""));
  EXPECT_THAT(r.out, HasSubstr("\"blob_path\""));
  for (const char* absent : {"\"build\"", "\"blob\"", "\"v8_header\""}) {
    EXPECT_THAT(r.out, Not(HasSubstr(absent))) << absent;
  }
  EXPECT_THAT(r.out, HasSubstr("\"ops\": []"));
  EXPECT_THAT(r.out, HasSubstr("\"extensions\": []"));
}

// A pair whose blob is not the one its sidecar describes: the report is printed (it says what the
// sidecar records) and the exit code fails the CI step.
TEST_F(InspectTest, InfoOnABlobThatDoesNotMatchItsSidecarExits1) {
  std::string snap = CopyPair("v1.bin");
  ASSERT_TRUE(WriteFileAtomically(snap, *ReadFileToString(Snap("v2.bin"))).ok());
  ToolResult r = Inspect({"info", snap});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("(DOES NOT match the blob: run verify)"));
  EXPECT_THAT(r.err, HasSubstr("snapshot_inspect: error: snapshot blob '" + snap + "' ("));
  EXPECT_THAT(r.err, HasSubstr("does not match its sidecar '" + snap + ".sidecar.pb'"));
  EXPECT_THAT(r.err, HasSubstr("`snapshot_inspect verify " + snap + "`"));

  // Also when --only hides the blob part, and in JSON.
  ToolResult json = Inspect({"info", snap, "--only", "ops", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_THAT(json.err, HasSubstr("does not match its sidecar"));
  auto report = ParseJson<inspect::InfoReport>(Inspect({"info", snap, "--json"}).out);
  EXPECT_FALSE(report.blob().matches_sidecar());
  EXPECT_NE(report.blob().size(), report.blob().recorded_size());
}

TEST_F(InspectTest, InfoOnATruncatedOrEmptyBlobNamesTheFile) {
  for (size_t size : {size_t{30}, size_t{0}}) {
    std::string snap = CopyPair("v1.bin");
    ASSERT_TRUE(WriteFileAtomically(snap, ReadFileToString(snap)->substr(0, size)).ok());
    ToolResult r = Inspect({"info", snap});
    EXPECT_EQ(r.exit_code, 1) << size;
    EXPECT_THAT(r.err, HasSubstr("snapshot_inspect: error: snapshot blob '" + snap +
                                 "': not a valid V8 snapshot blob: the blob is " +
                                 std::to_string(size) + " bytes"));
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(InspectTest, SizeReportAddsUpToTheBlobAndLeavesTheBlobUnchanged) {
  EXPECT_TRUE(*ReadFileToString(Snap("sizes.bin")) == *ReadFileToString(Snap("v1.bin")))
      << "--size-report must not change the blob";
  ToolResult r = Inspect({"info", Snap("sizes.bin"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto report = ParseJson<inspect::InfoReport>(r.out);
  ASSERT_TRUE(report.has_size_report());
  std::vector<std::string> names;
  int64_t sum = report.size_report().baseline_bytes();
  for (const auto& e : report.size_report().extensions()) {
    names.push_back(e.extension());
    sum += e.bytes();
    EXPECT_GT(e.bytes(), 0) << e.extension();
  }
  EXPECT_THAT(names, ElementsAre("core", "console", "greeting"));
  EXPECT_EQ(sum, static_cast<int64_t>(report.blob().size()));
  EXPECT_GT(report.size_report().baseline_bytes(), 0);

  ToolResult text = Inspect({"info", Snap("sizes.bin"), "--only", "sizes"});
  EXPECT_THAT(text.out, HasSubstr("(V8 baseline)"));
  EXPECT_THAT(text.out, HasSubstr("greeting "));
}

// ---- verify --------------------------------------------------------------------------------

TEST_F(InspectTest, VerifyIntactSnapshot) {
  ToolResult r = Inspect({"verify", Snap("v1.bin")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("ok    snapshot pair"));
  EXPECT_THAT(r.out, HasSubstr("ok    V8 checksum"));
  EXPECT_THAT(r.out, HasSubstr("(blob header, sidecar and this binary agree)"));
  EXPECT_THAT(r.out, HasSubstr("result: ok (4 checks)"));

  ToolResult matching = Inspect({"verify", Snap("v1.bin"), "--manifest", Manifest("v1/runtime")});
  EXPECT_EQ(matching.exit_code, 0) << matching.out;
  EXPECT_THAT(matching.out, HasSubstr("a runtime configured by this manifest loads this snapshot"));
}

TEST_F(InspectTest, VerifyCorruptBlob) {
  std::string snap = CopyPair("v1.bin");
  std::string blob = *ReadFileToString(snap);
  blob[blob.size() / 2] ^= 0x10;
  ASSERT_TRUE(WriteFileAtomically(snap, blob).ok());
  ToolResult r = Inspect({"verify", snap});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("FAIL  snapshot pair"));
  EXPECT_THAT(r.err, HasSubstr("snapshot_inspect: error: snapshot blob '" + snap + "' has XXH3-128"));
}

// A blob edited after V8 wrote it, with a sidecar re-hashed to match: only V8's own checksum in
// the blob header still tells.
TEST_F(InspectTest, VerifyChecksumCatchesAnEditTheSidecarWasMadeToAgreeWith) {
  std::string snap = ChecksumForgedPair();
  ToolResult r = Inspect({"verify", snap, "--json"});
  EXPECT_EQ(r.exit_code, 1);
  auto report = ParseJson<inspect::VerifyReport>(r.out);
  EXPECT_FALSE(report.ok());
  std::vector<std::string> failed;
  for (const auto& c : report.checks()) {
    if (!c.ok()) failed.push_back(c.name());
  }
  EXPECT_THAT(failed, ElementsAre("V8 checksum"));
  EXPECT_THAT(r.err, HasSubstr("the blob was changed after V8 wrote it"));
}

TEST_F(InspectTest, VerifyTruncatedHeader) {
  std::string snap = CopyPair("v1.bin");
  std::string blob = ReadFileToString(snap)->substr(0, 60);
  ASSERT_TRUE(WriteFileAtomically(snap, blob).ok());
  Sidecar sidecar = *DecodeSidecar(*ReadFileToString(SidecarPathFor(snap)), "");
  sidecar.mutable_blob()->set_size(blob.size());
  sidecar.mutable_blob()->set_xxh3_128(Xxh3Hex(blob));
  ASSERT_TRUE(WriteFileAtomically(SidecarPathFor(snap), EncodeSidecar(sidecar)).ok());
  ToolResult r = Inspect({"verify", snap});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("FAIL  V8 header"));
  EXPECT_THAT(r.err, HasSubstr("not a valid V8 snapshot blob: the blob is 60 bytes"));
}

// verify --manifest answers with the runtime's own message, without starting V8.
TEST_F(InspectTest, VerifyManifestMismatchGivesTheRuntimesMessage) {
  ToolResult verify =
      Inspect({"verify", Snap("v1.bin"), "--manifest", Manifest("v1/reordered")});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out, HasSubstr("FAIL  load check"));
  // verify lists every difference, where the runtime names the first. (op_print's new id is the
  // number of console ops, which console may change.)
  EXPECT_THAT(verify.out, HasSubstr("op 'op_print' moved: id 0 in extension 'core' in the "
                                    "snapshot, id "));
  EXPECT_THAT(verify.out, HasSubstr("op 'op_console_write' moved: id 1 in extension 'console' in "
                                    "the snapshot, id 0 in extension 'console' in this runtime"));

  std::string script = tmp_.Write("main.js", "console.log('ran');");
  ToolResult run = RunTool("snapshot_run", {"--snapshot", Snap("v1.bin"), "--manifest",
                                            Manifest("v1/reordered"), script});
  ASSERT_EQ(run.exit_code, 1);
  const std::string marker = "error: ";
  ASSERT_NE(verify.err.find(marker), std::string::npos);
  ASSERT_NE(run.err.find(marker), std::string::npos);
  std::string from_verify = verify.err.substr(verify.err.find(marker) + marker.size());
  std::string from_runtime = run.err.substr(run.err.find(marker) + marker.size());
  EXPECT_EQ(from_verify, from_runtime);
  EXPECT_THAT(from_verify, HasSubstr("(extension order): extension 'core' is out of order"));
}

// ---- validate ------------------------------------------------------------------------------

TEST_F(InspectTest, ValidateReportsEveryProblemAtOnceWithSuggestedOrder) {
  std::string manifest = Manifest("problems");
  ToolResult r = Inspect({"validate", manifest});
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string& expected : std::vector<std::string>{
           manifest + ":5:35: error: extension 'console' depends on 'core', which is declared "
                      "after it (line 6)",
           manifest + ":7:33: error: dependency cycle: alpha -> beta -> alpha",
           manifest + ":7:44: error: source 'alpha.js' of extension 'alpha' cannot be read",
           manifest + ":9:19: error: extension 'core' is declared twice: first at line 6",
           manifest + ":10:36: error: extension 'greeting' depends on 'nothere'",
           manifest + ":11:19: error: extension 'native_typo' has no sources, so it must be a "
                      "native extension",
           manifest + ": 8 problems",
       }) {
    EXPECT_THAT(r.out, HasSubstr(expected));
  }
  EXPECT_THAT(r.out, HasSubstr("Suggested order (the manifest's order wherever the deps allow)"));

  auto report = ParseJson<inspect::ValidateReport>(Inspect({"validate", manifest, "--json"}).out);
  std::vector<std::string> kinds;
  for (const auto& p : report.problems()) kinds.push_back(p.kind());
  EXPECT_THAT(kinds, ElementsAre("dependency_after_dependent", "cycle", "missing_source",
                                 "missing_source", "duplicate_extension", "unknown_dependency",
                                 "missing_source", "unknown_native_extension"));
  // Stable: the manifest's order where the deps allow; the cycle's members last.
  EXPECT_THAT(report.suggested_order(),
              ElementsAre("core", "console", "core", "greeting", "native_typo", "alpha", "beta"));
  EXPECT_FALSE(report.ok());
}

TEST_F(InspectTest, ValidateFixRewritesInOrderKeepingComments) {
  std::string manifest =
      tmp_.Write("misordered.textproto", *ReadFileToString(Manifest("misordered")));
  ToolResult before = Inspect({"validate", manifest});
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_THAT(before.out, HasSubstr("validate --fix " + manifest));

  ToolResult fix = Inspect({"validate", "--fix", manifest});
  EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
  EXPECT_THAT(fix.out, HasSubstr("Rewrote " + manifest + " in the suggested order."));
  EXPECT_EQ(tmp_.Read("misordered.textproto"),
            "# proto-file: format/manifest.proto\n"
            "# proto-message: v8snap.Manifest\n"
            "# Only an ordering problem: `validate --fix` makes it valid.\n"
            "\n"
            "name: \"misordered\"\n"
            "\n"
            "# core: the ops everything else uses.\n"
            "extension {\n"
            "  name: \"core\"\n"
            "}\n"
            "\n"
            "# console prints through core's op_print.\n"
            "extension {\n"
            "  name: \"console\"\n"
            "  deps: \"core\"\n"
            "}\n");

  ToolResult after = Inspect({"validate", manifest});
  EXPECT_EQ(after.exit_code, 0) << after.out;
  EXPECT_EQ(after.out, manifest + ": ok, 2 extensions in a valid order: core, console\n");
}

// The classes problems.textproto cannot hold, since each stops the parse or is the whole file.
TEST_F(InspectTest, ValidateSyntaxUnknownFieldAndEmptyManifests) {
  struct Case {
    std::string name, text, kind, message;
  };
  const std::vector<Case> cases = {
      {"syntax.textproto", "name: \"s\"\nextension { name: \"core\" \n", "syntax",
       ":3:1: error: expected protobuf text format (v8snap.Manifest), found a syntax error"},
      {"unknown.textproto", "name: \"u\"\nextension { name: \"core\" sources: \"a.js\" }\n",
       "unknown_field", ":2:26: error: unknown field 'sources'"},
      {"empty.textproto", "# nothing but a comment\n", "empty",
       ":1:1: error: expected at least one `extension { ... }` block, found none"},
  };
  for (const Case& c : cases) {
    std::string manifest = tmp_.Write(c.name, c.text);
    ToolResult r = Inspect({"validate", manifest});
    EXPECT_EQ(r.exit_code, 1) << c.name << "\n" << r.out;
    EXPECT_THAT(r.out, HasSubstr(manifest + c.message)) << c.name;
    EXPECT_THAT(r.out, HasSubstr("fix: ")) << c.name;
    EXPECT_THAT(r.out, HasSubstr(manifest + ": 1 problem\n")) << c.name;

    ToolResult json = Inspect({"validate", manifest, "--json"});
    EXPECT_EQ(json.exit_code, 1) << c.name;
    auto report = ParseJson<inspect::ValidateReport>(json.out);
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.problems_size(), 1) << c.name << "\n" << json.out;
    EXPECT_EQ(report.problems(0).kind(), c.kind) << c.name;
    EXPECT_EQ(report.problems(0).file(), manifest);
    EXPECT_NE(report.problems(0).fix(), "") << c.name;
  }
}

// --fix rewrites the manifest a symlink points to (the link stays a link) and keeps its mode.
TEST_F(InspectTest, ValidateFixWritesThroughASymlinkAndKeepsTheMode) {
  const std::string original = *ReadFileToString(Manifest("misordered"));
  std::string target = tmp_.Write("real/misordered.textproto", original);
  ASSERT_EQ(chmod(target.c_str(), 0600), 0);
  std::string link = tmp_.path() + "/link.textproto";
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);

  ToolResult fix = Inspect({"validate", "--fix", link});
  EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
  EXPECT_THAT(fix.out, HasSubstr("Rewrote " + link + " (through the link: " + target + ")"));
  struct stat st;
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced by a regular file";
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  std::string rewritten = tmp_.Read("real/misordered.textproto");
  EXPECT_NE(rewritten, original);
  EXPECT_LT(rewritten.find("name: \"core\""), rewritten.find("name: \"console\""));
  EXPECT_EQ(Inspect({"validate", link}).exit_code, 0);

  // A plain file keeps its mode too (0640 is not what a fresh file gets under any usual umask).
  std::string plain = tmp_.Write("plain.textproto", original);
  ASSERT_EQ(chmod(plain.c_str(), 0640), 0);
  ToolResult plain_fix = Inspect({"validate", "--fix", plain});
  EXPECT_EQ(plain_fix.exit_code, 0) << plain_fix.out;
  EXPECT_THAT(plain_fix.out, HasSubstr("Rewrote " + plain + " in the suggested order."));
  ASSERT_EQ(stat(plain.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// A manifest --fix cannot rewrite (two blocks on one line): the problems and the suggested order
// are still reported, with why the rewrite was not done; the file is unchanged.
TEST_F(InspectTest, ValidateFixThatCannotRewriteStillReportsTheProblems) {
  const std::string text =
      "name: \"oneline\"\n"
      "extension { name: \"console\" deps: \"core\" } extension { name: \"core\" }\n";
  std::string manifest = tmp_.Write("oneline.textproto", text);
  ToolResult r = Inspect({"validate", "--fix", manifest});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr(manifest + ":2:35: error: extension 'console' depends on 'core', "
                                          "which is declared after it"));
  EXPECT_THAT(r.out, HasSubstr("Suggested order (the manifest's order wherever the deps allow)"));
  const std::string reason = manifest +
                             ":2:1: error: --fix could not rewrite the manifest, which is "
                             "unchanged: cannot reorder: the block of extension 'console' shares "
                             "a line with other text";
  EXPECT_THAT(r.out, HasSubstr(reason));
  EXPECT_THAT(r.out, HasSubstr("fix: move the blocks into the suggested order by hand"));
  EXPECT_THAT(r.out, Not(HasSubstr("Rewrote")));
  EXPECT_THAT(r.err, HasSubstr(reason));
  EXPECT_EQ(tmp_.Read("oneline.textproto"), text);

  ToolResult json = Inspect({"validate", "--fix", manifest, "--json"});
  EXPECT_EQ(json.exit_code, 1);
  auto report = ParseJson<inspect::ValidateReport>(json.out);
  EXPECT_FALSE(report.fixed());
  EXPECT_THAT(report.fix_error(), HasSubstr(reason));
  ASSERT_EQ(report.problems_size(), 1);
  EXPECT_EQ(report.problems(0).kind(), "dependency_after_dependent");
  EXPECT_THAT(report.suggested_order(), ElementsAre("core", "console"));
}

// ---- diff ----------------------------------------------------------------------------------

TEST_F(InspectTest, DiffOfIdenticalSnapshotsIsEmpty) {
  ToolResult r = Inspect({"diff", Snap("v1.bin"), Snap("v1.bin"), "--fail-on=compatible"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("no differences"));
  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v1.bin"), Snap("v1.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "none");
  EXPECT_EQ(report.changes_size(), 0);
}

TEST_F(InspectTest, DiffOfReorderedExtensionsIsBreaking) {
  ToolResult r = Inspect({"diff", Snap("v1.bin"), Snap("reordered.bin")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("result: breaking"));
  EXPECT_THAT(r.out, HasSubstr("Breaking changes (the runtime must change in lockstep):"));
  EXPECT_THAT(r.out, HasSubstr("extension order  extension 'core' is out of order: position 0 in "
                               "old, position 1 ('console' comes first) in new"));
  EXPECT_THAT(r.out, HasSubstr(" changed; old id → new id)"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("op_print +core +0 +[1-9][0-9]* +moved"));
  EXPECT_THAT(r.out, HasSubstr("--fail-on=breaking: fails (exit 1)"));

  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v1.bin"), Snap("reordered.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  EXPECT_TRUE(report.fails());
  // Every op moved: core's one op behind console's, console's to the front.
  ASSERT_GE(report.ops_size(), 2);
  for (const auto& op : report.ops()) {
    EXPECT_EQ(op.change(), "moved") << op.name();
    if (op.name() == "op_print") {
      EXPECT_EQ(op.old_id(), 0);
      EXPECT_EQ(op.new_id(), report.ops_size() - 1);
    } else {
      EXPECT_EQ(op.extension(), "console");
      EXPECT_EQ(op.new_id(), op.old_id() - 1) << op.name();
    }
  }
  EXPECT_EQ(Inspect({"diff", Snap("v1.bin"), Snap("reordered.bin"), "--fail-on=none"}).exit_code, 0);
}

TEST_F(InspectTest, DiffOfASourceChangeIsCompatible) {
  ToolResult r = Inspect({"diff", Snap("v1.bin"), Snap("v2.bin")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("result: compatible (0 breaking, "));
  EXPECT_THAT(r.out, HasSubstr("source changed  greeting: greeting.js changed: "));
  EXPECT_THAT(r.out, HasSubstr("Size by blob section"));
  EXPECT_THAT(r.out, Not(HasSubstr("Breaking changes")));

  ToolResult strict = Inspect({"diff", Snap("v1.bin"), Snap("v2.bin"), "--fail-on=compatible"});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_THAT(strict.out, HasSubstr("--fail-on=compatible: fails (exit 1)"));

  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v1.bin"), Snap("v2.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "compatible");
  EXPECT_FALSE(report.fails());
  int64_t total = 0;
  for (const auto& s : report.sections()) {
    if (s.name() == "total") total = s.delta();
  }
  EXPECT_NE(total, 0);
}

// Extension added (with its ops) and, the other way round, removed: both breaking.
TEST_F(InspectTest, DiffOfAnExtensionAddedOrRemovedIsBreaking) {
  ToolResult added = Inspect({"diff", Snap("v1.bin"), Snap("added.bin")});
  EXPECT_EQ(added.exit_code, 1) << added.err;
  EXPECT_THAT(added.out, HasSubstr("result: breaking"));
  EXPECT_THAT(added.out, HasSubstr("extension added  extension 'timers'"));
  EXPECT_THAT(added.out, ::testing::ContainsRegex("op_timer_start +timers +- +[0-9]+ +added"));
  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v1.bin"), Snap("added.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  ASSERT_GT(report.changes_size(), 0);
  EXPECT_EQ(report.changes(0).kind(), "extension added");
  EXPECT_EQ(report.changes(0).category(), "layout");
  EXPECT_EQ(report.changes(0).severity(), "breaking");
  ASSERT_GT(report.ops_size(), 0);
  for (const auto& op : report.ops()) {
    EXPECT_EQ(op.change(), "added") << op.name();
    EXPECT_EQ(op.extension(), "timers") << op.name();
    EXPECT_EQ(op.old_id(), -1) << op.name();
  }

  ToolResult removed = Inspect({"diff", Snap("added.bin"), Snap("v1.bin")});
  EXPECT_EQ(removed.exit_code, 1) << removed.err;
  EXPECT_THAT(removed.out, HasSubstr("extension removed  extension 'timers'"));
  EXPECT_THAT(removed.out, ::testing::ContainsRegex("op_timer_start +timers +[0-9]+ +- +removed"));
  report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("added.bin"), Snap("v1.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  EXPECT_EQ(report.changes(0).kind(), "extension removed");
  for (const auto& op : report.ops()) {
    EXPECT_EQ(op.change(), "removed") << op.name();
    EXPECT_EQ(op.new_id(), -1) << op.name();
  }
}

// Op-level changes inside one extension need a builder linked with other ops; the sidecar such a
// builder writes is forged here (the blob is the same), and run through the real binary.
TEST_F(InspectTest, DiffOfAnOpAddedOrRenamedInAnExtensionIsBreaking) {
  std::string fewer = CopyPair("v1.bin");
  std::string last_op;
  RewriteSidecar(fewer, [&](Sidecar& s) {
    last_op = s.layout().ops(s.layout().ops_size() - 1).name();
    s.mutable_layout()->mutable_ops()->RemoveLast();
    s.mutable_layout()->mutable_external_references()->RemoveLast();
  });
  ToolResult added = Inspect({"diff", fewer, Snap("v1.bin")});
  EXPECT_EQ(added.exit_code, 1) << added.err;
  EXPECT_THAT(added.out, HasSubstr("op added  op '" + last_op + "'"));
  EXPECT_THAT(added.out, ::testing::ContainsRegex(last_op + " +console +- +[0-9]+ +added"));
  auto report =
      ParseJson<inspect::DiffReport>(Inspect({"diff", fewer, Snap("v1.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  std::vector<std::string> kinds;
  for (const auto& c : report.changes()) kinds.push_back(c.kind());
  EXPECT_THAT(kinds, ::testing::Contains("op added"));
  ASSERT_EQ(report.ops_size(), 1);
  EXPECT_EQ(report.ops(0).name(), last_op);
  EXPECT_EQ(report.ops(0).change(), "added");

  std::string renamed = CopyPair("v1.bin");
  std::string old_name;
  RewriteSidecar(renamed, [&](Sidecar& s) {
    old_name = s.layout().ops(1).name();
    s.mutable_layout()->mutable_ops(1)->set_name("op_renamed");
  });
  ToolResult r = Inspect({"diff", Snap("v1.bin"), renamed});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("op renamed  "));
  EXPECT_THAT(r.out, ::testing::ContainsRegex(old_name + " → op_renamed +console +1 +1 +renamed"));
  report = ParseJson<inspect::DiffReport>(Inspect({"diff", Snap("v1.bin"), renamed, "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  ASSERT_EQ(report.ops_size(), 1);
  EXPECT_EQ(report.ops(0).change(), "renamed");
  EXPECT_EQ(report.ops(0).name(), old_name);
  EXPECT_EQ(report.ops(0).new_name(), "op_renamed");
  EXPECT_EQ(report.ops(0).old_id(), 1);
  EXPECT_EQ(report.ops(0).new_id(), 1);
}

TEST_F(InspectTest, DiffOfV8FlagsIsBreaking) {
  ToolResult r = Inspect({"diff", Snap("v1.bin"), Snap("flags.bin")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("result: breaking"));
  EXPECT_THAT(r.out, HasSubstr("v8 flags  "));
  EXPECT_THAT(r.out, HasSubstr("--hash-seed=1 --stack-size=900"));
  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v1.bin"), Snap("flags.bin"), "--json"}).out);
  EXPECT_EQ(report.severity(), "breaking");
  ASSERT_GT(report.changes_size(), 0);
  EXPECT_EQ(report.changes(0).kind(), "v8 flags");
  EXPECT_EQ(report.changes(0).category(), "v8");
  EXPECT_EQ(report.changes(0).old_value(), "--predictable --random-seed=1 --hash-seed=1");
  EXPECT_EQ(report.changes(0).new_value(),
            "--predictable --random-seed=1 --hash-seed=1 --stack-size=900");
  EXPECT_EQ(report.ops_size(), 0);
}

TEST_F(InspectTest, DiffHeapShowsTheGlobalPropertyAdded) {
  ToolResult r = Inspect({"diff", Snap("v1.bin"), Snap("v2.bin"), "--heap"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Heap after Isolate::New + Context::New (--heap)"));
  EXPECT_THAT(r.out, HasSubstr("global properties added:   farewell\n"));
  EXPECT_THAT(r.out, HasSubstr("global properties removed: none\n"));
  // The builder's API surface reports the global, with its kind; the heaps' lists do not repeat it.
  EXPECT_THAT(r.out, HasSubstr("global added    global 'farewell' (function) added"));
  EXPECT_THAT(r.out, Not(HasSubstr("global property added")));

  auto report = ParseJson<inspect::DiffReport>(
      Inspect({"diff", Snap("v2.bin"), Snap("v1.bin"), "--heap", "--json"}).out);
  EXPECT_THAT(report.heap().global_properties_removed(), ElementsAre("farewell"));
  EXPECT_GT(report.heap().old_objects(), report.heap().new_objects());
}

TEST_F(InspectTest, DiffShowsSizeReportsPerExtension) {
  ToolResult r = Inspect({"diff", Snap("sizes.bin"), Snap("reordered.bin")});
  EXPECT_THAT(r.out, HasSubstr("Size by extension (--size-report)"));
  EXPECT_THAT(r.out, HasSubstr("greeting"));
}

// ---- heap ----------------------------------------------------------------------------------

TEST_F(InspectTest, HeapTopGroupsAndGlobalProperties) {
  ToolResult r = Inspect({"heap", Snap("v1.bin"), "--top", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("objects, "));
  EXPECT_THAT(r.out, HasSubstr("(other groups)"));
  EXPECT_THAT(r.out, HasSubstr("Global object's own properties"));

  auto report = ParseJson<inspect::HeapReport>(
      Inspect({"heap", Snap("v1.bin"), "--top", "5", "--json"}).out);
  ASSERT_EQ(report.heap().groups_size(), 5);
  int64_t top = 0;
  for (int i = 0; i < 5; ++i) {
    top += report.heap().groups(i).bytes();
    if (i > 0) {
      EXPECT_LE(report.heap().groups(i).bytes(), report.heap().groups(i - 1).bytes());
    }
  }
  EXPECT_LT(top, report.heap().bytes());
  EXPECT_GT(report.heap().objects(), 1000);
  // What the extensions put on the global object, console non-enumerable included.
  for (const char* name : {"console", "greet", "v8snap", "Object"}) {
    EXPECT_THAT(report.heap().global_properties(), ::testing::Contains(name));
  }
  EXPECT_THAT(report.heap().global_properties(), Not(::testing::Contains("farewell")));
}

TEST_F(InspectTest, HeapOfTheDefaultSnapshot) {
  const std::string snap = ToolPath("default.bin");
  ToolResult r = Inspect({"heap", snap});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("heap of " + snap + " after Isolate::New + Context::New\n"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("type +constructor +count +bytes +share"));
  auto report = ParseJson<inspect::HeapReport>(Inspect({"heap", snap, "--top", "0", "--json"}).out);
  int64_t objects = 0, bytes = 0;
  for (const auto& g : report.heap().groups()) {
    objects += g.count();
    bytes += g.bytes();
  }
  // --top 0 keeps every group, so they add up to the totals.
  EXPECT_EQ(objects, report.heap().objects());
  EXPECT_EQ(bytes, report.heap().bytes());
  // Every extension of the default manifest shows on the global object.
  for (const char* name :
       {"console", "setTimeout", "TextEncoder", "performance", "crypto", "v8snap"}) {
    EXPECT_THAT(report.heap().global_properties(), ::testing::Contains(name));
  }
}

// V8 aborts the process (a CHECK: SIGTRAP) on a blob whose bytes do not sum to the checksum in
// its header; heap and diff --heap refuse it first, with an error and their exit codes.
TEST_F(InspectTest, HeapAndDiffHeapRefuseABlobWhoseV8ChecksumIsWrong) {
  std::string snap = ChecksumForgedPair();
  ToolResult heap = Inspect({"heap", snap});
  EXPECT_EQ(heap.exit_code, 1) << heap.err;
  EXPECT_EQ(heap.out, "");
  EXPECT_THAT(heap.err, HasSubstr("snapshot_inspect: error: snapshot blob '" + snap +
                                  "': its V8 header records checksum 0x"));
  EXPECT_THAT(heap.err, HasSubstr("the blob was changed after V8 wrote it"));
  EXPECT_THAT(heap.err, HasSubstr("Rebuild the pair with snapshot_builder"));

  ToolResult diff = Inspect({"diff", Snap("v1.bin"), snap, "--heap"});
  EXPECT_EQ(diff.exit_code, 2) << diff.err;
  EXPECT_THAT(diff.err, HasSubstr("snapshot blob '" + snap + "': its V8 header records checksum"));
  // Without --heap, diff does not load the blobs: the same pair compares (blob changed).
  EXPECT_EQ(Inspect({"diff", Snap("v1.bin"), snap}).exit_code, 0);
}

// ---- usage and trouble ---------------------------------------------------------------------

TEST_F(InspectTest, UsageErrorsExit2) {
  const std::vector<std::vector<std::string>> usage_errors = {
      {},
      {"frobnicate"},
      {"info"},
      {"diff", Snap("v1.bin")},
      {"diff", Snap("v1.bin"), Snap("v2.bin"), "--fail-on=minor"},
      {"info", Snap("v1.bin"), "--only", "everything"},
      {"heap", Snap("v1.bin"), "--top", "-3"},
      {"verify", Snap("v1.bin"), "--bogus"},
  };
  for (const auto& args : usage_errors) {
    ToolResult r = Inspect(args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args) << "\n" << r.err;
  }
  EXPECT_EQ(Inspect({"--help"}).exit_code, 0);
  EXPECT_THAT(Inspect({"--version"}).out,
              HasSubstr(absl::StrCat("snapshot_inspect 0.1.0 (v8snap), V8 ", compat::kV8Major, ".",
                                     compat::kV8Minor, ".")));
}

TEST_F(InspectTest, UsageErrorsSayWhatIsWrong) {
  ToolResult top = Inspect({"heap", Snap("v1.bin"), "--top", "abc"});
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_THAT(top.err,
              HasSubstr("--top: expected a non-negative integer (0 shows every group), got 'abc'"));
  EXPECT_THAT(top.err, Not(HasSubstr("not in range")));

  ToolResult bogus = Inspect({"bogus", Snap("v1.bin")});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_EQ(bogus.err,
            "snapshot_inspect: error: unknown command 'bogus': the commands are info, verify, "
            "validate, diff, heap, report (snapshot_inspect --help describes them)\n");
}

TEST_F(InspectTest, EveryCommandsHelpHasExamples) {
  for (const char* command : {"info", "verify", "validate", "diff", "heap"}) {
    ToolResult r = Inspect({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_THAT(r.out, HasSubstr("Examples:\n  snapshot_inspect " + std::string(command) + " "))
        << command;
    EXPECT_THAT(r.out, HasSubstr("\nExit codes")) << command;
  }
}

TEST_F(InspectTest, MissingFiles) {
  std::string missing = tmp_.path() + "/none.bin";
  ToolResult info = Inspect({"info", missing});
  EXPECT_EQ(info.exit_code, 1);
  EXPECT_THAT(info.err, HasSubstr("snapshot_inspect: error: "));
  EXPECT_THAT(info.err, HasSubstr("none.bin.sidecar.pb"));
  // diff(1): trouble is 2, so CI can tell "changed" from "could not compare".
  ToolResult diff = Inspect({"diff", Snap("v1.bin"), missing});
  EXPECT_EQ(diff.exit_code, 2);
  EXPECT_THAT(diff.err, HasSubstr("'" + missing));
  EXPECT_EQ(Inspect({"heap", missing}).exit_code, 1);
  ToolResult validate = Inspect({"validate", tmp_.path() + "/none.textproto"});
  EXPECT_EQ(validate.exit_code, 1);
  EXPECT_THAT(validate.out, HasSubstr("none.textproto"));
}

}  // namespace
}  // namespace v8snap::testing
