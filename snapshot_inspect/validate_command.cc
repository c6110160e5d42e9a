// `snapshot_inspect validate`: every problem of a manifest at once (format/manifest_loader.h), a
// dependency-respecting order (format/manifest_order.h), and --fix to rewrite the file in it.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/manifest_loader.h"
#include "format/manifest_order.h"
#include "format/snapshot_files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "runtime/extension.h"
#include "snapshot_inspect/commands.h"
#include "snapshot_inspect/text_table.h"

namespace v8snap::inspect {
namespace {

const char* KindName(ManifestProblem::Kind kind) {
  using Kind = ManifestProblem::Kind;
  switch (kind) {
    case Kind::kSyntax: return "syntax";
    case Kind::kUnknownField: return "unknown_field";
    case Kind::kEmpty: return "empty";
    case Kind::kDuplicateExtension: return "duplicate_extension";
    case Kind::kUnknownDependency: return "unknown_dependency";
    case Kind::kDependencyAfterDependent: return "dependency_after_dependent";
    case Kind::kCycle: return "cycle";
    case Kind::kMissingSource: return "missing_source";
    case Kind::kUnknownNativeExtension: return "unknown_native_extension";
    case Kind::kImportMap: return "import_map";
    case Kind::kOther: return "other";
  }
  return "other";
}

ManifestProblemRecord ToRecord(const ManifestProblem& problem) {
  ManifestProblemRecord record;
  record.set_kind(KindName(problem.kind));
  record.set_file(problem.where.file);
  record.set_line(problem.where.line);
  record.set_column(problem.where.column);
  record.set_message(problem.message);
  record.set_fix(problem.fix);
  return record;
}

// The same text ManifestProblem::ToString gives, from a record.
std::string ProblemText(const ManifestProblemRecord& r) {
  ManifestProblem problem;
  problem.where = {r.file(), r.line(), r.column()};
  problem.message = r.message();
  problem.fix = r.fix();
  return problem.ToString();
}

// Checked as the tools that load manifests check them: sources read, native names from this
// binary's registry.
ManifestLoadResult Validate(const std::string& path, const std::string& text) {
  ManifestCheckOptions options;
  options.native_extensions = ExtensionRegistry::Global().Names();
  return LoadManifestFromText(path, text, options);
}

std::vector<std::string> Names(const Manifest& manifest) {
  std::vector<std::string> names;
  for (const Extension& e : manifest.extension()) names.push_back(e.name());
  return names;
}

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " '", path, "': ", std::strerror(errno)));
}

// Where --fix writes: the file `path` names after every symlink is followed (rewriting the link
// itself would replace it by a regular file and leave its target, the manifest other paths
// share, unchanged), and that file's permission bits.
struct FixTarget {
  std::string path;
  mode_t mode = 0644;
  // The manifest path itself is a symlink (the report then names the file written).
  bool through_link = false;
};

absl::StatusOr<FixTarget> ResolveFixTarget(const std::string& path) {
  char* resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return ErrnoError("cannot resolve", path);
  FixTarget target;
  target.path = resolved;
  std::free(resolved);
  struct stat st;
  if (stat(target.path.c_str(), &st) != 0) return ErrnoError("cannot stat", target.path);
  target.mode = st.st_mode & 07777;
  target.through_link = lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
  return target;
}

// "file:line:col: error: --fix could not rewrite the manifest: <why>", at the block of the
// extension the reason names when there is one (ReorderManifestText names it, not its line).
std::string FixErrorText(const std::string& path, const Manifest& manifest,
                         const google::protobuf::TextFormat::ParseInfoTree& tree,
                         const absl::Status& status, std::string fix) {
  ManifestProblem problem;
  problem.where.file = path;
  const google::protobuf::FieldDescriptor* field =
      Manifest::descriptor()->FindFieldByName("extension");
  for (int i = 0; i < manifest.extension_size(); ++i) {
    if (absl::StrContains(status.message(),
                          absl::StrCat("extension '", manifest.extension(i).name(), "'"))) {
      google::protobuf::TextFormat::ParseLocation at = tree.GetLocation(field, i);
      problem.where.line = at.line + 1;
      problem.where.column = at.column + 1;
      break;
    }
  }
  problem.message =
      absl::StrCat("--fix could not rewrite the manifest, which is unchanged: ", status.message());
  problem.fix = std::move(fix);
  return problem.ToString();
}

}  // namespace

