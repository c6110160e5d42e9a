// `snapshot_inspect verify`: integrity of a snapshot pair and, with --manifest, the runtime's own
// load check (check/load_check.h) against the layout that manifest gives, all without V8.
#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "format/v8_blob_header.h"
#include "check/content_check.h"
#include "runtime/extension.h"
#include "check/layered_extensions.h"
#include "check/layout_diff.h"
#include "check/load_check.h"
#include "check/snapshot_layout.h"
#include "runtime/v8_process.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/human_size.h"
#include "snapshot_inspect/text_table.h"

namespace v8snap::inspect {
namespace {

void AddCheck(VerifyReport* report, const char* name, bool ok, std::string message) {
  Check* check = report->add_checks();
  check->set_name(name);
  check->set_ok(ok);
  check->set_message(std::move(message));
}

void AddCheck(VerifyReport* report, const char* name, const absl::Status& status,
              std::string ok_message) {
  AddCheck(report, name, status.ok(),
           status.ok() ? std::move(ok_message) : std::string(status.message()));
}

void CheckHeader(const SnapshotPair& pair, const std::string& blob_path, VerifyReport* report) {
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(pair.blob);
  if (!header.ok()) {
    AddCheck(report, "V8 header", header.status(), "");
    return;
  }
  AddCheck(report, "V8 header", true,
           absl::StrCat(header->num_contexts, header->num_contexts == 1 ? " context, " : " contexts, ",
                        header->sections.size(), " sections covering ",
                        GroupedNumber(pair.blob.size()), " bytes"));
  uint32_t checksum = V8BlobChecksum(pair.blob, *header);
  AddCheck(report, "V8 checksum", checksum == header->checksum,
           checksum == header->checksum
               ? absl::StrFormat("0x%08x", checksum)
               : absl::StrFormat("the blob's header records V8 checksum 0x%08x, but its bytes "
                                 "sum to 0x%08x: the blob was changed after V8 wrote it. "
                                 "Rebuild it with %s.",
                                 header->checksum, checksum, MessageToolNames().builder));
  const std::string linked = V8Process::LinkedV8Version();
  const std::string& recorded = pair.sidecar.v8_version();
  if (header->version != recorded) {
    AddCheck(report, "V8 version", false,
             absl::StrCat("the blob's V8 header says V8 ", header->version,
                          ", but its sidecar records V8 ", recorded,
                          ": the sidecar does not describe this blob. Rebuild both with ",
                          MessageToolNames().builder, "."));
  } else if (header->version != linked) {
    AddCheck(report, "V8 version", false,
             absl::StrCat("snapshot '", blob_path, "' was built with V8 ", header->version,
                          ", but this v8snap is linked with V8 ", linked,
                          ". V8 only loads snapshots of its own version: rebuild the snapshot "
                          "with a ",
                          MessageToolNames().builder, " linked with the runtime's V8."));
  } else {
    AddCheck(report, "V8 version", true,
             absl::StrCat(linked, " (blob header, sidecar and this binary agree)"));
  }
}

void CheckAgainstManifest(const SnapshotPair& pair, const VerifyOptions& options,
                          VerifyReport* report) {
  // Configured exactly as snapshot_run --manifest configures the runtime.
  const ExtensionRegistry& registry = ExtensionRegistry::Global();
  ManifestCheckOptions check;
  check.native_extensions = registry.Names();
  absl::StatusOr<LoadedManifest> manifest = LoadManifestOrError(options.manifest_path, check);
  if (!manifest.ok()) {
    AddCheck(report, "manifest", manifest.status(), "");
    return;
  }
  std::vector<std::string> names;
  for (const LoadedExtension& e : manifest->extensions) names.push_back(e.name);
  // As the runtime does by default: JS-only extensions the snapshot adds are accepted.
  ExtensionSelection selection =
      SelectExtensionsForSnapshot(pair.sidecar, names, registry, /*exact=*/false);
  absl::StatusOr<RuntimeLayout> layout = ComputeLayout(selection.names, registry);
  if (!layout.ok()) {
    AddCheck(report, "manifest", layout.status(), "");
    return;
  }
  AddCheck(report, "manifest", true,
           absl::StrCat(options.manifest_path, ": ", names.size(), " extensions, ",
                        layout->layout.ops_size(), " ops"));

  LoadCheckInput input;
  input.sidecar = &pair.sidecar;
  input.runtime_layout = &layout->layout;
  input.blob_path = options.blob_path;
  input.blob = pair.blob;  // as the runtime passes it: its V8 header is checked too
  input.linked_v8_version = V8Process::LinkedV8Version();
  input.runtime_manifest = options.manifest_path;
  input.builder = MessageToolNames().builder;
  input.registry = &registry;
  AddCheck(report, "load check", CheckSnapshotLoadable(input),
           selection.from_snapshot.empty()
               ? "a runtime configured by this manifest loads this snapshot"
               : absl::StrCat("a runtime configured by this manifest loads this snapshot, with "
                              "the JS-only extensions it adds: ",
                              absl::StrJoin(selection.from_snapshot, ", ")));
  // The check a CI job runs for a committed snapshot: were these sources its sources?
  ContentCheckInput content;
  content.sidecar = &pair.sidecar;
  content.manifest = &*manifest;
  content.blob_path = options.blob_path;
  content.manifest_label = options.manifest_path;
  content.builder = MessageToolNames().builder;
  size_t source_count = 0;
  for (const LoadedExtension& e : manifest->extensions) source_count += e.sources.size();
  AddCheck(report, "sources", CheckSourcesMatchSnapshot(content),
           absl::StrCat(source_count, source_count == 1 ? " source matches" : " sources match",
                        " the snapshot's XXH3-128 digests"));
  for (const LayoutChange& change : DiffLayouts(pair.sidecar.layout(), layout->layout)) {
    *report->add_layout_changes() = ToRecord(change, "the snapshot", "this runtime");
  }
}

}  // namespace

VerifyReport BuildVerifyReport(const VerifyOptions& options) {
  VerifyReport report;
  report.set_blob_path(options.blob_path);
  report.set_manifest_path(options.manifest_path);
  absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(options.blob_path);
  if (!pair.ok()) {
    AddCheck(&report, "snapshot pair", pair.status(), "");
  } else {
    AddCheck(&report, "snapshot pair", true,
             absl::StrCat("the blob matches its sidecar (", GroupedNumber(pair->blob.size()),
                          " bytes, XXH3-128 ", pair->sidecar.blob().xxh3_128(), ")"));
    CheckHeader(*pair, options.blob_path, &report);
    if (!options.manifest_path.empty()) CheckAgainstManifest(*pair, options, &report);
  }
  report.set_ok(std::all_of(report.checks().begin(), report.checks().end(),
                            [](const Check& c) { return c.ok(); }));
  return report;
}

std::string RenderVerifyText(const VerifyReport& report) {
  size_t width = 0;
  for (const Check& c : report.checks()) width = std::max(width, c.name().size());
  std::string out = absl::StrCat("verify ", report.blob_path(),
                                 report.manifest_path().empty()
                                     ? ""
                                     : absl::StrCat(" against ", report.manifest_path()),
                                 "\n");
  const std::string continuation(2 + 4 + 2 + width + 2, ' ');
  for (const Check& c : report.checks()) {
    std::vector<std::string> lines = absl::StrSplit(c.message(), '\n');
    absl::StrAppend(&out, absl::StrFormat("  %-4s  %-*s  %s\n", c.ok() ? "ok" : "FAIL",
                                          static_cast<int>(width), c.name(), lines[0]));
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string line = lines[i];
      line.erase(0, line.find_first_not_of(' '));
      absl::StrAppend(&out, continuation, line, "\n");
    }
  }
  if (report.layout_changes_size() > 0) {
    absl::StrAppend(&out, "\nEvery difference between the snapshot and a runtime configured by ",
                    report.manifest_path(), " (", report.layout_changes_size(), "):\n");
    TextTable t({});
    for (const LayoutChangeRecord& c : report.layout_changes()) {
      t.AddRow({c.kind(), c.description()});
    }
    absl::StrAppend(&out, t.Render("  "));
  }
  int failed = std::count_if(report.checks().begin(), report.checks().end(),
                             [](const Check& c) { return !c.ok(); });
  absl::StrAppend(&out, "\n",
                  failed == 0 ? absl::StrCat("result: ok (", report.checks_size(), " checks)")
                              : absl::StrCat("result: FAILED (", failed, " of ",
                                             report.checks_size(), " checks)"),
                  "\n");
  return out;
}

int RunVerify(const VerifyOptions& options) {
  VerifyReport report = BuildVerifyReport(options);
  std::string text = options.json ? ToJson(report) : RenderVerifyText(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (report.ok()) return kExitOk;
  // The first failure on stderr too, as the runtime prints it.
  for (const Check& c : report.checks()) {
    if (!c.ok()) {
      std::fflush(stdout);
      PrintError(kTool, c.message());
      break;
    }
  }
  return kExitFailure;
}

}  // namespace v8snap::inspect
