// RunRuntimeChild: one pre-started runtime serving one command (runtime/serve/runtime_child.h).
#include "runtime/serve/runtime_child.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "runtime/serve/prestarted_runtime.h"
#include "runtime/serve/serve_protocol.h"

extern char** environ;

namespace v8snap {
namespace {

RuntimeChildOptions& Options() {
  static RuntimeChildOptions* options = new RuntimeChildOptions();
  return *options;
}

void SendControl(char kind, const std::string& text = "") {
  std::string message = std::string(1, kind) + text;
  // The server may be gone (killed, or restarted into a new binary): the command goes on.
  (void)send(Options().control_fd, message.data(), message.size(), MSG_NOSIGNAL);
}

void SendReply(int conn, const char* tag, int32_t value) {
  ServeReply reply{};
  std::memcpy(reply.tag, tag, 4);
  reply.value = value;
  reply.pid = static_cast<int32_t>(getpid());
  (void)send(conn, &reply, sizeof(reply), MSG_NOSIGNAL);
}

// Receives `size` bytes into `data` and at most `max_fds` (up to 3) descriptors sent with them
// (SCM_RIGHTS, made close-on-exec), retrying on EINTR. Returns what recvmsg returns; `fd_count`
// says how many descriptors arrived, into `fds`.
ssize_t ReceiveWithFds(int socket, void* data, size_t size, int flags, int* fds, size_t max_fds,
                       size_t& fd_count) {
  alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))] = {};
  iovec iov{data, size};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = CMSG_SPACE(max_fds * sizeof(int));
  ssize_t got;
  do {
    got = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC | flags);
  } while (got < 0 && errno == EINTR);
  fd_count = 0;
  cmsghdr* cmsg = got > 0 ? CMSG_FIRSTHDR(&msg) : nullptr;
  if (cmsg != nullptr && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
    fd_count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    std::memcpy(fds, CMSG_DATA(cmsg), fd_count * sizeof(int));
  }
  return got;
}

// The client's connection, from the server; -1 when the server went away first.
int ReceiveConnection() {
  char kind = 0;
  int fd = -1;
  size_t fds = 0;
  ssize_t got = ReceiveWithFds(Options().control_fd, &kind, 1, 0, &fd, 1, fds);
  if (got != 1 || kind != kServerCommand || fds != 1) return -1;
  return fd;
}

bool ReadExactly(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t r = read(fd, data, size);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    data += r;
    size -= static_cast<size_t>(r);
  }
  return true;
}

struct Command {
  int stdio[3] = {-1, -1, -1};
  mode_t umask = 022;
  std::string cwd;
  std::vector<std::string> args;
  std::vector<char*> env;  // into `payload`
  std::string payload;
};

// The client's command; false when the client went away or sent something else.
bool ReceiveCommand(int conn, Command& command) {
  ServeCommandHeader header{};
  size_t fds = 0;
  ssize_t got =
      ReceiveWithFds(conn, &header, sizeof(header), MSG_WAITALL, command.stdio, 3, fds);
  if (got != static_cast<ssize_t>(sizeof(header)) || fds != 3) return false;
  if (std::memcmp(header.magic, V8SNAP_SERVE_COMMAND_MAGIC, 4) != 0 ||
      header.payload_bytes > V8SNAP_SERVE_MAX_PAYLOAD) {
    return false;
  }
  command.umask = static_cast<mode_t>(header.umask & 0777);
  command.payload.resize(header.payload_bytes);
  if (!ReadExactly(conn, command.payload.data(), command.payload.size())) return false;
  // cwd, argc arguments, envc variables: exactly 1 + argc + envc strings.
  std::vector<char*> strings;
  for (size_t at = 0; at < command.payload.size();) {
    size_t end = command.payload.find('\0', at);
    if (end == std::string::npos) return false;
    strings.push_back(command.payload.data() + at);
    at = end + 1;
  }
  if (strings.size() != 1 + size_t{header.argc} + header.envc) return false;
  command.cwd = strings[0];
  command.args.assign(strings.begin() + 1, strings.begin() + 1 + header.argc);
  command.env.assign(strings.begin() + 1 + header.argc, strings.end());
  command.env.push_back(nullptr);
  return true;
}

// Whether `name` is read by ICU (through V8) once per process and kept: the default locale comes
// from LC_ALL, LC_MESSAGES and LANG, and is fixed by the first use of Intl, toLocaleString or
// Date's time zone names, which has happened by the time a runtime is made; ICU_DATA and
// ICU_TIMEZONE_FILES_DIR choose its data, TZDIR the zone files. Every LC_* and LANGUAGE are
// compared too, so that no rule of ICU's has to be copied here. (TZ is not among them: V8 can
// be told to look at it again, runtime/serve/prestarted_runtime.cc.)
bool IsProcessWideLocaleVariable(absl::string_view name) {
  return name == "LANG" || name == "LANGUAGE" || absl::StartsWith(name, "LC_") ||
         name == "ICU_DATA" || name == "ICU_TIMEZONE_FILES_DIR" || name == "TZDIR";
}

