// Looks up V8's module namespace accessors in the linked libnode (see the header for why).
#include "check/v8_internal_references.h"

#include <dlfcn.h>

#include "v8-initialization.h"

namespace v8snap {

const std::vector<V8InternalReference>& V8InternalReferences() {
  static const std::vector<V8InternalReference>* references = [] {
    // Itanium-mangled names of V8 10.2's
    //   static void Accessors::ModuleNamespaceEntryGetter(Local<Name>, const
    //   PropertyCallbackInfo<Value>&) static void
    //   Accessors::ModuleNamespaceEntrySetter(Local<Name>, Local<Value>,
    //                                                    const PropertyCallbackInfo<Boolean>&)
    // libnode exports every V8 symbol, so dlsym finds them without declaring V8's internal class.
    const std::pair<const char*, const char*> wanted[] = {
        {"v8.Accessors::ModuleNamespaceEntryGetter",
         "_ZN2v88internal9Accessors26ModuleNamespaceEntryGetterENS_5LocalINS_4NameEEERKNS_"
         "20PropertyCallbackInfoINS_5ValueEEE"},
        {"v8.Accessors::ModuleNamespaceEntrySetter",
         "_ZN2v88internal9Accessors26ModuleNamespaceEntrySetterENS_5LocalINS_4NameEEENS2_INS_"
         "5ValueEEERKNS_20PropertyCallbackInfoINS_7BooleanEEE"},
    };
    // dlsym(RTLD_DEFAULT) searches the libraries already loaded. This call is a real reference
    // to libnode, so every program that computes a layout loads it (the linker's --as-needed
    // would drop it from one that calls nothing else of V8, such as check_unittests).
    v8::V8::GetVersion();
    auto* found = new std::vector<V8InternalReference>();
    for (const auto& [name, symbol] : wanted) {
      if (void* address = dlsym(RTLD_DEFAULT, symbol)) {
        found->push_back({name, reinterpret_cast<intptr_t>(address)});
      }
    }
    return found;
  }();
  return *references;
}

}  // namespace v8snap
