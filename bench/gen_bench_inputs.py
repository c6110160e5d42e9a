#!/usr/bin/env python3
"""Generates the benchmark inputs: synthetic manifests of realistic JS, and Node's entry script.

Usage: gen_bench_inputs.py OUT_DIR   (run_bench.sh uses OUT_DIR = out/bench/data)

Writes, deterministically (fixed seeds; the same files on every run and machine):
  synthetic/manifest.textproto    core + console + 40 JS-only extensions, about 2 MB of JS: per
                                  extension a classic script, three ES modules that import each
                                  other and a lazy module. Classes with getters and statics,
                                  closures, object literals, frozen string tables, regexes, switch
                                  tables, template literals: the shape of a runtime like Deno's.
  synthetic/first_script.js       a user script that calls every function the extensions
                                  registered once (what "time to first script" runs).
  scaling/N/manifest.textproto    N = 10, 100, 1000 JS-only extensions, one ~1 KB classic script
                                  each (the builder's scaling curve).
  node/entry.js                   for `node --build-snapshot`: evaluates the default manifest's
                                  sources (see the comment at its top).
Prints one line per output with its size.
"""
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYNTHETIC_EXTENSIONS = 40
TARGET_BYTES = 2 * 1024 * 1024
SCALING_SIZES = (10, 100, 1000)

WORDS = ("alpha beta gamma delta stream buffer socket request response header cookie cache "
         "timer signal worker channel message queue encoder decoder reader writer parser token "
         "node tree route handler context session record field schema value option config "
         "permission resource path url blob file text event target listener abort controller "
         "promise resolver iterator chunk frame packet digest cipher key nonce").split()


def ident(rng, prefix=""):
    a, b = rng.choice(WORDS), rng.choice(WORDS)
    return prefix + a + b[0].upper() + b[1:]


