// Unit tests for the sidecar envelope and the verified pair read/write.
#include "format/snapshot_files.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

class SnapshotFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/v8snap-files-XXXXXX";
    dir_ = mkdtemp(tmpl);
    blob_path_ = dir_ + "/snap.bin";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  Sidecar SampleSidecar() {
    Sidecar s;
    s.set_builder_version("test");
    s.set_v8_version("10.2");
    s.mutable_layout()->add_extensions("core");
    return s;
  }

  std::string dir_;
  std::string blob_path_;
  Sidecar sidecar_ = SampleSidecar();
};

TEST_F(SnapshotFilesTest, RoundTripsAPair) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "blob-bytes", &sidecar_).ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->blob, "blob-bytes");
  EXPECT_EQ(pair->sidecar.blob().size(), 10u);
  EXPECT_EQ(pair->sidecar.layout().extensions(0), "core");
}

TEST_F(SnapshotFilesTest, EveryFlippedBitOfTheSidecarIsRefused) {
  std::string encoded = EncodeSidecar(SampleSidecar());
  for (size_t i = 0; i < encoded.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = encoded;
      bad[i] ^= static_cast<char>(1 << bit);
      EXPECT_FALSE(DecodeSidecar(bad, "x").ok()) << "byte " << i << " bit " << bit;
    }
  }
}

TEST_F(SnapshotFilesTest, TruncatedSidecarIsDataLoss) {
  std::string encoded = EncodeSidecar(SampleSidecar());
  for (size_t n = 0; n < encoded.size(); ++n) {
    auto s = DecodeSidecar(encoded.substr(0, n), "x");
    EXPECT_FALSE(s.ok()) << n;
  }
}

TEST_F(SnapshotFilesTest, OtherFormatVersionIsNamed) {
  SidecarFile file;
  file.set_magic(std::string(kSidecarMagic));
  file.set_format_version(99);
  auto s = DecodeSidecar(file.SerializeAsString(), "snap.bin.sidecar.pb");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("format version 99"), std::string::npos);
}

