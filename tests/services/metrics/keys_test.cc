#include "services/metrics/core/keys.h"

#include <gtest/gtest.h>

namespace cs::metrics {
namespace {

TEST(KeysTest, AggKeysSortChronologically) {
  EXPECT_EQ(AggKey("acme", "r1", Period{PeriodKind::kMonth, 2024, 6}), "agg/acme/r1/2024-06");
  EXPECT_LT(AggKey("acme", "r1", Period{PeriodKind::kMonth, 2024, 9}),
            AggKey("acme", "r1", Period{PeriodKind::kMonth, 2024, 10}));
  EXPECT_LT(AggKey("acme", "r1", Period{PeriodKind::kMonth, 2024, 12}),
            AggKey("acme", "r1", Period{PeriodKind::kMonth, 2025, 1}));
  Period parsed;
  ASSERT_TRUE(MonthFromAggKey("agg/acme/r1/2024-06", &parsed));
  EXPECT_EQ(parsed, (Period{PeriodKind::kMonth, 2024, 6}));
  EXPECT_FALSE(MonthFromAggKey("agg/acme/r1/2024-W06", &parsed));
}

TEST(KeysTest, IdsAreEscapedSoPrefixesNeverMatchLongerIds) {
  EXPECT_EQ(AggRepPrefix("acme", "a/b"), "agg/acme/a%2Fb/");
  EXPECT_EQ(PersonKey("t%1", "p/q"), "person/t%251/p%2Fq");
  const std::string key = ReportKey("acme", "m/1", "r%/2");
  EXPECT_EQ(key.rfind(ReportPrefix("acme", "m/1"), 0), 0u);
  EXPECT_EQ(LastKeyComponent(key), "r%/2");
  // The prefix of rep "a" does not match rep "a/b".
  EXPECT_NE(AggRepPrefix("acme", "a/b").rfind(AggRepPrefix("acme", "a"), 0), 0u);
}

TEST(KeysTest, SeenKeysSortByDayFirstForRangeExpiry) {
  std::string old_key, new_key;
  SeenKeyInto(&old_key, absl::CivilDay(2024, 5, 31), "zeta", "r");
  SeenKeyInto(&new_key, absl::CivilDay(2024, 6, 1), "acme", "r");
  EXPECT_EQ(old_key, "seen/20240531/zeta/r");
  auto [begin, end] = SeenExpiryRange(absl::CivilDay(2024, 6, 1));
  EXPECT_TRUE(begin <= old_key && old_key < end);
  EXPECT_FALSE(new_key < end);
}

TEST(KeysTest, DedupKeysSortByDayFirstForRangeExpiry) {
  std::string old_key, new_key;
  DedupKeyInto(&old_key, absl::CivilDay(2024, 5, 31), "zeta", 7);
  DedupKeyInto(&new_key, absl::CivilDay(2024, 6, 1), "acme", 15);
  EXPECT_EQ(old_key, "dedup/20240531/zeta/07");
  EXPECT_EQ(new_key, "dedup/20240601/acme/15");
  auto [begin, end] = DedupExpiryRange(absl::CivilDay(2024, 6, 1));
  EXPECT_TRUE(begin <= old_key && old_key < end);
  EXPECT_FALSE(new_key < end);
  // Neither range reaches into the other family.
  std::string seen_key;
  SeenKeyInto(&seen_key, absl::CivilDay(2024, 5, 31), "zeta", "r");
  EXPECT_FALSE(begin <= seen_key && seen_key < end);
  auto [seen_begin, seen_end] = SeenExpiryRange(absl::CivilDay(2024, 6, 1));
  EXPECT_FALSE(seen_begin <= old_key && old_key < seen_end);
}

TEST(KeysTest, DayNumbersRoundTrip) {
  EXPECT_EQ(DayNumber(absl::CivilDay(1970, 1, 1)), 0);
  EXPECT_EQ(DayNumber(absl::CivilDay(1969, 12, 31)), -1);
  EXPECT_EQ(DayFromNumber(DayNumber(absl::CivilDay(2024, 2, 29))), absl::CivilDay(2024, 2, 29));
}

}  // namespace
}  // namespace cs::metrics
