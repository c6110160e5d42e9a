// v8_floor: the least a V8 embedder's process can do. It loads libnode (and with it V8, ICU,
// OpenSSL...), starts V8's platform and V8 in the runtime's order, and exits. `snapshot_run
// hello.js` is measured against it (startup_vs_floor): what is left above this is v8snap's.
//
// `v8_floor --isolate` also creates one isolate and context from V8's built-in snapshot, to
// show what the first isolate adds to the floor.
#include <cstring>
#include <memory>

#include "libplatform/libplatform.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-initialization.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"

int main(int argc, char** argv) {
  // Flags, then the platform, then V8 (the order runtime/v8_process.cc follows).
  const char flags[] = "--no-verify-snapshot-checksum";
  v8::V8::SetFlagsFromString(flags, sizeof(flags) - 1);
  std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();
  if (argc > 1 && std::strcmp(argv[1], "--isolate") == 0) {
    std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
        v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    v8::Isolate* isolate = v8::Isolate::New(params);
    {
      v8::Isolate::Scope isolate_scope(isolate);
      v8::HandleScope scope(isolate);
      v8::Context::New(isolate);
    }
    isolate->Dispose();
  }
  // Like snapshot_run, leave the platform to the process's exit (no worker-thread join).
  platform.release();
  return 0;
}
