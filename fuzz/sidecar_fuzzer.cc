// Fuzzes the sidecar reader and the load-time check. The first byte picks the entry point: the
// envelope (what a file on disk holds; the checksum stops most mutations early) or the raw
// payload (so the layout check sees arbitrary parsed sidecars too).
#include "format/snapshot_files.h"
#include "fuzz/fuzz_target.h"
#include "check/layout_diff.h"
#include "check/load_check.h"

namespace {

v8snap::Layout ReferenceLayout() {
  v8snap::Layout layout;
  layout.add_extensions("core");
  layout.add_extensions("console");
  auto* op = layout.add_ops();
  op->set_id(0);
  op->set_name("op_print");
  op->set_extension("core");
  op->set_arity(2);
  op->add_external_reference_indexes(0);
  auto* ref = layout.add_external_references();
  ref->set_index(0);
  ref->set_name("core.op_print");
  ref->set_kind(v8snap::ExternalReferenceRecord::OP_CALLBACK);
  return layout;
}

}  // namespace

V8SNAP_FUZZ_TARGET(sidecar) {
  if (size == 0) return;
  std::string bytes = v8snap::fuzz::AsString(data + 1, size - 1);
  v8snap::Sidecar sidecar;
  if (data[0] & 1) {
    auto decoded = v8snap::DecodeSidecar(bytes, "fuzz.sidecar.pb");
    if (!decoded.ok()) return;
    sidecar = *decoded;
  } else if (!sidecar.ParseFromString(bytes)) {
    return;
  }
  static const v8snap::Layout reference = ReferenceLayout();
  for (const auto& change : v8snap::DiffLayouts(sidecar.layout(), reference)) {
    (void)change.Describe("a", "b");
  }
  for (const auto& change : v8snap::DiffLayouts(reference, sidecar.layout())) {
    (void)change.Describe("a", "b");
  }
  v8snap::LoadCheckInput input;
  input.sidecar = &sidecar;
  input.runtime_layout = &reference;
  input.blob_path = "fuzz.bin";
  input.linked_v8_version = sidecar.v8_version();
  (void)v8snap::CheckSnapshotLoadable(input);
  (void)v8snap::VerifyBlobMatchesSidecar(bytes, sidecar, "fuzz.bin");
}
