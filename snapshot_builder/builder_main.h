// The snapshot_builder command line as a function, so an embedder's own builder binary (linking
// ITS extensions) is a one-line main.
//
// Usage (my_builder_main.cc, linked with libv8snap_builder + the embedder's extensions):
//
//   #include "snapshot_builder/builder_main.h"
//   int main(int argc, char** argv) { return v8snap::RunBuilderMain(argc, argv, "my_builder"); }
//
// The binary then takes the same flags as snapshot_builder (--manifest, --out, --depfile,
// --code-cache, --v8-flags, --timeout-ms, --max-heap-mb, --verbose, --version) and has the same exit codes (0 built, 1 build
// failed, 2 usage error). It can bind exactly the native extensions linked into it: each
// extension's V8SNAP_REGISTER_EXTENSION object file must be linked (a source_set in GN; for an
// archive, -Wl,--whole-archive). build/v8_snapshot.gni runs such a binary at build time.
#ifndef V8SNAP_SNAPSHOT_BUILDER_BUILDER_MAIN_H_
#define V8SNAP_SNAPSHOT_BUILDER_BUILDER_MAIN_H_

namespace v8snap {

// Parses argv, builds the snapshot and returns the process exit code. `tool_name` is used in
// --help, --version and error messages ("my_builder: error: ...").
int RunBuilderMain(int argc, char** argv, const char* tool_name = "snapshot_builder");

}  // namespace v8snap

#endif  // V8SNAP_SNAPSHOT_BUILDER_BUILDER_MAIN_H_
