// Reads the header of a V8 startup-snapshot blob without starting V8 (of any V8 v8snap supports,
// whichever V8 this process links): contexts, rehashability, V8's checksum and version string,
// and where each section lies.
//
// Usage:
//   absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob_bytes);
//   if (!header.ok()) ...;                       // kDataLoss: truncated or not a V8 blob
//   for (const V8BlobSection& s : header->sections) print(s.name, s.size);
//   bool intact = V8BlobChecksum(blob_bytes, *header) == header->checksum;
//
// The layout (V8 10.2, src/snapshot/snapshot.cc, SnapshotImpl; all uint32 little-endian):
//   [0] number of contexts N   [4] rehashability   [8] checksum (adler32 of bytes 12..end)
//   [12] version string, 64 bytes, NUL-padded
//   [76] offset of the read-only data   [80] offset of the shared heap data
//   [84] offset of context 0 ... context N-1
//   then, from the header's end rounded up to 8: startup data, read-only data, shared heap
//   data, context 0 ... context N-1, each up to the next one's offset (the last to the end).
// V8 11 and later (13.6) insert the read-only section's checksum at [12]; the version string
// moves to [16] and every later field 4 bytes on. The parser tells the two apart by where the
// version string is.
// Every section is a V8 SnapshotData: uint32 magic, uint32 payload length, payload.
// The parser never reads outside `blob`, whatever the bytes are (it is fuzzed).
#ifndef V8SNAP_FORMAT_V8_BLOB_HEADER_H_
#define V8SNAP_FORMAT_V8_BLOB_HEADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v8snap {

struct V8BlobSection {
  // "header", "startup", "read-only", "shared heap", "context 0", ...
  std::string name;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct V8BlobHeader {
  uint32_t num_contexts = 0;
  // Whether V8 may rehash the deserialized hash tables with a new seed (0 or 1 in the blob).
  bool rehashable = false;
  // V8's own checksum of the blob (see V8BlobChecksum); V8 compares it on load when
  // --verify-snapshot-checksum is on.
  uint32_t checksum = 0;
  // V8 11 and later: the read-only section's checksum, which code caches are tied to; 0 in a
  // 10.2 blob, which has no such field.
  uint32_t read_only_checksum = 0;
  // "10.2.154.26-node.37": V8 refuses (aborts on) a blob whose string is not its own.
  std::string version;
  // The header itself first, then startup, read-only, shared heap and each context, in blob
  // order; together they cover the blob exactly.
  std::vector<V8BlobSection> sections;
};

// Upper bound on contexts accepted, so a garbage count cannot make the parser allocate much.
inline constexpr uint32_t kMaxV8BlobContexts = 1u << 16;

// Parses and sanity-checks the header: every offset inside the blob, sections in order and
// non-overlapping, each section's SnapshotData payload length within the section, a printable
// version string. kDataLoss, naming the field, offset and expected range, on anything else.
absl::StatusOr<V8BlobHeader> ParseV8BlobHeader(absl::string_view blob);

// The two sums a V8 may checksum with (its src/snapshot/snapshot-utils.cc, Checksum), both
// starting at 0: zlib's adler32 when V8 is built with zlib (V8_USE_ZLIB; every V8 10.2, so
// Debian 12's libnode108), its own Fletcher-32 (both sums mod 65535) when it is not (Debian's V8
// 13.6, libnode137). Reads `bytes` once.
struct V8Sums {
  uint32_t adler32 = 0;
  uint32_t fletcher32 = 0;
};
V8Sums ComputeV8Sums(absl::string_view bytes);

// The checksum V8 wrote into the header of `blob` (parsed as `header`) if the blob is as V8
// wrote it: V8's sum of every byte after the checksum field (the same bytes in both layouts). The
// blob says which sum its V8 uses: a blob of the 10.2 layout, adler32; in the 11+ layout the
// header's read-only checksum is the same sum of the read-only section, so whichever of the two
// equals it there (adler32 when neither does: that section was changed too).
uint32_t V8BlobChecksum(absl::string_view blob, const V8BlobHeader& header);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_V8_BLOB_HEADER_H_
