// One-per-process V8 set-up. Initialization order (V8's rule): flags, then the platform, then
// V8::Initialize. Safe to call more than once; later calls must not ask for other flags.
#ifndef V8SNAP_RUNTIME_V8_PROCESS_H_
#define V8SNAP_RUNTIME_V8_PROCESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace v8 {
class Isolate;
}  // namespace v8

namespace v8snap {

class V8snapPlatform;

class V8Process {
 public:
  // The first call sets `flags` (e.g. "--predictable") and starts V8. Flags that come from a
  // user must have passed CheckFlags first (BuildSnapshot checks its extra flags); the runtime's
  // own are fixed, so a start-up does not pay for checking them. A later call with other flags
  // fails (kFailedPrecondition): V8's flags are process-wide and frozen once isolates run.
  // `fixed_clock_ms` (the builder's BuildClock) fixes V8's wall clock for the whole process;
  // the same rule holds for it.
  static absl::Status Initialize(const std::vector<std::string>& flags,
                                 std::optional<double> fixed_clock_ms = std::nullopt);

  // Before V8 starts: OK, or kInvalidArgument naming each flag V8 does not know, or whose value
  // it cannot parse (V8's own reason quoted), and saying that `--help` among V8's flags lists
  // them all. V8 itself only prints a line and goes on, so a typo would otherwise be ignored, or
  // a bad number taken as 0. The check runs V8's own parser (its output captured): the valid
  // flags in `flags` are then set, so a process whose flags were refused must not start V8.
  static absl::Status CheckFlags(const std::vector<std::string>& flags);

  // True when `flags` asks for V8's flag list ("--help"); PrintFlagHelp prints it to stdout.
  static bool AsksForFlagHelp(const std::vector<std::string>& flags);
  static void PrintFlagHelp();

  // The platform, for running and waiting for V8's tasks (nullptr before Initialize).
  static V8snapPlatform* platform();

  // Drops `isolate`'s task queues from the platform; call it right before Isolate::Dispose.
  // Its own function so that ThreadSanitizer reports about it can be told apart: the platform's
  // lock is taken inside libnode (which TSan ignores) and released by a tail call that returns
  // into the caller, so TSan sees an unlock without its lock (tools/tsan_suppressions.txt).
  static void NotifyIsolateShutdown(v8::Isolate* isolate);

  // "10.2.154.26-node.37": the version of the linked V8, without starting it.
  static std::string LinkedV8Version();
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_V8_PROCESS_H_
