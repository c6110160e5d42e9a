// The op under a plain name, and a hot loop over it that optimizing compilers will pick up.
const { op_fast_probe: probe, op_fast_probe_count: count } = v8snap.core.ops;
globalThis.fastProbe = {
  count,
  // The sum of probe(i) for i in [0, n), with a non-int32 every 1000th call.
  loop(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum = (sum + probe(i % 1000 === 999 ? 0.5 : i)) | 0;
    return sum;
  },
};