TEST_F(SnapshotFilesTest, BlobFromAnotherBuildIsRefused) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "blob-one", &sidecar_).ok());
  ASSERT_TRUE(WriteFileAtomically(blob_path_, "blob-two").ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_FALSE(pair.ok());
  EXPECT_EQ(pair.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(pair.status().message().find(blob_path_), std::string::npos);
}

TEST_F(SnapshotFilesTest, MissingSidecarSaysV8snapWritesIt) {
  ASSERT_TRUE(WriteFileAtomically(blob_path_, "raw-v8-blob").ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_FALSE(pair.ok());
  EXPECT_NE(pair.status().message().find("no sidecar"), std::string::npos);
}

TEST_F(SnapshotFilesTest, MissingBlobIsReportedAsTheBlob) {
  // Neither file: the blob is what the user named, so the blob is what is missing.
  auto neither = ReadSnapshotPair(blob_path_);
  EXPECT_EQ(neither.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(neither.status().message().rfind("no snapshot blob at '" + blob_path_ + "'", 0), 0u)
      << neither.status();
  EXPECT_EQ(neither.status().message().find("sidecar"), std::string::npos) << neither.status();
  // The sidecar without its blob.
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "blob", &sidecar_).ok());
  ASSERT_EQ(unlink(blob_path_.c_str()), 0);
  auto no_blob = ReadSnapshotPair(blob_path_);
  EXPECT_EQ(no_blob.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(no_blob.status().message().rfind("snapshot blob '" + blob_path_ + "' is missing", 0),
            0u)
      << no_blob.status();
}

TEST_F(SnapshotFilesTest, BinaryEnvelopeFieldsAreEscapedAndNotLogged) {
  // An envelope whose magic holds invalid UTF-8 and a terminal escape. With `string` fields,
  // protobuf logged "[libprotobuf ERROR ...] ... invalid UTF-8" and the parse failed.
  SidecarFile file;
  file.set_magic("\xff\x1b[2J\x13");
  file.set_format_version(kSidecarFormatVersion);
  ::testing::internal::CaptureStderr();
  auto decoded = DecodeSidecar(file.SerializeAsString(), "s.pb");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(decoded.status().message().find(
                "expected magic 'v8snap-sidecar', found '\\xff\\x1b[2J\\x13'"),
            std::string::npos)
      << decoded.status();
  EXPECT_EQ(decoded.status().message().find('\x1b'), std::string::npos);

  file.set_magic(std::string(kSidecarMagic));
  file.set_payload_xxh3_128(std::string(100, '\x13'));
  auto bad_checksum = DecodeSidecar(file.SerializeAsString(), "s.pb");
  EXPECT_NE(bad_checksum.status().message().find("the envelope records '\\x13\\x13"),
            std::string::npos)
      << bad_checksum.status();
  EXPECT_NE(bad_checksum.status().message().find("... (100 bytes)"), std::string::npos);
  EXPECT_EQ(bad_checksum.status().message().find('\x13'), std::string::npos);
}

TEST_F(SnapshotFilesTest, PayloadWithInvalidUtf8IsCorruptionWithoutLogging) {
  // A payload whose checksum is right but whose builder_version (a string) is not UTF-8.
  const std::string payload = "\x0a\x02\xff\xfe";
  SidecarFile file;
  file.set_magic(std::string(kSidecarMagic));
  file.set_format_version(kSidecarFormatVersion);
  file.set_payload_xxh3_128(Xxh3Hex(payload));
  file.set_payload(payload);
  ::testing::internal::CaptureStderr();
  auto decoded = DecodeSidecar(file.SerializeAsString(), "s.pb");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(SnapshotFilesTest, OutputPathChecksNameThePathAndTheFix) {
  struct Case {
    std::string path;
    absl::StatusCode code;
    std::string message;
  };
  ASSERT_EQ(mkdir((dir_ + "/taken.bin.sidecar.pb.next").c_str(), 0755), 0);
  std::ofstream(dir_ + "/file") << "x";
  const Case cases[] = {
      {"", absl::StatusCode::kInvalidArgument,
       "the output path is empty: give --out the path of the file to write"},
      {dir_, absl::StatusCode::kInvalidArgument,
       "output path '" + dir_ +
           "' is a folder: --out takes the path of the file to write (for "
           "example '" +
           dir_ + "/snapshot.bin')"},
      {dir_ + "/missing/s.bin", absl::StatusCode::kNotFound,
       "output folder '" + dir_ + "/missing' does not exist: create it or choose another --out"},
      {dir_ + "/file/s.bin", absl::StatusCode::kNotFound,
       "output folder '" + dir_ + "/file' is not a folder: choose another --out"},
      {dir_ + "/file/sub/s.bin", absl::StatusCode::kNotFound,
       "output folder '" + dir_ +
           "/file/sub' is not a folder (Not a directory): choose another "
           "--out"},
      {dir_ + "/taken.bin", absl::StatusCode::kInvalidArgument,
       "'" + dir_ + "/taken.bin.sidecar.pb.next', where the sidecar of '" + dir_ +
           "/taken.bin' goes, is a folder: remove it or choose another --out"},
  };
  for (const Case& c : cases) {
    absl::Status status = CheckSnapshotOutputPath(c.path, "--out");
    EXPECT_EQ(status.code(), c.code) << c.path;
    EXPECT_EQ(status.message(), c.message);
  }
  EXPECT_TRUE(CheckSnapshotOutputPath(blob_path_, "--out").ok());
}

// A pair write that fails after staging its sidecar (here: the blob exceeds the file size
// limit) removes the staged sidecar and leaves the previous pair loadable.
TEST_F(SnapshotFilesTest, FailedPairWriteLeavesNoFileBehind) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "old-blob", &sidecar_).ok());
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit small = saved;
  small.rlim_cur = 4096;  // the sidecar fits, the blob does not
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  Sidecar next = SampleSidecar();
  absl::Status written = WriteSnapshotPair(blob_path_, std::string(64 * 1024, 'b'), &next);
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.message(), "cannot write '" + blob_path_ + "': File too large");
  EXPECT_NE(access(StagedSidecarPathFor(blob_path_).c_str(), F_OK), 0) << "staged file left";
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->blob, "old-blob");
  DIR* d = opendir(dir_.c_str());
  std::vector<std::string> names;
  while (struct dirent* entry = readdir(d)) {
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"snap.bin", "snap.bin.sidecar.pb"}));
}

