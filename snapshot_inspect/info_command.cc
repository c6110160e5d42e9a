// `snapshot_inspect info`: the sidecar's record and the blob's V8 header, without starting V8.
// Cost: the sidecar is read; the blob is mapped, its header parsed from a few pages and the whole
// mapping hashed once in place (XXH3) to say whether it matches the sidecar: about one read of
// the file.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "format/status_macros.h"
#include "format/v8_blob_header.h"
#include "google/protobuf/util/json_util.h"
#include "runtime/shared_read_only_heap.h"
#include "snapshot_inspect/blob_file.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/human_size.h"
#include "snapshot_inspect/text_table.h"

namespace v8snap::inspect {
namespace {

bool Shows(const std::vector<std::string>& only, absl::string_view part) {
  return only.empty() || std::find(only.begin(), only.end(), part) != only.end();
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string SizeCell(uint64_t bytes) {
  return absl::StrCat(HumanSize(static_cast<int64_t>(bytes)), " (", GroupedNumber(bytes), ")");
}

std::string RefKindName(ExternalReferenceRecord::Kind kind) {
  return ExternalReferenceRecord::Kind_Name(kind);
}

void RenderBuild(const InfoReport& r, std::string& out) {
  TextTable t({});
  const BuildInfo& b = r.build();
  t.AddRow({"snapshot", r.blob_path()});
  t.AddRow({"manifest", absl::StrCat(b.manifest_name(), " (digest ", b.manifest_digest(), ")")});
  t.AddRow({"builder", absl::StrCat("v8snap ", b.builder_version())});
  t.AddRow({"V8", b.v8_version()});
  t.AddRow({"V8 flags", absl::StrJoin(b.v8_flags(), " ")});
  t.AddRow({"code cache", b.code_cache()});
  t.AddRow({"blob", SizeCell(r.blob().size())});
  t.AddRow({"blob hash",
            absl::StrCat("XXH3-128 ", r.blob().xxh3_128(),
                         r.blob().matches_sidecar() ? " (matches the blob)"
                                                    : " (DOES NOT match the blob: run verify)")});
  absl::StrAppend(&out, t.Render(""));
}

void RenderSections(const InfoReport& r, std::string& out) {
  const V8Header& h = r.v8_header();
  absl::StrAppend(&out, "\nV8 blob header\n");
  TextTable facts({});
  facts.AddRow({"version", h.version()});
  facts.AddRow({"contexts", absl::StrCat(h.num_contexts())});
  if (h.rehashable()) {
    facts.AddRow({"rehashable", "yes (each process draws its own hash seed)"});
  } else {
    std::optional<std::string> seed =
        HashSeedFromFlags({r.build().v8_flags().begin(), r.build().v8_flags().end()});
    facts.AddRow({"rehashable", absl::StrCat("no (every isolate uses ",
                                             seed ? absl::StrCat("hash seed ", *seed)
                                                  : std::string("the builder's hash seed"),
                                             "; docs/reliability.md)")});
  }
  facts.AddRow({"checksum", absl::StrCat("0x", h.checksum(), " (checked by verify)")});
  absl::StrAppend(&out, facts.Render("  "));
  TextTable t({"section", "offset", "size", "bytes", "share"},
              {TextTable::kLeft, TextTable::kRight, TextTable::kRight, TextTable::kRight,
               TextTable::kRight});
  uint64_t total = r.blob().size();
  for (const BlobSection& s : h.sections()) {
    t.AddRow({s.name(), GroupedNumber(s.offset()), HumanSize(s.size()), GroupedNumber(s.size()),
              total == 0 ? "" : absl::StrFormat("%.1f%%", 100.0 * s.size() / total)});
  }
  t.AddRow({"total", "", HumanSize(total), GroupedNumber(total), ""});
  absl::StrAppend(&out, "\n", t.Render("  "));
}

void RenderExtensions(const InfoReport& r, std::string& out) {
  absl::flat_hash_map<std::string, int64_t> sizes;
  for (const ExtensionSize& e : r.size_report().extensions()) sizes[e.extension()] = e.bytes();
  absl::StrAppend(&out, "\nExtensions (", r.extensions_size(), ", in load order)\n");
  // "loaded from": the snapshot carries every extension's JS; a native one also needs the
  // runtime's ops, a JS-only one nothing else (no source, no manifest entry: layered snapshots).
  TextTable t({"#", "extension", "deps", "native", "enabled", "sources", "blob bytes",
               "loaded from"},
              {TextTable::kRight, TextTable::kLeft, TextTable::kLeft, TextTable::kLeft,
               TextTable::kLeft, TextTable::kRight, TextTable::kRight, TextTable::kLeft});
  for (int i = 0; i < r.extensions_size(); ++i) {
    const ExtensionRecord& e = r.extensions(i);
    auto size = sizes.find(e.name());
    t.AddRow({absl::StrCat(i), e.name(), e.deps().empty() ? "-" : absl::StrJoin(e.deps(), ", "),
              YesNo(e.native()), YesNo(e.enabled()), absl::StrCat(e.sources_size()),
              size == sizes.end() ? "-" : HumanSize(size->second),
              e.native() ? "snapshot + runtime's ops" : "snapshot alone"});
  }
  absl::StrAppend(&out, t.Render("  "));
  TextTable s(
      {"extension", "kind", "path", "specifier", "size", "XXH3-128"},
      {TextTable::kLeft, TextTable::kLeft, TextTable::kLeft, TextTable::kLeft, TextTable::kRight});
  for (const ExtensionRecord& e : r.extensions()) {
    for (const SourceRecord& src : e.sources()) {
      s.AddRow({e.name(), SourceRecord::Kind_Name(src.kind()), src.path(),
                src.specifier().empty() ? "-" : src.specifier(), HumanSize(src.size()),
                src.xxh3_128()});
    }
  }
  if (!s.empty()) absl::StrAppend(&out, "\nSources\n", s.Render("  "));
}

void RenderOps(const InfoReport& r, std::string& out) {
  absl::StrAppend(&out, "\nOps (", r.ops_size(), ")\n");
  TextTable t({"id", "op", "extension", "arity", "mode", "refs"},
              {TextTable::kRight, TextTable::kLeft, TextTable::kLeft, TextTable::kRight});
  for (const OpRecord& op : r.ops()) {
    t.AddRow({absl::StrCat(op.id()), op.name(), op.extension(), absl::StrCat(op.arity()),
              op.is_async() ? "async" : "sync",
              absl::StrJoin(op.external_reference_indexes(), ", ")});
  }
  absl::StrAppend(&out, t.Render("  "));
}

void RenderRefs(const InfoReport& r, std::string& out) {
  absl::StrAppend(&out, "\nExternal references (", r.external_references_size(), ")\n");
  TextTable t({"index", "name", "kind"}, {TextTable::kRight});
  for (const ExternalReferenceRecord& ref : r.external_references()) {
    t.AddRow({absl::StrCat(ref.index()), ref.name(), RefKindName(ref.kind())});
  }
  absl::StrAppend(&out, t.Render("  "));
}

void RenderModules(const InfoReport& r, std::string& out) {
  absl::StrAppend(&out, "\nSnapshotted modules (", r.modules_size(), ")\n");
  TextTable t({"specifier", "extension", "state", "data index"},
              {TextTable::kLeft, TextTable::kLeft, TextTable::kLeft, TextTable::kRight});
  for (const ModuleRecord& m : r.modules()) {
    t.AddRow({m.specifier(), m.extension(), m.lazy() ? "lazy (source)" : "evaluated",
              absl::StrCat(m.data_index())});
  }
  absl::StrAppend(&out, t.Render("  "));
  if (r.import_map_size() == 0) return;
  // What bare specifiers resolve to, for import in modules and require in CommonJS sources.
  absl::StrAppend(&out, "\nImport map (", r.import_map_size(), ")\n");
  TextTable map({"specifier", "module"});
  for (const ImportMapRecord& entry : r.import_map()) map.AddRow({entry.from(), entry.to()});
  absl::StrAppend(&out, map.Render("  "));
}

void RenderSizes(const InfoReport& r, std::string& out) {
  const std::string& builder = MessageToolNames().builder;
  absl::StrAppend(&out, "\nSize by extension (", builder, " --size-report)\n");
  if (!r.has_size_report()) {
    absl::StrAppend(&out, "  not recorded: rebuild with `", builder,
                    " --size-report` to see how many blob bytes each extension adds\n");
    return;
  }
  TextTable t({"extension", "blob bytes", "bytes", "share"},
              {TextTable::kLeft, TextTable::kRight, TextTable::kRight, TextTable::kRight});
  uint64_t total = r.blob().size();
  auto share = [&](int64_t bytes) {
    return total == 0 ? std::string() : absl::StrFormat("%.1f%%", 100.0 * bytes / total);
  };
  const SizeReport& sizes = r.size_report();
  t.AddRow({"(V8 baseline)", HumanSize(sizes.baseline_bytes()),
            GroupedNumber(sizes.baseline_bytes()), share(sizes.baseline_bytes())});
  for (const ExtensionSize& e : sizes.extensions()) {
    t.AddRow({e.extension(), HumanSize(e.bytes()), GroupedNumber(e.bytes()), share(e.bytes())});
  }
  t.AddRow({"total", HumanSize(total), GroupedNumber(total), ""});
  absl::StrAppend(&out, t.Render("  "));
}

}  // namespace

std::string ToJson(const google::protobuf::Message& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  // Only fails on messages with unresolvable Any fields; the reports have none.
  (void)google::protobuf::util::MessageToJsonString(report, &json, options);
  return json;
}

absl::StatusOr<InfoReport> BuildInfoReport(const std::string& blob_path) {
  const std::string sidecar_path = SidecarPathFor(blob_path);
  absl::StatusOr<std::string> sidecar_bytes = ReadFileToString(sidecar_path);
  if (absl::IsNotFound(sidecar_bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("no sidecar at '", sidecar_path, "': ", MessageToolNames().inspector,
                     " reads the pairs ", MessageToolNames().builder,
                     " writes (NAME.bin and NAME.bin.sidecar.pb); give the path of the blob. ",
                     sidecar_bytes.status().message()));
  }
  RETURN_IF_ERROR(sidecar_bytes.status());
  ASSIGN_OR_RETURN(Sidecar sidecar, DecodeSidecar(*sidecar_bytes, sidecar_path));
  // The header parser touches a few pages of the mapping; the hash reads it all once, in place
  // (hashing a copy read into a buffer costs twice as much: docs/inspect.md).
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> mapped, MappedFile::Open(blob_path));
  const absl::string_view blob = mapped->contents();
  ASSIGN_OR_RETURN(V8BlobHeader header, ParseBlobHeaderAt(blob, blob_path));
  ASSIGN_OR_RETURN(std::string actual_hash, mapped->Xxh3Hex());

