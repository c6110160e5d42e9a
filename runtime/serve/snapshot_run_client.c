/* snapshot_run_client: runs one snapshot_run command on a runtime that a `snapshot_run --serve`
 * server made before the command arrived. Plain C with no libnode and no C++ runtime, linked
 * statically, so that its own start costs a fraction of a millisecond: what the pre-started
 * runtime saves must not be spent again here.
 *
 * Usage: snapshot_run_client SOCKET [snapshot_run flags] SCRIPT
 * It hands the server its arguments, working directory, environment, umask and stdio, forwards
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the runtime process, and exits with
 * the command's exit code (or dies of the signal it forwarded, as a direct run would). When the
 * server says the command cannot run on a runtime made ahead (its locale differs), the client
 * execs the direct snapshot_run command line the server sends.
 * The wire format is runtime/serve/serve_protocol.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "runtime/serve/serve_protocol.h"

extern char** environ;

enum { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };
/* A v8snap server answers HELO from its event loop at once; anything slower is not one. */
enum { kHelloTimeoutMs = 5000, kConnectTimeoutMs = 5000 };
/* A connection closed before STRT ran nothing; the server may be restarting (a changed binary
 * makes it exec itself), so the command is sent again, a bounded number of times. */
enum { kMaxAttempts = 5 };

static const char* socket_path;
static int signal_pipe[2] = {-1, -1};
static const int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void Fail(const char* fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void Fail(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs("snapshot_run_client: error: ", stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
  exit(kExitFailure);
}

static void OnSignal(int sig) {
  int saved = errno;
  unsigned char byte = (unsigned char)sig;
  if (write(signal_pipe[1], &byte, 1) < 0) {
    /* The pipe is full of signals already: this one adds nothing. */
  }
  errno = saved;
}

static long NowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The socket must be one this user made and nobody else can reach: a socket owned by another
 * user, or open to others, could hand our stdio to a stranger's process. */
static void CheckSocketFile(void) {
  struct stat st;
  if (lstat(socket_path, &st) != 0) {
    if (errno == ENOENT) {
      Fail(
          "no server socket at %s (it does not exist)\n  fix: start a server with "
          "`snapshot_run --serve %s --snapshot X.bin`, or run snapshot_run directly",
          socket_path, socket_path);
    }
    Fail("cannot inspect the server socket %s: %s", socket_path, strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode)) {
    Fail(
        "%s is not a socket (it is another kind of file)\n  fix: give the SOCKET path that "
        "`snapshot_run --serve SOCKET` was started with",
        socket_path);
  }
  if (st.st_uid != getuid()) {
    Fail(
        "the server socket %s belongs to uid %u, not to you (uid %u): refusing to hand it "
        "this command\n  fix: start your own server with `snapshot_run --serve SOCKET`",
        socket_path, (unsigned)st.st_uid, (unsigned)getuid());
  }
  if ((st.st_mode & 077) != 0) {
    Fail(
        "the server socket %s is open to other users (mode %03o, expected 600)\n  fix: "
        "restart the server; `snapshot_run --serve` makes its socket private",
        socket_path, (unsigned)(st.st_mode & 0777));
  }
}

static int Connect(void) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (strlen(socket_path) >= sizeof(addr.sun_path)) {
    Fail("the socket path %s is longer than %zu bytes, the most a Unix socket path can be",
         socket_path, sizeof(addr.sun_path) - 1);
  }
  strcpy(addr.sun_path, socket_path);
  long deadline = NowMs() + kConnectTimeoutMs;
  for (;;) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) Fail("cannot create a socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) == 0) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      return fd;
    }
    int err = errno;
    close(fd);
    if (err == ECONNREFUSED) {
      Fail(
          "no server is listening on %s (connection refused): the server that made it is "
          "gone\n  fix: start one with `snapshot_run --serve %s --snapshot X.bin`, or run "
          "snapshot_run directly",
          socket_path, socket_path);
    }
    /* A full backlog: the server is alive but has not accepted yet. */
    if (err == EAGAIN && NowMs() < deadline) {
      usleep(2000);
      continue;
    }
    Fail("cannot connect to the server at %s: %s", socket_path, strerror(err));
  }
}

