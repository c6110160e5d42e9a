// V8's own functions that a snapshot may point at but the linked V8's external-reference table
// lacks, per V8 version: v8snap's layout carries them after the ops (kind V8_INTERNAL), found in
// the loaded libnode by symbol (check/v8_internal_references.h).
//
// A module namespace object (`import * as ns`, `export * as ns from`) has one accessor per
// export, whose getter and setter are V8's Accessors::ModuleNamespaceEntryGetter/Setter.
//   - V8 10.2's table has no ACCESSOR_GETTER_LIST, so nothing lists the getter, and serializing
//     such an object aborts the builder ("Unknown external reference"): the layout adds the
//     getter and the setter, as it always has, so 10.2 sidecars keep their shape.
//   - V8 13.6's table lists both itself (ACCESSOR_GETTER_LIST and ACCESSOR_SETTER_LIST in its
//     src/codegen/external-reference-table.cc), and libnode137 does not export them: the layout
//     adds nothing, and a 13.6 sidecar has no V8_INTERNAL entry.
#ifndef V8SNAP_COMPAT_V8_TABLE_GAPS_H_
#define V8SNAP_COMPAT_V8_TABLE_GAPS_H_

#include <array>

#include "v8-version.h"

namespace v8snap::compat {

struct V8TableGap {
  // Stable name in the sidecar: "v8.Accessors::ModuleNamespaceEntryGetter".
  const char* name;
  // Itanium-mangled symbol, looked up with dlsym (libnode exports every V8 symbol of 10.2).
  const char* symbol;
};

#if V8_MAJOR_VERSION >= 13
inline constexpr std::array<V8TableGap, 0> kV8TableGaps = {};
#else
//   static void Accessors::ModuleNamespaceEntryGetter(Local<Name>,
//                                                     const PropertyCallbackInfo<Value>&)
//   static void Accessors::ModuleNamespaceEntrySetter(Local<Name>, Local<Value>,
//                                                     const PropertyCallbackInfo<Boolean>&)
inline constexpr std::array<V8TableGap, 2> kV8TableGaps = {{
    {"v8.Accessors::ModuleNamespaceEntryGetter",
     "_ZN2v88internal9Accessors26ModuleNamespaceEntryGetterENS_5LocalINS_4NameEEERKNS_"
     "20PropertyCallbackInfoINS_5ValueEEE"},
    {"v8.Accessors::ModuleNamespaceEntrySetter",
     "_ZN2v88internal9Accessors26ModuleNamespaceEntrySetterENS_5LocalINS_4NameEEENS2_INS_"
     "5ValueEEERKNS_20PropertyCallbackInfoINS_7BooleanEEE"},
}};
#endif

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_V8_TABLE_GAPS_H_
