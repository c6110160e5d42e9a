// The hello world that start-up comparisons run (`deno run hello.js`, `node hello.js`): one line
// to stdout. startup_vs_floor times `snapshot_run --snapshot default.bin bench/hello.js`.
console.log("hello, world");
