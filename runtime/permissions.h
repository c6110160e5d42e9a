// What files a runtime's ops may read and write (`snapshot_run --allow-read`, `--allow-write`).
// Nothing is allowed by default. The ops are the security boundary: every file op asks
// Permissions::Check for the path it was given and then works ONLY on the canonical path that
// Check returns, so what was checked is what is touched.
//
// Usage:
//   Permissions permissions;                                  // denies everything
//   permissions.AllowAll(Access::kRead);                      // --allow-read
//   RETURN_IF_ERROR(permissions.Allow(Access::kWrite, "out"));  // --allow-write=out
//   absl::StatusOr<std::string> path = permissions.Check(Access::kWrite, "out/a.txt");
//   if (!path.ok()) ...  // kPermissionDenied: names the path and the flag that would grant it
//
// Canonical means absolute, with every symlink resolved and no "." or ".." left, even for paths
// that do not exist yet (a file about to be written): the longest existing prefix is resolved
// and the rest appended. So "allowed/../secret" and a symlink inside an allowed folder that
// points out of it are both judged by where they really lead. "." and ".." are applied to what
// the path leads to, not to its text: after a file they fail with ENOTDIR (as does a trailing
// slash), after a missing folder with ENOENT, like the kernel. Immutable once set up, so worker
// threads may call Check concurrently.
//
// The check and the use are two steps; the fs ops close the gap by opening the canonical path
// one component at a time from "/" without following symlinks (extensions/fs/fs_ops.cc), so a
// symlink swapped in anywhere along it after the check fails the op instead of redirecting it.
#ifndef V8SNAP_RUNTIME_PERMISSIONS_H_
#define V8SNAP_RUNTIME_PERMISSIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace v8snap {

enum class Access { kRead, kWrite };

// Whether the last component of a path is resolved when it is a symlink. kFollow for ops that
// work on what a path points to (read, write, stat, readDir, mkdir); kNoFollow for ops on the
// directory entry itself (remove deletes a symlink, never its target).
enum class FinalSymlink { kFollow, kNoFollow };

// `path` made absolute (against the current directory when relative) with symlinks resolved as
// described above. Fails when the path cannot be resolved (a symlink loop: ELOOP, an unreadable
// directory on the way: EACCES, "." / ".." / a trailing slash after a file: ENOTDIR, or after a
// missing folder: ENOENT; an empty path: kInvalidArgument).
absl::StatusOr<std::string> CanonicalizePath(const std::string& path,
                                             FinalSymlink final_symlink = FinalSymlink::kFollow);

class Permissions {
 public:
  // Allows nothing.
  Permissions() = default;

  // Every path, for this kind of access (a bare --allow-read / --allow-write).
  void AllowAll(Access access);
  // `path` and everything below it. The path is canonicalized now, so a later change of the
  // current directory or of a symlink does not widen the grant.
  absl::Status Allow(Access access, const std::string& path);

  // The canonical path to work on when `access` to `path` is allowed. Otherwise
  // kPermissionDenied: "read access to "x" (resolved to "/abs/x") is denied; run with
  // --allow-read=/abs/x to grant it". Resolution errors keep their errno as the status payload
  // (see ErrnoOf) so callers can report ENOENT and friends like any other file error; but one
  // that stopped outside the grant is kPermissionDenied too, so that a script learns nothing
  // about files it may not see (not even that one is missing).
  absl::StatusOr<std::string> Check(Access access, const std::string& path,
                                    FinalSymlink final_symlink = FinalSymlink::kFollow) const;

  // The same decision for a path that is canonical already (e.g. each folder a recursive mkdir
  // is about to create, which may lie above the allowed one); `shown` is the path as the caller
  // gave it, for the message.
  absl::Status CheckCanonical(Access access, const std::string& canonical,
                              const std::string& shown) const;

  bool allows_all(Access access) const { return grant(access).all; }
  // Canonical allowed roots, in the order given.
  const std::vector<std::string>& roots(Access access) const { return grant(access).roots; }

  // "--allow-read" / "--allow-write".
  static const char* FlagName(Access access);

 private:
  struct Grant {
    bool all = false;
    std::vector<std::string> roots;
  };
  const Grant& grant(Access access) const { return access == Access::kRead ? read_ : write_; }
  Grant read_;
  Grant write_;
};

// Opens the folder holding the last component of `canonical` (a path Permissions::Check
// returned) by walking from "/" one component at a time without following symlinks, and sets
// `*name` to that last component ("." for "/" itself). Returns the folder's O_PATH descriptor
// (the caller closes it), or -1 with errno set. The canonical path holds no symlinks, so
// meeting one means the tree changed after the check (a folder swapped for a symlink): the walk
// fails (ELOOP or ENOTDIR) rather than follow it somewhere the check never saw. Every file op
// and every checked import opens its file this way, relative to the returned folder.
int OpenParentWithoutSymlinks(const std::string& canonical, std::string* name);

// The steps of that walk, for a walk of its own (mkdir -p creates folders on the way): "/" as
// the first folder, then one folder name at a time, never through a symlink (O_PATH: only
// search permission is needed, as for a path lookup). -1 with errno set on failure.
int OpenRootForWalk();
int OpenFolderStep(int folder, const char* name);

// The errno carried by a status from CanonicalizePath or Permissions::Check (0 when none).
int ErrnoOf(const absl::Status& status);

// `text` with control characters escaped (\n, \t, \r, \xNN, and \u0080-\u009f for the C1
// controls), for paths echoed in error messages: a script's string or a corrupt file name must
// not be able to move the cursor or recolour the terminal of whoever reads the error.
std::string EscapeControlCharacters(const std::string& text);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_PERMISSIONS_H_
