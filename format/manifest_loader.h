// Loads a manifest (protobuf text format) and checks it, reporting every problem at file:line:col.
#ifndef V8SNAP_FORMAT_MANIFEST_LOADER_H_
#define V8SNAP_FORMAT_MANIFEST_LOADER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "format/manifest.pb.h"
#include "format/sidecar.pb.h"

namespace v8snap {

// A place in a manifest. Line and column are 1-based; the column counts bytes. Line 0 means the
// problem is about the file as a whole (it cannot be read).
struct ManifestLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// One thing wrong with a manifest: what, where, and what to do about it.
struct ManifestProblem {
  enum class Kind {
    kSyntax,
    kUnknownField,
    kEmpty,
    kDuplicateExtension,
    kUnknownDependency,
    kDependencyAfterDependent,
    kCycle,
    kMissingSource,
    kUnknownNativeExtension,
    kImportMap,  // an import_map entry: a `from` that is not a bare name, twice, or a `to` naming
                 // no importable source of the manifest
    kOther,
  };
  Kind kind = Kind::kOther;
  ManifestLocation where;
  std::string message;
  std::string fix;

  // "file:line:col: error: message\n  fix: ..." ("file: error: ..." when line is 0). The one
  // format every tool prints problems in.
  std::string ToString() const;
};

struct LoadedSource {
  SourceRecord_Kind kind = SourceRecord::KIND_UNSPECIFIED;  // CLASSIC / ESM / LAZY_ESM
  std::string path;           // As written in the manifest (relative to it).
  std::string resolved_path;  // The manifest's folder + path.
  std::string specifier;      // "ext:<extension>/<file name>" for modules, "" for classic scripts.
  std::string contents;       // Empty when loaded with read_sources = false.
  ManifestLocation where;     // The path string in the manifest.
};

struct LoadedExtension {
  std::string name;
  std::vector<std::string> deps;
  bool enabled = true;
  std::vector<LoadedSource> sources;  // js, then esm, then lazy_esm, each in manifest order.
  ManifestLocation where;             // The `extension` keyword of its block.
};

struct LoadedManifest {
  std::string path;
  std::string text;
  Manifest manifest;
  std::vector<LoadedExtension> extensions;  // In manifest order.
  // XXH3-128 (ContentHasher) over the manifest text, then every source's path and contents in
  // order. Empty when sources were not read: a digest without them would not identify a build.
  std::string digest;
};

// A source path "builtin:core/core.js" names a file of v8snap's built-in extensions wherever
// v8snap is: the source tree's extensions/ or an installation's share/v8snap/extensions. The
// manifest, the sidecar and the digest keep the "builtin:" spelling, never a machine path. The
// builder and inspector set the folder at start (cli/builtin_sources.h); while it is unset,
// such a path is looked up as written (the embedded manifest's copies are stored so).
inline constexpr absl::string_view kBuiltinSourcePrefix = "builtin:";
void SetBuiltinSourceRoot(std::string dir);
const std::string& BuiltinSourceRoot();

struct ManifestCheckOptions {
  // Names with native ops registered in this binary. An extension with no sources at all whose
  // name is not here is an unknown native extension. nullopt skips that check (tools that have
  // no registry, such as the inspector's offline validate).
  std::optional<std::vector<std::string>> native_extensions;
  // false: source files are neither opened nor hashed (no missing-source problems, empty
  // contents and digest). For callers that only check the manifest's own structure.
  bool read_sources = true;
};

// `manifest` is set only when `problems` is empty.
struct ManifestLoadResult {
  std::optional<LoadedManifest> manifest;
  std::vector<ManifestProblem> problems;
};

// Reads, parses and checks the manifest at `path`, collecting all problems rather than stopping
// at the first (a syntax error does stop parsing, so it is reported with the unknown fields
// found before it and nothing else).
ManifestLoadResult LoadManifest(const std::string& path, const ManifestCheckOptions& options);

// The same for text already in memory; `path` is used in messages and to resolve sources.
ManifestLoadResult LoadManifestFromText(const std::string& path, const std::string& text,
                                        const ManifestCheckOptions& options);

// LoadManifest, with every problem folded into one kInvalidArgument whose message is the
// problems' ToString() joined by newlines. A manifest file that cannot be read keeps
// ReadFileToString's code (kNotFound when missing).
absl::StatusOr<LoadedManifest> LoadManifestOrError(const std::string& path,
                                                   const ManifestCheckOptions& options);

// Why `bytes`, the contents of the source file at `path`, are not UTF-8 text, which is what
// v8snap hands V8 (as Node and Deno read sources): `message` ("is encoded as UTF-16LE (its
// byte-order mark says so), not UTF-8", "is not valid UTF-8: byte 0xe9 at PATH:2:20 ...") and
// `fix` (the iconv command). nullopt for UTF-8, with or without a byte-order mark (V8 reads
// U+FEFF as white space). Other encodings would reach V8 as mojibake and fail with a
// SyntaxError about a character that is not in the file. Manifest sources are checked by
// LoadManifest; other JS files (the builder's --warmup script) through CheckSourceIsUtf8.
struct SourceEncodingProblem {
  std::string message;
  std::string fix;
};
std::optional<SourceEncodingProblem> FindSourceEncodingProblem(absl::string_view bytes,
                                                               const std::string& path);

// The same as one kInvalidArgument: "<what> '<path>' <message>\n  fix: <fix>".
absl::Status CheckSourceIsUtf8(absl::string_view bytes, const std::string& path,
                               absl::string_view what);

// Where one `extension { ... }` block sits in manifest text, as byte offsets: `begin` at the
// `extension` keyword, `end` one past the closing brace.
struct ExtensionBlockSpan {
  std::string name;
  size_t begin = 0;
  size_t end = 0;
};

// The spans of all extension blocks in manifest order, for tools that rewrite a manifest in
// place (ReorderManifestText). kInvalidArgument, with the syntax problem, if the text does not
// parse; unknown fields are tolerated here.
absl::StatusOr<std::vector<ExtensionBlockSpan>> FindExtensionBlocks(const std::string& text);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_MANIFEST_LOADER_H_