  InfoReport report;
  report.set_blob_path(blob_path);
  BuildInfo* build = report.mutable_build();
  build->set_builder_version(sidecar.builder_version());
  build->set_v8_version(sidecar.v8_version());
  *build->mutable_v8_flags() = sidecar.v8_flags();
  build->set_code_cache(sidecar.code_cache());
  build->set_manifest_name(sidecar.manifest_name());
  build->set_manifest_digest(sidecar.manifest_digest());

  BlobSummary* info = report.mutable_blob();
  info->set_size(blob.size());
  info->set_xxh3_128(sidecar.blob().xxh3_128());
  info->set_recorded_size(sidecar.blob().size());
  info->set_matches_sidecar(blob.size() == sidecar.blob().size() &&
                            actual_hash == sidecar.blob().xxh3_128());

  V8Header* v8 = report.mutable_v8_header();
  v8->set_version(header.version);
  v8->set_num_contexts(header.num_contexts);
  v8->set_rehashable(header.rehashable);
  v8->set_checksum(absl::StrFormat("%08x", header.checksum));
  for (const V8BlobSection& s : header.sections) {
    BlobSection* section = v8->add_sections();
    section->set_name(s.name);
    section->set_offset(s.offset);
    section->set_size(s.size);
  }

  *report.mutable_extensions() = std::move(*sidecar.mutable_extensions());
  *report.mutable_ops() = std::move(*sidecar.mutable_layout()->mutable_ops());
  *report.mutable_external_references() =
      std::move(*sidecar.mutable_layout()->mutable_external_references());
  *report.mutable_modules() = std::move(*sidecar.mutable_modules());
  *report.mutable_import_map() = std::move(*sidecar.mutable_import_map());
  if (sidecar.size_report_size() > 0) {
    SizeReport* sizes = report.mutable_size_report();
    int64_t attributed = 0;
    for (const ExtensionSize& e : sidecar.size_report()) attributed += e.bytes();
    sizes->set_baseline_bytes(static_cast<int64_t>(blob.size()) - attributed);
    *sizes->mutable_extensions() = std::move(*sidecar.mutable_size_report());
  }
  return report;
}

void KeepInfoParts(const std::vector<std::string>& only, InfoReport* report) {
  if (only.empty()) return;
  if (!Shows(only, "build")) {
    report->clear_build();
    report->clear_blob();
  }
  if (!Shows(only, "sections")) report->clear_v8_header();
  if (!Shows(only, "extensions")) report->clear_extensions();
  if (!Shows(only, "ops")) report->clear_ops();
  if (!Shows(only, "refs")) report->clear_external_references();
  if (!Shows(only, "modules")) {
    report->clear_modules();
    report->clear_import_map();
  }
  if (!Shows(only, "sizes")) report->clear_size_report();
}

std::string RenderInfoText(const InfoReport& report, const std::vector<std::string>& only) {
  std::string out;
  if (Shows(only, "build")) RenderBuild(report, out);
  if (Shows(only, "sections")) RenderSections(report, out);
  if (Shows(only, "extensions")) RenderExtensions(report, out);
  if (Shows(only, "ops")) RenderOps(report, out);
  if (Shows(only, "refs")) RenderRefs(report, out);
  if (Shows(only, "modules")) RenderModules(report, out);
  if (Shows(only, "sizes")) RenderSizes(report, out);
  // A lone sub-view starts with the blank line that separates views; drop it.
  if (!out.empty() && out[0] == '\n') out.erase(0, 1);
  return out;
}

int RunInfo(const InfoOptions& options) {
  absl::StatusOr<InfoReport> report = BuildInfoReport(options.blob_path);
  if (!report.ok()) {
    PrintError(kTool, report.status());
    return kExitFailure;
  }
  // Kept before --only may clear the blob part.
  const BlobSummary blob = report->blob();
  std::string text;
  if (options.json) {
    KeepInfoParts(options.only, &*report);
    text = ToJson(*report);
  } else {
    text = RenderInfoText(*report, options.only);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!blob.matches_sidecar()) {
    // The report is still printed (it says what the sidecar records), but a pair that does not
    // match must fail a CI step that only looks at the exit code.
    std::fflush(stdout);
    PrintError(
        kTool,
        absl::StrCat(
            "snapshot blob '", options.blob_path, "' (", blob.size(),
            " bytes) does not match its sidecar '", SidecarPathFor(options.blob_path),
            "' (which records ", blob.recorded_size(), " bytes, XXH3-128 ", blob.xxh3_128(),
            "): they are not from the same build, or one was changed since. Rebuild both with ",
            MessageToolNames().builder, " or copy them together; `", MessageToolNames().inspector,
            " verify ", options.blob_path, "` runs every check."));
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace v8snap::inspect
