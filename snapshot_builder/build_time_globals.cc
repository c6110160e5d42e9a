// The JS environment while a snapshot is built: late built-ins shimmed or stood in for, the
// onSerialize callbacks, the hooks' state kept for the load.
#include "snapshot_builder/build_time_globals.h"

#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "check/load_check.h"
#include "compat/late_builtins.h"
#include "compat/v8_compat.h"
#include "format/status_macros.h"
#include "runtime/bootstrap.h"
#include "runtime/snapshot_hooks.h"
#include "v8-container.h"
#include "v8-function.h"
#include "v8-primitive.h"
#include "v8-script.h"

namespace v8snap {
namespace {

// The JS environment while a snapshot is built: runs before any extension, as the classic
// script "v8snap:build-time-globals", a function called with the linked V8's late built-ins
// (compat/late_builtins.h) and its version; it returns { state, finish }: the builder keeps both
// (snapshot_builder/build_time_globals.h), core.js gets the state.
//
// V8 installs some built-ins only in a context that is not being snapshotted: after a load
// it adds them to the deserialized context with an "add property" that assumes they are absent
// (a second copy of an existing property corrupts the object; a frozen holder aborts V8). So:
// - on V8 10.2, spec-exact shims make the ES2022 methods exist while building; finish() deletes
//   them before the heap is serialized, and V8's own ones appear after the load;
// - what cannot be shimmed exactly (SharedArrayBuffer, WebAssembly, and on 13.6 Float16Array,
//   DisposableStack, Promise.try, ...): a placeholder stands in, its reads are recorded (the
//   builder warns, naming the place) and any use throws an error that names the limit;
// - Error.stackTraceLimit, which V8 also adds after a load, is deleted before serializing;
// - whatever the user's code did to any of these (replaced, redefined, deleted) is recorded by
//   finish() and redone after the load over V8's own (runtime/snapshot_hooks.h), so a load
//   behaves as a run from source.
constexpr char kBuildTimeGlobalsJs[] = R"js("use strict";
((late, v8Version) => {
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, isExtensible } = Object;
  const { apply, ownKeys } = Reflect;
  const { trunc, min } = Math;
  const isFiniteNumber = Number.isFinite;
  // The shims and placeholders run amid the build's code: globals are looked up now, once.
  const ObjectConstructor = Object;
  const StringConstructor = String;
  const TypeErrorConstructor = TypeError;
  const ProxyConstructor = Proxy;
  const hasOwnProperty = Object.prototype.hasOwnProperty;
  const arrayPush = Array.prototype.push;
  const ErrorConstructor = Error;
  const captureStackTrace = Error.captureStackTrace;
  const bind = Function.prototype.bind;
  const finishedGenerator = (function* () {})();
  finishedGenerator.next();
  const generatorThrow = getPrototypeOf(getPrototypeOf(finishedGenerator)).throw;
  const TypedArrayPrototype = getPrototypeOf(Int8Array.prototype);
  const typedArrayLength = getOwnPropertyDescriptor(TypedArrayPrototype, "length").get;
  const typedArrayBuffer = getOwnPropertyDescriptor(TypedArrayPrototype, "buffer").get;
  const Uint8ArrayConstructor = Uint8Array;
  const unscopables = Array.prototype[Symbol.unscopables];

  // The spec's abstract operations the shims need, on captured built-ins only (a user's later
  // change to Math or Number must not change the shims).
  const toIntegerOrInfinity = (value) => {
    const number = +value;  // ToNumber: throws on a Symbol or BigInt, as the spec does
    if (number !== number || number === 0) return 0;
    return isFiniteNumber(number) ? trunc(number) : number;
  };
  const toLength = (value) => {
    const length = toIntegerOrInfinity(value);
    return length <= 0 ? 0 : min(length, 2 ** 53 - 1);
  };
  const requireObjectCoercible = (value, method) => {
    if (value === null || value === undefined) {
      throw new TypeErrorConstructor(`${method} called on null or undefined`);
    }
    return value;
  };
  const toObject = (value, method) => ObjectConstructor(requireObjectCoercible(value, method));
  const requireCallable = (value) => {
    if (typeof value !== "function") {
      const shown = typeof value === "string" ? `"${value}"`
          : value === null || (typeof value !== "object" && typeof value !== "symbol")
          ? StringConstructor(value) : typeof value === "symbol" ? "Symbol()" : "#<Object>";
      throw new TypeErrorConstructor(`${shown} is not a function`);
    }
    return value;
  };
  // ValidateTypedArray: a typed array whose buffer is not detached; returns its length.
  const validateTypedArray = (value) => {
    const length = apply(typedArrayLength, value, []);  // TypeError on anything else
    if (length === 0) new Uint8ArrayConstructor(apply(typedArrayBuffer, value, []));  // detached?
    return length;
  };
  const relativeIndex = (index, length) => {
    const relative = toIntegerOrInfinity(index);
    return relative >= 0 ? relative : length + relative;
  };

  // Methods from object literals: named and sized as the built-ins, never constructors.
  const arrayShims = {
    at(index) {
      const object = toObject(this, "Array.prototype.at");
      const length = toLength(object.length);
      const k = relativeIndex(index, length);
      return k < 0 || k >= length ? undefined : object[k];
    },
    findLast(predicate, thisArg = undefined) {
      const object = toObject(this, "Array.prototype.findLast");
      const length = toLength(object.length);
      requireCallable(predicate);
      for (let k = length - 1; k >= 0; k--) {
        const value = object[k];
        if (apply(predicate, thisArg, [value, k, object])) return value;
      }
      return undefined;
    },
    findLastIndex(predicate, thisArg = undefined) {
      const object = toObject(this, "Array.prototype.findLastIndex");
      const length = toLength(object.length);
      requireCallable(predicate);
      for (let k = length - 1; k >= 0; k--) {
        if (apply(predicate, thisArg, [object[k], k, object])) return k;
      }
      return -1;
    },
  };
  const typedArrayShims = {
    at(index) {
      const length = validateTypedArray(this);
      const k = relativeIndex(index, length);
      return k < 0 || k >= length ? undefined : this[k];
    },
    findLast(predicate, thisArg = undefined) {
      const length = validateTypedArray(this);
      requireCallable(predicate);
      for (let k = length - 1; k >= 0; k--) {
        const value = this[k];
        if (apply(predicate, thisArg, [value, k, this])) return value;
      }
      return undefined;
    },
    findLastIndex(predicate, thisArg = undefined) {
      const length = validateTypedArray(this);
      requireCallable(predicate);
      for (let k = length - 1; k >= 0; k--) {
        if (apply(predicate, thisArg, [this[k], k, this])) return k;
      }
      return -1;
    },
  };
  const stringShims = {
    at(index) {
      const string = `${requireObjectCoercible(this, "String.prototype.at")}`;  // ToString
      const k = relativeIndex(index, string.length);
      return k < 0 || k >= string.length ? undefined : string[k];
    },
  };
  const objectShims = {
    hasOwn(object, key) {
      return apply(hasOwnProperty, toObject(object, "Object.hasOwn"), [key]);
    },
  };

  // Descriptors without a prototype: a user's Object.prototype.get must not turn them into
  // accessor descriptors.
  const method = (value) =>
    ({ __proto__: null, value, writable: true, enumerable: false, configurable: true });
  const flag = { __proto__: null, value: true, writable: true, enumerable: true, configurable: true };
  const copyDescriptor = (descriptor) => {
    if (descriptor === undefined) return undefined;
    const copy = { __proto__: null };
    const keys = ownKeys(descriptor);
    for (let i = 0; i < keys.length; i++) copy[keys[i]] = descriptor[keys[i]];
    return copy;
  };

  // The exact shims, by "<holder>.<key>" as the late list names them.
  const shims = {
    __proto__: null,
    "Array.prototype.at": arrayShims.at,
    "Array.prototype.findLast": arrayShims.findLast,
    "Array.prototype.findLastIndex": arrayShims.findLastIndex,
    "%TypedArray%.prototype.at": typedArrayShims.at,
    "%TypedArray%.prototype.findLast": typedArrayShims.findLast,
    "%TypedArray%.prototype.findLastIndex": typedArrayShims.findLastIndex,
    "String.prototype.at": stringShims.at,
    "Object.hasOwn": objectShims.hasOwn,
  };
  // A holder's path from globalThis: "Array.prototype", "%TypedArray%.prototype",
  // "Array.prototype[Symbol.unscopables]"; a key may be a well-known symbol: "[Symbol.dispose]".
  const symbolFor = (text) => text[0] === "[" ? Symbol[text.slice(8, -1)] : text;
  const resolve = (path) => {
    let object = globalThis;
    for (const part of path.match(/\[[^\]]*\]|[^.[]+/g)) {
      if (part === "globalThis") continue;
      object = part === "%TypedArray%" ? getPrototypeOf(Int8Array) : object[symbolFor(part)];
    }
    return object;
  };
  const nameOf = (holder, key) => holder === "globalThis" ? key
      : key[0] === "[" ? `${holder}${key}` : `${holder}.${key}`;

  // Every property the linked V8 adds after a load (compat/late_builtins.h), with what stands in
  // for it while building: [holder, holder's name, key, descriptor installed now (undefined:
  // none), what V8 adds after a load when finish() must compare with that instead (only
  // Error.stackTraceLimit, which bootstrap sets as V8 would), the property's name for messages].
  // finish() records what differs.
  const installed = [];
  // The late built-ins that cannot be shimmed: [holder, name, key, placeholder target].
  const standIns = [];
  for (const [holderPath, keyText, standIn] of late) {
    const holder = resolve(holderPath);
    const key = symbolFor(keyText);
    const name = nameOf(holderPath, keyText);
    if (standIn === "shim") {
      apply(arrayPush, installed,
            [[holder, holderPath, key, method(shims[name]), undefined, name]]);
    } else if (standIn === "flag") {
      apply(arrayPush, installed, [[holder, holderPath, key, flag, undefined, name]]);
    } else if (standIn === "none") {
      apply(arrayPush, installed, [[holder, holderPath, key,
                                    getOwnPropertyDescriptor(holder, key),
                                    { __proto__: null, value: 10, writable: true,
                                      enumerable: true, configurable: true }, name]]);
    } else {
      const target = standIn === "object" ? {} : standIn === "constructor"
          ? { [name]: function () {} }[name] : { [name]() {} }[name];
      apply(arrayPush, standIns, [[holder, holderPath, name, key, target]]);
    }
  }

  // Placeholders: a read is recorded with its place; any use throws this error.
  const reads = [];
  // Every placeholder handed out, [name, proxy]: finish() returns them so that the heap check
  // refuses one still kept in the heap (it would throw at run time, where source gets the real one).
  let made = [];
  const limitMessage = (name) =>
      `${name} is not available while a snapshot is built on V8 ${v8Version} (V8 installs it ` +
      "only after a snapshot is loaded); create it at run time: in a " +
      "v8snap.snapshot.onDeserialize callback, or lazily on first use";
  // A placeholder throws `error` on any use. It is thrown by a built-in (a finished
  // generator's throw() rethrows its argument), never from a frame of this script, so V8 places
  // it at the code that used the placeholder; its stack is that of the read that returned it.
  // Both are where a build error should lead, whether the use was in a script or a module.
  const placeholder = (target, error) => {
    const fail = apply(bind, generatorThrow, [finishedGenerator, error]);
    return new ProxyConstructor(target, {
      apply: fail, construct: fail, defineProperty: fail, deleteProperty: fail, get: fail,
      getOwnPropertyDescriptor: fail, getPrototypeOf: fail, has: fail, isExtensible: fail,
      ownKeys: fail, preventExtensions: fail, set: fail, setPrototypeOf: fail,
    });
  };
  // Error's stack settings are the user's: set for one capture, then put back as they were.
  const withErrorSetting = (key, value, run) => {
    const saved = getOwnPropertyDescriptor(ErrorConstructor, key);
    try {
      defineProperty(ErrorConstructor, key, method(value));
    } catch {
      return run();  // Error is frozen: refused at the end of the build anyway
    }
    try {
      return run();
    } finally {
      if (saved === undefined) {
        delete ErrorConstructor[key];
      } else {
        defineProperty(ErrorConstructor, key, copyDescriptor(saved));
      }
    }
  };
  const withStackTraceLimit = (limit, run) => withErrorSetting("stackTraceLimit", limit, run);
  // Where the code that read a placeholder is: the frame that called the getter.
  const callerOf = (getter) => {
    try {
      const frames = withStackTraceLimit(1, () => withErrorSetting(
          "prepareStackTrace", (_, callSites) => callSites, () => {
            const holder = {};
            apply(captureStackTrace, ErrorConstructor, [holder, getter]);
            return holder.stack;
          }));
      const frame = frames[0];
      return frame === undefined ? {} : {
        file: `${frame.getFileName() ?? ""}`,
        line: frame.getLineNumber() ?? 0,
        column: frame.getColumnNumber() ?? 0,
      };
    } catch {
      return {};  // no frames to be had (the settings could not be changed)
    }
  };
  for (const [holder, holderPath, name, key, target] of standIns) {
    const get = function () {
      apply(arrayPush, reads, [{ name, ...callerOf(get) }]);
      const error = withStackTraceLimit(10, () => {
        const created = new ErrorConstructor(limitMessage(name));
        apply(captureStackTrace, ErrorConstructor, [created, get]);
        return created;
      });
      const proxy = placeholder(target, error);
      apply(arrayPush, made, [[name, proxy]]);
      return proxy;
    };
    // Assigning replaces the placeholder with a plain property, as it would replace V8's own.
    const set = function (replacement) {
      defineProperty(holder, key, method(replacement));
    };
    const descriptor = { __proto__: null, get, set, enumerable: false, configurable: true };
    apply(arrayPush, installed, [[holder, holderPath, key, descriptor, undefined, name]]);
  }
  for (const [holder, , key, descriptor] of installed) {
    if (descriptor !== undefined) defineProperty(holder, key, descriptor);
  }

  const is = Object.is;
  const sameDescriptor = (a, b) => {
    if (a === undefined || b === undefined) return false;
    const keys = ownKeys(a);
    if (keys.length !== ownKeys(b).length) return false;
    for (let i = 0; i < keys.length; i++) {
      if (!apply(hasOwnProperty, b, [keys[i]]) || !is(a[keys[i]], b[keys[i]])) return false;
    }
    return true;
  };

  // The state the snapshot keeps: plain data, so that nothing of this script (its closures, its
  // source) stays in the heap once finish() is done. The runtime redoes `redo` after a load
  // (runtime/snapshot_hooks.h) with the defineProperty captured here, before any user code.
  const state = {
    building: true,
    serialize: [],
    deserialize: [],
    // What finish() found changed: [holder, key, descriptor (no prototype) or undefined].
    redo: [],
    defineProperty,
  };
  // Before serializing: what would make a load abort, as "<holder> is ..." lines (nothing
  // changed then), else the shims and placeholders are gone, what the build's code did to them
  // is recorded, and the reads of placeholders are returned. It runs after the build's code, so
  // it uses nothing that code could have changed (iterators, Set, array methods, globals).
  const finish = () => {
    const problems = [];
    const checked = [];
    for (let i = 0; i < installed.length; i++) {
      const entry = installed[i];
      const holder = entry[0], holderName = entry[1], key = entry[2];
      let seen = false;
      for (let j = 0; j < checked.length; j++) seen = seen || checked[j] === holder;
      if (!seen) {
        apply(arrayPush, checked, [holder]);
        if (!isExtensible(holder)) {
          apply(arrayPush, problems, [`${holderName} is frozen, sealed or not extensible`]);
        }
      }
      const current = getOwnPropertyDescriptor(holder, key);
      if (current !== undefined && !current.configurable && isExtensible(holder)) {
        apply(arrayPush, problems, [`${entry[5]} is not configurable`]);
      }
    }
    if (problems.length > 0) return { problems };
    for (let i = 0; i < installed.length; i++) {
      const entry = installed[i];
      const holder = entry[0], key = entry[2], descriptor = entry[3], v8Own = entry[4];
      const current = getOwnPropertyDescriptor(holder, key);
      // Left as installed (or as V8 would install it): V8's own will do after the load.
      if (!sameDescriptor(current, v8Own ?? descriptor)) {
        apply(arrayPush, state.redo, [[holder, key, copyDescriptor(current)]]);
      }
      delete holder[key];
    }
    state.building = false;
    // core.js takes the state over; without a core extension nobody did.
    const core = globalThis.v8snap?.core;
    if (core !== undefined && core !== null) delete core.snapshotState;
    // A load has work only when something is to be redone or called back.
    const loadHasWork = state.redo.length > 0 || state.deserialize.length > 0;
    const placeholders = made;
    made = [];  // nothing of this script keeps them past the build
    return { problems, reads, loadHasWork, placeholders };
  };
  // Handed to core.js, which builds v8snap.snapshot on it (bootstrap keeps these objects).
  globalThis.v8snap = { core: { snapshotState: state } };
  return { state, finish };
})
)js";

