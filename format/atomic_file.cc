// Whole-file I/O on POSIX calls, so every failure can be reported with errno and path.
#include "format/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v8snap {
namespace {

absl::Status ErrnoStatus(int err, absl::string_view what, const std::string& path) {
  std::string message = absl::StrCat(what, " '", path, "': ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr absl::string_view kTempInfix = ".tmp-";

// fsyncs the folder holding `path`, so a rename into it survives a crash.
void SyncFolderOf(const std::string& path) {
  int dir_fd = open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; checked below.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  return ReadOpenedFile(fd, path);
}

absl::StatusOr<std::string> ReadOpenedFile(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return ErrnoStatus(err, "cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                                              : "not a regular file";
    return absl::InvalidArgumentError(
        absl::StrCat("'", path, "' is ", what, "; expected a regular file"));
  }
  std::string contents;
  contents.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = read(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return ErrnoStatus(err, "cannot read", path);
    }
    if (n == 0) break;  // The file shrank while being read.
    done += static_cast<size_t>(n);
  }
  contents.resize(done);
  close(fd);
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path, absl::string_view contents,
                                 std::optional<mode_t> mode) {
  static std::atomic<int> counter{0};
  std::string temp = absl::StrCat(path, kTempInfix, getpid(), "-", counter++);
  // Errors name `path`, the file the user asked for, not the temp file beside it.
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ? 0600 : 0644);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat("cannot write '", path, "': its folder '",
                                              DirName(path), "' does not exist"));
    }
    return ErrnoStatus(err, "cannot create a temporary file to write", path);
  }
  auto fail = [&](int err, absl::string_view what) {
    close(fd);
    unlink(temp.c_str());
    return ErrnoStatus(err, what, path);
  };
  if (mode && fchmod(fd, *mode) != 0) return fail(errno, "cannot set the permissions of");
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno, "cannot write");
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail(errno, "cannot fsync");
  if (close(fd) != 0) {
    int err = errno;
    unlink(temp.c_str());
    return ErrnoStatus(err, "cannot write", path);
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    unlink(temp.c_str());
    return ErrnoStatus(err, "cannot replace", path);
  }
  SyncFolderOf(path);
  return absl::OkStatus();
}

absl::Status CheckOutputFilePath(const std::string& path, absl::string_view option) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the output path is empty: give ", option, " the path of the file to write"));
  }
  const std::string base = BaseName(path);
  struct stat st;
  if (base.empty() || base == "." || base == ".." ||
      (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
    return absl::InvalidArgumentError(
        absl::StrCat("output path '", path, "' is a folder: ", option,
                     " takes the path of the file to write (for example '",
                     absl::StripSuffix(path, "/"), "/snapshot.bin')"));
  }
  const std::string dir = DirName(path);
  if (stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(absl::StrCat(
          "output folder '", dir, "' does not exist: create it or choose another ", option));
    }
    if (err == ENOTDIR) {
      return absl::NotFoundError(absl::StrCat("output folder '", dir, "' is not a folder (",
                                              std::strerror(err), "): choose another ", option));
    }
    return ErrnoStatus(err, "cannot use output folder", dir);
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::NotFoundError(
        absl::StrCat("output folder '", dir, "' is not a folder: choose another ", option));
  }
  // access(2) also reports a read-only file system (EROFS), which root is not exempt from.
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    const int err = errno;
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write in output folder '", dir, "': ", std::strerror(err),
                     ": make it writable or choose another ", option));
  }
  return absl::OkStatus();
}

absl::Status RenameDurably(const std::string& from, const std::string& to) {
  if (rename(from.c_str(), to.c_str()) != 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot rename '", from, "' onto"), to);
  }
  SyncFolderOf(to);
  return absl::OkStatus();
}

void RemoveStaleTempFiles(const std::string& path) {
  std::string dir = DirName(path);
  std::string prefix = absl::StrCat(BaseName(path), kTempInfix);
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (struct dirent* entry = readdir(d)) {
    absl::string_view name = entry->d_name;
    if (!absl::StartsWith(name, prefix)) continue;
    absl::string_view rest = name.substr(prefix.size());
    int pid = 0;
    if (!absl::SimpleAtoi(rest.substr(0, rest.find('-')), &pid) || pid <= 0) continue;
    // kill(pid, 0) fails with ESRCH when no such process exists: its temp file is an orphan.
    if (pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) {
      unlink(absl::StrCat(dir, "/", name).c_str());
    }
  }
  closedir(d);
}

}  // namespace v8snap
