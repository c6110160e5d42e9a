// Looks up the functions the linked V8's table lacks (compat/v8_table_gaps.h) in the loaded
// libnode.
#include "check/v8_internal_references.h"

#include <dlfcn.h>

#include "compat/v8_table_gaps.h"
#include "v8-initialization.h"

namespace v8snap {

const std::vector<V8InternalReference>& V8InternalReferences() {
  static const std::vector<V8InternalReference>* references = [] {
    // dlsym(RTLD_DEFAULT) searches the libraries already loaded. This call is a real reference
    // to libnode, so every program that computes a layout loads it (the linker's --as-needed
    // would drop it from one that calls nothing else of V8, such as check_unittests).
    v8::V8::GetVersion();
    auto* found = new std::vector<V8InternalReference>();
    for (const compat::V8TableGap& gap : compat::kV8TableGaps) {
      if (void* address = dlsym(RTLD_DEFAULT, gap.symbol)) {
        found->push_back({gap.name, reinterpret_cast<intptr_t>(address)});
      }
    }
    return found;
  }();
  return *references;
}

}  // namespace v8snap
