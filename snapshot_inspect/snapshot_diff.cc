// Sidecar-level snapshot diff: each field of the sidecar is compared once, through hash maps, and
// classified; the layout part is DiffLayouts' result as is.
#include "snapshot_inspect/snapshot_diff.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "snapshot_inspect/human_size.h"

namespace v8snap::inspect {
namespace {

constexpr char kOld[] = "old";
constexpr char kNew[] = "new";

std::string Quote(const std::string& s) { return absl::StrCat("'", s, "'"); }

class ChangeList {
 public:
  void Add(Severity severity, const char* category, const char* kind, std::string subject,
           std::string old_value, std::string new_value, std::string description) {
    Change change;
    change.set_severity(SeverityName(severity));
    change.set_category(category);
    change.set_kind(kind);
    change.set_subject(std::move(subject));
    change.set_old_value(std::move(old_value));
    change.set_new_value(std::move(new_value));
    change.set_description(std::move(description));
    (severity == Severity::kBreaking ? breaking_ : compatible_).push_back(std::move(change));
    highest_ = std::max(highest_, severity);
  }

  // "subject changed: old → new" for the common case of one value on each side.
  void AddValue(Severity severity, const char* category, const char* kind, std::string subject,
                std::string old_value, std::string new_value) {
    std::string description =
        absl::StrCat(subject, ": ", old_value, " (old) → ", new_value, " (new)");
    Add(severity, category, kind, std::move(subject), std::move(old_value), std::move(new_value),
        std::move(description));
  }

  size_t compatible_count() const { return compatible_.size(); }

  void MoveInto(DiffReport* report) {
    for (Change& c : breaking_) *report->add_changes() = std::move(c);
    for (Change& c : compatible_) *report->add_changes() = std::move(c);
    report->set_severity(SeverityName(highest_));
  }

