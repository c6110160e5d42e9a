// End to end: builds are byte-identical even when the JS reads the clock while it is built.
// tests/fixtures/build_clock/read_clocks.js keeps Date.now(), new Date(), performance.now(),
// performance.timeOrigin and Math.random() in a global; the builder's clock is fixed
// (SOURCE_DATE_EPOCH, else 2000-01-01T00:00:00Z), and a run afterwards reads the real one.
// Both code-cache modes, and a build that leaves the mode to the default, are byte-identical too.
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kManifest[] = "tests/fixtures/build_clock/build_clock.textproto";
// Math.random()'s value to 14 digits: from the same fixed seed, V8 13.6 makes a double of the
// generator's state a little differently from 10.2 (0.1472050634010581 against
// 0.147205063401058), so only the last digits tell the two apart.
constexpr char kPrintBuiltWith[] =
    "console.log(JSON.stringify({...globalThis.builtWith, "
    "random: Number(globalThis.builtWith.random.toPrecision(14))}));";

// Sets an environment variable for the tools this test starts (they inherit it) and restores
// the previous value when it goes away.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_.has_value()) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

double WallClockMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

class ReproducibleBuildTest : public ::testing::Test {
 protected:
  // The default clock is under test: a SOURCE_DATE_EPOCH from the caller's shell must not
  // decide it.
  ReproducibleBuildTest() {
    if (const char* old = getenv("SOURCE_DATE_EPOCH")) outer_epoch_ = old;
    unsetenv("SOURCE_DATE_EPOCH");
  }
  ~ReproducibleBuildTest() override {
    if (outer_epoch_.has_value()) setenv("SOURCE_DATE_EPOCH", outer_epoch_->c_str(), 1);
  }

  ToolResult Build(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--manifest", SourcePath(kManifest), "--out", Blob(name)};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTool("snapshot_builder", args);
  }
  ToolResult Run(const std::string& name, const std::string& script) {
    return RunTool("snapshot_run", {"--snapshot", Blob(name), "--manifest", SourcePath(kManifest),
                                    tmp_.Write("main.js", script)});
  }
  std::string Blob(const std::string& name) const { return tmp_.path() + "/" + name; }

  TempDir tmp_;
  std::optional<std::string> outer_epoch_;
};

TEST_F(ReproducibleBuildTest, TwoBuildsAtDifferentTimesAreByteIdentical) {
  ToolResult first = Build("first.bin");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // A real wait, so that a clock that was not fixed would have moved by more than a second.
  sleep(2);
  ToolResult second = Build("second.bin");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(tmp_.Read("first.bin"), tmp_.Read("second.bin")) << "the blobs differ";
  EXPECT_EQ(tmp_.Read("first.bin.sidecar.pb"), tmp_.Read("second.bin.sidecar.pb"))
      << "the sidecars differ";
  // What the JS kept: the default build clock, 2000-01-01T00:00:00Z; performance.now() is 0;
  // Math.random() gives the fixed seed's first value.
  ToolResult run = Run("first.bin", kPrintBuiltWith);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "{\"dateNow\":946684800000,\"newDate\":\"2000-01-01T00:00:00.000Z\","
            "\"performanceNow\":0,\"timeOrigin\":946684800000,\"random\":0.14720506340106}\n");
}

// The builder's --code-cache default (snapshot_builder/builder_main.cc; docs/performance.md,
// "Code cache": chosen by measurement).
constexpr char kDefaultCodeCache[] = "keep";

