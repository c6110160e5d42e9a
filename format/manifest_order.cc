// Stable topological ordering of extensions and the text rewrite that applies it to a manifest.
#include "format/manifest_order.h"

#include <functional>
#include <map>
#include <queue>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "format/manifest_loader.h"
#include "format/status_macros.h"

namespace v8snap {

namespace {

// Kahn's algorithm taking the smallest index first among the ready nodes: the stable order,
// equal to rescanning for the first node whose dependencies are all placed, in O(n log n).
// `waiting_on[i]` counts the placements node i waits for; `released(i)` lists the nodes that
// stop waiting on one of them once node i is placed. `place(i)` is called for each placed node
// in order; the result says which nodes were placed (one in or behind a cycle is not).
std::vector<bool> StableTopologicalOrder(
    std::vector<int> waiting_on, const std::function<const std::vector<int>&(int)>& released,
    const std::function<void(int)>& place) {
  const int n = static_cast<int>(waiting_on.size());
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i) {
    if (waiting_on[i] == 0) ready.push(i);
  }
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    placed[i] = true;
    place(i);
    for (int dependent : released(i)) {
      if (--waiting_on[dependent] == 0) ready.push(dependent);
    }
  }
  return placed;
}

}  // namespace

std::vector<std::string> SuggestExtensionOrder(const Manifest& manifest) {
  const int n = manifest.extension_size();
  std::set<std::string> known;
  for (const Extension& ext : manifest.extension()) known.insert(ext.name());

  // One node per extension. A name counts as placed once its first extension (in placement
  // order) is; that placement releases what depends on the name.
  std::vector<int> waiting_on(n, 0);
  std::map<std::string, std::vector<int>> dependents;
  for (int i = 0; i < n; ++i) {
    const Extension& ext = manifest.extension(i);
    std::set<std::string> deps(ext.deps().begin(), ext.deps().end());
    for (const std::string& dep : deps) {
      if (known.count(dep) == 0) continue;
      ++waiting_on[i];
      dependents[dep].push_back(i);
    }
  }
  std::vector<std::string> order;
  std::set<std::string> placed_names;
  const std::vector<int> none;
  std::vector<bool> placed = StableTopologicalOrder(
      std::move(waiting_on),
      [&](int i) -> const std::vector<int>& {
        const std::string& name = manifest.extension(i).name();
        return placed_names.insert(name).second ? dependents[name] : none;
      },
      [&](int i) { order.push_back(manifest.extension(i).name()); });
  for (int i = 0; i < n; ++i) {
    if (!placed[i]) order.push_back(manifest.extension(i).name());
  }
  return order;
}

ValidOrder SuggestValidOrder(const Manifest& manifest) {
  // One node per distinct name, at its first declaration; a later duplicate adds its deps.
  std::map<std::string, int> node_of;
  std::vector<std::string> names;
  std::vector<std::set<std::string>> deps;
  for (const Extension& ext : manifest.extension()) {
    auto [it, fresh] = node_of.emplace(ext.name(), static_cast<int>(names.size()));
    if (fresh) {
      names.push_back(ext.name());
      deps.emplace_back();
    }
    deps[it->second].insert(ext.deps().begin(), ext.deps().end());
  }
  const int n = static_cast<int>(names.size());
  std::vector<int> waiting_on(n, 0);
  std::vector<std::vector<int>> dependents(n);
  for (int i = 0; i < n; ++i) {
    for (const std::string& dep : deps[i]) {
      auto found = node_of.find(dep);
      if (found == node_of.end()) continue;  // reported as an unknown dependency
      ++waiting_on[i];
      dependents[found->second].push_back(i);
    }
  }
  ValidOrder result;
  std::vector<bool> placed = StableTopologicalOrder(
      std::move(waiting_on), [&](int i) -> const std::vector<int>& { return dependents[i]; },
      [&](int i) { result.order.push_back(names[i]); });
  for (int i = 0; i < n; ++i) {
    if (!placed[i]) result.unplaceable.push_back(names[i]);
  }
  return result;
}