// Those variables of an environment, sorted: "LANG=de_DE.UTF-8", ...
std::vector<std::string> LocaleEnvironment(char* const* env) {
  std::vector<std::string> found;
  for (char* const* e = env; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry(*e);
    if (IsProcessWideLocaleVariable(entry.substr(0, entry.find('=')))) found.emplace_back(entry);
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string Shown(const std::vector<std::string>& variables) {
  return variables.empty() ? std::string("none of them set") : absl::StrJoin(variables, " ");
}

// Tells the client to start the command directly (DRCT, with the command line to exec): what
// it would see differs from what this process can show it. Nothing of the command ran here.
void SendDirectStart(int conn, const Command& command) {
  const RuntimeChildOptions& options = Options();
  std::string payload = options.executable;
  payload.push_back('\0');
  std::vector<std::string> argv = {options.executable};
  argv.insert(argv.end(), options.fixed_args.begin(), options.fixed_args.end());
  argv.insert(argv.end(), command.args.begin(), command.args.end());
  for (const std::string& arg : argv) {
    payload += arg;
    payload.push_back('\0');
  }
  ServeReply reply{};
  std::memcpy(reply.tag, V8SNAP_SERVE_TAG_DIRECT, 4);
  reply.value = static_cast<int32_t>(payload.size());
  reply.pid = static_cast<int32_t>(getpid());
  std::string message(reinterpret_cast<const char*>(&reply), sizeof(reply));
  message += payload;
  for (size_t sent = 0; sent < message.size();) {
    ssize_t n = send(conn, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client went away: nothing to start
    sent += static_cast<size_t>(n);
  }
}

// The process becomes what a direct run would have been: the client's stdio, folder,
// environment and umask.
bool BecomeClient(Command& command) {
  for (int i = 0; i < 3; ++i) {
    if (dup2(command.stdio[i], i) < 0) return false;
  }
  for (int fd : command.stdio) {
    if (fd > 2) close(fd);
  }
  umask(command.umask);
  environ = command.env.data();
  if (chdir(command.cwd.c_str()) != 0) {
    std::fprintf(stderr,
                 "%s: error: cannot enter the client's working folder %s: %s\n  fix: run the "
                 "client from a folder the server's user can enter\n",
                 Options().tool_name, command.cwd.c_str(), std::strerror(errno));
    return false;
  }
  return true;
}

// A command that would start a server of its own (refused: see ServeOneCommand).
bool IsNestedServe(const Command& command) {
  for (const std::string& arg : command.args) {
    if (arg == "--serve" || arg.rfind("--serve=", 0) == 0) return true;
  }
  return false;
}

[[noreturn]] void ServeOneCommand(const absl::Status& prestarted) {
  if (prestarted.ok()) {
    SendControl(kChildReady);
  } else {
    SendControl(kChildFailed, std::string(prestarted.message()));
  }
  const std::vector<std::string> own_locale = LocaleEnvironment(environ);
  int conn = -1;
  Command command;
  for (;;) {
    conn = ReceiveConnection();
    if (conn < 0) _exit(0);  // the server stopped, or retired this runtime
    // A client that connected but never sends its command must not hold a runtime for ever:
    // it gets 10 s, then the runtime goes (nothing ran; a live client would send again).
    timeval command_timeout{10, 0};
    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &command_timeout, sizeof(command_timeout));
    command = Command();
    if (!ReceiveCommand(conn, command)) _exit(0);  // nothing ran: the server says so
    timeval no_timeout{0, 0};
    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &no_timeout, sizeof(no_timeout));
    const std::vector<std::string> locale = LocaleEnvironment(command.env.data());
    if (locale == own_locale || IsNestedServe(command)) break;
    // ICU's default locale was fixed in this process with the server's environment; a direct
    // start is the one way the script sees its own. The runtime stays ready for the next.
    SendDirectStart(conn, command);
    for (int fd : command.stdio) close(fd);
    close(conn);
    std::fprintf(stderr,
                 "%s: a command's locale environment (%s) differs from this server's (%s): it "
                 "was started directly, as snapshot_run would be; start a server with the same "
                 "environment to run such commands ahead\n",
                 Options().tool_name, Shown(locale).c_str(), Shown(own_locale).c_str());
    SendControl(kChildDeclined);
  }
  SendReply(conn, V8SNAP_SERVE_TAG_STARTED, 0);
  SendControl(kChildStarted);
  int code = 1;
  if (IsNestedServe(command)) {
    // A command cannot start a server inside a runtime process (it would fork from a process
    // whose V8 threads run: runtime/serve/serve_main.cc says why that is unsafe).
    dprintf(command.stdio[2],
            "%s: error: --serve starts a server; it is not a flag of a command sent to one\n  "
            "fix: run `%s --serve SOCKET --snapshot X.bin` directly\n",
            Options().tool_name, Options().tool_name);
    code = 2;
  } else if (BecomeClient(command)) {
    const RuntimeChildOptions& options = Options();
    std::vector<std::string> args = {options.tool_name};
    args.insert(args.end(), options.fixed_args.begin(), options.fixed_args.end());
    args.insert(args.end(), command.args.begin(), command.args.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    code = options.run(static_cast<int>(args.size()), argv.data(), options.tool_name,
                       options.builder_name);
  }
  if (PrestartedSnapshotChanged()) SendControl(kChildStale);
  std::fflush(stdout);
  std::fflush(stderr);
  SendReply(conn, V8SNAP_SERVE_TAG_EXIT, code);
  SendControl(kChildDelivered);
  // No exit handlers: the runtime is gone already, and this process did nothing else.
  _exit(code);
}

}  // namespace

void RunRuntimeChild(RuntimeChildOptions options) {
  Options() = std::move(options);
  const RuntimeChildOptions& o = Options();
  PrestartOnNextLoad(&ServeOneCommand);
  // The snapshot stands in for SCRIPT, which must name a readable file; it is never run.
  std::vector<std::string> args = {o.tool_name};
  args.insert(args.end(), o.fixed_args.begin(), o.fixed_args.end());
  args.push_back(o.snapshot);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Returns only when the flags were refused before a runtime was made (printed already).
  int code = o.run(static_cast<int>(args.size()), argv.data(), o.tool_name, o.builder_name);
  std::fflush(stderr);
  _exit(code == 0 ? 1 : code);
}

}  // namespace v8snap
