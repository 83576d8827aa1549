#include "libs/base/period.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

TEST(PeriodTest, ParsesAndFormatsEachKind) {
  for (const char* text : {"2024-06", "2024-W01", "2024-W23", "2024-Q2", "2020-W53"}) {
    auto p = ParsePeriod(text);
    ASSERT_TRUE(p.ok()) << text << ": " << p.status();
    EXPECT_EQ(FormatPeriod(*p), text);
  }
}

TEST(PeriodTest, RejectsMalformedWithTheTextInTheMessage) {
  for (const char* text : {"", "2024", "2024-13", "2024-00", "2024-Q5", "2023-W53", "24-06", "2024-6x"}) {
    auto p = ParsePeriod(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(text), std::string::npos) << p.status();
  }
}

TEST(PeriodTest, IsoWeeksAcrossYearBoundaries) {
  int y = 0, w = 0;
  IsoWeekOf(absl::CivilDay(2021, 1, 3), &y, &w);  // Sunday: still 2020-W53
  EXPECT_EQ(y, 2020);
  EXPECT_EQ(w, 53);
  IsoWeekOf(absl::CivilDay(2024, 12, 30), &y, &w);  // Monday: 2025-W01
  EXPECT_EQ(y, 2025);
  EXPECT_EQ(w, 1);
  auto p = ParsePeriod("2025-W01");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(PeriodFirstDay(*p), absl::CivilDay(2024, 12, 30));
  EXPECT_EQ(FormatPeriod(NextPeriod(*ParsePeriod("2020-W53"))), "2021-W01");
  EXPECT_EQ(FormatPeriod(PrevPeriod(*ParsePeriod("2021-W01"))), "2020-W53");
}

TEST(PeriodTest, EventTimeBucketsInTheOrgTimeZone) {
  absl::TimeZone la;
  ASSERT_TRUE(absl::LoadTimeZone("America/Los_Angeles", &la));
  // 2024-07-01T03:00Z is still June 30 in Los Angeles.
  absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 7, 1, 3, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FormatPeriod(PeriodOf(PeriodKind::kMonth, t, la)), "2024-06");
  EXPECT_EQ(FormatPeriod(PeriodOf(PeriodKind::kMonth, t, absl::UTCTimeZone())), "2024-07");
  EXPECT_EQ(FormatPeriod(PeriodOf(PeriodKind::kQuarter, t, la)), "2024-Q2");
  EXPECT_EQ(PeriodStart(*ParsePeriod("2024-07"), la),
            absl::FromCivil(absl::CivilSecond(2024, 7, 1, 7, 0, 0), absl::UTCTimeZone()));
}

TEST(PeriodTest, DaysAndNavigation) {
  EXPECT_EQ(PeriodDays(*ParsePeriod("2024-02")), 29);
  EXPECT_EQ(PeriodDays(*ParsePeriod("2024-Q1")), 91);
  EXPECT_EQ(PeriodDays(*ParsePeriod("2024-W10")), 7);
  EXPECT_EQ(FormatPeriod(NextPeriod(*ParsePeriod("2024-12"))), "2025-01");
  EXPECT_EQ(FormatPeriod(PrevPeriod(*ParsePeriod("2024-Q1"))), "2023-Q4");
}

}  // namespace
}  // namespace cs
