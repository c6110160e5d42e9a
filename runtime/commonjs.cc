// CommonJS/UMD sources and the import map: the JS the bootstrap evaluates for them.
#include "runtime/commonjs.h"

#include "absl/strings/str_cat.h"

namespace v8snap {
namespace {

// A JS string literal (double-quoted) of `text`.
std::string JsString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, "\\x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The registry. Its state (factories, cache, the import map) lives in this closure, which the
// snapshot keeps: a require() at run time of a source nothing required while building still
// finds it. Node's semantics where they matter to real packages: one evaluation per source,
// a cycle sees the partial exports, `this` is module.exports.
constexpr char kRegistry[] = R"JS((function (importMap) {
  const key = Symbol.for("v8snap.commonjs");
  if (globalThis[key]) return;
  const sources = new Map();  // specifier -> { path, factory }
  const byPath = new Map();   // normalized path -> specifier
  const cache = new Map();    // specifier -> module
  const normalize = (path) => {
    const parts = [];
    for (const part of path.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === ".." && parts.length && parts[parts.length - 1] !== "..") parts.pop();
      else parts.push(part);
    }
    return parts.join("/");
  };
  const dirname = (path) => path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const resolve = (request, fromPath, fromSpecifier) => {
    if (request.startsWith("ext:")) {
      if (sources.has(request)) return request;
    } else if (request.startsWith("./") || request.startsWith("../") || request === "." ||
               request === "..") {
      const base = normalize(dirname(fromPath) + "/" + request);
      for (const path of [base, base + ".js", base + "/index.js"]) {
        if (byPath.has(path)) return byPath.get(path);
      }
    } else if (Object.prototype.hasOwnProperty.call(importMap, request) &&
               sources.has(importMap[request])) {
      return importMap[request];
    }
    throw new Error(`Cannot find module '${request}' required by ${fromSpecifier}: expected ` +
        "a CommonJS source of the manifest (`cjs:`) at that relative path, an 'ext:' " +
        "specifier of one, or a bare name in the manifest's import_map; add the source to a " +
        "`cjs:` list or an `import_map { from: ... to: ... }` entry");
  };
  const load = (specifier) => {
    const cached = cache.get(specifier);
    if (cached) return cached.exports;
    const source = sources.get(specifier);
    const module = { id: specifier, exports: {}, loaded: false };
    cache.set(specifier, module);
    const require = (request) => load(resolve(request, source.path, specifier));
    require.resolve = (request) => resolve(request, source.path, specifier);
    require.cache = {};
    module.require = require;
    source.factory.call(module.exports, module.exports, require, module, source.path,
                        dirname(source.path));
    module.loaded = true;
    return module.exports;
  };
  Object.defineProperty(globalThis, key, {
    value: Object.freeze({
      define(specifier, path, factory) {
        sources.set(specifier, { path: normalize(path), factory });
        byPath.set(normalize(path), specifier);
      },
      require: load,
    }),
  });
}))JS";

}  // namespace

ImportMap ImportMapOf(const Manifest& manifest) {
  ImportMap map;
  for (const ImportMapEntry& entry : manifest.import_map()) map.emplace(entry.from(), entry.to());
  return map;
}

ImportMap ImportMapOf(const Sidecar& sidecar) {
  ImportMap map;
  for (const ImportMapRecord& entry : sidecar.import_map()) map.emplace(entry.from(), entry.to());
  return map;
}

std::string CommonJsRegistryScript(const ImportMap& import_map) {
  std::string object = "{";
  for (const auto& [from, to] : import_map) {
    absl::StrAppend(&object, object.size() > 1 ? "," : "", JsString(from), ":", JsString(to));
  }
  return absl::StrCat(kRegistry, "(", object, "});\n");
}

std::string CommonJsDefineScript(const std::string& specifier, const std::string& path,
                                 const std::string& contents) {
  // One line of prefix joined to the source's first: line numbers in errors are the file's.
  // A hashbang line would be a syntax error inside the function; it becomes a comment.
  std::string body = contents;
  if (body.rfind("#!", 0) == 0) body.replace(0, 2, "//");
  return absl::StrCat("globalThis[Symbol.for(\"v8snap.commonjs\")].define(", JsString(specifier),
                      ", ", JsString(path),
                      ", function (exports, require, module, __filename, __dirname) {", body,
                      "\n});\n");
}

std::string CommonJsFacadeModule(const std::string& specifier) {
  return absl::StrCat("export default globalThis[Symbol.for(\"v8snap.commonjs\")].require(",
                      JsString(specifier), ");\n");
}

}  // namespace v8snap
