// The ES module map of one isolate: extension modules ("ext:<extension>/<file>"), lazy extension
// modules (kept as source, compiled on first import), and user modules loaded from files
// ("file:///abs/path.js"). Answers V8's resolve, dynamic-import and import.meta callbacks.
//
// Import errors reach JS as the original exception (a SyntaxError stays one) or, for what the map
// itself refuses, as an Error naming the importing module and the import's line:col. Files read
// for a dynamic import() (the imported file and the static imports it brings in) need read
// permission (RuntimeState's Permissions, --allow-read); the main script's static graph does not.
//
// Usage: create one per isolate after the context exists, Install() it, then Compile/Adopt modules
// and InstantiateAndEvaluate a root. Lives as long as the isolate's context.
#ifndef V8SNAP_RUNTIME_MODULE_MAP_H_
#define V8SNAP_RUNTIME_MODULE_MAP_H_

#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/js_error.h"
#include "v8-context.h"
#include "v8-persistent-handle.h"
#include "v8-promise.h"
#include "v8-script.h"

namespace v8snap {

class ModuleMap {
 public:
  // `allow_files`: whether relative, absolute and file:// specifiers may load from disk (the
  // runtime's user code). False while building a snapshot: then import() is refused too, and no
  // module namespace object is ever made, since this V8 cannot serialize one (the accessor of
  // its entries is missing from V8's external-reference table: "Unknown external reference").
  // The exception is an uncaught value, which fails the build: the map makes the console
  // module's inspect() the uncaught-value formatter (SetUncaughtValueInspector) when the first
  // uncaught value needs it, if that module has been evaluated (adopted from the snapshot, or
  // evaluated from source, also while building); a build without console shows them with
  // InspectPlainly (js_error.h) instead.
  ModuleMap(v8::Isolate* isolate, v8::Local<v8::Context> context, bool allow_files);
  ~ModuleMap();
  ModuleMap(const ModuleMap&) = delete;
  ModuleMap& operator=(const ModuleMap&) = delete;

  // Makes this map the one V8's module callbacks use for `isolate` (isolate data slot).
  void Install();
  static ModuleMap* From(v8::Isolate* isolate);

  // Compiles and records a module under `name` (a specifier or a file URL). Errors are formatted
  // JS errors with file:line:col.
  absl::StatusOr<v8::Local<v8::Module>> Compile(const std::string& name, const std::string& source);

  // Compiles `source` as module `name` without recording it: a syntax error is found now (e.g.
  // while building) rather than at first import. Errors as for Compile.
  absl::Status CheckSyntax(const std::string& name, const std::string& source);

  // Records a module that already exists (deserialized from a snapshot).
  void Adopt(const std::string& name, v8::Local<v8::Module> module);

  // Records a lazy module's source; it is compiled the first time something imports it.
  void AddLazySource(const std::string& name, std::string source);

  // Instantiates `module` (resolving its imports through this map) and evaluates it. Returns the
  // evaluation promise (modules may use top-level await). kAborted when execution was
  // terminated (a limit stopped it).
  absl::StatusOr<v8::Local<v8::Promise>> InstantiateAndEvaluate(v8::Local<v8::Module> module);

  // Loads a user module from a file path (compiles it, resolving nothing yet). The main script:
  // no permission is asked.
  absl::StatusOr<v8::Local<v8::Module>> LoadFile(const std::string& path);

  // Names of everything compiled or adopted, and lazy names, in sorted order.
  std::map<std::string, bool> Names() const;  // name -> is lazy and not yet compiled

  v8::Local<v8::Module> Find(const std::string& name) const;

  // The source of a lazy module not yet compiled; nullptr otherwise.
  const std::string* LazySource(const std::string& name) const;

  // Bare specifiers and the "ext:" modules they name (the manifest's import map; the sidecar's
  // at run time), consulted before any other resolution, by extension modules and user scripts.
  void SetImportMap(std::map<std::string, std::string> import_map) {
    import_map_ = std::move(import_map);
  }
  const std::map<std::string, std::string>& import_map() const { return import_map_; }

  // How script names appear in error messages (default: DisplayName).
  void SetNameMapper(ScriptNameMapper mapper) { mapper_ = std::move(mapper); }

