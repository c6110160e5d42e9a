// Shared CLI behaviour for snapshot_builder, snapshot_run and snapshot_inspect.
#include "cli/cli_support.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "format/version.h"
#include "runtime/v8_process.h"

namespace v8snap {

std::string VersionText(const std::string& tool) {
  return absl::StrCat(tool, " ", kV8snapVersion, " (v8snap), V8 ", V8Process::LinkedV8Version());
}

void AddVersionFlag(CLI::App& app, const std::string& tool) {
  app.set_version_flag("--version", VersionText(tool));
}

std::string FormatError(const std::string& tool, const std::string& message, bool color) {
  const std::string label = color ? "\033[1;31merror:\033[0m" : "error:";
  static constexpr char kLabel[] = ": error: ";
  const size_t first_line_end = message.find('\n');
  const size_t labelled = message.find(kLabel);
  if (labelled != std::string::npos && labelled < first_line_end) {
    return absl::StrCat(message.substr(0, labelled), ": ", label, " ",
                        message.substr(labelled + sizeof(kLabel) - 1));
  }
  return absl::StrCat(tool, ": ", label, " ", message);
}

void PrintError(const std::string& tool, const std::string& message) {
  std::fprintf(stderr, "%s\n", FormatError(tool, message, UseColor(STDERR_FILENO)).c_str());
}

void PrintError(const std::string& tool, const absl::Status& status) {
  PrintError(tool, std::string(status.message()));
}

namespace {

// The option `name` ("--out", "-v") of `app` or of any of its subcommands, or null.
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  if (const CLI::Option* option = app.get_option_no_throw(name)) return option;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (const CLI::Option* option = FindOption(*sub, name)) return option;
  }
  return nullptr;
}

// The first argument that looks like a flag but names none of `app`'s options. CLI11 checks
// required options before it reports extra arguments, so `tool --bogus` would otherwise be told
// "--manifest is required" and never hear about the typo.
std::string FirstUnknownFlag(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    const std::string name = arg.substr(0, arg.find('='));
    const CLI::Option* option = FindOption(app, name);
    if (option == nullptr) return name;
    // "--out x.bin": the value is not a flag, even when it starts with '-'.
    if (name == arg && option->get_expected_min() > 0) ++i;
  }
  return "";
}

// CLI11 2.5 and later rewrap an app's description and footer as paragraphs (80 columns, the
// examples' indentation dropped); the tools write theirs line by line, so that is turned off
// where the CLI11 in use has the switch. Earlier releases print them as written.
template <typename Formatter>
auto KeepParagraphsAsWritten(Formatter& formatter, int)
    -> decltype(formatter.enable_footer_formatting(false), void()) {
  formatter.enable_description_formatting(false);
  formatter.enable_footer_formatting(false);
}
template <typename Formatter>
void KeepParagraphsAsWritten(Formatter&, long) {}

void KeepHelpAsWritten(CLI::App& app) {
  if (auto* formatter = dynamic_cast<CLI::Formatter*>(app.get_formatter().get())) {
    KeepParagraphsAsWritten(*formatter, 0);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    KeepHelpAsWritten(*sub);
  }
}

}  // namespace

int ParseOrExit(CLI::App& app, int argc, char** argv) {
  KeepHelpAsWritten(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Printed as every other error of the tool ("tool: error: ..."), not CLI11's bare line.
    const std::string tool = app.get_name();
    std::string unknown;
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      unknown = FirstUnknownFlag(app, argc, argv);
    }
    PrintError(tool, absl::StrCat(unknown.empty() ? std::string(e.what())
                                                  : absl::StrCat("unknown flag '", unknown, "'"),
                                  " (", tool, " --help lists the flags)"));
    return kExitUsage;
  }
  return -1;
}

void IgnoreClosedOutput() { signal(SIGPIPE, SIG_IGN); }

CLI::Validator NonEmptyPath() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        return value.empty() ? "expected a path, found an empty string" : "";
      },
      /*validator_desc=*/"", "NON_EMPTY_PATH");
}

void AddErrorFormatOption(CLI::App& app, ErrorFormat& format) {
  static const std::map<std::string, ErrorFormat> kFormats = {{"text", ErrorFormat::kText},
                                                              {"github", ErrorFormat::kGithub}};
  // The transformer's own description would show its map ("{github->1,text->0} OR {1,0}").
  app.add_option("--error-format", format,
                 "text (default), or github: errors as GitHub Actions annotations (::error "
                 "file=...,line=...::message), shown inline in pull requests")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case).description("{text,github}"))
      ->type_name("TEXT");
}

std::string ToGithubAnnotations(const std::string& report) {
  // GitHub's escaping for workflow command data and properties.
  auto escape_data = [](absl::string_view text) {
    return absl::StrReplaceAll(text, {{"%", "%25"}, {"\r", "%0D"}, {"\n", "%0A"}});
  };
  auto escape_property = [&](absl::string_view text) {
    return absl::StrReplaceAll(escape_data(text), {{":", "%3A"}, {",", "%2C"}});
  };
  // [\s\S]: the message may hold a CR, which '.' does not match.
  static const std::regex kPlace(R"(^(\S+?):(\d+):(\d+): (?:error: )?([\s\S]*)$)");
  std::vector<std::string> annotations;
  std::string pending;  // the current annotation's message, continuation lines included
  std::string header;
  auto flush = [&] {
    if (!header.empty()) annotations.push_back(header + "::" + escape_data(pending));
    header.clear();
    pending.clear();
  };
  for (absl::string_view line : absl::StrSplit(report, '\n')) {
    if (line.empty()) continue;
    std::smatch match;
    std::string text(line);
    if (std::regex_match(text, match, kPlace)) {
      flush();
      header = absl::StrCat("::error file=", escape_property(match[1].str()),
                            ",line=", match[2].str(), ",col=", match[3].str());
      pending = match[4].str();
    } else if (!header.empty()) {
      // Not a new problem: a second line of this one. As its own "::error::" it would be an
      // annotation without a file, cut off from the problem it belongs to.
      absl::StrAppend(&pending, "\n", text);
    } else {
      header = "::error";
      pending = text;
    }
  }
  flush();
  return absl::StrJoin(annotations, "\n");
}

void PrintErrorAs(ErrorFormat format, const std::string& tool, const absl::Status& status) {
  if (format == ErrorFormat::kText) {
    PrintError(tool, status);
    return;
  }
  std::printf("%s\n", ToGithubAnnotations(std::string(status.message())).c_str());
  std::fflush(stdout);
}

bool UseColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  // A terminal that says it cannot do escapes (Emacs shells, some CI consoles) gets none.
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(fd) != 0;
}

absl::Status ParseWholeNumberFlag(const std::string& flag, const std::string& text, uint64_t min,
                                  uint64_t max, const std::string& unit, uint64_t& out) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 0 || static_cast<uint64_t>(value) < min ||
      static_cast<uint64_t>(value) > max) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " '", text,
                                                   "' is not a valid value: give a whole number "
                                                   "of ",
                                                   unit, " from ", min, " to ", max));
  }
  out = static_cast<uint64_t>(value);
  return absl::OkStatus();
}

}  // namespace v8snap
