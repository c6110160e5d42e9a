// Shared CLI behaviour for snapshot_builder, snapshot_run and snapshot_inspect.
#include "cli/cli_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "format/version.h"
#include "runtime/v8_process.h"

namespace v8snap {

std::string VersionText(const std::string& tool) {
  return absl::StrCat(tool, " ", kV8snapVersion, " (v8snap), V8 ", V8Process::LinkedV8Version());
}

void AddVersionFlag(CLI::App& app, const std::string& tool) {
  app.set_version_flag("--version", VersionText(tool));
}

void PrintError(const std::string& tool, const std::string& message) {
  bool color = UseColor(STDERR_FILENO);
  std::fprintf(stderr, "%s: %serror:%s %s\n", tool.c_str(), color ? "\033[1;31m" : "",
               color ? "\033[0m" : "", message.c_str());
}

void PrintError(const std::string& tool, const absl::Status& status) {
  PrintError(tool, std::string(status.message()));
}

int ParseOrExit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return -1;
}

bool UseColor(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fd) != 0;
}

}  // namespace v8snap
