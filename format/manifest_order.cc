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

std::vector<std::string> SuggestExtensionOrder(const Manifest& manifest) {
  const int n = manifest.extension_size();
  std::set<std::string> known;
  for (const Extension& ext : manifest.extension()) known.insert(ext.name());

  // Kahn's algorithm with the smallest manifest index first: equal to rescanning the manifest
  // for the first extension whose deps are placed, in O(n log n). A name counts as placed once
  // its first extension is.
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
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i) {
    if (waiting_on[i] == 0) ready.push(i);
  }
  std::vector<std::string> order;
  std::vector<bool> placed(n, false);
  std::set<std::string> placed_names;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    placed[i] = true;
    const std::string& name = manifest.extension(i).name();
    order.push_back(name);
    if (!placed_names.insert(name).second) continue;
    for (int dependent : dependents[name]) {
      if (--waiting_on[dependent] == 0) ready.push(dependent);
    }
  }
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
  // The same stable Kahn's algorithm as SuggestExtensionOrder: smallest manifest place first.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i) {
    if (waiting_on[i] == 0) ready.push(i);
  }
  ValidOrder result;
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    placed[i] = true;
    result.order.push_back(names[i]);
    for (int dependent : dependents[i]) {
      if (--waiting_on[dependent] == 0) ready.push(dependent);
    }
  }
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
