// V8 blob header parsing on synthetic blobs laid out as V8 10.2 writes them, and on every kind of
// damage: the parser must report kDataLoss and never read outside the bytes it is given.
#include "format/v8_blob_header.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

void PutU32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

// A SnapshotData section: magic, payload length, payload bytes.
std::string Section(uint32_t payload_size, char fill) {
  std::string s(8 + payload_size, fill);
  PutU32(s, 0, 0xC0DE0563);
  PutU32(s, 4, payload_size);
  return s;
}

// A blob as V8 10.2's SnapshotImpl::CreateSnapshotBlob lays it out.
std::string MakeBlob(const std::vector<uint32_t>& context_payloads, bool rehashable = true,
                     const std::string& version = "10.2.154.26-node.37") {
  uint32_t n = static_cast<uint32_t>(context_payloads.size());
  size_t header_end = 84 + 4 * n;
  size_t startup = (header_end + 7) / 8 * 8;
  std::string blob(startup, '\0');
  PutU32(blob, 0, n);
  PutU32(blob, 4, rehashable ? 1 : 0);
  blob.replace(12, version.size(), version);
  blob += Section(40, 's');
  PutU32(blob, 76, static_cast<uint32_t>(blob.size()));
  blob += Section(24, 'r');
  PutU32(blob, 80, static_cast<uint32_t>(blob.size()));
  blob += Section(16, 'h');
  for (uint32_t i = 0; i < n; ++i) {
    PutU32(blob, 84 + 4 * i, static_cast<uint32_t>(blob.size()));
    blob += Section(context_payloads[i], 'c');
  }
  PutU32(blob, 8, ComputeV8Sums(absl::string_view(blob).substr(12)).adler32);
  return blob;
}

TEST(V8BlobHeaderTest, ParsesEveryFieldAndSection) {
  std::string blob = MakeBlob({32});
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->num_contexts, 1u);
  EXPECT_TRUE(header->rehashable);
  EXPECT_EQ(header->version, "10.2.154.26-node.37");
  EXPECT_EQ(header->checksum, V8BlobChecksum(blob, *header));
  std::vector<std::string> names;
  uint64_t covered = 0;
  for (const V8BlobSection& s : header->sections) {
    names.push_back(s.name);
    EXPECT_EQ(s.offset, covered) << s.name;
    covered += s.size;
  }
  EXPECT_THAT(names, ::testing::ElementsAre("header", "startup", "read-only", "shared heap",
                                            "context 0"));
  EXPECT_EQ(covered, blob.size());
  EXPECT_EQ(header->sections[0].size, 88u);  // 84 + 4, aligned to 8
  EXPECT_EQ(header->sections[1].size, 48u);
  EXPECT_EQ(header->sections[4].size, 40u);
}

// A blob as V8 13.6 lays it out: the read-only section's checksum at 12, the version string at
// 16, every later field 4 bytes on. Both checksums are summed as a V8 built without zlib sums
// them (Fletcher-32: Debian's libnode137), or with zlib (adler32) when `zlib` is set. The
// read-only section is long enough for the two sums of it to differ.
std::string MakeBlob13(uint32_t context_payload, bool zlib = false) {
  const std::string version = "13.6.233.17-node.63";
  size_t startup = 96;  // 88 + 4 for one context, aligned to 8
  std::string blob(startup, '\0');
  PutU32(blob, 0, 1);
  PutU32(blob, 4, 0);
  blob.replace(16, version.size(), version);
  blob += Section(40, 's');
  const size_t read_only = blob.size();
  PutU32(blob, 80, static_cast<uint32_t>(read_only));
  blob += Section(6000, '\xff');
  PutU32(blob, 84, static_cast<uint32_t>(blob.size()));
  blob += Section(16, 'h');
  PutU32(blob, 88, static_cast<uint32_t>(blob.size()));
  blob += Section(context_payload, 'c');
  auto sum = [zlib](absl::string_view bytes) {
    V8Sums sums = ComputeV8Sums(bytes);
    return zlib ? sums.adler32 : sums.fletcher32;
  };
  PutU32(blob, 12, sum(absl::string_view(blob).substr(read_only, 6008)));
  PutU32(blob, 8, sum(absl::string_view(blob).substr(12)));
  return blob;
}

