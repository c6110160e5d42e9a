// End to end: `snapshot_run --serve` and snapshot_run_client. A command through the pre-started
// runtime must look to the script and to the user exactly like a direct run (output, exit code,
// folder, environment, permissions); a runtime serves one command; a changed snapshot is
// noticed; a dead, foreign or open socket is refused; the parallel limit holds; a killed runtime
// or server never leaves a client hanging or a command unaccounted for. Every wait is bounded:
// a hang fails the test instead of stalling it.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

extern char** environ;

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// Generous: sanitizer builds start V8 many times slower. Reaching it is a failure (a hang).
constexpr auto kDeadline = std::chrono::seconds(120);

struct Outcome {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
  bool timed_out = false;
};

// A process with its stdout and stderr on pipes, finished with a bounded wait.
class Process {
 public:
  Process(const std::string& binary, const std::vector<std::string>& args, const std::string& cwd,
          const std::vector<std::string>& extra_env = {}) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) std::abort();
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(err[1], 2);
      int null = open("/dev/null", O_RDONLY);
      dup2(null, 0);
      if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
      for (const std::string& e : extra_env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv = {const_cast<char*>(binary.c_str())};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~Process() {
    if (pid_ > 0) Finish();
  }
  pid_t pid() const { return pid_; }

  // Reads both pipes to their end and reaps the process; kills it past the deadline.
  Outcome Finish() {
    Outcome o;
    const auto deadline = Clock::now() + kDeadline;
    std::vector<pollfd> fds = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    int open_pipes = 2;
    while (open_pipes > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        o.timed_out = true;
        kill(pid_, SIGKILL);
        break;
      }
      if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) continue;
      for (size_t i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buffer[4096];
        ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
        if (n > 0) {
          (i == 0 ? o.out : o.err).append(buffer, static_cast<size_t>(n));
        } else {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_pipes;
        }
      }
    }
    for (pollfd& f : fds) {
      if (f.fd >= 0) close(f.fd);
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return o;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
};

