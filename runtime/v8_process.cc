// V8's process-wide initialization, in the order V8 requires.
#include "runtime/v8_process.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "compat/v8_compat.h"
#include "runtime/shared_read_only_heap.h"
#include "runtime/v8snap_platform.h"
#include "v8-initialization.h"

namespace v8snap {
namespace {

std::mutex& InitMutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

// Set once V8 runs (the platform lives until exit: V8 may call into it until then).
V8snapPlatform*& PlatformSlot() {
  static V8snapPlatform* platform = nullptr;
  return platform;
}

std::vector<std::string>& InitializedFlags() {
  static auto* flags = new std::vector<std::string>();
  return *flags;
}

std::string DescribeClock(std::optional<double> fixed_clock_ms) {
  return fixed_clock_ms.has_value() ? absl::StrCat("a wall clock fixed at ", *fixed_clock_ms, " ms")
                                    : "the real wall clock";
}

// Runs `probe` with the process's stdout and stderr going to a temporary file and returns what
// was written there. V8's flag parser reports on stderr and cannot be told not to.
std::string CaptureOutput(absl::FunctionRef<void()> probe) {
  std::fflush(stdout);
  std::fflush(stderr);
  FILE* sink = std::tmpfile();
  int saved_out = dup(STDOUT_FILENO);
  int saved_err = dup(STDERR_FILENO);
  if (sink == nullptr || saved_out < 0 || saved_err < 0) {
    // Nowhere to capture: V8's lines go where they would have gone; the check still works.
    if (sink != nullptr) std::fclose(sink);
    if (saved_out >= 0) close(saved_out);
    if (saved_err >= 0) close(saved_err);
    probe();
    return "";
  }
  dup2(fileno(sink), STDOUT_FILENO);
  dup2(fileno(sink), STDERR_FILENO);
  probe();
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(saved_out, STDOUT_FILENO);
  dup2(saved_err, STDERR_FILENO);
  close(saved_out);
  close(saved_err);
  std::string text;
  std::rewind(sink);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), sink)) > 0;) text.append(buffer, n);
  std::fclose(sink);
  return text;
}

// "illegal value for flag --stack-size=x of type int" → "--stack-size=x" (V8's wording).
std::string FlagNamedIn(absl::string_view reason) {
  absl::string_view rest = reason;
  size_t at = rest.find("for flag ");
  if (at == absl::string_view::npos) return "";
  rest.remove_prefix(at + 9);
  return std::string(rest.substr(0, rest.find(" of type")));
}

}  // namespace

absl::Status V8Process::CheckFlags(const std::vector<std::string>& flags) {
  if (platform() != nullptr) {
    return absl::FailedPreconditionError("V8 flags can only be checked before V8 starts");
  }
  std::vector<std::string> problems;
  for (const std::string& flag : flags) {
    // V8 reads "--stack-size=" as 0 without a word of complaint.
    if (absl::StartsWith(flag, "-") && absl::EndsWith(flag, "=")) {
      problems.push_back(absl::StrCat("'", flag, "' gives no value after '='"));
    }
  }
  // V8's parser with remove_flags: what it knows (with valid values) is taken out; an unknown
  // flag stays, silently; at a value it cannot parse it prints why and stops, leaving that flag
  // and the rest.
  std::vector<std::string> copies = flags;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("v8snap"));
  for (std::string& flag : copies) argv.push_back(flag.data());
  int argc = static_cast<int>(argv.size());
  std::string output =
      CaptureOutput([&] { v8::V8::SetFlagsFromCommandLine(&argc, argv.data(), true); });
  std::string reason;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::ConsumePrefix(&line, "Error: ")) {
      reason = std::string(line);
      break;
    }
  }
  const std::string refused = FlagNamedIn(reason);
  bool explained = false;
  for (int i = 1; i < argc; ++i) {
    const std::string leftover = argv[i];
    if (!reason.empty() && leftover == refused) {
      problems.push_back(absl::StrCat("'", leftover, "': V8 says: ", reason));
      explained = true;
      break;  // V8 stopped parsing here; what follows was not looked at.
    }
    problems.push_back(absl::StartsWith(leftover, "-")
                           ? absl::StrCat("'", leftover, "' is not a V8 flag")
                           : absl::StrCat("'", leftover,
                                          "' is not a V8 flag (flags start with --; a value "
                                          "goes right after its flag)"));
  }
  if (!reason.empty() && !explained) problems.push_back(absl::StrCat("V8 says: ", reason));
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("V8 flag", problems.size() > 1 ? "s" : "",
                                                 " refused: ", absl::StrJoin(problems, "; ")));
}

bool V8Process::AsksForFlagHelp(const std::vector<std::string>& flags) {
  for (const std::string& flag : flags) {
    if (flag == "--help" || flag == "-help") return true;
  }
  return false;
}

void V8Process::PrintFlagHelp() {
  // V8 prints its flag list (to stdout) when it parses --help, and goes on.
  v8::V8::SetFlagsFromString("--help");
  std::fflush(stdout);
}

absl::Status V8Process::Initialize(const std::vector<std::string>& flags,
                                   std::optional<double> fixed_clock_ms) {
  std::lock_guard<std::mutex> lock(InitMutex());
  if (PlatformSlot() != nullptr) {
    if (flags != InitializedFlags()) {
      return absl::FailedPreconditionError(
          absl::StrCat("V8 is already running with flags [", absl::StrJoin(InitializedFlags(), " "),
                       "]; it cannot be re-initialized with [", absl::StrJoin(flags, " "), "]"));
    }
    if (fixed_clock_ms != PlatformSlot()->fixed_clock_ms()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "V8 is already running with ", DescribeClock(PlatformSlot()->fixed_clock_ms()),
          "; it cannot be re-initialized with ", DescribeClock(fixed_clock_ms),
          " (a process either builds snapshots or runs them)"));
    }
    return absl::OkStatus();
  }
  // 1. Flags: before anything else, they shape how the platform and heap are set up.
  compat::KeepFlagsChangeableAfterInitialize();
  for (const std::string& flag : flags) v8::V8::SetFlagsFromString(flag.c_str(), flag.size());
  InitializedFlags() = flags;
  // The seed a rehashable snapshot gives the shared read-only heap it creates.
  SharedReadOnlyHeap::SetProcessHashSeed(HashSeedFromFlags(flags));
  // 2. Platform: worker threads for GC and compilation, task runners that wake event loops,
  // and the wall clock (fixed while building: Date.now() must not change the blob).
  PlatformSlot() = V8snapPlatform::Start(fixed_clock_ms);
  v8::V8::InitializePlatform(PlatformSlot());
  // 3. V8 itself. ICU data is compiled into libnode, so no InitializeICU call is needed.
  v8::V8::Initialize();
  return absl::OkStatus();
}

V8snapPlatform* V8Process::platform() { return PlatformSlot(); }

void V8Process::NotifyIsolateShutdown(v8::Isolate* isolate) {
  platform()->NotifyIsolateShutdown(isolate);
}

std::string V8Process::LinkedV8Version() { return v8::V8::GetVersion(); }

}  // namespace v8snap
