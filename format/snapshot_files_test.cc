// Unit tests for the sidecar envelope and the verified pair read/write.
#include "format/snapshot_files.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

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

}  // namespace
}  // namespace v8snap