std::string Snapshot() { return ToolPath("default.bin"); }

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Waits (bounded) until `done` holds; false when the deadline passed.
template <typename F>
bool WaitFor(F done) {
  const auto deadline = Clock::now() + kDeadline;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A `snapshot_run --serve` process, its log in a file; stopped with SIGTERM at the end.
class Server {
 public:
  // `env`: "NAME=value" set, "NAME" unset (glibc's putenv), in the server's environment.
  Server(const TempDir& dir, std::vector<std::string> flags, bool wait_ready = true,
         std::string binary = ToolPath("snapshot_run"), std::vector<std::string> env = {})
      : socket_(dir.path() + "/s.sock"),
        log_(dir.path() + "/server" + std::to_string(++count_) + ".log") {
    std::vector<std::string> args = {"--serve", socket_};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ = fork();
    if (pid_ == 0) {
      int log = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(log, 1);
      dup2(log, 2);
      for (std::string& e : env) putenv(e.data());
      std::vector<char*> argv = {binary.data()};
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    if (wait_ready) {
      bool ready = WaitFor([&] { return log().find("serving") != std::string::npos || Exited(); });
      EXPECT_TRUE(ready && !Exited()) << "server did not start: " << log();
    }
  }
  ~Server() { Stop(SIGTERM); }

  // Sends `sig` and reaps (bounded; SIGKILL past the deadline). Returns the exit code.
  int Stop(int sig) {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, sig);
    if (!WaitFor([&] { return Exited(); })) {
      kill(pid_, SIGKILL);
      WaitFor([&] { return Exited(); });
    }
    return exit_code_;
  }
  // Reaps the server if it has exited; true once it has.
  bool Exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    return true;
  }
  pid_t pid() const { return pid_; }
  const std::string& socket() const { return socket_; }
  std::string log() const { return ReadAll(log_); }

 private:
  static inline int count_ = 0;  // each server its own log: an old "serving" must not count
  std::string socket_;
  std::string log_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The runtime process serving a command: a child of the server working in `cwd`.
pid_t RuntimeWorkingIn(pid_t server, const std::string& cwd) {
  DIR* proc = opendir("/proc");
  pid_t found = -1;
  while (dirent* entry = readdir(proc)) {
    pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    std::string stat = ReadAll("/proc/" + std::to_string(pid) + "/stat");
    size_t close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    int ppid = 0;
    char state;
    if (std::sscanf(stat.c_str() + close_paren + 1, " %c %d", &state, &ppid) != 2) continue;
    char link[PATH_MAX];
    ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/cwd").c_str(), link, sizeof(link));
    if (ppid == server && n > 0 && std::string(link, static_cast<size_t>(n)) == cwd) found = pid;
  }
  closedir(proc);
  return found;
}

std::string RealPath(const std::string& path) {
  char real[PATH_MAX];
  return realpath(path.c_str(), real) ? real : path;
}

class ServeTest : public ::testing::Test {
 protected:
  Outcome Direct(const std::vector<std::string>& flags, const std::string& script,
                 const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {"--snapshot", Snapshot()};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(script);
    return Process(ToolPath("snapshot_run"), args, work_, env).Finish();
  }
  Outcome Client(const std::string& socket, const std::vector<std::string>& flags,
                 const std::string& script, const std::vector<std::string>& env = {}) {
    std::vector<std::string> args = {socket};
    args.insert(args.end(), flags.begin(), flags.end());
    if (!script.empty()) args.push_back(script);
    return Process(ToolPath("snapshot_run_client"), args, work_, env).Finish();
  }

  TempDir dir_;  // the server's socket and log
  TempDir work_dir_;
  std::string work_ = RealPath(work_dir_.path());
};

// Script, the flags of the command, its environment: the output, exit code and messages of the
// pre-started runtime must be those of a direct run, byte for byte.
TEST_F(ServeTest, CommandLooksLikeADirectRun) {
  work_dir_.Write("data.txt", "from the client's folder");
  work_dir_.Write("lib/util.js", "export const where = import.meta.url;\n");
  struct Row {
    std::string script;
    std::vector<std::string> flags;
    std::vector<std::string> env;
  };
  const std::vector<Row> rows = {
      {"console.log('hi');", {}, {}},
      {"import { where } from './lib/util.js';\nconsole.log(import.meta.url, where);", {}, {}},
      {"console.error('to stderr'); console.log('to stdout');", {}, {}},
      {"throw new Error('boom');", {}, {}},
      {"await Promise.reject(new TypeError('late'));", {}, {}},
      {"console.log(v8snap.fs.readTextFileSync('data.txt'));", {"--allow-read=."}, {}},
      {"console.log(v8snap.fs.readTextFileSync('data.txt'));", {}, {}},
      {"v8snap.fs.writeTextFileSync('out.txt', 'x');", {"--allow-read"}, {}},
      {"console.log(new Date(0).getHours());", {}, {"TZ=Asia/Tokyo"}},
      {"console.log(new Date(0).getHours());", {}, {"TZ=America/New_York"}},
      {"setTimeout(() => console.log('timer'), 1);", {"--timeout-ms=60000"}, {}},
  };
  Server server(dir_, {"--snapshot", Snapshot()});
  int n = 0;
  for (const Row& row : rows) {
    std::string script = work_dir_.Write("main" + std::to_string(n++) + ".js", row.script);
    Outcome direct = Direct(row.flags, script, row.env);
    Outcome served = Client(server.socket(), row.flags, script, row.env);
    ASSERT_FALSE(served.timed_out) << row.script;
    EXPECT_EQ(served.exit_code, direct.exit_code) << row.script << "\n" << served.err;
    EXPECT_EQ(served.out, direct.out) << row.script;
    EXPECT_EQ(served.err, direct.err) << row.script;
  }
  // A relative script path and a missing script: resolved against the client's folder.
  EXPECT_EQ(Client(server.socket(), {}, "main0.js").out, "hi\n");
  Outcome missing = Client(server.socket(), {}, "missing.js");
  Outcome missing_direct = Direct({}, "missing.js");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, missing_direct.err);
  // A command cannot start a server inside a runtime.
  Outcome nested = Client(server.socket(), {"--serve", dir_.path() + "/nested.sock"}, "main0.js");
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_THAT(nested.err, HasSubstr("it is not a flag of a command sent to one"));
  EXPECT_FALSE(Exists(dir_.path() + "/nested.sock"));
  // A usage error of the command is the run parser's own.
  Outcome usage = Client(server.socket(), {"--timeout-ms=-5"}, "main0.js");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err, Direct({"--timeout-ms=-5"}, "main0.js").err);
}

