// The `fs` extension's ops: files and folders, each as a sync op and an async twin that share
// one work function (so both give the same bytes and the same errors). Every work function
// asks Permissions::Check first and then touches only the canonical path it returns, opening
// the last component with O_NOFOLLOW so a symlink swapped in after the check is not followed.
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
#include <vector>

#include "absl/strings/str_split.h"
#include "runtime/async_ops.h"
#include "runtime/event_loop.h"
#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "runtime/permissions.h"
#include "v8-array-buffer.h"
#include "v8-container.h"
#include "v8-date.h"
#include "v8-object.h"
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
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // close(2)'s own result: a write's error can surface only here (NFS, quotas).
  int Close() {
    int result = close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

OpResult<std::string> ReadFile(const Permissions& permissions, const std::string& path) {
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kRead, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "open", path);
  Fd fd(open(canonical->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return OpError::FromErrno(errno, "open", path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return OpError::FromErrno(errno, "fstat", path);
  if (S_ISDIR(st.st_mode)) return OpError::FromErrno(EISDIR, "read", path);
  std::string bytes;
  // st_size is a hint only: files in /proc say 0, and a file may grow while being read.
  bytes.resize(S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1
                                                     : 64 * 1024);
  size_t used = 0;
  for (;;) {
    if (used == bytes.size()) bytes.resize(bytes.size() * 2);
    ssize_t n = read(fd.get(), bytes.data() + used, bytes.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return OpError::FromErrno(errno, "read", path);
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  bytes.resize(used);
  return bytes;
}

OpResult<OpDone> WriteFile(const Permissions& permissions, const std::string& path,
                           const std::string& bytes) {
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kWrite, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "open", path);
  Fd fd(open(canonical->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666));
  if (fd.get() < 0) return OpError::FromErrno(errno, "open", path);
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
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kRead, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "stat", path);
  struct stat st;
  // The canonical path has no symlinks left; lstat keeps it so if one is swapped in.
  if (lstat(canonical->c_str(), &st) != 0) return OpError::FromErrno(errno, "stat", path);
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
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kRead, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "opendir", path);
  int fd = open(canonical->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return OpError::FromErrno(errno, "opendir", path);
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    int error = errno;
    close(fd);
    return OpError::FromErrno(error, "opendir", path);
  }
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
        type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR
                                            : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
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
  absl::StatusOr<std::string> canonical =
      permissions.Check(Access::kWrite, path, FinalSymlink::kNoFollow);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "remove", path);
  if (recursive) {
    int error = RemoveTreeAt(AT_FDCWD, canonical->c_str());
    if (error != 0) return OpError::FromErrno(error, "remove", path);
    return OpDone{};
  }
  struct stat st;
  if (lstat(canonical->c_str(), &st) != 0) return OpError::FromErrno(errno, "remove", path);
  if (S_ISDIR(st.st_mode)) {
    if (rmdir(canonical->c_str()) != 0) return OpError::FromErrno(errno, "rmdir", path);
  } else if (unlink(canonical->c_str()) != 0) {
    return OpError::FromErrno(errno, "unlink", path);
  }
  return OpDone{};
}

OpResult<OpDone> Mkdir(const Permissions& permissions, const std::string& path, bool recursive) {
  absl::StatusOr<std::string> canonical = permissions.Check(Access::kWrite, path);
  if (!canonical.ok()) return OpError::FromStatus(canonical.status(), "mkdir", path);
  if (!recursive) {
    if (mkdir(canonical->c_str(), 0777) != 0) return OpError::FromErrno(errno, "mkdir", path);
    return OpDone{};
  }
  // Create each missing folder from the top; each must be writable itself, since creating a
  // parent of the allowed folder is a write outside it.
  std::string prefix;
  for (absl::string_view part : absl::StrSplit(*canonical, '/', absl::SkipEmpty())) {
    prefix.append("/").append(part.data(), part.size());
    struct stat st;
    if (stat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return OpError::FromErrno(ENOTDIR, "mkdir", path);
      continue;
    }
    if (absl::Status allowed = permissions.CheckCanonical(Access::kWrite, prefix, prefix);
        !allowed.ok()) {
      return OpError::FromStatus(allowed, "mkdir", path);
    }
    if (mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      return OpError::FromErrno(errno, "mkdir", path);
    }
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

v8::Local<v8::Value> BytesToJs(v8::Isolate* isolate, std::string bytes) {
  // The bytes move into the ArrayBuffer without a copy; V8 deletes the string with the buffer.
  auto* owned = new std::string(std::move(bytes));
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
      owned->data(), owned->size(),
      [](void*, size_t, void* data) { delete static_cast<std::string*>(data); }, owned);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return v8::Uint8Array::New(buffer, 0, buffer->ByteLength());
}

v8::Local<v8::Value> TextToJs(v8::Isolate* isolate, std::string bytes) {
  // Invalid UTF-8 becomes U+FFFD. Fails only past V8's string length limit (~512 MiB).
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
  ReturnSync(info, ReadFile(*permissions, path), BytesToJs);
}

void OpReadFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(info, [permissions, path] { return ReadFile(*permissions, path); }, BytesToJs);
}

void OpReadTextFileSync(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnSync(info, ReadFile(*permissions, path), TextToJs);
}

void OpReadTextFile(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string path;
  const Permissions* permissions = PermissionsFor(info.GetIsolate());
  if (permissions == nullptr || !PathArg(info, &path)) return;
  ReturnAsync(info, [permissions, path] { return ReadFile(*permissions, path); }, TextToJs);
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
  ReturnAsync(info, [permissions, path] { return Stat(*permissions, path); }, StatToJs);
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
  ReturnAsync(info, [permissions, path] { return ReadDir(*permissions, path); }, EntriesToJs);
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

V8SNAP_REGISTER_EXTENSION(fs, {
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
