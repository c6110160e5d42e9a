// VerifiedSnapshotPair: the two ways a pair gets verified, and nothing else makes one.
#include "runtime/verified_snapshot_pair.h"

#include <utility>

#include "format/atomic_file.h"
#include "format/status_macros.h"

namespace v8snap {

absl::StatusOr<VerifiedSnapshotPair> VerifiedSnapshotPair::Read(const std::string& blob_path) {
  absl::StatusOr<std::string> sidecar_bytes = ReadFileToString(SidecarPathFor(blob_path));
  absl::StatusOr<std::string> blob =
      sidecar_bytes.ok() ? ReadFileToString(blob_path) : sidecar_bytes.status();
  if (blob.ok()) {
    auto decoded = Decode(*std::move(blob), *sidecar_bytes, blob_path);
    if (decoded.ok()) return decoded;
  }
  // Something is missing, corrupt or mismatched: ReadSnapshotPair tells which, and finds the
  // staged sidecar a killed build may have left that matches the blob.
  // It has verified what it returns, so the pair is not hashed again.
  ASSIGN_OR_RETURN(SnapshotPair pair, ReadSnapshotPair(blob_path));
  return FromChecked(std::move(pair), blob_path);
}

absl::StatusOr<VerifiedSnapshotPair> VerifiedSnapshotPair::Decode(std::string blob,
                                                                  absl::string_view sidecar_bytes,
                                                                  std::string blob_path) {
  auto contents = std::make_shared<Contents>();
  Sidecar* sidecar = google::protobuf::Arena::CreateMessage<Sidecar>(&contents->arena);
  RETURN_IF_ERROR(DecodeSidecarInto(sidecar_bytes, SidecarPathFor(blob_path), sidecar));
  RETURN_IF_ERROR(VerifyBlobMatchesSidecar(blob, *sidecar, blob_path));
  contents->blob = std::move(blob);
  contents->sidecar = sidecar;
  return VerifiedSnapshotPair(std::move(contents), std::move(blob_path));
}

absl::StatusOr<VerifiedSnapshotPair> VerifiedSnapshotPair::Verify(SnapshotPair pair,
                                                                  std::string blob_path) {
  RETURN_IF_ERROR(VerifyBlobMatchesSidecar(pair.blob, pair.sidecar, blob_path));
  return FromChecked(std::move(pair), std::move(blob_path));
}

VerifiedSnapshotPair VerifiedSnapshotPair::FromChecked(SnapshotPair pair, std::string blob_path) {
  auto contents = std::make_shared<Contents>();
  contents->blob = std::move(pair.blob);
  contents->owned_sidecar = std::move(pair.sidecar);
  contents->sidecar = &contents->owned_sidecar;
  return VerifiedSnapshotPair(std::move(contents), std::move(blob_path));
}

}  // namespace v8snap
