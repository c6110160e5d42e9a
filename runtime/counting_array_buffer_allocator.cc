// CountingArrayBufferAllocator: V8's default allocator behind a compare-and-swap budget.
#include "runtime/counting_array_buffer_allocator.h"

namespace v8snap {

CountingArrayBufferAllocator::CountingArrayBufferAllocator(size_t limit_bytes)
    : limit_(limit_bytes), base_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {}

CountingArrayBufferAllocator::~CountingArrayBufferAllocator() = default;

void* CountingArrayBufferAllocator::Allocate(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* data = base_->Allocate(length);
  if (data == nullptr) Release(length);
  return data;
}

void* CountingArrayBufferAllocator::AllocateUninitialized(size_t length) {
  if (!Reserve(length)) return nullptr;
  void* data = base_->AllocateUninitialized(length);
  if (data == nullptr) Release(length);
  return data;
}

void CountingArrayBufferAllocator::Free(void* data, size_t length) {
  base_->Free(data, length);
  Release(length);
}

bool CountingArrayBufferAllocator::Reserve(size_t length) {
  size_t used = used_.load(std::memory_order_relaxed);
  do {
    // used <= limit_ always holds, so the subtraction cannot wrap.
    if (length > limit_ - used) {
      refused_ = true;
      return false;
    }
  } while (!used_.compare_exchange_weak(used, used + length, std::memory_order_relaxed));
  return true;
}

void CountingArrayBufferAllocator::Release(size_t length) {
  used_.fetch_sub(length, std::memory_order_relaxed);
}

}  // namespace v8snap
