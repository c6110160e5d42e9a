// End to end: the permission boundary against hard-to-see paths and a symlink swapped in while a
// script reads, and the resource limits (--max-heap-mb, --timeout-ms). Runs on the default
// snapshot that `ninja` builds (out/.../default.bin), configured by snapshot_run's own manifest.
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdlib>
#include <thread>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;

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
           // ".." through a file: refused, not a way around the check.
           {"allowed/file.txt/../../secret/s.txt", {"PermissionDenied"}},
           {"$T//allowed///file.txt", {"ok hello"}},
           {"$T/allowed/../secret/./s.txt", {"PermissionDenied"}},
           {"./secret/s.txt", {"PermissionDenied"}},
       }) {
    EXPECT_THAT(c.acceptable, ::testing::Contains(Read(c.path, allow))) << c.path;
  }
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
  ToolResult r = Run(
      "const seen = {};\n"
      "const end = Date.now() + 400;\n"
      "while (Date.now() < end) {\n"
      "  let got;\n"
      "  try { got = v8snap.fs.readTextFileSync('allowed/swap.txt'); } catch (e) { got = e.name; }\n"
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

TEST_F(SecurityTest, HeapLimitStopsTheScriptCleanly) {
  ToolResult r = Run(
      "const keep = [];\nwhile (true) keep.push(new Array(100000).fill(1.5));\n",
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