constexpr char kScriptName[] = "v8snap:build-time-globals";

v8::Local<v8::String> V8String(v8::Isolate* isolate, const std::string& text) {
  return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(text.size()))
      .ToLocalChecked();
}

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? "" : std::string(*utf8, utf8.length());
}

// Owns nothing V8 keeps: the state's properties are read through these helpers.
absl::StatusOr<v8::Local<v8::Value>> CallMethod(v8::Isolate* isolate,
                                                v8::Local<v8::Context> context,
                                                v8::Local<v8::Object> object, const char* name) {
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> method, result;
  if (!object->Get(context, V8String(isolate, name)).ToLocal(&method) || !method->IsFunction() ||
      !method.As<v8::Function>()->Call(context, object, 0, nullptr).ToLocal(&result)) {
    return absl::InternalError(absl::StrCat(
        kScriptName, ": ", name, "() failed: ",
        try_catch.HasCaught() ? FormatTryCatch(isolate, context, try_catch) : "not a function"));
  }
  return result;
}

v8::Local<v8::Value> Field(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                           const char* name) {
  v8::Local<v8::Value> value;
  if (!object->Get(context, V8String(context->GetIsolate(), name)).ToLocal(&value)) {
    return v8::Undefined(context->GetIsolate());
  }
  return value;
}

