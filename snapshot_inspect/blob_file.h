// Reading a large blob cheaply: one read-only mapping, which the V8 header parser touches a few
// pages of and XXH3-128 hashes in place. No byte is copied, so the pair costs about one read of
// the file (docs/inspect.md has the figures; reading into a buffer and hashing that costs twice
// as much). Also the V8 header checks every command runs before it trusts a blob, with messages
// that name the file.
#ifndef V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_
#define V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/v8_blob_header.h"

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

  // XXH3-128 of the whole file, in format/content_hash.h's form (equal to Xxh3Hex(contents())),
  // hashed in place. Another process that truncates the file meanwhile makes the kernel raise
  // SIGBUS on the pages it took away: that is caught here and becomes kDataLoss naming the path,
  // not a crash.
  absl::StatusOr<std::string> Xxh3Hex() const;

 private:
  MappedFile(std::string path, const char* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const char* data_;
  size_t size_;
};

// ParseV8BlobHeader, with errors that name the blob: "snapshot blob 'PATH': not a valid ...".
absl::StatusOr<V8BlobHeader> ParseBlobHeaderAt(absl::string_view blob, const std::string& path);

// What V8 itself checks, and aborts the process on (a CHECK, not an error), when it deserializes
// a blob: the version string is the linked V8's and the blob's bytes sum to the checksum in its
// header (a parsed header always lists at least the default context Context::New needs). Run
// before Isolate::New. kFailedPrecondition for another V8 version, kDataLoss for a bad checksum;
// every message names `path` and the fix.
absl::Status CheckBlobLoadableByV8(absl::string_view blob, const V8BlobHeader& header,
                                   const std::string& path, const std::string& linked_v8_version);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_BLOB_FILE_H_
