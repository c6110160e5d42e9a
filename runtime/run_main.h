// The snapshot_run command line as a function, so an embedder's own runtime binary (linking ITS
// extensions and ITS manifest) is a one-line main.
//
// Usage (my_run_main.cc, linked with libv8snap_runtime, the embedder's extensions and one
// embedded_manifest() target, which defines the order the runtime checks snapshots against):
//
//   #include "runtime/run_main.h"
//   int main(int argc, char** argv) {
//     return v8snap::RunRuntimeMain(argc, argv, "my_run", "my_builder");
//   }
//
// The binary then takes snapshot_run's flags (--snapshot, --no-snapshot, --manifest, --relink,
// --allow-read/--allow-write, --max-heap-mb, --timeout-ms, --version, SCRIPT) and has its exit
// codes (0 ok, 1 mismatch / bad file / uncaught JS error / limit reached, 2 usage).
// Embedders who want their own command line use JsRuntime (runtime/js_runtime.h) directly.
#ifndef V8SNAP_RUNTIME_RUN_MAIN_H_
#define V8SNAP_RUNTIME_RUN_MAIN_H_

namespace v8snap {

// Parses argv, loads the snapshot (refusing one that does not match the compiled-in manifest),
// runs SCRIPT as an ES module and the event loop, and returns the process exit code.
// `tool_name` is used in --help, --version and error messages ("my_run: error: ..."); and
// `builder_name`, the builder binary linking the same extensions, in the fix of a mismatch
// ("rebuild the snapshot with my_builder --manifest ..."). Ignores SIGPIPE: a closed stdout
// (`my_run x.js | head -1`) ends the run quietly, exit 0.
int RunRuntimeMain(int argc, char** argv, const char* tool_name = "snapshot_run",
                   const char* builder_name = "snapshot_builder");

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_RUN_MAIN_H_
