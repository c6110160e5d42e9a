// Makes V8 compute and cache the line ends of every script an isolate holds, so that a heap
// snapshot taken afterwards stays linear in the size of the sources.
//
// Usage: call ComputeScriptLineEnds(isolate) right before HeapProfiler::TakeHeapSnapshot, with
// the isolate entered and a HandleScope open.
//
// Why: V8 10.2's heap snapshot gives every function its line and column. For a script whose line
// ends were never computed it finds them by scanning the source from the start, once per
// function, so a 3.7 MB source with 40,000 functions takes tens of seconds. Once a script's line
// ends are cached (which any line-number query does), each lookup is a binary search. V8 13.6
// computes them once per heap snapshot itself, so there this does nothing
// (compat/heap_snapshot.h).
#ifndef V8SNAP_RUNTIME_SCRIPT_LINE_ENDS_H_
#define V8SNAP_RUNTIME_SCRIPT_LINE_ENDS_H_

#include "v8-isolate.h"

namespace v8snap {

// Returns the number of scripts visited (0 on V8 13.6). Costs one pass over each script's source,
// once: the line ends stay cached on the script (and are carried in a snapshot blob).
int ComputeScriptLineEnds(v8::Isolate* isolate);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_SCRIPT_LINE_ENDS_H_
