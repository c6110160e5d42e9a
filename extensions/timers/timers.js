// timers: setTimeout, setInterval, clearTimeout, clearInterval and queueMicrotask, as in
// browsers and Node. An ES module: `import { setTimeout } from "ext:timers/timers.js"` works too.
// Timers fire in order of due time, equal delays in the order they were set, each as its own
// task followed by its microtasks. A pending timer keeps the process alive.
const { ops } = globalThis.v8snap.core;

function schedule(name, callback, delay, args, repeat) {
  if (typeof callback !== "function") {
    throw new TypeError(`${name}: the callback must be a function, got ${typeof callback}`);
  }
  const run = args.length === 0 ? callback : () => callback(...args);
  return ops.op_timer_start(run, Number(delay), repeat);
}

// Calls callback(...args) once, after `delay` ms (at least 1). Returns a numeric id.
export function setTimeout(callback, delay = 0, ...args) {
  return schedule("setTimeout", callback, delay, args, false);
}

// Calls callback(...args) every `delay` ms (at least 1) until cleared. Returns a numeric id.
export function setInterval(callback, delay = 0, ...args) {
  return schedule("setInterval", callback, delay, args, true);
}

// Cancels a timeout or an interval (they share one set of ids, as in browsers). Unknown ids,
// undefined and null are ignored.
export function clearTimeout(id) {
  if (id !== undefined && id !== null) ops.op_timer_clear(Number(id));
}

export function clearInterval(id) {
  clearTimeout(id);
}

// Runs callback after the current task, before any timer. What it throws is uncaught.
export function queueMicrotask(callback) {
  if (typeof callback !== "function") {
    throw new TypeError(`queueMicrotask: the callback must be a function, got ${typeof callback}`);
  }
  ops.op_queue_microtask(callback);
}

for (const [name, value] of Object.entries({
  setTimeout,
  setInterval,
  clearTimeout,
  clearInterval,
  queueMicrotask,
})) {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}
