// The life of one runtime process of `snapshot_run --serve`: forked by the server before V8 has
// started any thread, it starts V8, loads and checks the snapshot, says it is ready, and then
// serves exactly one command with the client's folder, environment, umask and stdio.
#ifndef V8SNAP_RUNTIME_SERVE_RUNTIME_CHILD_H_
#define V8SNAP_RUNTIME_SERVE_RUNTIME_CHILD_H_

#include <string>
#include <vector>

namespace v8snap {

// snapshot_run's command line as a function (RunRuntimeMain): passed in, so that this folder
// does not depend on the target that calls it.
using RunCommandFn = int (*)(int argc, char** argv, const char* tool_name,
                             const char* builder_name);

// Messages on the control socket (SOCK_SEQPACKET) between the server and a runtime process.
inline constexpr char kChildReady = 'R';    // runtime made and checked
inline constexpr char kChildFailed = 'E';   // making it failed; the message follows
inline constexpr char kChildStarted = 'T';  // the client was told STRT: the command runs
inline constexpr char kChildStale = 'S';    // the snapshot changed: the other ready ones are stale
inline constexpr char kChildDelivered = 'D';  // the command's exit code reached the client
inline constexpr char kChildDeclined = 'N';   // told the client to start directly; ready again
inline constexpr char kServerCommand = 'C';   // carries the client's connection (SCM_RIGHTS)

struct RuntimeChildOptions {
  int control_fd = -1;
  std::vector<std::string> fixed_args;  // the server's run flags, paths made absolute
  std::string snapshot;                 // the --snapshot among them
  std::string executable;               // the server's binary: what a direct start runs
  const char* tool_name = nullptr;
  const char* builder_name = nullptr;
  RunCommandFn run = nullptr;
};

// Never returns: the process ends with the command's exit code (or 0 when the server went away
// before sending one). A command whose locale environment differs from this process's is not
// run here: the client is told to start it directly, and the runtime waits for the next one.
[[noreturn]] void RunRuntimeChild(RuntimeChildOptions options);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SERVE_RUNTIME_CHILD_H_
