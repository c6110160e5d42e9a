// The dominator tree against graphs whose answer is known, and against the definition
// (a naive fixed point) on random graphs.
#include "snapshot_inspect/heap_dominators.h"

#include <random>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

struct Graph {
  int32_t n;
  std::vector<int32_t> begin, to;
};

Graph FromEdges(int32_t n, const std::vector<std::pair<int32_t, int32_t>>& edges) {
  Graph g{n, std::vector<int32_t>(n + 1, 0), std::vector<int32_t>(edges.size())};
  for (auto [from, to] : edges) ++g.begin[from + 1];
  for (int32_t i = 0; i < n; ++i) g.begin[i + 1] += g.begin[i];
  std::vector<int32_t> fill(g.begin.begin(), g.begin.end() - 1);
  for (auto [from, to] : edges) g.to[fill[from]++] = to;
  return g;
}

// The definition: dom(root) = {root}, dom(v) = {v} + the intersection over predecessors, to a
// fixed point; idom(v) is the dominator of v (other than v) that every other one dominates.
std::vector<int32_t> NaiveIdom(const Graph& g, int32_t root) {
  const int32_t n = g.n;
  std::vector<bool> reached(n, false);
  std::vector<int32_t> stack = {root};
  reached[root] = true;
  while (!stack.empty()) {
    int32_t v = stack.back();
    stack.pop_back();
    for (int32_t e = g.begin[v]; e < g.begin[v + 1]; ++e) {
      if (!reached[g.to[e]]) {
        reached[g.to[e]] = true;
        stack.push_back(g.to[e]);
      }
    }
  }
  std::vector<std::vector<bool>> dom(n, std::vector<bool>(n, true));
  dom[root].assign(n, false);
  dom[root][root] = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (int32_t v = 0; v < n; ++v) {
      if (v == root || !reached[v]) continue;
      std::vector<bool> meet(n, true);
      for (int32_t u = 0; u < n; ++u) {
        if (!reached[u]) continue;
        for (int32_t e = g.begin[u]; e < g.begin[u + 1]; ++e) {
          if (g.to[e] != v) continue;
          for (int32_t k = 0; k < n; ++k) meet[k] = meet[k] && dom[u][k];
        }
      }
      meet[v] = true;
      if (meet != dom[v]) {
        dom[v] = meet;
        changed = true;
      }
    }
  }
  std::vector<int32_t> idom(n, -1);
  for (int32_t v = 0; v < n; ++v) {
    if (v == root || !reached[v]) continue;
    for (int32_t d = 0; d < n; ++d) {
      if (d == v || !dom[v][d]) continue;
      bool immediate = true;
      for (int32_t other = 0; other < n; ++other) {
        if (other != v && other != d && dom[v][other] && !dom[d][other]) immediate = false;
      }
      if (immediate) idom[v] = d;
    }
  }
  return idom;
}

// The flow graph of Lengauer and Tarjan's paper (R=0, A..L = 1..12).
TEST(HeapDominatorsTest, LengauerTarjanPaperGraph) {
  enum { R, A, B, C, D, E, F, G, H, I, J, K, L };
  Graph g = FromEdges(
      13, {{R, A}, {R, B}, {R, C}, {A, D}, {B, A}, {B, D}, {B, E}, {C, F}, {C, G}, {D, L}, {E, H},
           {F, I}, {G, I}, {G, J}, {H, E}, {H, K}, {I, K}, {J, I}, {K, I}, {K, R}, {L, H}});
  DominatorTree tree = ComputeDominators(g.n, R, g.begin, g.to);
  EXPECT_EQ(tree.idom, (std::vector<int32_t>{-1, R, R, R, R, R, C, C, R, R, G, R, D}));
  EXPECT_EQ(tree.preorder.size(), 13u);
  EXPECT_EQ(tree.preorder[0], R);
}

TEST(HeapDominatorsTest, ChainDiamondAndUnreachable) {
  // 0 -> 1 -> 2 -> {3, 4} -> 5; 6 unreachable; a long chain after 5.
  std::vector<std::pair<int32_t, int32_t>> edges = {{0, 1}, {1, 2}, {2, 3}, {2, 4},
                                                    {3, 5}, {4, 5}, {6, 5}};
  const int32_t chain = 200000;  // deep enough to overflow a recursive depth-first search
  for (int32_t i = 0; i < chain; ++i) edges.push_back({i == 0 ? 5 : 6 + i, 7 + i});
  Graph g = FromEdges(7 + chain, edges);
  DominatorTree tree = ComputeDominators(g.n, 0, g.begin, g.to);
  EXPECT_EQ(tree.idom[5], 2);
  EXPECT_EQ(tree.idom[3], 2);
  EXPECT_EQ(tree.idom[6], -1);
  EXPECT_EQ(tree.idom[7], 5);
  EXPECT_EQ(tree.idom[6 + chain], 5 + chain);
  EXPECT_EQ(tree.preorder.size(), static_cast<size_t>(6 + chain));
}

TEST(HeapDominatorsTest, MatchesTheDefinitionOnRandomGraphs) {
  std::mt19937 random(13);
  for (int round = 0; round < 300; ++round) {
    const int32_t n = 1 + static_cast<int32_t>(random() % 24);
    const int32_t m = static_cast<int32_t>(random() % (3 * n + 1));
    std::vector<std::pair<int32_t, int32_t>> edges;
    for (int32_t i = 0; i < m; ++i) {
      edges.push_back({static_cast<int32_t>(random() % n), static_cast<int32_t>(random() % n)});
    }
    Graph g = FromEdges(n, edges);
    DominatorTree tree = ComputeDominators(g.n, 0, g.begin, g.to);
    ASSERT_EQ(tree.idom, NaiveIdom(g, 0)) << "round " << round;
    // Every dominator comes before the nodes it dominates.
    std::vector<int32_t> position(n, -1);
    for (size_t i = 0; i < tree.preorder.size(); ++i) position[tree.preorder[i]] = i;
    for (int32_t v = 0; v < n; ++v) {
      if (tree.idom[v] >= 0) ASSERT_LT(position[tree.idom[v]], position[v]);
    }
  }
}

}  // namespace
}  // namespace v8snap::inspect
