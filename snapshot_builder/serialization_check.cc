// CheckHeapSerializable: one heap snapshot, one breadth-first pass, every unserializable object
// named by its JS path.
#include "snapshot_builder/serialization_check.h"

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "compat/v8_compat.h"
#include "runtime/script_line_ends.h"
#include "runtime/v8snap_platform.h"
#include "snapshot_builder/build_time_globals.h"
#include "v8-container.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-local-handle.h"
#include "v8-object.h"
#include "v8-primitive.h"
#include "v8-profiler.h"
#include "v8-script.h"
#include "v8-statistics.h"

namespace v8snap {
namespace {

// V8 10.2's serializer keeps lengths as int32: one ArrayBuffer, and the whole blob
// (v8::StartupData::raw_size), hold at most this many bytes.
constexpr uint64_t kMaxBufferBytes = 2147483647;

using Edge = v8::HeapGraphEdge;
using Node = v8::HeapGraphNode;

// Where a breadth-first search starts, and how a path from it reads.
struct Root {
  const Node* node;
  // "globalThis", "export fmt of ext:app/app.js", or a module's specifier.
  std::string label;
  // The JS name the path's steps continue from: "globalThis", "fmt"; empty for a module.
  std::string js_name;
  // The script whose scope the root's context variables belong to (a module's own specifier);
  // empty when the root is a JS value, whose closures say it themselves.
  std::string script;
  // False for a module (its label names no JS value) and for V8's own roots.
  bool is_value;
};

struct Visit {
  int parent;        // index into the visit list, -1 for a root
  const Edge* edge;  // from the parent; nullptr for a root
  int root;          // index into the root list
};

std::string Utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 == nullptr ? std::string() : std::string(*utf8, utf8.length());
}

bool IsIdentifier(const std::string& name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') return false;
  }
  return true;
}

// The Intl kinds by the name V8's heap snapshot gives their instances and prototypes (V8 13.6
// adds DurationFormat).
const char* IntlKind(const std::string& name) {
  static const char* const kKinds[] = {"Collator",       "DateTimeFormat", "DisplayNames",
                                       "DurationFormat", "ListFormat",     "Locale",
                                       "NumberFormat",   "PluralRules",    "RelativeTimeFormat",
                                       "Segmenter",      "Segments",       "v8BreakIterator"};
  std::string bare = absl::StartsWith(name, "Intl.") ? name.substr(5) : name;
  for (const char* kind : kKinds) {
    if (bare == kind) return kind;
  }
  return nullptr;
}

class HeapWalk {
 public:
  HeapWalk(v8::Isolate* isolate, v8::Local<v8::Context> context)
      : isolate_(isolate),
        context_(context),
        foreign_(Internalized("system / Foreign")),
        stack_frame_starts_{Internalized("system / CallSiteInfo"),
                            Internalized("system / BytecodeWrapper"),
                            Internalized("system / CodeWrapper")},
        array_buffer_data_(Internalized("system / JSArrayBufferData")) {}

  void AddRoot(const Node* node, std::string label, std::string js_name, std::string script,
               bool is_value) {
    if (node == nullptr) return;
    roots_.push_back({node, std::move(label), std::move(js_name), std::move(script), is_value});
  }

  // Visits everything reachable from the roots added since the last call, breadth first, so
  // each object's path is a shortest one from the earliest root that reaches it.
  void Walk() {
    std::deque<int> queue;
    for (int r = first_unwalked_root_; r < static_cast<int>(roots_.size()); ++r) {
      if (Enter(roots_[r].node, {-1, nullptr, r})) queue.push_back(visits_.size() - 1);
    }
    first_unwalked_root_ = static_cast<int>(roots_.size());
    while (!queue.empty()) {
      int index = queue.front();
      queue.pop_front();
      const Node* node = nodes_[index];
      Classify(index, node);
      for (int i = 0; i < node->GetChildrenCount(); ++i) {
        const Edge* edge = node->GetChild(i);
        if (edge->GetToNode() == global_proxy_) NoteGlobalKey(index, edge);
        // A weak reference does not keep its target in the snapshot.
        if (edge->GetType() == Edge::kWeak) continue;
        // A WeakMap value is reached from its table: the profiler's extra edge from the key
        // ("part of key ... pair in WeakMap (table @N)") would name it by the key instead.
        if (edge->GetType() == Edge::kInternal && !index_.contains(edge->GetToNode()) &&
            IsEphemeronKeyEdge(node, edge)) {
          continue;
        }
        if (Enter(edge->GetToNode(), {index, edge, visits_[index].root})) {
          queue.push_back(visits_.size() - 1);
        }
      }
    }
  }

