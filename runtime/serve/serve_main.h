// `snapshot_run --serve SOCKET --snapshot X.bin [run flags]`: a long-lived server that keeps the
// next runtime ready, already deserialized and checked, in a process waiting for its command;
// snapshot_run_client hands it one. docs/runtime.md ("Pre-started runtimes") says how it is used
// and why it is built this way.
#ifndef V8SNAP_RUNTIME_SERVE_SERVE_MAIN_H_
#define V8SNAP_RUNTIME_SERVE_SERVE_MAIN_H_

#include "runtime/serve/runtime_child.h"

namespace v8snap {

// True when the command line asks for a server (--serve or --serve=SOCKET among its flags).
bool IsServeCommand(int argc, char** argv);

// Runs the server until SIGTERM or SIGINT; returns the exit code (0 after a signal, 1 when it
// cannot start, 2 for a usage error). `run` is RunRuntimeMain: each runtime process parses the
// server's fixed flags and then its command with it.
int RunServeMain(int argc, char** argv, const char* tool_name, const char* builder_name,
                 RunCommandFn run);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SERVE_SERVE_MAIN_H_
