// What the linked V8 installs in a context only after a snapshot is loaded, never while one is
// built (found by comparing every property reachable from globalThis in a context being
// snapshotted with one made from that snapshot; docs/v8_versions.md). The snapshot builder
// stands in for each while the build's code runs and removes it before serializing
// (snapshot_builder/build_time_globals.h); V8 then adds its own after each load.
#ifndef V8SNAP_COMPAT_LATE_BUILTINS_H_
#define V8SNAP_COMPAT_LATE_BUILTINS_H_

#include <array>

#include "compat/v8_compat.h"  // kV8MajorMinor, which messages about these lists name
#include "v8-isolate.h"
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

// A V8 flag whose effect V8 applies only to a context that is not being snapshotted: what it
// adds is installed after a load (or by V8's extensions, which a snapshot context never gets),
// so it is absent while building, and a runtime refuses the blob for it. By name without "--"
// or "no-", with what it adds; found by building with each flag (docs/v8_versions.md).
struct LateFlag {
  const char* name;
  const char* adds;
};

// Syntax whose run-time support V8 installs only after a load: V8 parses it while building,
// but running it reaches the support that is not there (V8 13.6 crashes, or skips the work).
// Told by the use counter V8 reports when it parses the syntax (while compiling a source, or a
// function the first time it is called).
struct LateSyntax {
  v8::Isolate::UseCounterFeature feature;
  const char* what;   // "`using` and `await using` declarations (explicit resource management)"
  const char* needs;  // what of it V8 installs after a load
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
inline constexpr LateFlag kLateFlags[] = {
    {"harmony", "the completed language features"},
    {"js-staging", "the completed language features"},
    {"harmony-shipping", "the shipped language features (Float16Array, Promise.try, ...)"},
    {"js-shipping", "the shipped language features (Float16Array, Promise.try, ...)"},
    {"harmony-temporal", "Temporal and Date.prototype.toTemporalInstant"},
    {"harmony-shadow-realm", "ShadowRealm"},
    {"harmony-struct", "SharedStructType, SharedArray, Atomics.Mutex and Atomics.Condition"},
    {"js-base-64", "Uint8Array.fromBase64, fromHex and the base64 and hex methods"},
    {"js-promise-try", "Promise.try"},
    {"js-atomics-pause", "Atomics.pause"},
    {"js-error-iserror", "Error.isError"},
    {"js-regexp-escape", "RegExp.escape"},
    {"js-explicit-resource-management",
     "DisposableStack, AsyncDisposableStack, SuppressedError, Iterator.prototype[Symbol.dispose]"},
    {"js-float16array", "Float16Array, Math.f16round, DataView.prototype.getFloat16/setFloat16"},
    {"expose-gc", "gc()"},
    {"expose-gc-as", "the gc function"},
    {"expose-externalize-string", "createExternalizableString() and externalizeString()"},
    {"expose-statistics", "getV8Statistics()"},
    {"expose-trigger-failure", "triggerAssertFalse() and the other trigger functions"},
    {"expose-cputracemark-as", "the cputracemark function"},
    {"stack-trace-limit", "Error.stackTraceLimit's value"},
};
inline constexpr std::array<LateSyntax, 1> kLateSyntax = {{
    {v8::Isolate::kExplicitResourceManagement,
     "a `using` or `await using` declaration (explicit resource management)",
     "the disposable stacks a block with one needs"},
}};
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
inline constexpr LateFlag kLateFlags[] = {
    {"harmony", "the staged language features (Array.prototype.groupBy, ...)"},
    {"harmony-rab-gsab",
     "resizable ArrayBuffer and growable SharedArrayBuffer (ArrayBuffer.prototype.resize, "
     "maxByteLength, resizable, SharedArrayBuffer.prototype.grow, ...)"},
    {"harmony-temporal", "Temporal"},
    {"harmony-shadow-realm", "ShadowRealm"},
    {"harmony-struct", "SharedStructType"},
    {"harmony-array-grouping", "Array.prototype.groupBy and groupByToMap"},
    {"harmony-intl-number-format-v3", "Intl.NumberFormat v3 (formatRange, ...)"},
    {"harmony-weak-refs-with-cleanup-some", "FinalizationRegistry.prototype.cleanupSome"},
    {"harmony-sharedarraybuffer", "SharedArrayBuffer"},
    {"harmony-atomics", "Atomics"},
    {"harmony-relative-indexing-methods", "the at() methods"},
    {"harmony-object-has-own", "Object.hasOwn"},
    {"harmony-array-find-last", "findLast() and findLastIndex()"},
    {"expose-wasm", "WebAssembly"},
    {"expose-gc", "gc()"},
    {"expose-gc-as", "the gc function"},
    {"expose-externalize-string", "externalizeString()"},
    {"expose-statistics", "getV8Statistics()"},
    {"expose-trigger-failure", "triggerFailure()"},
    {"stack-trace-limit", "Error.stackTraceLimit's value"},
};
// V8 10.2 runs all its syntax while building.
inline constexpr std::array<LateSyntax, 0> kLateSyntax = {};
#endif

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_LATE_BUILTINS_H_