/* Reads one reply, waiting at most `timeout_ms` (-1: as long as the connection lives, while
 * forwarding signals to `runtime_pidfd`). Returns 1 with a reply, 0 on end of connection. */
static int ReadReply(int fd, struct ServeReply* reply, int timeout_ms, int* pending_signals,
                     int* npending, int runtime_pidfd, pid_t runtime_pid, int* forwarded) {
  size_t got = 0;
  long deadline = timeout_ms < 0 ? 0 : NowMs() + timeout_ms;
  while (got < sizeof(*reply)) {
    struct pollfd fds[2] = {{fd, POLLIN, 0}, {signal_pipe[0], POLLIN, 0}};
    int wait = -1;
    if (timeout_ms >= 0) {
      long left = deadline - NowMs();
      if (left <= 0) return -1;
      wait = (int)left;
    }
    int n = poll(fds, 2, wait);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) Fail("waiting for the server failed: %s", strerror(errno));
    if (n == 0) return -1;
    if (fds[1].revents & POLLIN) {
      unsigned char sig;
      if (read(signal_pipe[0], &sig, 1) == 1) {
        if (runtime_pid > 0) {
          if (runtime_pidfd < 0 ||
              syscall(SYS_pidfd_send_signal, runtime_pidfd, (int)sig, NULL, 0) != 0) {
            if (runtime_pidfd < 0) kill(runtime_pid, sig);
          }
          *forwarded = sig;
        } else if (*npending < 16) {
          pending_signals[(*npending)++] = sig; /* sent once the runtime is known */
        }
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = read(fd, (char*)reply + got, sizeof(*reply) - got);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0 && errno == ECONNRESET) return 0;
      if (r < 0) Fail("reading from the server failed: %s", strerror(errno));
      if (r == 0) return 0;
      got += (size_t)r;
    }
  }
  return 1;
}

/* A server that closed the connection before taking the command (EPIPE, ECONNRESET) ran
 * nothing: returns 0 so that the command is sent again. */
static int ClosedBeforeStart(int err) { return err == EPIPE || err == ECONNRESET; }

static int WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t w = send(fd, data, size, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && ClosedBeforeStart(errno)) return 0;
    if (w < 0) Fail("sending the command to the server failed: %s", strerror(errno));
    data += w;
    size -= (size_t)w;
  }
  return 1;
}

/* cwd, arguments and environment, each NUL-terminated, in one buffer. */
static char* BuildPayload(int argc, char** argv, uint32_t* size, uint32_t* envc) {
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == NULL) {
    Fail("cannot read the current folder (%s): the runtime must start in it", strerror(errno));
  }
  size_t total = strlen(cwd) + 1;
  for (int i = 0; i < argc; ++i) total += strlen(argv[i]) + 1;
  uint32_t count = 0;
  for (char** e = environ; *e != NULL; ++e, ++count) total += strlen(*e) + 1;
  if (total > V8SNAP_SERVE_MAX_PAYLOAD) {
    Fail(
        "the command's arguments and environment take %zu bytes, more than the %u a server "
        "takes\n  fix: run snapshot_run directly",
        total, V8SNAP_SERVE_MAX_PAYLOAD);
  }
  char* buffer = malloc(total);
  if (buffer == NULL) Fail("out of memory");
  char* at = buffer;
  at = stpcpy(at, cwd) + 1;
  for (int i = 0; i < argc; ++i) at = stpcpy(at, argv[i]) + 1;
  for (char** e = environ; *e != NULL; ++e) at = stpcpy(at, *e) + 1;
  *size = (uint32_t)total;
  *envc = count;
  return buffer;
}

