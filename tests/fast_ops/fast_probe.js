// The op under a plain name, and a hot loop over it that optimizing compilers will pick up.
const { op_fast_probe: probe, op_fast_probe_count: count } = v8snap.core.ops;
// Every 1000th call passes one of these instead of an int32: what the op's two paths must agree
// on (the fast one sees only the Numbers V8 can hand it as an int32).
const edges = [0.5, -0, -1.5, 2147483648, -2147483649, 4294967297.7, 1e10, NaN, -Infinity, "3",
               true, null, undefined, {}];
globalThis.fastProbe = {
  count,
  // "sum of probe(x),sum of what JS says probe(x) is" over n calls.
  loop(n) {
    let sum = 0, expected = 0;
    for (let i = 0; i < n; i++) {
      const x = i % 1000 === 999 ? edges[((i / 1000) | 0) % edges.length] : i;
      sum = (sum + probe(x)) | 0;
      expected = (expected + (typeof x === "number" ? (x | 0) + 1 : -1)) | 0;
    }
    return `${sum},${expected}`;
  },
};
