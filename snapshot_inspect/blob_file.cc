// mmap, and XXH3 over the mapping with a SIGBUS guard, with atomic_file.h's errors; the V8 header
// checks with the blob's path in every message.
#include "snapshot_inspect/blob_file.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"

namespace v8snap::inspect {
namespace {

absl::Status ErrnoStatus(int err, absl::string_view what, const std::string& path) {
  std::string message = absl::StrCat(what, " '", path, "': ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::UnavailableError(message);
}

// Opens a regular file for reading (O_NONBLOCK: a FIFO must not block the open; it is refused)
// and returns its descriptor and size.
absl::StatusOr<std::pair<int, size_t>> OpenRegular(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ErrnoStatus(errno, "cannot open", path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return ErrnoStatus(err, "cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("'", path, "' is not a regular file; expected a snapshot blob"));
  }
  return std::make_pair(fd, static_cast<size_t>(st.st_size));
}

// Where a SIGBUS on this thread jumps to while a mapping is hashed; null otherwise.
thread_local sigjmp_buf* sigbus_target = nullptr;

void OnSigbus(int signal_number) {
  if (sigbus_target != nullptr) siglongjmp(*sigbus_target, 1);
  // Not raised by a guarded hash: what would have happened without this handler.
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path) {
  absl::StatusOr<std::pair<int, size_t>> file = OpenRegular(path);
  if (!file.ok()) return file.status();
  auto [fd, size] = *file;
  if (size == 0) {
    close(fd);
    return std::unique_ptr<MappedFile>(new MappedFile(path, nullptr, 0));
  }
  void* data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  int err = errno;
  close(fd);
  if (data == MAP_FAILED) return ErrnoStatus(err, "cannot map", path);
  return std::unique_ptr<MappedFile>(new MappedFile(path, static_cast<const char*>(data), size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) munmap(const_cast<char*>(data_), size_);
}

absl::StatusOr<std::string> MappedFile::Xxh3Hex() const {
  // Only XXH3 (C code, nothing to unwind) runs between sigsetjmp and a possible siglongjmp.
  struct sigaction guard = {}, previous = {};
  guard.sa_handler = OnSigbus;
  sigemptyset(&guard.sa_mask);
  sigaction(SIGBUS, &guard, &previous);
  sigjmp_buf target;
  Xxh3Digest hash;
  bool truncated = false;
  if (sigsetjmp(target, 1) == 0) {
    sigbus_target = &target;
    hash = Xxh3Digest128(absl::string_view(data_, size_));
  } else {
    truncated = true;
  }
  sigbus_target = nullptr;
  sigaction(SIGBUS, &previous, nullptr);
  if (truncated) {
    return absl::DataLossError(absl::StrCat(
        "snapshot blob '", path_, "' shrank while it was being read (", size_,
        " bytes when opened): another process truncated or rewrote it in place. Run the command "
        "again once the file is complete; ",
        MessageToolNames().builder, " replaces pairs by renaming, never in place."));
  }
  return v8snap::Xxh3Hex(hash);
}

absl::StatusOr<V8BlobHeader> ParseBlobHeaderAt(absl::string_view blob, const std::string& path) {
  absl::StatusOr<V8BlobHeader> header = ParseV8BlobHeader(blob);
  if (!header.ok()) {
    return absl::Status(header.status().code(),
                        absl::StrCat("snapshot blob '", path, "': ", header.status().message()));
  }
  return header;
}

absl::Status CheckBlobLoadableByV8(absl::string_view blob, const V8BlobHeader& header,
                                   const std::string& path, const std::string& linked_v8_version) {
  if (header.version != linked_v8_version) {
    return absl::FailedPreconditionError(absl::StrCat(
        "snapshot '", path, "' was built with V8 ", header.version, ", but this ",
        MessageToolNames().inspector, " is linked with V8 ", linked_v8_version,
        "; V8 cannot load it, so its heap cannot be measured here. Use an inspector linked with "
        "V8 ",
        header.version, "."));
  }
  const uint32_t checksum = V8BlobChecksum(blob, header);
  if (checksum != header.checksum) {
    return absl::DataLossError(absl::StrFormat(
        "snapshot blob '%s': its V8 header records checksum 0x%08x, but its bytes sum to "
        "0x%08x: the blob was changed after V8 wrote it (its sidecar agrees with it, so the "
        "sidecar was rewritten too). V8 would abort loading it, so its heap is not measured. "
        "Rebuild the pair with %s; `%s verify %s` runs every check.",
        path, header.checksum, checksum, MessageToolNames().builder, MessageToolNames().inspector,
        path));
  }
  return absl::OkStatus();
}

}  // namespace v8snap::inspect
