// app_builder: snapshot_builder's command line with the app's extensions linked in.
#include "snapshot_builder/builder_main.h"

int main(int argc, char** argv) { return v8snap::RunBuilderMain(argc, argv, "app_builder"); }
