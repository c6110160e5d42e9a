// The heap composition of a snapshot: what Isolate::New + Context::New from the blob holds, by
// V8 heap-snapshot node type and constructor, by category, extension and source, the objects
// that retain the most (heap_breakdown.h), and the global object's own property names.
//
// The blob is loaded with a placeholder external-reference table of the sidecar's length:
// distinct addresses that are never called (nothing runs in the context), so the inspector can
// measure a snapshot of any runtime without linking that runtime's native code.
#ifndef V8SNAP_SNAPSHOT_INSPECT_HEAP_COMPOSITION_H_
#define V8SNAP_SNAPSHOT_INSPECT_HEAP_COMPOSITION_H_

#include <string>

#include "absl/status/statusor.h"
#include "format/snapshot_files.h"
#include "snapshot_inspect/inspect_report.pb.h"

namespace v8snap::inspect {

// `pair` must be verified (ReadSnapshotPair). Refuses, before V8 sees the bytes, a blob whose
// V8 header does not parse, names another V8 version, or whose V8 checksum does not match its
// bytes (V8 would abort the process on either: blob_file.h CheckBlobLoadableByV8). Starts V8 in
// this process (once). Groups are sorted by bytes, largest first, then by type and constructor.
absl::StatusOr<HeapComposition> MeasureHeap(const SnapshotPair& pair, const std::string& blob_path);

// Keeps the `top` largest groups and categories and the `top` biggest objects (0 keeps all
// groups and categories, and the 50 biggest objects); totals, extensions and sources still cover
// every object.
void KeepTopGroups(int top, HeapComposition* heap);

// Groups whose count or bytes differ (largest byte change first) and global property names
// added or removed, from complete (untruncated) compositions.
HeapDiff DiffHeaps(const HeapComposition& old_heap, const HeapComposition& new_heap);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_HEAP_COMPOSITION_H_
