// End to end: the permission boundary against hard-to-see paths (/proc/self links, trailing
// slashes, ".." after a file), a file or a folder swapped for a symlink while a script works on
// it, files that are not regular files (FIFOs, devices) or too large to hold, and the resource
// limits (--max-heap-mb, --timeout-ms). Runs on the default snapshot that `ninja` builds
// (out/.../default.bin), configured by snapshot_run's own manifest.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <thread>

#include "absl/strings/str_replace.h"
#include "compat/v8_compat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SecurityTest : public ::testing::Test {
 protected:
  // <tmp>/allowed/file.txt ("hello"), <tmp>/secret/s.txt ("secret").
  void SetUp() override {
    char real[PATH_MAX];
    ASSERT_NE(realpath(tmp_.path().c_str(), real), nullptr);
    root_ = real;
    tmp_.Write("allowed/file.txt", "hello");
    tmp_.Write("secret/s.txt", "secret");
  }
  ToolResult Run(const std::string& script, std::vector<std::string> flags,
                 const std::string& cwd = "") {
    std::vector<std::string> args = {"--snapshot", ToolPath("default.bin")};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(tmp_.Write("main.js", script));
    return RunTool("snapshot_run", args, cwd.empty() ? root_ : cwd);
  }
  // Reads `path` with readTextFileSync: "ok <text>" or the error's name.
  std::string Read(const std::string& path, std::vector<std::string> flags,
                   const std::string& cwd = "") {
    std::string p = absl::StrReplaceAll(path, {{"$T", root_}});
    ToolResult r = Run("try { console.log('ok ' + v8snap.fs.readTextFileSync('" + p +
                           "')); } catch (e) { console.log(e.name); }",
                       flags, cwd);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.empty() ? r.out : r.out.substr(0, r.out.size() - 1);
  }
  TempDir tmp_;
  std::string root_;
};

TEST_F(SecurityTest, HardToSeePathsResolveBeforeTheCheck) {
  const std::vector<std::string> allow = {"--allow-read=allowed"};
  struct Case {
    const char* path;
    std::vector<std::string> acceptable;
  };
  // Paths through /proc's magic links are refused one way or the other (the check, or the open
  // that will not follow a symlink it did not check); what matters is that none reads the secret.
  const std::vector<std::string> refused = {"PermissionDenied", "Error"};
  for (const Case& c : std::vector<Case>{
           {"allowed/file.txt", {"ok hello"}},
           {"/proc/self/root$T/allowed/file.txt", {"ok hello", "Error"}},
           {"/proc/self/root$T/secret/s.txt", refused},
           {"/proc/self/cwd/secret/s.txt", refused},
           {"allowed//..//secret/s.txt", {"PermissionDenied"}},
           {"allowed/./../secret/s.txt", {"PermissionDenied"}},
           // ".." through a file: ENOTDIR, as the kernel says, not a way around the check.
           {"allowed/file.txt/../../secret/s.txt", {"Error"}},
           {"allowed/file.txt/", {"Error"}},
           // Outside the grant, even a path that cannot resolve is just refused.
           {"secret/s.txt/..", {"PermissionDenied"}},
           {"secret/missing/../s.txt", {"PermissionDenied"}},
           {"$T//allowed///file.txt", {"ok hello"}},
           {"$T/allowed/../secret/./s.txt", {"PermissionDenied"}},
           {"./secret/s.txt", {"PermissionDenied"}},
       }) {
    EXPECT_THAT(c.acceptable, ::testing::Contains(Read(c.path, allow))) << c.path;
  }
}

