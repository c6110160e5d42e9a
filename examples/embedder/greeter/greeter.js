// greeter: the JS face of the greeter extension's ops. An ES module evaluated while the
// snapshot is built, so it is already in the heap when a runtime starts; scripts import it as
// "ext:greeter/greeter.js" or use globalThis.greeter.
const { ops } = globalThis.v8snap.core;

export function greet(name) {
  return ops.op_greet(String(name));
}

export function wordCount(text) {
  return ops.op_word_count(String(text));
}

// Resolves to greet(name) after delayMs, waited on a worker thread.
export function greetLater(name, delayMs = 0) {
  return ops.op_greet_later(String(name), Number(delayMs));
}

globalThis.greeter = Object.freeze({ greet, wordCount, greetLater });