// Permission flags fixed by the server apply to every command; relative grants are the
// server's folder's, as they would be for a direct run from there.
TEST_F(ServeTest, ServerFlagsGrantPermissions) {
  work_dir_.Write("data.txt", "granted");
  std::string script =
      work_dir_.Write("read.js", "console.log(v8snap.fs.readTextFileSync('data.txt'));");
  Server server(dir_, {"--snapshot", Snapshot(), "--allow-read=" + work_});
  Outcome served = Client(server.socket(), {}, script);
  EXPECT_EQ(served.exit_code, 0) << served.err;
  EXPECT_EQ(served.out, "granted\n");
  Outcome direct = Direct({"--allow-read=" + work_}, script);
  EXPECT_EQ(served.out, direct.out);
}

// A runtime serves one command: what a command leaves in its globals is gone for the next.
TEST_F(ServeTest, EachCommandGetsAFreshRuntime) {
  std::string script = work_dir_.Write(
      "leak.js", "console.log(typeof globalThis.leaked); globalThis.leaked = 'state';");
  Server server(dir_, {"--snapshot", Snapshot(), "--serve-parallel=1"});
  for (int i = 0; i < 3; ++i) {
    Outcome o = Client(server.socket(), {}, script);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "undefined\n");
  }
}

// A snapshot replaced after its runtime was made is noticed before the next command: a corrupt
// one gives the direct run's error, not a run on the old runtime; a good one runs again.
TEST_F(ServeTest, ChangedSnapshotIsNoticed) {
  std::string snap = dir_.path() + "/copy.bin";
  std::string good_blob = ReadAll(Snapshot());
  std::string good_sidecar = ReadAll(Snapshot() + ".sidecar.pb");
  auto put = [&](const std::string& blob) {
    std::ofstream(snap + ".tmp", std::ios::binary) << blob;
    ASSERT_EQ(rename((snap + ".tmp").c_str(), snap.c_str()), 0);
  };
  put(good_blob);
  std::ofstream(snap + ".sidecar.pb", std::ios::binary) << good_sidecar;
  std::string script = work_dir_.Write("hi.js", "console.log('hi');");
  Server server(dir_, {"--snapshot", snap});
  EXPECT_EQ(Client(server.socket(), {}, script).out, "hi\n");

  std::string corrupt = good_blob;
  corrupt[corrupt.size() / 2] ^= 0x5a;
  put(corrupt);
  Outcome served = Client(server.socket(), {}, script);
  std::vector<std::string> args = {"--snapshot", snap, script};
  Outcome direct = Process(ToolPath("snapshot_run"), args, work_).Finish();
  EXPECT_EQ(served.exit_code, 1);
  EXPECT_EQ(served.out, "");
  EXPECT_EQ(served.err, direct.err);
  EXPECT_NE(direct.err, "");

  put(good_blob);
  for (int i = 0; i < 2; ++i) {
    Outcome again = Client(server.socket(), {}, script);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, "hi\n");
  }
}

