// v8_floor: the least a V8 embedder's process can do. It loads libnode (and with it V8, ICU,
// OpenSSL...), starts V8's platform and V8 in the runtime's order, and exits. `snapshot_run
// hello.js` is measured against it (startup_vs_floor): what is left above this is v8snap's.
//
// `v8_floor --isolate` also creates one isolate and context from V8's built-in snapshot, to
// show what the first isolate adds to the floor.
//
// `v8_floor --phases [RUNS] [--isolate]` says where the floor's time goes: it starts itself RUNS
// times (default 30) and prints the median of each phase of those processes, on one clock
// (CLOCK_MONOTONIC) read by the parent around the start and the wait and by the child at
// fixed points:
//   exec + load + relocate  from the parent's posix_spawn to the child's first instruction
//                           after the dynamic loader (an entry of .preinit_array, which runs
//                           before any library's constructor): the kernel's exec, mapping
//                           every library and binding every relocation
//   constructors            .preinit_array to main: every library's static constructors
//   V8 start                main to V8::Initialize returned (flags, platform, V8)
//   isolate + context       (with --isolate) Isolate::New + Context::New + Dispose
//   exit                    the child's last clock read to the parent's wait returning:
//                           exit handlers, destructors and the kernel's teardown
// docs/performance.md ("The direct-start floor") has the figures.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "libplatform/libplatform.h"
#include "v8-array-buffer.h"
#include "v8-context.h"
#include "v8-initialization.h"
#include "v8-isolate.h"
#include "v8-local-handle.h"

extern char** environ;

namespace {

double NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double preinit_ms = 0;

// Runs after the dynamic loader has relocated every object and before any constructor.
void AtPreinit(int, char**, char**) { preinit_ms = NowMs(); }
__attribute__((section(".preinit_array"), used)) void (*const kAtPreinit)(int, char**,
                                                                          char**) = AtPreinit;

// The child of --phases reports its clock reads on this descriptor.
constexpr char kReportFdVariable[] = "V8_FLOOR_REPORT_FD";

struct Phase {
  const char* name;
  std::vector<double> ms;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int RunPhases(const char* self, int runs, bool isolate) {
  std::vector<Phase> phases = {
      {"exec + load + relocate", {}}, {"constructors", {}}, {"V8 start", {}},
      {"isolate + context", {}},      {"exit", {}},         {"total", {}}};
  for (int run = 0; run <= runs; ++run) {  // run 0 warms the page cache, unmeasured
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return 1;
    std::string fd_setting = std::string(kReportFdVariable) + "=" + std::to_string(pipe_fds[1]);
    std::vector<char*> env;
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::strncmp(*e, kReportFdVariable, sizeof(kReportFdVariable) - 1) != 0)
        env.push_back(*e);
    }
    env.push_back(fd_setting.data());
    env.push_back(nullptr);
    std::string isolate_flag = "--isolate";
    std::vector<char*> argv = {const_cast<char*>(self)};
    if (isolate) argv.push_back(isolate_flag.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const double spawned = NowMs();
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), env.data()) != 0) {
      std::perror("v8_floor: posix_spawn");
      return 1;
    }
    close(pipe_fds[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    const double reaped = NowMs();
    double t[4] = {};
    ssize_t got = read(pipe_fds[0], t, sizeof(t));
    close(pipe_fds[0]);
    if (got != static_cast<ssize_t>(sizeof(t)) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "v8_floor: a measured run failed\n");
      return 1;
    }
    if (run == 0) continue;
    // t: preinit, main, V8 initialized, isolate done (= V8 initialized without --isolate).
    phases[0].ms.push_back(t[0] - spawned);
    phases[1].ms.push_back(t[1] - t[0]);
    phases[2].ms.push_back(t[2] - t[1]);
    phases[3].ms.push_back(t[3] - t[2]);
    phases[4].ms.push_back(reaped - t[3]);
    phases[5].ms.push_back(reaped - spawned);
  }
  std::printf("v8_floor%s: medians of %d runs (ms, wall clock)\n", isolate ? " --isolate" : "",
              runs);
  for (const Phase& p : phases) {
    if (!isolate && std::strcmp(p.name, "isolate + context") == 0) continue;
    std::printf("  %-24s %7.2f\n", p.name, Median(p.ms));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const double main_ms = NowMs();
  bool isolate = false;
  int phases_runs = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--isolate") == 0) {
      isolate = true;
    } else if (std::strcmp(argv[i], "--phases") == 0) {
      phases_runs = 30;
      if (i + 1 < argc && std::atoi(argv[i + 1]) > 0) phases_runs = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: v8_floor [--isolate] [--phases [RUNS]]\n");
      return 2;
    }
  }
  if (phases_runs > 0) return RunPhases(argv[0], phases_runs, isolate);

  // Flags, then the platform, then V8 (the order runtime/v8_process.cc follows).
  const char flags[] = "--no-verify-snapshot-checksum";
  v8::V8::SetFlagsFromString(flags, sizeof(flags) - 1);
  std::unique_ptr<v8::Platform> platform = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform.get());
  v8::V8::Initialize();
  const double v8_ms = NowMs();
  if (isolate) {
    std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(
        v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    v8::Isolate* isolate = v8::Isolate::New(params);
    {
      v8::Isolate::Scope isolate_scope(isolate);
      v8::HandleScope scope(isolate);
      v8::Context::New(isolate);
    }
    isolate->Dispose();
  }
  if (const char* fd = std::getenv(kReportFdVariable); fd != nullptr) {
    const double report[4] = {preinit_ms, main_ms, v8_ms, NowMs()};
    (void)!write(std::atoi(fd), report, sizeof(report));
  }
  // Like snapshot_run, leave the platform to the process's exit (no worker-thread join).
  platform.release();
  return 0;
}