  // "globalThis.fmt: an Intl.NumberFormat" lines, one per object V8 cannot serialize.
  std::vector<std::string> Problems() {
    std::vector<std::string> lines;
    for (const auto& [index, kind] : unserializable_) {
      lines.push_back(absl::StrCat(PathTo(index), ": ", kind.empty() ? KindOf(index) : kind));
    }
    return lines;
  }

  // Reads `stack` of every object that still holds an unformatted stack trace.
  void FormatErrorStacks() {
    v8::Local<v8::String> stack = Internalized("stack");
    for (int index : unformatted_stacks_) {
      v8::HandleScope scope(isolate_);
      v8::TryCatch try_catch(isolate_);
      v8::Local<v8::Value> value =
          isolate_->GetHeapProfiler()->FindObjectById(nodes_[index]->GetId());
      if (value.IsEmpty() || !value->IsObject()) continue;
      // A throwing getter or Error.prepareStackTrace would throw at run time too: left as is.
      v8::Local<v8::Value> formatted;
      if (!value.As<v8::Object>()->Get(context_, stack).ToLocal(&formatted)) continue;
    }
  }

  // A build-time placeholder (build_time_globals), by its node, with the built-in it stands for.
  void AddPlaceholder(const Node* node, const std::string& name) {
    if (node != nullptr) placeholders_.emplace(node, name);
  }

  // The global proxy (globalThis), whose identity hash V8 10.2 does not keep across a load.
  void SetGlobalProxy(const Node* node) { global_proxy_ = node; }

  // Bytes of the ArrayBuffer backing stores visited (the profiler's "JSArrayBufferData" nodes).
  uint64_t array_buffer_bytes() const { return array_buffer_bytes_; }

 private:
  v8::Local<v8::String> Internalized(const char* text) {
    return v8::String::NewFromUtf8(isolate_, text, v8::NewStringType::kInternalized)
        .ToLocalChecked();
  }

  // Heap snapshot names are internalized strings: equal text is the same string.
  bool NameIs(const Node* node, v8::Local<v8::String> name) {
    v8::HandleScope scope(isolate_);
    return node->GetName()->StrictEquals(name);
  }

  bool Enter(const Node* node, Visit visit) {
    auto [it, inserted] = index_.try_emplace(node, static_cast<int>(nodes_.size()));
    if (!inserted) return false;
    nodes_.push_back(node);
    visits_.push_back(visit);
    return true;
  }

  // Whether `edge` is the heap profiler's edge from a WeakMap key (not from its table) to the
  // value: "N / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)".
  bool IsEphemeronKeyEdge(const Node* from, const Edge* edge) {
    std::string name = EdgeName(edge);
    size_t at = name.rfind("pair in WeakMap (table @");
    if (at == std::string::npos || name.find("part of key (") == std::string::npos) return false;
    std::string id = name.substr(at + 24);
    if (!id.empty() && id.back() == ')') id.pop_back();
    uint64_t table = 0;
    return absl::SimpleAtoi(id, &table) && table != from->GetId();
  }

