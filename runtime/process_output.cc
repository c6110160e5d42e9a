// WriteOutput: stdio writes that turn EPIPE on stdout into a process-wide "stdout closed".
#include "runtime/process_output.h"

#include <errno.h>

#include <atomic>
#include <cstdio>

namespace v8snap {
namespace {

std::atomic<bool> g_stdout_closed{false};

}  // namespace

bool WriteOutput(OutputStream stream, std::string_view text) {
  const bool to_stdout = stream == OutputStream::kStdout;
  if (to_stdout && g_stdout_closed) return false;
  FILE* file = to_stdout ? stdout : stderr;
  errno = 0;
  size_t written = std::fwrite(text.data(), 1, text.size(), file);
  int flushed = std::fflush(file);
  if ((written == text.size() && flushed == 0) || !to_stdout) return true;
  if (errno != EPIPE) {
    std::clearerr(file);
    return true;
  }
  // Nothing more can reach the reader; what stays buffered fails again, silently, at exit.
  g_stdout_closed = true;
  return false;
}

bool StdoutClosed() { return g_stdout_closed; }

}  // namespace v8snap
