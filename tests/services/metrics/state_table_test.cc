// StateTable: entries of a kPackWhenClean family keep only their serialised
// bytes once written, and come back whole from the cache (no store read);
// other families stay parsed.

#include <gtest/gtest.h>

#include <string>

#include "services/metrics/core/ledger.h"
#include "services/metrics/core/state_table.h"
#include "tests/services/metrics/test_support.h"

namespace cs::metrics {
namespace {

using coachstream::v1::MeetingState;
using coachstream::v1::RepMonthBucket;
using testing::MemoryStore;

TEST(StateTableTest, WrittenEntriesOfPackedFamiliesAreKeptSerialisedAndLoadWhole) {
  MemoryStore store;
  StateTable<RepMonthBucket> table;
  auto slot = table.Load(store, "agg/acme/rep1/2024-03");
  ASSERT_TRUE(slot.ok()) << slot.status();
  auto* week = (*slot)->value.add_weeks();
  week->set_week(10);
  week->mutable_agg()->set_calls_made(7);
  (*slot)->present = true;
  table.MarkDirty(*slot);
  const std::string expected = (*slot)->value.SerializeAsString();

  std::string written;
  std::string scratch;
  table.TakeMutations([&](Mutation::Op op, std::string_view key, std::string_view value) {
    EXPECT_EQ(op, Mutation::Op::kPut);
    EXPECT_EQ(key, "agg/acme/rep1/2024-03");
    written.assign(value);
  }, &scratch);
  EXPECT_EQ(written, expected);
  EXPECT_TRUE((*slot)->packed);
  EXPECT_EQ((*slot)->value.weeks_size(), 0);  // the parsed value is freed
  EXPECT_EQ((*slot)->bytes, expected);

  const int gets = store.gets();
  auto again = table.Load(store, "agg/acme/rep1/2024-03");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *slot);
  EXPECT_EQ(store.gets(), gets);  // served from the cache
  EXPECT_FALSE((*again)->packed);
  EXPECT_TRUE((*again)->bytes.empty());
  ASSERT_EQ((*again)->value.weeks_size(), 1);
  EXPECT_EQ((*again)->value.weeks(0).agg().calls_made(), 7);
  EXPECT_EQ((*again)->value.SerializeAsString(), expected);
}

TEST(StateTableTest, OtherFamiliesStayParsed) {
  MemoryStore store;
  StateTable<MeetingState> table;
  auto slot = table.Load(store, "meeting/acme/rep1/m1");
  ASSERT_TRUE(slot.ok()) << slot.status();
  (*slot)->value.set_start_at_s(1234);
  (*slot)->present = true;
  table.MarkDirty(*slot);
  std::string scratch;
  table.TakeMutations([](Mutation::Op, std::string_view, std::string_view) {}, &scratch);
  EXPECT_FALSE((*slot)->packed);
  EXPECT_EQ((*slot)->value.start_at_s(), 1234);
}

}  // namespace
}  // namespace cs::metrics
