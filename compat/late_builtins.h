// What the linked V8 installs in a context only after a snapshot is loaded, never while one is
// built (found by comparing every property reachable from globalThis in a context being
// snapshotted with one made from that snapshot; docs/v8_versions.md). The snapshot builder
// stands in for each while the build's code runs and removes it before serializing
// (snapshot_builder/build_time_globals.h); V8 then adds its own after each load.
#ifndef V8SNAP_COMPAT_LATE_BUILTINS_H_
#define V8SNAP_COMPAT_LATE_BUILTINS_H_

#include "compat/v8_compat.h"  // kV8MajorMinor, which messages about these lists name
#include "v8-version.h"

namespace v8snap::compat {

struct LateBuiltin {
  // A path from globalThis ("globalThis", "Array.prototype", "%TypedArray%.prototype",
  // "Array.prototype[Symbol.unscopables]") and the property's key ("at", "[Symbol.dispose]").
  const char* holder;
  const char* key;
  // What stands in for it while building:
  //   "shim"        an exact shim (the ES2022 methods V8 10.2 leaves out while building);
  //   "flag"        `true` (an unscopables entry);
  //   "function", "constructor", "object"
  //                 a placeholder of that shape: a read is reported with its place, a use fails
  //                 the build naming the limit (it cannot be shimmed exactly);
  //   "none"        nothing (Error.stackTraceLimit, which the runtime sets as V8 would).
  const char* stand_in;
};

#if V8_MAJOR_VERSION >= 13
// V8 13.6 builds ES2022 in while snapshotting; what it adds after a load are the ES2025 and
// staged features and the two namespaces of native state.
inline constexpr LateBuiltin kLateBuiltins[] = {
    {"globalThis", "SharedArrayBuffer", "constructor"},
    {"globalThis", "WebAssembly", "object"},
    {"globalThis", "Float16Array", "constructor"},
    {"globalThis", "SuppressedError", "constructor"},
    {"globalThis", "DisposableStack", "constructor"},
    {"globalThis", "AsyncDisposableStack", "constructor"},
    {"Promise", "try", "function"},
    {"RegExp", "escape", "function"},
    {"Error", "isError", "function"},
    {"Math", "f16round", "function"},
    {"Atomics", "pause", "function"},
    {"DataView.prototype", "getFloat16", "function"},
    {"DataView.prototype", "setFloat16", "function"},
    {"Iterator.prototype", "[Symbol.dispose]", "function"},
    {"Error", "stackTraceLimit", "none"},
};
#else
inline constexpr LateBuiltin kLateBuiltins[] = {
    {"Array.prototype", "at", "shim"},
    {"Array.prototype", "findLast", "shim"},
    {"Array.prototype", "findLastIndex", "shim"},
    {"Array.prototype[Symbol.unscopables]", "at", "flag"},
    {"Array.prototype[Symbol.unscopables]", "findLast", "flag"},
    {"Array.prototype[Symbol.unscopables]", "findLastIndex", "flag"},
    {"%TypedArray%.prototype", "at", "shim"},
    {"%TypedArray%.prototype", "findLast", "shim"},
    {"%TypedArray%.prototype", "findLastIndex", "shim"},
    {"String.prototype", "at", "shim"},
    {"Object", "hasOwn", "shim"},
    {"globalThis", "SharedArrayBuffer", "constructor"},
    {"globalThis", "Atomics", "object"},
    {"globalThis", "WebAssembly", "object"},
    {"Error", "stackTraceLimit", "none"},
};
#endif

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_LATE_BUILTINS_H_
