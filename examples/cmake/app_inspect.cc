// app_inspect: snapshot_inspect's command line with the app's extensions linked in, so verify,
// validate and diff know kv's ops; fix lines name app_builder.
#include "snapshot_inspect/inspect_main.h"

int main(int argc, char** argv) {
  return v8snap::RunInspectMain(argc, argv, "app_inspect", "app_builder");
}
