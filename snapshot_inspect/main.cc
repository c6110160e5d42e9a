// snapshot_inspect: look inside snapshots, check them, validate manifests, diff two snapshots.
// The command line lives in snapshot_inspect/inspect_main.cc, so embedders' inspectors share it.
#include "snapshot_inspect/inspect_main.h"

int main(int argc, char** argv) { return v8snap::RunInspectMain(argc, argv, "snapshot_inspect"); }
