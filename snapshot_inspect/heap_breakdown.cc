// Heap breakdown: categories, attribution through dominators, retained sizes, retaining paths.
#include "snapshot_inspect/heap_breakdown.h"

#include <algorithm>
#include <deque>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "snapshot_inspect/heap_dominators.h"

namespace v8snap::inspect {
namespace {

using Node = HeapGraph::Node;
using Edge = HeapGraph::Edge;

bool IsString(HeapGraph::NodeType type) {
  return type == HeapGraph::kString || type == HeapGraph::kConsString ||
         type == HeapGraph::kSlicedString;
}

std::string Category(const Node& node, bool is_source) {
  switch (node.type) {
    case HeapGraph::kString:
    case HeapGraph::kConsString:
    case HeapGraph::kSlicedString:
      return is_source ? "source strings" : "strings";
    case HeapGraph::kCode:
      return "code and bytecode";
    case HeapGraph::kClosure:
      return "closures";
    case HeapGraph::kArray:
      return "arrays";
    case HeapGraph::kObject:
      // A JS array is an object named Array; its elements are an internal array node.
      if (node.name == "Array") return "arrays";
      return absl::StrCat("objects: ", node.name.empty() ? "(anonymous)" : node.name);
    case HeapGraph::kHeapNumber:
      return "numbers";
    case HeapGraph::kSymbol:
      return "symbols";
    case HeapGraph::kBigInt:
      return "bigints";
    case HeapGraph::kRegExp:
      return "regexps";
    case HeapGraph::kHidden:
    case HeapGraph::kNative:
    case HeapGraph::kSynthetic:
    case HeapGraph::kObjectShape:
      break;
  }
  return "V8 internals";
}

// Objects a user would call objects: V8's internal arrays, code and hidden nodes make the list
// repeat what their owner already shows (an array and then its elements store).
bool Listable(const Node& node) {
  switch (node.type) {
    case HeapGraph::kObject:
    case HeapGraph::kClosure:
    case HeapGraph::kString:
    case HeapGraph::kConsString:
    case HeapGraph::kSlicedString:
    case HeapGraph::kRegExp:
    case HeapGraph::kHeapNumber:
    case HeapGraph::kSymbol:
    case HeapGraph::kBigInt:
    case HeapGraph::kNative:
      return true;
    default:
      return false;
  }
}

// The first edge of `v` of `type` named `name` leading to a node accepted by `accept`; -1 when
// there is none.
template <typename Accept>
int32_t FindEdge(const HeapGraph& graph, int32_t v, HeapGraph::EdgeType type,
                 const std::string& name, Accept accept) {
  for (int32_t e = graph.edge_begin[v]; e < graph.edge_begin[v + 1]; ++e) {
    const Edge& edge = graph.edges[e];
    if (edge.type == type && edge.name == name && accept(edge.to)) return edge.to;
  }
  return -1;
}

bool IsIdentifier(const std::string& name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') return false;
  }
  return true;
}

// One step of a retaining path as JS reads it where it can: ".name", "[3]", and V8's internal
// links in angle brackets: ".<context>".
std::string Step(const Edge& edge) {
  switch (edge.type) {
    case HeapGraph::kElementEdge:
      return absl::StrCat("[", edge.name, "]");
    case HeapGraph::kPropertyEdge:
    case HeapGraph::kVariableEdge:
      if (IsIdentifier(edge.name)) return absl::StrCat(".", edge.name);
      return absl::StrCat("[\"", edge.name, "\"]");
    default:
      return absl::StrCat(".<", edge.name, ">");
  }
}

struct Share {
  std::string extension;
  int64_t count = 0;
  int64_t bytes = 0;
};

void AddShares(const absl::flat_hash_map<std::string, Share>& shares,
               google::protobuf::RepeatedPtrField<HeapShare>* out) {
  std::vector<HeapShare> rows;
  for (const auto& [name, share] : shares) {
    HeapShare& row = rows.emplace_back();
    row.set_name(name);
    row.set_extension(share.extension);
    row.set_count(share.count);
    row.set_bytes(share.bytes);
  }
  std::sort(rows.begin(), rows.end(), [](const HeapShare& a, const HeapShare& b) {
    return std::make_tuple(-a.bytes(), a.name()) < std::make_tuple(-b.bytes(), b.name());
  });
  for (HeapShare& row : rows) *out->Add() = std::move(row);
}

}  // namespace