// One warning per place that read a placeholder, in the order they were first read.
void PrintPlaceholderReads(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           v8::Local<v8::Value> reads, const ScriptNameMapper& mapper) {
  if (!reads->IsArray()) return;
  v8::Local<v8::Array> list = reads.As<v8::Array>();
  std::set<std::tuple<std::string, std::string, int, int>> seen;
  for (uint32_t i = 0; i < list->Length(); ++i) {
    v8::Local<v8::Value> item;
    if (!list->Get(context, i).ToLocal(&item) || !item->IsObject()) continue;
    v8::Local<v8::Object> read = item.As<v8::Object>();
    std::string name = ToUtf8(isolate, Field(context, read, "name"));
    std::string file = ToUtf8(isolate, Field(context, read, "file"));
    int line = Field(context, read, "line")->Int32Value(context).FromMaybe(0);
    int column = Field(context, read, "column")->Int32Value(context).FromMaybe(0);
    if (!seen.insert({name, file, line, column}).second) continue;
    std::string where = file.empty()
                            ? "(unknown place)"
                            : absl::StrCat(mapper ? mapper(file) : file, ":", line, ":", column);
    std::fprintf(stderr,
                 "%s: warning: %s was read while the snapshot was built, but V8 %s has none "
                 "then: the code got a placeholder that throws when used, not the %s it has at "
                 "run time.\n"
                 "  fix: read it at run time (in a v8snap.snapshot.onDeserialize callback, or "
                 "lazily on first use)\n",
                 where.c_str(), name.c_str(), compat::kV8MajorMinor, name.c_str());
  }
}