// No socket, a dead server's socket, a file that is no socket, a socket open to others, and a
// listener that is not a v8snap server: each a clear error (exit 1), never a wait.
TEST_F(ServeTest, DeadOrForeignSocketsAreRefused) {
  std::string script = work_dir_.Write("hi.js", "console.log('hi');");
  Outcome none = Client(dir_.path() + "/none.sock", {}, script);
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.err, HasSubstr("does not exist"));
  EXPECT_THAT(none.err, HasSubstr("snapshot_run --serve"));

  {
    Server server(dir_, {"--snapshot", Snapshot()});
    EXPECT_EQ(server.Stop(SIGKILL), 128 + SIGKILL);
    Outcome dead = Client(server.socket(), {}, script);
    EXPECT_FALSE(dead.timed_out);
    EXPECT_EQ(dead.exit_code, 1);
    EXPECT_THAT(dead.err, HasSubstr("connection refused"));
    EXPECT_EQ(dead.out, "");
    // A new server takes over the stale socket.
    Server again(dir_, {"--snapshot", Snapshot()});
    EXPECT_EQ(Client(again.socket(), {}, script).out, "hi\n");
    // ... but not a live one.
    Server second(dir_, {"--snapshot", Snapshot()}, /*wait_ready=*/false);
    EXPECT_TRUE(WaitFor([&] { return second.Exited(); }));
    EXPECT_EQ(second.Stop(SIGTERM), 1);
    EXPECT_THAT(second.log(), HasSubstr("a server already listens on"));
  }

  std::string file = dir_.Write("file.sock", "");
  EXPECT_THAT(Client(file, {}, script).err, HasSubstr("is not a socket"));

  // Sockets made by hand: one open to everyone, one private but silent, one speaking nonsense.
  auto listen_on = [](const std::string& path, mode_t mode) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path.c_str());
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(fd, 8), 0);
    chmod(path.c_str(), mode);
    return fd;
  };
  int open_fd = listen_on(dir_.path() + "/open.sock", 0666);
  Outcome open = Client(dir_.path() + "/open.sock", {}, script);
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_THAT(open.err, HasSubstr("open to other users"));
  close(open_fd);

  int silent_fd = listen_on(dir_.path() + "/silent.sock", 0600);
  Outcome silent = Client(dir_.path() + "/silent.sock", {}, script);
  EXPECT_FALSE(silent.timed_out);
  EXPECT_EQ(silent.exit_code, 1);
  EXPECT_THAT(silent.err, HasSubstr("is not a v8snap server"));
  close(silent_fd);

  int noisy_fd = listen_on(dir_.path() + "/noisy.sock", 0600);
  std::thread answer([&] {
    int conn = accept(noisy_fd, nullptr, nullptr);
    const char kNonsense[] = "HTTP/1.1 400 Bad\r\n\r\n";
    (void)!write(conn, kNonsense, sizeof(kNonsense));
    char drain[256];
    while (read(conn, drain, sizeof(drain)) > 0) {
    }
    close(conn);
  });
  Outcome noisy = Client(dir_.path() + "/noisy.sock", {}, script);
  EXPECT_EQ(noisy.exit_code, 1);
  EXPECT_THAT(noisy.err, HasSubstr("unexpected greeting"));
  answer.join();
  close(noisy_fd);
}

// The server's own mistakes: a missing snapshot, a script given to it, no --snapshot.
TEST_F(ServeTest, ServerStartErrors) {
  Server missing(dir_, {"--snapshot", dir_.path() + "/missing.bin"}, /*wait_ready=*/false);
  EXPECT_TRUE(WaitFor([&] { return missing.Exited(); }));
  EXPECT_EQ(missing.Stop(SIGTERM), 1);
  EXPECT_THAT(missing.log(), HasSubstr("missing.bin"));
  EXPECT_FALSE(Exists(missing.socket()));

  Outcome script =
      Process(ToolPath("snapshot_run"),
              {"--serve", dir_.path() + "/x.sock", "--snapshot", Snapshot(), "a.js"}, work_)
          .Finish();
  EXPECT_EQ(script.exit_code, 2);
  EXPECT_THAT(script.err, HasSubstr("snapshot_run_client SOCKET a.js"));
  Outcome no_snapshot =
      Process(ToolPath("snapshot_run"), {"--serve", dir_.path() + "/x.sock"}, work_).Finish();
  EXPECT_EQ(no_snapshot.exit_code, 2);
  EXPECT_THAT(no_snapshot.err, HasSubstr("add --snapshot X.bin"));
}

