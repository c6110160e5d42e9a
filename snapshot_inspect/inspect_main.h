// The snapshot_inspect command line as a function, so an embedder's own inspector binary
// (linking ITS extensions) is a one-line main whose verify, validate and diff know its ops.
//
// Usage (my_inspect_main.cc, linked with libv8snap_inspect + the embedder's extensions):
//
//   #include "snapshot_inspect/inspect_main.h"
//   int main(int argc, char** argv) {
//     return v8snap::RunInspectMain(argc, argv, "my_inspect", "my_builder");
//   }
//
// The binary then has snapshot_inspect's commands (info, verify, validate, diff, heap, report),
// flags and exit codes (0 ok, 1 failure, 2 usage; diff follows diff(1)). `verify --manifest`
// and `validate` check against the extensions linked into it, exactly as the embedder's runtime
// and builder do, so each extension's V8SNAP_REGISTER_EXTENSION object file must be linked (a
// source_set in GN; for an archive, -Wl,--whole-archive).
#ifndef V8SNAP_SNAPSHOT_INSPECT_INSPECT_MAIN_H_
#define V8SNAP_SNAPSHOT_INSPECT_INSPECT_MAIN_H_

namespace v8snap {

// Parses argv, runs the command and returns the process exit code. `tool_name` is used in
// --help, --version and error messages ("my_inspect: error: ..."); `builder_name`, the builder
// binary linking the same extensions, in every fix line that says to rebuild a snapshot.
// Ignores SIGPIPE, so `my_inspect info x.bin | head -5` ends quietly.
int RunInspectMain(int argc, char** argv, const char* tool_name = "snapshot_inspect",
                   const char* builder_name = "snapshot_builder");

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_INSPECT_INSPECT_MAIN_H_
