// Load-time check: V8 version first (V8 aborts on a foreign blob), then the V8 flags the blob
// was built with, then the layout diff.
#include "check/load_check.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "format/snapshot_files.h"
#include "format/v8_blob_header.h"
#include "check/layout_diff.h"
#include "check/snapshot_layout.h"

namespace v8snap {
namespace {

// True when both layouts bind every op index and external reference to the same function:
// then only the extension list differs, in extensions without ops (JS-only ones).
bool SameBindings(const Layout& a, const Layout& b) {
  if (a.ops_size() != b.ops_size() ||
      a.external_references_size() != b.external_references_size()) {
    return false;
  }
  for (int i = 0; i < a.ops_size(); ++i) {
    if (a.ops(i).SerializeAsString() != b.ops(i).SerializeAsString()) return false;
  }
  for (int i = 0; i < a.external_references_size(); ++i) {
    const ExternalReferenceRecord& x = a.external_references(i);
    const ExternalReferenceRecord& y = b.external_references(i);
    if (x.name() != y.name() || x.kind() != y.kind()) return false;
  }
  return true;
}

// Would this runtime load the snapshot if it were configured with the snapshot's own extension
// list? With the registry at hand that is answered exactly (the layout this binary computes for
// that list is the snapshot's). Without it, by the kinds of changes: only extension-level ones
// (order, set) and the op moves they cause.
bool SnapshotExtensionsWouldFit(const LoadCheckInput& input,
                                const std::vector<LayoutChange>& changes) {
  const Layout& snapshot = input.sidecar->layout();
  if (input.registry != nullptr) {
    std::vector<std::string> names(snapshot.extensions().begin(), snapshot.extensions().end());
    absl::StatusOr<RuntimeLayout> reconfigured = ComputeLayout(names, *input.registry);
    return reconfigured.ok() && DiffLayouts(snapshot, reconfigured->layout).empty();
  }
  bool extension_level = false;
  for (const LayoutChange& change : changes) {
    switch (change.kind) {
      case LayoutChange::Kind::kExtensionOrder:
      case LayoutChange::Kind::kExtensionRemoved:
      case LayoutChange::Kind::kExtensionAdded:
        extension_level = true;
        break;
      case LayoutChange::Kind::kOpMoved:
        break;
      default:
        return false;
    }
  }
  return extension_level;
}

// The rebuild a fix proposes: "<builder> --manifest M --out BLOB". M is the runtime's manifest
// only when that keeps every extension the snapshot has; a rebuild from it would otherwise drop
// the snapshot's others (a library layered on top), so M is then the manifest the snapshot was
// built from, and the fix names what it must keep.
std::vector<std::string> DroppedByRebuild(const LoadCheckInput& input) {
  std::vector<std::string> dropped;
  for (const std::string& name : input.sidecar->layout().extensions()) {
    const auto& own = input.runtime_layout->extensions();
    if (std::find(own.begin(), own.end(), name) == own.end()) {
      dropped.push_back(absl::CHexEscape(name));  // from the sidecar: no terminal escapes
    }
  }
  return dropped;
}

std::string RebuildCommand(const LoadCheckInput& input) {
  const std::string runtime_manifest =
      input.runtime_manifest.empty() ? std::string("MANIFEST") : input.runtime_manifest;
  std::vector<std::string> dropped = DroppedByRebuild(input);
  if (dropped.empty()) {
    return absl::StrCat(input.builder, " --manifest ", runtime_manifest, " --out ",
                        RebuildOutPath(input.blob_path));
  }
  return absl::StrCat(
      input.builder, " --manifest SNAPSHOT_MANIFEST --out ", RebuildOutPath(input.blob_path),
      ", where SNAPSHOT_MANIFEST is the manifest the snapshot was built from ('",
      absl::CHexEscape(input.sidecar->manifest_name()), "'): it keeps ",
      dropped.size() == 1 ? "the extension " : "the extensions ", absl::StrJoin(dropped, ", "),
      ", which ", runtime_manifest, " lacks and a rebuild from it would drop");
}

// Flag names (V8FlagName) and name prefixes that change what code means or which built-ins
// it sees. A runtime cannot take the builder's flags instead: V8's flags are process-wide, and
// code built under them would then behave differently from source. Everything else (heap and
// compiler tuning, the determinism flags) is left to the runtime.
constexpr absl::string_view kCodeFlagPrefixes[] = {"harmony", "js-", "expose-",
                                                   "experimental-wasm-"};
constexpr absl::string_view kCodeFlags[] = {
    "allow-natives-syntax", "use-strict", "disallow-code-generation-from-strings",
    "wasm-staging", "stack-trace-limit"};

}  // namespace

std::string V8FlagName(absl::string_view flag) {
  absl::ConsumePrefix(&flag, "--") || absl::ConsumePrefix(&flag, "-");
  flag = flag.substr(0, flag.find('='));
  std::string name(flag);
  std::replace(name.begin(), name.end(), '_', '-');
  if (absl::StartsWith(name, "no-")) return name.substr(3);
  // V8 also reads "--nofoo" as "--no-foo" for the flags that exist.
  if (absl::StartsWith(name, "no") && !absl::StartsWith(name, "none")) {
    for (absl::string_view known : kCodeFlags) {
      if (name.substr(2) == known) return name.substr(2);
    }
    for (absl::string_view prefix : kCodeFlagPrefixes) {
      if (absl::StartsWith(name.substr(2), prefix)) return name.substr(2);
    }
  }
  return name;
}

bool V8FlagChangesHowCodeRuns(absl::string_view flag) {
  std::string name = V8FlagName(flag);
  for (absl::string_view known : kCodeFlags) {
    if (name == known) return true;
  }
  for (absl::string_view prefix : kCodeFlagPrefixes) {
    if (absl::StartsWith(name, prefix)) return true;
  }
  return false;
}

absl::Status CheckSnapshotLoadable(const LoadCheckInput& input) {
  const Sidecar& sidecar = *input.sidecar;
  if (sidecar.v8_version() != input.linked_v8_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot '", input.blob_path, "' was built with V8 ",
                     absl::CHexEscape(sidecar.v8_version()),
                     ", but this runtime is linked with V8 ", input.linked_v8_version,
                     ". V8 only loads snapshots of its own version: rebuild the snapshot with a ",
                     input.builder, " linked with the same V8 as this runtime."));
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
          ". Rebuild the snapshot with a ", input.builder, " linked with the same V8."));
    }
  }
  for (const std::string& flag : sidecar.v8_flags()) {
    if (!V8FlagChangesHowCodeRuns(flag)) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "snapshot '", input.blob_path, "' was built with the V8 flag ", absl::CHexEscape(flag),
        ", which changes how code runs, and this runtime runs without it: the code in the "
        "snapshot was compiled and set up under it, and would fail or behave differently here "
        "(a SyntaxError, a missing built-in).\n  fix: rebuild the snapshot without that flag (",
        RebuildCommand(input), ")."));
  }
  std::vector<LayoutChange> changes = DiffLayouts(sidecar.layout(), *input.runtime_layout);
  if (changes.empty()) return absl::OkStatus();

  const LayoutChange& first = changes.front();
  std::string more;
  if (changes.size() > 1) {
    more = absl::StrCat("\n  (", changes.size() - 1, " more difference",
                        changes.size() > 2 ? "s" : "",
                        "; `", MessageToolNames().inspector,
                        " verify SNAPSHOT --manifest MANIFEST` lists them all)");
  }
  const std::string consequence =
      SameBindings(sidecar.layout(), *input.runtime_layout)
          ? "\n  Every op would still bind to its own C++ function (the extensions that differ "
            "are JS-only), but the JS in the snapshot is not the JS this runtime expects, so it "
            "is refused."
          : "\n  Loading it would bind ops to the wrong C++ functions, so it is refused.";
  const std::string rebuild = RebuildCommand(input);
  std::string fix;
  if (SnapshotExtensionsWouldFit(input, changes)) {
    fix = absl::StrCat(
        "\n  fix: rebuild the snapshot",
        DroppedByRebuild(input).empty() ? " from the runtime's manifest" : "", " (", rebuild,
        "), or configure the runtime with the snapshot's extensions, in its order: ",
        absl::StrJoin(sidecar.layout().extensions(), ", ",
                      [](std::string* out, const std::string& name) {
                        // Read from the sidecar: no terminal escapes through the message.
                        absl::StrAppend(out, absl::CHexEscape(name));
                      }),
        ".");
  } else {
    fix = absl::StrCat(
        "\n  fix: this binary's ops differ from those of the builder that made the snapshot, so "
        "listing the extensions differently cannot help: rebuild the snapshot with this "
        "runtime's builder (",
        rebuild, "), or load it with the runtime binary that goes with the builder that made it.");
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "snapshot '", input.blob_path, "' does not match this runtime's extensions (",
      LayoutChangeKindName(first.kind), "): ", first.Describe("the snapshot", "this runtime"),
      more, consequence, fix));
}

}  // namespace v8snap
