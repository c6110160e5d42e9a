// The manifest compiled into a runtime binary (build/embedded_manifest.gni), with its sources,
// so `snapshot_run` knows its extension order without any file at run time.
#ifndef V8SNAP_RUNTIME_EMBEDDED_MANIFEST_H_
#define V8SNAP_RUNTIME_EMBEDDED_MANIFEST_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "format/manifest_loader.h"

namespace v8snap {

struct EmbeddedFile {
  const char* path;  // relative to the repository root, normalized
  const char* data;
  size_t size;
};

struct EmbeddedManifest {
  const char* manifest_path;  // relative to the repository root
  const EmbeddedFile* files;  // the manifest first, then its sources
  size_t file_count;
};

// Defined by the generated code of one embedded_manifest() target linked into the binary.
extern const EmbeddedManifest kEmbeddedManifest;

// Loads kEmbeddedManifest with the same checks as a manifest file; sources come from the
// embedded copies.
absl::StatusOr<LoadedManifest> LoadEmbeddedManifest(const ManifestCheckOptions& options);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_EMBEDDED_MANIFEST_H_