  // `index` points at globalThis. When it is a Map's, Set's, WeakMap's or WeakSet's hash table,
  // globalThis is a key there: V8 10.2 gives the global proxy a new identity hash after each
  // load, so the entry would silently be lost (`map.get(globalThis)` undefined).
  void NoteGlobalKey(int index, const Edge* to_global) {
    const Node* table = nodes_[index];
    int parent = visits_[index].parent;
    if (table->GetType() != Node::kArray || parent < 0) return;
    std::string owner = NodeName(nodes_[parent]);
    if ((owner != "Map" && owner != "Set" && owner != "WeakMap" && owner != "WeakSet") ||
        EdgeName(visits_[index].edge) != "table" || !IsKey(nodes_[parent], to_global)) {
      return;
    }
    for (const auto& [known, kind] : unserializable_) {
      if (known == parent) return;
    }
    unserializable_.emplace_back(
        parent, absl::StrCat("a ", owner,
                             " with globalThis as a key (V8 gives globalThis a new "
                             "identity hash after each load, so that entry would be lost; add "
                             "it in a v8snap.snapshot.onDeserialize callback instead)"));
  }

  // Whether globalThis, which `to_global` (an edge of `collection`'s table) points at, is one of
  // the collection's keys rather than a value.
  bool IsKey(const Node* collection, const Edge* to_global) {
    v8::HandleScope scope(isolate_);
    v8::Local<v8::Value> value = isolate_->GetHeapProfiler()->FindObjectById(collection->GetId());
    if (value.IsEmpty()) return false;
    if (value->IsMap() || value->IsSet()) {
      // [key, value, key, value, ...] for a Map, [key, key, ...] for a Set.
      v8::Local<v8::Array> entries =
          value->IsMap() ? value.As<v8::Map>()->AsArray() : value.As<v8::Set>()->AsArray();
      const uint32_t step = value->IsMap() ? 2 : 1;
      for (uint32_t i = 0; i < entries->Length(); i += step) {
        v8::Local<v8::Value> key;
        if (entries->Get(context_, i).ToLocal(&key) && key->StrictEquals(context_->Global())) {
          return true;
        }
      }
      return false;
    }
    // A WeakMap's or WeakSet's table has no API: its entries are (key, value) pairs from slot 3
    // on (after the element count, deleted count and capacity), so a key is an odd slot.
    int slot = 0;
    return absl::SimpleAtoi(EdgeName(to_global), &slot) && slot % 2 == 1;
  }

  void Classify(int index, const Node* node) {
    if (auto it = placeholders_.find(node);
        it != placeholders_.end() && !roots_[visits_[index].root].label.empty()) {
      const std::string& name = it->second;
      unserializable_.emplace_back(
          index, absl::StrCat("the build-time placeholder for ", name, " (V8 ",
                              compat::kV8MajorMinor, " has no ", name,
                              " while a snapshot is built: kept in the snapshot it throws \"", name,
                              " is not available\" when used, where the same code run "
                              "from source gets the real ",
                              name, "; fix: read ", name,
                              " at run time, in a v8snap.snapshot.onDeserialize callback or "
                              "lazily on first use)"));
      return;
    }
    if (node->GetType() == Node::kNative && NameIs(node, array_buffer_data_)) {
      array_buffer_bytes_ += node->GetShallowSize();
      return;
    }
    if (node->GetType() != Node::kObject) return;
    bool native_state = false;
    bool unformatted_stack = false;
    for (int i = 0; i < node->GetChildrenCount(); ++i) {
      const Edge* edge = node->GetChild(i);
      const Node* child = edge->GetToNode();
      // A JS object pointing straight at a Foreign holds C++ state through it (V8's Managed<T>:
      // Intl's ICU objects, WebAssembly modules), kept alive by a global handle that no
      // snapshot can carry.
      if (edge->GetType() == Edge::kHidden && child->GetType() == Node::kHidden &&
          NameIs(child, foreign_)) {
        native_state = true;
      }
      // V8 10.2 writes a buffer's length as an int32 and CHECKs that it fits.
      if (child->GetType() == Node::kNative && child->GetShallowSize() > kMaxBufferBytes &&
          NameIs(child, array_buffer_data_)) {
        unserializable_.emplace_back(
            index, absl::StrCat("an ArrayBuffer of ", child->GetShallowSize(),
                                " bytes (V8 aborts on a buffer over 2 GiB - 1 = ", kMaxBufferBytes,
                                " bytes in a snapshot)"));
      }
      // A captured stack not formatted yet: an array of frames under a private symbol. V8
      // 10.2's heap snapshot shows it as an array of CallSiteInfo, V8 13.6's as the frames'
      // fields in a row, each frame starting with its code (a BytecodeWrapper or CodeWrapper).
      // A formatted stack is a string there.
      if (edge->GetType() == Edge::kProperty && child->GetType() == Node::kArray &&
          child->GetChildrenCount() > 0 && IsStackFrameStart(child->GetChild(0)->GetToNode())) {
        unformatted_stack = true;
      }
    }
    if (native_state) unserializable_.emplace_back(index, "");
    if (unformatted_stack) unformatted_stacks_.push_back(index);
  }

