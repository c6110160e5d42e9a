// Writing to the process's stdout and stderr from ops (console.log, v8snap.core.print).
//
// The runtime mains ignore SIGPIPE, so a reader that went away (`snapshot_run x.js | head -1`)
// shows up here as EPIPE instead of killing the process (exit 141). Then the run ends quietly:
// the op stops the script, JsRuntime reports kCancelled, snapshot_run exits 0 when nothing else
// failed, and every later stdout write is dropped.
//
// Usage from an op:
//   if (!WriteOutput(OutputStream::kStdout, line)) info.GetIsolate()->TerminateExecution();
#ifndef V8SNAP_RUNTIME_PROCESS_OUTPUT_H_
#define V8SNAP_RUNTIME_PROCESS_OUTPUT_H_

#include <string_view>

namespace v8snap {

enum class OutputStream { kStdout, kStderr };

// Writes all of `text` and flushes. False when stdout's reader has gone (EPIPE now or before);
// other failures (a full disk, a closed stderr) drop the text and return true, as a terminal
// that cannot show a line does not stop a program.
bool WriteOutput(OutputStream stream, std::string_view text);

// True once a stdout write met EPIPE; for the rest of the process.
bool StdoutClosed();

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_PROCESS_OUTPUT_H_