TEST(V8BlobHeaderTest, ReadsTheV8_13LayoutWithItsReadOnlyChecksum) {
  std::string blob = MakeBlob13(32);
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->version, "13.6.233.17-node.63");
  EXPECT_FALSE(header->rehashable);
  EXPECT_EQ(header->read_only_checksum,
            ComputeV8Sums(absl::string_view(blob).substr(header->sections[2].offset,
                                                          header->sections[2].size))
                .fletcher32);
  std::vector<std::string> names;
  uint64_t covered = 0;
  for (const V8BlobSection& s : header->sections) {
    names.push_back(s.name);
    EXPECT_EQ(s.offset, covered) << s.name;
    covered += s.size;
  }
  EXPECT_THAT(names, ::testing::ElementsAre("header", "startup", "read-only", "shared heap",
                                            "context 0"));
  EXPECT_EQ(covered, blob.size());
  EXPECT_EQ(header->sections[0].size, 96u);
  // A 10.2 blob has no read-only checksum field.
  EXPECT_EQ(ParseV8BlobHeader(MakeBlob({32}))->read_only_checksum, 0u);
}

TEST(V8BlobHeaderTest, TheChecksumIsSummedAsTheBlobsV8SumsIt) {
  // Debian's 13.6 (no zlib): Fletcher-32, told by the read-only checksum.
  std::string fletcher = MakeBlob13(32);
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(fletcher);
  ASSERT_TRUE(header.ok()) << header.status();
  V8Sums sums = ComputeV8Sums(absl::string_view(fletcher).substr(12));
  ASSERT_NE(sums.adler32, sums.fletcher32);
  EXPECT_EQ(V8BlobChecksum(fletcher, *header), sums.fletcher32);
  EXPECT_EQ(V8BlobChecksum(fletcher, *header), header->checksum);
  // A 13.6 built with zlib: adler32.
  std::string adler = MakeBlob13(32, /*zlib=*/true);
  header = ParseV8BlobHeader(adler);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(V8BlobChecksum(adler, *header), header->checksum);
  // One byte changed anywhere after the checksum field, in the read-only section too: no match.
  for (size_t at : {size_t{20}, size_t{200}, fletcher.size() - 1}) {
    std::string edited = fletcher;
    edited[at] = static_cast<char>(edited[at] ^ 1);
    header = ParseV8BlobHeader(edited);
    ASSERT_TRUE(header.ok()) << at;
    EXPECT_NE(V8BlobChecksum(edited, *header), header->checksum) << at;
  }
}

TEST(V8BlobHeaderTest, SeveralContexts) {
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(MakeBlob({8, 16, 24}, false));
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->num_contexts, 3u);
  EXPECT_FALSE(header->rehashable);
  ASSERT_EQ(header->sections.size(), 7u);
  EXPECT_EQ(header->sections[6].name, "context 2");
  EXPECT_EQ(header->sections[6].size, 32u);
  EXPECT_EQ(header->sections[0].size, 96u);  // 84 + 12, aligned to 8
}

TEST(V8BlobHeaderTest, SumsAreV8sAdler32AndFletcher32FromZero) {
  // zlib.adler32(b"Wikipedia", 0) == 0x11dd0397; for so few bytes Fletcher-32 is the same.
  V8Sums wiki = ComputeV8Sums("Wikipedia");
  EXPECT_EQ(wiki.adler32, 0x11dd0397u);
  EXPECT_EQ(wiki.fletcher32, 0x11dd0397u);
  // Long enough to need the periodic reduction: zlib.adler32(b"\xff" * 100000, 0), and V8's
  // Fletcher-32 loop (sum1 = (sum1 + byte) % 65535; sum2 = (sum2 + sum1) % 65535) over the same.
  V8Sums ff = ComputeV8Sums(std::string(100000, '\xff'));
  EXPECT_EQ(ff.adler32, 0x8ddc302bu);
  EXPECT_EQ(ff.fletcher32, 0x78871ae5u);
  EXPECT_EQ(ComputeV8Sums("").adler32, 0u);
  // A blob too short for the checksum field.
  EXPECT_EQ(V8BlobChecksum("short", V8BlobHeader{}), 0u);
}

