// RunServeMain: the `snapshot_run --serve` server (runtime/serve/serve_main.h).
//
// Why a fork server, and why this one never starts V8: fork() copies only the calling thread.
// V8's platform starts worker threads when it is initialized, and a process forked after that
// inherits their locks in whatever state they were, with no thread left to release them. So
// this process only parses flags, owns the socket and forks; it never initializes V8, and stays
// single-threaded. Each runtime process starts V8 itself, then loads and checks the snapshot
// before any command is there. What the fork saves is the dynamic loader's work on libnode
// (relocated once, here, and shared copy-on-write); what the pre-start saves is V8's
// initialization and the snapshot's deserialization, done while no one waits.
#include "runtime/serve/serve_main.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/cli_support.h"
#include "runtime/serve/serve_protocol.h"

namespace v8snap {
namespace {

// Set across exec when the server restarts itself into a changed binary: the listening socket
// stays open, so clients waiting in its backlog are not turned away.
constexpr char kListenFdVariable[] = "V8SNAP_SERVE_LISTEN_FD";
// And the runtime processes of the server before it: still this process's children, reaped as
// they end (busy ones finish their commands; ready ones exit as their control sockets close).
constexpr char kOrphansVariable[] = "V8SNAP_SERVE_ORPHANS";

struct ServeOptions {
  std::string socket;
  int parallel = 0;
  std::vector<std::string> fixed_args;
  std::string snapshot;
};

std::string Absolute(const std::string& path, const std::string& cwd) {
  if (path.empty() || path[0] == '/') return path;
  return absl::StrCat(cwd, "/", path);
}

constexpr char kServeUsage[] =
    "Usage: snapshot_run --serve SOCKET --snapshot X.bin [--serve-parallel N] [--manifest M]\n"
    "         [--relink] [--allow-read[=PATH,...]] [--allow-write[=PATH,...]]\n"
    "         [--max-heap-mb MIB] [--timeout-ms MS]\n\n"
    "Keeps a runtime ready, loaded from X.bin and checked, in a process waiting for a command;\n"
    "`snapshot_run_client SOCKET [flags] SCRIPT` runs SCRIPT on it as `snapshot_run X.bin\n"
    "[run flags] [flags] SCRIPT` would, in the client's folder, environment and stdio. Each\n"
    "runtime serves one command; the next is made meanwhile. At most N commands (default: the\n"
    "number of CPUs) run at once; later ones wait. SOCKET is made private to this user.\n"
    "A command whose flags change the configuration gets a runtime made for it.\n";

// The server's flags, and the run flags it fixes for every runtime, with their paths made
// absolute (each runtime process works in its client's folder).
absl::StatusOr<ServeOptions> ParseServeFlags(int argc, char** argv) {
  char cwd_buffer[PATH_MAX];
  const std::string cwd = getcwd(cwd_buffer, sizeof(cwd_buffer)) ? cwd_buffer : ".";
  ServeOptions options;
  options.parallel = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg.substr(0, arg.find('='));
    bool has_value = arg.find('=') != std::string::npos;
    std::string value = has_value ? arg.substr(arg.find('=') + 1) : "";
    auto take_value = [&]() -> absl::Status {
      if (has_value) return absl::OkStatus();
      if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
      value = argv[++i];
      return absl::OkStatus();
    };
    if (name == "--serve" || name == "--serve-parallel" || name == "--snapshot" ||
        name == "--manifest" || name == "--max-heap-mb" || name == "--timeout-ms") {
      if (absl::Status s = take_value(); !s.ok()) return s;
    }
    if (name == "--serve") {
      options.socket = Absolute(value, cwd);
    } else if (name == "--serve-parallel") {
      if (!absl::SimpleAtoi(value, &options.parallel) || options.parallel < 1 ||
          options.parallel > 1024) {
        return absl::InvalidArgumentError(
            absl::StrCat("--serve-parallel '", value,
                         "' is not a valid value: give a whole number from 1 to "
                         "1024 (commands run at once; later ones wait)"));
      }
    } else if (name == "--snapshot") {
      options.snapshot = Absolute(value, cwd);
      options.fixed_args.push_back(absl::StrCat("--snapshot=", options.snapshot));
    } else if (name == "--manifest") {
      options.fixed_args.push_back(absl::StrCat("--manifest=", Absolute(value, cwd)));
    } else if (name == "--max-heap-mb" || name == "--timeout-ms") {
      options.fixed_args.push_back(absl::StrCat(name, "=", value));
    } else if (name == "--relink" && !has_value) {
      options.fixed_args.push_back(arg);
    } else if (name == "--allow-read" || name == "--allow-write") {
      if (!has_value || value.empty()) {
        options.fixed_args.push_back(arg);  // bare, or "=" (which the run parser refuses)
        continue;
      }
      std::vector<std::string> paths;
      for (absl::string_view path : absl::StrSplit(value, ',')) {
        paths.push_back(Absolute(std::string(path), cwd));
      }
      options.fixed_args.push_back(absl::StrCat(name, "=", absl::StrJoin(paths, ",")));
    } else if (name == "--no-snapshot") {
      return absl::InvalidArgumentError(
          "--serve keeps runtimes loaded from a snapshot: give --snapshot PATH, not "
          "--no-snapshot");
    } else if (absl::StartsWith(arg, "-")) {
      return absl::InvalidArgumentError(absl::StrCat(
          arg,
          " is not a flag a server fixes (see --serve --help); per-command flags go to "
          "snapshot_run_client SOCKET [flags] SCRIPT"));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("a server runs no SCRIPT itself (found '", arg,
                       "'): give it to a client instead, `snapshot_run_client SOCKET ", arg, "`"));
    }
  }
  if (options.socket.empty()) {
    return absl::InvalidArgumentError("--serve needs a SOCKET path: --serve SOCKET");
  }
  if (options.snapshot.empty()) {
    return absl::InvalidArgumentError(
        "--serve needs the snapshot its runtimes load: add --snapshot X.bin");
  }
  return options;
}