  bool IsStackFrameStart(const Node* node) {
    for (const v8::Local<v8::String>& name : stack_frame_starts_) {
      if (NameIs(node, name)) return true;
    }
    return false;
  }

  std::string NodeName(const Node* node) { return Utf8(isolate_, node->GetName()); }
  std::string EdgeName(const Edge* edge) { return Utf8(isolate_, edge->GetName()); }

  // "an Intl.NumberFormat", found by the instance's or a prototype's name (a subclass of
  // Intl.NumberFormat is one too); otherwise the constructor's name.
  std::string KindOf(int index) {
    const Node* node = nodes_[index];
    for (int depth = 0; node != nullptr && depth < 8; ++depth) {
      if (const char* kind = IntlKind(NodeName(node))) {
        return absl::StrCat("an Intl.", kind,
                            " (its ICU state lives outside the JS heap: V8 aborts on it)");
      }
      const Node* next = nullptr;
      for (int i = 0; i < node->GetChildrenCount(); ++i) {
        const Edge* edge = node->GetChild(i);
        if (edge->GetType() == Edge::kProperty && EdgeName(edge) == "__proto__") {
          next = edge->GetToNode();
          break;
        }
      }
      node = next;
    }
    return absl::StrCat("a ", NodeName(nodes_[index]),
                        " object holding native (C++) state outside the JS heap (V8 aborts on it)");
  }

  // The script a closure was compiled from, for "variable x in the scope of SCRIPT".
  std::string ScriptOf(const Node* closure) {
    v8::HandleScope scope(isolate_);
    v8::Local<v8::Value> value = isolate_->GetHeapProfiler()->FindObjectById(closure->GetId());
    if (value.IsEmpty() || !value->IsFunction()) return "";
    return Utf8(isolate_, value.As<v8::Function>()->GetScriptOrigin().ResourceName());
  }

  // The JS path of the key that a WeakMap table's edge `name` ("N / part of key (K @ID) ->
  // value (V @ID) pair in WeakMap (table @ID)") names; empty when it has none.
  std::string WeakMapKeyPath(const std::string& name) {
    size_t start = name.find("part of key (");
    size_t end = name.find(") -> value (");
    if (start == std::string::npos || end == std::string::npos || end <= start) return "";
    size_t at = name.rfind(" @", end);
    uint64_t id = 0;
    if (at == std::string::npos || at < start ||
        !absl::SimpleAtoi(name.substr(at + 2, end - at - 2), &id)) {
      return "";
    }
    for (int i = 0; i < static_cast<int>(nodes_.size()); ++i) {
      if (nodes_[i]->GetId() != id) continue;
      int first = i;
      while (visits_[first].parent >= 0) first = visits_[first].parent;
      if (roots_[visits_[first].root].label.empty()) return "";
      return PathTo(i);
    }
    return "";
  }

