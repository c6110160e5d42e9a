// One-per-process V8 set-up. Initialization order (V8's rule): flags, then the platform, then
// V8::Initialize. Safe to call more than once; later calls must not ask for other flags.
#ifndef V8SNAP_RUNTIME_V8_PROCESS_H_
#define V8SNAP_RUNTIME_V8_PROCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace v8 {
class Platform;
}

namespace v8snap {

class V8Process {
 public:
  // The first call sets `flags` (e.g. "--predictable") and starts V8. A later call with other
  // flags fails (kFailedPrecondition): V8's flags are process-wide and frozen once isolates run.
  static absl::Status Initialize(const std::vector<std::string>& flags);

  // The platform, for pumping its message loop (nullptr before Initialize).
  static v8::Platform* platform();

  // "10.2.154.26-node.37": the version of the linked V8, without starting it.
  static std::string LinkedV8Version();
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_V8_PROCESS_H_
