// Coaching received: logged sessions, calendar 1:1s, and the rule that a
// session logged for a calendar meeting counts once whichever comes first.

#include <gtest/gtest.h>

#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

using coachstream::v1::MEETING_KIND_ONE_ON_ONE;
using coachstream::v1::MEETING_STATUS_CANCELLED;
using coachstream::v1::MEETING_STATUS_SCHEDULED;
using coachstream::v1::SESSION_KIND_MICRO_COACHING;
using coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE;

TEST(CoachingTest, SessionsByKindMinutesAndMicroPerWeek) {
  Harness h(At("2024-07-15T00:00:00"));
  h.Ingest({Session("s1", "r1", At("2024-06-03T10:00:00"), "s1", SESSION_KIND_MICRO_COACHING, 25),
            Session("s2", "r1", At("2024-06-05T10:00:00"), "s2", SESSION_KIND_MICRO_COACHING, 20),
            Session("s3", "r1", At("2024-06-10T10:00:00"), "s3", SESSION_KIND_MONTHLY_ONE_ON_ONE, 60)});
  auto june = h.Drivers("r1", "2024-06");
  EXPECT_EQ(june["coaching_minutes"].value(), 105);
  EXPECT_EQ(june["coaching_minutes"].unit(), "minutes");
  EXPECT_EQ(june["coaching_minutes"].sample_size(), 3);
  EXPECT_EQ(june["sessions_micro"].value(), 2);
  EXPECT_EQ(june["sessions_one_on_one"].value(), 1);
  EXPECT_EQ(june["micro_coaching_per_week"].numerator(), 2);
  EXPECT_DOUBLE_EQ(june["micro_coaching_per_week"].denominator(), 30.0 / 7.0);
  EXPECT_DOUBLE_EQ(june["micro_coaching_per_week"].value(), 2 / (30.0 / 7.0));
  EXPECT_EQ(h.Value("r1", "2024-W23", "micro_coaching_per_week"), 2);
  // The current month counts only the days that have begun (July 1-15).
  h.Ingest({Session("s4", "r1", At("2024-07-02T10:00:00"), "s4", SESSION_KIND_MICRO_COACHING, 30)});
  EXPECT_DOUBLE_EQ(h.Denominator("r1", "2024-07", "micro_coaching_per_week"), 15.0 / 7.0);

  // An edited session replaces its old credit; a withdrawn one leaves none.
  h.Ingest({Session("s1-edit", "r1", At("2024-06-03T10:00:00"), "s1", SESSION_KIND_MICRO_COACHING, 30),
            Session("s2-del", "r1", At("2024-06-05T10:00:00"), "s2", SESSION_KIND_MICRO_COACHING, 20, "", true)});
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 90);
  EXPECT_EQ(h.Value("r1", "2024-06", "sessions_micro"), 1);
}

// The calendar 1:1 "m1" (30 minutes) and the session logged for it (45).
std::vector<coachstream::v1::Event> CalendarPair() {
  return {Meeting("cal-m1", "r1", At("2024-06-10T08:00:00"), "m1", MEETING_KIND_ONE_ON_ONE,
                  MEETING_STATUS_SCHEDULED, At("2024-06-17T10:00:00"), absl::Minutes(30)),
          Session("log-s9", "r1", At("2024-06-17T10:00:00"), "s9", SESSION_KIND_MONTHLY_ONE_ON_ONE, 45, "m1")};
}

void ExpectCountedOnce(Harness& h) {
  auto june = h.Drivers("r1", "2024-06");
  EXPECT_EQ(june["sessions_one_on_one"].value(), 1);
  EXPECT_EQ(june["coaching_minutes"].value(), 45);
}

TEST(CoachingTest, CalendarOneOnOneAndItsLoggedSessionCountOnceMeetingFirst) {
  Harness h(At("2024-06-30T00:00:00"));
  auto pair = CalendarPair();
  h.Ingest({pair[0]});
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 30);
  EXPECT_EQ(h.Value("r1", "2024-06", "sessions_one_on_one"), 1);
  h.Ingest({pair[1]});
  ExpectCountedOnce(h);
}