// procfs reports a size of 0 for its links; resolving /proc/self/cwd must still reach the real
// folder, so that a grant of it grants that folder and nothing else.
TEST_F(SecurityTest, ProcSelfLinksGrantWhereTheyLead) {
  const std::string allowed = root_ + "/allowed";
  for (const char* flag : {"--allow-read=/proc/self/cwd", "--allow-read=/proc/self/cwd/"}) {
    EXPECT_EQ(Read("file.txt", {flag}, allowed), "ok hello") << flag;
    EXPECT_EQ(Read("$T/secret/s.txt", {flag}, allowed), "PermissionDenied") << flag;
    EXPECT_EQ(Read("/etc/hostname", {flag}, allowed), "PermissionDenied") << flag;
  }
  ToolResult write =
      Run("for (const p of ['allowed/new.txt', 'secret/new.txt']) {\n"
          "  try { v8snap.fs.writeTextFileSync(p, 'x'); console.log('ok ' + p); }\n"
          "  catch (e) { console.log(e.name + ' ' + p); }\n"
          "}\n",
          {"--allow-write=/proc/self/cwd/allowed"});
  EXPECT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(write.out, "ok allowed/new.txt\nPermissionDenied secret/new.txt\n");
  // Denials show where /proc/self really leads, not a truncated "/proc/<first digit>".
  ToolResult shown =
      Run("try { v8snap.fs.readTextFileSync('/proc/self/cwd/secret/s.txt'); }\n"
          "catch (e) { console.log(e.message); }\n",
          {"--allow-read=allowed"});
  EXPECT_THAT(shown.out, HasSubstr("(resolved to \"" + root_ + "/secret/s.txt\")"));
}

TEST_F(SecurityTest, TrailingDotsOnFoldersAreNotAWayOut) {
  ToolResult r = Run(
      "const show = (f) => { try { return 'ok ' + f().length; } catch (e) { return e.name; } };\n"
      "console.log(show(() => v8snap.fs.readDirSync('allowed/.')));\n"
      "console.log(show(() => v8snap.fs.readDirSync('allowed/..')));\n"
      "console.log(show(() => v8snap.fs.readDirSync('allowed/../.')));\n",
      {"--allow-read=allowed"});
  EXPECT_EQ(r.out, "ok 1\nPermissionDenied\nPermissionDenied\n") << r.err;
}

TEST_F(SecurityTest, RelativeGrantsAndPathsUseTheWorkingFolder) {
  std::string allowed = root_ + "/allowed";
  EXPECT_EQ(Read("file.txt", {"--allow-read=."}, allowed), "ok hello");
  EXPECT_EQ(Read("../secret/s.txt", {"--allow-read=."}, allowed), "PermissionDenied");
  EXPECT_EQ(Read("$T/secret/s.txt", {"--allow-read=."}, allowed), "PermissionDenied");
}

// A file swapped for a symlink to a secret while a script reads it in a loop: every read gives
// the allowed contents or an error, never the secret.
TEST_F(SecurityTest, SymlinkSwappedInDuringReadsNeverLeaks) {
  const std::string swap = root_ + "/allowed/swap.txt";
  const std::string plain = root_ + "/allowed/plain.txt";
  const std::string link = root_ + "/allowed/link.txt";
  tmp_.Write("allowed/plain.txt", "public");
  ASSERT_EQ(symlink((root_ + "/secret/s.txt").c_str(), link.c_str()), 0);
  std::string copy = "cp -a '" + plain + "' '" + swap + "'";
  ASSERT_EQ(std::system(copy.c_str()), 0);

  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    // Alternate swap.txt between a regular file and a symlink to the secret, atomically.
    const std::string tmp_file = root_ + "/allowed/.swap-file";
    const std::string tmp_link = root_ + "/allowed/.swap-link";
    int n = 0;
    while (!stop) {
      usleep(2000);
      if (n++ % 2 == 0) {
        unlink(tmp_link.c_str());
        symlink((root_ + "/secret/s.txt").c_str(), tmp_link.c_str());
        rename(tmp_link.c_str(), swap.c_str());
      } else {
        std::system(("cp '" + plain + "' '" + tmp_file + "'").c_str());
        rename(tmp_file.c_str(), swap.c_str());
      }
    }
  });
  ToolResult r =
      Run("const seen = {};\n"
          "const end = Date.now() + 400;\n"
          "while (Date.now() < end) {\n"
          "  let got;\n"
          "  try { got = v8snap.fs.readTextFileSync('allowed/swap.txt'); } catch (e) { got = "
          "e.name; }\n"
          "  seen[got] = (seen[got] || 0) + 1;\n"
          "}\n"
          "console.log(JSON.stringify(Object.keys(seen).sort()));\n"
          "console.log(seen.secret ? 'LEAKED ' + seen.secret : 'no leak');\n",
          {"--allow-read=allowed"});
  stop = true;
  swapper.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no leak"));
  EXPECT_THAT(r.out, HasSubstr("public"));
}

