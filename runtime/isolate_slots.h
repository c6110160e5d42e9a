// Which v8::Isolate data slot holds which per-isolate object (one table, so no two users clash).
#ifndef V8SNAP_RUNTIME_ISOLATE_SLOTS_H_
#define V8SNAP_RUNTIME_ISOLATE_SLOTS_H_

#include <cstdint>

namespace v8snap {

enum IsolateSlot : uint32_t {
  kModuleMapSlot = 0,     // ModuleMap*
  kRuntimeStateSlot = 1,  // RuntimeState* (op state, event loop, permissions)
};

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_ISOLATE_SLOTS_H_