 private:
  std::vector<Change> breaking_, compatible_;
  Severity highest_ = Severity::kNone;
};

void DiffV8(const Sidecar& a, const Sidecar& b, ChangeList& changes) {
  if (a.v8_version() != b.v8_version()) {
    changes.AddValue(Severity::kBreaking, "v8", "v8 version", "V8 version", a.v8_version(),
                     b.v8_version());
  }
  if (!std::equal(a.v8_flags().begin(), a.v8_flags().end(), b.v8_flags().begin(),
                  b.v8_flags().end())) {
    changes.AddValue(Severity::kBreaking, "v8", "v8 flags", "V8 flags",
                     absl::StrJoin(a.v8_flags(), " "), absl::StrJoin(b.v8_flags(), " "));
  }
}

void AddOpChange(const OpRecord* old_op, const OpRecord* new_op, const char* change,
                 DiffReport* report) {
  OpChange* row = report->add_ops();
  const OpRecord* named = old_op != nullptr ? old_op : new_op;
  row->set_name(named->name());
  row->set_extension(new_op != nullptr ? new_op->extension() : old_op->extension());
  row->set_old_id(old_op != nullptr ? static_cast<int32_t>(old_op->id()) : -1);
  row->set_new_id(new_op != nullptr ? static_cast<int32_t>(new_op->id()) : -1);
  row->set_change(change);
  if (old_op != nullptr && new_op != nullptr && old_op->name() != new_op->name()) {
    row->set_new_name(new_op->name());
  }
}

// DiffLayouts' changes become breaking changes; its op entries also become op-table rows with
// the ids of both sides (looked up by id and name, which DiffLayouts' positions refer to).
// Returns whether the layouts differ.
bool DiffLayout(const Layout& a, const Layout& b, ChangeList& changes, DiffReport* report) {
  std::vector<LayoutChange> layout_changes = DiffLayouts(a, b);
  if (layout_changes.empty()) return false;
  absl::flat_hash_map<uint32_t, const OpRecord*> a_by_id, b_by_id;
  absl::flat_hash_map<std::string, const OpRecord*> b_by_name;
  for (const OpRecord& op : a.ops()) a_by_id[op.id()] = &op;
  for (const OpRecord& op : b.ops()) {
    b_by_id[op.id()] = &op;
    b_by_name[op.name()] = &op;
  }
  auto find = [](const auto& map, const auto& key) -> const OpRecord* {
    auto it = map.find(key);
    return it == map.end() ? nullptr : it->second;
  };
  for (const LayoutChange& change : layout_changes) {
    changes.Add(Severity::kBreaking, "layout", LayoutChangeKindName(change.kind), change.subject,
                change.old_value, change.new_value, change.Describe(kOld, kNew));
    const auto position = static_cast<uint32_t>(change.position);
    const OpRecord* old_op = find(a_by_id, position);
    switch (change.kind) {
      case LayoutChange::Kind::kOpAdded:
        if (const OpRecord* op = find(b_by_id, position)) AddOpChange(nullptr, op, "added", report);
        break;
      case LayoutChange::Kind::kOpRemoved:
        if (old_op) AddOpChange(old_op, nullptr, "removed", report);
        break;
      case LayoutChange::Kind::kOpRenamed:
        if (old_op) AddOpChange(old_op, find(b_by_id, position), "renamed", report);
        break;
      case LayoutChange::Kind::kOpMoved:
        if (old_op) AddOpChange(old_op, find(b_by_name, old_op->name()), "moved", report);
        break;
      case LayoutChange::Kind::kOpSignature:
        if (old_op) AddOpChange(old_op, find(b_by_name, old_op->name()), "signature", report);
        break;
      default:
        break;
    }
  }
  return true;
}

void DiffBuild(const Sidecar& a, const Sidecar& b, ChangeList& changes) {
  if (a.builder_version() != b.builder_version()) {
    changes.AddValue(Severity::kCompatible, "build", "builder version", "builder version",
                     a.builder_version(), b.builder_version());
  }
  if (a.code_cache() != b.code_cache()) {
    changes.AddValue(Severity::kCompatible, "build", "code cache", "code cache", a.code_cache(),
                     b.code_cache());
  }
  if (a.manifest_name() != b.manifest_name()) {
    changes.AddValue(Severity::kCompatible, "build", "manifest name", "manifest name",
                     a.manifest_name(), b.manifest_name());
  }
}

std::string DescribeSource(const SourceRecord& s) {
  return absl::StrCat(SourceRecord::Kind_Name(s.kind()), ", ", HumanSize(s.size()), ", ",
                      s.xxh3_128().substr(0, 8));
}

// Extensions present on both sides: deps, flags and sources. (Extensions added, removed or
// reordered are layout changes.)
void DiffExtensions(const Sidecar& a, const Sidecar& b, ChangeList& changes) {
  absl::flat_hash_map<std::string, const ExtensionRecord*> a_by_name;
  for (const ExtensionRecord& e : a.extensions()) a_by_name.emplace(e.name(), &e);
  for (const ExtensionRecord& nb : b.extensions()) {
    auto found = a_by_name.find(nb.name());
    if (found == a_by_name.end()) continue;
    const ExtensionRecord& na = *found->second;
    const std::string ext = Quote(nb.name());
    if (!std::equal(na.deps().begin(), na.deps().end(), nb.deps().begin(), nb.deps().end())) {
      changes.AddValue(Severity::kCompatible, "extensions", "extension deps",
                       absl::StrCat("deps of extension ", ext), absl::StrJoin(na.deps(), ", "),
                       absl::StrJoin(nb.deps(), ", "));
    }
    if (na.enabled() != nb.enabled()) {
      changes.AddValue(Severity::kCompatible, "extensions", "extension enabled",
                       absl::StrCat("extension ", ext), na.enabled() ? "enabled" : "disabled",
                       nb.enabled() ? "enabled" : "disabled");
    }
    if (na.native() != nb.native()) {
      changes.AddValue(Severity::kCompatible, "extensions", "extension native",
                       absl::StrCat("extension ", ext), na.native() ? "native" : "JS-only",
                       nb.native() ? "native" : "JS-only");
    }

    absl::flat_hash_map<std::string, const SourceRecord*> a_sources;
    for (const SourceRecord& s : na.sources()) a_sources.emplace(s.path(), &s);
    absl::flat_hash_set<std::string> b_paths;
    for (const SourceRecord& sb : nb.sources()) {
      b_paths.insert(sb.path());
      std::string subject = absl::StrCat(nb.name(), ": ", sb.path());
      auto old_source = a_sources.find(sb.path());
      if (old_source == a_sources.end()) {
        changes.Add(Severity::kCompatible, "sources", "source added", subject, "absent",
                    DescribeSource(sb), absl::StrCat(subject, " added (", DescribeSource(sb), ")"));
        continue;
      }
      const SourceRecord& sa = *old_source->second;
      if (sa.kind() != sb.kind()) {
        changes.AddValue(Severity::kCompatible, "sources", "source kind changed", subject,
                         SourceRecord::Kind_Name(sa.kind()), SourceRecord::Kind_Name(sb.kind()));
      }
      if (sa.xxh3_128() != sb.xxh3_128() || sa.size() != sb.size()) {
        changes.Add(
            Severity::kCompatible, "sources", "source changed", subject, DescribeSource(sa),
            DescribeSource(sb),
            absl::StrCat(
                subject, " changed: ", HumanSize(sa.size()), " → ", HumanSize(sb.size()), " (",
                HumanDelta(static_cast<int64_t>(sb.size()) - static_cast<int64_t>(sa.size())),
                ")"));
      }
    }
    for (const SourceRecord& sa : na.sources()) {
      if (b_paths.contains(sa.path())) continue;
      std::string subject = absl::StrCat(na.name(), ": ", sa.path());
      changes.Add(Severity::kCompatible, "sources", "source removed", subject, DescribeSource(sa),
                  "absent", absl::StrCat(subject, " removed"));
    }
  }
}

std::string DescribeModule(const ModuleRecord& m) {
  return absl::StrCat("extension '", m.extension(), "', ", m.lazy() ? "lazy" : "evaluated",
                      ", data index ", m.data_index());
}

void DiffModules(const Sidecar& a, const Sidecar& b, ChangeList& changes) {
  absl::flat_hash_map<std::string, const ModuleRecord*> a_by_specifier;
  for (const ModuleRecord& m : a.modules()) a_by_specifier.emplace(m.specifier(), &m);
  absl::flat_hash_set<std::string> in_b;
  for (const ModuleRecord& mb : b.modules()) {
    in_b.insert(mb.specifier());
    auto found = a_by_specifier.find(mb.specifier());
    if (found == a_by_specifier.end()) {
      changes.Add(Severity::kCompatible, "modules", "module added",
                  absl::StrCat("module ", mb.specifier()), "absent", DescribeModule(mb),
                  absl::StrCat("module ", mb.specifier(), " added (", DescribeModule(mb), ")"));
      continue;
    }
    const ModuleRecord& ma = *found->second;
    if (ma.extension() != mb.extension() || ma.lazy() != mb.lazy() ||
        ma.data_index() != mb.data_index()) {
      changes.AddValue(Severity::kCompatible, "modules", "module changed",
                       absl::StrCat("module ", mb.specifier()), DescribeModule(ma),
                       DescribeModule(mb));
    }
  }
  for (const ModuleRecord& ma : a.modules()) {
    if (in_b.contains(ma.specifier())) continue;
    changes.Add(Severity::kCompatible, "modules", "module removed",
                absl::StrCat("module ", ma.specifier()), DescribeModule(ma), "absent",
                absl::StrCat("module ", ma.specifier(), " removed"));
  }
}

// "export 'Slugger' of ext:marked/marked.js" or "global 'greet"; with a kind,
// "export 'Slugger' (class) of ext:marked/marked.js".
std::string ApiSubject(const char* what, const ApiName& name, const std::string& module,
                       const std::string& kind = "") {
  std::string subject = absl::StrCat(what, " ", Quote(name.name()));
  if (!kind.empty()) absl::StrAppend(&subject, " (", kind, ")");
  if (!module.empty()) absl::StrAppend(&subject, " of ", module);
  return subject;
}

// The change kinds of one kind of API name ("export" or "global").
struct ApiKinds {
  const char* what;
  const char* added;
  const char* removed;
  const char* kind_changed;
};
constexpr ApiKinds kExportKinds{"export", "export added", "export removed", "export kind changed"};
constexpr ApiKinds kGlobalKinds{"global", "global added", "global removed", "global kind changed"};

// Names on both sides: a removal or a kind change breaks whoever uses the name; an addition
// breaks no one. Both lists are sorted by name (the builder sorts them): one merge pass.
void DiffApiNames(const google::protobuf::RepeatedPtrField<ApiName>& a,
                  const google::protobuf::RepeatedPtrField<ApiName>& b, const ApiKinds& kinds,
                  const std::string& module, ChangeList& changes) {
  const char* what = kinds.what;
  int i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].name() < b[j].name())) {
      const ApiName& gone = a[i++];
      std::string subject = ApiSubject(what, gone, module);
      changes.Add(Severity::kBreaking, "api", kinds.removed, subject, gone.kind(), "absent",
                  absl::StrCat(ApiSubject(what, gone, module, gone.kind()), " removed"));
    } else if (i == a.size() || b[j].name() < a[i].name()) {
      const ApiName& fresh = b[j++];
      std::string subject = ApiSubject(what, fresh, module);
      changes.Add(Severity::kCompatible, "api", kinds.added, subject, "absent", fresh.kind(),
                  absl::StrCat(ApiSubject(what, fresh, module, fresh.kind()), " added"));
    } else {
      const ApiName& before = a[i++];
      const ApiName& after = b[j++];
      if (before.kind() == after.kind()) continue;
      std::string subject = ApiSubject(what, after, module);
      changes.Add(Severity::kBreaking, "api", kinds.kind_changed, subject, before.kind(),
                  after.kind(),
                  absl::StrCat(subject, " changed kind: ", before.kind(), " → ", after.kind()));
    }
  }
}