// Swaps two directory entries atomically where the file system can (RENAME_EXCHANGE), else in
// two renames (the entry is briefly missing, which a reader sees as ENOENT).
void Exchange(const std::string& a, const std::string& b, const std::string& spare) {
  if (renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return;
  rename(a.c_str(), spare.c_str());
  rename(b.c_str(), a.c_str());
  rename(spare.c_str(), b.c_str());
}

// A folder in the middle of a checked path swapped for a symlink to a secret folder while a
// script reads, writes and lists through it in a loop: the check saw a real folder, and the op
// must not then follow the symlink (each component is opened without following symlinks).
TEST_F(SecurityTest, FolderSwappedForASymlinkMidPathNeverLeaks) {
  tmp_.Write("allowed/dir/s.txt", "public");
  tmp_.Write("secret/only-in-secret.txt", "secret");
  const std::string dir = root_ + "/allowed/dir";
  const std::string link = root_ + "/allowed/link";
  ASSERT_EQ(symlink((root_ + "/secret").c_str(), link.c_str()), 0);

  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    // allowed/dir is a real folder and allowed/link a symlink to the secret, then the other way
    // round, and back.
    while (!stop) {
      Exchange(dir, link, root_ + "/allowed/.spare");
      usleep(50);
    }
  });
  ToolResult r =
      Run("const seen = {};\n"
          "const note = (what) => { seen[what] = (seen[what] || 0) + 1; };\n"
          "const fs = v8snap.fs;\n"
          "const end = Date.now() + 400;\n"
          "while (Date.now() < end) {\n"
          "  try { note('read ' + fs.readTextFileSync('allowed/dir/s.txt')); }\n"
          "  catch (e) { note('read ' + (e.code || e.name)); }\n"
          "  try { fs.writeTextFileSync('allowed/dir/w.txt', 'w'); note('write ok'); }\n"
          "  catch (e) { note('write ' + (e.code || e.name)); }\n"
          "  try {\n"
          "    const names = fs.readDirSync('allowed/dir').map((e) => e.name);\n"
          "    note(names.includes('only-in-secret.txt') ? 'list LEAKED' : 'list ok');\n"
          "  } catch (e) { note('list ' + (e.code || e.name)); }\n"
          "}\n"
          "console.log(JSON.stringify(seen));\n",
          {"--allow-read=allowed", "--allow-write=allowed"});
  stop = true;
  swapper.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("read secret")));
  EXPECT_THAT(r.out, Not(HasSubstr("LEAKED")));
  EXPECT_THAT(r.out, HasSubstr("read public"));
  struct stat st;
  EXPECT_NE(lstat((root_ + "/secret/w.txt").c_str(), &st), 0) << "written into the secret folder";
  // s.txt is where the swapper left the real folder: still the public file.
  EXPECT_EQ(tmp_.Read("secret/only-in-secret.txt"), "secret");
}

// The test's end of a FIFO: a thread that blocks opening it (for reading or writing) until the
// runtime opens the other end, which happens only if the runtime opens the FIFO at all, and then
// writes a few bytes or reads to the end. So a regression shows up as the script reading or
// writing the FIFO, not as a hang. When done, the thread is released by an O_RDWR open (which
// never blocks) and does nothing more. No timing involved.
class FifoPartner {
 public:
  FifoPartner(const std::string& fifo, int flags) : fifo_(fifo) {
    thread_ = std::thread([this, flags] {
      int fd = open(fifo_.c_str(), flags | O_CLOEXEC);
      if (fd < 0) return;
      if (!released_ && (flags & O_ACCMODE) == O_WRONLY) {
        (void)!write(fd, "from the fifo", 13);
      } else if (!released_) {
        char buffer[64];
        while (read(fd, buffer, sizeof buffer) > 0) {
        }
      }
      close(fd);
    });
  }
  // Called once the run is over: a runtime that opened the FIFO waited for this thread's read or
  // write, so by now the thread is either done or still blocked in open.
  ~FifoPartner() {
    released_ = true;
    int fd = open(fifo_.c_str(), O_RDWR | O_CLOEXEC);
    thread_.join();
    if (fd >= 0) close(fd);
  }

 private:
  std::string fifo_;
  std::atomic<bool> released_{false};
  std::thread thread_;
};

