// The process-wide extension registry.
#include <cstdio>
#include <cstdlib>

#include "runtime/extension.h"

namespace v8snap {

ExtensionRegistry& ExtensionRegistry::Global() {
  static ExtensionRegistry* registry = new ExtensionRegistry();  // Never destroyed: used at exit.
  return *registry;
}

void ExtensionRegistry::Register(ExtensionDecl decl) {
  if (extensions_.count(decl.name) != 0) {
    std::fprintf(stderr, "v8snap: native extension '%s' is registered twice; each name once.\n",
                 decl.name.c_str());
    std::abort();
  }
  std::string name = decl.name;
  extensions_.emplace(std::move(name), std::move(decl));
}

const ExtensionDecl* ExtensionRegistry::Find(const std::string& name) const {
  auto it = extensions_.find(name);
  return it == extensions_.end() ? nullptr : &it->second;
}

std::vector<std::string> ExtensionRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, decl] : extensions_) names.push_back(name);
  return names;
}

}  // namespace v8snap
