// Heap measurement through V8's public heap profiler, and the comparison of two measurements.
#include "snapshot_inspect/heap_composition.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "format/status_macros.h"
#include "format/v8_blob_header.h"
#include "runtime/script_line_ends.h"
#include "runtime/shared_read_only_heap.h"
#include "check/v8_internal_references.h"
#include "compat/heap_snapshot.h"
#include "runtime/v8_process.h"
#include "snapshot_inspect/blob_file.h"
#include "snapshot_inspect/heap_breakdown.h"
#include "snapshot_inspect/heap_graph.h"
#include "v8-array-buffer.h"
#include "v8-container.h"
#include "v8-context.h"
#include "v8-exception.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"
#include "v8-object.h"
#include "v8-primitive.h"
#include "v8-profiler.h"
#include "v8-script.h"

namespace v8snap::inspect {
namespace {

// DevTools' names for heap-snapshot node types.
const char* NodeTypeName(v8::HeapGraphNode::Type type) {
  if (static_cast<int>(type) == compat::kHeapGraphObjectShape) return "object shape";
  switch (type) {
    case v8::HeapGraphNode::kHidden:
      return "hidden";
    case v8::HeapGraphNode::kArray:
      return "array";
    case v8::HeapGraphNode::kString:
      return "string";
    case v8::HeapGraphNode::kObject:
      return "object";
    case v8::HeapGraphNode::kCode:
      return "code";
    case v8::HeapGraphNode::kClosure:
      return "closure";
    case v8::HeapGraphNode::kRegExp:
      return "regexp";
    case v8::HeapGraphNode::kHeapNumber:
      return "number";
    case v8::HeapGraphNode::kNative:
      return "native";
    case v8::HeapGraphNode::kSynthetic:
      return "synthetic";
    case v8::HeapGraphNode::kConsString:
      return "concatenated string";
    case v8::HeapGraphNode::kSlicedString:
      return "sliced string";
    case v8::HeapGraphNode::kSymbol:
      return "symbol";
    case v8::HeapGraphNode::kBigInt:
      return "bigint";
  }
  return "other";
}

// Node names are constructor names for objects and V8's kind names for hidden, object-shape and
// native nodes ("system / Map"): few and meaningful. For strings, closures and code they are
// contents or function names, too many to group by.
bool GroupsByName(v8::HeapGraphNode::Type type) {
  return type == v8::HeapGraphNode::kObject || type == v8::HeapGraphNode::kHidden ||
         type == v8::HeapGraphNode::kNative ||
         static_cast<int>(type) == compat::kHeapGraphObjectShape;
}

std::string ToUtf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

bool BySizeThenName(const HeapGroup& a, const HeapGroup& b) {
  return std::make_tuple(-a.bytes(), a.type(), a.constructor()) <
         std::make_tuple(-b.bytes(), b.type(), b.constructor());
}

// Owns the isolate for one measurement; disposes it on every path.
struct IsolateDeleter {
  void operator()(v8::Isolate* isolate) const { isolate->Dispose(); }
};

// The value of an own data property, or the getter of a JS accessor, read from the descriptor
// (a JS getter is not called: it could call an op, and the ops here are placeholders). Empty
// when reading throws (a module binding in its temporal dead zone).
v8::Local<v8::Value> OwnValue(v8::Local<v8::Context> context, v8::Local<v8::Object> object,
                              const std::string& name) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::String> key;
  v8::Local<v8::Value> descriptor, value;
  if (!v8::String::NewFromUtf8(isolate, name.data(), v8::NewStringType::kNormal,
                               static_cast<int>(name.size()))
           .ToLocal(&key) ||
      !object->GetOwnPropertyDescriptor(context, key).ToLocal(&descriptor) ||
      !descriptor->IsObject()) {
    return {};
  }
  v8::Local<v8::Object> fields = descriptor.As<v8::Object>();
  for (const char* field : {"value", "get"}) {
    if (fields->Get(context, v8::String::NewFromUtf8(isolate, field).ToLocalChecked())
            .ToLocal(&value) &&
        !value->IsUndefined()) {
      return value;
    }
  }
  return {};
}

// Where retaining paths start and what module each namespace is: the globals the extensions
// added (the sidecar's API surface; every global property for a sidecar without one) and the
// exports of every evaluated module, fetched from the context's snapshot data.
HeapStartPoints FindStartPoints(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                const Sidecar& sidecar,
                                const std::vector<std::string>& global_properties) {
  HeapStartPoints start;
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  for (const ExtensionRecord& extension : sidecar.extensions()) {
    for (const SourceRecord& source : extension.sources()) {
      start.extension_of[source.specifier()] = extension.name();
    }
  }
  v8::Local<v8::Object> global = context->Global();
  start.excluded.push_back(profiler->GetObjectId(global));
  std::vector<std::string> globals;
  if (sidecar.has_api_surface()) {
    for (const ApiName& g : sidecar.api_surface().globals()) globals.push_back(g.name());
  } else {
    globals = global_properties;
  }
  for (const std::string& name : globals) {
    // An accessor on the global may be a native one whose callback is a placeholder here.
    v8::Local<v8::String> key;
    if (!v8::String::NewFromUtf8(isolate, name.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(name.size()))
             .ToLocal(&key) ||
        global->HasRealNamedCallbackProperty(context, key).FromMaybe(true)) {
      continue;
    }
    v8::Local<v8::Value> value = OwnValue(context, global, name);
    if (!value.IsEmpty() && value != global) {
      start.roots.emplace_back(profiler->GetObjectId(value), absl::StrCat("globalThis.", name));
    }
  }
  for (const ModuleRecord& record : sidecar.modules()) {
    if (record.lazy() || record.data_index() < 0) continue;
    v8::Local<v8::Module> module;
    if (!context->GetDataFromSnapshotOnce<v8::Module>(record.data_index()).ToLocal(&module) ||
        module->GetStatus() != v8::Module::kEvaluated) {
      continue;
    }
    v8::Local<v8::Value> namespace_value = module->GetModuleNamespace();
    if (!namespace_value->IsObject()) continue;
    v8::Local<v8::Object> namespace_object = namespace_value.As<v8::Object>();
    start.module_namespaces.emplace_back(profiler->GetObjectId(namespace_object),
                                         record.specifier());
    v8::Local<v8::Array> names;
    if (!namespace_object
             ->GetOwnPropertyNames(context, v8::SKIP_SYMBOLS,
                                   v8::KeyConversionMode::kConvertToString)
             .ToLocal(&names)) {
      continue;
    }
    for (uint32_t i = 0; i < names->Length(); ++i) {
      v8::Local<v8::Value> name;
      if (!names->Get(context, i).ToLocal(&name)) continue;
      const std::string export_name = ToUtf8(isolate, name);
      v8::Local<v8::Value> value = OwnValue(context, namespace_object, export_name);
      if (value.IsEmpty()) continue;
      start.roots.emplace_back(profiler->GetObjectId(value),
                               absl::StrCat(export_name, " (export of ", record.specifier(), ")"));
    }
  }
  return start;
}

// The heap snapshot of the isolate as it stands. Any preparation the snapshot needs goes here,
// right before it is taken.
const v8::HeapSnapshot* TakeSnapshot(v8::Isolate* isolate) {
  ComputeScriptLineEnds(isolate);  // else quadratic in a large script's size
  return isolate->GetHeapProfiler()->TakeHeapSnapshot();
}

absl::StatusOr<HeapComposition> Measure(v8::Isolate* isolate, const Sidecar& sidecar) {
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handle_scope(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  if (context.IsEmpty()) return absl::InternalError("V8 could not create a context from the blob");
  v8::Context::Scope context_scope(context);

  HeapComposition heap;
  v8::Local<v8::Array> names;
  if (!context->Global()
           ->GetOwnPropertyNames(context, v8::SKIP_SYMBOLS, v8::KeyConversionMode::kConvertToString)
           .ToLocal(&names)) {
    return absl::InternalError("V8 could not list the global object's properties");
  }
  std::vector<std::string> properties;
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name;
    if (names->Get(context, i).ToLocal(&name)) properties.push_back(ToUtf8(isolate, name));
  }
  std::sort(properties.begin(), properties.end());
  for (const auto& p : properties) heap.add_global_properties(p);

  const v8::HeapSnapshot* snapshot = TakeSnapshot(isolate);
  if (snapshot == nullptr) return absl::InternalError("V8 could not take a heap snapshot");
  HeapGraph graph = CopyHeapGraph(isolate, *snapshot);
  // Start points are read after the snapshot, so nothing they allocate is in it; the ids of the
  // objects that were there stay the same.
  HeapStartPoints start = FindStartPoints(isolate, context, sidecar, properties);
  const_cast<v8::HeapSnapshot*>(snapshot)->Delete();

  absl::flat_hash_map<std::pair<int, std::string>, std::pair<int64_t, int64_t>> groups;
  for (const HeapGraph::Node& node : graph.nodes) {
    // Synthetic nodes are the profiler's grouping roots ("(GC roots)"), not heap objects.
    if (node.type == HeapGraph::kSynthetic) continue;
    auto type = static_cast<v8::HeapGraphNode::Type>(node.type);
    std::string name = GroupsByName(type) ? node.name : std::string();
    auto& [count, bytes] = groups[{static_cast<int>(type), std::move(name)}];
    ++count;
    bytes += node.self_size;
  }
  for (const auto& [key, totals] : groups) {
    HeapGroup* group = heap.add_groups();
    group->set_type(NodeTypeName(static_cast<v8::HeapGraphNode::Type>(key.first)));
    group->set_constructor(key.second);
    group->set_count(totals.first);
    group->set_bytes(totals.second);
    heap.set_objects(heap.objects() + totals.first);
    heap.set_bytes(heap.bytes() + totals.second);
  }
  std::sort(heap.mutable_groups()->begin(), heap.mutable_groups()->end(), BySizeThenName);
  AnalyzeHeap(graph, start, &heap);
  return heap;
}

}  // namespace

