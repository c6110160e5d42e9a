// The content check: are a manifest's sources the ones a snapshot was built from? The sidecar
// records XXH3-128 per source; wherever the sources are at hand (a manifest given to the runtime,
// snapshot_inspect verify --manifest, diff against a manifest), they are hashed and compared
// here, so a stale snapshot is refused rather than run. No V8 here.
//
// Usage:
//   ContentCheckInput input;
//   input.sidecar = &sidecar;  input.manifest = &manifest;  // LoadManifestOrError(..., options)
//   input.blob_path = "app.bin";  input.manifest_label = "app.textproto";
//   RETURN_IF_ERROR(CheckSourcesMatchSnapshot(input));
#ifndef V8SNAP_CHECK_CONTENT_CHECK_H_
#define V8SNAP_CHECK_CONTENT_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "format/manifest_loader.h"
#include "format/sidecar.pb.h"

namespace v8snap {

struct ContentCheckInput {
  const Sidecar* sidecar = nullptr;
  const LoadedManifest* manifest = nullptr;
  std::string blob_path;       // for messages
  std::string manifest_label;  // the manifest as the user named it, for the fix
  std::string builder = "snapshot_builder";
};

// One source that differs. `snapshot_digest` is empty for a source the snapshot lacks (extra),
// `manifest_digest` for one the manifest no longer lists (missing).
struct SourceDifference {
  std::string extension;
  std::string path;  // as written in the manifest (the sidecar's, for a missing one)
  std::string snapshot_digest;
  std::string manifest_digest;
  // One line: "source 'a.js' of extension 'lib' changed since the snapshot was built: ...".
  std::string Describe() const;
};

// Every source of every extension that both the manifest and the snapshot have, matched by
// specifier ("ext:lib/a.js": a path written from another folder names the same source) and
// compared by kind and digest. Extensions only one side has are not compared here: the layout check
// names them (or accepts them as a layered snapshot's JS-only extensions). A manifest loaded
// without its sources (ManifestCheckOptions::read_sources = false, or the manifest compiled into a
// runtime binary: LoadedManifest::digest is then empty) has nothing to compare, and gives no
// differences.
std::vector<SourceDifference> FindSourceDifferences(const Sidecar& sidecar,
                                                    const LoadedManifest& manifest);

// OK, or kFailedPrecondition naming every difference (extension, file, both digests) and the fix:
// rebuild the snapshot from the manifest, or restore the sources it was built from.
absl::Status CheckSourcesMatchSnapshot(const ContentCheckInput& input);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_CONTENT_CHECK_H_
