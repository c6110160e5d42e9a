// embedder_inspect: snapshot_inspect's command line, with the example's extensions linked in, so
// verify, validate and diff know greeter's ops.
#include "snapshot_inspect/inspect_main.h"

int main(int argc, char** argv) {
  // Fix lines name the builder that links the same extensions: embedder_builder.
  return v8snap::RunInspectMain(argc, argv, "embedder_inspect", "embedder_builder");
}
