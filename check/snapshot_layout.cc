// Layout computation: extension order, then declaration order, gives op ids and reference indexes.
#include "check/snapshot_layout.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "check/v8_internal_references.h"

namespace v8snap {

absl::StatusOr<RuntimeLayout> ComputeLayout(const std::vector<std::string>& extensions,
                                            const ExtensionRegistry& registry) {
  RuntimeLayout result;
  absl::flat_hash_map<std::string, std::string> op_owner;
  absl::flat_hash_map<intptr_t, std::string> reference_owner;
  // Each op's C++ functions must have addresses of their own, or the table is ambiguous.
  auto claim = [&reference_owner](intptr_t address, const std::string& name) -> absl::Status {
    auto [other, fresh] = reference_owner.emplace(address, name);
    if (fresh) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "external references '", other->second, "' and '", name,
        "' have the same address: each op needs its own C++ function (was the binary linked "
        "with identical-code folding?)."));
  };

  for (const std::string& extension : extensions) {
    result.layout.add_extensions(extension);
    const ExtensionDecl* decl = registry.Find(extension);
    if (decl == nullptr) continue;
    for (const OpDecl& op : decl->ops) {
      auto [owner, inserted] = op_owner.emplace(op.name, extension);
      if (!inserted) {
        return absl::InvalidArgumentError(
            absl::StrCat("op '", op.name, "' is declared by both extension '", owner->second,
                         "' and extension '", extension, "'; op names must be unique: rename one."));
      }
      std::string reference_name = absl::StrCat(extension, ".", op.name);
      auto address = reinterpret_cast<intptr_t>(op.callback);
      if (absl::Status unique = claim(address, reference_name); !unique.ok()) return unique;

      OpRecord* record = result.layout.add_ops();
      record->set_id(static_cast<uint32_t>(result.ops.size()));
      record->set_name(op.name);
      record->set_extension(extension);
      record->set_arity(op.arity);
      record->set_is_async(op.mode == OpMode::kAsync);
      record->add_external_reference_indexes(
          static_cast<uint32_t>(result.external_references.size()));

      ExternalReferenceRecord* reference = result.layout.add_external_references();
      reference->set_index(static_cast<uint32_t>(result.external_references.size()));
      reference->set_name(std::move(reference_name));
      reference->set_kind(ExternalReferenceRecord::OP_CALLBACK);

      result.external_references.push_back(address);

      // A fast op also has its C function and that function's type description in the table:
      // the op's function template points at both. Ops of one signature share a description
      // (V8 encodes the first entry of a repeated address), so only the functions must differ.
      if (op.fast) {
        std::string fast_name = absl::StrCat(extension, ".", op.name, ".fast");
        auto fast_address = reinterpret_cast<intptr_t>(op.fast.address);
        if (absl::Status unique = claim(fast_address, fast_name); !unique.ok()) return unique;
        const std::pair<std::string, ExternalReferenceRecord::Kind> fast_entries[] = {
            {fast_name, ExternalReferenceRecord::OP_FAST_CALL},
            {absl::StrCat(fast_name, "_info"), ExternalReferenceRecord::OP_FAST_CALL_INFO}};
        const intptr_t fast_addresses[] = {fast_address,
                                           reinterpret_cast<intptr_t>(op.fast.info)};
        for (int i = 0; i < 2; ++i) {
          record->add_external_reference_indexes(
              static_cast<uint32_t>(result.external_references.size()));
          ExternalReferenceRecord* fast_reference = result.layout.add_external_references();
          fast_reference->set_index(static_cast<uint32_t>(result.external_references.size()));
          fast_reference->set_name(fast_entries[i].first);
          fast_reference->set_kind(fast_entries[i].second);
          result.external_references.push_back(fast_addresses[i]);
        }
      }
      result.ops.push_back(&op);
    }
  }
  // V8's own functions that its table lacks, after every op (see v8_internal_references.h).
  for (const V8InternalReference& internal : V8InternalReferences()) {
    ExternalReferenceRecord* reference = result.layout.add_external_references();
    reference->set_index(static_cast<uint32_t>(result.external_references.size()));
    reference->set_name(internal.name);
    reference->set_kind(ExternalReferenceRecord::V8_INTERNAL);
    result.external_references.push_back(internal.address);
  }
  result.external_references.push_back(0);
  return result;
}

}  // namespace v8snap
