// Across V8 versions, end to end: this build's tools against the default snapshot of a build
// linked with the other V8 (10.2 and 13.6, docs/v8_versions.md). Not part of either `make test`:
// tools/v8_13.sh runs it on both sides once both builds exist, with V8SNAP_OTHER_BUILD naming
// the other build's folder (out/release or out/v8-13).
//   - the runtime refuses the other V8's snapshot before V8 sees it, naming both versions;
//   - info and verify read the other V8's blob header (both layouts) and name the mismatch;
//   - diff of the same manifest built on each is the upgrade review: the V8 change, the blob
//     sections side by side, the wiring and the API surface.
#include <cstdlib>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::string OtherBuild() {
  const char* other = std::getenv("V8SNAP_OTHER_BUILD");
  return other == nullptr ? "" : other;
}

// "13.6.233.17-node.63": the V8 line of `snapshot_inspect info`.
std::string V8VersionOf(const std::string& blob) {
  ToolResult info = RunTool("snapshot_inspect", {"info", blob, "--only", "build"});
  size_t at = info.out.find("\nV8 ");
  if (at == std::string::npos) return "";
  size_t start = info.out.find_first_not_of(' ', at + 4);
  return info.out.substr(start, info.out.find('\n', start) - start);
}

class CrossVersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(OtherBuild().empty())
        << "set V8SNAP_OTHER_BUILD to the other V8's build folder (tools/v8_13.sh does)";
    other_blob_ = OtherBuild() + "/default.bin";
    this_blob_ = ToolPath("default.bin");
    ASSERT_FALSE(ReadWholeFile(other_blob_).empty()) << other_blob_ << " is missing";
    this_version_ = V8VersionOf(this_blob_);
    other_version_ = V8VersionOf(other_blob_);
    ASSERT_FALSE(this_version_.empty());
    ASSERT_FALSE(other_version_.empty());
    ASSERT_NE(this_version_.substr(0, 3), other_version_.substr(0, 3))
        << "both builds link the same V8";
  }
  std::string other_blob_, this_blob_, this_version_, other_version_;
};

TEST_F(CrossVersionTest, TheRuntimeRefusesTheOtherV8sSnapshotBeforeV8SeesIt) {
  TempDir dir;
  ToolResult run = RunTool("snapshot_run", {"--snapshot", other_blob_,
                                            dir.Write("hello.js", "console.log('hi')")});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("was built with V8 " + other_version_ +
                                 ", but this runtime is linked with V8 " + this_version_));
  EXPECT_THAT(run.err, HasSubstr("rebuild the snapshot with a snapshot_builder linked with the "
                                 "same V8 as this runtime"));
  EXPECT_THAT(run.err, Not(HasSubstr("Fatal error")));
}

TEST_F(CrossVersionTest, InfoAndVerifyReadTheOtherV8sBlobAndNameTheMismatch) {
  ToolResult info = RunTool("snapshot_inspect", {"info", other_blob_, "--only", "sections"});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.out, HasSubstr(other_version_));
  EXPECT_THAT(info.out, ContainsRegex("read-only +[0-9,]+"));

  ToolResult verify = RunTool("snapshot_inspect", {"verify", other_blob_});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out, ContainsRegex("ok +V8 header"));
  EXPECT_THAT(verify.out, ContainsRegex("ok +V8 checksum"));
  EXPECT_THAT(verify.out, ContainsRegex("FAIL +V8 version +snapshot '.*' was built with V8 " +
                                        other_version_));
}

TEST_F(CrossVersionTest, DiffIsTheUpgradeReview) {
  ToolResult diff = RunTool("snapshot_inspect", {"diff", other_blob_, this_blob_});
  EXPECT_EQ(diff.exit_code, 1) << "a V8 change is breaking: " << diff.err;
  EXPECT_THAT(diff.out, HasSubstr("V8 version: " + other_version_ + " (old) → " + this_version_ +
                                  " (new)"));
  EXPECT_THAT(diff.out, HasSubstr("Size by blob section"));
  EXPECT_THAT(diff.out, ContainsRegex("read-only +[0-9.]+ KiB +[0-9.]+ KiB"));
  // The same manifest on either V8 exports the same API: nothing about it is reported.
  EXPECT_THAT(diff.out, Not(HasSubstr("export")));

  ToolResult json = RunTool("snapshot_inspect", {"diff", other_blob_, this_blob_, "--json"});
  EXPECT_THAT(json.out, HasSubstr("\"api_compared\": true"));
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"v8 version\""));
}

}  // namespace
}  // namespace v8snap::testing
