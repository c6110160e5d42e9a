// Sizes as people read them, at each unit boundary.
#include "snapshot_inspect/human_size.h"

#include "gtest/gtest.h"

namespace v8snap::inspect {
namespace {

TEST(HumanSizeTest, BinaryUnitsWithOneDecimal) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0 B"},
      {1023, "1023 B"},
      {1024, "1.0 KiB"},
      {1536, "1.5 KiB"},
      {1024 * 1024 - 1, "1.0 MiB"},  // never "1024.0 KiB"
      {470552, "459.5 KiB"},
      {50LL * 1024 * 1024, "50.0 MiB"},
      {3LL * 1024 * 1024 * 1024, "3.0 GiB"},
      {-2048, "-2.0 KiB"},
  };
  for (const auto& [bytes, text] : cases) EXPECT_EQ(HumanSize(bytes), text) << bytes;
}

TEST(HumanSizeTest, DeltasCarryTheirSign) {
  EXPECT_EQ(HumanDelta(0), "0 B");
  EXPECT_EQ(HumanDelta(300), "+300 B");
  EXPECT_EQ(HumanDelta(-300), "-300 B");
  EXPECT_EQ(HumanDelta(2048), "+2.0 KiB");
}

TEST(HumanSizeTest, GroupedNumbers) {
  EXPECT_EQ(GroupedNumber(0), "0");
  EXPECT_EQ(GroupedNumber(999), "999");
  EXPECT_EQ(GroupedNumber(1000), "1,000");
  EXPECT_EQ(GroupedNumber(470552), "470,552");
  EXPECT_EQ(GroupedNumber(-1234567), "-1,234,567");
}

}  // namespace
}  // namespace v8snap::inspect