// What a binary file was when this process started from it (dev, inode, size, mtime).
std::string FileIdentity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "missing";
  return absl::StrCat(st.st_dev, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec, ".",
                      st.st_mtim.tv_nsec);
}

// The files this process's code comes from: the executable and libnode.
std::vector<std::string> CodeFiles() {
  std::vector<std::string> files;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (n > 0) files.emplace_back(exe, static_cast<size_t>(n));
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        if (info->dlpi_name != nullptr && std::strstr(info->dlpi_name, "libnode") != nullptr) {
          static_cast<std::vector<std::string>*>(data)->emplace_back(info->dlpi_name);
        }
        return 0;
      },
      &files);
  return files;
}

int signal_pipe[2] = {-1, -1};

void OnStopSignal(int sig) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(sig);
  (void)!write(signal_pipe[1], &byte, 1);
  errno = saved;
}

void SendReply(int conn, const char* tag, int32_t value) {
  ServeReply reply{};
  std::memcpy(reply.tag, tag, 4);
  reply.value = value;
  reply.pid = static_cast<int32_t>(getpid());
  (void)send(conn, &reply, sizeof(reply), MSG_NOSIGNAL | MSG_DONTWAIT);
}

class Server {
 public:
  Server(ServeOptions options, char** argv, const char* tool, const char* builder, RunCommandFn run)
      : options_(std::move(options)), argv_(argv), tool_(tool), builder_(builder), run_(run) {}

  int Run();

 private:
  enum class State { kStarting, kReady, kBusy };
  struct Child {
    pid_t pid = -1;
    int control = -1;
    State state = State::kStarting;
    int conn = -1;  // the client's connection, kept to report a death the child cannot
    bool started = false;
    bool delivered = false;
  };

  absl::Status Listen();
  void Fork();
  void Dispatch();
  void OnControl(size_t index);
  // Reaps child `index` (its control socket closed) and reports to its client if need be.
  void Reap(size_t index);
  void Accept();
  bool CodeChanged() const;
  [[noreturn]] void Restart();
  void RetireReady();
  int Busy() const;

