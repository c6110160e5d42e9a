// End to end: hostile or broken inputs get a clear error and exit 1, never a hang, a signal or a
// successful run. Build inputs (trusted, still checked) and runtime inputs (untrusted).
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;

class BadInputsTest : public ::testing::Test {
 protected:
  // A manifest in tmp_ with one JS-only extension whose source is `source_name`.
  std::string ManifestWithSource(const std::string& source_name) {
    return tmp_.Write("m.textproto",
                      "extension { name: \"core\" js: \"core.js\" }\n"
                      "extension { name: \"app\" js: \"" + source_name + "\" }\n");
  }
  ToolResult Build(const std::string& manifest) {
    return RunTool("snapshot_builder", {"--manifest", manifest, "--out", tmp_.path() + "/s.bin"});
  }
  void SetUp() override {
    tmp_.Write("core.js", *ReadFileToString(SourcePath("extensions/core/core.js")));
  }
  TempDir tmp_;
};

TEST_F(BadInputsTest, SourceThatIsADirectory) {
  mkdir((tmp_.path() + "/dir.js").c_str(), 0755);
  ToolResult r = Build(ManifestWithSource("dir.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("m.textproto:2:"));
  EXPECT_THAT(r.err, HasSubstr("is a directory"));
}

TEST_F(BadInputsTest, SourceThatIsAFifoDoesNotHang) {
  ASSERT_EQ(mkfifo((tmp_.path() + "/pipe.js").c_str(), 0644), 0);
  ToolResult r = Build(ManifestWithSource("pipe.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("is a FIFO"));
}

TEST_F(BadInputsTest, SourceThatIsADevice) {
  ASSERT_EQ(symlink("/dev/zero", (tmp_.path() + "/zero.js").c_str()), 0);
  ToolResult r = Build(ManifestWithSource("zero.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("not a regular file"));
}

TEST_F(BadInputsTest, MissingManifest) {
  ToolResult r = Build(tmp_.path() + "/nope.textproto");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.textproto"));
}

TEST_F(BadInputsTest, OutputFolderMissing) {
  ToolResult r = RunTool("snapshot_builder", {"--manifest", ManifestWithSource("core.js"),
                                              "--out", tmp_.path() + "/no/such/dir/s.bin"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no/such/dir"));
}

TEST_F(BadInputsTest, SnapshotPathThatIsADirectoryOrFifo) {
  std::string script = tmp_.Write("main.js", "1;");
  mkdir((tmp_.path() + "/d.bin").c_str(), 0755);
  mkdir((tmp_.path() + "/d.bin.sidecar.pb").c_str(), 0755);
  ToolResult dir = RunTool("snapshot_run", {"--snapshot", tmp_.path() + "/d.bin", script});
  EXPECT_EQ(dir.exit_code, 1);
  EXPECT_THAT(dir.err, HasSubstr("is a directory"));
  ASSERT_EQ(mkfifo((tmp_.path() + "/f.bin.sidecar.pb").c_str(), 0644), 0);
  ToolResult fifo = RunTool("snapshot_run", {"--snapshot", tmp_.path() + "/f.bin", script});
  EXPECT_EQ(fifo.exit_code, 1);
  EXPECT_THAT(fifo.err, HasSubstr("is a FIFO"));
}

// Every single-bit flip of the sidecar, and a sample of flips across the whole blob, is refused
// by the verified read (in-process: the same code snapshot_run uses, thousands of times).
TEST_F(BadInputsTest, FlippedBitsAnywhereAreRefused) {
  ASSERT_EQ(Build(ManifestWithSource("core.js")).exit_code, 0);
  const std::string blob_path = tmp_.path() + "/s.bin";
  const std::string sidecar_path = SidecarPathFor(blob_path);
  const std::string blob = *ReadFileToString(blob_path);
  const std::string sidecar = *ReadFileToString(sidecar_path);
  ASSERT_TRUE(ReadSnapshotPair(blob_path).ok());

  int sidecar_flips = 0;
  for (size_t i = 0; i < sidecar.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = sidecar;
      bad[i] ^= static_cast<char>(1 << bit);
      auto decoded = DecodeSidecar(bad, sidecar_path);
      bool refused = !decoded.ok() || !VerifyBlobMatchesSidecar(blob, *decoded, blob_path).ok();
      EXPECT_TRUE(refused) << "sidecar byte " << i << " bit " << bit;
      ++sidecar_flips;
    }
  }
  auto good_sidecar = DecodeSidecar(sidecar, sidecar_path);
  ASSERT_TRUE(good_sidecar.ok());
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> position(0, blob.size() - 1);
  for (int n = 0; n < 3000; ++n) {
    std::string bad = blob;
    size_t i = n < 64 ? static_cast<size_t>(n) : position(random);  // the V8 header, then anywhere
    bad[i] ^= static_cast<char>(1 << (n % 8));
    EXPECT_FALSE(VerifyBlobMatchesSidecar(bad, *good_sidecar, blob_path).ok()) << "blob byte " << i;
  }
  for (size_t cut : {size_t{0}, size_t{1}, blob.size() / 2, blob.size() - 1}) {
    EXPECT_FALSE(VerifyBlobMatchesSidecar(blob.substr(0, cut), *good_sidecar, blob_path).ok());
  }
  EXPECT_GT(sidecar_flips, 1000);
}

}  // namespace
}  // namespace v8snap::testing
