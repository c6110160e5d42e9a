// Spawning tools with fork/exec and capturing stdout and stderr through temp files.
#include "tests/tool_runner.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace v8snap::testing {

std::string ToolPath(const std::string& tool) { return std::string(V8SNAP_BIN_DIR) + "/" + tool; }

std::string SourcePath(const std::string& relative) {
  return std::string(V8SNAP_SOURCE_ROOT) + "/" + relative;
}

ToolResult RunTool(const std::string& tool, const std::vector<std::string>& args,
                   const std::string& cwd) {
  TempDir capture;
  std::string out_path = capture.path() + "/out";
  std::string err_path = capture.path() + "/err";
  std::string binary = tool.find('/') == std::string::npos ? ToolPath(tool) : tool;
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ToolResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = ReadWholeFile(out_path);
  result.err = ReadWholeFile(err_path);
  return result;
}

int SpawnTool(const std::string& tool, const std::vector<std::string>& args) {
  std::string binary = tool.find('/') == std::string::npos ? ToolPath(tool) : tool;
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/v8snap-test-XXXXXX";
  path_ = mkdtemp(tmpl);
}

TempDir::~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }

std::string TempDir::Write(const std::string& name, const std::string& contents) const {
  std::string full = path_ + "/" + name;
  std::string dir = full.substr(0, full.rfind('/'));
  std::system(("mkdir -p '" + dir + "'").c_str());
  std::ofstream(full, std::ios::binary) << contents;
  return full;
}

std::string TempDir::Read(const std::string& name) const {
  return ReadWholeFile(path_ + "/" + name);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace v8snap::testing
