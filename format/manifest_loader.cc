// Manifest parsing (protobuf TextFormat with locations) and the checks that collect every problem.
#include "format/manifest_loader.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/manifest_order.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"

namespace v8snap {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;
using google::protobuf::io::Tokenizer;
using Kind = ManifestProblem::Kind;

constexpr absl::string_view kDocsHint = "see docs/manifest.md";

// Protobuf reports 0-based lines and columns that expand tabs to the next multiple of 8 (its
// tokenizer's rule). Users get 1-based byte columns, so positions are converted here, once.
class TextLines {
 public:
  explicit TextLines(absl::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  size_t Offset(int line, int column) const {
    if (line < 0) return 0;
    if (static_cast<size_t>(line) >= starts_.size()) return text_.size();
    size_t pos = starts_[line];
    int expanded = 0;
    while (expanded < column && pos < text_.size() && text_[pos] != '\n') {
      expanded = text_[pos] == '\t' ? expanded + 8 - expanded % 8 : expanded + 1;
      ++pos;
    }
    return pos;
  }

  ManifestLocation Location(const std::string& file, int line, int column) const {
    if (line < 0) return {file, 1, 1};
    size_t clamped = std::min(static_cast<size_t>(line), starts_.size() - 1);
    size_t offset = Offset(static_cast<int>(clamped), column);
    return {file, static_cast<int>(clamped) + 1, static_cast<int>(offset - starts_[clamped]) + 1};
  }

 private:
  absl::string_view text_;
  std::vector<size_t> starts_;
};

struct Token {
  Tokenizer::TokenType type;
  std::string text;
  int line;
  int column;
};

class SilentErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

// The manifest's tokens, as TextFormat's parser sees them ('#' comments). ParseInfoTree gives a
// field's position (its name) but not its values', and records `deps: ["a", "b"]` once for two
// values; the tokens after the field name locate each value string.
class TokenIndex {
 public:
  explicit TokenIndex(const std::string& text) {
    google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
    SilentErrorCollector errors;
    Tokenizer tokenizer(&input, &errors);
    tokenizer.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
    while (tokenizer.Next()) {
      const Tokenizer::Token& t = tokenizer.current();
      tokens_.push_back({t.type, t.text, t.line, t.column});
    }
  }

  // Index of the first token at or after (line, column).
  size_t Find(int line, int column) const {
    return std::lower_bound(tokens_.begin(), tokens_.end(), std::make_pair(line, column),
                            [](const Token& t, const std::pair<int, int>& pos) {
                              return std::make_pair(t.line, t.column) < pos;
                            }) -
           tokens_.begin();
  }

  const Token* At(size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }

  // The string values of the field whose name token is at `i`: `f: "a"`, `f: "a" "b"` (one
  // value, concatenated) or `f: ["a", "b"]`.
  std::vector<const Token*> StringValuesOfField(size_t i) const {
    std::vector<const Token*> values;
    ++i;
    if (IsSymbol(i, ":")) ++i;
    bool list = IsSymbol(i, "[");
    if (list) ++i;
    while (const Token* t = At(i)) {
      if (t->type == Tokenizer::TYPE_STRING) {
        values.push_back(t);
        while (At(i) && At(i)->type == Tokenizer::TYPE_STRING) ++i;
      } else if (!list || IsSymbol(i, "]")) {
        break;
      } else {
        ++i;  // ',' between list values.
      }
      if (!list) break;
    }
    return values;
  }

 private:
  bool IsSymbol(size_t i, absl::string_view symbol) const {
    return At(i) && At(i)->type == Tokenizer::TYPE_SYMBOL && At(i)->text == symbol;
  }

  std::vector<Token> tokens_;
};

struct Diagnostic {
  int line;
  int column;
  std::string message;
};

class RecordingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    errors.push_back({line, column, message});
  }
  void AddWarning(int line, int column, const std::string& message) override {
    warnings.push_back({line, column, message});
  }
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

// Everything one parse of manifest text yields. The tree is not movable, hence the pointer.
struct ParsedText {
  Manifest manifest;
  std::unique_ptr<TextFormat::ParseInfoTree> tree = std::make_unique<TextFormat::ParseInfoTree>();
  RecordingErrorCollector diagnostics;
  bool ok = false;
};

// Unknown fields are accepted (and reported as warnings) so that all of them are found in one
// pass; any other error stops the parser.
void ParseText(const std::string& text, ParsedText* parsed) {
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&parsed->diagnostics);
  parser.WriteLocationsTo(parsed->tree.get());
  parser.AllowUnknownField(true);
  parsed->ok = parser.ParseFromString(text, &parsed->manifest);
}

const FieldDescriptor* ManifestField(absl::string_view name) {
  return Manifest::descriptor()->FindFieldByName(std::string(name));
}
const FieldDescriptor* ExtensionField(absl::string_view name) {
  return Extension::descriptor()->FindFieldByName(std::string(name));
}

