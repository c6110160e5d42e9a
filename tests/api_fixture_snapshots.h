// A test fixture: the two snapshots of tests/fixtures/api/ (v1 and v2 of an extension whose
// exports and globals change), built once per test suite, for the API diff and report tests.
#ifndef V8SNAP_TESTS_API_FIXTURE_SNAPSHOTS_H_
#define V8SNAP_TESTS_API_FIXTURE_SNAPSHOTS_H_

#include <string>

#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {

class ApiFixtureSnapshotsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    build_error_.clear();
    for (const char* version : {"v1", "v2"}) {
      ToolResult r =
          RunTool("snapshot_builder",
                  {"--manifest",
                   SourcePath(std::string("tests/fixtures/api/") + version + "/runtime.textproto"),
                   "--out", Snap(version)});
      if (r.exit_code != 0) build_error_ += r.err;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(build_error_, ""); }

  // The blob of "v1" or "v2".
  static std::string Snap(const std::string& version) {
    return dir_->path() + "/" + version + ".bin";
  }

 private:
  static inline TempDir* dir_ = nullptr;
  static inline std::string build_error_;
};

}  // namespace v8snap::testing

#endif  // V8SNAP_TESTS_API_FIXTURE_SNAPSHOTS_H_
