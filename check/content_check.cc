// The content check: a manifest's source digests against the sidecar's.
#include "check/content_check.h"

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"

namespace v8snap {
namespace {

// The specifier the builder records for a source (SourceSpecifier in runtime/bootstrap.h, which
// needs V8; classic scripts get theirs here): "ext:<extension>/<file name>".
std::string SourceSpecifierOf(const std::string& extension, const LoadedSource& source) {
  if (!source.specifier.empty()) return source.specifier;
  const size_t slash = source.path.find_last_of('/');
  return absl::StrCat("ext:", extension, "/",
                      slash == std::string::npos ? source.path : source.path.substr(slash + 1));
}

}  // namespace

std::string SourceDifference::Describe() const {
  // Names and paths come from the sidecar too: no terminal escapes through the message.
  const std::string where = absl::StrCat("source '", absl::CHexEscape(path), "' of extension '",
                                         absl::CHexEscape(extension), "'");
  if (snapshot_digest.empty()) {
    return absl::StrCat(where, " is listed by the manifest (XXH3-128 ", manifest_digest,
                        "), but the snapshot was built without it (XXH3-128: none)");
  }
  if (manifest_digest.empty()) {
    return absl::StrCat(where, " was built into the snapshot (XXH3-128 ",
                        absl::CHexEscape(snapshot_digest),
                        "), but the manifest no longer lists it (XXH3-128: none)");
  }
  return absl::StrCat(where, " changed since the snapshot was built: XXH3-128 ",
                      absl::CHexEscape(snapshot_digest), " in the snapshot, ", manifest_digest,
                      " in the file now");
}

std::vector<SourceDifference> FindSourceDifferences(const Sidecar& sidecar,
                                                    const LoadedManifest& manifest) {
  std::vector<SourceDifference> differences;
  if (manifest.digest.empty()) return differences;
  std::map<std::string, const ExtensionRecord*> recorded;
  for (const ExtensionRecord& record : sidecar.extensions()) recorded[record.name()] = &record;
  for (const LoadedExtension& extension : manifest.extensions) {
    auto it = recorded.find(extension.name);
    if (it == recorded.end()) continue;
    // Matched by specifier, not path: the same file named from a manifest in another folder
    // (or as builtin:) is the same source. Classic scripts may share a specifier, so equal
    // specifiers pair up in order.
    std::multimap<std::string, const SourceRecord*> built;
    for (const SourceRecord& source : it->second->sources()) {
      built.emplace(source.specifier(), &source);
    }
    for (const LoadedSource& source : extension.sources) {
      const std::string digest = Xxh3Hex(source.contents);
      auto found = built.find(SourceSpecifierOf(extension.name, source));
      if (found == built.end()) {
        differences.push_back({extension.name, source.path, "", digest});
        continue;
      }
      if (found->second->xxh3_128() != digest || found->second->kind() != source.kind) {
        differences.push_back({extension.name, source.path, found->second->xxh3_128(), digest});
      }
      built.erase(found);
    }
    for (const auto& [specifier, source] : built) {
      differences.push_back({extension.name, source->path(), source->xxh3_128(), ""});
    }
  }
  return differences;
}

absl::Status CheckSourcesMatchSnapshot(const ContentCheckInput& input) {
  std::vector<SourceDifference> differences =
      FindSourceDifferences(*input.sidecar, *input.manifest);
  if (differences.empty()) return absl::OkStatus();
  const std::string manifest =
      input.manifest_label.empty() ? std::string("MANIFEST") : input.manifest_label;
  std::string message = absl::StrCat(
      "snapshot '", input.blob_path, "' is stale: its JS was built from other sources than ",
      manifest, " names now (", differences.size(),
      differences.size() == 1 ? " difference" : " differences", "):");
  for (const SourceDifference& difference : differences) {
    absl::StrAppend(&message, "\n  ", difference.Describe());
  }
  absl::StrAppend(&message,
                  "\n  The snapshot would run the JS it was built from, not these files, so it "
                  "is refused.\n  fix: rebuild the snapshot from the manifest (",
                  input.builder, " --manifest ", manifest, " --out ", RebuildOutPath(input.blob_path),
                  "), or restore the sources it was built from.");
  return absl::FailedPreconditionError(message);
}

}  // namespace v8snap