  ServeOptions options_;
  char** argv_;
  const char* tool_;
  const char* builder_;
  RunCommandFn run_;
  int listen_fd_ = -1;
  std::vector<Child> children_;
  std::vector<pid_t> orphans_;  // children of the server this one was exec'd from
  std::deque<int> queued_;
  std::vector<std::string> code_files_;
  std::vector<std::string> code_identity_;
  bool announced_ = false;
  int exit_code_ = -1;  // set when the server must stop
};

absl::Status Server::Listen() {
  if (const char* inherited = std::getenv(kListenFdVariable); inherited != nullptr) {
    unsetenv(kListenFdVariable);
    if (absl::SimpleAtoi(inherited, &listen_fd_)) {
      fcntl(listen_fd_, F_SETFD, FD_CLOEXEC);
      return absl::OkStatus();
    }
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (options_.socket.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the socket path ", options_.socket, " is ", options_.socket.size(),
                     " bytes long; a Unix socket path can be at most ", sizeof(addr.sun_path) - 1,
                     "\n  fix: give a shorter path (e.g. under $XDG_RUNTIME_DIR)"));
  }
  std::memcpy(addr.sun_path, options_.socket.c_str(), options_.socket.size() + 1);
  struct stat st;
  if (lstat(options_.socket.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return absl::AlreadyExistsError(
          absl::StrCat(options_.socket,
                       " exists and is not a socket\n  fix: give another SOCKET path; the "
                       "server never deletes a file that is not its socket"));
    }
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool live = connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    int err = errno;
    close(probe);
    if (live) {
      return absl::AlreadyExistsError(
          absl::StrCat("a server already listens on ", options_.socket,
                       "\n  fix: stop it first (kill its process), or give another SOCKET path"));
    }
    if (err != ECONNREFUSED) {
      return absl::FailedPreconditionError(absl::StrCat("cannot tell whether ", options_.socket,
                                                        " is in use: ", std::strerror(err),
                                                        "\n  fix: remove it if it is stale"));
    }
    unlink(options_.socket.c_str());  // left by a server that is gone
  }
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  // Private from its first moment: bound under umask 177, so no one else ever sees it open.
  mode_t old_mask = umask(0177);
  int bound = bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  umask(old_mask);
  if (bound != 0 || listen(listen_fd_, 128) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot listen on ", options_.socket, ": ",
                                                      std::strerror(bound != 0 ? err : errno)));
  }
  return absl::OkStatus();
}

int Server::Busy() const {
  return static_cast<int>(std::count_if(children_.begin(), children_.end(),
                                        [](const Child& c) { return c.state == State::kBusy; }));
}

bool Server::CodeChanged() const {
  for (size_t i = 0; i < code_files_.size(); ++i) {
    if (FileIdentity(code_files_[i]) != code_identity_[i]) return true;
  }
  return false;
}

void Server::Restart() {
  std::fprintf(stderr, "%s: %s changed on disk: restarting the server into it\n", tool_,
               code_files_.empty() ? "the binary" : absl::StrJoin(code_files_, " or ").c_str());
  fcntl(listen_fd_, F_SETFD, 0);
  setenv(kListenFdVariable, std::to_string(listen_fd_).c_str(), 1);
  std::vector<pid_t> orphans = orphans_;
  for (const Child& c : children_) orphans.push_back(c.pid);
  setenv(kOrphansVariable, absl::StrJoin(orphans, ",").c_str(), 1);
  // Ready runtimes see their control socket close (close-on-exec) and exit; busy ones finish
  // their command; queued clients see their connection close before STRT and send again.
  execv(code_files_[0].c_str(), argv_);
  std::fprintf(stderr, "%s: error: cannot restart into %s: %s\n  fix: start the server again\n",
               tool_, code_files_[0].c_str(), std::strerror(errno));
  unlink(options_.socket.c_str());
  std::exit(1);
}

