// The `fs` extension's ops: files and folders, each as a sync op and an async twin that share
// one work function (so both give the same bytes and the same errors). Every work function
// asks Permissions::Check first and then touches only the canonical path it returns, reached by
// openat from "/" one component at a time with O_NOFOLLOW, so a symlink swapped in anywhere
// along it after the check is never followed. Only regular files are read or written.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/async_ops.h"
#include "compat/v8_compat.h"
#include "runtime/event_loop.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "runtime/permissions.h"
#include "v8-array-buffer.h"
#include "v8-container.h"
#include "v8-date.h"
#include "v8-object.h"
#include "v8-primitive.h"
#include "v8-typed-array.h"

namespace v8snap {
namespace {

// ---- Work functions: any thread, no V8. ----

struct FileStat {
  bool is_file = false;
  bool is_directory = false;
  bool is_symlink = false;
  double size = 0;
  double mtime_ms = 0;
  double atime_ms = 0;
  double ctime_ms = 0;
  uint32_t mode = 0;
};

struct DirEntry {
  std::string name;
  bool is_file = false;
  bool is_directory = false;
  bool is_symlink = false;
};

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      if (fd_ >= 0) close(fd_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  // close(2)'s own result: a write's error can surface only here (NFS, quotas).
  int Close() {
    int result = close(fd_);
    fd_ = -1;
    return result;
  }
  // For fdopendir, which takes the descriptor over.
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

// File contents in a malloc'd buffer: malloc reports an allocation it cannot make by returning
// null, where std::string would throw std::bad_alloc out of the op and abort the process.
class FileBytes {
 public:
  FileBytes() = default;
  ~FileBytes() { std::free(data_); }
  FileBytes(FileBytes&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  FileBytes& operator=(FileBytes&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  // False (the buffer unchanged) when memory runs out.
  bool Reserve(size_t capacity) {
    void* grown = std::realloc(data_, std::max<size_t>(capacity, 1));
    if (grown == nullptr) return false;
    data_ = static_cast<char*>(grown);
    capacity_ = capacity;
    return true;
  }
  char* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  void Grew(size_t n) { size_ += n; }
  // The buffer, now owned by the caller (free() it).
  char* Release() {
    capacity_ = size_ = 0;
    return std::exchange(data_, nullptr);
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// The most one read may return: what the JS value the bytes become can hold.
struct ReadLimit {
  size_t max_bytes;
  const char* holder;  // "a Uint8Array"
  const char* advice;  // appended to the error
};
const ReadLimit kBytesLimit{compat::kMaxUint8ArrayLength, "a Uint8Array", ""};
const ReadLimit kTextLimit{static_cast<size_t>(v8::String::kMaxLength), "a string",
                           "; readFile returns the bytes instead"};

// Any file that is neither a regular file, a folder nor a symlink.
OpError NotRegularFile(mode_t mode, const char* syscall, const std::string& path) {
  const char* type = S_ISFIFO(mode)   ? "a FIFO"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                                      : "a file of an unknown type";
  OpError op_error;
  op_error.code = "ERR_NOT_REGULAR_FILE";
  op_error.syscall = syscall;
  op_error.path = path;
  op_error.message =
      absl::StrCat(op_error.code, ": ", type,
                   ", not a regular file (v8snap.fs reads and writes regular "
                   "files only: a FIFO, device or socket can block forever or never end), ",
                   syscall, " '", EscapeControlCharacters(path), "'");
  return op_error;
}

// Why a file that is not a regular file cannot be read or written. A symlink here was swapped
// in after the check (the canonical path has none): refused like O_NOFOLLOW refuses it.
OpError NotAFile(mode_t mode, const char* syscall, const std::string& path) {
  if (S_ISLNK(mode)) return OpError::FromErrno(ELOOP, syscall, path);
  if (S_ISDIR(mode)) return OpError::FromErrno(EISDIR, syscall, path);
  return NotRegularFile(mode, syscall, path);
}

OpError TooLarge(const std::string& path, const std::string& size, const ReadLimit& limit) {
  OpError op_error = OpError::Named(
      "RangeError", absl::StrCat("ERR_FS_FILE_TOO_LARGE: '", EscapeControlCharacters(path), "' ",
                                 size, " bytes, more than the ", limit.max_bytes, " ", limit.holder,
                                 " can hold", limit.advice));
  op_error.code = "ERR_FS_FILE_TOO_LARGE";
  op_error.syscall = "read";
  op_error.path = path;
  return op_error;
}

OpError OutOfMemory(const std::string& path, size_t bytes) {
  OpError op_error = OpError::Named(
      "RangeError", absl::StrCat("ENOMEM: out of memory: cannot allocate ", bytes,
                                 " bytes to read '", EscapeControlCharacters(path), "'"));
  op_error.code = "ENOMEM";
  op_error.syscall = "read";
  op_error.path = path;
  return op_error;
}

// Where a checked path is: the folder holding its last component, opened without following
// symlinks (OpenParentWithoutSymlinks), and that last component's name ("." for "/" itself).
struct Located {
  Fd folder;
  std::string name;
};

// Permissions::Check, then the walk: how every op starts.
OpResult<Located> CheckAndLocate(const Permissions& permissions, Access access,
                                 const std::string& path, const char* syscall,
                                 FinalSymlink final_symlink = FinalSymlink::kFollow) {
  absl::StatusOr<std::string> canonical = permissions.Check(access, path, final_symlink);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), syscall, path);
  Located located;
  located.folder = Fd(OpenParentWithoutSymlinks(*canonical, &located.name));
  if (located.folder.get() < 0) return OpError::FromErrno(errno, syscall, path);
  return located;
}

OpResult<FileBytes> ReadFile(const Permissions& permissions, const std::string& path,
                             const ReadLimit& limit) {
  OpResult<Located> at = CheckAndLocate(permissions, Access::kRead, path, "open");
  if (!at.ok()) return at.error();
  const Located& file = at.value();
  // Look before opening: opening a FIFO waits for a writer, and opening a device can act.
  struct stat st;
  if (fstatat(file.folder.get(), file.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return OpError::FromErrno(errno, "open", path);
  }
  if (!S_ISREG(st.st_mode))
    return NotAFile(st.st_mode, S_ISDIR(st.st_mode) ? "read" : "open", path);
  // O_NONBLOCK: should a FIFO be swapped in since the look, the open must not wait for it.
  Fd fd(openat(file.folder.get(), file.name.c_str(),
               O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) return OpError::FromErrno(errno, "open", path);
  if (fstat(fd.get(), &st) != 0) return OpError::FromErrno(errno, "fstat", path);
  if (!S_ISREG(st.st_mode))
    return NotAFile(st.st_mode, S_ISDIR(st.st_mode) ? "read" : "open", path);
  // Refused before allocating: V8 could not hold it anyway.
  if (static_cast<uint64_t>(st.st_size) > limit.max_bytes) {
    return TooLarge(path, absl::StrCat("has ", st.st_size), limit);
  }
  // st_size is a hint only: files in /proc say 0, and a file may grow while being read.
  FileBytes bytes;
  size_t capacity = st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : 64 * 1024;
  capacity = std::min(capacity, limit.max_bytes + 1);
  if (!bytes.Reserve(capacity)) return OutOfMemory(path, capacity);
  for (;;) {
    if (bytes.size() == bytes.capacity()) {
      if (bytes.size() > limit.max_bytes) {
        return TooLarge(path, absl::StrCat("grew to at least ", bytes.size()), limit);
      }
      capacity = std::min(bytes.capacity() * 2, limit.max_bytes + 1);
      if (!bytes.Reserve(capacity)) return OutOfMemory(path, capacity);
    }
    ssize_t n = read(fd.get(), bytes.data() + bytes.size(), bytes.capacity() - bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return OpError::FromErrno(errno, "read", path);
    if (n == 0) break;
    bytes.Grew(static_cast<size_t>(n));
  }
  // Give back the slack of the last doubling; keeping it is harmless if the system refuses.
  bytes.Reserve(bytes.size());
  return bytes;
}

OpResult<OpDone> WriteFile(const Permissions& permissions, const std::string& path,
                           const std::string& bytes) {
  OpResult<Located> at = CheckAndLocate(permissions, Access::kWrite, path, "open");
  if (!at.ok()) return at.error();
  const Located& file = at.value();
  struct stat st;
  if (fstatat(file.folder.get(), file.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (!S_ISREG(st.st_mode)) return NotAFile(st.st_mode, "open", path);
  } else if (errno != ENOENT) {
    return OpError::FromErrno(errno, "open", path);
  }
  // No O_TRUNC: truncate only once fstat has shown a regular file. O_NONBLOCK: a FIFO swapped
  // in since the look must not block the open (it is refused below).
  Fd fd(openat(file.folder.get(), file.name.c_str(),
               O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0666));
  if (fd.get() < 0) return OpError::FromErrno(errno, "open", path);
  if (fstat(fd.get(), &st) != 0) return OpError::FromErrno(errno, "fstat", path);
  if (!S_ISREG(st.st_mode)) return NotAFile(st.st_mode, "open", path);
  if (ftruncate(fd.get(), 0) != 0) return OpError::FromErrno(errno, "ftruncate", path);
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd.get(), bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return OpError::FromErrno(errno, "write", path);
    written += static_cast<size_t>(n);
  }
  if (fd.Close() != 0) return OpError::FromErrno(errno, "close", path);
  return OpDone{};
}

double Millis(const struct timespec& t) {
  return static_cast<double>(t.tv_sec) * 1000 + static_cast<double>(t.tv_nsec) / 1e6;
}

OpResult<FileStat> Stat(const Permissions& permissions, const std::string& path) {
  OpResult<Located> at = CheckAndLocate(permissions, Access::kRead, path, "stat");
  if (!at.ok()) return at.error();
  const Located& file = at.value();
  struct stat st;
  // The canonical path has no symlinks left; not following keeps it so if one is swapped in.
  if (fstatat(file.folder.get(), file.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return OpError::FromErrno(errno, "stat", path);
  }
  FileStat result;
  result.is_file = S_ISREG(st.st_mode);
  result.is_directory = S_ISDIR(st.st_mode);
  result.is_symlink = S_ISLNK(st.st_mode);
  result.size = static_cast<double>(st.st_size);
  result.mtime_ms = Millis(st.st_mtim);
  result.atime_ms = Millis(st.st_atim);
  result.ctime_ms = Millis(st.st_ctim);
  result.mode = st.st_mode & 07777;
  return result;
}

OpResult<std::vector<DirEntry>> ReadDir(const Permissions& permissions, const std::string& path) {
  OpResult<Located> at = CheckAndLocate(permissions, Access::kRead, path, "opendir");
  if (!at.ok()) return at.error();
  const Located& folder = at.value();
  Fd fd(openat(folder.folder.get(), folder.name.c_str(),
               O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) return OpError::FromErrno(errno, "opendir", path);
  DIR* dir = fdopendir(fd.get());
  if (dir == nullptr) return OpError::FromErrno(errno, "opendir", path);
  fd.Release();
  std::vector<DirEntry> entries;
  errno = 0;
  while (struct dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
    DirEntry e;
    e.name = entry->d_name;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {  // Some file systems do not fill d_type.
      struct stat st;
      if (fstatat(dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        type = S_ISREG(st.st_mode)   ? DT_REG
               : S_ISDIR(st.st_mode) ? DT_DIR
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_UNKNOWN;
      }
    }
    e.is_file = type == DT_REG;
    e.is_directory = type == DT_DIR;
    e.is_symlink = type == DT_LNK;
    entries.push_back(std::move(e));
  }
  int error = errno;
  closedir(dir);
  if (error != 0) return OpError::FromErrno(error, "readdir", path);
  // Sorted, so that output does not depend on the file system's hash order.
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

// Removes `name` in `parent_fd` and, for a folder, everything in it, never following a symlink
// (a link is removed, not what it points to). Returns 0 or an errno.
int RemoveTreeAt(int parent_fd, const char* name) {
  struct stat st;
  if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno;
  if (!S_ISDIR(st.st_mode)) return unlinkat(parent_fd, name, 0) == 0 ? 0 : errno;
  int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno;
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    int error = errno;
    close(fd);
    return error;
  }
  std::vector<std::string> names;
  while (struct dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
      names.push_back(entry->d_name);
    }
  }
  int error = 0;
  for (const std::string& child : names) {
    if ((error = RemoveTreeAt(dirfd(dir), child.c_str())) != 0) break;
  }
  closedir(dir);
  if (error != 0) return error;
  return unlinkat(parent_fd, name, AT_REMOVEDIR) == 0 ? 0 : errno;
}

OpResult<OpDone> Remove(const Permissions& permissions, const std::string& path, bool recursive) {
  // The entry itself is removed, so a final symlink is judged (and removed) as a link.
  OpResult<Located> at =
      CheckAndLocate(permissions, Access::kWrite, path, "remove", FinalSymlink::kNoFollow);
  if (!at.ok()) return at.error();
  const Located& entry = at.value();
  // "/" itself (the only entry named "."): what rmdir("/") says; and a recursive remove must not
  // empty the whole file system first.
  if (entry.name == ".") return OpError::FromErrno(EBUSY, "rmdir", path);
  if (recursive) {
    int error = RemoveTreeAt(entry.folder.get(), entry.name.c_str());
    if (error != 0) return OpError::FromErrno(error, "remove", path);
    return OpDone{};
  }
  struct stat st;
  if (fstatat(entry.folder.get(), entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return OpError::FromErrno(errno, "remove", path);
  }
  if (S_ISDIR(st.st_mode)) {
    if (unlinkat(entry.folder.get(), entry.name.c_str(), AT_REMOVEDIR) != 0) {
      return OpError::FromErrno(errno, "rmdir", path);
    }
  } else if (unlinkat(entry.folder.get(), entry.name.c_str(), 0) != 0) {
    return OpError::FromErrno(errno, "unlink", path);
  }
  return OpDone{};
}

OpResult<OpDone> Mkdir(const Permissions& permissions, const std::string& path, bool recursive) {
  if (!recursive) {
    OpResult<Located> at = CheckAndLocate(permissions, Access::kWrite, path, "mkdir");
    if (!at.ok()) return at.error();
    const Located& target = at.value();
    if (mkdirat(target.folder.get(), target.name.c_str(), 0777) != 0) {
      return OpError::FromErrno(errno, "mkdir", path);
    }
    return OpDone{};
  }
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kWrite, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "mkdir", path);
  // The same walk as CheckAndLocate's, creating each missing folder on the way; each must be
  // writable itself, since creating a parent of the allowed folder is a write outside it.
  Fd folder(OpenRootForWalk());
  if (folder.get() < 0) return OpError::FromErrno(errno, "mkdir", path);
  std::string prefix;
  for (absl::string_view part : absl::StrSplit(*canonical, '/', absl::SkipEmpty())) {
    std::string name(part);
    prefix.append("/").append(name);
    Fd next(OpenFolderStep(folder.get(), name.c_str()));
    if (next.get() < 0 && errno == ENOENT) {
      if (absl::Status allowed = permissions.CheckCanonical(Access::kWrite, prefix, prefix);
          !allowed.ok()) {
        return OpError::FromStatus(allowed, "mkdir", path);
      }
      if (mkdirat(folder.get(), name.c_str(), 0777) != 0 && errno != EEXIST) {
        return OpError::FromErrno(errno, "mkdir", path);
      }
      next = Fd(OpenFolderStep(folder.get(), name.c_str()));
    }
    if (next.get() < 0) return OpError::FromErrno(errno, "mkdir", path);
    folder = std::move(next);
  }
  return OpDone{};
}

// ---- JS-thread halves. ----

// The runtime's permissions, or nullptr with an exception thrown (no runtime: building).
const Permissions* PermissionsFor(v8::Isolate* isolate) {
  RuntimeState* state = RuntimeState::From(isolate);
  if (state == nullptr) {
    ThrowError(isolate, "file ops cannot run while a snapshot is built");
    return nullptr;
  }
  return &state->permissions();
}

// The path argument (a string), or false with a TypeError thrown.
bool PathArg(const v8::FunctionCallbackInfo<v8::Value>& info, std::string* path) {
  if (!info[0]->IsString()) {
    ThrowTypeError(info.GetIsolate(), "path must be a string");
    return false;
  }
  *path = OpArgString(info, 0);
  return true;
}

// The data argument (any ArrayBufferView), copied: the work runs later, on another thread.
bool BytesArg(const v8::FunctionCallbackInfo<v8::Value>& info, std::string* bytes) {
  if (!info[1]->IsArrayBufferView()) {
    ThrowTypeError(info.GetIsolate(), "data must be a Uint8Array");
    return false;
  }
  v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
  bytes->resize(view->ByteLength());
  view->CopyContents(bytes->data(), bytes->size());
  return true;
}

v8::Local<v8::Value> BytesToJs(v8::Isolate* isolate, FileBytes bytes) {
  // The bytes move into the ArrayBuffer without a copy; V8 frees them with the buffer.
  size_t size = bytes.size();
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      bytes.Release(), size, [](void* data, size_t, void*) { std::free(data); }, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return v8::Uint8Array::New(buffer, 0, buffer->ByteLength());
}

v8::Local<v8::Value> TextToJs(v8::Isolate* isolate, FileBytes bytes) {
  // Invalid UTF-8 becomes U+FFFD. ReadFile refused files past V8's string length limit
  // (~512 MiB) already; this is the last guard.
  v8::Local<v8::String> text;
  if (bytes.size() > INT32_MAX ||
      !v8::String::NewFromUtf8(isolate, bytes.data(), v8::NewStringType::kNormal,
                               static_cast<int>(bytes.size()))
           .ToLocal(&text)) {
    ThrowOpError(isolate, OpError::Named("RangeError",
                                         "file is too large for a string; read it with "
                                         "readFile (bytes) instead"));
    return {};
  }
  return text;
}

v8::Local<v8::Value> DoneToJs(v8::Isolate* isolate, OpDone) { return v8::Undefined(isolate); }

void Set(v8::Local<v8::Context> context, v8::Local<v8::Object> object, const char* key,
         v8::Local<v8::Value> value) {
  object->Set(context, OpString(context->GetIsolate(), key), value).Check();
}

v8::Local<v8::Value> StatToJs(v8::Isolate* isolate, FileStat stat) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> object = v8::Object::New(isolate);
  Set(context, object, "isFile", v8::Boolean::New(isolate, stat.is_file));
  Set(context, object, "isDirectory", v8::Boolean::New(isolate, stat.is_directory));
  Set(context, object, "isSymlink", v8::Boolean::New(isolate, stat.is_symlink));
  Set(context, object, "size", v8::Number::New(isolate, stat.size));
  Set(context, object, "mtime", v8::Date::New(context, stat.mtime_ms).ToLocalChecked());
  Set(context, object, "atime", v8::Date::New(context, stat.atime_ms).ToLocalChecked());
  Set(context, object, "ctime", v8::Date::New(context, stat.ctime_ms).ToLocalChecked());
  Set(context, object, "mode", v8::Integer::NewFromUnsigned(isolate, stat.mode));
  return object;
}

v8::Local<v8::Value> EntriesToJs(v8::Isolate* isolate, std::vector<DirEntry> entries) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> array = v8::Array::New(isolate, static_cast<int>(entries.size()));
  for (size_t i = 0; i < entries.size(); ++i) {
    v8::Local<v8::Object> object = v8::Object::New(isolate);
    Set(context, object, "name", OpString(isolate, entries[i].name));
    Set(context, object, "isFile", v8::Boolean::New(isolate, entries[i].is_file));
    Set(context, object, "isDirectory", v8::Boolean::New(isolate, entries[i].is_directory));
    Set(context, object, "isSymlink", v8::Boolean::New(isolate, entries[i].is_symlink));
    array->Set(context, static_cast<uint32_t>(i), object).Check();
  }
  return array;
}

// Each op: parse arguments on the JS thread, then the shared work function either now (sync)
// or on the thread pool (async). One C++ function per op: the snapshot binds ops by address.

void OpReadFileSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, ReadFile(*permissions, path, kBytesLimit), BytesToJs);
}

void OpReadFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info, [permissions, path] { return ReadFile(*permissions, path, kBytesLimit); }, BytesToJs);
}

void OpReadTextFileSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, ReadFile(*permissions, path, kTextLimit), TextToJs);
}

void OpReadTextFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info, [permissions, path] { return ReadFile(*permissions, path, kTextLimit); }, TextToJs);
}

void OpWriteFileSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path, bytes;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path) || !BytesArg(info, &bytes)) return;
  ReturnSync(info, WriteFile(*permissions, path, bytes), DoneToJs);
}

void OpWriteFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path, bytes;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path) || !BytesArg(info, &bytes)) return;
  ReturnAsync(
      info,
      [permissions, path, bytes = std::move(bytes)] {
        return WriteFile(*permissions, path, bytes);
      },
      DoneToJs);
}

void OpWriteTextFileSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, WriteFile(*permissions, path, OpArgString(info, 1)), DoneToJs);
}

void OpWriteTextFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info,
      [permissions, path, text = OpArgString(info, 1)] {
        return WriteFile(*permissions, path, text);
      },
      DoneToJs);
}

void OpStatSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, Stat(*permissions, path), StatToJs);
}

void OpStat(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info, [permissions, path] { return Stat(*permissions, path); }, StatToJs);
}

void OpReadDirSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, ReadDir(*permissions, path), EntriesToJs);
}

void OpReadDir(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info, [permissions, path] { return ReadDir(*permissions, path); }, EntriesToJs);
}

void OpRemoveSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, Remove(*permissions, path, info[1]->IsTrue()), DoneToJs);
}

void OpRemove(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info,
      [permissions, path, recursive = info[1]->IsTrue()] {
        return Remove(*permissions, path, recursive);
      },
      DoneToJs);
}

void OpMkdirSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, Mkdir(*permissions, path, info[1]->IsTrue()), DoneToJs);
}

void OpMkdir(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(
      info,
      [permissions, path, recursive = info[1]->IsTrue()] {
        return Mkdir(*permissions, path, recursive);
      },
      DoneToJs);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(
    fs, {
            {"op_fs_read_file_sync", v8snap::OpReadFileSync, 1, v8snap::OpMode::kSync},
            {"op_fs_read_file", v8snap::OpReadFile, 1, v8snap::OpMode::kAsync},
            {"op_fs_read_text_file_sync", v8snap::OpReadTextFileSync, 1, v8snap::OpMode::kSync},
            {"op_fs_read_text_file", v8snap::OpReadTextFile, 1, v8snap::OpMode::kAsync},
            {"op_fs_write_file_sync", v8snap::OpWriteFileSync, 2, v8snap::OpMode::kSync},
            {"op_fs_write_file", v8snap::OpWriteFile, 2, v8snap::OpMode::kAsync},
            {"op_fs_write_text_file_sync", v8snap::OpWriteTextFileSync, 2, v8snap::OpMode::kSync},
            {"op_fs_write_text_file", v8snap::OpWriteTextFile, 2, v8snap::OpMode::kAsync},
            {"op_fs_stat_sync", v8snap::OpStatSync, 1, v8snap::OpMode::kSync},
            {"op_fs_stat", v8snap::OpStat, 1, v8snap::OpMode::kAsync},
            {"op_fs_read_dir_sync", v8snap::OpReadDirSync, 1, v8snap::OpMode::kSync},
            {"op_fs_read_dir", v8snap::OpReadDir, 1, v8snap::OpMode::kAsync},
            {"op_fs_remove_sync", v8snap::OpRemoveSync, 2, v8snap::OpMode::kSync},
            {"op_fs_remove", v8snap::OpRemove, 2, v8snap::OpMode::kAsync},
            {"op_fs_mkdir_sync", v8snap::OpMkdirSync, 2, v8snap::OpMode::kSync},
            {"op_fs_mkdir", v8snap::OpMkdir, 2, v8snap::OpMode::kAsync},
        });