void AnalyzeHeap(const HeapGraph& graph, const HeapStartPoints& start,
                 HeapComposition* composition) {
  const int32_t n = static_cast<int32_t>(graph.nodes.size());
  if (n == 0) return;
  // Weak edges do not keep anything alive, so they take no part in retention.
  std::vector<int32_t> begin(n + 1, 0), to;
  to.reserve(graph.edges.size());
  for (int32_t v = 0; v < n; ++v) {
    begin[v] = static_cast<int32_t>(to.size());
    for (int32_t e = graph.edge_begin[v]; e < graph.edge_begin[v + 1]; ++e) {
      if (graph.edges[e].type != HeapGraph::kWeakEdge) to.push_back(graph.edges[e].to);
    }
  }
  begin[n] = static_cast<int32_t>(to.size());
  const DominatorTree tree = ComputeDominators(n, 0, begin, to);

  std::vector<int64_t> retained(n, 0);
  for (int32_t v = 0; v < n; ++v) retained[v] = graph.nodes[v].self_size;
  for (auto it = tree.preorder.rbegin(); it != tree.preorder.rend(); ++it) {
    if (tree.idom[*it] >= 0) retained[tree.idom[*it]] += retained[*it];
  }

  // Origins: indexes into `origins` (script and module names); -1 unknown.
  std::vector<std::string> origins;
  absl::flat_hash_map<std::string, int32_t> origin_index;
  auto intern = [&](const std::string& name) {
    auto [it, fresh] = origin_index.try_emplace(name, static_cast<int32_t>(origins.size()));
    if (fresh) origins.push_back(name);
    return it->second;
  };
  std::vector<int32_t> origin(n, -1);
  std::vector<bool> is_source(n, false);
  auto is_string = [&](int32_t w) { return IsString(graph.nodes[w].type); };
  for (int32_t v = 0; v < n; ++v) {
    const Node& node = graph.nodes[v];
    if (node.type != HeapGraph::kCode || node.name.empty()) continue;
    const int32_t source = FindEdge(graph, v, HeapGraph::kInternalEdge, "source", is_string);
    if (source < 0) continue;  // a Script is a code node with a source string
    origin[v] = intern(node.name);
    origin[source] = origin[v];
    is_source[source] = true;
  }
  auto is_script = [&](int32_t w) {
    return graph.nodes[w].type == HeapGraph::kCode && origin[w] >= 0;
  };
  for (int32_t v = 0; v < n; ++v) {
    if (graph.nodes[v].type != HeapGraph::kCode || origin[v] >= 0) continue;
    int32_t script =
        FindEdge(graph, v, HeapGraph::kInternalEdge, "script_or_debug_info", is_script);
    if (script < 0) script = FindEdge(graph, v, HeapGraph::kInternalEdge, "script", is_script);
    if (script >= 0) origin[v] = origin[script];
  }
  auto is_code = [&](int32_t w) { return graph.nodes[w].type == HeapGraph::kCode; };
  for (int32_t v = 0; v < n; ++v) {
    if (graph.nodes[v].type != HeapGraph::kClosure) continue;
    const int32_t shared = FindEdge(graph, v, HeapGraph::kInternalEdge, "shared", is_code);
    if (shared >= 0) origin[v] = origin[shared];
  }
  absl::flat_hash_map<uint64_t, int32_t> node_of_id;
  node_of_id.reserve(n);
  for (int32_t v = 0; v < n; ++v) node_of_id.emplace(graph.nodes[v].id, v);
  for (const auto& [id, specifier] : start.module_namespaces) {
    auto found = node_of_id.find(id);
    if (found == node_of_id.end()) continue;
    const int32_t ns = found->second;
    origin[ns] = intern(specifier);
    for (int32_t e = graph.edge_begin[ns]; e < graph.edge_begin[ns + 1]; ++e) {
      const int32_t w = graph.edges[e].to;
      if (graph.nodes[w].name == "system / SourceTextModule") origin[w] = origin[ns];
    }
  }
  std::vector<bool> seeded(n);
  for (int32_t v = 0; v < n; ++v) seeded[v] = origin[v] >= 0;
  for (int32_t v : tree.preorder) {
    if (!seeded[v] && tree.idom[v] >= 0) origin[v] = origin[tree.idom[v]];
  }

  auto extension_of = [&](int32_t o) -> std::string {
    if (o < 0) return "";
    auto found = start.extension_of.find(origins[o]);
    return found == start.extension_of.end() ? "" : found->second;
  };
  absl::flat_hash_map<std::string, Share> categories, extensions, sources;
  for (int32_t v = 0; v < n; ++v) {
    const Node& node = graph.nodes[v];
    // Synthetic nodes are the profiler's grouping roots ("(GC roots)"), not heap objects.
    if (node.type == HeapGraph::kSynthetic) continue;
    Share& category = categories[Category(node, is_source[v])];
    ++category.count;
    category.bytes += node.self_size;
    const std::string extension = extension_of(origin[v]);
    Share& by_extension = extensions[extension.empty() ? kNotAttributed : extension];
    ++by_extension.count;
    by_extension.bytes += node.self_size;
    Share& by_source = sources[origin[v] < 0 ? kNotAttributed : origins[origin[v]]];
    by_source.extension = extension;
    ++by_source.count;
    by_source.bytes += node.self_size;
  }
  AddShares(categories, composition->mutable_categories());
  AddShares(extensions, composition->mutable_extensions());
  AddShares(sources, composition->mutable_sources());

  // Retaining paths: breadth-first from every start point at once, so each object's path is a
  // shortest one from the nearest global or export. Left out: hidden classes ("map") and
  // prototypes, which link objects by shape and inheritance rather than ownership, and the native
  // context, through which every function reaches all of V8's built-ins.
  std::vector<int32_t> via_edge(n, -1), root_of(n, -1);
  std::deque<int32_t> queue;
  for (size_t r = 0; r < start.roots.size(); ++r) {
    auto found = node_of_id.find(start.roots[r].first);
    if (found == node_of_id.end() || root_of[found->second] >= 0) continue;
    root_of[found->second] = static_cast<int32_t>(r);
    queue.push_back(found->second);
  }
  while (!queue.empty()) {
    const int32_t v = queue.front();
    queue.pop_front();
    for (int32_t e = graph.edge_begin[v]; e < graph.edge_begin[v + 1]; ++e) {
      const Edge& edge = graph.edges[e];
      if (edge.type == HeapGraph::kWeakEdge || root_of[edge.to] >= 0) continue;
      if (edge.type == HeapGraph::kInternalEdge && edge.name == "map") continue;
      if (edge.type == HeapGraph::kPropertyEdge && edge.name == "__proto__") continue;
      const Node& target = graph.nodes[edge.to];
      if (target.type == HeapGraph::kSynthetic || target.name == "system / NativeContext") continue;
      root_of[edge.to] = root_of[v];
      via_edge[edge.to] = e;
      queue.push_back(edge.to);
    }
  }
  // The edge's source, for walking a path back: edges are stored by source node.
  auto from_of = [&](int32_t e) {
    return static_cast<int32_t>(
        std::upper_bound(graph.edge_begin.begin(), graph.edge_begin.end(), e) -
        graph.edge_begin.begin() - 1);
  };

  absl::flat_hash_map<uint64_t, bool> excluded;
  for (uint64_t id : start.excluded) excluded[id] = true;
  // The root's shortcut edges lead to the global objects, which hold everything.
  for (int32_t e = graph.edge_begin[0]; e < graph.edge_begin[1]; ++e) {
    if (graph.edges[e].type == HeapGraph::kShortcutEdge) {
      excluded[graph.nodes[graph.edges[e].to].id] = true;
    }
  }
  std::vector<int32_t> candidates;
  for (int32_t v = 0; v < n; ++v) {
    if (root_of[v] >= 0 && Listable(graph.nodes[v]) && !excluded.contains(graph.nodes[v].id)) {
      candidates.push_back(v);
    }
  }
  auto bigger = [&](int32_t a, int32_t b) {
    return std::make_tuple(-retained[a], graph.nodes[a].id) <
           std::make_tuple(-retained[b], graph.nodes[b].id);
  };
  const size_t keep = std::min(candidates.size(), static_cast<size_t>(std::max(start.biggest, 0)));
  std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(), bigger);
  for (size_t i = 0; i < keep; ++i) {
    const int32_t v = candidates[i];
    const Node& node = graph.nodes[v];
    std::vector<std::string> steps;
    for (int32_t w = v; via_edge[w] >= 0; w = from_of(via_edge[w])) {
      steps.push_back(Step(graph.edges[via_edge[w]]));
    }
    std::string path = start.roots[root_of[v]].second;
    // Long paths keep their two ends: where they start and what holds the object.
    constexpr size_t kMaxSteps = 8;
    for (size_t s = 0; s < steps.size(); ++s) {
      const size_t k = steps.size() - 1 - s;  // steps were collected from the object back
      if (steps.size() > kMaxSteps && s == 3) absl::StrAppend(&path, "…");
      if (steps.size() > kMaxSteps && s >= 3 && s < steps.size() - 4) continue;
      absl::StrAppend(&path, steps[k]);
    }
    RetainedObject* out = composition->add_biggest();
    out->set_type(HeapNodeTypeName(node.type));
    out->set_name(node.name);
    out->set_self_bytes(node.self_size);
    out->set_retained_bytes(retained[v]);
    out->set_source(origin[v] < 0 ? "" : origins[origin[v]]);
    out->set_extension(extension_of(origin[v]));
    out->set_path(std::move(path));
  }
}

}  // namespace v8snap::inspect