size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate a typo most likely meant: at most 2 edits away, and fewer edits than letters.
std::optional<std::string> ClosestName(absl::string_view name,
                                       const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    size_t d = EditDistance(name, candidate);
    if (d < best_distance && d < std::max(name.size(), candidate.size())) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string Quoted(absl::string_view s) { return absl::StrCat("'", s, "'"); }

// As the manifest spells a string: double-quoted, with '"' and '\\' escaped.
std::string ManifestQuoted(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// FindSourceEncodingProblem's finding before the fix is written: what is wrong and the
// encoding to convert from.
struct EncodingProblem {
  std::string message;  // "is encoded as UTF-16LE ..., not UTF-8" / "is not valid UTF-8: ..."
  std::string from;     // the encoding to convert from, as iconv spells it
};

std::optional<EncodingProblem> CheckUtf8(absl::string_view bytes, const std::string& shown) {
  struct Bom {
    absl::string_view bytes;
    const char* name;  // as iconv spells it
  };
  // UTF-32 LE first: its mark starts with UTF-16 LE's.
  static const Bom kBoms[] = {
      {absl::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
      {absl::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
      {absl::string_view("\xFF\xFE", 2), "UTF-16LE"},
      {absl::string_view("\xFE\xFF", 2), "UTF-16BE"},
  };
  for (const Bom& bom : kBoms) {
    if (absl::StartsWith(bytes, bom.bytes)) {
      return EncodingProblem{
          absl::StrCat("is encoded as ", bom.name, " (its byte-order mark says so), not UTF-8"),
          bom.name};
    }
  }
  // UTF-16 without a mark: ASCII text with a zero byte beside every character.
  if (bytes.size() >= 2 && (bytes[0] == '\0') != (bytes[1] == '\0')) {
    return EncodingProblem{
        absl::StrCat("looks like UTF-16 (", bytes[0] == '\0' ? "big" : "little",
                     "-endian, no byte-order mark: every other byte is zero), not UTF-8"),
        bytes[0] == '\0' ? "UTF-16BE" : "UTF-16LE"};
  }
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The length of the sequence c starts, and the range its second byte must be in (which
    // excludes overlong forms, surrogates and code points above U+10FFFF).
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    }
    bool valid = length != 0 && i + length <= bytes.size();
    for (size_t k = 1; valid && k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(bytes[i + k]);
      valid = k == 1 ? next >= low && next <= high : next >= 0x80 && next <= 0xBF;
    }
    if (!valid) {
      return EncodingProblem{
          absl::StrCat("is not valid UTF-8: byte 0x", absl::Hex(c, absl::kZeroPad2), " at ", shown,
                       ":", line, ":", i - line_start + 1,
                       " (column in bytes) starts no UTF-8 character; the file is probably in a "
                       "legacy encoding such as Latin-1 or Windows-1252"),
          "WINDOWS-1252"};
    }
    i += length;
  }
  return std::nullopt;
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& n : names) quoted.push_back(Quoted(n));
  return absl::StrJoin(quoted, ", ");
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string& MutableBuiltinSourceRoot() {
  static std::string* root = new std::string();
  return *root;
}

// Relative to the manifest's folder, or for "builtin:REST" REST in the built-in folder (as
// written while that is unset: the name the embedded manifest stores such a source under).
std::string ResolveSourcePath(const std::string& dir, const std::string& path) {
  absl::string_view rest = path;
  if (absl::ConsumePrefix(&rest, kBuiltinSourcePrefix)) {
    return BuiltinSourceRoot().empty() ? path : absl::StrCat(BuiltinSourceRoot(), "/", rest);
  }
  return dir.empty() ? path : absl::StrCat(dir, "/", path);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Loader state for one manifest: its text, positions, and the problems found so far.
class ManifestChecker {
 public:
  ManifestChecker(const std::string& path, const std::string& text,
                  const ManifestCheckOptions& options)
      : path_(path), text_(text), options_(options), lines_(text), tokens_(text) {}

  ManifestLoadResult Run() {
    ParsedText parsed;
    ParseText(text_, &parsed);
    ReportUnknownFields(parsed.diagnostics.warnings);
    if (!parsed.ok) {
      ReportSyntaxError(parsed.diagnostics.errors);
      return Finish(nullptr);
    }
    CollectExtensions(parsed);
    // A misspelled `extension` or `name` is reported as an unknown field, with a "did you
    // mean"; what it would then be missing is not reported again.
    if (extensions_.empty() && unknown_fields_.empty()) {
      Add(Kind::kEmpty, lines_.Location(path_, 0, 0),
          "expected at least one `extension { ... }` block, found none, so there is nothing to "
          "snapshot",
          absl::StrCat("add a block such as `extension { name: \"core\" js: \"core.js\" }` (paths "
                       "are relative to this file; ",
                       kDocsHint, ")"));
    }
    CheckNames();
    CheckDependencies(parsed.manifest);
    CheckSources();
    CheckNativeExtensions();
    CheckImportMap(parsed);
    return Finish(&parsed.manifest);
  }

 private:
  // An extension as parsed, with the positions the checks point at.
  struct Entry {
    LoadedExtension loaded;
    std::pair<int, int> block_begin, block_end;  // Protobuf's 0-based positions of the block.
    ManifestLocation name_where;                 // The name string (the block when absent).
    std::vector<ManifestLocation> deps_where;    // Each deps string.
  };

  void Add(Kind kind, ManifestLocation where, std::string message, std::string fix) {
    problems_.push_back({kind, std::move(where), std::move(message), std::move(fix)});
  }

  ManifestLocation LocationOf(const Token& token) const {
    return lines_.Location(path_, token.line, token.column);
  }

  // Protobuf reports an unknown or repeated field at the token after its name; point at the name.
  ManifestLocation FieldNameLocation(const Diagnostic& d, absl::string_view field_name) const {
    size_t i = tokens_.Find(d.line, d.column);
    if (i > 0 && tokens_.At(i - 1) && tokens_.At(i - 1)->type == Tokenizer::TYPE_IDENTIFIER &&
        tokens_.At(i - 1)->text == field_name) {
      return LocationOf(*tokens_.At(i - 1));
    }
    return lines_.Location(path_, d.line, d.column);
  }

  void ReportUnknownFields(const std::vector<Diagnostic>& warnings) {
    for (const Diagnostic& w : warnings) {
      // 'Message type "v8snap.Extension" has no field named "nmae".'
      constexpr absl::string_view kPrefix = "Message type \"";
      constexpr absl::string_view kMiddle = "\" has no field named \"";
      size_t middle = absl::string_view(w.message).find(kMiddle);
      if (!absl::StartsWith(w.message, kPrefix) || middle == std::string::npos) {
        Add(Kind::kOther, lines_.Location(path_, w.line, w.column), w.message,
            absl::StrCat("correct the text at this position; ", kDocsHint));
        continue;
      }
      std::string type = w.message.substr(kPrefix.size(), middle - kPrefix.size());
      std::string field(absl::StripSuffix(
          absl::StripSuffix(absl::string_view(w.message).substr(middle + kMiddle.size()), "."),
          "\""));
      const Descriptor* descriptor = DescriptorPool::generated_pool()->FindMessageTypeByName(type);
      std::vector<std::string> allowed;
      for (int i = 0; descriptor && i < descriptor->field_count(); ++i) {
        allowed.push_back(descriptor->field(i)->name());
      }
      std::string scope = descriptor == Extension::descriptor() ? "an `extension { ... }` block"
                          : descriptor == ImportMapEntry::descriptor()
                              ? "an `import_map { ... }` entry"
                              : "the top level of a manifest";
      std::string fix =
          absl::StrCat(scope, " allows only these fields: ", absl::StrJoin(allowed, ", "));
      if (auto closest = ClosestName(field, allowed)) {
        absl::StrAppend(&fix, "; did you mean '", *closest, "'?");
      } else {
        absl::StrAppend(&fix, "; remove or rename this field");
      }
      unknown_fields_.push_back({w.line, w.column});
      Add(Kind::kUnknownField, FieldNameLocation(w, field),
          absl::StrCat("unknown field ", Quoted(field), " in ", scope), std::move(fix));
    }
  }

  void ReportSyntaxError(const std::vector<Diagnostic>& errors) {
    // The parser stops at its first error; later ones (if any) are echoes of it.
    Diagnostic first = errors.empty() ? Diagnostic{0, 0, "the text does not parse"} : errors[0];
    ManifestLocation where = lines_.Location(path_, first.line, first.column);
    // 'Non-repeated field "name" is specified multiple times.' is reported after the name.
    size_t quote = first.message.find('"');
    if (absl::StartsWith(first.message, "Non-repeated field") && quote != std::string::npos) {
      size_t end = first.message.find('"', quote + 1);
      where = FieldNameLocation(first, first.message.substr(quote + 1, end - quote - 1));
    }
    std::string found = first.message;
    if (absl::EndsWith(found, "got: ")) absl::StrAppend(&found, "the end of the file");
    Add(Kind::kSyntax, where,
        absl::StrCat("expected protobuf text format (v8snap.Manifest), found a syntax error: ",
                     found),
        absl::StrCat("correct the text at this position: strings are double-quoted, blocks look "
                     "like `extension { name: \"core\" js: \"core.js\" }`; ",
                     kDocsHint));
  }

  // Locations of every value of a repeated string field inside one parsed block.
  std::vector<ManifestLocation> ValueLocations(const TextFormat::ParseInfoTree* tree,
                                               const FieldDescriptor* field, int count,
                                               const ManifestLocation& fallback) const {
    std::vector<ManifestLocation> where;
    for (int index = 0; tree != nullptr && static_cast<int>(where.size()) < count; ++index) {
      TextFormat::ParseLocation at = tree->GetLocation(field, index);
      if (at.line < 0) break;
      for (const Token* value : tokens_.StringValuesOfField(tokens_.Find(at.line, at.column))) {
        where.push_back(LocationOf(*value));
      }
    }
    where.resize(count, fallback);
    return where;
  }

  void CollectExtensions(const ParsedText& parsed) {
    const FieldDescriptor* extension_field = ManifestField("extension");
    const std::string dir = DirName(path_);
    for (int i = 0; i < parsed.manifest.extension_size(); ++i) {
      const Extension& ext = parsed.manifest.extension(i);
      Entry entry;
      TextFormat::ParseLocationRange block = parsed.tree->GetLocationRange(extension_field, i);
      entry.block_begin = {block.start.line, block.start.column};
      entry.block_end = {block.end.line, block.end.column};
      entry.loaded.where = lines_.Location(path_, block.start.line, block.start.column);
      entry.loaded.name = ext.name();
      entry.loaded.deps.assign(ext.deps().begin(), ext.deps().end());
      entry.loaded.enabled = !ext.has_enabled() || ext.enabled();
      const TextFormat::ParseInfoTree* tree = parsed.tree->GetTreeForNested(extension_field, i);

      entry.name_where = entry.loaded.where;
      if (tree != nullptr) {
        TextFormat::ParseLocation at = tree->GetLocation(ExtensionField("name"), -1);
        if (at.line >= 0) {
          auto values = tokens_.StringValuesOfField(tokens_.Find(at.line, at.column));
          entry.name_where =
              values.empty() ? lines_.Location(path_, at.line, at.column) : LocationOf(*values[0]);
        }
      }
      entry.deps_where =
          ValueLocations(tree, ExtensionField("deps"), ext.deps_size(), entry.loaded.where);

      auto add_sources = [&](absl::string_view field_name,
                             const google::protobuf::RepeatedPtrField<std::string>& paths,
                             SourceRecord_Kind kind) {
        std::vector<ManifestLocation> where =
            ValueLocations(tree, ExtensionField(field_name), paths.size(), entry.loaded.where);
        for (int k = 0; k < paths.size(); ++k) {
          LoadedSource source;
          source.kind = kind;
          source.path = paths[k];
          source.resolved_path = ResolveSourcePath(dir, source.path);
          if (kind != SourceRecord::CLASSIC) {
            source.specifier = absl::StrCat("ext:", ext.name(), "/", BaseName(source.path));
          }
          source.where = where[k];
          entry.loaded.sources.push_back(std::move(source));
        }
      };
      add_sources("js", ext.js(), SourceRecord::CLASSIC);
      add_sources("esm", ext.esm(), SourceRecord::ESM);
      add_sources("lazy_esm", ext.lazy_esm(), SourceRecord::LAZY_ESM);
      add_sources("cjs", ext.cjs(), SourceRecord::CJS);
      extensions_.push_back(std::move(entry));
    }
  }

  void CheckNames() {
    for (size_t i = 0; i < extensions_.size(); ++i) {
      const Entry& e = extensions_[i];
      if (e.loaded.name.empty()) {
        bool misspelled = std::any_of(
            unknown_fields_.begin(), unknown_fields_.end(),
            [&](const std::pair<int, int>& at) { return e.block_begin <= at && at < e.block_end; });
        if (misspelled) continue;
        Add(Kind::kOther, e.name_where,
            "expected the extension to have a name (`name: \"...\"`), found none or an empty one",
            "give it a unique name; an extension with native ops must use the name its ops are "
            "registered under");
        continue;
      }
      auto [first, inserted] = first_index_.emplace(e.loaded.name, i);
      if (!inserted) {
        const Entry& original = extensions_[first->second];
        Add(Kind::kDuplicateExtension, e.name_where,
            absl::StrCat("extension ", Quoted(e.loaded.name), " is declared twice: first at line ",
                         original.loaded.where.line, ", again here"),
            "extension names must be unique: rename one of the two blocks or merge them into one");
      } else {
        known_names_.push_back(e.loaded.name);
      }
    }
  }

  // Tarjan's strongly connected components over "depends on" edges between known extensions.
  std::vector<int> Components(const std::vector<std::vector<size_t>>& edges) const {
    const size_t n = edges.size();
    std::vector<int> component(n, -1), index(n, -1), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<size_t> stack;
    int next_index = 0, next_component = 0;
    std::function<void(size_t)> visit = [&](size_t v) {
      index[v] = low[v] = next_index++;
      stack.push_back(v);
      on_stack[v] = true;
      for (size_t w : edges[v]) {
        if (index[w] < 0) {
          visit(w);
          low[v] = std::min(low[v], low[w]);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
      }
      if (low[v] == index[v]) {
        size_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component[w] = next_component;
        } while (w != v);
        ++next_component;
      }
    };
    for (size_t v = 0; v < n; ++v) {
      if (index[v] < 0) visit(v);
    }
    return component;
  }

  // The index (into a's deps) of an edge of a shortest cycle through `start` within its
  // component, and the cycle's extensions from `start` back to it.
  std::vector<size_t> ShortestCycle(size_t start, const std::vector<std::vector<size_t>>& edges,
                                    const std::vector<int>& component) const {
    std::map<size_t, size_t> parent;
    std::vector<size_t> frontier = {start};
    while (!frontier.empty()) {
      std::vector<size_t> next;
      for (size_t v : frontier) {
        for (size_t w : edges[v]) {
          if (component[w] != component[start]) continue;
          if (w == start) {
            std::vector<size_t> cycle = {start};
            for (size_t at = v; at != start; at = parent[at]) cycle.insert(cycle.begin() + 1, at);
            cycle.push_back(start);
            return cycle;
          }
          if (parent.emplace(w, v).second) next.push_back(w);
        }
      }
      frontier = std::move(next);
    }
    return {start, start};
  }

  void CheckDependencies(const Manifest& manifest) {
    const size_t n = extensions_.size();
    std::vector<std::vector<size_t>> edges(n);  // edges[i]: extensions i depends on.
    for (size_t i = 0; i < n; ++i) {
      const Entry& e = extensions_[i];
      for (size_t d = 0; d < e.loaded.deps.size(); ++d) {
        const std::string& dep = e.loaded.deps[d];
        auto found = first_index_.find(dep);
        if (found != first_index_.end()) {
          edges[i].push_back(found->second);
          continue;
        }
        std::string fix;
        if (auto closest = ClosestName(dep, known_names_)) {
          fix = absl::StrCat("did you mean ", Quoted(*closest), "? ");
        }
        absl::StrAppend(&fix, "declare an extension named ", Quoted(dep),
                        " or remove this dependency; this manifest declares: ",
                        known_names_.empty() ? "no named extensions" : QuotedList(known_names_));
        Add(Kind::kUnknownDependency, e.deps_where[d],
            absl::StrCat("extension ", Quoted(e.loaded.name), " depends on ", Quoted(dep),
                         ", but no extension in this manifest has that name"),
            std::move(fix));
      }
    }

    std::vector<int> component = Components(edges);
    std::set<int> reported_components;
    for (size_t i = 0; i < n; ++i) {
      const Entry& e = extensions_[i];
      bool in_cycle = false;
      for (size_t j : edges[i]) in_cycle |= component[j] == component[i];
      if (in_cycle && reported_components.insert(component[i]).second) {
        std::vector<size_t> cycle = ShortestCycle(i, edges, component);
        std::vector<std::string> names;
        for (size_t k : cycle) names.push_back(extensions_[k].loaded.name);
        const std::string& next = names[1];
        size_t d =
            std::find(e.loaded.deps.begin(), e.loaded.deps.end(), next) - e.loaded.deps.begin();
        std::string message = absl::StrCat("dependency cycle: ", absl::StrJoin(names, " -> "));
        std::string fix =
            "extensions load in manifest order, so their deps cannot form a cycle: remove one of "
            "these dependencies (move the code both sides need into a separate extension)";
        if (cycle.size() == 2) {
          absl::StrAppend(&message, " (extension ", Quoted(e.loaded.name), " depends on itself)");
          fix = absl::StrCat("remove ", Quoted(e.loaded.name), " from its own deps");
        }
        Add(Kind::kCycle, e.deps_where[d], std::move(message), std::move(fix));
      }
    }

    std::optional<std::string> order_hint;  // the same for every such problem: made once
    for (size_t i = 0; i < n; ++i) {
      const Entry& e = extensions_[i];
      for (size_t d = 0; d < e.loaded.deps.size(); ++d) {
        auto found = first_index_.find(e.loaded.deps[d]);
        if (found == first_index_.end() || found->second <= i) continue;
        size_t j = found->second;
        if (component[j] == component[i]) continue;  // Reported as a cycle.
        const std::string& dep = e.loaded.deps[d];
        if (!order_hint) order_hint = OrderHint(manifest);
        Add(Kind::kDependencyAfterDependent, e.deps_where[d],
            absl::StrCat("extension ", Quoted(e.loaded.name), " depends on ", Quoted(dep),
                         ", which is declared after it (line ", extensions_[j].loaded.where.line,
                         "): move ", Quoted(dep), " before ", Quoted(e.loaded.name)),
            absl::StrCat("extensions load in manifest order, so a dependency must come first: move "
                         "the `extension { name: \"",
                         dep, "\" ... }` block above the one for ", Quoted(e.loaded.name), ".",
                         *order_hint));
      }
    }
  }

  // The order to suggest after "move X before Y": each name once, and never a place for an
  // extension that cannot have one (a cycle member, or what depends on one).
  static std::string OrderHint(const Manifest& manifest) {
    ValidOrder valid = SuggestValidOrder(manifest);
    if (valid.unplaceable.empty()) {
      return absl::StrCat(" An order that satisfies every dependency: ",
                          absl::StrJoin(valid.order, ", "));
    }
    std::string hint;
    if (!valid.order.empty()) {
      hint = absl::StrCat(" An order for the extensions outside the dependency cycle: ",
                          absl::StrJoin(valid.order, ", "), ";");
    }
    return absl::StrCat(hint, " ", QuotedList(valid.unplaceable),
                        valid.unplaceable.size() == 1 ? " has" : " have",
                        " no valid place until the dependency cycle is broken");
  }

  // What to do about a source that cannot be read, by why it cannot.
  static std::string UnreadableSourceFix(const absl::Status& status, const std::string& dir,
                                         const std::string& resolved_path) {
    if (absl::IsPermissionDenied(status)) {
      return absl::StrCat("make it readable by the user running the build (for example chmod a+r '",
                          resolved_path, "'; every folder above it needs the x permission)");
    }
    if (absl::IsInvalidArgument(status)) {  // a directory, FIFO or device
      return absl::StrCat("point the path at a regular file (relative to the manifest's folder, '",
                          dir, "')");
    }
    return absl::StrCat("paths are relative to the manifest's folder ('", dir,
                        "'): create the file at '", resolved_path, "' or correct the path");
  }

  void CheckSources() {
    const std::string dir = DirName(path_).empty() ? "." : DirName(path_);
    for (Entry& e : extensions_) {
      std::map<std::string, const LoadedSource*> specifiers;
      for (LoadedSource& source : e.loaded.sources) {
        if (source.path.empty()) {
          Add(Kind::kOther, source.where,
              absl::StrCat("expected a source path in extension ", Quoted(e.loaded.name),
                           ", found an empty string"),
              absl::StrCat("write the file's path relative to the manifest's folder ('", dir,
                           "'), or remove the entry"));
          continue;
        }
        if (source.path[0] == '/') {
          Add(Kind::kOther, source.where,
              absl::StrCat("source path ", Quoted(source.path), " of extension ",
                           Quoted(e.loaded.name),
                           " is absolute; expected a path relative to the manifest"),
              absl::StrCat("write it relative to the manifest's folder ('", dir,
                           "'): absolute paths are recorded in the sidecar and make builds differ "
                           "between machines"));
          continue;
        }
        if (!source.specifier.empty()) {
          auto [first, inserted] = specifiers.emplace(source.specifier, &source);
          if (!inserted) {
            Add(Kind::kOther, source.where,
                absl::StrCat("module specifier ", Quoted(source.specifier), " of ",
                             Quoted(source.path), " is already used by ",
                             Quoted(first->second->path), " (line ", first->second->where.line,
                             ")"),
                "a module's specifier is \"ext:<extension>/<file name>\", without directories: "
                "rename one of the files or move it to another extension");
          }
        }
        if (!options_.read_sources) continue;
        absl::StatusOr<std::string> contents = ReadFileToString(source.resolved_path);
        if (!contents.ok()) {
          Add(Kind::kMissingSource, source.where,
              absl::StrCat("source ", Quoted(source.path), " of extension ", Quoted(e.loaded.name),
                           " cannot be read: ", contents.status().message()),
              UnreadableSourceFix(contents.status(), dir, source.resolved_path));
        } else if (std::optional<SourceEncodingProblem> encoding =
                       FindSourceEncodingProblem(*contents, source.resolved_path)) {
          Add(Kind::kOther, source.where,
              absl::StrCat("source ", Quoted(source.path), " of extension ", Quoted(e.loaded.name),
                           " ", encoding->message),
              encoding->fix);
        } else {
          source.contents = *std::move(contents);
        }
      }
    }
  }

  void CheckNativeExtensions() {
    if (!options_.native_extensions.has_value()) return;
    std::vector<std::string> native = *options_.native_extensions;
    std::sort(native.begin(), native.end());
    native.erase(std::unique(native.begin(), native.end()), native.end());
    for (const Entry& e : extensions_) {
      if (!e.loaded.sources.empty() || e.loaded.name.empty() ||
          std::binary_search(native.begin(), native.end(), e.loaded.name)) {
        continue;
      }
      std::string fix = "give it js, esm or lazy_esm sources to make it a JS-only extension";
      if (native.empty()) {
        absl::StrAppend(&fix, "; this binary registers no native extensions");
      } else {
        if (auto closest = ClosestName(e.loaded.name, native)) {
          absl::StrAppend(&fix, ", or did you mean ", Quoted(*closest), "?");
        }
        absl::StrAppend(&fix, "; native extensions in this binary: ", QuotedList(native));
      }
      Add(Kind::kUnknownNativeExtension, e.name_where,
          absl::StrCat("extension ", Quoted(e.loaded.name),
                       " has no sources, so it must be a native extension, but this binary "
                       "registers no ops under that name"),
          std::move(fix));
    }
  }

  // The import map as the runtime reads it (runtime/module_map.cc ResolveName, the CommonJS
  // registry of runtime/commonjs.cc): a specifier that is not "ext:..." and not relative is
  // looked up by its exact text, and the name it maps to is used as it is, never looked up
  // again. So `from` must be a bare name (anything else is resolved before, or instead of, the
  // map, or never matches) and `to` the "ext:<extension>/<file name>" of a module or CJS source.
  void CheckImportMap(const ParsedText& parsed) {
    const Manifest& manifest = parsed.manifest;
    if (manifest.import_map_size() == 0) return;
    const FieldDescriptor* entry_field = ManifestField("import_map");
    const Descriptor* entry_type = ImportMapEntry::descriptor();

    // What a `to` may name, and what it may be mistaken for.
    std::map<std::string, const LoadedSource*> importable;  // specifier -> esm/lazy_esm/cjs
    std::map<std::string, const LoadedSource*> classic;     // "ext:e/f" -> classic script
    std::map<std::string, const LoadedSource*> by_path;     // their paths as written
    std::map<std::string, const Entry*> extension_by_name;
    std::vector<std::string> importable_names;
    for (const Entry& e : extensions_) {
      extension_by_name.emplace(e.loaded.name, &e);
      for (const LoadedSource& source : e.loaded.sources) {
        if (source.path.empty()) continue;
        if (source.kind == SourceRecord::CLASSIC) {
          classic.emplace(absl::StrCat("ext:", e.loaded.name, "/", BaseName(source.path)), &source);
          continue;
        }
        by_path.emplace(source.path, &source);
        if (importable.emplace(source.specifier, &source).second) {
          importable_names.push_back(source.specifier);
        }
      }
    }
    // "extension 'x' offers: 'ext:x/a.js', ..." for the fix of a `to` that meant extension x.
    auto offers = [&](const std::string& name, const Entry& e, const std::string& everything) {
      std::vector<std::string> own;
      for (const LoadedSource& s : e.loaded.sources) {
        if (s.kind != SourceRecord::CLASSIC && !s.path.empty()) own.push_back(s.specifier);
      }
      return own.empty() ? absl::StrCat("extension ", Quoted(name), " has no importable source; ",
                                        everything)
                         : absl::StrCat("extension ", Quoted(name), " offers: ", QuotedList(own));
    };
    auto extension_of = [&](const LoadedSource* source) -> std::string {
      for (const Entry& e : extensions_) {
        for (const LoadedSource& s : e.loaded.sources) {
          if (&s == source) return e.loaded.name;
        }
      }
      return "";
    };

    struct Seen {
      std::string to;
      int line;
    };
    std::map<std::string, Seen> first_from;
    std::map<std::string, std::string> from_to;  // for a `to` that names another entry's `from`
    for (const ImportMapEntry& entry : manifest.import_map()) {
      from_to.emplace(entry.from(), entry.to());
    }

    for (int i = 0; i < manifest.import_map_size(); ++i) {
      const ImportMapEntry& entry = manifest.import_map(i);
      TextFormat::ParseLocationRange block = parsed.tree->GetLocationRange(entry_field, i);
      const ManifestLocation block_where =
          lines_.Location(path_, block.start.line, block.start.column);
      const TextFormat::ParseInfoTree* tree = parsed.tree->GetTreeForNested(entry_field, i);
      auto value_where = [&](absl::string_view field_name) {
        if (tree == nullptr) return block_where;
        TextFormat::ParseLocation at =
            tree->GetLocation(entry_type->FindFieldByName(std::string(field_name)), -1);
        if (at.line < 0) return block_where;
        auto values = tokens_.StringValuesOfField(tokens_.Find(at.line, at.column));
        return values.empty() ? lines_.Location(path_, at.line, at.column) : LocationOf(*values[0]);
      };
      const std::string shown = absl::StrCat("import_map { from: ", ManifestQuoted(entry.from()),
                                             " to: ", ManifestQuoted(entry.to()), " }");
      const ManifestLocation from_where = value_where("from");
      const ManifestLocation to_where = value_where("to");
      // A misspelled `from` or `to` is reported as an unknown field; the missing value it
      // leaves is not reported again.
      const std::pair<int, int> begin{block.start.line, block.start.column};
      const std::pair<int, int> end{block.end.line, block.end.column};
      const bool misspelled =
          std::any_of(unknown_fields_.begin(), unknown_fields_.end(),
                      [&](const std::pair<int, int>& at) { return begin <= at && at < end; });

      // `from`: a bare name, given once.
      if (entry.from().empty() && misspelled) {
        // reported as an unknown field
      } else if (std::optional<std::string> why = WhyNotBare(entry.from())) {
        Add(Kind::kImportMap, from_where, absl::StrCat(shown, ": `from` ", *why),
            BareSpecifierFix(entry.from()));
      } else if (auto [first, inserted] =
                     first_from.emplace(entry.from(), Seen{entry.to(), from_where.line});
                 !inserted) {
        Add(Kind::kImportMap, from_where,
            absl::StrCat(shown, ": ", Quoted(entry.from()), " is mapped twice: first at line ",
                         first->second.line, " to ", Quoted(first->second.to), ", again here"),
            first->second.to == entry.to()
                ? std::string("remove this entry: it repeats the one above")
                : absl::StrCat("a bare name names one module: keep the entry whose `to` is the "
                               "module you mean and remove the other (the runtime would use the "
                               "first, ",
                               Quoted(first->second.to), ")"));
      }

      // `to`: an importable source of this manifest, by its specifier.
      const std::string& to = entry.to();
      if (importable.count(to) || (to.empty() && misspelled)) continue;
      std::string why;
      std::string fix;
      const std::string want =
          "expected the \"ext:<extension>/<file name>\" specifier of an esm, lazy_esm or cjs "
          "source of this manifest";
      auto closest_fix = [&](absl::string_view name) {
        if (auto closest = ClosestName(name, importable_names)) {
          return absl::StrCat("did you mean ", Quoted(*closest), "? ");
        }
        return std::string();
      };
      auto list = [&]() {
        return importable_names.empty()
                   ? std::string(
                         "this manifest has no esm, lazy_esm or cjs source: add the "
                         "module to an extension first")
                   : absl::StrCat("this manifest's importable specifiers: ",
                                  QuotedList(importable_names));
      };
      absl::string_view rest = to;
      std::string stripped = std::string(absl::StripPrefix(to, "./"));
      if (to.empty()) {
        why = absl::StrCat("`to` is missing or empty; ", want);
        fix = list();
      } else if (auto c = classic.find(to); c != classic.end()) {
        why = absl::StrCat("`to` names ", Quoted(c->second->path),
                           ", a classic script (js:) of extension ",
                           Quoted(extension_of(c->second)), ", which cannot be imported");
        fix = absl::StrCat(
            "list the file under esm:, lazy_esm: or cjs: (whichever it is) instead "
            "of js:, or map ",
            Quoted(entry.from()), " to a module; ", list());
      } else if (const LoadedSource* source = SourceAtPath(by_path, stripped)) {
        why = absl::StrCat("`to` is the path of a source, not its specifier; ", want);
        fix = absl::StrCat("write to: ", ManifestQuoted(source->specifier),
                           " (a module is named \"ext:<extension>/<file name>\", without folders)");
      } else if (auto m = from_to.find(to); m != from_to.end() && !absl::StartsWith(to, "ext:")) {
        why = absl::StrCat(
            "`to` is another bare name of the import map; the runtime looks a "
            "name up once and does not follow it further");
        fix =
            absl::StrCat("write the specifier that entry maps to: to: ", ManifestQuoted(m->second));
      } else if (absl::ConsumePrefix(&rest, "ext:")) {
        size_t slash = rest.find('/');
        std::string extension(rest.substr(0, slash));
        auto e = extension_by_name.find(extension);
        if (slash == absl::string_view::npos || e == extension_by_name.end()) {
          why = absl::StrCat("`to` names no source of this manifest: no extension is named ",
                             Quoted(extension));
          fix = absl::StrCat(closest_fix(to), list());
        } else {
          std::string file(rest.substr(slash + 1));
          why = absl::StrCat("`to` names no source of this manifest: extension ", Quoted(extension),
                             " has no esm, lazy_esm or cjs source named ", Quoted(file));
          if (file.find('/') != std::string::npos) {
            std::string base = BaseName(file);
            absl::StrAppend(&why, " (a specifier holds the file name without folders)");
            fix = absl::StrCat("did you mean ", Quoted(absl::StrCat("ext:", extension, "/", base)),
                               "? ");
          } else {
            fix = closest_fix(to);
          }
          absl::StrAppend(&fix, offers(extension, *e->second, list()));
        }
      } else if (auto e = extension_by_name.find(to); e != extension_by_name.end()) {
        why = absl::StrCat("`to` is the name of extension ", Quoted(to),
                           ", not a specifier of one of its sources; ", want);
        fix = offers(to, *e->second, list());
      } else {
        why = absl::StrCat("`to` is not an \"ext:\" specifier; ", want);
        fix = absl::StrCat(closest_fix(absl::StrCat("ext:", to)), list());
      }
      Add(Kind::kImportMap, to_where, absl::StrCat(shown, ": ", why), std::move(fix));
    }
  }

  // The source in `by_path` (esm, lazy_esm and cjs sources by their paths as written) whose
  // path is `path`, or ends with "/" + `path` when only one does; nullptr otherwise.
  static const LoadedSource* SourceAtPath(const std::map<std::string, const LoadedSource*>& by_path,
                                          const std::string& path) {
    if (path.empty()) return nullptr;
    auto exact = by_path.find(path);
    if (exact != by_path.end()) return exact->second;
    const LoadedSource* found = nullptr;
    for (const auto& [written, source] : by_path) {
      if (!absl::EndsWith(written, "/" + path)) continue;
      if (found != nullptr) return nullptr;
      found = source;
    }
    return found;
  }

  // Why `from` is not a bare specifier the runtime looks up in the import map, or nullopt.
  static std::optional<std::string> WhyNotBare(const std::string& from) {
    if (from.empty()) return "is missing or empty; expected a bare name such as \"preact\"";
    if (from == "." || from == ".." || absl::StartsWith(from, "./") ||
        absl::StartsWith(from, "../")) {
      return "is a relative specifier, which resolves against the importing module, never "
             "through the import map; expected a bare name such as \"preact\"";
    }
    if (absl::StartsWith(from, "/")) {
      return "is an absolute path, which names a file, never a name in the import map; expected "
             "a bare name such as \"preact\"";
    }
    if (absl::StartsWith(from, "ext:")) {
      return "is an \"ext:\" specifier, which already names a module of the snapshot and never "
             "goes through the import map; expected a bare name such as \"preact\"";
    }
    if (absl::StartsWith(from, kBuiltinSourcePrefix)) {
      return "is a \"builtin:\" source path, not a specifier: nothing imports it by that name; "
             "expected a bare name such as \"preact\"";
    }
    // A URL scheme: a letter, then letters, digits, '+', '-' or '.', then ':'.
    size_t colon = from.find(':');
    if (colon != std::string::npos && colon > 0 && absl::ascii_isalpha(from[0]) &&
        std::all_of(from.begin(), from.begin() + colon, [](char c) {
          return absl::ascii_isalnum(c) || c == '+' || c == '-' || c == '.';
        })) {
      return absl::StrCat("is a URL (scheme '", from.substr(0, colon + 1),
                          "'), not a bare specifier; expected a bare name such as \"preact\"");
    }
    if (absl::EndsWith(from, "/")) {
      return "ends with '/', as a prefix mapping of a browser's import map does; this import map "
             "maps whole names only, so it would match only the specifier written exactly so";
    }
    return std::nullopt;
  }

  static std::string BareSpecifierFix(const std::string& from) {
    if (absl::EndsWith(from, "/") && !from.empty()) {
      return absl::StrCat("write one entry per name packages import, for example from: ",
                          ManifestQuoted(absl::StrCat(from, "hooks")),
                          " to: \"ext:<extension>/<file name>\"");
    }
    return "write the name packages import, as in `import { h } from \"preact\"` or "
           "`require(\"lodash\")`: a specifier with no './', '../' or '/' in front and no "
           "scheme (ext:, file:, https:, node:, ...); relative, absolute and ext: specifiers "
           "resolve without the import map";
  }

  ManifestLoadResult Finish(const Manifest* manifest) {
    ManifestLoadResult result;
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const ManifestProblem& a, const ManifestProblem& b) {
                       return std::make_pair(a.where.line, a.where.column) <
                              std::make_pair(b.where.line, b.where.column);
                     });
    result.problems = std::move(problems_);
    if (!result.problems.empty() || manifest == nullptr) return result;

    LoadedManifest loaded;
    loaded.path = path_;
    loaded.text = text_;
    loaded.manifest = *manifest;
    ContentHasher hasher;
    hasher.AddPiece(text_);
    for (Entry& e : extensions_) {
      for (const LoadedSource& source : e.loaded.sources) {
        hasher.AddPiece(source.path);
        hasher.AddPiece(source.contents);
      }
      loaded.extensions.push_back(std::move(e.loaded));
    }
    std::string digest = hasher.Finish();
    if (options_.read_sources) loaded.digest = std::move(digest);
    result.manifest = std::move(loaded);
    return result;
  }

  const std::string& path_;
  const std::string& text_;
  const ManifestCheckOptions& options_;
  const TextLines lines_;
  const TokenIndex tokens_;
  std::vector<Entry> extensions_;
  std::map<std::string, size_t> first_index_;        // Name -> first extension with it.
  std::vector<std::string> known_names_;             // Distinct names, in manifest order.
  std::vector<std::pair<int, int>> unknown_fields_;  // Protobuf's positions of unknown fields.
  std::vector<ManifestProblem> problems_;
};

}  // namespace

std::optional<SourceEncodingProblem> FindSourceEncodingProblem(absl::string_view bytes,
                                                               const std::string& path) {
  std::optional<EncodingProblem> problem = CheckUtf8(bytes, path);
  if (!problem.has_value()) return std::nullopt;
  return SourceEncodingProblem{
      std::move(problem->message),
      absl::StrCat("sources must be UTF-8 (a UTF-8 byte-order mark is fine): convert it, for "
                   "example: iconv -f ",
                   problem->from, " -t UTF-8 '", path, "' > x.js && mv x.js '", path, "'")};
}

absl::Status CheckSourceIsUtf8(absl::string_view bytes, const std::string& path,
                               absl::string_view what) {
  std::optional<SourceEncodingProblem> problem = FindSourceEncodingProblem(bytes, path);
  if (!problem.has_value()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(what, " '", path, "' ", problem->message, "\n  fix: ", problem->fix));
}

std::string ManifestProblem::ToString() const {
  std::string location =
      where.line > 0 ? absl::StrCat(where.file, ":", where.line, ":", where.column) : where.file;
  return absl::StrCat(location, ": error: ", message, "\n  fix: ", fix);
}

void SetBuiltinSourceRoot(std::string dir) { MutableBuiltinSourceRoot() = std::move(dir); }
const std::string& BuiltinSourceRoot() { return MutableBuiltinSourceRoot(); }

ManifestLoadResult LoadManifestFromText(const std::string& path, const std::string& text,
                                        const ManifestCheckOptions& options) {
  return ManifestChecker(path, text, options).Run();
}

ManifestLoadResult LoadManifest(const std::string& path, const ManifestCheckOptions& options) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    ManifestLoadResult result;
    result.problems.push_back(
        {Kind::kOther, ManifestLocation{path, 0, 0},
         absl::StrCat("cannot read the manifest: ", text.status().message()),
         "pass the path of a manifest file (for example manifests/default.textproto), relative "
         "to the current directory or absolute"});
    return result;
  }
  return LoadManifestFromText(path, *text, options);
}

