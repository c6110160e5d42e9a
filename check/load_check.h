// The load-time check: may a runtime whose layout is `runtime_layout` load this snapshot? Runs
// on the sidecar alone (the blob's hash was verified when the pair was read), before V8 sees a
// byte. No V8 calls here, so snapshot_inspect verify gives the same answer without an isolate.
#ifndef V8SNAP_CHECK_LOAD_CHECK_H_
#define V8SNAP_CHECK_LOAD_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "format/sidecar.pb.h"
#include "runtime/extension.h"

namespace v8snap {

struct LoadCheckInput {
  const Sidecar* sidecar = nullptr;
  const Layout* runtime_layout = nullptr;
  std::string blob_path;           // for messages
  std::string linked_v8_version;   // v8::V8::GetVersion() of the running binary
  std::string runtime_manifest;    // how the runtime was configured, for the fix hint
  // The builder that makes snapshots for this runtime, named in the fix ("rebuild the snapshot
  // with <builder> --manifest ..."): an embedder's runtime names its own builder.
  std::string builder = "snapshot_builder";
  // The runtime's extension registry, when at hand: then the fix offers "configure the runtime
  // with the snapshot's extensions" only when this binary, so configured, would compute exactly
  // the snapshot's layout (not when its ops themselves differ from the snapshot's).
  const ExtensionRegistry* registry = nullptr;
  // The blob, when at hand: its V8 header is parsed (not the whole blob) and its version string
  // compared with the linked V8 too, so even a sidecar that lies about the V8 version cannot
  // lead V8 into its own fatal version check.
  absl::string_view blob;
};

// A V8 flag's name as V8 matches it: no leading dashes, no "no" prefix, '_' read as '-', no
// "=value" ("--no_expose_gc=1" -> "expose-gc").
std::string V8FlagName(absl::string_view flag);

// True for a flag that changes what JS code means or which built-ins it sees (syntax, language
// features, exposed functions): code built into a snapshot under it may not run without it.
bool V8FlagChangesHowCodeRuns(absl::string_view flag);

// OK, or kFailedPrecondition: the V8 version differs; the snapshot was built with a V8 flag
// that changes how code runs (a runtime's own V8 flags are fixed and have none of them); or
// the layouts differ: then it names the first culprit (what, where, snapshot vs runtime), how
// many more differences there are, what loading it anyway would do (misbound ops, or only other
// JS when the ops all match), and how to fix it: rebuild the snapshot with `builder`; or, when
// only the extensions' order or set differs, configure the runtime with the snapshot's.
absl::Status CheckSnapshotLoadable(const LoadCheckInput& input);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_LOAD_CHECK_H_
