// The differences between the V8 versions v8snap builds against (10.2 and 13.6; see
// docs/v8_versions.md), each behind one version-neutral name. Code elsewhere calls these and
// never tests V8_MAJOR_VERSION itself; the v8::Platform side is in compat/forwarding_platform.h.
#ifndef V8SNAP_COMPAT_V8_COMPAT_H_
#define V8SNAP_COMPAT_V8_COMPAT_H_

#include <cstddef>

#include "v8-callbacks.h"
#include "v8-initialization.h"
#include "v8-isolate.h"
#include "v8-message.h"
#include "v8-primitive.h"
#include "v8-typed-array.h"
#include "v8-version.h"

namespace v8snap::compat {

// The V8 these headers are, as "13.6": what the sidecar records and the version check compares.
inline constexpr int kV8Major = V8_MAJOR_VERSION;
inline constexpr int kV8Minor = V8_MINOR_VERSION;
// "13.6": how messages name the V8 at hand (never a hard-coded version).
#define V8SNAP_STRINGIFY_(x) #x
#define V8SNAP_STRINGIFY(x) V8SNAP_STRINGIFY_(x)
inline constexpr char kV8MajorMinor[] =
    V8SNAP_STRINGIFY(V8_MAJOR_VERSION) "." V8SNAP_STRINGIFY(V8_MINOR_VERSION);
#undef V8SNAP_STRINGIFY
#undef V8SNAP_STRINGIFY_

// The origin of a classic script (is_module false) or an ES module named `name`. V8 13 dropped
// the isolate argument.
inline v8::ScriptOrigin MakeScriptOrigin(v8::Isolate* isolate, v8::Local<v8::Value> name,
                                         bool is_module = false) {
#if V8_MAJOR_VERSION >= 13
  (void)isolate;
  return v8::ScriptOrigin(name, 0, 0, false, -1, v8::Local<v8::Value>(), false, false, is_module);
#else
  return v8::ScriptOrigin(isolate, name, 0, 0, false, -1, v8::Local<v8::Value>(), false, false,
                          is_module);
#endif
}

// The second argument of an OOM error callback: `bool is_heap_oom` up to V8 10, a struct of
// details since. Declare a handler as `void Handler(const char* location, compat::OomDetails)`
// and read it with IsHeapOom.
#if V8_MAJOR_VERSION >= 13
using OomDetails = const v8::OOMDetails&;
inline bool IsHeapOom(const v8::OOMDetails& details) { return details.is_heap_oom; }
#else
using OomDetails = bool;
inline bool IsHeapOom(bool is_heap_oom) { return is_heap_oom; }
#endif

// Lets flags change after V8::Initialize, as v8snap does for the next isolate's heap limit
// (--max-old-space-size, set by the builder around its SnapshotCreator). V8 13 freezes its flags
// at initialization unless told not to; V8 10.2 never does. Call before V8::Initialize.
inline void KeepFlagsChangeableAfterInitialize() {
#if V8_MAJOR_VERSION >= 13
  constexpr char kFlag[] = "--no-freeze-flags-after-init";
  v8::V8::SetFlagsFromString(kFlag, sizeof(kFlag) - 1);
#endif
}

// Whether an isolate from a blob V8 cannot rehash (which keeps the hash seed it was built with)
// must not join live isolates seeded otherwise. V8 10.2 as Node 18 builds it keeps the seed in
// the one read-only heap all the live isolates of a process share, and aborts the process when
// such an isolate joins (runtime/shared_read_only_heap.h refuses it first). On V8 13.6 it starts
// and runs beside them: tried with an isolate from V8's built-in snapshot alive, and
// JsRuntimeTest.ASnapshotThatCannotShareTheLiveReadOnlyHeapIsRefusedNotAborted runs both.
inline constexpr bool kLiveIsolatesShareTheHashSeed = V8_MAJOR_VERSION < 13;

// The most bytes one Uint8Array may hold.
inline constexpr size_t kMaxUint8ArrayLength = v8::Uint8Array::kMaxLength;

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_V8_COMPAT_H_