TEST(CoachingTest, CalendarOneOnOneAndItsLoggedSessionCountOnceSessionFirst) {
  Harness h(At("2024-06-30T00:00:00"));
  auto pair = CalendarPair();
  h.Ingest({pair[1]});
  ExpectCountedOnce(h);
  h.Ingest({pair[0]});
  ExpectCountedOnce(h);
  // Same batch, both orders, on a fresh store.
  Harness same_batch(At("2024-06-30T00:00:00"));
  same_batch.Ingest({pair[1], pair[0]});
  ExpectCountedOnce(same_batch);
}

TEST(CoachingTest, WithdrawingTheSessionGivesTheMeetingItsCreditBack) {
  Harness h(At("2024-06-30T00:00:00"));
  auto pair = CalendarPair();
  h.Ingest(pair);
  h.Ingest({Session("log-s9-del", "r1", At("2024-06-17T10:00:00"), "s9", SESSION_KIND_MONTHLY_ONE_ON_ONE, 45, "m1",
                    /*deleted=*/true)});
  EXPECT_EQ(h.Value("r1", "2024-06", "sessions_one_on_one"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 30);
  // A cancelled 1:1 was not held.
  h.Ingest({Meeting("cal-m1-x", "r1", At("2024-06-12T08:00:00"), "m1", MEETING_KIND_ONE_ON_ONE,
                    MEETING_STATUS_CANCELLED, At("2024-06-17T10:00:00"), absl::Minutes(30))});
  EXPECT_EQ(h.Value("r1", "2024-06", "sessions_one_on_one"), 0);
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 0);
}

TEST(CoachingTest, CalendarItemsCountInTheirWeekMonthAndQuarter) {
  // A 30-minute 1:1 on Monday 2024-06-17 (ISO week 2024-W25) and a customer
  // meeting on Sunday 2024-06-30 (2024-W26, which runs into July), for a rep
  // in New York, queried on 2024-07-15 (the coaching alert sums weeks).
  Harness h(At("2024-07-15T12:00:00"));
  h.Ingest({Person("r1", "m1", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "America/New_York"),
            CalendarPair()[0],
            Meeting("cal-c1", "r1", At("2024-06-10T08:00:00"), "c1", coachstream::v1::MEETING_KIND_CUSTOMER,
                    MEETING_STATUS_SCHEDULED, At("2024-06-30T15:00:00", "America/New_York"), absl::Minutes(45))});
  for (std::string_view period : {"2024-W25", "2024-06", "2024-Q2"}) {
    auto d = h.Drivers("r1", period);
    EXPECT_EQ(d["coaching_minutes"].value(), 30) << period;
    EXPECT_EQ(d["sessions_one_on_one"].value(), 1) << period;
  }
  for (std::string_view period : {"2024-W26", "2024-06", "2024-Q2"}) {
    EXPECT_EQ(h.Value("r1", period, "customer_meetings_held"), 1) << period;
  }
  for (std::string_view period : {"2024-W24", "2024-W26", "2024-W27", "2024-07", "2024-Q3"}) {
    EXPECT_EQ(h.Value("r1", period, "coaching_minutes"), 0) << period;
  }
  EXPECT_EQ(h.Value("r1", "2024-W25", "customer_meetings_held"), 0);
  EXPECT_EQ(h.Value("r1", "2024-07", "customer_meetings_held"), 0);
}

TEST(CoachingTest, FutureOneOnOnesAreNotCoachingYet) {
  Harness h(At("2024-06-15T00:00:00"));
  h.Ingest({CalendarPair()[0]});
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 0);
  h.clock().Set(At("2024-06-17T09:00:00"));  // from its start day on
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 30);
}

}  // namespace
}  // namespace cs::metrics::testing
