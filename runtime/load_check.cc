// Load-time check: V8 version first (V8 aborts on a foreign blob), then the layout diff.
#include "runtime/load_check.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "format/v8_blob_header.h"
#include "runtime/layout_diff.h"

namespace v8snap {

absl::Status CheckSnapshotLoadable(const LoadCheckInput& input) {
  const Sidecar& sidecar = *input.sidecar;
  if (sidecar.v8_version() != input.linked_v8_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot '", input.blob_path, "' was built with V8 ",
                     absl::CHexEscape(sidecar.v8_version()),
                     ", but this runtime is linked with V8 ", input.linked_v8_version,
                     ". V8 only loads snapshots of its own version: rebuild the snapshot with a "
                     "snapshot_builder linked with the same V8 as this runtime."));
  }
  if (!input.blob.empty()) {
    absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(input.blob);
    if (!header.ok()) {
      return absl::DataLossError(absl::StrCat("snapshot '", input.blob_path,
                                              "' is not a V8 snapshot blob: ",
                                              header.status().message()));
    }
    if (header->version != input.linked_v8_version) {
      return absl::FailedPreconditionError(absl::StrCat(
          "snapshot '", input.blob_path, "' is a blob of V8 ", header->version,
          ", but this runtime is linked with V8 ", input.linked_v8_version,
          ". Rebuild the snapshot with a snapshot_builder linked with the same V8."));
    }
  }
  std::vector<LayoutChange> changes = DiffLayouts(sidecar.layout(), *input.runtime_layout);
  if (changes.empty()) return absl::OkStatus();

  const LayoutChange& first = changes.front();
  std::string more;
  if (changes.size() > 1) {
    more = absl::StrCat("\n  (", changes.size() - 1, " more difference",
                        changes.size() > 2 ? "s" : "",
                        "; `snapshot_inspect verify SNAPSHOT --manifest MANIFEST` lists them all)");
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "snapshot '", input.blob_path, "' does not match this runtime's extensions (",
      LayoutChangeKindName(first.kind), "): ", first.Describe("the snapshot", "this runtime"),
      more,
      "\n  Loading it would bind ops to the wrong C++ functions, so it is refused.",
      "\n  fix: rebuild the snapshot from the runtime's manifest (snapshot_builder --manifest ",
      input.runtime_manifest.empty() ? "MANIFEST" : input.runtime_manifest, " --out ",
      input.blob_path, "), or configure the runtime with the snapshot's extension order: ",
      absl::StrJoin(sidecar.layout().extensions(), ", ",
                    [](std::string* out, const std::string& name) {
                      // Read from the sidecar: no terminal escapes through the message.
                      absl::StrAppend(out, absl::CHexEscape(name));
                    }),
      "."));
}

}  // namespace v8snap
