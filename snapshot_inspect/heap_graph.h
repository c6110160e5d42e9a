// V8's heap snapshot copied into plain arrays (nodes, and edges in compressed form), so the heap
// report's analysis (heap_breakdown.h) runs without V8 and can be tested on graphs made by hand.
//
// Usage:
//   const v8::HeapSnapshot* snapshot = profiler->TakeHeapSnapshot();
//   HeapGraph graph = CopyHeapGraph(isolate, *snapshot);
#ifndef V8SNAP_SNAPSHOT_INSPECT_HEAP_GRAPH_H_
#define V8SNAP_SNAPSHOT_INSPECT_HEAP_GRAPH_H_

#include <cstdint>
#include <string>
#include <vector>

namespace v8 {
class HeapSnapshot;
class Isolate;
}  // namespace v8

namespace v8snap::inspect {

struct HeapGraph {
  // v8::HeapGraphNode::Type, same values (checked where the graph is copied).
  enum NodeType : uint8_t {
    kHidden = 0,
    kArray = 1,
    kString = 2,
    kObject = 3,
    kCode = 4,
    kClosure = 5,
    kRegExp = 6,
    kHeapNumber = 7,
    kNative = 8,
    kSynthetic = 9,
    kConsString = 10,
    kSlicedString = 11,
    kSymbol = 12,
    kBigInt = 13,
    // V8 13.6's "(object shape)": hidden classes, descriptor arrays (compat/heap_snapshot.h);
    // V8 10.2 has no such type and files them under kHidden.
    kObjectShape = 14,
  };
  // v8::HeapGraphEdge::Type, same values.
  enum EdgeType : uint8_t {
    kVariableEdge = 0,
    kElementEdge = 1,
    kPropertyEdge = 2,
    kInternalEdge = 3,
    kHiddenEdge = 4,
    kShortcutEdge = 5,
    kWeakEdge = 6,
  };

  struct Node {
    NodeType type = kHidden;
    // Constructor name for objects, function name for closures and code, the script's name for
    // scripts, V8's kind name ("system / Map") for hidden nodes; empty for strings (their
    // contents are not copied).
    std::string name;
    // V8's object id (HeapProfiler::GetObjectId gives the same for a live value).
    uint64_t id = 0;
    int64_t self_size = 0;
  };
  struct Edge {
    EdgeType type = kInternalEdge;
    // Property or variable name, or the element index as decimal digits.
    std::string name;
    int32_t to = 0;
  };

  // nodes[0] is the snapshot's root.
  std::vector<Node> nodes;
  // Node v's edges are edges[edge_begin[v] .. edge_begin[v + 1]).
  std::vector<int32_t> edge_begin;
  std::vector<Edge> edges;
};

// Copies every node and edge; needs a HandleScope (names are V8 strings). Cost: linear in nodes
// and edges; a string node's name (its contents) is not copied.
HeapGraph CopyHeapGraph(v8::Isolate* isolate, const v8::HeapSnapshot& snapshot);

// DevTools' name for a node type ("closure", "concatenated string", ...).
const char* HeapNodeTypeName(HeapGraph::NodeType type);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_HEAP_GRAPH_H_