  // The path from the object's root, as JS would reach it.
  std::string PathTo(int index) {
    std::vector<int> chain;
    for (int i = index; i >= 0; i = visits_[i].parent) chain.push_back(i);
    const Root& root = roots_[visits_[chain.back()].root];
    if (root.label.empty()) {
      return "(reachable only from V8's own roots, such as a pending callback or a handle the "
             "build holds)";
    }
    // "globalThis.a.b", "export fmt of S, at fmt[0]": a description (`base`) and the JS steps
    // from the name it gives.
    std::string base = root.label;
    std::string name = root.js_name;
    std::string steps;
    auto text = [&] {
      if (steps.empty()) return base;
      if (base == name || absl::StartsWith(steps, " (")) return absl::StrCat(base, steps);
      return absl::StrCat(base, ", at ", name, steps);
    };
    std::string script = root.script;
    bool is_value = root.is_value;
    std::string inside;  // an internal edge crossed since the last named step
    const Node* last_closure = nullptr;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const Node* node = nodes_[*it];
      const Edge* edge = visits_[*it].edge;
      if (edge != nullptr) {
        const Node* from = nodes_[visits_[*it].parent];
        switch (edge->GetType()) {
          case Edge::kProperty: {
            std::string name = EdgeName(edge);
            if (!inside.empty()) absl::StrAppend(&steps, inside);
            inside.clear();
            absl::StrAppend(&steps, IsIdentifier(name) ? absl::StrCat(".", name)
                                    : absl::StartsWith(name, "<symbol")
                                        ? absl::StrCat("[", name, "]")
                                        : absl::StrCat("[\"", absl::CEscape(name), "\"]"));
            break;
          }
          case Edge::kElement:
            if (!inside.empty()) absl::StrAppend(&steps, inside);
            inside.clear();
            absl::StrAppend(&steps, "[", EdgeName(edge), "]");
            break;
          case Edge::kContextVariable: {
            if (last_closure != nullptr) {
              std::string of = ScriptOf(last_closure);
              if (!of.empty()) script = of;
            }
            if (last_closure == nullptr && is_value) {
              // Reached from the global object without a function: a top-level let, const or
              // class of a classic script, which lives in V8's script context, not on globalThis.
              base = absl::StrCat("top-level variable ", EdgeName(edge),
                                  " (a let, const or class of a classic script)");
            } else {
              std::string holder = is_value ? absl::StrCat(" (held by ", text(), ")") : "";
              base = absl::StrCat("variable ", EdgeName(edge), " in the scope of ",
                                  script.empty() ? "a script" : script, holder);
            }
            name = EdgeName(edge);
            steps.clear();
            is_value = true;
            inside.clear();
            break;
          }
          default: {
            // Internal links that JS does not see: a closure's context chain, the global
            // proxy's global object, a module's own records. Named only when they lead into
            // a value's insides (a Map's table, a promise's result).
            std::string name = EdgeName(edge);
            if (name == "buffer" && is_value && inside.empty()) {
              // A typed array's or DataView's buffer, which JS reads as `.buffer`.
              absl::StrAppend(&steps, ".buffer");
              break;
            }
            // From globalThis (the global proxy) to the global object, whose properties are
            // globalThis's: V8 10.2's heap snapshot goes through the native context
            // ("native_context", then "extension"), V8 13.6's through the proxy's map ("map",
            // then "prototype").
            const int from_index = visits_[*it].parent;
            const bool from_global_proxy =
                from == global_proxy_ || (name == "prototype" && visits_[from_index].parent >= 0 &&
                                          nodes_[visits_[from_index].parent] == global_proxy_);
            bool transparent = !is_value || from_global_proxy ||
                               from->GetType() == Node::kClosure || name == "context" ||
                               name == "previous" || name == "global" || name == "native_context" ||
                               name == "extension" || from->GetType() == Node::kHidden ||
                               from->GetType() == Node::kArray;
            if (inside == " (an entry of the WeakMap)" && from->GetType() == Node::kArray) {
              // The table's edge to a value names its key: "... part of key (K @ID) -> value".
              if (std::string key = WeakMapKeyPath(name); !key.empty()) {
                inside = absl::StrCat(", the value for key ", key);
              }
            }
            if (!transparent && inside.empty()) {
              std::string owner = NodeName(from);
              if (owner == "Map" || owner == "Set" || owner == "WeakMap") {
                inside = absl::StrCat(" (an entry of the ", owner, ")");
              } else if (owner == "Promise" && name == "reactions_or_result") {
                inside = " (the promise's result)";
              } else {
                inside = absl::StrCat(" (inside it, through V8's internal '", name, "')");
              }
            }
            break;
          }
        }
      }
      if (node->GetType() == Node::kClosure) last_closure = node;
    }
    if (!inside.empty()) absl::StrAppend(&steps, inside);
    return text();
  }

  v8::Isolate* isolate_;
  v8::Local<v8::Context> context_;
  v8::Local<v8::String> foreign_;
  v8::Local<v8::String> stack_frame_starts_[3];
  v8::Local<v8::String> array_buffer_data_;
  uint64_t array_buffer_bytes_ = 0;
  const Node* global_proxy_ = nullptr;
  std::vector<Root> roots_;
  int first_unwalked_root_ = 0;
  absl::flat_hash_map<const Node*, int> index_;
  std::vector<const Node*> nodes_;
  std::vector<Visit> visits_;
  // With the kind to print, or empty for KindOf's.
  std::vector<std::pair<int, std::string>> unserializable_;
  std::vector<int> unformatted_stacks_;
  absl::flat_hash_map<const Node*, std::string> placeholders_;
};