struct Damage {
  const char* what;
  size_t at;
  uint32_t value;
  const char* message;
};

TEST(V8BlobHeaderTest, DamagedFieldsAreDataLossNamingTheField) {
  const std::string good = MakeBlob({32});
  const Damage cases[] = {
      {"no contexts", 0, 0, "says 0 contexts"},
      {"absurd context count", 0, 0x7fffffff, "expected 1 to 65536"},
      {"context offsets past the end", 0, 60000, "context offsets"},
      {"rehashability not a flag", 4, 7, "rehashability flag at offset 4 is 7"},
      {"read-only before startup", 76, 10, "read-only section starts at 10"},
      {"read-only past the end", 76, 1u << 30, "expected an offset from 88"},
      {"shared heap before read-only", 80, 100, "the read-only section starts at 136 but the "
                                                "next section starts at 100"},
      {"context past the end", 84, 1u << 20, "context 0 section starts at 1048576"},
  };
  for (const Damage& d : cases) {
    std::string blob = good;
    PutU32(blob, d.at, d.value);
    absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
    ASSERT_FALSE(header.ok()) << d.what;
    EXPECT_EQ(header.status().code(), absl::StatusCode::kDataLoss) << d.what;
    EXPECT_THAT(header.status().message(), HasSubstr(d.message)) << d.what;
    EXPECT_THAT(header.status().message(), HasSubstr("rebuild it with snapshot_builder"));
  }
}

TEST(V8BlobHeaderTest, BadVersionStringAndSectionContents) {
  std::string blob = MakeBlob({32});
  blob[14] = '\x01';
  EXPECT_THAT(ParseV8BlobHeader(blob).status().message(),
              HasSubstr("byte 0x01 at position 2; expected printable ASCII"));
  EXPECT_THAT(ParseV8BlobHeader(MakeBlob({32}, true, "")).status().message(),
              HasSubstr("version string at offset 12 is empty"));

  blob = MakeBlob({32});
  PutU32(blob, 88, 0x12345678);  // startup section's magic
  EXPECT_THAT(ParseV8BlobHeader(blob).status().message(),
              HasSubstr("startup section at offset 88 starts with 0x12345678"));

  blob = MakeBlob({32});
  PutU32(blob, 92, 41);  // startup payload one byte longer than the section holds
  EXPECT_THAT(ParseV8BlobHeader(blob).status().message(),
              HasSubstr("says its payload is 41 bytes, but only 40 follow"));
}

TEST(V8BlobHeaderTest, EveryTruncationIsDataLoss) {
  const std::string blob = MakeBlob({32, 8});
  for (size_t length = 0; length < blob.size(); ++length) {
    absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob.substr(0, length));
    ASSERT_FALSE(header.ok()) << "a blob cut to " << length << " bytes parsed";
    EXPECT_EQ(header.status().code(), absl::StatusCode::kDataLoss);
  }
  EXPECT_THAT(ParseV8BlobHeader("").status().message(),
              HasSubstr("the blob is 0 bytes, shorter than the smallest header (88 bytes)"));
}

// What a fuzzer does, in miniature: random bytes and random single-byte changes must only ever
// give an error or a header whose sections lie inside the blob (run under ASan to catch reads).
TEST(V8BlobHeaderTest, RandomInputNeverEscapesTheBlob) {
  std::mt19937 random(42);
  const std::string good = MakeBlob({32, 8});
  for (int round = 0; round < 20000; ++round) {
    std::string blob;
    if (round % 2 == 0) {
      blob.resize(random() % 200);
      for (char& c : blob) c = static_cast<char>(random());
      if (blob.size() >= 4 && round % 4 == 0) PutU32(blob, 0, 1 + random() % 3);
    } else {
      blob = good;
      blob[random() % blob.size()] = static_cast<char>(random());
    }
    absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
    if (!header.ok()) {
      EXPECT_EQ(header.status().code(), absl::StatusCode::kDataLoss);
      continue;
    }
    for (const V8BlobSection& s : header->sections) {
      EXPECT_LE(s.offset + s.size, blob.size());
    }
  }
}

}  // namespace
}  // namespace v8snap
