// V8's process-wide initialization, in the order V8 requires.
#include "runtime/v8_process.h"

#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libplatform/libplatform.h"
#include "v8-initialization.h"

namespace v8snap {
namespace {

std::mutex& InitMutex() {
  static std::mutex* mutex = new std::mutex();
  return *mutex;
}

// Kept for the life of the process: V8 may call into the platform until exit.
std::unique_ptr<v8::Platform>& PlatformSlot() {
  static auto* platform = new std::unique_ptr<v8::Platform>();
  return *platform;
}

std::vector<std::string>& InitializedFlags() {
  static auto* flags = new std::vector<std::string>();
  return *flags;
}

}  // namespace

absl::Status V8Process::Initialize(const std::vector<std::string>& flags) {
  std::lock_guard<std::mutex> lock(InitMutex());
  if (PlatformSlot() != nullptr) {
    if (flags != InitializedFlags()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "V8 is already running with flags [", absl::StrJoin(InitializedFlags(), " "),
          "]; it cannot be re-initialized with [", absl::StrJoin(flags, " "), "]"));
    }
    return absl::OkStatus();
  }
  // 1. Flags: before anything else, they shape how the platform and heap are set up.
  for (const std::string& flag : flags) v8::V8::SetFlagsFromString(flag.c_str(), flag.size());
  InitializedFlags() = flags;
  // 2. Platform: worker threads for GC and compilation (one thread is enough on small machines).
  PlatformSlot() = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(PlatformSlot().get());
  // 3. V8 itself. ICU data is compiled into libnode, so no InitializeICU call is needed.
  v8::V8::Initialize();
  return absl::OkStatus();
}

v8::Platform* V8Process::platform() { return PlatformSlot().get(); }

std::string V8Process::LinkedV8Version() { return v8::V8::GetVersion(); }

}  // namespace v8snap
