// What the three command-line tools share: exit codes, error printing, --version text, and
// running a CLI11 app with the documented exit codes (0 ok, 1 failure, 2 usage).
#ifndef V8SNAP_CLI_CLI_SUPPORT_H_
#define V8SNAP_CLI_CLI_SUPPORT_H_

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace v8snap {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitUsage = 2,
};

// "snapshot_builder 0.1.0 (v8snap), V8 10.2.154.26-node.37"
std::string VersionText(const std::string& tool);

// Adds --version to `app`, printing VersionText(tool).
void AddVersionFlag(CLI::App& app, const std::string& tool);

// "tool: error: message", or the message alone when it already labels itself (manifest problems
// are "file:line:col: error: ...", the one format every tool prints them in, which editors and
// CI parse; a second "tool: error: " in front would only say it twice). `color` makes "error:"
// bold red. Multi-line messages are kept as they are.
std::string FormatError(const std::string& tool, const std::string& message, bool color);

// Prints FormatError(...) and a newline to stderr, in color when UseColor(stderr).
void PrintError(const std::string& tool, const absl::Status& status);
void PrintError(const std::string& tool, const std::string& message);

// Parses argv; on --help/--version prints and returns kExitOk, on a usage error prints it as
// "tool: error: ... (tool --help lists the flags)" and returns kExitUsage; returns -1 when the
// caller should go on. An unknown flag is named even when a required option is missing too.
int ParseOrExit(CLI::App& app, int argc, char** argv);

// Ignores SIGPIPE, so a reader that goes away (`snapshot_inspect info x.bin | head -5`) ends the
// output quietly (writes fail with EPIPE) instead of killing the tool with exit 141, which
// `set -o pipefail` scripts and CI would report as a failure. Every tool's main calls it first.
void IgnoreClosedOutput();

// A CLI11 check for path options: an empty value ("--out ''") is a usage error (exit 2), not a
// run that fails later on a file named ".sidecar.pb".
CLI::Validator NonEmptyPath();

// How errors are printed: "text" (default) or "github" (GitHub Actions annotations).
enum class ErrorFormat { kText, kGithub };

// Adds --error-format=text|github to `app` (shown as "--error-format TEXT:{text,github}").
void AddErrorFormatOption(CLI::App& app, ErrorFormat& format);

// Rewrites an error report as GitHub Actions workflow commands, one per problem:
//   "m.textproto:3:5: error: unknown dependency\n  fix: ..." →
//   "::error file=m.textproto,line=3,col=5::unknown dependency%0A  fix: ..."
// Each line that starts with a place (file:line:col:) starts a problem; every other line belongs
// to the problem above it (a fix, a stack, a message that spans lines), and text before the
// first place becomes one "::error::text". Escaped as GitHub's workflow commands require:
// % CR LF in the message, and also : , in the file property.
std::string ToGithubAnnotations(const std::string& report);

// PrintError, or the report as annotations on stdout (where GitHub reads them) for kGithub.
void PrintErrorAs(ErrorFormat format, const std::string& tool, const absl::Status& status);

// True when `fd` is a terminal, NO_COLOR is unset or empty, and TERM is not "dumb".
bool UseColor(int fd);

// A flag's text as a whole number within [min, max] into `out`; kInvalidArgument naming the
// flag, the text and the valid range ("--timeout-ms '-5' is not a valid value: give a whole
// number of milliseconds from 1 to ..."). For --max-heap-mb and --timeout-ms, parsed here
// rather than by CLI11, which reads "-5" into an unsigned option.
absl::Status ParseWholeNumberFlag(const std::string& flag, const std::string& text, uint64_t min,
                                  uint64_t max, const std::string& unit, uint64_t& out);

}  // namespace v8snap

#endif  // V8SNAP_CLI_CLI_SUPPORT_H_
