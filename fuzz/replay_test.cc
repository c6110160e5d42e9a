// Replays every checked-in fuzz input (fuzz/corpus/<target>/ and fuzz/regressions/<target>/)
// through its target, so `make test` catches a regression of anything fuzzing ever found.
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "fuzz/fuzz_target.h"
#include "gtest/gtest.h"

namespace v8snap::fuzz {
namespace {

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') files.push_back(dir + "/" + e->d_name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FuzzReplayTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzReplayTest, EveryCheckedInInputRunsCleanly) {
  const std::string& target = GetParam();
  FuzzFunction run = FuzzTargets().at(target);
  int count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    for (const std::string& file : FilesIn(std::string(V8SNAP_FUZZ_DIR) + "/" + kind + "/" + target)) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string bytes = ss.str();
      SCOPED_TRACE(file);
      run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++count;
    }
  }
  EXPECT_GT(count, 0) << "no checked-in inputs for fuzz target " << target;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplayTest,
                         ::testing::Values("manifest", "sidecar", "blob_header", "load_path"));

}  // namespace
}  // namespace v8snap::fuzz
