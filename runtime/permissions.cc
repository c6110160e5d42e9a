// Path canonicalization (our own resolver, since realpath(3) fails on paths that do not exist
// yet) and the allow-list check.
#include "runtime/permissions.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <deque>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace v8snap {
namespace {

constexpr char kErrnoPayload[] = "v8snap/errno";
// Linux's own limit on symlinks followed while resolving one path (MAXSYMLINKS).
constexpr int kMaxSymlinks = 40;
// Far above PATH_MAX: a longer symlink target is refused as ENAMETOOLONG.
constexpr size_t kMaxLinkTarget = 64 * 1024;

absl::Status ErrnoStatus(int error, const std::string& what) {
  // Never kPermissionDenied: that code means "not allowed by the flags" in this runtime.
  absl::Status status(absl::StatusCode::kFailedPrecondition,
                      absl::StrCat(EscapeControlCharacters(what), ": ", std::strerror(error)));
  status.SetPayload(kErrnoPayload, absl::Cord(absl::StrCat(error)));
  return status;
}

std::string Join(const std::vector<std::string>& parts) {
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
}

// A trailing slash means "a folder": it becomes a final "." component, which the walk refuses
// after a file (ENOTDIR), like the kernel does.
void PushFront(std::deque<std::string>& queue, const std::string& path) {
  std::vector<std::string> parts = absl::StrSplit(path, '/', absl::SkipEmpty());
  if (!parts.empty() && path.back() == '/') parts.push_back(".");
  queue.insert(queue.begin(), parts.begin(), parts.end());
}

// A symlink's target. Not sized from lstat's st_size: procfs reports 0 for its links
// (/proc/self, /proc/self/cwd), so the buffer grows until the target fits.
absl::StatusOr<std::string> ReadLink(const std::string& link) {
  std::string target(256, '\0');
  for (;;) {
    ssize_t length = readlink(link.c_str(), target.data(), target.size());
    if (length < 0) return ErrnoStatus(errno, link);
    if (static_cast<size_t>(length) < target.size()) {
      target.resize(static_cast<size_t>(length));
      return target;
    }
    if (target.size() > kMaxLinkTarget) return ErrnoStatus(ENAMETOOLONG, link);
    target.resize(target.size() * 2);
  }
}

bool IsWithin(const std::string& path, const std::string& root) {
  if (root == "/") return true;
  return path.size() >= root.size() && path.compare(0, root.size(), root) == 0 &&
         (path.size() == root.size() || path[root.size()] == '/');
}

// What the walk knows about the path resolved so far.
enum class Reached { kDirectory, kMissing, kNotDirectory };

// CanonicalizePath's walk. On failure, `*stopped_at` is the canonical path where it stopped,
// so that Check can refuse a failed resolution outside the grant without saying why it failed.
absl::StatusOr<std::string> Resolve(const std::string& path, FinalSymlink final_symlink,
                                    std::string* stopped_at) {
  if (path.empty()) return absl::InvalidArgumentError("the path is empty");
  std::deque<std::string> pending;
  PushFront(pending, path);
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == nullptr) return ErrnoStatus(errno, "current directory");
    PushFront(pending, cwd);
  }
  // Walk one component at a time, like the kernel does: a symlink's target is spliced into the
  // components still to walk, and "." or ".." apply to what the path really leads to, so they
  // fail after a file (ENOTDIR) or a missing folder (ENOENT) instead of being applied to the
  // text. Names after a missing one are kept as they are: a file about to be written.
  std::vector<std::string> resolved;
  Reached reached = Reached::kDirectory;  // "/"
  int symlinks = 0;
  auto fail = [&](int error) {
    *stopped_at = Join(resolved);
    return ErrnoStatus(error, *stopped_at);
  };
  while (!pending.empty()) {
    std::string component = std::move(pending.front());
    pending.pop_front();
    if (reached == Reached::kNotDirectory) return fail(ENOTDIR);
    if (component == "." || component == "..") {
      if (reached == Reached::kMissing) return fail(ENOENT);
      // The parent of a folder walked through is a folder.
      if (component == ".." && !resolved.empty()) resolved.pop_back();
      continue;
    }
    resolved.push_back(component);
    if (reached == Reached::kMissing) continue;
    if (pending.empty() && final_symlink == FinalSymlink::kNoFollow) break;
    std::string candidate = Join(resolved);
    struct stat st;
    if (lstat(candidate.c_str(), &st) != 0) {
      if (errno != ENOENT) return fail(errno);
      reached = Reached::kMissing;
      continue;
    }
    if (S_ISDIR(st.st_mode)) continue;
    if (!S_ISLNK(st.st_mode)) {
      reached = Reached::kNotDirectory;
      continue;
    }
    if (++symlinks > kMaxSymlinks) return fail(ELOOP);
    absl::StatusOr<std::string> target = ReadLink(candidate);
    if (!target.ok()) {
      *stopped_at = candidate;
      return target.status();
    }
    resolved.pop_back();
    if (target->empty()) return fail(ENOENT);  // What the kernel says of an empty link.
    if ((*target)[0] == '/') resolved.clear();
    PushFront(pending, *target);
  }
  return Join(resolved);
}

}  // namespace