TEST_F(SnapshotFilesTest, ReadRefusesADirectory) {
  auto r = ReadFileToString(dir_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("directory"), std::string::npos);
}

TEST_F(SnapshotFilesTest, StaleTempFilesOfDeadWritersAreRemoved) {
  std::string stale = blob_path_ + ".tmp-999999999-0";
  std::ofstream(stale) << "half";
  RemoveStaleTempFiles(blob_path_);
  EXPECT_NE(access(stale.c_str(), F_OK), 0);
}

TEST_F(SnapshotFilesTest, KilledBetweenLastTwoRenamesRollsForward) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "old-blob", &sidecar_).ok());
  // What a build killed after renaming its blob, before renaming its staged sidecar, leaves.
  Sidecar next = SampleSidecar();
  next.mutable_blob()->set_size(8);
  next.mutable_blob()->set_xxh3_128(Xxh3Hex("new-blob"));
  ASSERT_TRUE(WriteFileAtomically(StagedSidecarPathFor(blob_path_), EncodeSidecar(next)).ok());
  ASSERT_TRUE(WriteFileAtomically(blob_path_, "new-blob").ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->blob, "new-blob");
}

TEST_F(SnapshotFilesTest, NextWriteFinishesAnInterruptedOneBeforeStaging) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "old-blob", &sidecar_).ok());
  Sidecar next = SampleSidecar();
  next.mutable_blob()->set_size(8);
  next.mutable_blob()->set_xxh3_128(Xxh3Hex("new-blob"));
  ASSERT_TRUE(WriteFileAtomically(StagedSidecarPathFor(blob_path_), EncodeSidecar(next)).ok());
  ASSERT_TRUE(WriteFileAtomically(blob_path_, "new-blob").ok());
  // The next build is killed right after staging its own sidecar: without finishing the first
  // rename, neither sidecar would match the blob.
  ASSERT_TRUE(FinishInterruptedWrite(blob_path_).ok());
  Sidecar third = SampleSidecar();
  third.mutable_blob()->set_xxh3_128(Xxh3Hex("third-blob"));
  ASSERT_TRUE(WriteFileAtomically(StagedSidecarPathFor(blob_path_), EncodeSidecar(third)).ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->blob, "new-blob");
}

TEST_F(SnapshotFilesTest, StaleStagedSidecarIsIgnored) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "old-blob", &sidecar_).ok());
  Sidecar next = SampleSidecar();
  next.mutable_blob()->set_xxh3_128(Xxh3Hex("never-written"));
  ASSERT_TRUE(WriteFileAtomically(StagedSidecarPathFor(blob_path_), EncodeSidecar(next)).ok());
  auto pair = ReadSnapshotPair(blob_path_);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->blob, "old-blob");
}

TEST_F(SnapshotFilesTest, PairWriteLeavesNoStagedFile) {
  ASSERT_TRUE(WriteSnapshotPair(blob_path_, "blob", &sidecar_).ok());
  EXPECT_NE(access(StagedSidecarPathFor(blob_path_).c_str(), F_OK), 0);
}

// A fix line never tells a user to overwrite a snapshot installed with v8snap.
TEST(RebuildOutPathTest, KeepsTheUsersPathButNotAnInstalledSnapshot) {
  EXPECT_EQ(RebuildOutPath("out/app.bin"), "out/app.bin");
  EXPECT_EQ(RebuildOutPath("/opt/v8snap/share/v8snap/default.bin"), "app.bin");
}

}  // namespace
}  // namespace v8snap
