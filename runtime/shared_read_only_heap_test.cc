// Tests for the shared read-only heap bookkeeping: which isolates may share a process.
#include "runtime/shared_read_only_heap.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

// The bookkeeping as V8 10.2 needs it, whichever V8 this test links: isolates share the seed.
ReadOnlyHeapNeed Modules(const std::string& label, const std::string& seed_flag) {
  return ReadOnlyHeapNeed::ForBlob(label, /*rehashable=*/false,
                                   {"--predictable", "--random-seed=1", seed_flag}, "abc",
                                   /*isolates_share_seed=*/true);
}
ReadOnlyHeapNeed ClassicOnly(const std::string& label) {
  return ReadOnlyHeapNeed::ForBlob(label, /*rehashable=*/true, {"--hash-seed=1"}, "def",
                                   /*isolates_share_seed=*/true);
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
      ReadOnlyHeapNeed::ForBlob("x.bin", false, {"--hash-seed=0"}, "blob-x", true));
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(
                  ReadOnlyHeapNeed::ForBlob("x.bin", false, {"--hash-seed=0"}, "blob-x", true))
                  .ok());
  EXPECT_FALSE(
      SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::ForBlob("y.bin", false, {}, "blob-y", true))
          .ok());
}

// A V8 whose isolates do not share the seed (13.6): no blob constrains the others.
TEST(SharedReadOnlyHeapTest, WhereIsolatesDoNotShareTheSeedEveryBlobFits) {
  auto builtin = SharedReadOnlyHeap::Acquire(ReadOnlyHeapNeed::BuiltIn());
  ASSERT_TRUE(builtin.ok());
  ReadOnlyHeapNeed one = ReadOnlyHeapNeed::ForBlob("a.bin", false, {"--hash-seed=1"}, "abc",
                                                   /*isolates_share_seed=*/false);
  EXPECT_EQ(one.fixed_seed, "");
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(one).ok());
  EXPECT_TRUE(SharedReadOnlyHeap::Acquire(
                  ReadOnlyHeapNeed::ForBlob("b.bin", false, {"--hash-seed=7"}, "def", false))
                  .ok());
}

// The V8 at hand: 10.2 shares the seed among live isolates, 13.6 does not.
TEST(SharedReadOnlyHeapTest, TheDefaultIsTheLinkedV8s) {
  ReadOnlyHeapNeed need = ReadOnlyHeapNeed::ForBlob("a.bin", false, {"--hash-seed=1"}, "abc");
  EXPECT_EQ(need.fixed_seed, compat::kLiveIsolatesShareTheHashSeed ? "1" : "");
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