int OpenRootForWalk() { return open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); }

int OpenFolderStep(int folder, const char* name) {
  return openat(folder, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int OpenParentWithoutSymlinks(const std::string& canonical, std::string* name) {
  std::vector<std::string> parts = absl::StrSplit(canonical, '/', absl::SkipEmpty());
  int folder = OpenRootForWalk();
  for (size_t i = 0; folder >= 0 && i + 1 < parts.size(); ++i) {
    int next = OpenFolderStep(folder, parts[i].c_str());
    int error = errno;
    close(folder);
    folder = next;
    errno = error;
  }
  *name = parts.empty() ? "." : parts.back();
  return folder;
}

int ErrnoOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrnoPayload);  // absl::optional: not std:: in Debian's Abseil
  int error = 0;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &error)) return 0;
  return error;
}

std::string EscapeControlCharacters(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      escaped += "\\n";
    } else if (c == '\t') {
      escaped += "\\t";
    } else if (c == '\r') {
      escaped += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      escaped += absl::StrFormat("\\x%02x", c);
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      // U+0080..U+009F in UTF-8: the C1 controls, which some terminals obey too.
      escaped += absl::StrFormat("\\u%04x", static_cast<unsigned char>(text[++i]));
    } else {
      escaped += static_cast<char>(c);
    }
  }
  return escaped;
}

absl::StatusOr<std::string> CanonicalizePath(const std::string& path, FinalSymlink final_symlink) {
  std::string stopped_at;
  return Resolve(path, final_symlink, &stopped_at);
}

void Permissions::AllowAll(Access access) { (access == Access::kRead ? read_ : write_).all = true; }

absl::Status Permissions::Allow(Access access, const std::string& path) {
  absl::StatusOr<std::string> canonical = CanonicalizePath(path);
  if (!canonical.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        FlagName(access), "=", path, ": cannot resolve the path: ", canonical.status().message()));
  }
  (access == Access::kRead ? read_ : write_).roots.push_back(*std::move(canonical));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Permissions::Check(Access access, const std::string& path,
                                               FinalSymlink final_symlink) const {
  std::string stopped_at;
  absl::StatusOr<std::string> canonical = Resolve(path, final_symlink, &stopped_at);
  if (!canonical.ok()) {
    // Outside the grant, why the path cannot be resolved (missing, a loop, not a folder) is
    // itself something about the file system the flags do not grant: refuse it as such.
    if (!stopped_at.empty()) {
      if (absl::Status allowed = CheckCanonical(access, stopped_at, path); !allowed.ok()) {
        return allowed;
      }
    }
    return canonical.status();
  }
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
  // Both paths are escaped: a script's string may hold bytes that would drive a terminal.
  std::string escaped = EscapeControlCharacters(canonical);
  std::string resolved = canonical == shown ? "" : absl::StrCat(" (resolved to \"", escaped, "\")");
  return absl::PermissionDeniedError(
      absl::StrCat(access == Access::kRead ? "read" : "write", " access to \"",
                   EscapeControlCharacters(shown), "\"", resolved, " is denied; run with ",
                   FlagName(access), "=", escaped, " (or a folder containing it) to grant it"));
}

const char* Permissions::FlagName(Access access) {
  return access == Access::kRead ? "--allow-read" : "--allow-write";
}

}  // namespace v8snap
