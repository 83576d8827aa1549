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
  table.TakeMutations([&](Mutation::Op op, std::string_view key, std::string_view value) {
    EXPECT_EQ(op, Mutation::Op::kPut);
    EXPECT_EQ(key, "agg/acme/rep1/2024-03");
    written.assign(value);
  });
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
  table.TakeMutations([](Mutation::Op, std::string_view, std::string_view) {});
  EXPECT_FALSE((*slot)->packed);
  EXPECT_EQ((*slot)->value.start_at_s(), 1234);
  EXPECT_TRUE((*slot)->bytes.empty());  // kept parsed, never packed
}

// The shards' tables of a family are prepared apart (each on its thread)
// and visited as one run in key order.
TEST(StateTableTest, PreparedTablesAreVisitedMergedInKeyOrder) {
  MemoryStore store;
  StateTable<MeetingState> a;
  StateTable<MeetingState> b;
  auto put = [&](StateTable<MeetingState>& table, const std::string& key, int64_t start) {
    auto slot = table.Load(store, key);
    ASSERT_TRUE(slot.ok()) << slot.status();
    (*slot)->value.set_start_at_s(start);
    (*slot)->present = true;
    table.MarkDirty(*slot);
  };
  put(a, "mtg/acme/r3/m", 3);
  put(b, "mtg/acme/r2/m", 2);
  put(a, "mtg/acme/r1/m", 1);
  put(b, "mtg/acme/r4/m", 4);
  auto gone = b.Load(store, "mtg/acme/r0/m");  // absent: deleted
  ASSERT_TRUE(gone.ok());
  b.MarkDirty(*gone);
  a.Prepare();
  b.Prepare();
  EXPECT_EQ(a.dirty_count(), 0u);
  EXPECT_EQ(a.prepared().count(), 2u);
  EXPECT_EQ(b.prepared().count(), 3u);
  std::vector<std::string> visited;
  const WriteRun* runs[] = {&a.prepared(), &b.prepared()};
  VisitMerged(runs, [&](Mutation::Op op, std::string_view key, std::string_view value) {
    MeetingState m;
    if (op == Mutation::Op::kPut) {
      ASSERT_TRUE(m.ParseFromArray(value.data(), static_cast<int>(value.size())));
    }
    visited.push_back(std::string(key) + (op == Mutation::Op::kPut ? "=" + std::to_string(m.start_at_s()) : " deleted"));
  });
  EXPECT_EQ(visited, (std::vector<std::string>{"mtg/acme/r0/m deleted", "mtg/acme/r1/m=1", "mtg/acme/r2/m=2",
                                                "mtg/acme/r3/m=3", "mtg/acme/r4/m=4"}));
  a.ClearPrepared();
  EXPECT_TRUE(a.prepared().empty());
}

}  // namespace
}  // namespace cs::metrics
