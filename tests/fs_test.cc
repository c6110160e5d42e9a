// End to end: v8snap.fs through snapshot_run, with --allow-read / --allow-write. Allowed and
// denied reads and writes, ".." traversal, symlinks out of an allowed folder, absolute paths
// outside it, and sync vs async giving the same bytes. Scripts run in a temp folder holding:
//   allowed/file.txt ("hello")   allowed/in -> file.txt      allowed/out -> ../secret
//   allowed/abs -> <tmp>/secret  allowed/dangling -> ../secret/created.txt
//   secret/s.txt ("secret")      alias -> allowed
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kLoopManifest[] = "tests/fixtures/runtime/loop.textproto";

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

class FsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_dir_ = new TempDir();
    ToolResult build =
        RunTool("snapshot_builder", {"--manifest", SourcePath(kLoopManifest), "--out", Snap()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() {
    delete snapshot_dir_;
    snapshot_dir_ = nullptr;
  }
  static std::string Snap() { return snapshot_dir_->path() + "/loop.bin"; }

  void SetUp() override {
    char real[PATH_MAX];
    ASSERT_NE(realpath(tmp_.path().c_str(), real), nullptr);
    root_ = real;
    tmp_.Write("allowed/file.txt", "hello");
    tmp_.Write("secret/s.txt", "secret");
    Link("file.txt", "allowed/in");
    Link("../secret", "allowed/out");
    Link(root_ + "/secret", "allowed/abs");
    Link("../secret/created.txt", "allowed/dangling");
    Link("allowed", "alias");
  }
  void Link(const std::string& target, const std::string& name) {
    ASSERT_EQ(symlink(target.c_str(), (root_ + "/" + name).c_str()), 0);
  }

  // Runs `script` in the temp folder, after a prelude defining:
  //   fs = v8snap.fs;  sync(f) / async_(f): "ok <result>" or "<name> <code>: <message>".
  ToolResult Run(const std::string& script, std::vector<std::string> flags = {}) {
    static const char kPrelude[] =
        "const fs = v8snap.fs;\n"
        "const show = (e) => `${e.name}${e.code ? ' ' + e.code : ''}: ${e.message}`;\n"
        "const sync = (f) => { try { return 'ok ' + f(); } catch (e) { return show(e); } };\n"
        "const async_ = async (f) => { try { return 'ok ' + await f(); } "
        "catch (e) { return show(e); } };\n";
    std::vector<std::string> args = {"--snapshot", Snap(), "--manifest", SourcePath(kLoopManifest)};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(tmp_.Write("main.js", kPrelude + script));
    return RunTool("snapshot_run", args, tmp_.path());
  }
  // "$T" stands for the temp folder's canonical path in expectations.
  std::string T(const std::string& text) const {
    return absl::StrReplaceAll(text, {{"$T", root_}});
  }

  static TempDir* snapshot_dir_;
  TempDir tmp_;
  std::string root_;
};

TempDir* FsTest::snapshot_dir_ = nullptr;

struct Case {
  std::vector<std::string> flags;
  std::string path;  // "$T" for the temp folder
  std::string result;
};

std::string Denied(const std::string& access, const std::string& path,
                   const std::string& resolved) {
  std::string flag = access == "read" ? "--allow-read" : "--allow-write";
  return "PermissionDenied ERR_PERMISSION_DENIED: " + access + " access to \"" + path + "\"" +
         (resolved == path ? "" : " (resolved to \"" + resolved + "\")") + " is denied; run with " +
         flag + "=" + resolved + " (or a folder containing it) to grant it";
}

TEST_F(FsTest, ReadsAllowedAndDenied) {
  for (const Case& c : std::vector<Case>{
           {{"--allow-read=allowed"}, "allowed/file.txt", "ok hello"},
           {{"--allow-read=allowed"}, "allowed/in", "ok hello"},
           {{"--allow-read=alias"}, "allowed/file.txt", "ok hello"},
           {{"--allow-read"}, "secret/s.txt", "ok secret"},
           {{"--allow-read=allowed,secret"}, "secret/s.txt", "ok secret"},
           {{"--allow-read=allowed", "--allow-read=secret"}, "secret/s.txt", "ok secret"},
           {{}, "allowed/file.txt", Denied("read", "allowed/file.txt", "$T/allowed/file.txt")},
           {{"--allow-write=allowed"},
            "allowed/file.txt",
            Denied("read", "allowed/file.txt", "$T/allowed/file.txt")},
           {{"--allow-read=allowed"},
            "allowed/../secret/s.txt",
            Denied("read", "allowed/../secret/s.txt", "$T/secret/s.txt")},
           {{"--allow-read=allowed"},
            "allowed/out/s.txt",
            Denied("read", "allowed/out/s.txt", "$T/secret/s.txt")},
           {{"--allow-read=allowed"},
            "allowed/abs/s.txt",
            Denied("read", "allowed/abs/s.txt", "$T/secret/s.txt")},
           {{"--allow-read=allowed"},
            "$T/secret/s.txt",
            Denied("read", "$T/secret/s.txt", "$T/secret/s.txt")},
           {{"--allow-read=allowed"},
            "allowed/missing.txt",
            "Error ENOENT: ENOENT: no such file or directory, open 'allowed/missing.txt'"},
       }) {
    std::string path = T(c.path);
    ToolResult r = Run("console.log(sync(() => fs.readTextFileSync('" + path + "')));\n" +
                           "console.log(await async_(() => fs.readTextFile('" + path + "')));",
                       c.flags);
    EXPECT_EQ(r.exit_code, 0) << c.path << "\n" << r.err;
    std::string line = T(c.result) + "\n";
    EXPECT_EQ(r.out, line + line) << "reading " << c.path << " with "
                                  << (c.flags.empty() ? "no flags" : c.flags[0]);
  }
}

TEST_F(FsTest, WritesAllowedAndDenied) {
  for (const Case& c : std::vector<Case>{
           {{"--allow-write=allowed"}, "allowed/new.txt", "ok undefined"},
           {{"--allow-write"}, "secret/new.txt", "ok undefined"},
           {{"--allow-read=allowed"},
            "allowed/new.txt",
            Denied("write", "allowed/new.txt", "$T/allowed/new.txt")},
           {{"--allow-write=allowed"},
            "allowed/../secret/new.txt",
            Denied("write", "allowed/../secret/new.txt", "$T/secret/new.txt")},
           {{"--allow-write=allowed"},
            "allowed/out/new.txt",
            Denied("write", "allowed/out/new.txt", "$T/secret/new.txt")},
           {{"--allow-write=allowed"},
            "allowed/dangling",
            Denied("write", "allowed/dangling", "$T/secret/created.txt")},
           {{"--allow-write=allowed"},
            "$T/secret/new.txt",
            Denied("write", "$T/secret/new.txt", "$T/secret/new.txt")},
       }) {
    std::string path = T(c.path);
    ToolResult r =
        Run("console.log(sync(() => fs.writeTextFileSync('" + path + "', 'new')));\n" +
                "console.log(await async_(() => fs.writeTextFile('" + path + "', 'new')));",
            c.flags);
    EXPECT_EQ(r.exit_code, 0) << c.path << "\n" << r.err;
    std::string line = T(c.result) + "\n";
    EXPECT_EQ(r.out, line + line) << "writing " << c.path;
    bool allowed = c.result == "ok undefined";
    std::string written = path[0] == '/' ? path : root_ + "/" + path;
    // access() follows symlinks: through allowed/dangling, nothing may have been created.
    EXPECT_EQ(access(written.c_str(), F_OK) == 0, allowed) << written;
    if (allowed) {
      EXPECT_EQ(tmp_.Read(c.path), "new");
      unlink(written.c_str());  // The next cases expect it absent.
    }
  }
  EXPECT_FALSE(Exists(root_ + "/secret/created.txt")) << "written through a dangling symlink";
}

TEST_F(FsTest, SyncAndAsyncGiveTheSameBytes) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += "\xc3\xa9 \xff\xfe not UTF-8";
  tmp_.Write("allowed/bytes.bin", bytes);
  ToolResult r =
      Run("const a = fs.readFileSync('allowed/bytes.bin');\n"
          "const b = await fs.readFile('allowed/bytes.bin');\n"
          "console.log(a.constructor.name, a.length, b.length, a.every((x, i) => x === b[i]));\n"
          "const s = fs.readTextFileSync('allowed/bytes.bin');\n"
          "console.log(s === await fs.readTextFile('allowed/bytes.bin'), s.includes('\\ufffd'));\n"
          "fs.writeFileSync('allowed/sync.bin', a);\n"
          "await fs.writeFile('allowed/async.bin', b);\n"
          "await fs.writeFile('allowed/view.bin', new DataView(b.buffer, 1, 2));\n"
          "fs.writeTextFileSync('allowed/sync.txt', 'h\\u00e9llo \\u{1f600}');\n"
          "await fs.writeTextFile('allowed/async.txt', 'h\\u00e9llo \\u{1f600}');",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(bytes.size(), 271u);
  EXPECT_EQ(r.out, "Uint8Array 271 271 true\ntrue true\n");
  EXPECT_TRUE(tmp_.Read("allowed/sync.bin") == bytes);
  EXPECT_TRUE(tmp_.Read("allowed/async.bin") == bytes);
  EXPECT_EQ(tmp_.Read("allowed/view.bin"), std::string("\x01\x02"));
  EXPECT_EQ(tmp_.Read("allowed/sync.txt"), "h\xc3\xa9llo \xf0\x9f\x98\x80");
  EXPECT_EQ(tmp_.Read("allowed/async.txt"), tmp_.Read("allowed/sync.txt"));
}

TEST_F(FsTest, StatAndReadDir) {
  ToolResult r =
      Run("for (const s of [fs.statSync('allowed/file.txt'), await fs.stat('allowed/in'),\n"
          "                 await fs.stat('allowed')]) {\n"
          "  console.log(s.isFile, s.isDirectory, s.isSymlink, s.isFile ? s.size : '-',\n"
          "              s.mtime instanceof Date, typeof s.mode);\n"
          "}\n"
          "const names = (l) => l.map((e) => e.name + (e.isDirectory ? '/' : e.isSymlink ? '@' : "
          "''));\n"
          "console.log(names(fs.readDirSync('allowed')).join(' '));\n"
          "console.log(names(await fs.readDir('.')).join(' '));",
          {"--allow-read"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "true false false 5 true number\n"
            "true false false 5 true number\n"
            "false true false - true number\n"
            "abs@ dangling@ file.txt in@ out@\n"
            "alias@ allowed/ main.js secret/\n");
}

TEST_F(FsTest, MkdirAndRemove) {
  ToolResult r =
      Run("await fs.mkdir('allowed/a/b/c', { recursive: true });\n"
          "fs.mkdirSync('allowed/a/b/c', { recursive: true });\n"
          "console.log(sync(() => fs.mkdirSync('allowed/a')));\n"
          "fs.writeTextFileSync('allowed/a/b/c/f.txt', 'x');\n"
          "console.log(await async_(() => fs.remove('allowed/a')));\n"
          "console.log(sync(() => fs.removeSync('allowed/a', { recursive: true })));\n"
          "console.log(await async_(() => fs.stat('allowed/a')));\n"
          "console.log(sync(() => fs.mkdirSync('allowed/empty')), "
          "await async_(() => fs.remove('allowed/empty')));\n"
          "// Removing a symlink that points out removes the link, never its target.\n"
          "console.log(sync(() => fs.removeSync('allowed/out')));\n"
          "console.log(sync(() => fs.removeSync('allowed/out/s.txt')));",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Error EEXIST: EEXIST: file already exists, mkdir 'allowed/a'\n"
            "Error ENOTEMPTY: ENOTEMPTY: directory not empty, rmdir 'allowed/a'\n"
            "ok undefined\n"
            "Error ENOENT: ENOENT: no such file or directory, stat 'allowed/a'\n"
            "ok undefined ok undefined\n"
            "ok undefined\n"
            "Error ENOENT: ENOENT: no such file or directory, remove 'allowed/out/s.txt'\n");
  EXPECT_FALSE(Exists(root_ + "/allowed/out"));
  EXPECT_EQ(tmp_.Read("secret/s.txt"), "secret");
}

TEST_F(FsTest, RecursiveRemoveAndMkdirStayInsideTheGrant) {
  // A tree holding a symlink to the secret folder: removing the tree removes the link only.
  tmp_.Write("allowed/tree/x.txt", "x");
  Link("../../secret", "allowed/tree/link");
  ToolResult removed =
      Run("fs.removeSync('allowed/tree', { recursive: true });", {"--allow-write=allowed"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_FALSE(Exists(root_ + "/allowed/tree"));
  EXPECT_EQ(tmp_.Read("secret/s.txt"), "secret");

  // Granting a folder that does not exist yet does not grant creating its parents.
  ToolResult mkdir = Run("console.log(sync(() => fs.mkdirSync('a/b/c', { recursive: true })));",
                         {"--allow-write=" + root_ + "/a/b"});
  EXPECT_EQ(mkdir.exit_code, 0) << mkdir.err;
  EXPECT_EQ(mkdir.out, T(Denied("write", "$T/a", "$T/a")) + "\n");
  EXPECT_FALSE(Exists(root_ + "/a"));
}

TEST_F(FsTest, ErrorsNameThePathAndCode) {
  ToolResult r =
      Run("try { fs.readTextFileSync('allowed/nope.txt'); } catch (e) {\n"
          "  console.log(e instanceof Error, e.code, e.syscall, e.path);\n"
          "}\n"
          "console.log(sync(() => fs.readTextFileSync('allowed')));\n"
          "console.log(sync(() => fs.readDirSync('allowed/file.txt')));\n"
          "console.log(await async_(() => fs.readTextFile(42)));\n"
          "console.log(sync(() => fs.writeFileSync('allowed/x', 'not bytes')));",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "true ENOENT open allowed/nope.txt\n"
            "Error EISDIR: EISDIR: illegal operation on a directory, read 'allowed'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, opendir 'allowed/file.txt'\n"
            "TypeError: readTextFile: path must be a string, got number\n"
            "TypeError: writeFileSync: data must be a Uint8Array, a typed array or an "
            "ArrayBuffer\n");
}

// A trailing slash or a "." / ".." after a file is ENOTDIR, and ".." after a missing folder is
// ENOENT, as the kernel (and so Node) says: paths resolve against the file system, not as text.
TEST_F(FsTest, PathsResolveLikeTheKernelNotAsText) {
  ToolResult r =
      Run("for (const f of [() => fs.readTextFileSync('allowed/file.txt/'),\n"
          "                 () => fs.readTextFileSync('allowed/file.txt/.'),\n"
          "                 () => fs.readTextFileSync('allowed/file.txt/..'),\n"
          "                 () => fs.readTextFileSync('allowed/in/'),\n"
          "                 () => fs.statSync('allowed/file.txt/').size,\n"
          "                 () => fs.writeTextFileSync('allowed/file.txt/', 'x'),\n"
          "                 () => fs.readTextFileSync('allowed/missing/../file.txt'),\n"
          "                 () => fs.readDirSync('allowed/').length,\n"
          "                 () => fs.readTextFileSync('allowed/./file.txt')]) {\n"
          "  console.log(sync(f));\n"
          "}\n"
          "console.log(await async_(() => fs.readFile('allowed/file.txt/')));",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/file.txt/'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/file.txt/.'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/file.txt/..'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/in/'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, stat 'allowed/file.txt/'\n"
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/file.txt/'\n"
            "Error ENOENT: ENOENT: no such file or directory, open 'allowed/missing/../file.txt'\n"
            "ok 5\n"
            "ok hello\n"
            "Error ENOTDIR: ENOTDIR: not a directory, open 'allowed/file.txt/'\n");
  EXPECT_EQ(tmp_.Read("allowed/file.txt"), "hello");
}

// A symlink inside the grant to a file inside the grant: writing through it writes the target
// (the target is what the check judged), as reading through it reads the target.
TEST_F(FsTest, WritingThroughASymlinkInsideTheGrantWritesItsTarget) {
  ToolResult r =
      Run("fs.writeTextFileSync('allowed/in', 'via link');\n"
          "console.log(fs.readTextFileSync('allowed/in'));",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "via link\n");
  EXPECT_EQ(tmp_.Read("allowed/file.txt"), "via link");
  struct stat st;
  ASSERT_EQ(lstat((root_ + "/allowed/in").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link itself stays a link";
}

// A path is the script's string: its control characters must not reach the terminal through an
// error message (e.path keeps the string as given).
TEST_F(FsTest, ControlCharactersInPathsAreEscapedInMessages) {
  ToolResult r = Run(
      "const controls = /[\\u0000-\\u001f\\u007f-\\u009f]/;\n"
      "for (const p of ['allowed/\\u001b[31mred\\n.txt', 'secret/\\u001b[2J\\u009b.txt']) {\n"
      "  for (const f of [() => fs.readTextFileSync(p), () => fs.writeTextFileSync(p, 'x')]) {\n"
      "    try { f(); } catch (e) {\n"
      "      console.log(e.name, e.path === p, controls.test(e.message), "
      "e.message.split(';')[0]);\n"
      "    }\n"
      "  }\n"
      "}",
      {"--allow-read=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, T("Error true false ENOENT: no such file or directory, open "
                     "'allowed/\\x1b[31mred\\n.txt'\n"
                     "PermissionDenied true false write access to \"allowed/\\x1b[31mred\\n.txt\" "
                     "(resolved to \"$T/allowed/\\x1b[31mred\\n.txt\") is denied\n"
                     "PermissionDenied true false read access to \"secret/\\x1b[2J\\u009b.txt\" "
                     "(resolved to \"$T/secret/\\x1b[2J\\u009b.txt\") is denied\n"
                     "PermissionDenied true false write access to \"secret/\\x1b[2J\\u009b.txt\" "
                     "(resolved to \"$T/secret/\\x1b[2J\\u009b.txt\") is denied\n"));
}

TEST_F(FsTest, UncaughtPermissionDeniedExits1NamingPathAndFlag) {
  ToolResult r = Run("await fs.readTextFile('secret/s.txt');");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(T("Uncaught PermissionDenied: read access to \"secret/s.txt\" "
                                 "(resolved to \"$T/secret/s.txt\") is denied; run with "
                                 "--allow-read=$T/secret/s.txt")));
  EXPECT_THAT(r.err, HasSubstr(tmp_.path() + "/main.js:"))  // where the script awaited it
      << "the error should point at the user's code";
}

TEST_F(FsTest, ManyAsyncOpsCompleteThroughTheLoop) {
  ToolResult r =
      Run("const n = 64;\n"
          "await Promise.all(Array.from({ length: n }, (_, i) =>\n"
          "    fs.writeTextFile(`allowed/f${i}.txt`, String(i))));\n"
          "const texts = await Promise.all(Array.from({ length: n }, (_, i) =>\n"
          "    fs.readTextFile(`allowed/f${i}.txt`)));\n"
          "console.log(texts.every((t, i) => t === String(i)), texts.length);",
          {"--allow-read=allowed", "--allow-write=allowed"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true 64\n");
}

TEST_F(FsTest, ModuleAndNamespaceAreTheSame) {
  ToolResult r =
      Run("import { readTextFileSync, fs as namespace } from 'ext:fs/fs.js';\n"
          "console.log(readTextFileSync === fs.readTextFileSync, namespace === fs,\n"
          "            Object.isFrozen(fs), Object.keys(fs).length);");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true true true 16\n");
}

}  // namespace
}  // namespace v8snap::testing
