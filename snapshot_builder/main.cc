// snapshot_builder: manifest in, snapshot blob + sidecar out. The command line lives in
// snapshot_builder/builder_main.cc, so embedders' builders share it.
#include "snapshot_builder/builder_main.h"

int main(int argc, char** argv) { return v8snap::RunBuilderMain(argc, argv, "snapshot_builder"); }
