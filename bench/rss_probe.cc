// RSS per live runtime: `v8snap_bench --v8snap_rss=KIND:INPUT`, one process per measurement so
// that no other kind of isolate has warmed the allocator. KIND is `snapshot` (FromVerifiedSnapshot,
// every runtime sharing one verified copy of the blob, as an embedder serving many would),
// `source` (FromSource) or `bare` (V8's own isolate + context); INPUT a snapshot input name.
// Prints one JSON object: {"kind":..., "input":..., "runtimes":N, "rss_kib_per_runtime":X}.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-isolate.h"

namespace v8snap::bench {
namespace {

constexpr int kRuntimes = 16;

long RssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return 0;
}

// A runtime, or for `bare` an isolate + context standing in for one.
struct Live {
  std::unique_ptr<JsRuntime> runtime;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  v8::Isolate* isolate = nullptr;
  v8::Global<v8::Context> context;
  ~Live() {
    if (isolate == nullptr) return;
    context.Reset();
    isolate->Dispose();
  }
};

std::unique_ptr<Live> Create(const std::string& kind, const SnapshotInput& in) {
  auto live = std::make_unique<Live>();
  if (kind == "snapshot") {
    // Verified once, in the warm-up before the first RSS reading: the runtimes share it.
    static std::optional<VerifiedSnapshotPair> shared;
    if (!shared.has_value()) {
      auto verified = VerifiedSnapshotPair::Verify(SnapshotPair{in.blob, in.sidecar}, in.blob_path);
      CheckOk(verified.status(), "verify");
      shared = *std::move(verified);
    }
    auto runtime = JsRuntime::FromVerifiedSnapshot(*shared, in.config);
    CheckOk(runtime.status(), "snapshot");
    live->runtime = *std::move(runtime);
  } else if (kind == "source") {
    auto runtime = JsRuntime::FromSource(in.config);
    CheckOk(runtime.status(), "source");
    live->runtime = *std::move(runtime);
  } else {
    EnsureV8();  // V8 started as the runtime starts it (the runtime made here is gone again)
    live->allocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = live->allocator.get();
    live->isolate = v8::Isolate::New(params);
    v8::Isolate::Scope isolate_scope(live->isolate);
    v8::HandleScope scope(live->isolate);
    live->context.Reset(live->isolate, v8::Context::New(live->isolate));
  }
  return live;
}

}  // namespace

int RunRssProbe(const std::string& spec) {
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  std::string input = colon == std::string::npos ? "default" : spec.substr(colon + 1);
  if (kind != "snapshot" && kind != "source" && kind != "bare") {
    std::fprintf(stderr,
                 "v8snap_bench: --v8snap_rss=KIND:INPUT, KIND one of snapshot, source, bare\n");
    return 2;
  }
  const SnapshotInput& in = Input(input);
  // V8 started by the kind measured (the first isolate sets up process-wide state).
  Create(kind, in).reset();
  Create(kind, in).reset();
  long before = RssKiB();
  std::vector<std::unique_ptr<Live>> live;
  for (int i = 0; i < kRuntimes; ++i) live.push_back(Create(kind, in));
  long after = RssKiB();
  std::printf(
      "{\"kind\": \"%s\", \"input\": \"%s\", \"runtimes\": %d, \"rss_kib_per_runtime\": %.1f}\n",
      kind.c_str(), input.c_str(), kRuntimes, static_cast<double>(after - before) / kRuntimes);
  return 0;
}

}  // namespace v8snap::bench