TEST_F(SecurityTest, FifosAreRefusedNotWaitedOn) {
  const std::string fifo = root_ + "/allowed/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  const std::vector<std::string> flags = {"--allow-read=allowed", "--allow-write=allowed",
                                          "--timeout-ms=60000"};
  const std::string refused =
      "Error ERR_NOT_REGULAR_FILE: ERR_NOT_REGULAR_FILE: a FIFO, not a "
      "regular file (v8snap.fs reads and writes regular files only: a "
      "FIFO, device or socket can block forever or never end), ";
  struct Case {
    const char* call;
    int partner;  // how the test's end of the FIFO opens
    const char* syscall;
  };
  for (const Case& c : std::vector<Case>{
           {"fs.readFileSync('allowed/fifo')", O_WRONLY, "open"},
           {"fs.readTextFileSync('allowed/fifo')", O_WRONLY, "open"},
           {"await fs.readFile('allowed/fifo')", O_WRONLY, "open"},
           {"await fs.readTextFile('allowed/fifo')", O_WRONLY, "open"},
           {"fs.writeTextFileSync('allowed/fifo', 'x')", O_RDONLY, "open"},
           {"await fs.writeFile('allowed/fifo', new Uint8Array(1))", O_RDONLY, "open"},
       }) {
    ToolResult r;
    {
      FifoPartner partner(fifo, c.partner);
      r = Run(std::string("const fs = v8snap.fs;\n"
                          "try { console.log('ok ' + ") +
                  c.call + "); } catch (e) { console.log(`${e.name} ${e.code}: ${e.message}`); }\n",
              flags);
    }
    EXPECT_EQ(r.exit_code, 0) << c.call << "\n" << r.err;
    EXPECT_EQ(r.out, refused + c.syscall + " 'allowed/fifo'\n") << c.call;
  }
  // Looking at a FIFO does not open it.
  ToolResult stat =
      Run("const s = v8snap.fs.statSync('allowed/fifo');\n"
          "console.log(s.isFile, s.isDirectory, s.isSymlink);\n",
          flags);
  EXPECT_EQ(stat.out, "false false false\n") << stat.err;
}