// compat::kLateBuiltins as the script takes it: [[holder, key, stand-in], ...].
v8::Local<v8::Array> LateBuiltinsList(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  v8::Local<v8::Array> list = v8::Array::New(isolate);
  uint32_t index = 0;
  for (const compat::LateBuiltin& late : compat::kLateBuiltins) {
    v8::Local<v8::Value> fields[] = {V8String(isolate, late.holder), V8String(isolate, late.key),
                                     V8String(isolate, late.stand_in)};
    list->Set(context, index++, v8::Array::New(isolate, fields, 3)).Check();
  }
  return list;
}

// The late built-ins as a message lists them: "WebAssembly, SharedArrayBuffer, Object.hasOwn".
std::string LateBuiltinNames() {
  std::vector<std::string> names;
  for (const compat::LateBuiltin& late : compat::kLateBuiltins) {
    std::string holder = late.holder;
    std::string name = holder == "globalThis" ? late.key
                       : late.key[0] == '[' ? holder + late.key
                                            : absl::StrCat(holder, ".", late.key);
    if (holder.find("unscopables") == std::string::npos) names.push_back(name);
  }
  return absl::StrJoin(names, ", ");
}

// V8 reports parsing syntax whose support it installs only after a load (compat::kLateSyntax):
// the build stops before any of it runs, naming what was being compiled.
void OnUseCounter(v8::Isolate* isolate, v8::Isolate::UseCounterFeature feature) {
  for (const compat::LateSyntax& late : compat::kLateSyntax) {
    if (late.feature != feature) continue;
    BuildWatch::Stop(
        isolate,
        absl::StrCat(
            "holds ", late.what, ", which V8 ", compat::kV8MajorMinor,
            " cannot run while a snapshot is built: V8 installs ", late.needs,
            " only after a snapshot is loaded, and running one while building crashes it or "
            "skips the work. V8 parses the functions of every source it compiles, so a source "
            "that holds one cannot be compiled while building.\n  fix: load that code at run "
            "time: make its file a lazy_esm source (compiled on its first import, after the "
            "load), or import() it at run time"));
    return;
  }
}

}  // namespace

