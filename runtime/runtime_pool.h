// RuntimePool: JsRuntimes made ahead of need on a background thread, from one snapshot pair
// read and verified once (VerifiedSnapshotPair). Take() hands out a runtime that is already loaded
// (waiting only when none is ready yet), and the thread makes the next one while the caller runs
// JS. This is the "unconfigured runtime" idea: V8 is ready before the request that needs it has
// arrived.
//
// Usage:
//   // Hashed once:
//   ASSIGN_OR_RETURN(VerifiedSnapshotPair snapshot, VerifiedSnapshotPair::Read(path));
//   ASSIGN_OR_RETURN(auto pool, RuntimePool::Create(snapshot, config, 1));
//   ...
//   ASSIGN_OR_RETURN(std::unique_ptr<JsRuntime> runtime, pool->Take());
//   runtime->RunMainModule("request.js");
//
// Create runs the load-time check against `config` once, before the thread starts
// (JsRuntime::CheckLoadable): a snapshot that does not match fails Create with the culprit
// named, exactly as FromSnapshot would. What it pays
// for: time between requests, or a spare core. On a machine with neither, a pooled runtime costs
// what FromSnapshotPair costs (bench/pool_bench.cc; docs/performance.md).
#ifndef V8SNAP_RUNTIME_RUNTIME_POOL_H_
#define V8SNAP_RUNTIME_RUNTIME_POOL_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "format/snapshot_files.h"
#include "runtime/js_runtime.h"
#include "runtime/verified_snapshot_pair.h"

namespace v8snap {

class RuntimePool {
 public:
  // Checks `snapshot` against `config`, then starts the thread, which keeps `ready` runtimes
  // (at least 1) waiting; each is made by JsRuntime::FromVerifiedSnapshot, without hashing.
  static absl::StatusOr<std::unique_ptr<RuntimePool>> Create(VerifiedSnapshotPair snapshot,
                                                             RuntimeConfig config, int ready);
  // Same, for a pair read some other way: its blob is hashed against its sidecar once, here
  // (kDataLoss when they do not match). `blob_path` is only used in messages.
  static absl::StatusOr<std::unique_ptr<RuntimePool>> Create(SnapshotPair pair,
                                                             std::string blob_path,
                                                             RuntimeConfig config, int ready);

  // Stops the thread; runtimes not taken are disposed.
  ~RuntimePool();
  RuntimePool(const RuntimePool&) = delete;
  RuntimePool& operator=(const RuntimePool&) = delete;

  // A loaded runtime for the calling thread, or the error the thread met making one. The
  // runtime's stack limit is set for the calling thread (V8 took the creating thread's).
  absl::StatusOr<std::unique_ptr<JsRuntime>> Take();

  // Returns once `ready` runtimes are waiting, or the thread has failed.
  void WaitUntilFull();

 private:
  RuntimePool(VerifiedSnapshotPair snapshot, RuntimeConfig config, int ready);
  void MakeRuntimes();  // the background thread

  const VerifiedSnapshotPair snapshot_;
  const RuntimeConfig config_;
  const size_t capacity_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<JsRuntime>> ready_;  // guarded by mutex_
  absl::Status error_;                            // guarded by mutex_
  bool stopping_ = false;                         // guarded by mutex_
  std::thread thread_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_RUNTIME_POOL_H_
