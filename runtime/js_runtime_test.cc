// JsRuntime in-process: every way in verifies the blob before V8 sees it (a corrupt pair from
// memory is refused, not an abort), a verified pair loads many runtimes without hashing again,
// Decode verifies bytes held in memory and Read rolls forward to a staged sidecar, limits are
// checked at creation, a script stopped at the heap ceiling leaves a runtime that
// can run again, and mismatch fixes name the runtime's own builder.
#include "runtime/js_runtime.h"

#include <unistd.h>

#include <memory>
#include <string>

#include "compat/v8_compat.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/extension.h"
#include "runtime/runtime_pool.h"
#include "runtime/runtime_test_config.h"
#include "runtime/verified_snapshot_pair.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class JsRuntimeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ToolResult build = RunTool(
        "snapshot_builder",
        {"--manifest", SourcePath("tests/fixtures/core_console.textproto"), "--out", Path()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Path() { return dir_->path() + "/snap.bin"; }
  static SnapshotPair CorruptPair() {
    SnapshotPair pair = *ReadSnapshotPair(Path());
    pair.blob[pair.blob.size() / 2] ^= 0x10;
    return pair;
  }
  static TempDir* dir_;
};

TempDir* JsRuntimeTest::dir_ = nullptr;

TEST_F(JsRuntimeTest, FromSnapshotPairRefusesACorruptBlobBeforeV8SeesIt) {
  auto runtime = JsRuntime::FromSnapshotPair(CorruptPair(), "memory.bin",
                                             ConfigFor("tests/fixtures/core_console.textproto"));
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(runtime.status().message(), HasSubstr("snapshot blob 'memory.bin' has XXH3-128"));
}

TEST_F(JsRuntimeTest, OnlyAVerifiedPairReachesFromVerifiedSnapshot) {
  auto refused = VerifiedSnapshotPair::Verify(CorruptPair(), "memory.bin");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);

  auto snapshot = VerifiedSnapshotPair::Read(Path());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  VerifiedSnapshotPair copy = *snapshot;
  EXPECT_EQ(copy.blob().data(), snapshot->blob().data()) << "copies share the bytes";
  RuntimeConfig config = ConfigFor("tests/fixtures/core_console.textproto");
  for (int i = 0; i < 3; ++i) {
    auto runtime = JsRuntime::FromVerifiedSnapshot(copy, config);
    ASSERT_TRUE(runtime.ok()) << runtime.status();
    auto result = (*runtime)->EvaluateScript("t.js", "typeof v8snap.core.ops.op_print");
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, "function");
  }
}

// Decode: the sidecar file's bytes decoded on the pair's arena, then the blob hashed against it.
// What it refuses, it refuses like ReadSnapshotPair, naming the file at fault.
TEST_F(JsRuntimeTest, DecodeVerifiesSidecarBytesAndBlobFromMemory) {
  const std::string blob = dir_->Read("snap.bin");
  const std::string sidecar_bytes = dir_->Read("snap.bin.sidecar.pb");

  auto snapshot = VerifiedSnapshotPair::Decode(blob, sidecar_bytes, "memory.bin");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->sidecar().blob().size(), blob.size());
  EXPECT_EQ(snapshot->blob_path(), "memory.bin");
  auto runtime = JsRuntime::FromVerifiedSnapshot(
      *snapshot, ConfigFor("tests/fixtures/core_console.textproto"));
  ASSERT_TRUE(runtime.ok()) << runtime.status();
  auto result = (*runtime)->EvaluateScript("t.js", "v8snap.core.opNames().length > 0");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, "true");

  std::string bad_sidecar = sidecar_bytes;
  bad_sidecar[bad_sidecar.size() / 2] ^= 0x01;
  auto refused = VerifiedSnapshotPair::Decode(blob, bad_sidecar, "memory.bin");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("sidecar 'memory.bin.sidecar.pb' is corrupt"));

  std::string bad_blob = blob;
  bad_blob[bad_blob.size() / 3] ^= 0x01;
  refused = VerifiedSnapshotPair::Decode(bad_blob, sidecar_bytes, "memory.bin");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("snapshot blob 'memory.bin' has XXH3-128"));
}

// Read takes the fast way (Decode) when the pair verifies, and ReadSnapshotPair's way when it
// does not: a blob whose matching sidecar is still staged (a build killed between its last two
// renames) is read with the staged one, and a missing sidecar is named.
TEST_F(JsRuntimeTest, ReadRollsForwardToAStagedSidecarAndNamesAMissingOne) {
  TempDir dir;
  const std::string blob = dir.Write("app.bin", dir_->Read("snap.bin"));
  dir.Write("app.bin.sidecar.pb.next", dir_->Read("snap.bin.sidecar.pb"));
  ASSERT_TRUE(ReadSnapshotPair(Path()).ok());
  Sidecar other = ReadSnapshotPair(Path())->sidecar;
  other.mutable_blob()->set_xxh3_128(std::string(32, '0'));
  dir.Write("app.bin.sidecar.pb", EncodeSidecar(other));

  auto snapshot = VerifiedSnapshotPair::Read(blob);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_NE(snapshot->sidecar().blob().xxh3_128(), std::string(32, '0'));

  ASSERT_EQ(unlink((dir.path() + "/app.bin.sidecar.pb").c_str()), 0);
  ASSERT_EQ(unlink((dir.path() + "/app.bin.sidecar.pb.next").c_str()), 0);
  auto missing = VerifiedSnapshotPair::Read(blob);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("no sidecar at '" + blob + ".sidecar.pb'"));
}