namespace {
// The BuildTimeGlobals that finished on each isolate (one build per isolate at a time).
std::mutex finished_mutex;
std::map<v8::Isolate*, const BuildTimeGlobals*>& Finished() {
  static auto* finished = new std::map<v8::Isolate*, const BuildTimeGlobals*>();
  return *finished;
}
}  // namespace

absl::StatusOr<BuildTimeGlobals> BuildTimeGlobals::Install(v8::Isolate* isolate,
                                                           v8::Local<v8::Context> context) {
  v8::HandleScope scope(isolate);
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin = compat::MakeScriptOrigin(isolate, V8String(isolate, kScriptName));
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> function;
  v8::Local<v8::Value> prelude;
  v8::Local<v8::Value> args[] = {LateBuiltinsList(isolate, context),
                                 V8String(isolate, compat::kV8MajorMinor)};
  if (!v8::Script::Compile(context, V8String(isolate, kBuildTimeGlobalsJs), &origin)
           .ToLocal(&script) ||
      !script->Run(context).ToLocal(&function) || !function->IsFunction() ||
      !function.As<v8::Function>()
           ->Call(context, v8::Undefined(isolate), 2, args)
           .ToLocal(&prelude) ||
      !prelude->IsObject()) {
    return absl::InternalError(absl::StrCat(
        "could not set up the build-time globals: ",
        try_catch.HasCaught() ? FormatTryCatch(isolate, context, try_catch) : "no state"));
  }
  isolate->SetUseCounterCallback(OnUseCounter);
  return BuildTimeGlobals(isolate, prelude.As<v8::Object>());
}