  // Says why extension module `name`, imported by the module `referrer`, is not in the map
  // (say, its extension comes later in the manifest), or "" to give the generic
  // "unknown extension module" error. The builder sets it; it knows the manifest.
  using UnavailableModuleExplainer =
      std::function<std::string(const std::string& name, const std::string& referrer)>;
  void SetUnavailableModuleExplainer(UnavailableModuleExplainer explain) {
    explain_unavailable_ = std::move(explain);
  }

  // While building: the first import() call the map refused ("cannot import 'x' from
  // path:line:col: ..."), kept even when the script caught the rejection, since a build that
  // calls import() bakes a failed import into the snapshot; empty when there was none.
  const std::string& refused_import() const { return refused_import_; }

  // file:///abs → /abs; other names unchanged. For messages.
  static std::string DisplayName(const std::string& name);

 private:
  // Resolves `specifier` imported by the module named `referrer` to a module name. The error
  // says why, without naming the importer (the caller does, with the import's place).
  absl::StatusOr<std::string> ResolveName(const std::string& specifier,
                                          const std::string& referrer) const;
  // Compiles and records; on failure the exception (a SyntaxError) is left pending.
  v8::MaybeLocal<v8::Module> CompileOrThrow(const std::string& name, const std::string& source);
  v8::MaybeLocal<v8::Module> CompileUnrecorded(const std::string& name, const std::string& source);
  // Where an import is ("path:line:col"), worked out only when an error needs to say it: the
  // imports that succeed (nearly all) pay nothing for it.
  using ImportSiteFn = absl::FunctionRef<std::string()>;
  // Finds or loads (lazy source or file) the module called `name`, which `specifier` named at
  // `site`; throws into JS on failure.
  v8::MaybeLocal<v8::Module> FetchForImport(const std::string& name, const std::string& specifier,
                                            const std::string& referrer, ImportSiteFn site);
  // Reads a file module into `contents`; when a dynamic import is loading, only with read
  // permission. False with an exception pending.
  bool ReadFileModule(const std::string& path, const std::string& specifier,
                      ImportSiteFn site, std::string* contents);
  // The body of DynamicImportCallback up to evaluation; false with an exception pending.
  bool ImportDynamically(const std::string& specifier, const std::string& referrer,
                         v8::Local<v8::Module>* module, v8::Local<v8::Promise>* evaluation);
  // "path:line:col" of the static import of `specifier` in `referrer` (the path alone when the
  // request is not found), and of the running import() call.
  std::string ImportSite(v8::Local<v8::Module> referrer, const std::string& specifier) const;
  std::string CallSite(const std::string& referrer) const;
  void ThrowImportError(bool type_error, const std::string& specifier, ImportSiteFn site,
                        absl::string_view reason) const;
  std::string NameOf(v8::Local<v8::Module> module) const;
  // In a runtime whose console module has been evaluated: uncaught values print with its
  // inspect(), as Node prints them. A runtime without console keeps the plain formatting.
  // Called through the installer hook of js_error.h on the first uncaught value.
  void InstallUncaughtInspector();

  static v8::MaybeLocal<v8::Module> ResolveCallback(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> import_assertions,
                                                    v8::Local<v8::Module> referrer);
  static v8::MaybeLocal<v8::Promise> DynamicImportCallback(
      v8::Local<v8::Context> context, v8::Local<v8::Data> host_defined_options,
      v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier,
      v8::Local<v8::FixedArray> import_assertions);
  static void ImportMetaCallback(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                 v8::Local<v8::Object> meta);

  v8::Isolate* isolate_;
  v8::Global<v8::Context> context_;
  bool allow_files_;
  std::map<std::string, v8::Global<v8::Module>> modules_;
  std::unordered_multimap<int, std::string> names_by_hash_;
  std::map<std::string, std::string> lazy_sources_;
  // Above zero while a dynamic import() instantiates its graph: files read then need
  // --allow-read (the main script's static graph, loaded before, needs nothing).
  int dynamic_import_depth_ = 0;
  ScriptNameMapper mapper_ = &ModuleMap::DisplayName;
  UnavailableModuleExplainer explain_unavailable_;
  std::string refused_import_;
  std::map<std::string, std::string> import_map_;
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_MODULE_MAP_H_