// Devices under a grant: /dev/zero never ends (reading it used to grow a buffer until
// std::bad_alloc killed the process) and /dev/null is not a file to replace.
TEST_F(SecurityTest, DevicesAreRefused) {
  ToolResult r =
      Run("const fs = v8snap.fs;\n"
          "const show = (e) => `${e.name} ${e.code} ${e.path}: ${e.message.split(' (')[0]}`;\n"
          "for (const f of [() => fs.readFileSync('/dev/zero'),\n"
          "                 () => fs.readTextFileSync('/dev/zero'),\n"
          "                 () => fs.writeTextFileSync('/dev/null', 'x')]) {\n"
          "  try { f(); console.log('ok'); } catch (e) { console.log(show(e)); }\n"
          "}\n"
          "try { await fs.readFile('/dev/zero'); console.log('ok'); } catch (e) { "
          "console.log(show(e)); }\n",
          {"--allow-read=/dev/zero", "--allow-write=/dev/null"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string zero =
      "Error ERR_NOT_REGULAR_FILE /dev/zero: ERR_NOT_REGULAR_FILE: a character device, not a "
      "regular file\n";
  EXPECT_EQ(r.out, zero + zero +
                       "Error ERR_NOT_REGULAR_FILE /dev/null: ERR_NOT_REGULAR_FILE: a character "
                       "device, not a regular file\n" +
                       zero);
}

// A sparse file of `size` bytes (no disk space used) at <tmp>/allowed/<name>.
std::string Sparse(const std::string& root, const std::string& name, uint64_t size) {
  std::string path = root + "/allowed/" + name;
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
  close(fd);
  return path;
}

// Larger than V8 can hold as a Uint8Array (compat::kMaxUint8ArrayLength: 4 GiB on V8 10.2,
// 2^53 - 1 bytes on 13.6) or a string (2^29 - 24 characters): a RangeError naming the file and its
// size, before anything is allocated. A file past 13.6's Uint8Array limit is past what this
// machine's file system holds (ext4: 16 TiB), so there only the string limit can be met.
TEST_F(SecurityTest, FilesTooLargeForJsAreARangeError) {
  const uint64_t kMaxBytes = compat::kMaxUint8ArrayLength;
  const uint64_t kMaxString = (uint64_t{1} << 29) - 24;
  const std::string huge_path = root_ + "/allowed/huge.bin";
  bool huge_made = false;
  if (int fd = open(huge_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); fd >= 0) {
    huge_made = ftruncate(fd, static_cast<off_t>(std::min<uint64_t>(kMaxBytes + 1, INT64_MAX))) ==
                0;
    close(fd);
  }
  Sparse(root_, "big.txt", kMaxString + 1);
  std::string script =
      "const fs = v8snap.fs;\n"
      "const show = (e) => `${e.name} ${e.code} ${e.path}: ${e.message}`;\n";
  std::string expected;
  if (huge_made) {
    script +=
        "try { fs.readFileSync('allowed/huge.bin'); } catch (e) { console.log(show(e)); }\n"
        "try { await fs.readFile('allowed/huge.bin'); } catch (e) { console.log(show(e)); }\n";
    const std::string huge = "RangeError ERR_FS_FILE_TOO_LARGE allowed/huge.bin: "
                             "ERR_FS_FILE_TOO_LARGE: 'allowed/huge.bin' has " +
                             std::to_string(kMaxBytes + 1) + " bytes, more than the " +
                             std::to_string(kMaxBytes) + " a Uint8Array can hold\n";
    expected = huge + huge;
  }
  script += "try { fs.readTextFileSync('allowed/big.txt'); } catch (e) { console.log(show(e)); }\n";
  ToolResult r = Run(script, {"--allow-read=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, expected +
                       "RangeError ERR_FS_FILE_TOO_LARGE allowed/big.txt: ERR_FS_FILE_TOO_LARGE: "
                       "'allowed/big.txt' has 536870889 bytes, more than the 536870888 a string "
                       "can hold; readFile returns the bytes instead\n");
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// A file V8 could hold but memory cannot: with the address space capped (ulimit -v) below the
// file's size, the read fails with a RangeError, never std::bad_alloc and an abort. (Sanitizer
// runtimes reserve terabytes of address space, so a cap cannot be tested under them.)
TEST_F(SecurityTest, FileLargerThanMemoryIsARangeError) {
  Sparse(root_, "large.bin", uint64_t{3} << 30);
  std::string script =
      tmp_.Write("main.js",
                 "try { v8snap.fs.readFileSync('allowed/large.bin'); console.log('read'); }\n"
                 "catch (e) { console.log(`${e.name} ${e.code}: ${e.message}`); }\n");
  // 2 GiB of address space: enough for V8, not for the file.
  ToolResult r = RunTool("/bin/sh",
                         {"-c", "ulimit -v 2097152 && exec \"$0\" \"$@\"", ToolPath("snapshot_run"),
                          "--snapshot", ToolPath("default.bin"), "--allow-read=allowed", script},
                         root_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "RangeError ENOMEM: ENOMEM: out of memory: cannot allocate 3221225473 bytes to read "
            "'allowed/large.bin'\n");
}
#endif

TEST_F(SecurityTest, HeapLimitStopsTheScriptCleanly) {
  ToolResult r = Run("const keep = [];\nwhile (true) keep.push(new Array(100000).fill(1.5));\n",
                     {"--max-heap-mb=64"});
  EXPECT_EQ(r.exit_code, 1) << "must be a clean exit 1, not a signal";
  EXPECT_THAT(r.err, HasSubstr("out of memory"));
  EXPECT_THAT(r.err, HasSubstr("64 MiB"));
}

TEST_F(SecurityTest, TimeoutStopsABusyScript) {
  ToolResult r = Run("console.log('started');\nwhile (true) {}\n", {"--timeout-ms=300"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_THAT(r.err, HasSubstr("timed out"));
}

TEST_F(SecurityTest, TimeoutStopsAScriptWaitingOnATimer) {
  ToolResult r = Run("setTimeout(() => console.log('late'), 600000);\n", {"--timeout-ms=300"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("timed out"));
}

TEST_F(SecurityTest, ScriptsWithinTheLimitsRunNormally) {
  ToolResult r = Run("setTimeout(() => console.log('on time'), 20);\n",
                     {"--timeout-ms=5000", "--max-heap-mb=128"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "on time\n");
}

}  // namespace
}  // namespace v8snap::testing
