// The snapshot pair on disk: NAME.bin (V8's blob) and NAME.bin.sidecar.pb (what it holds and how
// it is wired). Writing is atomic per file; reading verifies before anyone parses a V8 byte.
#ifndef V8SNAP_FORMAT_SNAPSHOT_FILES_H_
#define V8SNAP_FORMAT_SNAPSHOT_FILES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/sidecar.pb.h"

namespace v8snap {

// The sidecar format this build writes and the only one it reads.
inline constexpr uint32_t kSidecarFormatVersion = 1;
inline constexpr absl::string_view kSidecarMagic = "v8snap-sidecar";

// "PATH.sidecar.pb" for a blob at PATH.
std::string SidecarPathFor(const std::string& blob_path);

// Serializes `sidecar` into its self-checking envelope (SidecarFile).
std::string EncodeSidecar(const Sidecar& sidecar);

// Parses a sidecar file's bytes: magic, format version and payload checksum are checked before
// the payload is parsed. `path` is only used in messages. Corruption is kDataLoss; a sidecar of
// another format version is kFailedPrecondition.
absl::StatusOr<Sidecar> DecodeSidecar(absl::string_view bytes, const std::string& path);

// Fills sidecar->blob (size and hash), then writes the blob and the sidecar, each atomically.
// The blob is renamed into place first: a build killed between the two renames leaves a pair
// whose hashes disagree, which every reader refuses, never a pair that loads wrongly.
absl::Status WriteSnapshotPair(const std::string& blob_path, absl::string_view blob,
                               Sidecar* sidecar);

struct SnapshotPair {
  std::string blob;
  Sidecar sidecar;
};

// Reads and verifies a pair: the sidecar's envelope, then the blob's size and XXH3-128 against
// the sidecar. Nothing is handed to V8 here; a pair that passes is the pair the builder wrote.
absl::StatusOr<SnapshotPair> ReadSnapshotPair(const std::string& blob_path);

// Checks blob bytes against a decoded sidecar (size, then hash). Messages name `blob_path`.
absl::Status VerifyBlobMatchesSidecar(absl::string_view blob, const Sidecar& sidecar,
                                      const std::string& blob_path);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_SNAPSHOT_FILES_H_
