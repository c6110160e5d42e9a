// Builds a snapshot from a manifest: loads and checks it, computes the layout, evaluates the
// extensions inside V8's SnapshotCreator, and writes the blob and its sidecar atomically.
//
// Usage:
//   BuildOptions options;
//   options.manifest_path = "manifests/default.textproto";
//   options.out_path = "out/default.bin";
//   absl::StatusOr<BuildSummary> summary = BuildSnapshot(options);
//
// The extensions that can be bound are those registered in this binary (ExtensionRegistry).
#ifndef V8SNAP_SNAPSHOT_BUILDER_SNAPSHOT_BUILDER_H_
#define V8SNAP_SNAPSHOT_BUILDER_SNAPSHOT_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "format/sidecar.pb.h"
#include "runtime/bootstrap.h"
#include "runtime/execution_limits.h"

namespace v8snap {

struct BuildOptions {
  std::string manifest_path;
  std::string out_path;
  // Added after the flags that make builds reproducible (see DeterministicV8Flags()).
  std::vector<std::string> extra_v8_flags;
  // Keep compiled function code in the blob (faster first calls, bigger blob) or clear it. Kept
  // by default, as snapshot_builder's --code-cache does (docs/performance.md, "Code cache").
  bool keep_code_cache = true;
  // A classic script run in the snapshot's context after the extensions and before serializing,
  // so the functions it calls are compiled and their bytecode kept in the blob (V8's
  // WarmUpSnapshotDataBlob idea). Needs keep_code_cache. Whatever it leaves reachable is in the
  // snapshot too: it should call functions, not install things. Empty: none.
  std::string warmup_script_path;
  // Print one line per extension and a summary to stderr.
  bool verbose = false;
  // Also record how many blob bytes each extension adds (Sidecar.size_report): every prefix
  // 0..N-1 of the manifest's N extensions is built again in its own SnapshotCreator, and
  // extension k is charged bytes(prefix k+1) - bytes(prefix k). The blob written is the same as
  // without it; the build takes about N/2 + 1 times as long (docs/inspect.md).
  bool size_report = false;
  // Fail the build when V8 cannot rehash the blob. Such a blob makes every isolate from it use
  // the builder's fixed hash seed instead of a random one per process, which lets whoever knows
  // the seed (it is in the blob) flood the runtime's hash tables with colliding keys. V8 10.2
  // cannot rehash a snapshot holding ES modules, so this suits manifests of classic scripts.
  bool require_rehashable = false;
  // Limits on the JS the build runs (extensions, warm-up), as snapshot_run's --timeout-ms and
  // --max-heap-mb mean them: a build stopped by one fails naming the file being evaluated.
  // timeout_ms 0 means none; the default is kDefaultBuildTimeoutMs (runtime/bootstrap.h says
  // why). max_heap_mb 0 keeps V8's default heap limit, watched the same way.
  ExecutionLimitOptions limits = {/*max_heap_mb=*/0, /*timeout_ms=*/kDefaultBuildTimeoutMs};
  // When set, a Makefile-style depfile listing the manifest and every source it names, so a
  // build system re-runs the builder exactly when one of them changes (build/v8_snapshot.gni).
  std::string depfile_path;
};

struct BuildSummary {
  Sidecar sidecar;  // as written
  int64_t blob_bytes = 0;
  int64_t sidecar_bytes = 0;
  double seconds = 0;
  // Whether V8 can rehash the blob with a fresh seed per process (see require_rehashable).
  bool rehashable = false;
};

// The V8 flags every build starts with: --predictable (and fixed seeds) so that the same
// manifest and binary give byte-identical blobs.
std::vector<std::string> DeterministicV8Flags();

absl::StatusOr<BuildSummary> BuildSnapshot(const BuildOptions& options);

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_BUILDER_SNAPSHOT_BUILDER_H_
