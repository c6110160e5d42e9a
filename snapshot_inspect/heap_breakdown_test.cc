// The heap analysis on a graph made by hand, where every answer can be worked out on paper:
// retained sizes, attribution through scripts, functions, modules and dominators, and paths.
#include "snapshot_inspect/heap_breakdown.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

using G = HeapGraph;

class GraphBuilder {
 public:
  int Node(G::NodeType type, const std::string& name, int64_t size) {
    G::Node node;
    node.type = type;
    node.name = name;
    node.id = 1000 + nodes_.size();  // V8's ids are not indexes
    node.self_size = size;
    nodes_.push_back(node);
    edges_.emplace_back();
    return static_cast<int>(nodes_.size()) - 1;
  }
  void Edge(int from, G::EdgeType type, const std::string& name, int to) {
    edges_[from].push_back(G::Edge{type, name, to});
  }
  G Build() const {
    G graph;
    graph.nodes = nodes_;
    for (const auto& out : edges_) {
      graph.edge_begin.push_back(static_cast<int32_t>(graph.edges.size()));
      graph.edges.insert(graph.edges.end(), out.begin(), out.end());
    }
    graph.edge_begin.push_back(static_cast<int32_t>(graph.edges.size()));
    return graph;
  }
  uint64_t Id(int node) const { return nodes_[node].id; }

 private:
  std::vector<G::Node> nodes_;
  std::vector<std::vector<G::Edge>> edges_;
};

TEST(HeapBreakdownTest, RetainedSizesAttributionAndPaths) {
  GraphBuilder b;
  const int root = b.Node(G::kSynthetic, "", 0);
  const int global = b.Node(G::kObject, "Object", 40);
  const int big = b.Node(G::kObject, "Array", 32);
  const int store = b.Node(G::kArray, "", 8000);
  const int script = b.Node(G::kCode, "ext:a/a.js", 100);
  const int source = b.Node(G::kString, "", 500);
  const int sfi = b.Node(G::kCode, "f", 50);
  const int closure = b.Node(G::kClosure, "f", 60);
  const int context = b.Node(G::kObject, "system / Context", 40);
  const int rows = b.Node(G::kObject, "Array", 32);
  const int row = b.Node(G::kObject, "Object", 24);
  const int ns = b.Node(G::kObject, "Module", 32);
  const int module = b.Node(G::kHidden, "system / SourceTextModule", 100);
  const int cell = b.Node(G::kHidden, "system / Cell", 16);
  const int g = b.Node(G::kClosure, "g", 64);
  const int shared = b.Node(G::kObject, "Shared", 1000);
  const int weakly_held = b.Node(G::kObject, "Weak", 7);

  b.Edge(root, G::kShortcutEdge, "1", global);
  b.Edge(root, G::kElementEdge, "2", script);
  b.Edge(root, G::kElementEdge, "3", ns);
  b.Edge(root, G::kWeakEdge, "4", weakly_held);
  b.Edge(global, G::kPropertyEdge, "big", big);
  b.Edge(global, G::kPropertyEdge, "f", closure);
  b.Edge(global, G::kWeakEdge, "w", shared);
  b.Edge(big, G::kInternalEdge, "elements", store);
  b.Edge(script, G::kInternalEdge, "source", source);
  b.Edge(sfi, G::kInternalEdge, "script_or_debug_info", script);
  b.Edge(closure, G::kInternalEdge, "shared", sfi);
  b.Edge(closure, G::kInternalEdge, "context", context);
  b.Edge(context, G::kVariableEdge, "rows", rows);
  b.Edge(rows, G::kElementEdge, "0", row);
  b.Edge(row, G::kPropertyEdge, "shared", shared);
  b.Edge(ns, G::kHiddenEdge, "0", module);
  b.Edge(module, G::kHiddenEdge, "1", cell);
  b.Edge(cell, G::kInternalEdge, "value", g);
  b.Edge(g, G::kPropertyEdge, "shared", shared);
  const G graph = b.Build();

  HeapStartPoints start;
  start.roots = {{b.Id(big), "globalThis.big"},
                 {b.Id(closure), "globalThis.f"},
                 {b.Id(g), "g (export of ext:b/b.js)"}};
  start.module_namespaces = {{b.Id(ns), "ext:b/b.js"}};
  start.extension_of = {{"ext:a/a.js", "a"}, {"ext:b/b.js", "b"}};
  HeapComposition heap;
  AnalyzeHeap(graph, start, &heap);

  // Biggest first; the global object (the root's shortcut) and internal nodes are not listed.
  std::vector<std::string> biggest;
  for (const RetainedObject& o : heap.biggest()) {
    biggest.push_back(o.path() + " " + std::to_string(o.retained_bytes()) + " " + o.extension());
  }
  // The closure holds its SharedFunctionInfo (50) and its context, and the context the rows;
  // not the script (the root reaches it directly) nor `shared`, which g holds too: only the root
  // dominates `shared`, and its path starts from g, the nearer start point.
  EXPECT_THAT(biggest, ::testing::ElementsAre(
                           "globalThis.big 8032 ", "g (export of ext:b/b.js).shared 1000 ",
                           "globalThis.f.<shared>.<script_or_debug_info>.<source> 500 a",
                           "globalThis.f 206 a", "globalThis.f.<context> 96 a",
                           "g (export of ext:b/b.js) 64 b", "globalThis.f.<context>.rows 56 a",
                           "globalThis.f.<context>.rows[0] 24 a"));

  std::map<std::string, int64_t> categories, extensions, sources;
  for (const HeapShare& c : heap.categories()) categories[c.name()] = c.bytes();
  for (const HeapShare& e : heap.extensions()) extensions[e.name()] = e.bytes();
  for (const HeapShare& s : heap.sources()) sources[s.name()] = s.bytes();
  EXPECT_EQ(categories["arrays"], 32 + 8000 + 32);
  EXPECT_EQ(categories["source strings"], 500);
  EXPECT_EQ(categories["code and bytecode"], 100 + 50);
  EXPECT_EQ(categories["closures"], 60 + 64);
  EXPECT_EQ(categories["objects: Object"], 40 + 24);
  EXPECT_EQ(categories["V8 internals"], 100 + 16);
  // a: script, source, SFI, closure, context, rows, row. b: namespace, module, cell, g.
  EXPECT_EQ(extensions["a"], 100 + 500 + 50 + 60 + 40 + 32 + 24);
  EXPECT_EQ(extensions["b"], 32 + 100 + 16 + 64);
  // Not attributed: the global object, big and its store, shared, and the weakly held object.
  EXPECT_EQ(extensions[kNotAttributed], 40 + 32 + 8000 + 1000 + 7);
  EXPECT_EQ(sources["ext:a/a.js"], extensions["a"]);
  EXPECT_EQ(sources["ext:b/b.js"], extensions["b"]);
}

