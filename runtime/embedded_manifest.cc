// Loading the embedded manifest: parsed and checked like a file, sources from the embedded copies.
#include "runtime/embedded_manifest.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace v8snap {
namespace {

// "manifests/../extensions/core/core.js" → "extensions/core/core.js" (relative paths only).
std::string NormalizeRelative(absl::string_view path) {
  std::vector<absl::string_view> parts;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  return absl::StrJoin(parts, "/");
}

}  // namespace

absl::StatusOr<LoadedManifest> LoadEmbeddedManifest(const ManifestCheckOptions& options) {
  std::map<std::string, std::string> files;
  for (size_t i = 0; i < kEmbeddedManifest.file_count; ++i) {
    const EmbeddedFile& file = kEmbeddedManifest.files[i];
    files[file.path] = std::string(file.data, file.size);
  }
  const std::string manifest_path = kEmbeddedManifest.manifest_path;
  ManifestCheckOptions embedded_options = options;
  embedded_options.read_sources = false;
  ManifestLoadResult result =
      LoadManifestFromText(manifest_path, files[manifest_path], embedded_options);
  if (!result.problems.empty() || !result.manifest.has_value()) {
    std::vector<std::string> lines;
    for (const auto& problem : result.problems) lines.push_back(problem.ToString());
    return absl::InvalidArgumentError(
        absl::StrCat("the manifest compiled into this binary is invalid:\n",
                     absl::StrJoin(lines, "\n")));
  }
  LoadedManifest manifest = std::move(*result.manifest);
  for (LoadedExtension& extension : manifest.extensions) {
    for (LoadedSource& source : extension.sources) {
      auto it = files.find(NormalizeRelative(source.resolved_path));
      if (it == files.end()) {
        return absl::NotFoundError(absl::StrCat(
            "source '", source.path, "' of extension '", extension.name,
            "' was not compiled into this binary (rebuild it: ninja -C out/release)"));
      }
      source.contents = it->second;
    }
  }
  return manifest;
}

}  // namespace v8snap