namespace {

bool IsBlank(absl::string_view s) { return absl::StripAsciiWhitespace(s).empty(); }

bool IsCommentLine(absl::string_view line) {
  return absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#");
}

size_t LineStart(absl::string_view text, size_t pos) {
  size_t newline = pos == 0 ? absl::string_view::npos : text.rfind('\n', pos - 1);
  return newline == absl::string_view::npos ? 0 : newline + 1;
}

// One past the newline ending the line that holds `pos` (or the end of the text).
size_t NextLineStart(absl::string_view text, size_t pos) {
  size_t newline = text.find('\n', pos);
  return newline == absl::string_view::npos ? text.size() : newline + 1;
}

// Widens a block to whole lines plus the comment lines directly above it.
absl::StatusOr<std::pair<size_t, size_t>> BlockSegment(absl::string_view text,
                                                       const ExtensionBlockSpan& span) {
  size_t begin = LineStart(text, span.begin);
  size_t end = NextLineStart(text, span.end);
  absl::string_view after = text.substr(span.end, end - span.end);
  if (!IsBlank(text.substr(begin, span.begin - begin)) ||
      !(IsBlank(after) || IsCommentLine(after))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot reorder: the block of extension '", span.name,
        "' shares a line with other text; put each `extension { ... }` block on lines of its own "
        "and try again"));
  }
  size_t comments = begin;
  while (comments > 0) {
    size_t above = LineStart(text, comments - 1);
    if (!IsCommentLine(text.substr(above, comments - above))) break;
    comments = above;
  }
  if (comments > 0) begin = comments;  // A run from the first line is the file's header.
  return std::make_pair(begin, end);
}

}  // namespace

absl::StatusOr<std::string> ReorderManifestText(const std::string& original,
                                                const std::vector<std::string>& order) {
  // Every block must end with a newline to be movable; one is added, and removed at the end.
  const bool add_newline = !original.empty() && original.back() != '\n';
  const std::string text = add_newline ? original + "\n" : original;
  ASSIGN_OR_RETURN(std::vector<ExtensionBlockSpan> spans, FindExtensionBlocks(text));

  std::map<std::string, std::vector<size_t>> by_name;  // Name -> its blocks, in text order.
  std::vector<std::string> names;
  for (size_t i = 0; i < spans.size(); ++i) names.push_back(spans[i].name);
  for (size_t i = spans.size(); i-- > 0;) by_name[spans[i].name].push_back(i);
  std::vector<size_t> picked;
  for (const std::string& name : order) {
    auto found = by_name.find(name);
    if (found == by_name.end() || found->second.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("cannot reorder: the new order names '", name,
                                                     "' more often than the manifest declares "
                                                     "it; expected each of these once: ",
                                                     absl::StrJoin(names, ", ")));
    }
    picked.push_back(found->second.back());
    found->second.pop_back();
  }
  if (picked.size() != spans.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot reorder: the new order names ", picked.size(),
                     " extensions, the manifest declares ", spans.size(),
                     "; expected each of these once: ", absl::StrJoin(names, ", ")));
  }

  std::vector<std::pair<size_t, size_t>> segments;
  for (const ExtensionBlockSpan& span : spans) {
    ASSIGN_OR_RETURN(auto segment, BlockSegment(text, span));
    segments.push_back(segment);
  }
  std::string result;
  size_t copied = 0;  // Text between segments (and around them) stays in place.
  for (size_t slot = 0; slot < segments.size(); ++slot) {
    result.append(text, copied, segments[slot].first - copied);
    const auto& moved = segments[picked[slot]];
    result.append(text, moved.first, moved.second - moved.first);
    copied = segments[slot].second;
  }
  result.append(text, copied, std::string::npos);
  if (add_newline) result.pop_back();
  return result;
}

}  // namespace v8snap