// Each code-cache mode gives byte-identical builds, on the clock-reading fixture and on the
// default runtime (keep leaves compiled code in the blob: the code of every function the build
// ran), also with a warm-up script; a build without --code-cache is the default mode's build,
// byte for byte, and the sidecar records the mode.
TEST_F(ReproducibleBuildTest, EveryCodeCacheModeIsByteIdenticalAndTheDefaultIsKeep) {
  const std::string warmup =
      tmp_.Write("warm.js",
                 "(() => { for (let i = 0; i < 50; i++) new TextEncoder().encode(`x${i}`); "
                 "performance.now(); })();\n");
  for (const std::string& manifest :
       {SourcePath(kManifest), SourcePath("manifests/default.textproto")}) {
    SCOPED_TRACE(manifest);
    auto build = [&](const std::string& name, std::vector<std::string> flags) {
      std::vector<std::string> args = {"--manifest", manifest, "--out", Blob(name)};
      args.insert(args.end(), flags.begin(), flags.end());
      ToolResult r = RunTool("snapshot_builder", args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
    };
    auto expect_same = [&](const std::string& a, const std::string& b) {
      EXPECT_TRUE(tmp_.Read(a) == tmp_.Read(b)) << "the blobs " << a << " and " << b << " differ";
      EXPECT_TRUE(tmp_.Read(a + ".sidecar.pb") == tmp_.Read(b + ".sidecar.pb"))
          << "the sidecars of " << a << " and " << b << " differ";
    };
    for (std::string mode : {"clear", "keep"}) {
      SCOPED_TRACE(mode);
      build(mode + "1.bin", {"--code-cache=" + mode});
      build(mode + "2.bin", {"--code-cache=" + mode});
      expect_same(mode + "1.bin", mode + "2.bin");
      absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(Blob(mode + "1.bin"));
      ASSERT_TRUE(pair.ok()) << pair.status();
      EXPECT_EQ(pair->sidecar.code_cache(), mode);
    }
    EXPECT_FALSE(tmp_.Read("clear1.bin") == tmp_.Read("keep1.bin")) << "keep changed nothing";
    build("default.bin", {});
    expect_same("default.bin", std::string(kDefaultCodeCache) + "1.bin");
    build("warm1.bin", {"--code-cache=keep", "--warmup", warmup});
    build("warm2.bin", {"--code-cache=keep", "--warmup", warmup});
    expect_same("warm1.bin", "warm2.bin");
  }
}

TEST_F(ReproducibleBuildTest, SourceDateEpochSetsTheBuildClock) {
  ScopedEnv epoch("SOURCE_DATE_EPOCH", "1700000000");
  ToolResult build = Build("epoch.bin", {"--verbose"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_THAT(build.err, HasSubstr("build clock: fixed at 2023-11-14T22:13:20Z "
                                   "(SOURCE_DATE_EPOCH=1700000000)"));
  ToolResult run = Run("epoch.bin", kPrintBuiltWith);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "{\"dateNow\":1700000000000,\"newDate\":\"2023-11-14T22:13:20.000Z\","
            "\"performanceNow\":0,\"timeOrigin\":1700000000000,\"random\":0.14720506340106}\n");
  // The sidecar says which clock the build read.
  absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(Blob("epoch.bin"));
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->sidecar.build_clock_unix_seconds(), 1700000000);
  EXPECT_EQ(pair->sidecar.build_clock_source(), "SOURCE_DATE_EPOCH");
}

TEST_F(ReproducibleBuildTest, VerboseAndTheSidecarNameTheDefaultClock) {
  ToolResult build = Build("default.bin", {"--verbose"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_THAT(build.err, HasSubstr("build clock: fixed at 2000-01-01T00:00:00Z (v8snap's "
                                   "default; set SOURCE_DATE_EPOCH to choose)"));
  absl::StatusOr<SnapshotPair> pair = ReadSnapshotPair(Blob("default.bin"));
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->sidecar.build_clock_unix_seconds(), 946684800);
  EXPECT_EQ(pair->sidecar.build_clock_source(), "default");
}

TEST_F(ReproducibleBuildTest, ABadSourceDateEpochIsAUsageError) {
  for (const char* value :
       {"", "17e8", "1700000000.5", "yesterday", " 1700000000", "99999999999999999999"}) {
    SCOPED_TRACE(value);
    ScopedEnv epoch("SOURCE_DATE_EPOCH", value);
    ToolResult build = Build("bad.bin");
    EXPECT_EQ(build.exit_code, 2);
    EXPECT_THAT(build.err,
                HasSubstr(std::string("the environment variable SOURCE_DATE_EPOCH is '") + value +
                          "': expected the build time as whole seconds"));
    EXPECT_THAT(build.err, HasSubstr("fix: set SOURCE_DATE_EPOCH="));
    EXPECT_FALSE(FileExists(Blob("bad.bin")));
  }
}

// The clock is fixed only while building: after a load, JS reads the real time.
TEST_F(ReproducibleBuildTest, AtRunTimeTheClockIsTheRealOne) {
  ToolResult build = Build("real.bin");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  double before = WallClockMs();
  ToolResult run = Run("real.bin",
                       "console.log(Date.now(), new Date().getTime(), performance.timeOrigin, "
                       "performance.now() > 0);");
  double after = WallClockMs();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  double now = 0, date = 0, origin = 0;
  char positive[8] = {};
  ASSERT_EQ(std::sscanf(run.out.c_str(), "%lf %lf %lf %7s", &now, &date, &origin, positive), 4)
      << run.out;
  for (double t : {now, date, origin}) {
    EXPECT_GE(t, before - 1) << run.out;
    EXPECT_LE(t, after + 1) << run.out;
  }
  EXPECT_STREQ(positive, "true");
}

// The zone JS sees while building is UTC, not the build machine's own, unless TZ chooses one:
// a local date kept in a global is then the same on every machine.
TEST_F(ReproducibleBuildTest, TheBuildTimeZoneIsUtcUnlessTzChoosesOne) {
  const std::string manifest = SourcePath("tests/fixtures/build_clock/time_zone.textproto");
  const std::string print = tmp_.Write("print.js", "console.log(JSON.stringify(builtIn));");
  for (auto [tz, expected] :
       {std::pair<const char*, const char*>{
            nullptr, "[0,\"UTC\",\"Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal "
                     "Time)\"]\n"},
        {"Asia/Tokyo",
         "[-540,\"Asia/Tokyo\",\"Thu Jan 01 1970 09:00:00 GMT+0900 (Japan Standard Time)\"]\n"}}) {
    SCOPED_TRACE(tz == nullptr ? "TZ unset" : tz);
    // Restores the caller's TZ afterwards; for the first case TZ is then removed.
    ScopedEnv zone("TZ", tz == nullptr ? "" : tz);
    if (tz == nullptr) unsetenv("TZ");
    ToolResult build = RunTool("snapshot_builder", {"--manifest", manifest, "--out",
                                                    Blob("zone.bin"), "--verbose"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
    EXPECT_THAT(build.err, HasSubstr(tz == nullptr ? "time zone: UTC (TZ is unset"
                                                   : "time zone: Asia/Tokyo (TZ='Asia/Tokyo')"));
    // The run itself is in UTC, whatever the build chose: what it prints is what the build kept.
    ScopedEnv run_zone("TZ", "UTC");
    ToolResult run = RunTool("snapshot_run",
                             {"--snapshot", Blob("zone.bin"), "--manifest", manifest, print});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, expected);
  }
}

// Random values drawn from crypto while building would be frozen into the blob (the same in
// every process, and the build no longer byte-identical): refused, naming the user's line.
TEST_F(ReproducibleBuildTest, CryptoRandomValuesWhileBuildingAreRefused) {
  ToolResult build = RunTool(
      "snapshot_builder",
      {"--manifest", SourcePath("tests/fixtures/build_clock/random_at_build.textproto"), "--out",
       Blob("random.bin")});
  EXPECT_EQ(build.exit_code, 1) << build.err;
  EXPECT_THAT(build.err, HasSubstr("draw_random.js:2:"));
  EXPECT_THAT(build.err, HasSubstr("crypto.getRandomValues() and crypto.randomUUID() give no "
                                   "values while a snapshot is built"));
  EXPECT_THAT(build.err, HasSubstr("fix: draw them at run time"));
  EXPECT_THAT(build.err, Not(HasSubstr("async ops"))) << "one fix line, the right one";
  EXPECT_FALSE(FileExists(Blob("random.bin")));
}

}  // namespace
}  // namespace v8snap::testing
