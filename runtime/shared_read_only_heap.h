// Keeps the isolates of one process compatible with V8's shared read-only heap.
//
// V8 10.2 as Node 18 builds it (no pointer compression) shares ONE read-only heap among all the
// live isolates of a process, and that heap holds the string hash seed. The first isolate
// decides the seed:
//   - a snapshot V8 can rehash (V8's built-in one, or a v8snap blob of classic scripts only)
//     adopts whatever seed the heap has, or draws a random one when it creates the heap;
//   - a snapshot V8 cannot rehash (any blob holding ES modules: V8 10.2 cannot rehash a
//     module's export table) keeps the seed it was built with (the builder's --hash-seed).
// An isolate from a non-rehashable blob that joins a heap seeded otherwise finds its hash
// tables keyed under the wrong seed and V8 aborts the process (a fatal error in Genesis). In
// release builds V8 checks nothing, so v8snap checks here, before Isolate::New, and refuses
// with an error instead. V8 13.6 runs such isolates side by side
// (compat::kLiveIsolatesShareTheHashSeed is false): there no blob constrains the others.
//
// Usage (JsRuntime and the inspector's heap measurement do this):
//   ASSIGN_OR_RETURN(ReadOnlyHeapNeed need, ReadOnlyHeapNeed::ForSnapshot(path, blob, sidecar));
//   ASSIGN_OR_RETURN(SharedReadOnlyHeap::Lease lease, SharedReadOnlyHeap::Acquire(need));
//   isolate = v8::Isolate::New(params);   // keep `lease` until after isolate->Dispose()
#ifndef V8SNAP_RUNTIME_SHARED_READ_ONLY_HEAP_H_
#define V8SNAP_RUNTIME_SHARED_READ_ONLY_HEAP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "compat/v8_compat.h"
#include "format/sidecar.pb.h"

namespace v8snap {

// What one isolate needs of the process's read-only heap.
struct ReadOnlyHeapNeed {
  // The seed the isolate's snapshot was built with when V8 cannot rehash it ("1"); empty when
  // the snapshot is rehashable and fits any heap.
  std::string fixed_seed;
  // Who needs it, for messages: "snapshot 'out/default.bin'" or "V8's built-in snapshot".
  std::string source;

  // V8's built-in snapshot (JsRuntime::FromSource): rehashable.
  static ReadOnlyHeapNeed BuiltIn();
  // A v8snap blob: `rehashable` from its V8 header, `v8_flags` the builder's flags recorded in
  // the sidecar (the last --hash-seed wins). A non-rehashable blob built without a fixed seed
  // got a random one: it then fits only a heap it created itself, keyed by `blob_identity`.
  // `isolates_share_seed`: whether the V8 at hand makes a non-rehashable blob's seed everyone's
  // concern (V8 10.2); where it does not (13.6), every blob fits any heap.
  static ReadOnlyHeapNeed ForBlob(
      const std::string& blob_label, bool rehashable, const std::vector<std::string>& v8_flags,
      const std::string& blob_identity,
      bool isolates_share_seed = compat::kLiveIsolatesShareTheHashSeed);
  // The same for a v8snap pair: rehashability from the blob's V8 header, the seed from the
  // sidecar's flags (kDataLoss when the header cannot be read).
  static absl::StatusOr<ReadOnlyHeapNeed> ForSnapshot(const std::string& blob_label,
                                                      absl::string_view blob,
                                                      const Sidecar& sidecar);
};

// The value of the last --hash-seed / --hash_seed flag in `flags`, if any.
std::optional<std::string> HashSeedFromFlags(const std::vector<std::string>& flags);

class SharedReadOnlyHeap {
 public:
  // Held for the life of one isolate; releasing the last one lets the next isolate start a
  // fresh read-only heap (V8 frees it with the last isolate).
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept : held_(other.held_) { other.held_ = false; }
    Lease& operator=(Lease&& other) noexcept;
    ~Lease() { Release(); }
    void Release();

   private:
    friend class SharedReadOnlyHeap;
    explicit Lease(bool held) : held_(held) {}
    bool held_ = false;
  };

  // Registers an isolate about to be created. kFailedPrecondition, naming both sides and the
  // fix, when the live read-only heap carries another seed than `need` requires.
  static absl::StatusOr<Lease> Acquire(const ReadOnlyHeapNeed& need);

  // The seed every rehashable isolate of this process adopts when it creates the heap: the
  // process's own --hash-seed (V8Process sets it from the runtime's flags); none means random.
  static void SetProcessHashSeed(std::optional<std::string> seed);

  // Live leases (for tests).
  static int LiveIsolates();
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SHARED_READ_ONLY_HEAP_H_
