// Layout diffing: extensions by order, ops by name, external references by index.
#include "runtime/layout_diff.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace v8snap {
namespace {

std::string Quote(const std::string& s) { return absl::StrCat("'", s, "'"); }

std::string Signature(const OpRecord& op) {
  return absl::StrCat(op.is_async() ? "async" : "sync", ", arity ", op.arity());
}

std::string OpPlace(const OpRecord& op) {
  return absl::StrCat("id ", op.id(), " in extension '", op.extension(), "'");
}

void DiffExtensions(const Layout& a, const Layout& b, std::vector<LayoutChange>& out) {
  absl::flat_hash_set<std::string> in_a(a.extensions().begin(), a.extensions().end());
  absl::flat_hash_set<std::string> in_b(b.extensions().begin(), b.extensions().end());

  // Relative order of the extensions both sides have: the first place they disagree names the
  // culprit (the extension the old side expects there).
  std::vector<std::string> common_a, common_b;
  for (const auto& e : a.extensions()) {
    if (in_b.contains(e)) common_a.push_back(e);
  }
  for (const auto& e : b.extensions()) {
    if (in_a.contains(e)) common_b.push_back(e);
  }
  // The lists have equal length unless a side names an extension twice (a corrupt or hand-made
  // layout); then the first name past the shorter list is the culprit.
  const size_t common = std::min(common_a.size(), common_b.size());
  for (size_t i = 0; i < std::max(common_a.size(), common_b.size()); ++i) {
    if (i < common && common_a[i] == common_b[i]) continue;
    if (i >= common) {
      bool a_longer = common_a.size() > common_b.size();
      const std::string& name = a_longer ? common_a[i] : common_b[i];
      std::string twice = "named more than once";
      out.push_back({LayoutChange::Kind::kExtensionOrder, absl::StrCat("extension ", Quote(name)),
                     static_cast<int>(i), a_longer ? twice : "named once",
                     a_longer ? "named once" : twice});
      break;
    }
    int position = 0;
    while (a.extensions(position) != common_a[i]) ++position;
    int new_position = 0;
    while (b.extensions(new_position) != common_a[i]) ++new_position;
    out.push_back({LayoutChange::Kind::kExtensionOrder, absl::StrCat("extension ", Quote(common_a[i])),
                   position, absl::StrCat("position ", position),
                   absl::StrCat("position ", new_position, " (", Quote(common_b[i]),
                                " comes first)")});
    break;
  }
  for (int i = 0; i < a.extensions_size(); ++i) {
    if (!in_b.contains(a.extensions(i))) {
      out.push_back({LayoutChange::Kind::kExtensionRemoved,
                     absl::StrCat("extension ", Quote(a.extensions(i))), i,
                     absl::StrCat("position ", i), "absent"});
    }
  }
  for (int i = 0; i < b.extensions_size(); ++i) {
    if (!in_a.contains(b.extensions(i))) {
      out.push_back({LayoutChange::Kind::kExtensionAdded,
                     absl::StrCat("extension ", Quote(b.extensions(i))), i, "absent",
                     absl::StrCat("position ", i)});
    }
  }
}

void DiffOps(const Layout& a, const Layout& b, std::vector<LayoutChange>& out) {
  absl::flat_hash_map<std::string, const OpRecord*> a_by_name, b_by_name;
  absl::flat_hash_map<uint32_t, const OpRecord*> b_by_id;
  for (const auto& op : a.ops()) a_by_name[op.name()] = &op;
  for (const auto& op : b.ops()) {
    b_by_name[op.name()] = &op;
    b_by_id[op.id()] = &op;
  }
  absl::flat_hash_set<std::string> renamed_to;
  for (const OpRecord& op : a.ops()) {
    auto it = b_by_name.find(op.name());
    std::string subject = absl::StrCat("op ", Quote(op.name()));
    if (it == b_by_name.end()) {
      auto same_place = b_by_id.find(op.id());
      if (same_place != b_by_id.end() && same_place->second->extension() == op.extension() &&
          !a_by_name.contains(same_place->second->name())) {
        renamed_to.insert(same_place->second->name());
        out.push_back({LayoutChange::Kind::kOpRenamed, subject, static_cast<int>(op.id()),
                       Quote(op.name()), Quote(same_place->second->name())});
      } else {
        out.push_back({LayoutChange::Kind::kOpRemoved, subject, static_cast<int>(op.id()),
                       OpPlace(op), "absent"});
      }
      continue;
    }
    const OpRecord& other = *it->second;
    if (other.id() != op.id() || other.extension() != op.extension()) {
      out.push_back({LayoutChange::Kind::kOpMoved, subject, static_cast<int>(op.id()), OpPlace(op),
                     OpPlace(other)});
    }
    if (other.arity() != op.arity() || other.is_async() != op.is_async()) {
      out.push_back({LayoutChange::Kind::kOpSignature, subject, static_cast<int>(op.id()),
                     Signature(op), Signature(other)});
    }
  }
  for (const OpRecord& op : b.ops()) {
    if (a_by_name.contains(op.name()) || renamed_to.contains(op.name())) continue;
    out.push_back({LayoutChange::Kind::kOpAdded, absl::StrCat("op ", Quote(op.name())),
                   static_cast<int>(op.id()), "absent", OpPlace(op)});
  }
}

std::string DescribeReference(const ExternalReferenceRecord& r) {
  return absl::StrCat(Quote(r.name()), " (", ExternalReferenceRecord::Kind_Name(r.kind()), ")");
}

void DiffReferences(const Layout& a, const Layout& b, std::vector<LayoutChange>& out) {
  int n = std::max(a.external_references_size(), b.external_references_size());
  for (int i = 0; i < n; ++i) {
    bool has_a = i < a.external_references_size();
    bool has_b = i < b.external_references_size();
    std::string old_value = has_a ? DescribeReference(a.external_references(i)) : "absent";
    std::string new_value = has_b ? DescribeReference(b.external_references(i)) : "absent";
    if (old_value == new_value) continue;
    out.push_back({LayoutChange::Kind::kReferenceChanged,
                   absl::StrCat("external reference #", i), i, old_value, new_value});
  }
}

}  // namespace

