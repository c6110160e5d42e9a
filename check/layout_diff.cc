// Layout diffing: extensions by order, ops by name, external references by index.
#include "check/layout_diff.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace v8snap {
namespace {

// Names come from a sidecar, which may be crafted: non-printable bytes are shown as \xNN so a
// message cannot carry terminal escapes.
std::string Quote(absl::string_view s) {
  // The common case, a plain name, skips the escaper (a diff of 10,000 moved ops quotes 30,000).
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return c >= 0x20 && c < 0x7f && c != '\'' && c != '"' && c != '\\';
  });
  return absl::StrCat("'", plain ? s : absl::CHexEscape(s), "'");
}

std::string Signature(const OpRecord& op) {
  return absl::StrCat(op.is_async() ? "async" : "sync", ", arity ", op.arity());
}

std::string OpPlace(const OpRecord& op) {
  return absl::StrCat("id ", op.id(), " in extension ", Quote(op.extension()));
}

std::string DescribeReference(const ExternalReferenceRecord& r) {
  return absl::StrCat(Quote(r.name()), " (", ExternalReferenceRecord::Kind_Name(r.kind()), ")");
}

// "#3 'console.op_console_write' (OP_CALLBACK)": an op's external_reference_indexes and what
// they point at, for the reader.
std::string DescribeOpReferences(const Layout& layout, const OpRecord& op) {
  std::vector<std::string> parts;
  for (uint32_t index : op.external_reference_indexes()) {
    parts.push_back(absl::StrCat("#", index, " ",
                                 index < static_cast<uint32_t>(layout.external_references_size())
                                     ? DescribeReference(layout.external_references(index))
                                     : "no such reference"));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

// Problems inside one layout that make an entry-by-entry comparison meaningless: an entry listed
// twice, or records that contradict each other. The builder's ComputeLayout never produces them;
// a hand-made or tampered sidecar (with a recomputed checksum) can. Each problem names its entry;
// `old_side` says whether the problem goes in old_value or new_value.
void FindMalformed(const Layout& layout, bool old_side, std::vector<LayoutChange>& out) {
  auto add = [&](std::string subject, int position, std::string problem) {
    LayoutChange change{LayoutChange::Kind::kMalformed, std::move(subject), position, "", ""};
    (old_side ? change.old_value : change.new_value) = std::move(problem);
    out.push_back(std::move(change));
  };
  // The maps point into `layout`, which outlives them; names are only quoted (and escaped) for
  // a problem found, so a well-formed layout costs no string building.
  absl::flat_hash_map<absl::string_view, int> extension_at;
  extension_at.reserve(layout.extensions_size());
  for (int i = 0; i < layout.extensions_size(); ++i) {
    auto [first, fresh] = extension_at.emplace(layout.extensions(i), i);
    if (!fresh) {
      add(absl::StrCat("extension ", Quote(layout.extensions(i))), i,
          absl::StrCat("is listed twice (positions ", first->second, " and ", i, ")"));
    }
  }
  const int references = layout.external_references_size();
  absl::flat_hash_map<absl::string_view, int> reference_at;
  reference_at.reserve(references);
  for (int i = 0; i < references; ++i) {
    const ExternalReferenceRecord& r = layout.external_references(i);
    if (r.index() != static_cast<uint32_t>(i)) {
      add(absl::StrCat("external reference ", Quote(r.name())), i,
          absl::StrCat("records index ", r.index(), " at position ", i));
    }
    auto [first, fresh] = reference_at.emplace(r.name(), i);
    if (!fresh) {
      add(absl::StrCat("external reference ", Quote(r.name())), i,
          absl::StrCat("is listed twice (#", first->second, " and #", i, ")"));
    }
  }
  absl::flat_hash_map<absl::string_view, uint32_t> op_id_by_name;
  absl::flat_hash_map<uint32_t, absl::string_view> op_name_by_id;
  op_id_by_name.reserve(layout.ops_size());
  op_name_by_id.reserve(layout.ops_size());
  // Which op uses each reference (-1: none yet).
  std::vector<int> reference_user(static_cast<size_t>(references), -1);
  for (int i = 0; i < layout.ops_size(); ++i) {
    const OpRecord& op = layout.ops(i);
    auto subject = [&op] { return absl::StrCat("op ", Quote(op.name())); };
    auto [same_name, fresh_name] = op_id_by_name.emplace(op.name(), op.id());
    if (!fresh_name) {
      add(subject(), static_cast<int>(op.id()),
          absl::StrCat("is listed twice (ids ", same_name->second, " and ", op.id(), ")"));
      continue;
    }
    auto [same_id, fresh_id] = op_name_by_id.emplace(op.id(), op.name());
    if (!fresh_id) {
      add(subject(), static_cast<int>(op.id()),
          absl::StrCat("has id ", op.id(), ", which op ", Quote(same_id->second), " already has"));
    }
    if (!extension_at.contains(op.extension())) {
      add(subject(), static_cast<int>(op.id()),
          absl::StrCat("belongs to extension ", Quote(op.extension()),
                       ", which the layout does not list"));
    }
    for (uint32_t index : op.external_reference_indexes()) {
      if (index >= static_cast<uint32_t>(references)) {
        add(subject(), static_cast<int>(op.id()),
            absl::StrCat("uses external reference #", index, ", but the table has ", references,
                         " entries"));
      } else if (reference_user[index] == i) {
        add(subject(), static_cast<int>(op.id()),
            absl::StrCat("lists external reference #", index, " twice"));
      } else if (reference_user[index] >= 0) {
        add(subject(), static_cast<int>(op.id()),
            absl::StrCat("uses external reference #", index, " (",
                         DescribeReference(layout.external_references(index)), "), which op ",
                         Quote(layout.ops(reference_user[index]).name()), " already uses"));
      } else {
        reference_user[index] = i;
      }
    }
  }
}

void DiffExtensions(const Layout& a, const Layout& b, std::vector<LayoutChange>& out) {
  absl::flat_hash_set<absl::string_view> in_a(a.extensions().begin(), a.extensions().end());
  absl::flat_hash_set<absl::string_view> in_b(b.extensions().begin(), b.extensions().end());

  // Relative order of the extensions both sides have: the first place they disagree names the
  // culprit (the extension the old side expects there).
  std::vector<absl::string_view> common_a, common_b;
  for (const auto& e : a.extensions()) {
    if (in_b.contains(e)) common_a.push_back(e);
  }
  for (const auto& e : b.extensions()) {
    if (in_a.contains(e)) common_b.push_back(e);
  }
  // FindMalformed ran first, so neither side names an extension twice: the two lists hold the
  // same names and have the same length.
  for (size_t i = 0; i < common_a.size(); ++i) {
    if (common_a[i] == common_b[i]) continue;
    int position = 0;
    while (a.extensions(position) != common_a[i]) ++position;
    int new_position = 0;
    while (b.extensions(new_position) != common_a[i]) ++new_position;
    out.push_back(
        {LayoutChange::Kind::kExtensionOrder, absl::StrCat("extension ", Quote(common_a[i])),
         position, absl::StrCat("position ", position),
         absl::StrCat("position ", new_position, " (", Quote(common_b[i]), " comes first)")});
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
  absl::flat_hash_map<absl::string_view, const OpRecord*> a_by_name, b_by_name;
  absl::flat_hash_map<uint32_t, const OpRecord*> b_by_id;
  a_by_name.reserve(a.ops_size());
  b_by_name.reserve(b.ops_size());
  b_by_id.reserve(b.ops_size());
  for (const auto& op : a.ops()) a_by_name[op.name()] = &op;
  for (const auto& op : b.ops()) {
    b_by_name[op.name()] = &op;
    b_by_id[op.id()] = &op;
  }
  absl::flat_hash_set<absl::string_view> renamed_to;
  for (const OpRecord& op : a.ops()) {
    auto it = b_by_name.find(op.name());
    auto subject = [&op] { return absl::StrCat("op ", Quote(op.name())); };
    if (it == b_by_name.end()) {
      auto same_place = b_by_id.find(op.id());
      if (same_place != b_by_id.end() && same_place->second->extension() == op.extension() &&
          !a_by_name.contains(same_place->second->name())) {
        renamed_to.insert(same_place->second->name());
        out.push_back({LayoutChange::Kind::kOpRenamed, subject(), static_cast<int>(op.id()),
                       Quote(op.name()), Quote(same_place->second->name())});
      } else {
        out.push_back({LayoutChange::Kind::kOpRemoved, subject(), static_cast<int>(op.id()),
                       OpPlace(op), "absent"});
      }
      continue;
    }
    const OpRecord& other = *it->second;
    if (other.id() != op.id() || other.extension() != op.extension()) {
      out.push_back({LayoutChange::Kind::kOpMoved, subject(), static_cast<int>(op.id()),
                     OpPlace(op), OpPlace(other)});
    }
    if (other.arity() != op.arity() || other.is_async() != op.is_async()) {
      out.push_back({LayoutChange::Kind::kOpSignature, subject(), static_cast<int>(op.id()),
                     Signature(op), Signature(other)});
    }
    // Compared for an op at the same place only: an op that moved has its references at other
    // indexes too, which kOpMoved reports (and relinking allows, matching references by name).
    // The same indexes pointing at other references are a table change (DiffReferences).
    const bool same_place = other.id() == op.id() && other.extension() == op.extension();
    if (same_place &&
        !std::equal(op.external_reference_indexes().begin(), op.external_reference_indexes().end(),
                    other.external_reference_indexes().begin(),
                    other.external_reference_indexes().end())) {
      out.push_back({LayoutChange::Kind::kOpReferences, subject(), static_cast<int>(op.id()),
                     DescribeOpReferences(a, op), DescribeOpReferences(b, other)});
    }
  }
  for (const OpRecord& op : b.ops()) {
    if (a_by_name.contains(op.name()) || renamed_to.contains(op.name())) continue;
    out.push_back({LayoutChange::Kind::kOpAdded, absl::StrCat("op ", Quote(op.name())),
                   static_cast<int>(op.id()), "absent", OpPlace(op)});
  }
}

void DiffReferences(const Layout& a, const Layout& b, std::vector<LayoutChange>& out) {
  int n = std::max(a.external_references_size(), b.external_references_size());
  for (int i = 0; i < n; ++i) {
    bool has_a = i < a.external_references_size();
    bool has_b = i < b.external_references_size();
    if (has_a && has_b && a.external_references(i).name() == b.external_references(i).name() &&
        a.external_references(i).kind() == b.external_references(i).kind()) {
      continue;
    }
    out.push_back({LayoutChange::Kind::kReferenceChanged, absl::StrCat("external reference #", i),
                   i, has_a ? DescribeReference(a.external_references(i)) : "absent",
                   has_b ? DescribeReference(b.external_references(i)) : "absent"});
  }
}

}  // namespace

const char* LayoutChangeKindName(LayoutChange::Kind kind) {
  switch (kind) {
    case LayoutChange::Kind::kExtensionOrder:
      return "extension order";
    case LayoutChange::Kind::kExtensionRemoved:
      return "extension removed";
    case LayoutChange::Kind::kExtensionAdded:
      return "extension added";
    case LayoutChange::Kind::kOpRemoved:
      return "op removed";
    case LayoutChange::Kind::kOpAdded:
      return "op added";
    case LayoutChange::Kind::kOpRenamed:
      return "op renamed";
    case LayoutChange::Kind::kOpMoved:
      return "op moved";
    case LayoutChange::Kind::kOpSignature:
      return "op signature";
    case LayoutChange::Kind::kReferenceChanged:
      return "external reference";
    case LayoutChange::Kind::kOpReferences:
      return "op references";
    case LayoutChange::Kind::kMalformed:
      return "malformed layout";
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
    case Kind::kOpReferences:
      return absl::StrCat(subject, " uses other external references: ", old_value, " in ",
                          old_label, ", ", new_value, " in ", new_label);
    case Kind::kMalformed:
      return old_value.empty() ? absl::StrCat(subject, " ", new_value, " in ", new_label)
                               : absl::StrCat(subject, " ", old_value, " in ", old_label);
  }
  return subject;
}

std::vector<LayoutChange> DiffLayouts(const Layout& old_layout, const Layout& new_layout) {
  std::vector<LayoutChange> changes;
  FindMalformed(old_layout, /*old_side=*/true, changes);
  FindMalformed(new_layout, /*old_side=*/false, changes);
  if (!changes.empty()) return changes;
  DiffExtensions(old_layout, new_layout, changes);
  DiffOps(old_layout, new_layout, changes);
  // Reference differences are the consequence of op changes when there are any; report the
  // table itself only when it is the sole difference (e.g. a reference renamed or re-kinded).
  if (changes.empty()) DiffReferences(old_layout, new_layout, changes);
  return changes;
}

}  // namespace v8snap