class ModuleWriter:
    """Emits one source file of realistic code, about `budget` bytes, into `self.out`."""

    def __init__(self, rng, tag, budget):
        self.rng = rng
        self.tag = tag  # unique per file, keeps top-level names distinct across files
        self.budget = budget
        self.out = []
        self.size = 0
        self.exports = []
        self.n = 0

    def emit(self, text):
        self.out.append(text)
        self.size += len(text) + 1

    def name(self, kind):
        self.n += 1
        return f"{ident(self.rng, kind)}_{self.tag}_{self.n}"

    def string_table(self):
        rng = self.rng
        name = self.name("MESSAGES_").upper()
        entries = []
        for i in range(rng.randint(12, 30)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
            entries.append(f'  {ident(rng)}{i}: "The {words} is not valid here ({i}).",')
        self.emit(f"const {name} = Object.freeze({{\n" + "\n".join(entries) + "\n});")
        return name

    def klass(self, table):
        rng = self.rng
        cls = self.name("Class")
        fields = [ident(rng) for _ in range(rng.randint(2, 5))]
        lines = [f"class {cls} {{", f"  #state = {{ {', '.join(f'{f}: null' for f in fields)} }};",
                 "  #listeners = new Map();", "  constructor(options = {}) {"]
        for f in fields:
            lines.append(f"    this.#state.{f} = options.{f} ?? {rng.randint(0, 100)};")
        lines.append("  }")
        for f in fields:
            lines += [f"  get {f}() {{ return this.#state.{f}; }}",
                      f"  set {f}(value) {{",
                      f"    if (typeof value !== \"number\" && typeof value !== \"string\") {{",
                      f"      throw new TypeError({table}[Object.keys({table})[0]]);",
                      "    }", f"    this.#state.{f} = value;",
                      f"    this.#emit(\"{f}\", value);", "  }"]
        lines += ["  on(type, listener) {",
                  "    let list = this.#listeners.get(type);",
                  "    if (list === undefined) this.#listeners.set(type, (list = []));",
                  "    list.push(listener);", "    return () => list.splice(list.indexOf(listener), 1);",
                  "  }", "  #emit(type, value) {",
                  "    for (const listener of this.#listeners.get(type) ?? []) listener(value, this);",
                  "  }"]
        for _ in range(rng.randint(2, 4)):
            method = ident(rng)
            a, b = rng.sample(fields, 2) if len(fields) > 1 else (fields[0], fields[0])
            lines += [f"  {method}(input) {{",
                      "    const parts = [];",
                      f"    for (let i = 0; i < {rng.randint(2, 9)}; i++) {{",
                      f"      parts.push(`${{this.#state.{a}}}:${{i}}:${{input ?? \"{rng.choice(WORDS)}\"}}`);",
                      "    }",
                      f"    switch (parts.length % {rng.randint(3, 5)}) {{",
                      f"      case 0: return parts.join(\"{rng.choice(',;|/')}\");",
                      f"      case 1: return parts.map((p) => p.toUpperCase()).join(\"-\");",
                      f"      default: return String(this.#state.{b}) + parts.length;",
                      "    }", "  }"]
        lines += [f"  static create(options) {{ return new {cls}(options); }}",
                  f"  get [Symbol.toStringTag]() {{ return \"{cls}\"; }}", "}"]
        self.emit("\n".join(lines))
        return cls

    def factory(self):
        rng = self.rng
        fn = self.name("make")
        counter = ident(rng)
        self.emit("\n".join([
            f"function {fn}(start = {rng.randint(0, 10)}, step = {rng.randint(1, 5)}) {{",
            f"  let {counter} = start;",
            "  const history = [];",
            "  const record = (value) => {",
            f"    if (history.length > {rng.randint(8, 64)}) history.shift();",
            "    history.push(value);", "    return value;", "  };",
            "  return Object.freeze({",
            f"    next: () => record(({counter} += step)),",
            f"    reset() {{ {counter} = start; history.length = 0; }},",
            f"    get value() {{ return {counter}; }},",
            "    history: () => history.slice(),",
            "    map(fn) { return history.map((value, index) => fn(value, index)); },",
            "  });", "}"]))
        return fn

    def config(self):
        rng = self.rng
        name = self.name("DEFAULT_").upper()
        items = []
        for _ in range(rng.randint(4, 10)):
            key = ident(rng)
            kind = rng.randint(0, 4)
            if kind == 0:
                value = str(rng.randint(0, 65536))
            elif kind == 1:
                value = f'"{rng.choice(WORDS)}/{rng.choice(WORDS)}"'
            elif kind == 2:
                value = "[" + ", ".join(str(rng.randint(0, 99)) for _ in range(rng.randint(2, 8))) + "]"
            elif kind == 3:
                value = f'{{ enabled: {rng.choice(["true", "false"])}, limit: {rng.randint(1, 999)} }}'
            else:
                value = f"/^{rng.choice(WORDS)}[-_]?(\\d+)$/i"
            items.append(f"  {key}: {value},")
        self.emit(f"const {name} = {{\n" + "\n".join(items) + "\n};")
        return name

    def validator(self, table):
        rng = self.rng
        fn = self.name("validate")
        checks = []
        for _ in range(rng.randint(2, 6)):
            key = ident(rng)
            checks.append("\n".join([
                f"  if (input.{key} !== undefined) {{",
                f"    if (typeof input.{key} !== \"{rng.choice(['string', 'number', 'boolean'])}\") {{",
                f"      errors.push({{ field: \"{key}\", message: {table}[Object.keys({table})[{rng.randint(0, 11)}]] }});",
                "    }", "  }"]))
        self.emit("\n".join([f"function {fn}(input) {{",
                             "  const errors = [];",
                             "  if (input === null || typeof input !== \"object\") return [{ field: \"\", message: \"not an object\" }];",
                             *checks, "  return errors;", "}"]))
        return fn

    def fill(self):
        """Top-level declarations until the budget is used; returns names for the self-test."""
        callables = []
        while self.size < self.budget:
            table = self.string_table()
            cls = self.klass(table)
            fn = self.factory()
            cfg = self.config()
            val = self.validator(table)
            self.exports += [table, cls, fn, cfg, val]
            callables.append((cls, fn, cfg, val))
        return callables

    def selftest(self, callables):
        """A function exercising everything defined above once (the first script calls it)."""
        body = []
        for cls, fn, cfg, val in callables:
            body += [f"  {{ const o = {cls}.create({cfg}); const c = {fn}(); c.next(); c.next();",
                     f"    out.push(String(o), c.value, {val}({cfg}).length); }}"]
        return "\n".join(["() => {", "  const out = [];", *body, "  return out.length;", "}"])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return len(text.encode())


def synthetic(out_dir):
    rng = random.Random(20240501)
    base = os.path.join(out_dir, "synthetic")
    rel_core = os.path.relpath(os.path.join(ROOT, "extensions/core/core.js"), base)
    rel_console = os.path.relpath(os.path.join(ROOT, "extensions/console/console.js"), base)
    manifest = ['# Generated by bench/gen_bench_inputs.py: about 2 MB of realistic JS.',
                'name: "synthetic"',
                f'extension {{\n  name: "core"\n  js: "{rel_core}"\n}}',
                f'extension {{\n  name: "console"\n  deps: "core"\n  esm: "{rel_console}"\n}}']
    # fill() stops after the group that crosses its budget: aim a group (~3.5 KB) short.
    per_file = TARGET_BYTES // (SYNTHETIC_EXTENSIONS * 5) - 3500
    total = 0
    for e in range(SYNTHETIC_EXTENSIONS):
        ext = f"synth_{e:03d}"
        files = {}
        # Classic script: an IIFE that installs a namespace, like a runtime's 00_*.js.
        w = ModuleWriter(rng, f"{e}c", per_file)
        calls = w.fill()
        files["install.js"] = "\n".join([
            f"// {ext}: installs globalThis.synth.{ext} (classic script).", '"use strict";',
            "((globalThis) => {",
            "  const synth = (globalThis.synth ??= { tests: [], namespaces: {} });",
            *w.out,
            f"  synth.namespaces.{ext} = {{ {', '.join(w.exports[:40])} }};",
            f"  synth.tests.push({w.selftest(calls)});", "})(globalThis);", ""])
        # Three modules: b imports a, c imports a and b (static imports inside the extension).
        # Named imports only: V8 10.2 cannot serialize a module namespace object (`import * as
        # ns`): its export getters are not in V8's external-reference table.
        prev = []
        for m in ("a", "b", "c"):
            w = ModuleWriter(rng, f"{e}{m}", per_file)
            calls = w.fill()
            imports = [f'import {{ {", ".join(names[:3])} }} from "ext:{ext}/mod_{p}.js";'
                       for p, names in prev]
            imported = [n for _, names in prev for n in names[:3]]
            files[f"mod_{m}.js"] = "\n".join([
                f"// {ext}/mod_{m}.js (ES module).", *imports,
                "const { ops } = globalThis.v8snap.core;", *w.out,
                f"export {{ {', '.join(w.exports)} }};",
                f"export const uses = [{', '.join(f'typeof {n}' for n in imported)}];",
                f"globalThis.synth.tests.push({w.selftest(calls)});", ""])
            prev.append((m, w.exports))
        w = ModuleWriter(rng, f"{e}l", per_file)
        calls = w.fill()
        files["lazy.js"] = "\n".join([f"// {ext}/lazy.js (lazy ES module: compiled on first import).",
                                      *w.out, f"export {{ {', '.join(w.exports)} }};",
                                      f"export const selftest = {w.selftest(calls)};", ""])
        for name, text in files.items():
            total += write(os.path.join(base, ext, name), text)
        manifest.append("\n".join([
            "extension {", f'  name: "{ext}"', '  deps: "core"', f'  js: "{ext}/install.js"',
            f'  esm: ["{ext}/mod_a.js", "{ext}/mod_b.js", "{ext}/mod_c.js"]',
            f'  lazy_esm: "{ext}/lazy.js"', "}"]))
    write(os.path.join(base, "manifest.textproto"), "\n\n".join(manifest) + "\n")
    write(os.path.join(base, "first_script.js"), "\n".join([
        "// Calls every self-test the synthetic extensions registered, once: the first script a",
        "// user runs touches the runtime's functions for the first time. Leaves no global",
        "// binding behind, so it can also serve as snapshot_builder's --warmup script.",
        "(() => {", "  let n = 0;", "  for (const test of globalThis.synth.tests) n += test();",
        "  return n;", "})();", ""]))
    print(f"synthetic/manifest.textproto: {SYNTHETIC_EXTENSIONS + 2} extensions, {total} bytes of JS")
    return total


def scaling(out_dir):
    for count in SCALING_SIZES:
        rng = random.Random(count)
        base = os.path.join(out_dir, "scaling", str(count))
        manifest = [f'# Generated by bench/gen_bench_inputs.py: {count} JS-only extensions.',
                    f'name: "scaling_{count}"']
        total = 0
        for e in range(count):
            ext = f"scale_{e:04d}"
            w = ModuleWriter(rng, f"s{e}", 700)
            w.factory()
            w.config()
            text = "\n".join([f"// {ext}", "((globalThis) => {", *w.out,
                              f"  (globalThis.scale ??= {{}}).{ext} = {{ {', '.join(w.exports)} }};",
                              "})(globalThis);", ""])
            total += write(os.path.join(base, f"{ext}.js"), text)
            manifest.append(f'extension {{ name: "{ext}" js: "{ext}.js" }}')
        write(os.path.join(base, "manifest.textproto"), "\n".join(manifest) + "\n")
        print(f"scaling/{count}/manifest.textproto: {count} extensions, {total} bytes of JS")


HEAP_LARGE_FUNCTIONS = 40000


def heap_large(out_dir):
    """One classic script of 40,000 small functions (~3.7 MB), all kept reachable: what
    `snapshot_inspect heap` costs on a large source, against building the same snapshot."""
    lines = ["// Generated by bench/gen_bench_inputs.py: many functions in one large source.",
             "globalThis.handlers = ["]
    for i in range(HEAP_LARGE_FUNCTIONS):
        lines.append(f"  function handler_{i}(request, options) {{ return request.field_{i % 97} ?? "
                     f"options.fallback + {i}; }},")
    lines += ["];", ""]
    base = os.path.join(out_dir, "heap_large")
    total = write(os.path.join(base, "large.js"), "\n".join(lines))
    write(os.path.join(base, "manifest.textproto"),
          '# Generated by bench/gen_bench_inputs.py.\nname: "heap_large"\n'
          'extension { name: "large" js: "large.js" }\n')
    print(f"heap_large/manifest.textproto: {HEAP_LARGE_FUNCTIONS} functions, {total} bytes of JS")


def manifest_sources(path):
    """[(extension, kind, path)] of a manifest, in load order (js, then esm, then lazy_esm)."""
    text = re.sub(r"#[^\n]*", "", open(path).read())
    base = os.path.dirname(path)
    out = []
    for block in re.findall(r"extension\s*\{(.*?)\}", text, flags=re.S):
        name = re.search(r'name:\s*"([^"]+)"', block).group(1)
        for kind in ("js", "esm", "lazy_esm"):
            for m in re.finditer(kind + r':\s*(\[[^\]]*\]|"[^"]*")', block):
                for source in re.findall(r'"([^"]+)"', m.group(1)):
                    out.append((name, kind, os.path.normpath(os.path.join(base, source))))
    return out


def module_as_function(source, specifier):
    """An ES module's text as the body of a function returning its exports; imports become
    __require(specifier) calls. Handles the forms v8snap's extensions use."""
    ext_dir = specifier.rsplit("/", 1)[0]

    def resolve(spec):
        return ext_dir + "/" + spec[2:] if spec.startswith("./") else spec

    def named(m):
        names = m.group(1).replace(" as ", ": ")
        return f"const {{{names}}} = __require({resolve(m.group(2))!r});"
    source = re.sub(r'^import\s*\{([^}]*)\}\s*from\s*"([^"]+)";', named, source, flags=re.M)
    source = re.sub(r'^import\s*\*\s*as\s+(\w+)\s+from\s*"([^"]+)";',
                    lambda m: f"const {m.group(1)} = __require({resolve(m.group(2))!r});",
                    source, flags=re.M)
    source = re.sub(r'^import\s+(\w+)\s+from\s*"([^"]+)";',
                    lambda m: f"const {m.group(1)} = __require({resolve(m.group(2))!r}).default;",
                    source, flags=re.M)
    exported = re.findall(
        r"^export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+(\w+)", source, flags=re.M)
    for group in re.findall(r"^export\s*\{([^}]*)\};?", source, flags=re.M):
        for item in group.split(","):
            parts = item.split(" as ")
            if parts[0].strip():
                exported.append(f"{parts[-1].strip()}: {parts[0].strip()}")
    source = re.sub(r"^export\s*\{[^}]*\};?", "", source, flags=re.M)
    source = re.sub(r"^export\s+", "", source, flags=re.M)
    return '"use strict";\n' + source + f"\nreturn {{ {', '.join(exported)} }};"


def node_entry(out_dir):
    """entry.js for `node --snapshot-blob x --build-snapshot entry.js`: the default manifest's JS."""
    ops = sorted(set(re.findall(r'\{\s*"(op_\w+)"', "".join(
        open(os.path.join(dirpath, f)).read()
        for dirpath, _, files in os.walk(os.path.join(ROOT, "extensions"))
        for f in files if f.endswith(".cc")))))
    lines = [
        "// Generated by bench/gen_bench_inputs.py: what snapshot_builder evaluates for",
        "// manifests/default.textproto, for Node. The native ops v8snap binds are stood in for by",
        "// JS stubs (op_print and op_console_write write to stdout/stderr, the others return",
        "// undefined). Classic scripts run as they are, in manifest order. Each ES module becomes a",
        "// function returning its exports, its imports calls to __require(specifier), which",
        "// evaluates a module once, dependencies first, as ES module linking would; modules are",
        "// evaluated in manifest order. Lazy modules are kept as source strings, as the v8snap",
        "// snapshot carries them. Everything stays reachable from globalThis, so the snapshot holds",
        "// it.",
        "globalThis.v8snap = { core: { ops: {",
        "  op_print: (text, toStderr) => (toStderr ? process.stderr : process.stdout).write(text),",
        "  op_console_write: (text, toStderr) =>",
        "    (toStderr ? process.stderr : process.stdout).write(text + '\\n'),",
    ]
    lines += [f"  {op}: () => undefined," for op in ops if op not in ("op_print", "op_console_write")]
    lines += ["} } };",
              "const __factories = {}, __modules = {}, __lazy = {};",
              "globalThis.__v8snapModules = __modules;",
              "globalThis.__v8snapLazySources = __lazy;",
              "function __require(specifier) {",
              "  if (!(specifier in __modules)) __modules[specifier] = __factories[specifier]();",
              "  return __modules[specifier];",
              "}"]
    order = []
    for extension, kind, path in manifest_sources(os.path.join(ROOT, "manifests/default.textproto")):
        text = open(path).read()
        specifier = f"ext:{extension}/{os.path.basename(path)}"
        rel = os.path.relpath(path, ROOT)
        if kind == "js":
            lines += [f"// --- {rel} (classic script) ---", text]
        elif kind == "esm":
            lines += [f"// --- {rel} (ES module {specifier}) ---",
                      f"__factories[{specifier!r}] = function () {{",
                      module_as_function(text, specifier), "};"]
            order.append(specifier)
        else:
            lines += [f"// --- {rel} (lazy ES module {specifier}: source only) ---",
                      f"__lazy[{specifier!r}] = {json.dumps(text)};"]
    lines += [f"__require({spec!r});" for spec in order] + [""]
    text = "\n".join(lines)
    write(os.path.join(out_dir, "node", "entry.js"), text)
    print(f"node/entry.js: {len(order)} modules, {len(text)} bytes")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_bench_inputs.py OUT_DIR")
    out_dir = sys.argv[1]
    synthetic(out_dir)
    scaling(out_dir)
    heap_large(out_dir)
    node_entry(out_dir)


if __name__ == "__main__":
    main()
