// Fuzzes the whole load path: bytes → verified pair → layout check → (only if all of that
// passes) an isolate. Input: 4-byte little-endian sidecar length, the sidecar file, the blob.
// A mutated pair must be refused before V8 sees it; an intact one must load.
#include <cstring>

#include "format/snapshot_files.h"
#include "format/v8_blob_header.h"
#include "fuzz/fuzz_target.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "check/load_check.h"
#include "check/snapshot_layout.h"
#include "runtime/v8_process.h"
#include "runtime/verified_snapshot_pair.h"

V8SNAP_FUZZ_TARGET(load_path) {
  if (size < 4) return;
  uint32_t sidecar_size;
  std::memcpy(&sidecar_size, data, 4);
  if (sidecar_size > size - 4) return;
  std::string sidecar_bytes = v8snap::fuzz::AsString(data + 4, sidecar_size);
  std::string blob = v8snap::fuzz::AsString(data + 4 + sidecar_size, size - 4 - sidecar_size);

  // The runtime's way in: the sidecar decoded onto the pair's arena, the blob hashed against it.
  auto pair = v8snap::VerifiedSnapshotPair::Decode(std::move(blob), sidecar_bytes, "fuzz.bin");
  if (!pair.ok()) return;
  const v8snap::Sidecar* sidecar = &pair->sidecar();
  auto header = v8snap::ParseV8BlobHeader(pair->blob());
  if (!header.ok()) return;
  std::vector<std::string> names(sidecar->layout().extensions().begin(),
                                 sidecar->layout().extensions().end());
  auto layout = v8snap::ComputeLayout(names, v8snap::ExtensionRegistry::Global());
  if (!layout.ok()) return;
  v8snap::LoadCheckInput input;
  input.sidecar = sidecar;
  input.runtime_layout = &layout->layout;
  input.blob_path = "fuzz.bin";
  input.linked_v8_version = v8snap::V8Process::LinkedV8Version();
  if (!v8snap::CheckSnapshotLoadable(input).ok()) return;

  // Everything checked out, so this pair is one the builder wrote: it must load.
  v8snap::RuntimeConfig config;
  for (const std::string& name : names) {
    v8snap::LoadedExtension extension;
    extension.name = name;
    config.manifest.extensions.push_back(std::move(extension));
  }
  auto runtime = v8snap::JsRuntime::FromVerifiedSnapshot(*pair, config);
  if (!runtime.ok()) __builtin_trap();
}
