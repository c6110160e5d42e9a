// How the V8s' heap snapshots (v8::HeapProfiler::TakeHeapSnapshot) differ, for the builder's
// serialization check and `snapshot_inspect heap`.
//
// Line ends. A heap snapshot gives every function its line and column.
//   - V8 10.2 finds a line by scanning the source from the start, once per function, unless the
//     script's line ends are cached: a 3.7 MB source with 40,000 functions takes tens of
//     seconds. Any line-number query caches them, and V8 10.2's debug interface (which it ships
//     no header for, but libnode exports) is the one API that lists an isolate's scripts.
//   - V8 13.6 computes each script's line ends once per heap snapshot itself
//     (HeapSnapshot::GetScriptLineEnds): nothing to do, and its debug interface's
//     GetLoadedScripts has another signature.
//
// Node types. V8 13.6 has one more than 10.2: kObjectShape (14), what DevTools calls
// "(object shape)": hidden classes (system / Map), descriptor arrays and other data that tracks
// objects' shapes, which V8 10.2 files under kHidden.
#ifndef V8SNAP_COMPAT_HEAP_SNAPSHOT_H_
#define V8SNAP_COMPAT_HEAP_SNAPSHOT_H_

#include "v8-isolate.h"
#include "v8-profiler.h"
#include "v8-version.h"

namespace v8snap::compat {

// Caches the line ends of every script `isolate` holds where the V8 at hand needs that for a
// linear heap snapshot; returns the number of scripts visited (0 where nothing is needed). Call
// with the isolate entered and a HandleScope open.
int CacheLineEndsForHeapSnapshot(v8::Isolate* isolate);

// v8::HeapGraphNode::kObjectShape where the V8 at hand has it; a value no node has on V8 10.2.
inline constexpr int kHeapGraphObjectShape = 14;
#if V8_MAJOR_VERSION >= 13
static_assert(kHeapGraphObjectShape == v8::HeapGraphNode::kObjectShape);
#endif

}  // namespace v8snap::compat

#endif  // V8SNAP_COMPAT_HEAP_SNAPSHOT_H_
