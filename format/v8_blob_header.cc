// V8 blob header parsing (the 10.2 and the 11+ layouts) with bounds checks on every read, and
// V8's adler32 checksum.
#include "format/v8_blob_header.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace v8snap {
namespace {

constexpr uint64_t kNumContextsOffset = 0;
constexpr uint64_t kRehashabilityOffset = 4;
constexpr uint64_t kChecksumOffset = 8;
// Where V8's checksum starts: right after its own field, in both layouts.
constexpr uint64_t kChecksummedFrom = 12;
constexpr uint64_t kVersionLength = 64;

// The two header layouts. V8 10.2 puts the version string at 12; V8 11 and later put the
// read-only section's own checksum there and the version string at 16. Everything after the
// version string keeps its order.
struct Layout {
  uint64_t version_offset;
  bool has_read_only_checksum;
  uint64_t read_only_offset_field() const { return version_offset + kVersionLength; }
  uint64_t shared_heap_offset_field() const { return read_only_offset_field() + 4; }
  uint64_t first_context_offset_field() const { return shared_heap_offset_field() + 4; }
};
constexpr Layout kLayout10{12, false};
constexpr Layout kLayout11{16, true};

// V8 aligns the startup data to the pointer size (8 on x64).
constexpr uint64_t kSectionAlignment = 8;
// SnapshotData: uint32 magic (0xC0DE0000 ^ V8's external-reference count), uint32 length.
constexpr uint64_t kSnapshotDataHeaderSize = 8;
constexpr uint32_t kSnapshotDataMagicHigh = 0xC0DE;

// Callers check bounds first; memcpy keeps unaligned reads defined.
uint32_t ReadU32(absl::string_view blob, uint64_t offset) {
  unsigned char b[4];
  std::memcpy(b, blob.data() + offset, 4);
  return static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 |
         static_cast<uint32_t>(b[2]) << 16 | static_cast<uint32_t>(b[3]) << 24;
}

absl::Status Corrupt(std::string what) {
  return absl::DataLossError(
      absl::StrCat("not a valid V8 snapshot blob: ", what,
                   ". The file is truncated, corrupt, or not a startup snapshot; rebuild it with "
                   "snapshot_builder"));
}

// Whether the bytes at `offset` start like a V8 version string ("10.2.154...", "13.6.233..."):
// a digit, then digits up to a dot. Tells the layouts apart; the full check comes after.
bool LooksLikeVersion(absl::string_view blob, uint64_t offset) {
  if (offset + 2 > blob.size()) return false;
  uint64_t i = offset;
  while (i < blob.size() && i < offset + 4 && blob[i] >= '0' && blob[i] <= '9') ++i;
  return i > offset && i < blob.size() && blob[i] == '.';
}

}  // namespace