bool InModules(const Sidecar& sidecar, const std::string& specifier) {
  for (const ModuleRecord& m : sidecar.modules()) {
    if (m.specifier() == specifier) return true;
  }
  return false;
}

// The API surfaces (module exports and the globals the extensions added) recorded by the
// builder. They name no V8 built-in, so two snapshots of different V8 versions compare too.
// Returns false when a side was built before the builder recorded them.
bool DiffApiSurface(const Sidecar& a, const Sidecar& b, ChangeList& changes) {
  if (!a.has_api_surface() || !b.has_api_surface()) return false;
  absl::flat_hash_map<std::string, const ModuleExports*> b_modules;
  for (const ModuleExports& m : b.api_surface().modules()) b_modules.emplace(m.specifier(), &m);
  for (const ModuleExports& ma : a.api_surface().modules()) {
    auto found = b_modules.find(ma.specifier());
    if (found != b_modules.end()) {
      DiffApiNames(ma.exports(), found->second->exports(), kExportKinds, ma.specifier(), changes);
    } else if (!ma.exports().empty() && !InModules(b, ma.specifier())) {
      // (A module still in `b` but not evaluated there is lazy: its exports are unknown.)
      std::vector<std::string> names;
      for (const ApiName& e : ma.exports()) names.push_back(e.name());
      std::string subject = absl::StrCat("module ", ma.specifier());
      changes.Add(Severity::kBreaking, "api", "exports removed", subject,
                  absl::StrJoin(names, ", "), "absent",
                  absl::StrCat(subject, " is gone, and with it its ", names.size(), " export",
                               names.size() == 1 ? "" : "s", ": ", absl::StrJoin(names, ", ")));
    }
  }
  DiffApiNames(a.api_surface().globals(), b.api_surface().globals(), kGlobalKinds, "", changes);
  return true;
}

