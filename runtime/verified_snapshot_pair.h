// A snapshot pair whose blob this process has checked against its sidecar (size and XXH3-128):
// the only kind of pair JsRuntime::FromVerifiedSnapshot and RuntimePool accept, so that hashing
// a file once per process (the cheap way to load many runtimes from it) can never turn into
// loading bytes nobody hashed. A corrupt blob is refused here, before V8 could abort on it.
//
// Usage:
//   ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot, VerifiedSnapshotPair::Read("app.bin"));
//   // or, for bytes held elsewhere (memory, a resource, a package):
//   //   VerifiedSnapshotPair::Decode(blob, sidecar_file_bytes, "app.bin")
//   //   VerifiedSnapshotPair::Verify(SnapshotPair{blob, sidecar}, "app.bin")
//   for (...) { auto runtime = JsRuntime::FromVerifiedSnapshot(snapshot, config); ... }
//
// Only Read, Decode and Verify make one, and it is immutable afterwards. Copies are cheap: every copy
// and every runtime made from it share one read-only copy of the bytes.
#ifndef V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_
#define V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/sidecar.pb.h"
#include "google/protobuf/arena.h"
#include "format/snapshot_files.h"

namespace v8snap {

class VerifiedSnapshotPair {
 public:
  // Reads BLOB_PATH and BLOB_PATH.sidecar.pb and verifies them; a pair that does not verify is
  // read again by ReadSnapshotPair, which names what is wrong and rolls forward to a staged
  // sidecar that matches (a build killed between its last two renames).
  static absl::StatusOr<VerifiedSnapshotPair> Read(const std::string& blob_path);
  // Decodes a sidecar file's bytes (DecodeSidecar's checks) and verifies `blob` against it. The
  // fast way in for bytes held in memory: the sidecar's records live on one arena, not in a
  // heap allocation each. `blob_path` names the pair in messages.
  static absl::StatusOr<VerifiedSnapshotPair> Decode(std::string blob,
                                                     absl::string_view sidecar_bytes,
                                                     std::string blob_path);
  // Verifies a pair read some other way (VerifyBlobMatchesSidecar); kDataLoss when the blob does
  // not match its sidecar.
  static absl::StatusOr<VerifiedSnapshotPair> Verify(SnapshotPair pair, std::string blob_path);

  const std::string& blob() const { return contents_->blob; }
  const Sidecar& sidecar() const { return *contents_->sidecar; }
  const std::string& blob_path() const { return blob_path_; }

 private:
  // The bytes and the decoded sidecar, shared by every copy: the sidecar is either decoded on
  // `arena` (Decode) or moved in from a SnapshotPair (`owned_sidecar`, Verify).
  struct Contents {
    google::protobuf::Arena arena;
    std::string blob;
    Sidecar owned_sidecar;
    const Sidecar* sidecar = nullptr;
  };

  // Wraps a pair whose blob has just been checked against its sidecar.
  static VerifiedSnapshotPair FromChecked(SnapshotPair pair, std::string blob_path);

  VerifiedSnapshotPair(std::shared_ptr<const Contents> contents, std::string blob_path)
      : contents_(std::move(contents)), blob_path_(std::move(blob_path)) {}

  std::shared_ptr<const Contents> contents_;
  std::string blob_path_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_VERIFIED_SNAPSHOT_PAIR_H_
