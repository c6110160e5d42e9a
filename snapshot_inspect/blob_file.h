// Reading a large blob cheaply: a read-only mapping for the few pages the V8 header parser
// touches, and the XXH3-128 of the whole file computed by streaming it through a small buffer.
// Together they cost about one read of the file (docs/inspect.md has the figures).
#ifndef V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_
#define V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v8snap::inspect {

// A whole regular file mapped read-only; pages are read only when touched.
class MappedFile {
 public:
  // Errors name the path: kNotFound when missing, kInvalidArgument for directories, FIFOs and
  // other non-regular files.
  static absl::StatusOr<std::unique_ptr<MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Valid while this object lives. Empty for an empty file.
  absl::string_view contents() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

// The file's XXH3-128 in format/content_hash.h's form (equal to Xxh3Hex of its contents), read
// in 1 MiB pieces.
absl::StatusOr<std::string> Xxh3HexOfFile(const std::string& path);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_
