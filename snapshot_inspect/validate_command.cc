// `snapshot_inspect validate`: every problem of a manifest at once (format/manifest_loader.h), a
// dependency-respecting order (format/manifest_order.h), and --fix to rewrite the file in it.
#include <algorithm>
#include <cstdio>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/cli_support.h"
#include "format/atomic_file.h"
#include "format/manifest_loader.h"
#include "format/manifest_order.h"
#include "format/status_macros.h"
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

}  // namespace

absl::StatusOr<ValidateReport> BuildValidateReport(const ValidateOptions& options) {
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
  parser.AllowUnknownField(true);
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
  ASSIGN_OR_RETURN(std::string rewritten, ReorderManifestText(*text, suggested));
  RETURN_IF_ERROR(WriteFileAtomically(path, rewritten));
  report.set_fixed(true);
  ManifestLoadResult after = Validate(path, rewritten);
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
    if (!report.fixed()) {
      absl::StrAppend(&out, "Rewrite the manifest in this order (comments move with their "
                            "blocks): snapshot_inspect validate --fix ",
                      path, "\n");
    }
  }
  if (report.fixed()) {
    absl::StrAppend(&out, "\nRewrote ", path, " in the suggested order.\n");
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
  absl::StatusOr<ValidateReport> report = BuildValidateReport(options);
  if (!report.ok()) {
    PrintError(kTool, report.status());
    return kExitFailure;
  }
  std::string text;
  if (options.json) {
    text = ToJson(*report);
  } else if (options.error_format == ErrorFormat::kGithub) {
    std::vector<std::string> problems;
    for (const ManifestProblemRecord& p : report->problems()) problems.push_back(ProblemText(p));
    text = ToGithubAnnotations(absl::StrJoin(problems, "\n"));
    if (!text.empty()) text.push_back('\n');
  } else {
    text = RenderValidateText(*report);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return report->ok() ? kExitOk : kExitFailure;
}

}  // namespace v8snap::inspect
