// An ArrayBuffer allocator that counts what one isolate's backing stores hold and refuses what
// would take them past a limit: V8 then throws a RangeError ("Array buffer allocation failed")
// that the script can catch. ExecutionLimits gives each runtime one for --max-heap-mb.
//
// Usage:
//   CountingArrayBufferAllocator allocator(64 << 20);     // must outlive the isolate
//   params.array_buffer_allocator = &allocator;
#ifndef V8SNAP_RUNTIME_COUNTING_ARRAY_BUFFER_ALLOCATOR_H_
#define V8SNAP_RUNTIME_COUNTING_ARRAY_BUFFER_ALLOCATOR_H_

#include <atomic>
#include <cstddef>
#include <memory>

#include "v8-array-buffer.h"

namespace v8snap {

class CountingArrayBufferAllocator : public v8::ArrayBuffer::Allocator {
 public:
  explicit CountingArrayBufferAllocator(size_t limit_bytes);
  ~CountingArrayBufferAllocator() override;

  void* Allocate(size_t length) override;
  void* AllocateUninitialized(size_t length) override;
  void Free(void* data, size_t length) override;

  // Whether an allocation was refused since the last clear_refused().
  bool refused() const { return refused_.load(); }
  void clear_refused() { refused_ = false; }

 private:
  bool Reserve(size_t length);
  void Release(size_t length);

  const size_t limit_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> base_;  // V8's default allocator does the work
  // Free may be called from V8's background threads (the ArrayBuffer sweeper): atomics.
  std::atomic<size_t> used_{0};
  std::atomic<bool> refused_{false};
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_COUNTING_ARRAY_BUFFER_ALLOCATOR_H_
