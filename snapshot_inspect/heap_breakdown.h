// What fills a heap, from its graph (heap_graph.h): bytes by category, by the extension and the
// script or module objects come from, and the objects that retain the most, each with a path
// from a global or a module export. No V8 here: heap_composition.cc copies the graph and names
// the starting points.
//
// Attribution: a script node (its name is the specifier, `ext:console/console.js`) and its source
// string come from that script; a function's code and closures come from the script of their
// SharedFunctionInfo; a module's namespace object and module record from that module. Every other
// object comes from whatever its immediate dominator comes from, so an object reachable only
// through one extension's functions or module is that extension's, and an object two extensions
// (or V8 itself) share is "(not attributed)". A script V8 no longer holds (a classic script whose
// functions are all gone) accounts for nothing, so what its top level stored on the global object
// shows as not attributed too.
//
// Usage:
//   HeapStartPoints start;   // filled from the live context
//   AnalyzeHeap(graph, start, &composition);
#ifndef V8SNAP_SNAPSHOT_INSPECT_HEAP_BREAKDOWN_H_
#define V8SNAP_SNAPSHOT_INSPECT_HEAP_BREAKDOWN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "snapshot_inspect/heap_graph.h"
#include "snapshot_inspect/inspect_report.pb.h"

namespace v8snap::inspect {

inline constexpr char kNotAttributed[] = "(not attributed)";

struct HeapStartPoints {
  // Where retaining paths start, by V8 object id, in order of preference: the globals the
  // extensions added ("globalThis.bigTable"), then module exports ("rowCount (export of
  // ext:rows/rows.js)").
  std::vector<std::pair<uint64_t, std::string>> roots;
  // Module namespace objects by V8 object id, and their module's specifier.
  std::vector<std::pair<uint64_t, std::string>> module_namespaces;
  // Objects never listed among the biggest (the global proxy: it holds everything; the global
  // object itself, the target of the root's shortcut edge, is left out without being named).
  std::vector<uint64_t> excluded;
  // Script name (specifier) → extension, from the sidecar's sources.
  absl::flat_hash_map<std::string, std::string> extension_of;
  // How many biggest objects to keep.
  int biggest = 50;
};

// Fills composition's categories, extensions, sources and biggest. Linear in nodes and edges
// (plus the dominator tree's near-linear cost and a sort of the categories).
void AnalyzeHeap(const HeapGraph& graph, const HeapStartPoints& start,
                 HeapComposition* composition);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_HEAP_BREAKDOWN_H_
