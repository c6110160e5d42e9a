// Tests for the shared read-only heap bookkeeping: which isolates may share a process.
#include "runtime/shared_read_only_heap.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

ReadOnlyHeapNeed Modules(const std::string& label, const std::string& seed_flag) {
  return ReadOnlyHeapNeed::ForBlob(label, /*rehashable=*/false,
                                   {"--predictable", "--random-seed=1", seed_flag}, "abc");
}
ReadOnlyHeapNeed ClassicOnly(const std::string& label) {
  return ReadOnlyHeapNeed::ForBlob(label, /*rehashable=*/true, {"--hash-seed=1"}, "def");
}

TEST(SharedReadOnlyHeapTest, HashSeedFromFlagsTakesTheLastOne) {
  EXPECT_EQ(HashSeedFromFlags({"--predictable"}), std::nullopt);
  EXPECT_EQ(HashSeedFromFlags({"--hash-seed=1", "--hash_seed=7"}), "7");
}

TEST(SharedReadOnlyHeapTest, ModuleSnapshotAfterABuiltInIsolateIsRefusedWithBothNamed) {
  auto builtin = SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::BuiltIn());
  ASSERT_TRUE(builtin.ok());
  auto refused = SharedReadOnlyHeap::Acquire(Modules("out/default.bin", "--hash-seed=1"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("snapshot 'out/default.bin'"));
  EXPECT_THAT(refused.status().message(), HasSubstr("V8's built-in snapshot"));
  EXPECT_THAT(refused.status().message(), HasSubstr("a random hash seed"));
  EXPECT_THAT(refused.status().message(), HasSubstr("needs hash seed 1"));
  EXPECT_THAT(refused.status().message(), HasSubstr("fix:"));
  EXPECT_EQ(SharedReadOnlyHeap::LiveIsolates(), 1);

  // Once the built-in isolate is gone, the heap goes with it and the snapshot may start.
  builtin->Release();
  EXPECT_EQ(SharedReadOnlyHeap::LiveIsolates(), 0);
  auto later = SharedReadOnlyHeap::Acquire(Modules("out/default.bin", "--hash-seed=1"));
  EXPECT_TRUE(later.ok());
}

TEST(SharedReadOnlyHeapTest, RehashableIsolatesJoinAnyHeap) {
  auto modules = SharedReadOnlyHeap::Acquire(Modules("a.bin", "--hash-seed=1"));
  ASSERT_TRUE(modules.ok());
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::BuiltIn()).ok());
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(ClassicOnly("c.bin")).ok());
  // Another module snapshot built with the same seed shares the heap; one with another does not.
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(Modules("b.bin", "--hash-seed=1")).ok());
  auto other_seed = SharedReadOnlyHeap::Acquire(Modules("d.bin", "--hash-seed=7"));
  ASSERT_FALSE(other_seed.ok());
  EXPECT_THAT(other_seed.status().message(), HasSubstr("carries hash seed 1"));
  EXPECT_THAT(other_seed.status().message(), HasSubstr("needs hash seed 7"));
}

TEST(SharedReadOnlyHeapTest, TheProcessSeedIsWhatARehashableCreatorLeaves) {
  SharedReadOnlyHeap::SetProcessHashSeed("1");
  {
    auto builtin = SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::BuiltIn());
    ASSERT_TRUE(builtin.ok());
    EXPECT_TRUE(SharedReadOnlyHeap::Acquire(Modules("a.bin", "--hash-seed=1")).ok());
  }
  SharedReadOnlyHeap::SetProcessHashSeed(std::nullopt);
  EXPECT_EQ(SharedReadOnlyHeap::LiveIsolates(), 0);
}

TEST(SharedReadOnlyHeapTest, ARandomBuildSeedFitsOnlyItsOwnBlob) {
  auto first = SharedReadOnlyHeap::Acquire(
      ReadOnlyHeapNeed::ForBlob("x.bin", false, {"--hash-seed=0"}, "blob-x"));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(
                  ReadOnlyHeapNeed::ForBlob("x.bin", false, {"--hash-seed=0"}, "blob-x"))
                  .ok());
  EXPECT_FALSE(
      SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::ForBlob("y.bin", false, {}, "blob-y")).ok());
}

TEST(SharedReadOnlyHeapTest, LeasesMoveWithoutDoubleRelease) {
  auto lease = SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::BuiltIn());
  ASSERT_TRUE(lease.ok());
  SharedReadOnlyHeap::Lease moved = std::move(*lease);
  SharedReadOnlyHeap::Lease assigned;
  assigned = std::move(moved);
  EXPECT_EQ(SharedReadOnlyHeap::LiveIsolates(), 1);
  assigned.Release();
  assigned.Release();
  EXPECT_EQ(SharedReadOnlyHeap::LiveIsolates(), 0);
}

}  // namespace
}  // namespace v8snap
