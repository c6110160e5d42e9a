// snapshot_run: runs a script as an ES module on a runtime loaded from a checked snapshot. The
// command line lives in runtime/run_main.cc, so embedders' runtimes share it.
#include "runtime/run_main.h"

int main(int argc, char** argv) { return v8snap::RunRuntimeMain(argc, argv, "snapshot_run"); }
