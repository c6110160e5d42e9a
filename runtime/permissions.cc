// Path canonicalization (our own resolver, since realpath(3) fails on paths that do not exist
// yet) and the allow-list check.
#include "runtime/permissions.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <deque>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace v8snap {
namespace {

constexpr char kErrnoPayload[] = "v8snap/errno";
// Linux's own limit on symlinks followed while resolving one path (MAXSYMLINKS).
constexpr int kMaxSymlinks = 40;

absl::Status ErrnoStatus(int error, const std::string& what) {
  // Never kPermissionDenied: that code means "not allowed by the flags" in this runtime.
  absl::Status status(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat(what, ": ", std::strerror(error)));
  status.SetPayload(kErrnoPayload, absl::Cord(absl::StrCat(error)));
  return status;
}

std::string Join(const std::vector<std::string>& parts) {
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
}

void PushFront(std::deque<std::string>& queue, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(path, '/', absl::SkipEmpty());
  queue.insert(queue.begin(), parts.begin(), parts.end());
}

bool IsWithin(const std::string& path, const std::string& root) {
  if (root == "/") return true;
  return path.size() >= root.size() && path.compare(0, root.size(), root) == 0 &&
         (path.size() == root.size() || path[root.size()] == '/');
}

}  // namespace

int ErrnoOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrnoPayload);  // absl::optional: not std:: in Debian's Abseil
  int error = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &error)) return 0;
  return error;
}

absl::StatusOr<std::string> CanonicalizePath(const std::string& path, FinalSymlink final_symlink) {
  if (path.empty()) return absl::InvalidArgumentError("the path is empty");
  std::deque<std::string> pending;
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == nullptr) return ErrnoStatus(errno, "current directory");
    PushFront(pending, path);
    PushFront(pending, cwd);
  } else {
    PushFront(pending, path);
  }
  // Walk one component at a time, like the kernel does: a symlink's target is spliced into
  // the components still to walk. Every component is looked at (lstat), even after a missing
  // one, because ".." can lead back into existing folders whose entries may be symlinks.
  std::vector<std::string> resolved;
  int symlinks = 0;
  while (!pending.empty()) {
    std::string component = std::move(pending.front());
    pending.pop_front();
    if (component == ".") continue;
    if (component == "..") {
      if (!resolved.empty()) resolved.pop_back();
      continue;
    }
    resolved.push_back(component);
    if (pending.empty() && final_symlink == FinalSymlink::kNoFollow) break;
    std::string candidate = Join(resolved);
    struct stat st;
    if (lstat(candidate.c_str(), &st) != 0) {
      // Not there (or under a file): the rest cannot be a symlink until a ".." comes back.
      if (errno == ENOENT || errno == ENOTDIR) continue;
      return ErrnoStatus(errno, candidate);
    }
    if (!S_ISLNK(st.st_mode)) continue;
    if (++symlinks > kMaxSymlinks) return ErrnoStatus(ELOOP, path);
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t length = readlink(candidate.c_str(), target.data(), target.size());
    if (length < 0) return ErrnoStatus(errno, candidate);
    target.resize(static_cast<size_t>(length));
    resolved.pop_back();
    if (!target.empty() && target[0] == '/') resolved.clear();
    PushFront(pending, target);
  }
  return Join(resolved);
}

void Permissions::AllowAll(Access access) {
  (access == Access::kRead ? read_ : write_).all = true;
}

absl::Status Permissions::Allow(Access access, const std::string& path) {
  absl::StatusOr<std::string> canonical = CanonicalizePath(path);
  if (!canonical.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(FlagName(access), "=", path,
                                                   ": cannot resolve the path: ",
                                                   canonical.status().message()));
  }
  (access == Access::kRead ? read_ : write_).roots.push_back(*std::move(canonical));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Permissions::Check(Access access, const std::string& path,
                                               FinalSymlink final_symlink) const {
  absl::StatusOr<std::string> canonical = CanonicalizePath(path, final_symlink);
  if (!canonical.ok()) return canonical.status();
  if (absl::Status allowed = CheckCanonical(access, *canonical, path); !allowed.ok()) {
    return allowed;
  }
  return canonical;
}

absl::Status Permissions::CheckCanonical(Access access, const std::string& canonical,
                                         const std::string& shown) const {
  const Grant& g = grant(access);
  if (g.all) return absl::OkStatus();
  for (const std::string& root : g.roots) {
    if (IsWithin(canonical, root)) return absl::OkStatus();
  }
  std::string resolved =
      canonical == shown ? "" : absl::StrCat(" (resolved to \"", canonical, "\")");
  return absl::PermissionDeniedError(absl::StrCat(
      access == Access::kRead ? "read" : "write", " access to \"", shown, "\"", resolved,
      " is denied; run with ", FlagName(access), "=", canonical, " (or a folder containing it) ",
      "to grant it"));
}

const char* Permissions::FlagName(Access access) {
  return access == Access::kRead ? "--allow-read" : "--allow-write";
}

}  // namespace v8snap
