// Whole-file reads with precise errors, and atomic writes (temp file + fsync + rename).
#ifndef V8SNAP_FORMAT_ATOMIC_FILE_H_
#define V8SNAP_FORMAT_ATOMIC_FILE_H_

#include <sys/types.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v8snap {

// Reads a regular file. Refuses directories, devices and FIFOs (kInvalidArgument) rather than
// blocking on them; a missing file is kNotFound, an unreadable one kPermissionDenied. Every
// message names the path.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// The same for a file the caller has opened some other way (e.g. openat without following
// symlinks; opened with O_NONBLOCK so a FIFO did not block). Takes and closes `fd`; `path` names
// the file in messages.
absl::StatusOr<std::string> ReadOpenedFile(int fd, const std::string& path);

// Writes `contents` to a temp file in the same folder as `path` ("path.tmp-<pid>-<n>"), fsyncs
// it, renames it over `path` and fsyncs the folder. On any failure the temp file is removed and
// `path` is untouched. With `mode`, the file gets exactly those permission bits, set before any
// byte is written (so it never exists with wider ones, whatever the umask); otherwise 0644
// less the umask.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view contents,
                                 std::optional<mode_t> mode = std::nullopt);

// Checks, before any work is done, that WriteFileAtomically can create `path`: it is not empty,
// does not name a folder, and its folder exists and is writable. The message names the path and
// the fix; `option` is how the user chose the path ("--out"), named in the fix. kInvalidArgument
// for a path that cannot be a file, kNotFound for a missing folder, kPermissionDenied.
absl::Status CheckOutputFilePath(const std::string& path, absl::string_view option);

// rename(2) `from` onto `to`, then fsyncs the folder so the rename survives a crash.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// Removes temp files that a killed earlier write to `path` left behind ("path.tmp-*" whose
// writer process no longer exists).
void RemoveStaleTempFiles(const std::string& path);

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_ATOMIC_FILE_H_
