// The load-time check: may a runtime whose layout is `runtime_layout` load this snapshot? Runs
// on the sidecar alone (the blob's hash was verified when the pair was read), before V8 sees a
// byte. No V8 calls here, so snapshot_inspect verify gives the same answer without an isolate.
#ifndef V8SNAP_RUNTIME_LOAD_CHECK_H_
#define V8SNAP_RUNTIME_LOAD_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "format/sidecar.pb.h"

namespace v8snap {

struct LoadCheckInput {
  const Sidecar* sidecar = nullptr;
  const Layout* runtime_layout = nullptr;
  std::string blob_path;           // for messages
  std::string linked_v8_version;   // v8::V8::GetVersion() of the running binary
  std::string runtime_manifest;    // how the runtime was configured, for the fix hint
  // The blob, when at hand: its V8 header is parsed (not the whole blob) and its version string
  // compared with the linked V8 too, so even a sidecar that lies about the V8 version cannot
  // lead V8 into its own fatal version check.
  absl::string_view blob;
};

// OK, or kFailedPrecondition naming the first culprit (what, where, snapshot vs runtime), how
// many more differences there are, and how to fix it.
absl::Status CheckSnapshotLoadable(const LoadCheckInput& input);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_LOAD_CHECK_H_
