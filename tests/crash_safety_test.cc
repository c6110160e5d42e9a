// End to end: a builder killed with SIGKILL at any moment never loses the last good snapshot and
// never leaves a half-written file at the final paths; the next build cleans up after it.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>

#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  return names;
}

TEST(CrashSafetyTest, KilledBuildsNeverLoseTheLastGoodPair) {
  TempDir tmp;
  const std::string snap = tmp.path() + "/snap.bin";
  // Two different manifests, so an old and a new pair can be told apart.
  const std::vector<std::string> manifests = {SourcePath("tests/fixtures/core_console.textproto"),
                                              SourcePath("tests/fixtures/core_only.textproto")};
  ASSERT_EQ(RunTool("snapshot_builder", {"--manifest", manifests[0], "--out", snap}).exit_code, 0);
  std::vector<std::string> good_blobs = {ReadSnapshotPair(snap)->blob};

  // How long a whole build takes here, to spread the kills over it.
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunTool("snapshot_builder", {"--manifest", manifests[1], "--out", snap}).exit_code, 0);
  auto build_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  good_blobs.push_back(ReadSnapshotPair(snap)->blob);

  std::mt19937 random(42);
  std::uniform_int_distribution<int64_t> delay(0, build_us * 12 / 10);
  int killed_while_running = 0;
  for (int i = 0; i < 40; ++i) {
    pid_t pid = SpawnTool("snapshot_builder", {"--manifest", manifests[i % 2], "--out", snap});
    usleep(static_cast<useconds_t>(delay(random)));
    if (kill(pid, SIGKILL) == 0) ++killed_while_running;
    int status = 0;
    waitpid(pid, &status, 0);

    absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(snap);
    ASSERT_TRUE(pair.ok()) << "after kill #" << i << ": " << pair.status();
    EXPECT_TRUE(pair->blob == good_blobs[0] || pair->blob == good_blobs[1])
        << "after kill #" << i << " the blob is neither complete build";
  }
  EXPECT_GT(killed_while_running, 10);

  // A run on whatever pair survived works, and the next build removes what killed ones left.
  std::string script = tmp.Write("main.js", "v8snap.core.print('ok');");
  ToolResult run = RunTool("snapshot_run", {"--snapshot", snap, "--manifest", manifests[0], script});
  ToolResult run_other =
      RunTool("snapshot_run", {"--snapshot", snap, "--manifest", manifests[1], script});
  EXPECT_TRUE(run.out == "ok" || run_other.out == "ok") << run.err << run_other.err;

  ASSERT_EQ(RunTool("snapshot_builder", {"--manifest", manifests[0], "--out", snap}).exit_code, 0);
  EXPECT_THAT(ListDir(tmp.path()),
              ::testing::UnorderedElementsAre("snap.bin", "snap.bin.sidecar.pb", "main.js"));
}

}  // namespace
}  // namespace v8snap::testing
