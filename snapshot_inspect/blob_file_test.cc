// The blob file helpers agree with format/'s whole-file read and hash, and fail like it.
#include "snapshot_inspect/blob_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "format/content_hash.h"
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

TEST(BlobFileTest, StreamingHashEqualsXxh3HexAcrossBufferBoundaries) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1} << 20, (size_t{3} << 20) + 17}) {
    std::string contents(size, '\0');
    for (size_t i = 0; i < size; ++i) contents[i] = static_cast<char>(i * 131 + 7);
    std::string path = WriteTemp(contents);
    absl::StatusOr<std::string> hash = Xxh3HexOfFile(path);
    ASSERT_TRUE(hash.ok()) << hash.status();
    EXPECT_EQ(*hash, Xxh3Hex(contents)) << size;
    absl::StatusOr<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(path);
    ASSERT_TRUE(mapped.ok()) << mapped.status();
    EXPECT_TRUE((*mapped)->contents() == contents) << size;
    std::remove(path.c_str());
  }
}

TEST(BlobFileTest, MissingFileAndDirectory) {
  EXPECT_EQ(MappedFile::Open("/nonexistent/blob.bin").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Xxh3HexOfFile("/nonexistent/blob.bin").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MappedFile::Open("/tmp").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Xxh3HexOfFile("/tmp").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v8snap::inspect