// A script that says it runs (running-NAME) and waits until the test or another command
// removes the wait (release).
constexpr char kWaitingScript[] = R"(
const fs = v8snap.fs;
const name = 'running-' + (import.meta.url.endsWith('a.js') ? 'a' : 'b');
console.log('others running:', fs.readDirSync('.').filter(e => e.name.startsWith('running-')).length);
fs.writeTextFileSync(name, '');
if (import.meta.url.endsWith('b.js')) fs.writeTextFileSync('release', '');
await new Promise((resolve) => {
  const poll = () => {
    try { fs.statSync('release'); resolve(); } catch { setTimeout(poll, 5); }
  };
  poll();
});
fs.removeSync(name);
)";

// --serve-parallel N: with 2, a second command runs while the first waits for it; with 1, the
// second waits until the first is done (a second command that ran early would release the
// first itself, and see it running).
TEST_F(ServeTest, ParallelLimit) {
  std::string a = work_dir_.Write("a.js", kWaitingScript);
  std::string b = work_dir_.Write("b.js", kWaitingScript);
  for (int parallel : {2, 1}) {
    SCOPED_TRACE(parallel);
    unlink((work_ + "/release").c_str());
    Server server(dir_, {"--snapshot", Snapshot(), "--serve-parallel=" + std::to_string(parallel),
                         "--allow-read", "--allow-write"});
    Process first(ToolPath("snapshot_run_client"), {server.socket(), a}, work_);
    ASSERT_TRUE(WaitFor([&] { return Exists(work_ + "/running-a"); }));
    Process second(ToolPath("snapshot_run_client"), {server.socket(), b}, work_);
    if (parallel == 1) {
      // The second waits its turn; the test releases the first.
      std::ofstream(work_ + "/release") << "";
    }
    Outcome first_done = first.Finish();
    Outcome second_done = second.Finish();
    EXPECT_EQ(first_done.exit_code, 0) << first_done.err;
    EXPECT_EQ(second_done.exit_code, 0) << second_done.err;
    EXPECT_EQ(first_done.out, "others running: 0\n");
    EXPECT_EQ(second_done.out, parallel == 2 ? "others running: 1\n" : "others running: 0\n");
  }
}

// SIGKILL of the runtime in the middle of a command: the client says so and fails; Ctrl-C
// (SIGINT to the client) reaches the runtime and the client dies of it, as a direct run would.
TEST_F(ServeTest, KilledRuntimeAndForwardedSignals) {
  std::string a = work_dir_.Write("a.js", kWaitingScript);
  Server server(dir_, {"--snapshot", Snapshot(), "--allow-read", "--allow-write"});

  Process killed(ToolPath("snapshot_run_client"), {server.socket(), a}, work_);
  ASSERT_TRUE(WaitFor([&] { return Exists(work_ + "/running-a"); }));
  pid_t runtime = RuntimeWorkingIn(server.pid(), work_);
  ASSERT_GT(runtime, 0);
  kill(runtime, SIGKILL);
  Outcome k = killed.Finish();
  EXPECT_FALSE(k.timed_out);
  EXPECT_EQ(k.exit_code, 1);
  EXPECT_THAT(k.err, HasSubstr("was killed by signal 9"));
  unlink((work_ + "/running-a").c_str());

  Process interrupted(ToolPath("snapshot_run_client"), {server.socket(), a}, work_);
  ASSERT_TRUE(WaitFor([&] { return Exists(work_ + "/running-a"); }));
  kill(interrupted.pid(), SIGINT);
  Outcome i = interrupted.Finish();
  EXPECT_FALSE(i.timed_out);
  EXPECT_EQ(i.exit_code, 128 + SIGINT);
  unlink((work_ + "/running-a").c_str());

  // The server is unharmed: the next command runs.
  std::string hi = work_dir_.Write("hi.js", "console.log('hi');");
  EXPECT_EQ(Client(server.socket(), {}, hi).out, "hi\n");
}