/* 1 when sent, 0 when the server closed the connection first. */
static int SendCommand(int fd, int argc, char** argv) {
  struct ServeCommandHeader header;
  memcpy(header.magic, V8SNAP_SERVE_COMMAND_MAGIC, 4);
  mode_t mask = umask(0);
  umask(mask);
  header.umask = (uint32_t)mask;
  header.argc = (uint32_t)argc;
  char* payload = BuildPayload(argc, argv, &header.payload_bytes, &header.envc);
  int stdio[3];
  for (int i = 0; i < 3; ++i) {
    /* A closed stdio fd is sent as /dev/null, which is what the runtime would find there. */
    stdio[i] = fcntl(i, F_GETFD) == -1 ? open("/dev/null", O_RDWR | O_CLOEXEC) : i;
  }
  char control[CMSG_SPACE(sizeof(stdio))];
  memset(control, 0, sizeof(control));
  struct iovec iov = {&header, sizeof(header)};
  struct msghdr msg;
  memset(&msg, 0, sizeof(msg));
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(stdio));
  memcpy(CMSG_DATA(cmsg), stdio, sizeof(stdio));
  ssize_t sent;
  do {
    sent = sendmsg(fd, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  int ok = sent >= 0 || !ClosedBeforeStart(errno) ? 1 : 0;
  if (sent < 0 && ok) Fail("sending the command to the server failed: %s", strerror(errno));
  ok = ok && WriteAll(fd, (const char*)&header + sent, sizeof(header) - (size_t)sent) &&
       WriteAll(fd, payload, header.payload_bytes);
  free(payload);
  for (int i = 0; i < 3; ++i) {
    if (stdio[i] != i) close(stdio[i]);
  }
  return ok;
}

/* DRCT: the command must start directly (its locale environment is not the server's; see
 * serve_protocol.h). Reads the command line the server sent and becomes it: this process, with
 * its own pid, environment, folder, umask and stdio, is then exactly a direct run. */
static void StartDirectly(int fd, int32_t size, const int* pending, int npending) {
  if (size <= 0 || (uint32_t)size > V8SNAP_SERVE_MAX_PAYLOAD) {
    Fail("the server on %s sent a malformed command line to start directly", socket_path);
  }
  char* payload = malloc((size_t)size + 1);
  if (payload == NULL) Fail("out of memory");
  for (size_t got = 0; got < (size_t)size;) {
    ssize_t r = read(fd, payload + got, (size_t)size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) Fail("the server on %s went away while sending the command line", socket_path);
    got += (size_t)r;
  }
  payload[size] = '\0';
  if (payload[size - 1] != '\0') {
    Fail("the server on %s sent a malformed command line to start directly", socket_path);
  }
  /* The path, then argv: one pointer per string, and a NULL. */
  size_t count = 0;
  for (int32_t i = 0; i < size; ++i) count += payload[i] == '\0';
  char** strings = calloc(count + 1, sizeof(char*));
  if (strings == NULL) Fail("out of memory");
  size_t n = 0;
  for (char* at = payload; at < payload + size; at += strlen(at) + 1) strings[n++] = at;
  if (n < 2 || strings[0][0] == '\0') {
    Fail("the server on %s sent no command line to start directly", socket_path);
  }
  close(fd);
  /* A signal forwarded before the command started: a direct run would have died of it. */
  for (int i = 0; i < npending; ++i) {
    signal(pending[i], SIG_DFL);
    raise(pending[i]);
  }
  for (size_t i = 0; i < sizeof(kForwarded) / sizeof(kForwarded[0]); ++i) {
    signal(kForwarded[i], SIG_DFL);
  }
  execv(strings[0], strings + 1);
  Fail(
      "this command must start directly (its locale environment differs from the server's), "
      "but %s cannot be run: %s\n  fix: run snapshot_run directly, or start the server with "
      "this command's LANG and LC_* variables",
      strings[0], strerror(errno));
}

int main(int argc, char** argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fprintf(argc < 2 ? stderr : stdout,
            "Usage: snapshot_run_client SOCKET [snapshot_run flags] SCRIPT\n\n"
            "Runs SCRIPT on a runtime made ahead of time by `snapshot_run --serve SOCKET "
            "--snapshot X.bin`,\nwith this process's arguments, folder, environment and "
            "stdio, and exits with its exit code.\n");
    return argc < 2 ? kExitUsage : kExitOk;
  }
  socket_path = argv[1];
  CheckSocketFile();
  if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) Fail("pipe: %s", strerror(errno));
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = OnSignal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < sizeof(kForwarded) / sizeof(kForwarded[0]); ++i) {
    sigaction(kForwarded[i], &action, NULL);
  }
  int pending[16];
  int npending = 0;
  int forwarded = 0;
  for (int attempt = 1;; ++attempt) {
    int fd = Connect();
    struct ucred peer;
    socklen_t peer_size = sizeof(peer);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) != 0 || peer.uid != getuid()) {
      Fail(
          "the process listening on %s runs as another user (uid %u): refusing to hand it "
          "this command",
          socket_path, (unsigned)peer.uid);
    }
    struct ServeReply reply;
    int got = ReadReply(fd, &reply, kHelloTimeoutMs, pending, &npending, -1, 0, &forwarded);
    if (got < 0 || (got == 1 && (memcmp(reply.tag, V8SNAP_SERVE_TAG_HELLO, 4) != 0 ||
                                 reply.value != V8SNAP_SERVE_PROTOCOL_VERSION))) {
      Fail(
          "the process listening on %s is not a v8snap server of this version (%s)\n  fix: "
          "restart it with this build's `snapshot_run --serve %s`, or run snapshot_run directly",
          socket_path, got < 0 ? "no greeting within 5 s" : "unexpected greeting", socket_path);
    }
    if (got == 0) {
      if (attempt < kMaxAttempts) {
        close(fd);
        usleep(20000);
        continue;
      }
      Fail(
          "the server on %s closed the connection before greeting, %d times: it is going "
          "away\n  fix: restart it, or run snapshot_run directly",
          socket_path, attempt);
    }
    got = SendCommand(fd, argc - 2, argv + 2)
              ? ReadReply(fd, &reply, -1, pending, &npending, -1, 0, &forwarded)
              : 0;
    if (got == 0) {
      /* Nothing ran: the server was stopped or restarted while the command waited. */
      close(fd);
      if (attempt < kMaxAttempts) continue;
      Fail(
          "the server on %s closed the connection before running the command, %d times; "
          "nothing ran\n  fix: check the server's output, restart it, or run snapshot_run "
          "directly",
          socket_path, attempt);
    }
    if (memcmp(reply.tag, V8SNAP_SERVE_TAG_DIRECT, 4) == 0) {
      StartDirectly(fd, reply.value, pending, npending);
    }
    if (memcmp(reply.tag, V8SNAP_SERVE_TAG_STARTED, 4) != 0 || reply.pid <= 0) {
      Fail("the server on %s answered the command with an unexpected reply", socket_path);
    }
    pid_t runtime_pid = reply.pid;
    int pidfd = (int)syscall(SYS_pidfd_open, runtime_pid, 0);
    for (int i = 0; i < npending; ++i) {
      if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, pending[i], NULL, 0) != 0) {
        if (pidfd < 0) kill(runtime_pid, pending[i]);
      }
      forwarded = pending[i];
    }
    for (;;) {
      got = ReadReply(fd, &reply, -1, pending, &npending, pidfd, runtime_pid, &forwarded);
      if (got == 0) {
        Fail(
            "the runtime process %d running this command ended without reporting an exit "
            "code, and its server is gone too, so the cause is unknown; the command may have "
            "run in part",
            (int)runtime_pid);
      }
      if (memcmp(reply.tag, V8SNAP_SERVE_TAG_EXIT, 4) == 0) return reply.value;
      if (memcmp(reply.tag, V8SNAP_SERVE_TAG_SIGNALED, 4) == 0) {
        if (reply.value == forwarded) {
          /* Dies of the signal it passed on, as the direct run would have (a shell shows 130
           * for Ctrl-C). */
          signal(reply.value, SIG_DFL);
          raise(reply.value);
          return 128 + reply.value;
        }
        Fail(
            "the runtime process %d running this command was killed by signal %d (%s) before "
            "it finished; the command may have run in part",
            (int)runtime_pid, reply.value, strsignal(reply.value));
      }
    }
  }
}
