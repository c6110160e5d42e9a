// The blob file helpers agree with format/'s whole-file read and hash, and fail like it; a
// file truncated under the mapping is an error, not a crash.
#include "snapshot_inspect/blob_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "format/content_hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

std::string WriteTemp(const std::string& contents) {
  char path[] = "/tmp/v8snap-blob-file-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(BlobFileTest, MappedHashEqualsXxh3Hex) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1} << 20, (size_t{3} << 20) + 17}) {
    std::string contents(size, '\0');
    for (size_t i = 0; i < size; ++i) contents[i] = static_cast<char>(i * 131 + 7);
    std::string path = WriteTemp(contents);
    absl::StatusOr<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(path);
    ASSERT_TRUE(mapped.ok()) << mapped.status();
    EXPECT_TRUE((*mapped)->contents() == contents) << size;
    absl::StatusOr<std::string> hash = (*mapped)->Xxh3Hex();
    ASSERT_TRUE(hash.ok()) << hash.status();
    EXPECT_EQ(*hash, v8snap::Xxh3Hex(contents)) << size;
    std::remove(path.c_str());
  }
}

// A file truncated by another process while it is mapped: the pages past its new end are gone
// and touching them raises SIGBUS, which the hash turns into an error.
TEST(BlobFileTest, HashOfAFileTruncatedWhileMappedIsAnErrorNotACrash) {
  std::string path = WriteTemp(std::string(size_t{1} << 20, 'x'));
  absl::StatusOr<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(path);
  ASSERT_TRUE(mapped.ok()) << mapped.status();
  ASSERT_EQ(truncate(path.c_str(), 0), 0);
  absl::StatusOr<std::string> hash = (*mapped)->Xxh3Hex();
  EXPECT_EQ(hash.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(hash.status().message()),
              ::testing::HasSubstr("snapshot blob '" + path + "' shrank while it was being read"));
  // The guard is gone afterwards: a later hash of an intact file works as before.
  std::ofstream(path, std::ios::binary) << std::string(size_t{1} << 20, 'x');
  EXPECT_TRUE((*mapped)->Xxh3Hex().ok());
  std::remove(path.c_str());
}

TEST(BlobFileTest, MissingFileAndDirectory) {
  EXPECT_EQ(MappedFile::Open("/nonexistent/blob.bin").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MappedFile::Open("/tmp").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v8snap::inspect
