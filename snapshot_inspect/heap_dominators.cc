// Lengauer-Tarjan ("A fast algorithm for finding dominators in a flowgraph", 1979), the simple
// version: semidominators by a reverse-preorder sweep with a path-compressed forest, then the
// immediate dominators in preorder. Everything works on preorder numbers, so the forest and the
// buckets are plain arrays.
#include "snapshot_inspect/heap_dominators.h"

#include <utility>

namespace v8snap::inspect {
namespace {

// The link-eval forest over preorder numbers, with path compression: Eval(v) is the vertex of
// smallest semidominator on the forest path above v (v itself when v is a forest root).
class Forest {
 public:
  Forest(int32_t n, const std::vector<int32_t>& semi) : semi_(semi), ancestor_(n, -1), label_(n) {
    for (int32_t i = 0; i < n; ++i) label_[i] = i;
  }

  void Link(int32_t parent, int32_t child) { ancestor_[child] = parent; }

  int32_t Eval(int32_t v) {
    if (ancestor_[v] < 0) return v;
    Compress(v);
    return label_[v];
  }

 private:
  // Iterative path compression: walk up to the last node below a forest root, then fold labels
  // and ancestors back down the path, top first.
  void Compress(int32_t v) {
    path_.clear();
    while (ancestor_[ancestor_[v]] >= 0) {
      path_.push_back(v);
      v = ancestor_[v];
    }
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      const int32_t u = *it;
      const int32_t a = ancestor_[u];
      if (semi_[label_[a]] < semi_[label_[u]]) label_[u] = label_[a];
      ancestor_[u] = ancestor_[a];
    }
  }

  const std::vector<int32_t>& semi_;
  std::vector<int32_t> ancestor_;
  std::vector<int32_t> label_;
  std::vector<int32_t> path_;
};

}  // namespace

DominatorTree ComputeDominators(int32_t node_count, int32_t root,
                                const std::vector<int32_t>& edge_begin,
                                const std::vector<int32_t>& edge_to) {
  DominatorTree tree;
  tree.idom.assign(node_count, -1);
  if (node_count == 0 || root < 0 || root >= node_count) return tree;

  // Depth-first preorder; parent[] in preorder numbers.
  std::vector<int32_t> number(node_count, -1);
  std::vector<int32_t>& vertex = tree.preorder;
  std::vector<int32_t> parent;
  std::vector<std::pair<int32_t, int32_t>> stack;  // (node, next edge)
  number[root] = 0;
  vertex.push_back(root);
  parent.push_back(-1);
  stack.emplace_back(root, edge_begin[root]);
  while (!stack.empty()) {
    auto& [v, next] = stack.back();
    if (next == edge_begin[v + 1]) {
      stack.pop_back();
      continue;
    }
    const int32_t w = edge_to[next++];
    if (number[w] >= 0) continue;
    number[w] = static_cast<int32_t>(vertex.size());
    parent.push_back(number[v]);
    vertex.push_back(w);
    stack.emplace_back(w, edge_begin[w]);
  }
  const int32_t n = static_cast<int32_t>(vertex.size());

  // Predecessors among reachable nodes, in preorder numbers (compressed, like the input).
  std::vector<int32_t> pred_begin(n + 1, 0);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = vertex[i];
    for (int32_t e = edge_begin[v]; e < edge_begin[v + 1]; ++e)
      ++pred_begin[number[edge_to[e]] + 1];
  }
  for (int32_t i = 0; i < n; ++i) pred_begin[i + 1] += pred_begin[i];
  std::vector<int32_t> pred(pred_begin[n]);
  std::vector<int32_t> fill(pred_begin.begin(), pred_begin.end() - 1);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = vertex[i];
    for (int32_t e = edge_begin[v]; e < edge_begin[v + 1]; ++e)
      pred[fill[number[edge_to[e]]]++] = i;
  }

  std::vector<int32_t> semi(n), idom(n, -1);
  for (int32_t i = 0; i < n; ++i) semi[i] = i;
  // bucket[s]: the vertices whose semidominator is s, as singly linked lists.
  std::vector<int32_t> bucket_head(n, -1), bucket_next(n, -1);
  Forest forest(n, semi);
  for (int32_t w = n - 1; w > 0; --w) {
    for (int32_t p = pred_begin[w]; p < pred_begin[w + 1]; ++p) {
      const int32_t u = forest.Eval(pred[p]);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    bucket_next[w] = bucket_head[semi[w]];
    bucket_head[semi[w]] = w;
    const int32_t p = parent[w];
    forest.Link(p, w);
    for (int32_t v = bucket_head[p]; v >= 0; v = bucket_next[v]) {
      const int32_t u = forest.Eval(v);
      idom[v] = semi[u] < semi[v] ? u : p;
    }
    bucket_head[p] = -1;
  }
  for (int32_t w = 1; w < n; ++w) {
    if (idom[w] != semi[w]) idom[w] = idom[idom[w]];
  }
  for (int32_t w = 1; w < n; ++w) tree.idom[vertex[w]] = vertex[idom[w]];
  return tree;
}

}  // namespace v8snap::inspect
