// VerifiedSnapshotPair: the two ways a pair gets verified, and nothing else makes one.
#include "runtime/verified_snapshot_pair.h"

#include <utility>

#include "format/status_macros.h"

namespace v8snap {

absl::StatusOr<VerifiedSnapshotPair> VerifiedSnapshotPair::Read(const std::string& blob_path) {
  // ReadSnapshotPair hashes the blob against the sidecar before returning it.
  ASSIGN_OR_RETURN(SnapshotPair pair, ReadSnapshotPair(blob_path));
  return VerifiedSnapshotPair(std::move(pair), blob_path);
}

absl::StatusOr<VerifiedSnapshotPair> VerifiedSnapshotPair::Verify(SnapshotPair pair,
                                                                  std::string blob_path) {
  RETURN_IF_ERROR(VerifyBlobMatchesSidecar(pair.blob, pair.sidecar, blob_path));
  return VerifiedSnapshotPair(std::move(pair), std::move(blob_path));
}

}  // namespace v8snap
