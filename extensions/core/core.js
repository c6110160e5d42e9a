// core: the bootstrap every extension builds on. Classic script, runs first.
"use strict";
((globalThis) => {
  const core = globalThis.v8snap.core;
  const ops = core.ops;

  // Writes text to stdout (or stderr) as is.
  core.print = (text, toStderr = false) => ops.op_print(String(text), !!toStderr);

  // Names of every op, in op-id order.
  core.opNames = () => Object.keys(ops);
})(globalThis);
