// kv: the JS face of the kv extension's ops, evaluated while the snapshot is built. Scripts
// import it as "ext:kv/kv.js" or use globalThis.kv.
const { ops } = globalThis.v8snap.core;

export function set(key, value) {
  ops.op_kv_set(String(key), String(value));
}

export function get(key) {
  return ops.op_kv_get(String(key));
}

// Resolves to get(key), looked up on a worker thread.
export function getLater(key) {
  return ops.op_kv_get_later(String(key));
}

globalThis.kv = Object.freeze({ set, get, getLater });
