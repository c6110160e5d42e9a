// ComputeScriptLineEnds: what the V8 at hand needs before a heap snapshot (compat/).
#include "runtime/script_line_ends.h"

#include "compat/heap_snapshot.h"

namespace v8snap {

int ComputeScriptLineEnds(v8::Isolate* isolate) {
  return compat::CacheLineEndsForHeapSnapshot(isolate);
}

}  // namespace v8snap