SizeDelta MakeDelta(const std::string& name, int64_t old_bytes, int64_t new_bytes) {
  SizeDelta d;
  d.set_name(name);
  d.set_old_bytes(old_bytes);
  d.set_new_bytes(new_bytes);
  d.set_delta((new_bytes < 0 ? 0 : new_bytes) - (old_bytes < 0 ? 0 : old_bytes));
  return d;
}

// Rows for names of both sides: the old side's order, then names only the new side has.
template <typename Named>
void AddSizeRows(const std::vector<Named>& a, const std::vector<Named>& b,
                 google::protobuf::RepeatedPtrField<SizeDelta>* out) {
  absl::flat_hash_map<std::string, int64_t> b_bytes;
  for (const Named& n : b) b_bytes.emplace(n.first, n.second);
  absl::flat_hash_set<std::string> in_a;
  for (const Named& n : a) {
    in_a.insert(n.first);
    auto found = b_bytes.find(n.first);
    *out->Add() = MakeDelta(n.first, n.second, found == b_bytes.end() ? -1 : found->second);
  }
  for (const Named& n : b) {
    if (!in_a.contains(n.first)) *out->Add() = MakeDelta(n.first, -1, n.second);
  }
}

using NamedSizes = std::vector<std::pair<std::string, int64_t>>;

NamedSizes SectionSizes(const SnapshotSide& side) {
  NamedSizes sizes;
  if (side.header) {
    for (const V8BlobSection& s : side.header->sections) {
      sizes.emplace_back(s.name, static_cast<int64_t>(s.size));
    }
  }
  return sizes;
}