// The node of a module's SourceTextModule. v8::Module is not a v8::Value, but the heap
// profiler only needs the handle's object to find its id.
const Node* ModuleNode(v8::Isolate* isolate, const v8::HeapSnapshot* snapshot,
                       v8::Local<v8::Module> module) {
  return snapshot->GetNodeById(
      isolate->GetHeapProfiler()->GetObjectId(v8::Local<v8::Data>(module).As<v8::Value>()));
}

// Adds "export NAME of SPECIFIER" roots: a module's export table is a hidden array of
// (name, cell) pairs, each cell's "value" the exported value.
void AddExportRoots(v8::Isolate* isolate, const Node* module, const std::string& specifier,
                    HeapWalk& walk) {
  for (int i = 0; i < module->GetChildrenCount(); ++i) {
    const Node* table = module->GetChild(i)->GetToNode();
    if (table->GetType() != Node::kArray) continue;
    for (int k = 0; k + 1 < table->GetChildrenCount(); ++k) {
      const Node* key = table->GetChild(k)->GetToNode();
      const Node* cell = table->GetChild(k + 1)->GetToNode();
      if (key->GetType() != Node::kString || cell->GetType() != Node::kHidden) continue;
      for (int c = 0; c < cell->GetChildrenCount(); ++c) {
        const Edge* value = cell->GetChild(c);
        if (Utf8(isolate, value->GetName()) != "value") continue;
        walk.AddRoot(value->GetToNode(),
                     absl::StrCat("export ", Utf8(isolate, key->GetName()), " of ", specifier),
                     Utf8(isolate, key->GetName()), specifier, /*is_value=*/true);
      }
    }
  }
}

// The native context of globalThis, found breadth first from the global proxy over V8's internal
// links: V8 10.2's heap snapshot links the proxy to it ("native_context"), V8 13.6's only
// through the proxy's map ("map", "constructor", "context"). nullptr when there is none nearby.
const Node* NativeContextOf(v8::Isolate* isolate, const Node* global_proxy) {
  if (global_proxy == nullptr) return nullptr;
  v8::HandleScope scope(isolate);
  v8::Local<v8::String> native_context =
      v8::String::NewFromUtf8(isolate, "system / NativeContext", v8::NewStringType::kInternalized)
          .ToLocalChecked();
  std::vector<const Node*> level = {global_proxy};
  for (int depth = 0; depth < 4 && !level.empty(); ++depth) {
    std::vector<const Node*> next;
    for (const Node* node : level) {
      for (int i = 0; i < node->GetChildrenCount(); ++i) {
        const Edge* edge = node->GetChild(i);
        if (edge->GetType() != Edge::kInternal) continue;
        const Node* child = edge->GetToNode();
        if (child->GetName()->StrictEquals(native_context)) return child;
        next.push_back(child);
      }
    }
    level = std::move(next);
  }
  return nullptr;
}

}  // namespace

