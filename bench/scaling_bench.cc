// How the sidecar and the layout check grow with the number of ops: synthetic layouts of 10 to
// 10,000 ops (10 ops per extension, one OP_CALLBACK reference each), since a binary with 10,000
// registered C++ ops would be a benchmark of the compiler. DiffLayouts and CheckSnapshotLoadable
// only see protos, so they cannot tell these from real ones.
#include <string>

#include "bench/bench_support.h"
#include "format/snapshot_files.h"
#include "google/protobuf/arena.h"
#include "check/layout_diff.h"
#include "check/load_check.h"
#include "runtime/v8_process.h"

namespace v8snap::bench {
namespace {

constexpr int kOpsPerExtension = 10;

// `ops` ops in ops/10 extensions. `shift` > 0 inserts that many ops (one extension) in front,
// so every later op moves: the diff's worst case, every op reported.
Layout SyntheticLayout(int ops, int shift = 0) {
  Layout layout;
  auto add_extension = [&](const std::string& name, int count) {
    layout.add_extensions(name);
    for (int i = 0; i < count; ++i) {
      uint32_t id = static_cast<uint32_t>(layout.ops_size());
      OpRecord* op = layout.add_ops();
      op->set_id(id);
      op->set_name(name + "_op_" + std::to_string(i));
      op->set_extension(name);
      op->set_arity(i % 4);
      op->set_is_async(i % 3 == 0);
      op->add_external_reference_indexes(id);
      ExternalReferenceRecord* reference = layout.add_external_references();
      reference->set_index(id);
      reference->set_name(name + "." + op->name());
      reference->set_kind(ExternalReferenceRecord::OP_CALLBACK);
    }
  };
  if (shift > 0) add_extension("inserted", shift);
  for (int e = 0; e * kOpsPerExtension < ops; ++e) {
    add_extension("ext_" + std::to_string(e), kOpsPerExtension);
  }
  return layout;
}

Sidecar SyntheticSidecar(int ops) {
  Sidecar sidecar;
  sidecar.set_builder_version("bench");
  sidecar.set_v8_version(V8Process::LinkedV8Version());
  sidecar.set_manifest_name("synthetic_ops");
  *sidecar.mutable_layout() = SyntheticLayout(ops);
  for (const std::string& name : sidecar.layout().extensions()) {
    ExtensionRecord* record = sidecar.add_extensions();
    record->set_name(name);
    record->set_native(true);
    record->set_enabled(true);
  }
  sidecar.mutable_blob()->set_size(1);
  sidecar.mutable_blob()->set_xxh3_128(std::string(32, '0'));
  return sidecar;
}

// Envelope checksum + payload parse (on an arena, as the load path does) of a sidecar holding
// `ops` ops.
void BM_ScaleDecodeSidecar(benchmark::State& state) {
  const int ops = static_cast<int>(state.range(0));
  std::string bytes = EncodeSidecar(SyntheticSidecar(ops));
  for (auto _ : state) {
    google::protobuf::Arena arena;
    Sidecar* sidecar = google::protobuf::Arena::CreateMessage<Sidecar>(&arena);
    benchmark::DoNotOptimize(DecodeSidecarInto(bytes, "synthetic", sidecar).ok());
  }
  state.counters["ops"] = ops;
  state.counters["sidecar_bytes"] = static_cast<double>(bytes.size());
}

// The load-time check when the runtime matches (the common case): version + DiffLayouts.
void BM_ScaleCheck(benchmark::State& state) {
  const int ops = static_cast<int>(state.range(0));
  Sidecar sidecar = SyntheticSidecar(ops);
  Layout runtime_layout = SyntheticLayout(ops);
  LoadCheckInput input;
  input.sidecar = &sidecar;
  input.runtime_layout = &runtime_layout;
  input.blob_path = "synthetic.bin";
  input.linked_v8_version = V8Process::LinkedV8Version();
  for (auto _ : state) {
    absl::Status status = CheckSnapshotLoadable(input);
    if (!status.ok()) state.SkipWithError("synthetic layouts differ");
    benchmark::DoNotOptimize(status.ok());
  }
  state.counters["ops"] = ops;
}

// snapshot_inspect diff's worst case: an extension inserted in front moves every op.
void BM_ScaleDiffAllMoved(benchmark::State& state) {
  const int ops = static_cast<int>(state.range(0));
  Layout old_layout = SyntheticLayout(ops);
  Layout new_layout = SyntheticLayout(ops, kOpsPerExtension);
  size_t changes = 0;
  for (auto _ : state) {
    std::vector<LayoutChange> diff = DiffLayouts(old_layout, new_layout);
    changes = diff.size();
    benchmark::DoNotOptimize(diff.data());
  }
  state.counters["ops"] = ops;
  state.counters["changes"] = static_cast<double>(changes);
}

BENCHMARK(BM_ScaleDecodeSidecar)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScaleCheck)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScaleDiffAllMoved)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace v8snap::bench
