// The `make demo` script: runs on the default snapshot and uses several extensions.
console.log("hello from v8snap:", { extensions: v8snap.core.opNames().length + " ops" });

const { format } = await import("ext:console/console.js");
console.log(format("%s loaded as an ES module from the snapshot", "ext:console/console.js"));
console.log("import.meta.url =", import.meta.url);