void Server::Fork() {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) return;
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pair[0]);
    close(pair[1]);
    return;
  }
  if (pid == 0) {
    // Nothing of the server's stays open in a runtime: only its own control socket.
    close(pair[0]);
    close(listen_fd_);
    close(signal_pipe[0]);
    close(signal_pipe[1]);
    for (const Child& c : children_) {
      close(c.control);
      if (c.conn >= 0) close(c.conn);
    }
    for (int conn : queued_) close(conn);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    RuntimeChildOptions child;
    child.control_fd = pair[1];
    child.fixed_args = options_.fixed_args;
    child.snapshot = options_.snapshot;
    child.executable = code_files_.empty() ? std::string() : code_files_[0];
    child.tool_name = tool_;
    child.builder_name = builder_;
    child.run = run_;
    RunRuntimeChild(std::move(child));
  }
  close(pair[1]);
  children_.push_back(Child{pid, pair[0]});
}

void Server::RetireReady() {
  for (Child& c : children_) {
    if (c.state != State::kBusy) kill(c.pid, SIGKILL);  // remade from the files as they are now
  }
}

void Server::Dispatch() {
  while (!queued_.empty()) {
    auto ready = std::find_if(children_.begin(), children_.end(),
                              [](const Child& c) { return c.state == State::kReady; });
    if (ready == children_.end()) return;
    int conn = queued_.front();
    char kind = kServerCommand;
    char control[CMSG_SPACE(sizeof(int))] = {};
    iovec iov{&kind, 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &conn, sizeof(int));
    if (sendmsg(ready->control, &msg, MSG_NOSIGNAL) != 1) {
      ready->state = State::kStarting;  // dying; its end of the socket will show it
      continue;
    }
    queued_.pop_front();
    ready->state = State::kBusy;
    ready->conn = conn;
  }
}

void Server::Accept() {
  int conn = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) return;
  ucred peer{};
  socklen_t size = sizeof(peer);
  if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || peer.uid != geteuid()) {
    std::fprintf(stderr,
                 "%s: refused a connection from uid %u (pid %d): this server serves "
                 "uid %u only\n",
                 tool_, peer.uid, peer.pid, geteuid());
    close(conn);
    return;
  }
  SendReply(conn, V8SNAP_SERVE_TAG_HELLO, V8SNAP_SERVE_PROTOCOL_VERSION);
  queued_.push_back(conn);
}

void Server::OnControl(size_t index) {
  Child& child = children_[index];
  char message[4096];
  ssize_t got = recv(child.control, message, sizeof(message), MSG_DONTWAIT);
  if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (got <= 0) {
    Reap(index);
    return;
  }
  switch (message[0]) {
    case kChildReady:
      if (child.state == State::kStarting) child.state = State::kReady;
      if (!announced_) {
        announced_ = true;
        std::fprintf(stderr, "%s: serving %s on %s (up to %d commands at once)\n", tool_,
                     options_.snapshot.c_str(), options_.socket.c_str(), options_.parallel);
      }
      break;
    case kChildFailed:
      if (!announced_) {
        // The first runtime could not be made: the same error a direct run would print.
        PrintError(tool_, std::string(message + 1, static_cast<size_t>(got - 1)));
        exit_code_ = 1;
      }
      // Later, a command on it gets that error from a fresh load, in its own stderr.
      if (child.state == State::kStarting) child.state = State::kReady;
      break;
    case kChildStarted:
      child.started = true;
      break;
    case kChildStale:
      RetireReady();
      break;
    case kChildDelivered:
      child.delivered = true;
      break;
    case kChildDeclined:
      // The client starts the command directly; the runtime, untouched, waits for the next.
      if (child.conn >= 0) close(child.conn);
      child.conn = -1;
      child.started = false;
      child.delivered = false;
      if (child.state == State::kBusy) child.state = State::kReady;
      break;
  }
}

