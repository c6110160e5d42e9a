// Fuzzes the manifest loader and validator, and the reorderer on whatever parses.
#include "format/manifest_loader.h"
#include "format/manifest_order.h"
#include "fuzz/fuzz_target.h"

V8SNAP_FUZZ_TARGET(manifest) {
  v8snap::ManifestCheckOptions options;
  options.read_sources = false;  // Sources would be files on disk; the structure is the target.
  options.native_extensions = std::vector<std::string>{"console", "core"};
  std::string text = v8snap::fuzz::AsString(data, size);
  v8snap::ManifestLoadResult result = v8snap::LoadManifestFromText("fuzz.textproto", text, options);
  for (const auto& problem : result.problems) (void)problem.ToString();
  if (result.manifest.has_value()) {
    std::vector<std::string> order = v8snap::SuggestExtensionOrder(result.manifest->manifest);
    (void)v8snap::ReorderManifestText(text, order);
  }
}
