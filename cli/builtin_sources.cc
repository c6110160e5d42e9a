// Finding the built-in extensions' folder for "builtin:" manifest sources.
#include "cli/builtin_sources.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "format/manifest_loader.h"
#include "v8-initialization.h"

namespace v8snap {
namespace {

bool IsFolder(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The running binary's folder, from /proc (argv[0] may be a bare name found on PATH).
std::string ExecutableFolder() {
  char buffer[4096];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) return "";
  std::string path(buffer, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

// The folder of the V8 library this process loaded. An installed v8snap keeps libnode in
// PREFIX/lib, and every program linked against it loads it from there (through its rpath),
// wherever the program itself lives: an embedder's builder in its own build folder included.
std::string V8LibraryFolder() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&v8::V8::GetVersion), &info) == 0 ||
      info.dli_fname == nullptr) {
    return "";
  }
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace

std::string FindBuiltinSourceRoot() {
  if (const char* env = std::getenv("V8SNAP_BUILTIN_DIR"); env != nullptr && env[0] != '\0') {
    return env;
  }
  const std::string lib = V8LibraryFolder();
  const std::string bin = ExecutableFolder();
  for (const std::string& candidate : {lib + "/../share/v8snap/extensions",
                                       bin + "/../share/v8snap/extensions",
                                       bin + "/../../extensions"}) {
    // extensions/core/ is there in both layouts; a folder merely named "extensions" is not enough.
    if (candidate[0] == '/' && IsFolder(candidate + "/core")) return candidate;
  }
  return "";
}

void ConfigureBuiltinSources() { SetBuiltinSourceRoot(FindBuiltinSourceRoot()); }

}  // namespace v8snap
