// End-to-end test support: run a v8snap binary like a user would and capture what it prints.
#ifndef V8SNAP_TESTS_TOOL_RUNNER_H_
#define V8SNAP_TESTS_TOOL_RUNNER_H_

#include <string>
#include <vector>

namespace v8snap::testing {

struct ToolResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Runs out/<build>/<tool> with `args` in `cwd` (the current folder when empty) and no stdin.
ToolResult RunTool(const std::string& tool, const std::vector<std::string>& args,
                   const std::string& cwd = "");

// Starts a tool without waiting (stdout/stderr to /dev/null); returns its pid.
int SpawnTool(const std::string& tool, const std::vector<std::string>& args);

// The contents of the file at `path`, or "" when it cannot be read.
std::string ReadWholeFile(const std::string& path);

// Absolute path of a built tool, and of a file in the source tree ("manifests/default.textproto").
std::string ToolPath(const std::string& tool);
std::string SourcePath(const std::string& relative);

// A fresh temporary folder, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `contents` to path()/name (creating folders) and returns the full path.
  std::string Write(const std::string& name, const std::string& contents) const;
  std::string Read(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace v8snap::testing

#endif  // V8SNAP_TESTS_TOOL_RUNNER_H_