// A changed binary is noticed before the next command: the server restarts into it, keeping
// its socket, and the command runs on the new code.
TEST_F(ServeTest, ChangedBinaryRestartsTheServer) {
  std::string binary = dir_.path() + "/snapshot_run";
  std::string code = ReadAll(ToolPath("snapshot_run"));
  auto put = [&] {
    std::ofstream(binary + ".tmp", std::ios::binary) << code;
    ASSERT_EQ(chmod((binary + ".tmp").c_str(), 0755), 0);
    ASSERT_EQ(rename((binary + ".tmp").c_str(), binary.c_str()), 0);
  };
  put();
  std::string script = work_dir_.Write("hi.js", "console.log('hi');");
  Server server(dir_, {"--snapshot", Snapshot()}, /*wait_ready=*/true, binary);
  EXPECT_EQ(Client(server.socket(), {}, script).out, "hi\n");
  put();
  for (int i = 0; i < 2; ++i) {
    Outcome o = Client(server.socket(), {}, script);
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, "hi\n");
  }
  EXPECT_THAT(server.log(), HasSubstr("changed on disk: restarting the server into it"));
}

// SIGKILL of the server in the middle of a command: the command finishes and its exit code
// still reaches the client.
TEST_F(ServeTest, KilledServerLosesNoCommand) {
  std::string a = work_dir_.Write("a.js", kWaitingScript);
  Server server(dir_, {"--snapshot", Snapshot(), "--allow-read", "--allow-write"});
  Process running(ToolPath("snapshot_run_client"), {server.socket(), a}, work_);
  ASSERT_TRUE(WaitFor([&] { return Exists(work_ + "/running-a"); }));
  server.Stop(SIGKILL);
  std::ofstream(work_ + "/release") << "";
  Outcome o = running.Finish();
  EXPECT_FALSE(o.timed_out);
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "others running: 0\n");
  // The ready runtimes went away with it: a new command is refused, not left waiting.
  std::string hi = work_dir_.Write("hi.js", "console.log('hi');");
  EXPECT_TRUE(WaitFor([&] { return Client(server.socket(), {}, hi).exit_code == 1; }));
}