absl::StatusOr<HeapComposition> MeasureHeap(const SnapshotPair& pair,
                                            const std::string& blob_path) {
  // V8 CHECKs the version and the checksum while deserializing: a blob that fails either would
  // abort this process (SIGTRAP) instead of giving an error, so they are checked here first.
  ASSIGN_OR_RETURN(V8BlobHeader header, ParseBlobHeaderAt(pair.blob, blob_path));
  RETURN_IF_ERROR(
      CheckBlobLoadableByV8(pair.blob, header, blob_path, V8Process::LinkedV8Version()));
  RETURN_IF_ERROR(V8Process::Initialize({}));

  // Placeholders: one distinct address per reference, then V8's 0 terminator. Nothing in the
  // context runs, so none of them is ever called; only the table's length must be right.
  const int count = pair.sidecar.layout().external_references_size();
  std::vector<char> placeholders(static_cast<size_t>(count) + 1);
  std::vector<intptr_t> references;
  references.reserve(placeholders.size());
  // V8's own functions (the module namespace accessors) are the real ones: they only read
  // module cells, and the start points of the retaining paths read exports through them.
  absl::flat_hash_map<std::string, intptr_t> v8_internal;
  for (const V8InternalReference& r : V8InternalReferences()) v8_internal[r.name] = r.address;
  for (int i = 0; i < count; ++i) {
    const ExternalReferenceRecord& record = pair.sidecar.layout().external_references(i);
    auto real = v8_internal.find(record.name());
    references.push_back(record.kind() == ExternalReferenceRecord::V8_INTERNAL &&
                                 real != v8_internal.end()
                             ? real->second
                             : reinterpret_cast<intptr_t>(&placeholders[i]));
  }
  references.push_back(0);

  // V8 reads the blob while the isolate lives; `pair` outlives it here.
  v8::StartupData blob{pair.blob.data(), static_cast<int>(pair.blob.size())};
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
      v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.snapshot_blob = &blob;
  params.external_references = references.data();
  params.array_buffer_allocator = allocator.get();
  // Two blobs of one `diff --heap` are measured one after the other; the lease still refuses
  // a blob the live read-only heap could not serve, should that ever change.
  const ReadOnlyHeapNeed need =
      ReadOnlyHeapNeed::ForBlob(blob_path, header.rehashable,
                                {pair.sidecar.v8_flags().begin(), pair.sidecar.v8_flags().end()},
                                pair.sidecar.blob().xxh3_128());
  ASSIGN_OR_RETURN(SharedReadOnlyHeap::Lease lease, SharedReadOnlyHeap::Acquire(need));
  std::unique_ptr<v8::Isolate, IsolateDeleter> isolate(v8::Isolate::New(params));
  if (isolate == nullptr)
    return absl::InternalError("V8 could not create an isolate from the blob");
  return Measure(isolate.get(), pair.sidecar);
}

