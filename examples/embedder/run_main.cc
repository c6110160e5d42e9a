// embedder_run: snapshot_run's command line, with the example's extensions and manifest linked in.
#include "runtime/run_main.h"

int main(int argc, char** argv) {
  // Mismatch fixes name the builder that links the same extensions: embedder_builder.
  return v8snap::RunRuntimeMain(argc, argv, "embedder_run", "embedder_builder");
}