absl::Status BuildTimeGlobals::Finish(v8::SnapshotCreator& creator, v8::Local<v8::Context> context,
                                      const ScriptNameMapper& mapper, Sidecar& sidecar) {
  v8::HandleScope scope(isolate_);
  v8::Local<v8::Object> prelude = prelude_.Get(isolate_);
  v8::Local<v8::Value> state_value = Field(context, prelude, "state");
  if (!state_value->IsObject()) return absl::InternalError("the build-time globals have no state");
  v8::Local<v8::Object> state = state_value.As<v8::Object>();
  RETURN_IF_ERROR(RunSnapshotCallbacks(isolate_, context, state, SnapshotHook::kSerialize, mapper));
  ASSIGN_OR_RETURN(v8::Local<v8::Value> finished, CallMethod(isolate_, context, prelude, "finish"));
  if (!finished->IsObject()) return absl::InternalError("finish() returned no result");
  v8::Local<v8::Value> problems = Field(context, finished.As<v8::Object>(), "problems");
  if (problems->IsArray() && problems.As<v8::Array>()->Length() > 0) {
    std::vector<std::string> lines;
    v8::Local<v8::Array> list = problems.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::Local<v8::Value> item;
      if (list->Get(context, i).ToLocal(&item)) lines.push_back(ToUtf8(isolate_, item));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "the snapshot cannot be loaded: at the end of the build ", absl::StrJoin(lines, ", "),
        ". V8 ", compat::kV8MajorMinor, " adds its late built-ins (", LateBuiltinNames(),
        ") to these objects after every load, and aborts when it cannot.\n  fix: freeze them at "
        "run time: call Object.freeze (or your lockdown) in a v8snap.snapshot.onDeserialize "
        "callback, which "
        "runs after those are added; likewise define a non-configurable property there"));
  }
  PrintPlaceholderReads(isolate_, context, Field(context, finished.As<v8::Object>(), "reads"),
                        mapper);
  v8::Local<v8::Value> made = Field(context, finished.As<v8::Object>(), "placeholders");
  if (made->IsArray()) {
    v8::Local<v8::Array> list = made.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); ++i) {
      v8::Local<v8::Value> item, name, proxy;
      if (!list->Get(context, i).ToLocal(&item) || !item->IsArray() ||
          !item.As<v8::Array>()->Get(context, 0).ToLocal(&name) ||
          !item.As<v8::Array>()->Get(context, 1).ToLocal(&proxy)) {
        continue;
      }
      placeholders_.emplace_back(v8::Global<v8::Value>(isolate_, proxy), ToUtf8(isolate_, name));
    }
  }
  // Without work for the load, the sidecar names no state and a load pays nothing for it.
  if (Field(context, finished.As<v8::Object>(), "loadHasWork")->IsTrue()) {
    sidecar.set_build_state_data_index(static_cast<int32_t>(creator.AddData(context, state)));
  }
  prelude_.Reset();
  {
    std::lock_guard<std::mutex> lock(finished_mutex);
    Finished()[isolate_] = this;
  }
  return absl::OkStatus();
}