void KeepTopGroups(int top, HeapComposition* heap) {
  if (top <= 0) return;
  auto keep = [top](auto* rows) {
    if (rows->size() > top) rows->DeleteSubrange(top, rows->size() - top);
  };
  keep(heap->mutable_groups());
  keep(heap->mutable_categories());
  keep(heap->mutable_biggest());
}

HeapDiff DiffHeaps(const HeapComposition& old_heap, const HeapComposition& new_heap) {
  HeapDiff diff;
  diff.set_old_objects(old_heap.objects());
  diff.set_new_objects(new_heap.objects());
  diff.set_old_bytes(old_heap.bytes());
  diff.set_new_bytes(new_heap.bytes());

  using Key = std::pair<std::string, std::string>;
  absl::flat_hash_map<Key, HeapGroupDelta> deltas;
  std::vector<Key> order;
  auto entry = [&](const HeapGroup& g) -> HeapGroupDelta& {
    Key key{g.type(), g.constructor()};
    auto [it, fresh] = deltas.try_emplace(key);
    if (fresh) {
      order.push_back(key);
      it->second.set_type(g.type());
      it->second.set_constructor(g.constructor());
    }
    return it->second;
  };
  for (const HeapGroup& g : old_heap.groups()) {
    HeapGroupDelta& d = entry(g);
    d.set_old_count(g.count());
    d.set_old_bytes(g.bytes());
  }
  for (const HeapGroup& g : new_heap.groups()) {
    HeapGroupDelta& d = entry(g);
    d.set_new_count(g.count());
    d.set_new_bytes(g.bytes());
  }
  std::vector<HeapGroupDelta> changed;
  for (const Key& key : order) {
    HeapGroupDelta& d = deltas[key];
    if (d.old_count() != d.new_count() || d.old_bytes() != d.new_bytes()) {
      changed.push_back(std::move(d));
    }
  }
  std::stable_sort(changed.begin(), changed.end(),
                   [](const HeapGroupDelta& a, const HeapGroupDelta& b) {
                     return std::llabs(a.new_bytes() - a.old_bytes()) >
                            std::llabs(b.new_bytes() - b.old_bytes());
                   });
  for (HeapGroupDelta& d : changed) *diff.add_groups() = std::move(d);

  // Both lists are sorted: one merge pass.
  const auto& a = old_heap.global_properties();
  const auto& b = new_heap.global_properties();
  int i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      diff.add_global_properties_removed(a[i++]);
    } else if (i == a.size() || b[j] < a[i]) {
      diff.add_global_properties_added(b[j++]);
    } else {
      ++i;
      ++j;
    }
  }
  return diff;
}

}  // namespace v8snap::inspect
