// app_run: snapshot_run's command line with the app's extensions and manifest linked in; a
// mismatch's fix names app_builder.
#include "runtime/run_main.h"

int main(int argc, char** argv) {
  return v8snap::RunRuntimeMain(argc, argv, "app_run", "app_builder");
}
