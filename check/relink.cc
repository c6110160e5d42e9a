// Relinking: the layout diff decides what may differ (only positions), then names map the
// snapshot's reference indexes to this binary's addresses.
#include "check/relink.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "check/layout_diff.h"

namespace v8snap {
namespace {

absl::Status Refuse(const LayoutChange& change) {
  return absl::FailedPreconditionError(absl::StrCat(
      "(", LayoutChangeKindName(change.kind), "): ",
      change.Describe("the snapshot", "this runtime")));
}

std::string DescribeReference(const ExternalReferenceRecord& r) {
  return absl::StrCat("'", r.name(), "' (", ExternalReferenceRecord::Kind_Name(r.kind()), ")");
}

}  // namespace

absl::StatusOr<RuntimeLayout> RelinkLayout(const Layout& snapshot, const RuntimeLayout& runtime) {
  absl::flat_hash_map<std::string, size_t> runtime_op_by_name;
  for (int i = 0; i < runtime.layout.ops_size(); ++i) {
    runtime_op_by_name[runtime.layout.ops(i).name()] = static_cast<size_t>(i);
  }
  // Extensions in another order and ops at other ids are what relinking is for; an op that
  // moved to another extension, and every other change, is not.
  for (const LayoutChange& change : DiffLayouts(snapshot, runtime.layout)) {
    if (change.kind == LayoutChange::Kind::kExtensionOrder) continue;
    if (change.kind == LayoutChange::Kind::kOpMoved) {
      // `position` is the op's id in the snapshot, which is its place in the table.
      const OpRecord* old_op = change.position < snapshot.ops_size()
                                   ? &snapshot.ops(change.position)
                                   : nullptr;
      auto new_op = old_op == nullptr ? runtime_op_by_name.end()
                                      : runtime_op_by_name.find(old_op->name());
      if (new_op != runtime_op_by_name.end() &&
          runtime.layout.ops(static_cast<int>(new_op->second)).extension() ==
              old_op->extension()) {
        continue;
      }
    }
    return Refuse(change);
  }

  // The diff compares reference tables only when nothing else differs, so compare them here,
  // by name: each of the snapshot's must exist with the same kind, and none may be extra.
  absl::flat_hash_map<std::string, int> runtime_reference_by_name;
  for (int i = 0; i < runtime.layout.external_references_size(); ++i) {
    runtime_reference_by_name[runtime.layout.external_references(i).name()] = i;
  }
  RuntimeLayout relinked;
  relinked.layout = snapshot;
  for (int i = 0; i < snapshot.external_references_size(); ++i) {
    const ExternalReferenceRecord& wanted = snapshot.external_references(i);
    auto found = runtime_reference_by_name.find(wanted.name());
    if (found == runtime_reference_by_name.end() ||
        runtime.layout.external_references(found->second).kind() != wanted.kind()) {
      return Refuse({LayoutChange::Kind::kReferenceChanged,
                     absl::StrCat("external reference #", i), i, DescribeReference(wanted),
                     found == runtime_reference_by_name.end()
                         ? "absent"
                         : DescribeReference(runtime.layout.external_references(found->second))});
    }
    relinked.external_references.push_back(runtime.external_references[found->second]);
  }
  if (runtime.layout.external_references_size() > snapshot.external_references_size()) {
    absl::flat_hash_map<std::string, int> in_snapshot;
    for (const auto& r : snapshot.external_references()) in_snapshot[r.name()] = 1;
    for (int i = 0; i < runtime.layout.external_references_size(); ++i) {
      const ExternalReferenceRecord& extra = runtime.layout.external_references(i);
      if (in_snapshot.contains(extra.name())) continue;
      return Refuse({LayoutChange::Kind::kReferenceChanged,
                     absl::StrCat("external reference #", i), i, "absent",
                     DescribeReference(extra)});
    }
  }
  relinked.external_references.push_back(0);

  for (int i = 0; i < snapshot.ops_size(); ++i) {
    const OpRecord& op = snapshot.ops(i);
    if (op.id() != static_cast<uint32_t>(i)) {
      return absl::DataLossError(absl::StrCat("the snapshot's op table is not in id order: op '",
                                              op.name(), "' with id ", op.id(), " at position ",
                                              i));
    }
    relinked.ops.push_back(runtime.ops[runtime_op_by_name.at(op.name())]);
  }
  return relinked;
}

}  // namespace v8snap
