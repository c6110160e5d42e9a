// The `crypto` extension's ops: random bytes from the kernel's CSPRNG (getrandom(2)), written
// straight into a typed array's memory.
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runtime/event_loop.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "v8-array-buffer.h"
#include "v8-typed-array.h"

namespace v8snap {
namespace {

// The Web Crypto limit for one getRandomValues call; also keeps each op call short.
constexpr size_t kMaxRandomBytes = 65536;

// op_crypto_get_random_values(view): fills an integer typed array (at most 65,536 bytes) with
// random bytes in place. JS checks the type and size first and throws the spec's DOMExceptions;
// this only refuses what it cannot fill.
void OpCryptoGetRandomValues(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  // While a snapshot is built there is no runtime state. Random values drawn then would be
  // frozen into the blob: every process that loads it would share them (a key, a nonce, an id
  // meant to be unique), and the build would not be byte-identical. Running from source draws
  // fresh ones, so the snapshot would give another result: refused instead.
  if (RuntimeState::From(isolate) == nullptr) {
    return ThrowError(
        isolate,
        "crypto.getRandomValues() and crypto.randomUUID() give no values while a snapshot is "
        "built: the values would be frozen into the snapshot, the same in every process that "
        "loads it.\n  fix: draw them at run time (lazily, on first use), or in a function given "
        "to v8snap.snapshot.onDeserialize(fn), which runs after each load");
  }
  if (!info[0]->IsTypedArray()) {
    return ThrowTypeError(isolate, "op_crypto_get_random_values: expected a typed array");
  }
  v8::Local<v8::TypedArray> array = info[0].As<v8::TypedArray>();
  size_t size = array->ByteLength();
  if (size > kMaxRandomBytes) {
    return ThrowError(isolate, "op_crypto_get_random_values: more than 65536 bytes requested");
  }
  if (size == 0) return;
  uint8_t* data = static_cast<uint8_t*>(array->Buffer()->Data()) + array->ByteOffset();
  size_t filled = 0;
  while (filled < size) {
    // Blocks only until the kernel's pool is first initialized at boot; a signal may cut a
    // large read short.
    ssize_t n = getrandom(data + filled, size - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ThrowError(isolate, std::string("getrandom failed: ") + std::strerror(errno));
    }
    filled += static_cast<size_t>(n);
  }
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(crypto, {
    {"op_crypto_get_random_values", v8snap::OpCryptoGetRandomValues, 1, v8snap::OpMode::kSync},
});
