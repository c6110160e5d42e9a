// embedder_builder: snapshot_builder's command line, with the example's extensions linked in.
#include "snapshot_builder/builder_main.h"

int main(int argc, char** argv) { return v8snap::RunBuilderMain(argc, argv, "embedder_builder"); }