// V8 13.6's object-shape nodes (hidden classes, descriptor arrays; kHidden on 10.2) are V8
// internals, never listed as objects a user made, and named as DevTools names them.
TEST(HeapBreakdownTest, ObjectShapesAreV8Internals) {
  GraphBuilder b;
  const int root = b.Node(G::kSynthetic, "", 0);
  const int global = b.Node(G::kObject, "Object", 40);
  const int point = b.Node(G::kObject, "Point", 24);
  const int map = b.Node(G::kObjectShape, "system / Map", 80);
  const int descriptors = b.Node(G::kObjectShape, "system / DescriptorArray", 56);
  b.Edge(root, G::kShortcutEdge, "1", global);
  b.Edge(global, G::kPropertyEdge, "point", point);
  b.Edge(point, G::kInternalEdge, "map", map);
  b.Edge(map, G::kInternalEdge, "descriptors", descriptors);
  HeapStartPoints start;
  start.roots = {{b.Id(point), "globalThis.point"}};
  HeapComposition heap;
  AnalyzeHeap(b.Build(), start, &heap);
  std::map<std::string, int64_t> categories;
  for (const HeapShare& c : heap.categories()) categories[c.name()] = c.bytes();
  EXPECT_EQ(categories["V8 internals"], 80 + 56);
  EXPECT_EQ(categories["objects: Point"], 24);
  ASSERT_EQ(heap.biggest_size(), 1);
  EXPECT_EQ(heap.biggest(0).path(), "globalThis.point");
  EXPECT_EQ(heap.biggest(0).retained_bytes(), 24 + 80 + 56);
  EXPECT_STREQ(HeapNodeTypeName(G::kObjectShape), "object shape");
}

}  // namespace
}  // namespace v8snap::inspect
