// Prints what Node prints for a corpus row run from source: the row's extension sources in
// manifest order (classic `js` through vm.runInThisContext, `esm` imported; `lazy_esm` only when
// imported), then its main.js. Use it to write a row's `--- expect` section:
//   node tests/corpus/node_expected.mjs tests/corpus/NAME.row
// `ext:<extension>/<file>` specifiers resolve to the row's files, `ext:console/console.js` to
// node:util (inspect, format), and `v8snap.snapshot` is what it is when run from source
// (isBuilding() false, registering throws). Exit code and stderr are Node's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename } from "node:path";
import { pathToFileURL } from "node:url";

const rowPath = process.argv[2];
const text = readFileSync(rowPath, "utf8");
// A "--- NAME@N" section replaces NAME for V8 N: by default the V8 of this node (Node 24: 13),
// or V8_MAJOR's.
const major = Number(process.env.V8_MAJOR ?? process.versions.v8.split(".")[0]);
const sections = {};
const versioned = new Set();
let current = null;
for (const line of text.split("\n")) {
  if (line.startsWith("--- ")) {
    const [name, forV8] = line.slice(4).trim().split(/\s+/)[0].split("@");
    current = null;
    if (forV8 !== undefined && Number(forV8) !== major) continue;
    if (forV8 === undefined && versioned.has(name)) continue;
    if (forV8 !== undefined) versioned.add(name);
    current = name;
    sections[current] = [];
  } else if (current) {
    sections[current].push(line);
  }
}
const body = (name) => (sections[name] ? sections[name].join("\n") : undefined);
const dir = mkdtempSync(join(tmpdir(), "corpus-node-"));
const files = {};
for (const name of Object.keys(sections)) {
  if (name === "manifest" || name === "expect") continue;
  writeFileSync(join(dir, name), body(name));
  files[basename(name)] = pathToFileURL(join(dir, name)).href;
}
const manifest = body("manifest") ?? 'extension { name: "app" deps: ["core", "console"] esm: "app.js" }';
const steps = [];
for (const m of manifest.matchAll(/\b(js|esm)\s*:\s*(\[[^\]]*\]|"[^"]*")/g)) {
  for (const s of m[2].matchAll(/"([^"]*)"/g)) steps.push([m[1], s[1]]);
}
writeFileSync(join(dir, "console-shim.mjs"),
  'import util from "node:util";\nexport const inspect = util.inspect;\nexport const format = util.format;\n' +
  "export const formatWithOptions = util.formatWithOptions;\n");
writeFileSync(join(dir, "hooks.mjs"), `
const files = ${JSON.stringify(files)};
export async function resolve(spec, ctx, next) {
  if (spec === "ext:console/console.js") return { url: ${JSON.stringify(pathToFileURL(join(dir, "console-shim.mjs")).href)}, shortCircuit: true };
  if (spec.startsWith("ext:")) {
    const file = spec.slice(spec.lastIndexOf("/") + 1);
    if (files[file]) return { url: files[file], shortCircuit: true };
  }
  return next(spec, ctx);
}
`);
let entry = `import { register } from "node:module";
import vm from "node:vm";
import { readFileSync } from "node:fs";
register(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});
const notBuilding = (what) => () => { throw new Error("v8snap.snapshot." + what + "() may only be called while a snapshot is built"); };
globalThis.v8snap = Object.freeze({ snapshot: Object.freeze({ isBuilding: () => false, onSerialize: notBuilding("onSerialize"), onDeserialize: notBuilding("onDeserialize") }) });
`;
for (const [kind, path] of steps) {
  const url = pathToFileURL(join(dir, path)).href;
  if (kind === "js") {
    entry += `vm.runInThisContext(readFileSync(new URL(${JSON.stringify(url)}), "utf8"), { filename: ${JSON.stringify(path)} });\n`;
  } else {
    entry += `await import(${JSON.stringify(url)});\n`;
  }
}
// What a --warmup script does while building (the row's `source-prelude:` files), then main.js.
for (const m of text.matchAll(/^source-prelude:(.*)$/gm)) {
  for (const name of m[1].trim().split(/\s+/).filter(Boolean)) {
    const url = pathToFileURL(join(dir, name)).href;
    entry += `vm.runInThisContext(readFileSync(new URL(${JSON.stringify(url)}), "utf8"), { filename: ${JSON.stringify(name)} });\n`;
  }
}
entry += `await import(${JSON.stringify(pathToFileURL(join(dir, "main.js")).href)});\n`;
writeFileSync(join(dir, "entry.mjs"), entry);
const r = spawnSync(process.execPath, ["--no-warnings", ...(process.env.NODE_FLAGS ?? "").split(" ").filter(Boolean), join(dir, "entry.mjs")], { encoding: "utf8" });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
rmSync(dir, { recursive: true, force: true });
process.exitCode = r.status ?? 1;
