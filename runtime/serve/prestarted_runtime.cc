// PrestartedOrFromSnapshot: hands a runtime made ahead to the command that fits it.
#include "runtime/serve/prestarted_runtime.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "format/snapshot_files.h"
#include "v8-isolate.h"

namespace v8snap {
namespace {

// What a file was when the runtime was made from it. A rebuilt snapshot is renamed into place
// (a new inode) or, written some other way, gets a new mtime or size.
std::string FileIdentity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "missing";
  return absl::StrCat(st.st_dev, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec, ".",
                      st.st_mtim.tv_nsec, ":", st.st_ctim.tv_sec, ".", st.st_ctim.tv_nsec);
}

std::string SnapshotIdentity(const std::string& snapshot) {
  return absl::StrCat(FileIdentity(snapshot), "|", FileIdentity(SidecarPathFor(snapshot)));
}

// Everything of a configuration that makes one runtime differ from another. Paths in
// permissions are canonical already, so a grant given relative to another folder compares by
// where it leads.
std::string ConfigFingerprint(const std::string& snapshot, const RuntimeConfig& config) {
  const Permissions& p = config.permissions;
  return absl::StrCat(snapshot, "\n", config.manifest_label, "\n", config.manifest.path, "\n",
                      config.manifest.digest, "\n", config.manifest.text, "\n", config.builder_name,
                      "\n", config.relink, "\n", config.exact_extensions, "\n",
                      config.limits.max_heap_mb, "\n", config.limits.timeout_ms, "\n",
                      p.allows_all(Access::kRead), ":", absl::StrJoin(p.roots(Access::kRead), "\n"),
                      "\n", p.allows_all(Access::kWrite), ":",
                      absl::StrJoin(p.roots(Access::kWrite), "\n"));
}

std::string TimeZoneSetting() {
  const char* tz = std::getenv("TZ");
  return tz == nullptr ? std::string("\x01unset") : std::string(tz);
}

struct Prestart {
  PrestartWaiter wait = nullptr;
  std::unique_ptr<JsRuntime> runtime;
  std::string fingerprint;
  std::string snapshot_path;
  std::string identity;
  std::string time_zone;
  bool made_ahead = false;  // this process made a runtime ahead (with the server's TZ)
  bool snapshot_changed = false;
};

Prestart& State() {
  static Prestart* state = new Prestart();
  return *state;
}

// V8 and ICU keep the local time zone they first found (ICU for the whole process). When the
// command's TZ differs from the one the runtime was made with, they are told to look again:
// ICU's detection then reads the command's TZ (or /etc/localtime without one) exactly as a
// direct run's first detection does. The locale cannot be redone so; runtime_child.cc sends
// such commands to a direct start.
void FollowTimeZone(JsRuntime& runtime) {
  if (TimeZoneSetting() == State().time_zone) return;
  runtime.isolate()->DateTimeConfigurationChangeNotification(
      v8::Isolate::TimeZoneDetection::kRedetect);
}

}  // namespace

void PrestartOnNextLoad(PrestartWaiter wait) { State().wait = wait; }

bool PrestartedSnapshotChanged() { return State().snapshot_changed; }

absl::StatusOr<std::unique_ptr<JsRuntime>> PrestartedOrFromSnapshot(const std::string& snapshot,
                                                                    const RuntimeConfig& config) {
  Prestart& state = State();
  if (state.wait != nullptr) {
    PrestartWaiter wait = std::exchange(state.wait, nullptr);
    // Identity first, then the read: a file replaced during the read looks changed later.
    state.identity = SnapshotIdentity(snapshot);
    state.snapshot_path = snapshot;
    state.fingerprint = ConfigFingerprint(snapshot, config);
    state.time_zone = TimeZoneSetting();
    state.made_ahead = true;
    absl::StatusOr<std::unique_ptr<JsRuntime>> made = JsRuntime::FromSnapshot(snapshot, config);
    if (made.ok()) state.runtime = std::move(*made);
    wait(made.status());
    std::abort();  // `wait` takes the command and never returns here.
  }
  if (state.runtime != nullptr) {
    std::unique_ptr<JsRuntime> runtime = std::move(state.runtime);
    if (ConfigFingerprint(snapshot, config) != state.fingerprint) {
      // The command asked for another configuration: it gets a runtime made for it below.
    } else if (SnapshotIdentity(snapshot) != state.identity) {
      state.snapshot_changed = true;
    } else {
      FollowTimeZone(*runtime);
      return runtime;
    }
    // Disposed before another blob is loaded: live isolates share V8's read-only heap and its
    // hash seed (docs/reliability.md, "Hash seed").
    runtime.reset();
  }
  absl::StatusOr<std::unique_ptr<JsRuntime>> made = JsRuntime::FromSnapshot(snapshot, config);
  // ICU's default time zone belongs to the process, not to the isolate: one made here after
  // the runtime made ahead may find the server's.
  if (made.ok() && state.made_ahead) FollowTimeZone(**made);
  return made;
}

}  // namespace v8snap
