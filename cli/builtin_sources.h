// Where a manifest's "builtin:" source paths point (format/manifest_loader.h): found once at a
// tool's start, so the same manifest builds from the source tree, from an installation and from
// an embedder's build folder.
#ifndef V8SNAP_CLI_BUILTIN_SOURCES_H_
#define V8SNAP_CLI_BUILTIN_SOURCES_H_

#include <string>

namespace v8snap {

// The built-in extensions' folder, first found of: $V8SNAP_BUILTIN_DIR; an installation's
// share/v8snap/extensions, found from the libnode this process loaded (PREFIX/lib, also for an
// embedder's binaries in their own build folder) or from the binary (PREFIX/bin); in v8snap's
// build tree, out/X/../../extensions. Empty when none exists.
std::string FindBuiltinSourceRoot();

// SetBuiltinSourceRoot(FindBuiltinSourceRoot()). RunBuilderMain and RunInspectMain call it.
void ConfigureBuiltinSources();

}  // namespace v8snap

#endif  // V8SNAP_CLI_BUILTIN_SOURCES_H_
