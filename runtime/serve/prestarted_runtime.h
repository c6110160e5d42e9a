// Where snapshot_run's command line gets its runtime: made from the snapshot there and then, or,
// in a runtime process of `snapshot_run --serve`, the one made before the command arrived.
//
// A serve runtime process calls PrestartOnNextLoad(wait) and then RunRuntimeMain with the
// server's fixed flags. RunRuntimeMain parses them as it parses any command line and calls
// PrestartedOrFromSnapshot, which makes the runtime (check included) and calls `wait`, which
// never returns: it takes the command and calls RunRuntimeMain again with the command's flags.
// That second PrestartedOrFromSnapshot hands over the runtime made ahead only if the command
// asked for exactly what it was made with (same files, unchanged on disk, same configuration);
// otherwise it disposes of it and loads afresh, as a direct run would. So the serve path reuses
// the one command-line parser, and a command is never run on a runtime it did not ask for.
#ifndef V8SNAP_RUNTIME_SERVE_PRESTARTED_RUNTIME_H_
#define V8SNAP_RUNTIME_SERVE_PRESTARTED_RUNTIME_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/js_runtime.h"

namespace v8snap {

// JsRuntime::FromSnapshot(snapshot, config), unless a runtime made ahead for this process fits
// (see above). Errors are FromSnapshot's.
absl::StatusOr<std::unique_ptr<JsRuntime>> PrestartedOrFromSnapshot(const std::string& snapshot,
                                                                    const RuntimeConfig& config);

// Called with the outcome of making the runtime ahead (OK, or the error a direct run would
// print); must not return.
using PrestartWaiter = void (*)(const absl::Status& prestarted);

// The next PrestartedOrFromSnapshot call makes its runtime ahead and calls `wait`.
void PrestartOnNextLoad(PrestartWaiter wait);

// True when the runtime made ahead was not used because its snapshot or sidecar changed on
// disk since (the other runtimes made ahead are stale too). A command whose configuration
// differs also gets a runtime of its own, but leaves the others fit for theirs.
bool PrestartedSnapshotChanged();

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SERVE_PRESTARTED_RUNTIME_H_