NamedSizes ExtensionSizes(const Sidecar& sidecar) {
  NamedSizes sizes;
  for (const ExtensionSize& e : sidecar.size_report()) sizes.emplace_back(e.extension(), e.bytes());
  return sizes;
}

void DiffBlob(const SnapshotSide& a, const SnapshotSide& b, ChangeList& changes,
              DiffReport* report) {
  const BlobInfo& ba = a.sidecar.blob();
  const BlobInfo& bb = b.sidecar.blob();
  if (ba.xxh3_128() != bb.xxh3_128() || ba.size() != bb.size()) {
    int64_t delta = static_cast<int64_t>(bb.size()) - static_cast<int64_t>(ba.size());
    changes.Add(
        Severity::kCompatible, "blob", "blob changed", "blob",
        absl::StrCat(ba.size(), " bytes, ", ba.xxh3_128()),
        absl::StrCat(bb.size(), " bytes, ", bb.xxh3_128()),
        absl::StrCat("blob ", delta == 0 ? "contents changed, same size: " : "size changed: ",
                     HumanSize(ba.size()), " → ", HumanSize(bb.size()), " (", HumanDelta(delta),
                     ")"));
  }
  AddSizeRows(SectionSizes(a), SectionSizes(b), report->mutable_sections());
  if (!report->sections().empty()) {
    *report->add_sections() = MakeDelta("total", ba.size(), bb.size());
  }
  if (a.sidecar.size_report_size() > 0 || b.sidecar.size_report_size() > 0) {
    AddSizeRows(ExtensionSizes(a.sidecar), ExtensionSizes(b.sidecar), report->mutable_extensions());
  }
}

}  // namespace

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNone:
      return "none";
    case Severity::kCompatible:
      return "compatible";
    case Severity::kBreaking:
      return "breaking";
  }
  return "none";
}

std::optional<Severity> ParseSeverity(absl::string_view name) {
  for (Severity s : {Severity::kNone, Severity::kCompatible, Severity::kBreaking}) {
    if (name == SeverityName(s)) return s;
  }
  return std::nullopt;
}

LayoutChangeRecord ToRecord(const LayoutChange& change, const std::string& old_label,
                            const std::string& new_label) {
  LayoutChangeRecord record;
  record.set_kind(LayoutChangeKindName(change.kind));
  record.set_subject(change.subject);
  record.set_position(change.position);
  record.set_old_value(change.old_value);
  record.set_new_value(change.new_value);
  record.set_description(change.Describe(old_label, new_label));
  return record;
}

DiffReport DiffSnapshots(const SnapshotSide& old_side, const SnapshotSide& new_side) {
  DiffReport report;
  report.set_old_path(old_side.path);
  report.set_new_path(new_side.path);
  const Sidecar& a = old_side.sidecar;
  const Sidecar& b = new_side.sidecar;
  ChangeList changes;
  DiffV8(a, b, changes);
  bool layout_changed = DiffLayout(a.layout(), b.layout(), changes, &report);
  DiffBuild(a, b, changes);
  size_t before_extensions = changes.compatible_count();
  DiffExtensions(a, b, changes);
  // The digest covers the manifest's text and every source: report it only when nothing else
  // explains it (a comment or formatting change).
  bool explained = layout_changed || changes.compatible_count() > before_extensions ||
                   a.manifest_name() != b.manifest_name();
  if (a.manifest_digest() != b.manifest_digest() && !explained) {
    changes.Add(
        Severity::kCompatible, "sources", "manifest changed", "manifest digest",
        a.manifest_digest(), b.manifest_digest(),
        absl::StrCat("manifest text changed (comments, formatting or field order): "
                     "digest ",
                     a.manifest_digest().substr(0, 8), " → ", b.manifest_digest().substr(0, 8)));
  }
  DiffModules(a, b, changes);
  report.set_api_compared(DiffApiSurface(a, b, changes));
  DiffBlob(old_side, new_side, changes, &report);
  changes.MoveInto(&report);
  return report;
}

void ApplyFailOn(Severity fail_on, DiffReport* report) {
  report->set_fail_on(SeverityName(fail_on));
  Severity found = ParseSeverity(report->severity()).value_or(Severity::kNone);
  report->set_fails(fail_on != Severity::kNone && found != Severity::kNone && found >= fail_on);
}

}  // namespace v8snap::inspect
