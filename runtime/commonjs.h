// CommonJS/UMD sources (`cjs:` in a manifest) and the manifest's import map, as the bootstrap
// evaluates them. A CJS source runs as a classic script that hands its body to a registry kept in
// the context (so it is in the snapshot), wrapped in a function of (exports, require, module,
// __filename, __dirname) whose first line is the source's first line, so places in errors stay
// right; a small ES module under the same specifier has module.exports as its default export.
// `require` resolves relative paths among the manifest's CJS sources (".js" and "/index.js"
// added as Node does), "ext:" specifiers, and bare names through the import map.
#ifndef V8SNAP_RUNTIME_COMMONJS_H_
#define V8SNAP_RUNTIME_COMMONJS_H_

#include <map>
#include <string>

#include "format/manifest.pb.h"
#include "format/sidecar.pb.h"

namespace v8snap {

// Bare specifier -> "ext:" specifier.
using ImportMap = std::map<std::string, std::string>;
ImportMap ImportMapOf(const Manifest& manifest);
ImportMap ImportMapOf(const Sidecar& sidecar);

// The script name the registry is installed under (what a stack through require() shows).
inline constexpr char kCommonJsRegistryName[] = "ext:v8snap/commonjs.js";

// The classic script that installs the registry, once per context (later runs do nothing).
std::string CommonJsRegistryScript(const ImportMap& import_map);

// The classic script that registers one CJS source. `specifier` is "ext:<extension>/<file>",
// `path` the source's path as written in the manifest (what relative requires resolve against).
std::string CommonJsDefineScript(const std::string& specifier, const std::string& path,
                                 const std::string& contents);

// The ES module importable as `specifier`: `export default` the source's module.exports.
std::string CommonJsFacadeModule(const std::string& specifier);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_COMMONJS_H_