BuildTimeGlobals::~BuildTimeGlobals() {
  std::lock_guard<std::mutex> lock(finished_mutex);
  auto it = Finished().find(isolate_);
  if (it != Finished().end() && it->second == this) Finished().erase(it);
}

std::vector<std::pair<v8::Local<v8::Value>, std::string>> BuildTimeGlobals::Placeholders(
    v8::Isolate* isolate) {
  std::vector<std::pair<v8::Local<v8::Value>, std::string>> list;
  std::lock_guard<std::mutex> lock(finished_mutex);
  auto it = Finished().find(isolate);
  if (it == Finished().end()) return list;
  for (const auto& [proxy, name] : it->second->placeholders_) {
    list.emplace_back(proxy.Get(isolate), name);
  }
  return list;
}

absl::Status BuildTimeGlobals::CheckFlagsTakeEffectWhileBuilding(
    const std::vector<std::string>& flags) {
  std::vector<std::string> found;
  for (const std::string& flag : flags) {
    std::string name = V8FlagName(flag);
    for (const compat::LateFlag& late : compat::kLateFlags) {
      if (name == late.name) {
        found.push_back(absl::StrCat(flag, " (", late.adds, ")"));
        break;
      }
    }
  }
  if (found.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "--v8-flags: ", absl::StrJoin(found, ", "), found.size() == 1 ? " takes" : " take",
      " effect only in a context that is not being snapshotted: V8 ", compat::kV8MajorMinor,
      " applies ",
      found.size() == 1 ? "it" : "them", " after a snapshot is loaded, so what ",
      found.size() == 1 ? "it adds is" : "they add is",
      " absent while this snapshot is built, and a runtime refuses a snapshot built with a flag "
      "that changes how code runs.\n  fix: drop ",
      found.size() == 1 ? "it" : "them",
      "; feature-detect at run time (in a v8snap.snapshot.onDeserialize callback)"));
}

}  // namespace v8snap
