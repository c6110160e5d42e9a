// embedder_run: snapshot_run's command line, with the example's extensions and manifest linked in.
#include "runtime/run_main.h"

int main(int argc, char** argv) { return v8snap::RunRuntimeMain(argc, argv, "embedder_run"); }
