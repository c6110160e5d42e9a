// A snapshot pair whose blob this process has checked against its sidecar (size and XXH3-128):
// the only kind of pair JsRuntime::FromVerifiedSnapshot and RuntimePool accept, so that hashing
// a file once per process (the cheap way to load many runtimes from it) can never turn into
// loading bytes nobody hashed. A corrupt blob is refused here, before V8 could abort on it.
//
// Usage:
//   ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot, VerifiedSnapshotPair::Read("app.bin"));
//   // or, for bytes held elsewhere (memory, a resource, a package):
//   //   VerifiedSnapshotPair::Verify(SnapshotPair{blob, sidecar}, "app.bin")
//   for (...) { auto runtime = JsRuntime::FromVerifiedSnapshot(snapshot, config); ... }
//
// Only Read and Verify make one, and it is immutable afterwards. Copies are cheap: every copy
// and every runtime made from it share one read-only copy of the bytes.
#ifndef V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_
#define V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "format/sidecar.pb.h"
#include "format/snapshot_files.h"

namespace v8snap {

class VerifiedSnapshotPair {
 public:
  // Reads BLOB_PATH and BLOB_PATH.sidecar.pb and verifies them (ReadSnapshotPair).
  static absl::StatusOr<VerifiedSnapshotPair> Read(const std::string& blob_path);
  // Verifies a pair read some other way (VerifyBlobMatchesSidecar); kDataLoss when the blob does
  // not match its sidecar. `blob_path` names the pair in messages.
  static absl::StatusOr<VerifiedSnapshotPair> Verify(SnapshotPair pair, std::string blob_path);

  const std::string& blob() const { return pair_->blob; }
  const Sidecar& sidecar() const { return pair_->sidecar; }
  const std::string& blob_path() const { return blob_path_; }

 private:
  VerifiedSnapshotPair(SnapshotPair pair, std::string blob_path)
      : pair_(std::make_shared<const SnapshotPair>(std::move(pair))),
        blob_path_(std::move(blob_path)) {}

  std::shared_ptr<const SnapshotPair> pair_;
  std::string blob_path_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_