absl::StatusOr<V8BlobHeader> ParseV8BlobHeader(absl::string_view blob) {
  const uint64_t size = blob.size();
  const Layout& layout = !LooksLikeVersion(blob, kLayout10.version_offset) &&
                                 LooksLikeVersion(blob, kLayout11.version_offset)
                             ? kLayout11
                             : kLayout10;
  const uint64_t kVersionOffset = layout.version_offset;
  const uint64_t kReadOnlyOffsetOffset = layout.read_only_offset_field();
  const uint64_t kSharedHeapOffsetOffset = layout.shared_heap_offset_field();
  const uint64_t kFirstContextOffsetOffset = layout.first_context_offset_field();
  if (size < kFirstContextOffsetOffset + 4) {
    return Corrupt(absl::StrCat("the blob is ", size, " bytes, shorter than the smallest header (",
                                kFirstContextOffsetOffset + 4, " bytes)"));
  }
  V8BlobHeader header;
  header.num_contexts = ReadU32(blob, kNumContextsOffset);
  if (header.num_contexts == 0 || header.num_contexts > kMaxV8BlobContexts) {
    return Corrupt(absl::StrCat("the header at offset 0 says ", header.num_contexts,
                                " contexts; expected 1 to ", kMaxV8BlobContexts));
  }
  uint32_t rehashability = ReadU32(blob, kRehashabilityOffset);
  if (rehashability > 1) {
    return Corrupt(absl::StrCat("the rehashability flag at offset ", kRehashabilityOffset, " is ",
                                rehashability, "; expected 0 or 1"));
  }
  header.rehashable = rehashability == 1;
  header.checksum = ReadU32(blob, kChecksumOffset);
  if (layout.has_read_only_checksum) header.read_only_checksum = ReadU32(blob, kChecksummedFrom);

  const char* version = blob.data() + kVersionOffset;
  size_t version_length = 0;
  while (version_length < kVersionLength && version[version_length] != '\0') ++version_length;
  for (size_t i = 0; i < version_length; ++i) {
    unsigned char c = static_cast<unsigned char>(version[i]);
    if (c < 0x20 || c > 0x7e) {
      return Corrupt(absl::StrFormat(
          "the version string at offset %d has byte 0x%02x at position %d; expected printable "
          "ASCII",
          kVersionOffset, c, i));
    }
  }
  if (version_length == 0) {
    return Corrupt(absl::StrCat("the version string at offset ", kVersionOffset, " is empty"));
  }
  header.version.assign(version, version_length);

  const uint64_t header_end = kFirstContextOffsetOffset + 4ull * header.num_contexts;
  if (header_end > size) {
    return Corrupt(absl::StrCat("the header lists ", header.num_contexts,
                                " context offsets, which need ", header_end,
                                " bytes, but the blob is ", size, " bytes"));
  }
  const uint64_t startup_offset =
      (header_end + kSectionAlignment - 1) / kSectionAlignment * kSectionAlignment;
  if (startup_offset > size) {
    return Corrupt(absl::StrCat("the startup section would start at ", startup_offset,
                                ", past the blob's end (", size, " bytes)"));
  }

  // Section starts in blob order, each read from its header field and checked against the
  // previous one and the blob's end.
  struct Start {
    std::string name;
    uint64_t offset;
    uint64_t field;  // where the header stores it, for messages (startup's is computed)
  };
  std::vector<Start> starts;
  starts.reserve(3 + header.num_contexts);
  starts.push_back({"startup", startup_offset, 0});
  starts.push_back({"read-only", ReadU32(blob, kReadOnlyOffsetOffset), kReadOnlyOffsetOffset});
  starts.push_back(
      {"shared heap", ReadU32(blob, kSharedHeapOffsetOffset), kSharedHeapOffsetOffset});
  for (uint32_t i = 0; i < header.num_contexts; ++i) {
    uint64_t field = kFirstContextOffsetOffset + 4ull * i;
    starts.push_back({absl::StrCat("context ", i), ReadU32(blob, field), field});
  }

  for (const Start& start : starts) {
    if (start.offset < startup_offset || start.offset > size) {
      return Corrupt(absl::StrCat("the ", start.name, " section starts at ", start.offset,
                                  " (header field at offset ", start.field,
                                  "); expected an offset from ", startup_offset, " to ", size));
    }
  }
  header.sections.reserve(starts.size() + 1);
  header.sections.push_back({"header", 0, startup_offset});
  for (size_t i = 0; i < starts.size(); ++i) {
    const Start& start = starts[i];
    uint64_t end = i + 1 < starts.size() ? starts[i + 1].offset : size;
    if (end < start.offset) {
      return Corrupt(absl::StrCat("the ", start.name, " section starts at ", start.offset,
                                  " but the next section starts at ", end,
                                  "; expected sections in order within the blob's ", size,
                                  " bytes"));
    }
    uint64_t length = end - start.offset;
    if (length < kSnapshotDataHeaderSize) {
      return Corrupt(absl::StrCat("the ", start.name, " section at offset ", start.offset, " is ",
                                  length, " bytes; expected at least ", kSnapshotDataHeaderSize));
    }
    uint32_t magic = ReadU32(blob, start.offset);
    if (magic >> 16 != kSnapshotDataMagicHigh) {
      return Corrupt(absl::StrFormat("the %s section at offset %d starts with 0x%08x; expected "
                                     "V8's snapshot data magic 0xc0de....",
                                     start.name, start.offset, magic));
    }
    uint64_t payload = ReadU32(blob, start.offset + 4);
    if (payload > length - kSnapshotDataHeaderSize) {
      return Corrupt(absl::StrCat("the ", start.name, " section at offset ", start.offset,
                                  " says its payload is ", payload, " bytes, but only ",
                                  length - kSnapshotDataHeaderSize, " follow"));
    }
    header.sections.push_back({start.name, start.offset, length});
  }
  return header;
}

V8Sums ComputeV8Sums(absl::string_view bytes) {
  // adler32 reduces both sums mod 65521, Fletcher-32 mod 65535. 5552 is the most bytes that can
  // be summed, for either modulus, before the 32-bit accumulators must be reduced; the residues
  // are those of V8's reduction after every byte.
  constexpr uint32_t kAdlerModulus = 65521;
  constexpr uint32_t kFletcherModulus = 65535;
  constexpr size_t kBlock = 5552;
  uint32_t a = 0, b = 0;  // adler32
  uint32_t c = 0, d = 0;  // Fletcher-32
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t left = bytes.size();
  while (left > 0) {
    size_t n = left < kBlock ? left : kBlock;
    left -= n;
    while (n--) {
      a += *p;
      b += a;
      c += *p++;
      d += c;
    }
    a %= kAdlerModulus;
    b %= kAdlerModulus;
    c %= kFletcherModulus;
    d %= kFletcherModulus;
  }
  return V8Sums{b << 16 | a, d << 16 | c};
}

uint32_t V8BlobChecksum(absl::string_view blob, const V8BlobHeader& header) {
  if (blob.size() < kChecksummedFrom) return 0;
  const V8Sums sums = ComputeV8Sums(blob.substr(kChecksummedFrom));
  if (header.read_only_checksum == 0) return sums.adler32;  // the 10.2 layout
  for (const V8BlobSection& section : header.sections) {
    if (section.name != "read-only" || section.offset + section.size > blob.size()) continue;
    if (ComputeV8Sums(blob.substr(section.offset, section.size)).fletcher32 ==
        header.read_only_checksum) {
      return sums.fletcher32;
    }
  }
  return sums.adler32;
}

}  // namespace v8snap