absl::StatusOr<LoadedManifest> LoadManifestOrError(const std::string& path,
                                                   const ManifestCheckOptions& options) {
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat("cannot read the manifest: ", text.status().message(),
                                     ". Pass the path of a manifest file (for example "
                                     "manifests/default.textproto)."));
  }
  ManifestLoadResult result = LoadManifestFromText(path, *text, options);
  if (!result.problems.empty()) {
    std::vector<std::string> lines;
    for (const ManifestProblem& p : result.problems) lines.push_back(p.ToString());
    return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
  }
  return *std::move(result.manifest);
}

absl::StatusOr<std::vector<ExtensionBlockSpan>> FindExtensionBlocks(const std::string& text) {
  ParsedText parsed;
  ParseText(text, &parsed);
  if (!parsed.ok) {
    ManifestLoadResult result = LoadManifestFromText("<manifest>", text, {std::nullopt, false});
    std::vector<std::string> lines;
    for (const ManifestProblem& p : result.problems) {
      if (p.kind == Kind::kSyntax) lines.push_back(p.ToString());
    }
    return absl::InvalidArgumentError(
        absl::StrCat("cannot find the extension blocks, the manifest does not parse: ",
                     absl::StrJoin(lines, "\n")));
  }
  TextLines lines(text);
  const FieldDescriptor* extension_field = ManifestField("extension");
  std::vector<ExtensionBlockSpan> spans;
  for (int i = 0; i < parsed.manifest.extension_size(); ++i) {
    TextFormat::ParseLocationRange range = parsed.tree->GetLocationRange(extension_field, i);
    if (range.start.line < 0 || range.end.line < 0) {
      return absl::InternalError(absl::StrCat("protobuf recorded no position for extension block ",
                                              i + 1, " of the manifest"));
    }
    spans.push_back({parsed.manifest.extension(i).name(),
                     lines.Offset(range.start.line, range.start.column),
                     lines.Offset(range.end.line, range.end.column)});
  }
  return spans;
}

}  // namespace v8snap