const char* LayoutChangeKindName(LayoutChange::Kind kind) {
  switch (kind) {
    case LayoutChange::Kind::kExtensionOrder: return "extension order";
    case LayoutChange::Kind::kExtensionRemoved: return "extension removed";
    case LayoutChange::Kind::kExtensionAdded: return "extension added";
    case LayoutChange::Kind::kOpRemoved: return "op removed";
    case LayoutChange::Kind::kOpAdded: return "op added";
    case LayoutChange::Kind::kOpRenamed: return "op renamed";
    case LayoutChange::Kind::kOpMoved: return "op moved";
    case LayoutChange::Kind::kOpSignature: return "op signature";
    case LayoutChange::Kind::kReferenceChanged: return "external reference";
  }
  return "change";
}

std::string LayoutChange::Describe(const std::string& old_label,
                                   const std::string& new_label) const {
  switch (kind) {
    case Kind::kExtensionOrder:
      return absl::StrCat(subject, " is out of order: ", old_value, " in ", old_label, ", ",
                          new_value, " in ", new_label);
    case Kind::kExtensionRemoved:
      return absl::StrCat(subject, " (", old_value, " in ", old_label, ") is missing from ",
                          new_label);
    case Kind::kExtensionAdded:
      return absl::StrCat(subject, " (", new_value, " in ", new_label, ") is not in ", old_label);
    case Kind::kOpRemoved:
      return absl::StrCat(subject, " (", old_value, " in ", old_label, ") is missing from ",
                          new_label);
    case Kind::kOpAdded:
      return absl::StrCat(subject, " (", new_value, " in ", new_label, ") is not in ", old_label);
    case Kind::kOpRenamed:
      return absl::StrCat("op at id ", position, " is named ", old_value, " in ", old_label,
                          " but ", new_value, " in ", new_label);
    case Kind::kOpMoved:
      return absl::StrCat(subject, " moved: ", old_value, " in ", old_label, ", ", new_value,
                          " in ", new_label);
    case Kind::kOpSignature:
      return absl::StrCat(subject, " changed signature: ", old_value, " in ", old_label, ", ",
                          new_value, " in ", new_label);
    case Kind::kReferenceChanged:
      return absl::StrCat(subject, " differs: ", old_value, " in ", old_label, ", ", new_value,
                          " in ", new_label);
  }
  return subject;
}

std::vector<LayoutChange> DiffLayouts(const Layout& old_layout, const Layout& new_layout) {
  std::vector<LayoutChange> changes;
  DiffExtensions(old_layout, new_layout, changes);
  DiffOps(old_layout, new_layout, changes);
  // Reference differences are the consequence of op changes when there are any; report the
  // table itself only when it is the sole difference (e.g. a reference renamed or re-kinded).
  if (changes.empty()) DiffReferences(old_layout, new_layout, changes);
  return changes;
}

}  // namespace v8snap
