// Copies V8's heap snapshot graph into HeapGraph.
#include "snapshot_inspect/heap_graph.h"

#include "absl/container/flat_hash_map.h"
#include "compat/heap_snapshot.h"
#include "v8-local-handle.h"
#include "v8-primitive.h"
#include "v8-profiler.h"

namespace v8snap::inspect {
namespace {

static_assert(HeapGraph::kBigInt == static_cast<int>(v8::HeapGraphNode::kBigInt));
static_assert(HeapGraph::kSynthetic == static_cast<int>(v8::HeapGraphNode::kSynthetic));
static_assert(HeapGraph::kCode == static_cast<int>(v8::HeapGraphNode::kCode));
static_assert(HeapGraph::kObjectShape == compat::kHeapGraphObjectShape);
static_assert(HeapGraph::kWeakEdge == static_cast<int>(v8::HeapGraphEdge::kWeak));
static_assert(HeapGraph::kShortcutEdge == static_cast<int>(v8::HeapGraphEdge::kShortcut));
static_assert(HeapGraph::kElementEdge == static_cast<int>(v8::HeapGraphEdge::kElement));

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

bool IsString(HeapGraph::NodeType type) {
  return type == HeapGraph::kString || type == HeapGraph::kConsString ||
         type == HeapGraph::kSlicedString;
}

}  // namespace

HeapGraph CopyHeapGraph(v8::Isolate* isolate, const v8::HeapSnapshot& snapshot) {
  HeapGraph graph;
  const int count = snapshot.GetNodesCount();
  const v8::HeapGraphNode* root = snapshot.GetRoot();
  // GetNode(i) order puts the root first in V8 10.2; the map makes that an explicit choice.
  absl::flat_hash_map<const v8::HeapGraphNode*, int32_t> index;
  index.reserve(count);
  std::vector<const v8::HeapGraphNode*> order;
  order.reserve(count);
  index.emplace(root, 0);
  order.push_back(root);
  for (int i = 0; i < count; ++i) {
    const v8::HeapGraphNode* node = snapshot.GetNode(i);
    if (index.emplace(node, static_cast<int32_t>(order.size())).second) order.push_back(node);
  }
  graph.nodes.resize(order.size());
  graph.edge_begin.reserve(order.size() + 1);
  for (size_t i = 0; i < order.size(); ++i) {
    v8::HandleScope scope(isolate);
    const v8::HeapGraphNode* node = order[i];
    HeapGraph::Node& out = graph.nodes[i];
    out.type = static_cast<HeapGraph::NodeType>(node->GetType());
    if (!IsString(out.type)) out.name = ToUtf8(isolate, node->GetName());
    out.id = node->GetId();
    out.self_size = static_cast<int64_t>(node->GetShallowSize());
    graph.edge_begin.push_back(static_cast<int32_t>(graph.edges.size()));
    for (int e = 0; e < node->GetChildrenCount(); ++e) {
      const v8::HeapGraphEdge* edge = node->GetChild(e);
      auto to = index.find(edge->GetToNode());
      if (to == index.end()) continue;
      HeapGraph::Edge& copy = graph.edges.emplace_back();
      copy.type = static_cast<HeapGraph::EdgeType>(edge->GetType());
      copy.name = ToUtf8(isolate, edge->GetName());
      copy.to = to->second;
    }
  }
  graph.edge_begin.push_back(static_cast<int32_t>(graph.edges.size()));
  return graph;
}

const char* HeapNodeTypeName(HeapGraph::NodeType type) {
  switch (type) {
    case HeapGraph::kHidden:
      return "hidden";
    case HeapGraph::kArray:
      return "array";
    case HeapGraph::kString:
      return "string";
    case HeapGraph::kObject:
      return "object";
    case HeapGraph::kCode:
      return "code";
    case HeapGraph::kClosure:
      return "closure";
    case HeapGraph::kRegExp:
      return "regexp";
    case HeapGraph::kHeapNumber:
      return "number";
    case HeapGraph::kNative:
      return "native";
    case HeapGraph::kSynthetic:
      return "synthetic";
    case HeapGraph::kConsString:
      return "concatenated string";
    case HeapGraph::kSlicedString:
      return "sliced string";
    case HeapGraph::kSymbol:
      return "symbol";
    case HeapGraph::kBigInt:
      return "bigint";
    case HeapGraph::kObjectShape:
      return "object shape";
  }
  return "other";
}

}  // namespace v8snap::inspect
