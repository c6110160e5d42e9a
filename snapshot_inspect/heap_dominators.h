// The dominator tree of a directed graph from one root (Lengauer-Tarjan with path compression,
// O(E log V)), for the heap report's retained sizes: an object's retained size is what its
// dominator subtree holds, the bytes a collection would free if it went.
//
// Usage:
//   DominatorTree tree = ComputeDominators(node_count, root, edge_begin, edge_to);
//   for (int32_t v : tree.preorder) ...   // every reachable node, a dominator before the nodes
//                                          // it dominates
//   tree.idom[v]                           // -1 for the root and unreachable nodes
#ifndef V8SNAP_SNAPSHOT_INSPECT_HEAP_DOMINATORS_H_
#define V8SNAP_SNAPSHOT_INSPECT_HEAP_DOMINATORS_H_

#include <cstdint>
#include <vector>

namespace v8snap::inspect {

struct DominatorTree {
  // Immediate dominator of each node; -1 for the root and for nodes the root does not reach.
  std::vector<int32_t> idom;
  // The reachable nodes in depth-first preorder from the root (the root first). A node's
  // dominators all come before it.
  std::vector<int32_t> preorder;
};

// The graph in compressed form: node v's successors are edge_to[edge_begin[v] ..
// edge_begin[v + 1]). edge_begin has node_count + 1 entries. Iterative (no recursion, so a long
// chain of objects cannot overflow the stack); linear memory.
DominatorTree ComputeDominators(int32_t node_count, int32_t root,
                                const std::vector<int32_t>& edge_begin,
                                const std::vector<int32_t>& edge_to);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_HEAP_DOMINATORS_H_
