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

// A value read from a file, made safe to print in an error: non-printable bytes as \xNN (so a
// corrupt or crafted file cannot send terminal escapes), cut after 64 bytes.
std::string EscapeForMessage(absl::string_view value);

// The builder and inspector binaries that fix lines tell a user to run. An embedder's tools
// (RunBuilderMain, RunRuntimeMain, RunInspectMain) set their own names once at start, before
// any thread reads them: v8snap's own snapshot_builder links none of their ops, so a snapshot
// it rebuilt would lack them.
struct ToolNames {
  std::string builder = "snapshot_builder";
  std::string inspector = "snapshot_inspect";
};
const ToolNames& MessageToolNames();
void SetMessageToolNames(ToolNames names);

// Where a fix line tells the user to write a rebuilt snapshot: the blob's own path, unless that
// is a snapshot installed with v8snap (PREFIX/share/v8snap/...), which belongs to the
// installation and is replaced by the next install: then "app.bin", a snapshot of the user's own.
std::string RebuildOutPath(const std::string& blob_path);

// "PATH.sidecar.pb" for a blob at PATH.
std::string SidecarPathFor(const std::string& blob_path);

// Serializes `sidecar` into its self-checking envelope (SidecarFile).
std::string EncodeSidecar(const Sidecar& sidecar);

// Parses a sidecar file's bytes: magic, format version and payload checksum are checked before
// the payload is parsed. `path` is only used in messages. Corruption is kDataLoss; a sidecar of
// another format version is kFailedPrecondition.
absl::StatusOr<Sidecar> DecodeSidecar(absl::string_view bytes, const std::string& path);
// The same into a message the caller owns, for instance one on a protobuf arena: a sidecar's
// many small records then cost no malloc/free each (VerifiedSnapshotPair::Decode does this).
absl::Status DecodeSidecarInto(absl::string_view bytes, const std::string& path, Sidecar* out);

// "PATH.sidecar.pb.next": the new sidecar, staged while a pair is being replaced.
std::string StagedSidecarPathFor(const std::string& blob_path);

// Checks, before a build starts, that a pair can be written at `blob_path`: CheckOutputFilePath
// for the blob, and neither the sidecar's path nor its staging path is a folder. `option` is the
// flag the path came from ("--out"), named in the fix.
absl::Status CheckSnapshotOutputPath(const std::string& blob_path,
                                     absl::string_view option = "the output path");

// Fills sidecar->blob (size and hash), then replaces the pair so that a build killed at any
// moment leaves a pair that loads:
//   1. the new sidecar is written (atomically) to PATH.sidecar.pb.next;
//   2. the new blob is written atomically to PATH;
//   3. PATH.sidecar.pb.next is renamed onto PATH.sidecar.pb.
// Killed before 2: the old pair is untouched. Killed between 2 and 3: the new blob sits beside
// its staged sidecar, and ReadSnapshotPair rolls forward to it. Never a half-written file at
// PATH or PATH.sidecar.pb. Runs CheckSnapshotOutputPath first; a write that fails in step 1 or 2
// removes what it staged, so a failed build leaves no file behind (a failure of step 3 leaves the
// staged sidecar, which matches the new blob, for ReadSnapshotPair to roll forward to).
absl::Status WriteSnapshotPair(const std::string& blob_path, absl::string_view blob,
                               Sidecar* sidecar);

// Completes what a build killed between its last two renames left: if PATH.sidecar.pb.next
// matches the blob at PATH, it is renamed onto PATH.sidecar.pb. WriteSnapshotPair calls it first,
// so a second interrupted build can never strand the first one's blob.
absl::Status FinishInterruptedWrite(const std::string& blob_path);

struct SnapshotPair {
  std::string blob;
  Sidecar sidecar;
};

// Reads and verifies a pair: the sidecar's envelope, then the blob's size and XXH3-128 against
// the sidecar. Nothing is handed to V8 here; a pair that passes is the pair the builder wrote.
// If the blob does not match its sidecar but matches a staged PATH.sidecar.pb.next (a build was
// killed between its last two renames), that staged sidecar is used; files are not modified.
absl::StatusOr<SnapshotPair> ReadSnapshotPair(const std::string& blob_path);

// Checks blob bytes against a decoded sidecar (size, then hash). Messages name `blob_path`.
absl::Status VerifyBlobMatchesSidecar(absl::string_view blob, const Sidecar& sidecar,
                                      const std::string& blob_path);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_SNAPSHOT_FILES_H_
