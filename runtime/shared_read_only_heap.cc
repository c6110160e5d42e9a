// Process-wide bookkeeping of the seed carried by V8's shared read-only heap.
#include "runtime/shared_read_only_heap.h"

#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "format/v8_blob_header.h"

namespace v8snap {
namespace {

struct HeapState {
  std::mutex mutex;
  int live = 0;
  // The seed the live heap carries ("" = drawn at random) and who created the heap.
  std::string seed;
  std::string creator;
  // --hash-seed of this process's own V8 flags ("" = random).
  std::string process_seed;
};

HeapState& State() {
  static HeapState* state = new HeapState();
  return *state;
}

std::string Describe(const std::string& seed) {
  return seed.empty() ? std::string("a random hash seed") : absl::StrCat("hash seed ", seed);
}

}  // namespace

ReadOnlyHeapNeed ReadOnlyHeapNeed::BuiltIn() { return {"", "V8's built-in snapshot"}; }

ReadOnlyHeapNeed ReadOnlyHeapNeed::ForBlob(const std::string& blob_label, bool rehashable,
                                           const std::vector<std::string>& v8_flags,
                                           const std::string& blob_identity,
                                           bool isolates_share_seed) {
  ReadOnlyHeapNeed need;
  need.source = absl::StrCat("snapshot '", blob_label, "'");
  if (rehashable || !isolates_share_seed) return need;
  std::optional<std::string> seed = HashSeedFromFlags(v8_flags);
  // --hash-seed=0 (V8's default) means the builder drew a seed at random: only this very blob
  // carries it.
  need.fixed_seed = seed.has_value() && *seed != "0"
                        ? *seed
                        : absl::StrCat("<random, of blob ", blob_identity, ">");
  return need;
}

absl::StatusOr<ReadOnlyHeapNeed> ReadOnlyHeapNeed::ForSnapshot(const std::string& blob_label,
                                                               absl::string_view blob,
                                                               const Sidecar& sidecar) {
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
  if (!header.ok()) {
    return absl::DataLossError(
        absl::StrCat("snapshot '", blob_label, "': ", header.status().message()));
  }
  return ForBlob(blob_label, header->rehashable,
                 {sidecar.v8_flags().begin(), sidecar.v8_flags().end()}, sidecar.blob().xxh3_128());
}

std::optional<std::string> HashSeedFromFlags(const std::vector<std::string>& flags) {
  std::optional<std::string> seed;
  for (const std::string& flag : flags) {
    for (absl::string_view prefix : {"--hash-seed=", "--hash_seed="}) {
      if (absl::StartsWith(flag, prefix)) seed = flag.substr(prefix.size());
    }
  }
  return seed;
}

SharedReadOnlyHeap::Lease& SharedReadOnlyHeap::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    held_ = other.held_;
    other.held_ = false;
  }
  return *this;
}

void SharedReadOnlyHeap::Lease::Release() {
  if (!held_) return;
  held_ = false;
  HeapState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  --state.live;
}

absl::StatusOr<SharedReadOnlyHeap::Lease> SharedReadOnlyHeap::Acquire(
    const ReadOnlyHeapNeed& need) {
  HeapState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.live == 0) {
    // This isolate creates the heap: a rehashable snapshot seeds it with the process's seed.
    state.seed = need.fixed_seed.empty() ? state.process_seed : need.fixed_seed;
    state.creator = need.source;
  } else if (!need.fixed_seed.empty() && need.fixed_seed != state.seed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot start an isolate from ", need.source, " while ", state.live,
        " isolate(s) of this process, started from ", state.creator,
        ", are alive: V8 ", compat::kV8MajorMinor,
        " shares one read-only heap among the live isolates of a process, and that heap carries ",
        Describe(state.seed), ", while ", need.source,
        " cannot be rehashed (it holds ES modules) and needs ", Describe(need.fixed_seed),
        ".\n  fix: dispose of the other isolates first, or keep runtimes started from source "
        "and runtimes started from this snapshot in separate processes (runtimes from one "
        "snapshot, or from snapshots built with the same --hash-seed, share a process fine)"));
  }
  ++state.live;
  return Lease(true);
}

void SharedReadOnlyHeap::SetProcessHashSeed(std::optional<std::string> seed) {
  HeapState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.process_seed = seed.has_value() && *seed != "0" ? *seed : "";
}

int SharedReadOnlyHeap::LiveIsolates() {
  HeapState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.live;
}

}  // namespace v8snap