TEST_F(JsRuntimeTest, RuntimePoolRefusesACorruptPairAtCreate) {
  auto pool = RuntimePool::Create(CorruptPair(), "memory.bin",
                                  ConfigFor("tests/fixtures/core_console.textproto"), 1);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(JsRuntimeTest, OutOfRangeLimitsFailCreation) {
  RuntimeConfig config = ConfigFor("tests/fixtures/core_console.textproto");
  config.limits.max_heap_mb = 17592186044415;
  auto runtime = JsRuntime::FromSnapshot(Path(), config);
  ASSERT_FALSE(runtime.ok());
  EXPECT_EQ(runtime.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(runtime.status().message(), HasSubstr("from 16 to 1048576"));
  config.limits.max_heap_mb = 0;
  config.limits.timeout_ms = uint64_t{1} << 40;
  EXPECT_FALSE(JsRuntime::FromSource(config).ok());
}

TEST_F(JsRuntimeTest, AScriptStoppedAtTheHeapCeilingLeavesAUsableRuntime) {
  RuntimeConfig config = ConfigFor("tests/fixtures/core_console.textproto");
  config.limits.max_heap_mb = 32;
  auto runtime = JsRuntime::FromSnapshot(Path(), config);
  ASSERT_TRUE(runtime.ok()) << runtime.status();
  for (int round = 0; round < 2; ++round) {
    auto bomb = (*runtime)->EvaluateScript(
        "bomb.js", "(() => { const keep = []; while (true) keep.push({ n: keep.length }); })()");
    ASSERT_FALSE(bomb.ok());
    EXPECT_EQ(bomb.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_THAT(bomb.status().message(),
                HasSubstr("out of memory: the script needed more than the 32 MiB heap limit"));
    auto after = (*runtime)->EvaluateScript("after.js", "[1, 2, 3].map((x) => x * 2).join()");
    ASSERT_TRUE(after.ok()) << after.status();
    EXPECT_EQ(*after, "2,4,6");
  }
}

TEST_F(JsRuntimeTest, MismatchFixesNameTheRuntimesOwnBuilder) {
  RuntimeConfig config = ConfigFor("tests/fixtures/console_core.textproto");
  config.builder_name = "my_builder";
  auto runtime = JsRuntime::FromSnapshot(Path(), config);
  ASSERT_FALSE(runtime.ok());
  EXPECT_THAT(runtime.status().message(),
              HasSubstr("(my_builder --manifest tests/fixtures/console_core.textproto --out "));
  EXPECT_THAT(runtime.status().message(), Not(HasSubstr("snapshot_builder")));
}

// core_console's snapshot holds ES modules, so V8 cannot rehash it: it needs the hash seed it
// was built with. On V8 10.2 that seed lives in the process's one shared read-only heap: a
// runtime from source (V8's built-in snapshot, rehashed at random) alive first would make V8
// abort; it is refused instead. V8 13.6 runs both (compat::kLiveIsolatesShareTheHashSeed).
TEST_F(JsRuntimeTest, ASnapshotThatCannotShareTheLiveReadOnlyHeapIsRefusedNotAborted) {
  RuntimeConfig config = ConfigFor("tests/fixtures/core_console.textproto");
  if (!compat::kLiveIsolatesShareTheHashSeed) {
    auto from_source = JsRuntime::FromSource(config);
    ASSERT_TRUE(from_source.ok()) << from_source.status();
    auto snapshot = JsRuntime::FromSnapshot(Path(), config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    // New keys, and the snapshot's own hash tables (the global's, console's module's).
    const char* script =
        "const o = {}; for (let i = 0; i < 50; ++i) o['k' + i] = i;"
        "typeof console.log === 'function' ? o.k42 : 'no console'";
    for (JsRuntime* runtime : {from_source->get(), snapshot->get()}) {
      auto value = runtime->EvaluateScript("keys.js", script);
      ASSERT_TRUE(value.ok()) << value.status();
      EXPECT_EQ(*value, "42");
    }
  }
  if (compat::kLiveIsolatesShareTheHashSeed) {
    auto from_source = JsRuntime::FromSource(config);
    ASSERT_TRUE(from_source.ok()) << from_source.status();
    auto refused = JsRuntime::FromSnapshot(Path(), config);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.status().message(), HasSubstr("shares one read-only heap"));
    EXPECT_THAT(refused.status().message(), HasSubstr("V8's built-in snapshot"));
    EXPECT_THAT(refused.status().message(), HasSubstr("needs hash seed 1"));
    // The runtime from source is untouched by the refusal.
    auto still = (*from_source)->EvaluateScript("still.js", "'ab'.repeat(2)");
    ASSERT_TRUE(still.ok()) << still.status();
    EXPECT_EQ(*still, "abab");
  }
  // With the runtime from source gone, the heap goes too; the snapshot first, then a runtime
  // from source (which adopts the live heap's seed) work side by side.
  auto snapshot = JsRuntime::FromSnapshot(Path(), config);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  auto from_source = JsRuntime::FromSource(config);
  ASSERT_TRUE(from_source.ok()) << from_source.status();
  const char* script = "const o = {}; for (let i = 0; i < 50; ++i) o['k' + i] = i; o.k42";
  for (JsRuntime* runtime : {snapshot->get(), from_source->get()}) {
    auto value = runtime->EvaluateScript("keys.js", script);
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(*value, "42");
  }
}

}  // namespace
}  // namespace v8snap::testing
