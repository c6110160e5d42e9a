// core: the bootstrap every extension builds on. Classic script, runs first.
"use strict";
((globalThis) => {
  const core = globalThis.v8snap.core;
  const ops = core.ops;

  // Writes text to stdout (or stderr) as is.
  core.print = (text, toStderr = false) => ops.op_print(String(text), !!toStderr);

  // Names of every op, in op-id order.
  core.opNames = () => Object.keys(ops);

  // v8snap.snapshot: the hooks around serialization (docs/runtime.md). The builder hands over
  // its state (callback lists, `building`) before any extension runs, and runs the lists itself
  // (snapshot_builder/build_time_globals.h, runtime/snapshot_hooks.h), so that a throwing
  // callback is reported with the place it was defined. From source there is no builder:
  // nothing is being built and nothing will be loaded.
  const state = core.snapshotState ?? { building: false, serialize: [], deserialize: [] };
  delete core.snapshotState;
  // Errors start their stack at the caller of onSerialize / onDeserialize.
  const fail = (error, api) => {
    Error.captureStackTrace?.(error, api);
    throw error;
  };
  const register = (list, name, callback, api) => {
    if (!state.building) {
      fail(new Error(
          `v8snap.snapshot.${name}() may only be called while a snapshot is built, and ` +
          "v8snap.snapshot.isBuilding() is false here (this code runs from a loaded snapshot " +
          `or from source); guard it: if (v8snap.snapshot.isBuilding()) ` +
          `v8snap.snapshot.${name}(fn); else ...`), api);
    }
    if (typeof callback !== "function") {
      fail(new TypeError(`v8snap.snapshot.${name}(callback): expected a function, got ${
          callback === null ? "null" : typeof callback}`), api);
    }
    list.push(callback);
  };
  const onSerialize = (callback) =>
    void register(state.serialize, "onSerialize", callback, onSerialize);
  const onDeserialize = (callback) =>
    void register(state.deserialize, "onDeserialize", callback, onDeserialize);
  globalThis.v8snap.snapshot = Object.freeze({
    // True while a snapshot is being built (extension code, --warmup, onSerialize callbacks);
    // false in a runtime loaded from a snapshot (onDeserialize callbacks included) and from
    // source.
    isBuilding: () => state.building,
    // Runs `callback()` once the build's JS is done, right before the heap is serialized.
    onSerialize,
    // Runs `callback()` after each load of the snapshot, before the main module.
    onDeserialize,
  });
})(globalThis);