void Server::Reap(size_t index) {
  Child child = children_[index];
  children_.erase(children_.begin() + static_cast<ptrdiff_t>(index));
  int status = 0;
  while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(child.control);
  if (child.conn >= 0) {
    // The child took the command and died before reporting: say how, so nothing is lost
    // silently. A command that never started is left unanswered: the client sends it again.
    if (child.started && !child.delivered) {
      if (WIFSIGNALED(status)) {
        SendReply(child.conn, V8SNAP_SERVE_TAG_SIGNALED, WTERMSIG(status));
      } else {
        SendReply(child.conn, V8SNAP_SERVE_TAG_EXIT, WEXITSTATUS(status));
      }
    }
    close(child.conn);
  } else if (!announced_ && exit_code_ < 0) {
    // The first runtime process ended before it was ready: its flags were refused (it printed
    // why), or it crashed.
    exit_code_ = WIFEXITED(status) ? std::max(1, WEXITSTATUS(status)) : 1;
    if (WIFSIGNALED(status)) {
      std::fprintf(stderr, "%s: error: the first runtime process died of signal %d (%s)\n", tool_,
                   WTERMSIG(status), strsignal(WTERMSIG(status)));
    }
  }
}

int Server::Run() {
  if (absl::Status s = Listen(); !s.ok()) {
    PrintError(tool_, s);
    return 1;
  }
  code_files_ = CodeFiles();
  for (const std::string& file : code_files_) code_identity_.push_back(FileIdentity(file));
  if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return 1;
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  if (const char* orphans = std::getenv(kOrphansVariable); orphans != nullptr) {
    for (absl::string_view pid : absl::StrSplit(orphans, ',', absl::SkipEmpty())) {
      if (pid_t p; absl::SimpleAtoi(pid, &p)) orphans_.push_back(p);
    }
    unsetenv(kOrphansVariable);
  }
  while (exit_code_ < 0) {
    orphans_.erase(std::remove_if(orphans_.begin(), orphans_.end(),
                                  [](pid_t p) { return waitpid(p, nullptr, WNOHANG) != 0; }),
                   orphans_.end());
    // The binary or libnode changed: runtimes forked from this image would run old code.
    if (!code_files_.empty() && (queued_.size() > 0 || children_.empty()) && CodeChanged()) {
      Restart();
    }
    // Busy ones plus one ready per waiting client (at least one), up to the limit.
    const int busy = Busy();
    const int wanted =
        std::min(options_.parallel, busy + std::max(1, static_cast<int>(queued_.size())));
    for (int alive = static_cast<int>(children_.size()); alive < wanted; ++alive) Fork();
    Dispatch();
    std::vector<pollfd> fds = {{signal_pipe[0], POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const Child& c : children_) fds.push_back({c.control, POLLIN, 0});
    if (poll(fds.data(), fds.size(), orphans_.empty() ? -1 : 100) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) {
      exit_code_ = 0;
      break;
    }
    for (size_t i = fds.size(); i-- > 2;) {
      if (fds[i].revents != 0) OnControl(i - 2);
    }
    if (fds[1].revents & POLLIN) Accept();
  }
  // Busy runtimes finish their commands on their own; ready ones exit as their control
  // sockets close; waiting clients see their connection close before STRT.
  unlink(options_.socket.c_str());
  return exit_code_;
}

}  // namespace

bool IsServeCommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--serve") == 0 || absl::StartsWith(argv[i], "--serve=")) {
      return true;
    }
  }
  return false;
}

int RunServeMain(int argc, char** argv, const char* tool_name, const char* builder_name,
                 RunCommandFn run) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kServeUsage, stdout);
      return 0;
    }
  }
  absl::StatusOr<ServeOptions> options = ParseServeFlags(argc, argv);
  if (!options.ok()) {
    PrintError(tool_name, absl::StrCat(options.status().message(), "\n  usage: ", tool_name,
                                       " --serve SOCKET --snapshot X.bin [run flags]"));
    return 2;
  }
  Server server(*std::move(options), argv, tool_name, builder_name, run);
  return server.Run();
}

}  // namespace v8snap