absl::Status CheckHeapSerializable(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                   const ModuleMap& modules, Sidecar& sidecar) {
  v8::HandleScope scope(isolate);
  // Without it the heap snapshot is quadratic in the size of a large script.
  ComputeScriptLineEnds(isolate);
  v8::HeapProfiler* profiler = isolate->GetHeapProfiler();
  const v8::HeapSnapshot* snapshot = profiler->TakeHeapSnapshot();
  if (snapshot == nullptr) return absl::InternalError("V8 could not take a heap snapshot");

  HeapWalk walk(isolate, context);
  const Node* global_proxy = snapshot->GetNodeById(profiler->GetObjectId(context->Global()));
  walk.SetGlobalProxy(global_proxy);
  for (const auto& [value, name] : BuildTimeGlobals::Placeholders(isolate)) {
    walk.AddPlaceholder(snapshot->GetNodeById(profiler->GetObjectId(value)), name);
  }
  walk.AddRoot(global_proxy, "globalThis", "globalThis", "", /*is_value=*/true);
  // Its native context, as globalThis too: it holds the script contexts, where a classic
  // script's top-level let, const and class live. V8 13.6's heap snapshot reaches it from the
  // global proxy only further than from any function (a module's export), whose path would
  // then name such a variable.
  walk.AddRoot(NativeContextOf(isolate, global_proxy), "globalThis", "globalThis", "",
               /*is_value=*/true);
  for (const auto& [name, lazy] : modules.Names()) {
    if (lazy) continue;
    const Node* module = ModuleNode(isolate, snapshot, modules.Find(name));
    if (module == nullptr) continue;
    AddExportRoots(isolate, module, name, walk);
    // Then the module's own scope (its variables, through its generator's context).
    walk.AddRoot(module, name, "", name, /*is_value=*/false);
  }
  walk.Walk();
  // Whatever else the snapshot would carry: handles, V8's roots.
  walk.AddRoot(snapshot->GetRoot(), "", "", "", /*is_value=*/false);
  walk.Walk();
  std::vector<std::string> problems = walk.Problems();
  // After the heap snapshot's full GC: what a runtime needs to deserialize the blob.
  v8::HeapStatistics heap;
  isolate->GetHeapStatistics(&heap);
  sidecar.set_heap_bytes(heap.used_heap_size());
  sidecar.set_array_buffer_bytes(walk.array_buffer_bytes());
  walk.FormatErrorStacks();
  const_cast<v8::HeapSnapshot*>(snapshot)->Delete();
  // The heap snapshot's full GC found every registered target that died; V8 posted a task to
  // call their FinalizationRegistry callbacks, and CreateBlob aborts while one is pending
  // (CheckNoDirtyFinalizationRegistries). Run it now, as the runtime's loop would have.
  while (V8snapPlatform::Current()->RunForegroundTask(isolate)) {
  }

  if (problems.empty() && sidecar.heap_bytes() + sidecar.array_buffer_bytes() > kMaxBufferBytes) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the snapshot would hold ", sidecar.array_buffer_bytes(), " bytes of ArrayBuffers and ",
        sidecar.heap_bytes(), " bytes of JS heap, more than the 2 GiB - 1 (", kMaxBufferBytes,
        " bytes) a V8 snapshot blob can hold.\n  fix: keep large data out of the snapshot: "
        "create or load it at run time"));
  }
  if (problems.empty()) return absl::OkStatus();
  std::string message =
      absl::StrCat(problems.size(), " object", problems.size() == 1 ? "" : "s",
                   " reachable at the end of the build cannot go into a snapshot:");
  for (const std::string& problem : problems) absl::StrAppend(&message, "\n  ", problem);
  absl::StrAppend(
      &message,
      "\n  fix: create such objects at run time, lazily on first use (e.g. `let fmt; function "
      "getFmt() { return fmt || (fmt = new Intl.NumberFormat()); }`), or drop them in a serialize "
      "hook (v8snap.snapshot.onSerialize(() => { fmt = undefined; })) and create them again "
      "after loading (docs/snapshotting.md, 'Objects V8 cannot serialize')");
  return absl::FailedPreconditionError(message);
}

}  // namespace v8snap
