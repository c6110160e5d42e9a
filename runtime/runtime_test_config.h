// Test support for the in-process runtime tests: the RuntimeConfig a runtime gets from a manifest
// in the source tree, checked against the extensions linked into the test binary.
#ifndef V8SNAP_RUNTIME_RUNTIME_TEST_CONFIG_H_
#define V8SNAP_RUNTIME_RUNTIME_TEST_CONFIG_H_

#include <string>

#include "format/manifest_loader.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {

inline RuntimeConfig ConfigFor(const std::string& manifest) {
  ManifestCheckOptions check;
  check.native_extensions = ExtensionRegistry::Global().Names();
  RuntimeConfig config;
  config.manifest = *LoadManifestOrError(SourcePath(manifest), check);
  config.manifest_label = manifest;
  return config;
}

}  // namespace v8snap::testing

#endif  // V8SNAP_RUNTIME_RUNTIME_TEST_CONFIG_H_
