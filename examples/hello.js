// The `make demo` script: runs on the default snapshot and uses several of its extensions.
const started = performance.now();
console.log("hello from v8snap:", { ops: v8snap.core.opNames().length, extensions: "from the snapshot" });

// encoding + crypto
const bytes = new TextEncoder().encode("snapshot ✓");
console.log("%d UTF-8 bytes, base64 %s, uuid %s", bytes.length, btoa("v8snap"), crypto.randomUUID().length === 36 ? "ok" : "bad");

// ES modules from the snapshot, and top-level await on a timer.
const { format } = await import("ext:console/console.js");
await new Promise((resolve) => setTimeout(resolve, 10));
console.log(format("%s imported, timer fired, %O", "ext:console/console.js", [1, { a: "x" }]));

// fs through an async op, allowed by --allow-read in tools/demo.sh.
const text = await v8snap.fs.readTextFile(import.meta.url.slice("file://".length));
console.log("read my own source: %d lines", text.split("\n").length);
console.log("done in %s ms", (performance.now() - started).toFixed(1));