ValidateReport BuildValidateReport(const ValidateOptions& options) {
  ValidateReport report;
  const std::string& path = options.manifest_path;
  report.set_manifest_path(path);
  absl::StatusOr<std::string> text = ReadFileToString(path);
  if (!text.ok()) {
    // LoadManifest phrases an unreadable file as a problem, like every other tool does.
    ManifestCheckOptions check;
    for (const ManifestProblem& p : LoadManifest(path, check).problems) {
      *report.add_problems() = ToRecord(p);
    }
    return report;
  }
  ManifestLoadResult result = Validate(path, *text);
  for (const ManifestProblem& p : result.problems) *report.add_problems() = ToRecord(p);
  report.set_ok(result.problems.empty());

  // The order is suggested from the parsed structure, even when the manifest has problems; a
  // manifest that does not parse gets no suggestion (the syntax problem says why).
  Manifest manifest;
  google::protobuf::TextFormat::Parser parser;
  google::protobuf::TextFormat::ParseInfoTree tree;
  parser.AllowUnknownField(true);
  parser.WriteLocationsTo(&tree);
  class Silent : public google::protobuf::io::ErrorCollector {
   public:
    void AddError(int, int, const std::string&) override {}
  } silent;
  parser.RecordErrorsTo(&silent);
  if (!parser.ParseFromString(*text, &manifest)) return report;
  std::vector<std::string> current = Names(manifest);
  std::vector<std::string> suggested = SuggestExtensionOrder(manifest);
  for (const auto& n : current) report.add_current_order(n);
  for (const auto& n : suggested) report.add_suggested_order(n);

  if (!options.fix || suggested == current) return report;
  // A rewrite that cannot be done leaves the manifest as it is; the report still stands, with
  // the reason beside it.
  absl::StatusOr<std::string> rewritten = ReorderManifestText(*text, suggested);
  if (!rewritten.ok()) {
    report.set_fix_error(FixErrorText(
        path, manifest, tree, rewritten.status(),
        "move the blocks into the suggested order by hand, or put each `extension { ... }` block "
        "on lines of its own and run validate --fix again"));
    return report;
  }
  absl::StatusOr<FixTarget> target = ResolveFixTarget(path);
  absl::Status written = target.ok() ? WriteFileAtomically(target->path, *rewritten, target->mode) : target.status();
  if (!written.ok()) {
    report.set_fix_error(FixErrorText(
        path, manifest, tree, written,
        "make the manifest and its folder writable (--fix writes a temporary file beside it and "
        "renames it over the manifest), or move the blocks into the suggested order by hand"));
    return report;
  }
  report.set_fixed(true);
  if (target->through_link) report.set_rewritten_path(target->path);
  ManifestLoadResult after = Validate(path, *rewritten);
  for (const ManifestProblem& p : after.problems) *report.add_remaining_problems() = ToRecord(p);
  report.set_ok(after.problems.empty());
  return report;
}

std::string RenderValidateText(const ValidateReport& report) {
  const std::string& path = report.manifest_path();
  std::string out;
  for (const ManifestProblemRecord& p : report.problems()) {
    absl::StrAppend(&out, ProblemText(p), "\n");
  }
  const bool reordered = !std::equal(report.current_order().begin(), report.current_order().end(),
                                     report.suggested_order().begin(),
                                     report.suggested_order().end());
  if (report.problems_size() > 0) {
    absl::StrAppend(&out, "\n", path, ": ", report.problems_size(),
                    report.problems_size() == 1 ? " problem\n" : " problems\n");
  }
  if (reordered) {
    absl::StrAppend(&out, "\nSuggested order (the manifest's order wherever the deps allow):\n");
    // A name declared twice takes its places in order.
    absl::flat_hash_map<std::string, std::vector<int>> was_at;
    for (int i = report.current_order_size() - 1; i >= 0; --i) {
      was_at[report.current_order(i)].push_back(i + 1);
    }
    TextTable t({"#", "extension", "now at"}, {TextTable::kRight, TextTable::kLeft,
                                                TextTable::kRight});
    for (int i = 0; i < report.suggested_order_size(); ++i) {
      const std::string& name = report.suggested_order(i);
      std::vector<int>& places = was_at[name];
      t.AddRow({absl::StrCat(i + 1), name, places.empty() ? "" : absl::StrCat(places.back())});
      if (!places.empty()) places.pop_back();
    }
    absl::StrAppend(&out, t.Render("  "));
    if (!report.fix_error().empty()) {
      absl::StrAppend(&out, "\n", report.fix_error(), "\n");
    } else if (!report.fixed()) {
      absl::StrAppend(&out,
                      "Rewrite the manifest in this order (comments move with their blocks): ",
                      MessageToolNames().inspector, " validate --fix ", path, "\n");
    }
  }
  if (report.fixed()) {
    absl::StrAppend(&out, "\nRewrote ", path,
                    report.rewritten_path().empty()
                        ? ""
                        : absl::StrCat(" (through the link: ", report.rewritten_path(), ")"),
                    " in the suggested order.\n");
    for (const ManifestProblemRecord& p : report.remaining_problems()) {
      absl::StrAppend(&out, ProblemText(p), "\n");
    }
    if (report.remaining_problems_size() > 0) {
      absl::StrAppend(&out, "\n", path, ": ", report.remaining_problems_size(),
                      " problem", report.remaining_problems_size() == 1 ? "" : "s",
                      " left that reordering cannot fix\n");
    }
  }
  if (report.ok()) {
    absl::StrAppend(&out, path, ": ok, ", report.suggested_order_size(),
                    " extensions in a valid order: ",
                    absl::StrJoin(report.fixed() ? report.suggested_order()
                                                 : report.current_order(),
                                  ", "),
                    "\n");
  }
  return out;
}

int RunValidate(const ValidateOptions& options) {
  const ValidateReport report = BuildValidateReport(options);
  std::string text;
  if (options.json) {
    text = ToJson(report);
  } else if (options.error_format == ErrorFormat::kGithub) {
    std::vector<std::string> problems;
    for (const ManifestProblemRecord& p : report.problems()) problems.push_back(ProblemText(p));
    if (!report.fix_error().empty()) problems.push_back(report.fix_error());
    text = ToGithubAnnotations(absl::StrJoin(problems, "\n"));
    if (!text.empty()) text.push_back('\n');
  } else {
    text = RenderValidateText(report);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!report.fix_error().empty() && options.error_format != ErrorFormat::kGithub) {
    // As verify does with its first failure: on stderr too, for logs that keep only stderr.
    std::fflush(stdout);
    PrintError(kTool, report.fix_error());
  }
  return report.ok() ? kExitOk : kExitFailure;
}

}  // namespace v8snap::inspect