// What a script sees of the locale and the time zone (Date's string with its zone name in the
// locale's language, Intl's resolved locale and zone, number and date formatting, the offset)
// is what a direct run in the same environment sees, whatever the server's. The runtime made
// ahead follows the command's TZ; it cannot follow a locale (LANG, LC_*) other than the
// server's, which ICU fixes once per process, so such a command starts directly (the server
// says so in its log) and the runtime waits for the next command.
TEST_F(ServeTest, LocaleAndTimeZoneAreTheCommandsOwn) {
  const std::string script = work_dir_.Write("locale.js", R"(
const o = Intl.DateTimeFormat().resolvedOptions();
console.log(new Date(0).toString());
console.log(o.locale, o.timeZone, new Date(0).getTimezoneOffset());
console.log((1234.5).toLocaleString(), new Date(0).toLocaleString());
console.log(new Intl.NumberFormat().resolvedOptions().locale);
)");
  const std::string throws = work_dir_.Write(
      "throws.js", "throw new RangeError(`${(1234.5).toLocaleString()} ${new Date(0)}`);");
  // Each environment is exactly the row's: whatever the test runs with is unset first.
  auto env = [](std::vector<std::string> set) {
    std::vector<std::string> e = {"TZ",          "LANG",       "LANGUAGE",   "LC_ALL",
                                  "LC_MESSAGES", "LC_CTYPE",   "LC_NUMERIC", "LC_TIME",
                                  "LC_COLLATE",  "LC_MONETARY"};
    e.insert(e.end(), set.begin(), set.end());
    return e;
  };
  Server server(dir_, {"--snapshot", Snapshot(), "--serve-parallel=1"}, /*wait_ready=*/true,
                ToolPath("snapshot_run"), env({"LANG=de_DE.UTF-8", "TZ=Asia/Tokyo"}));
  struct Row {
    std::vector<std::string> env;
    bool same_locale;  // as the server's: runs on the runtime made ahead
  };
  const std::vector<Row> rows = {
      {{"LANG=de_DE.UTF-8", "TZ=Asia/Tokyo"}, true},
      {{"LANG=de_DE.UTF-8", "TZ=America/New_York"}, true},
      {{"LANG=de_DE.UTF-8"}, true},  // no TZ: /etc/localtime
      {{"LANG=de_DE.UTF-8", "TZ=EST5EDT"}, true},
      {{"LANG=de_DE.UTF-8", "TZ=:Europe/Paris"}, true},
      {{"LANG=de_DE.UTF-8", "TZ=Nowhere/Invalid"}, true},
      {{}, false},
      {{"LANG=fr_FR.UTF-8", "TZ=Asia/Tokyo"}, false},
      {{"LANG=de_DE.UTF-8", "LC_ALL=ja_JP.UTF-8", "TZ=Asia/Tokyo"}, false},
      {{"LANG=de_DE.UTF-8", "LC_MESSAGES=en_GB.UTF-8", "TZ=America/New_York"}, false},
      {{"LANG=C", "TZ=UTC"}, false},
  };
  std::set<std::string> seen;  // the rows must differ, or they would prove nothing
  int started_directly = 0;
  for (const Row& row : rows) {
    std::string shown = ::testing::PrintToString(row.env);
    // The default configuration, and another one (a runtime made in the same process).
    for (const std::vector<std::string>& flags :
         std::vector<std::vector<std::string>>{{}, {"--max-heap-mb=512"}}) {
      for (const std::string& file : {script, throws}) {
        Outcome direct = Direct(flags, file, env(row.env));
        Outcome served = Client(server.socket(), flags, file, env(row.env));
        ASSERT_FALSE(served.timed_out) << shown;
        EXPECT_EQ(served.exit_code, direct.exit_code) << shown << "\n" << served.err;
        EXPECT_EQ(served.out, direct.out) << shown << " " << file;
        EXPECT_EQ(served.err, direct.err) << shown << " " << file;
        seen.insert(direct.out + direct.err);
        if (!row.same_locale) ++started_directly;
      }
    }
  }
  EXPECT_GE(seen.size(), rows.size()) << "the environments hardly change the output";
  // Each command with another locale was started directly, and said so once in the log.
  std::string log = server.log();
  int said = 0;
  for (size_t at = 0; (at = log.find("was started directly", at)) != std::string::npos; ++at) {
    ++said;
  }
  EXPECT_EQ(said, started_directly) << log;
  EXPECT_THAT(log, HasSubstr("a command's locale environment (LANG=fr_FR.UTF-8) differs from "
                             "this server's (LANG=de_DE.UTF-8)"));

  // Started directly, the command is the client's process itself: Ctrl-C ends it as it would
  // a direct run, and the server goes on serving.
  std::string a = work_dir_.Write("a.js", kWaitingScript);
  Process interrupted(ToolPath("snapshot_run_client"),
                      {server.socket(), "--allow-read", "--allow-write", a}, work_,
                      env({"LANG=fr_FR.UTF-8"}));
  ASSERT_TRUE(WaitFor([&] { return Exists(work_ + "/running-a"); }));
  kill(interrupted.pid(), SIGINT);
  Outcome i = interrupted.Finish();
  EXPECT_FALSE(i.timed_out);
  EXPECT_EQ(i.exit_code, 128 + SIGINT);
  Outcome same = Client(server.socket(), {}, script, env({"LANG=de_DE.UTF-8", "TZ=Asia/Tokyo"}));
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.out, Direct({}, script, env(rows[0].env)).out);
}

}  // namespace
}  // namespace v8snap::testing
