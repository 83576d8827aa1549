// The alert rules one by one on hand-made team data, and the options.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/alerts/alert_keys.h"
#include "services/coaching/alerts/options.h"
#include "services/coaching/alerts/rules.h"
#include "services/coaching/core/proto_time.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching::testing {
namespace {

using alerts::Finding;
using alerts::TeamData;
using ::testing::HasSubstr;

coachstream::v1::Person Rep(const std::string& id) {
  coachstream::v1::Person p;
  p.set_tenant_id("t1");
  p.set_person_id(id);
  p.set_display_name(id);
  p.set_manager_id("mgr");
  p.set_role(coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
  p.set_active(true);
  return p;
}

TeamData Team(absl::CivilDay today, std::vector<std::string> reps) {
  TeamData t;
  t.tenant = "t1";
  t.manager.set_person_id("mgr");
  t.manager.set_display_name("Mia");
  t.manager_manager_id = "dir";
  for (const auto& r : reps) t.reps.push_back(Rep(r));
  t.today = today;
  t.now = absl::FromCivil(today, absl::UTCTimeZone()) + absl::Hours(12);
  t.months = {PeriodOfDay(PeriodKind::kMonth, today), PrevPeriod(PeriodOfDay(PeriodKind::kMonth, today))};
  t.month_elapsed = {(today.day() - 0.5) / 30.0, 1.0};
  t.month_drivers.resize(2);
  t.last_week = PrevPeriod(PeriodOfDay(PeriodKind::kWeek, today));
  return t;
}

coachstream::v1::RepDrivers Drivers(const std::string& rep,
                                    std::vector<coachstream::v1::DriverValue> values) {
  coachstream::v1::RepDrivers d;
  d.set_rep_id(rep);
  for (auto& v : values) *d.add_drivers() = std::move(v);
  return d;
}

TEST(AlertRulesTest, FocusAndPlanAreDueOnDayFive) {
  std::vector<Finding> out;
  alerts::FocusPlanFindings(Team(absl::CivilDay(2024, 6, 4), {"r1"}), {}, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].firing);
  out.clear();
  TeamData t = Team(absl::CivilDay(2024, 6, 5), {"r1", "r2"});
  t.focus["r2"] = FocusRecord{"closing", "accept", "", 0, t.now, std::nullopt};
  alerts::FocusPlanFindings(t, {}, &out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].firing);
  EXPECT_EQ(out[0].recipient_id, "mgr");
  EXPECT_EQ(out[0].message, "r1 has no focus skill and no coaching plan for 2024-06 (due day 5).");
  EXPECT_FALSE(out[1].firing);
  // A rep who joined on the 4th has until the 8th.
  out.clear();
  t.reps[0].mutable_start_date()->set_year(2024);
  t.reps[0].mutable_start_date()->set_month(6);
  t.reps[0].mutable_start_date()->set_day(4);
  alerts::FocusPlanFindings(t, {}, &out);
  EXPECT_FALSE(out[0].firing);
}

TEST(AlertRulesTest, ObjectivesWithoutAReviewForFourteenDays) {
  TeamData t = Team(absl::CivilDay(2024, 6, 20), {"r1"});
  coachstream::v1::CoachingPlan plan;
  *plan.mutable_created_at() = ToTimestamp(t.now - absl::Hours(24 * 16));
  auto* never = plan.add_objectives();
  never->set_objective_id("obj-1");
  auto* recent = plan.add_objectives();
  recent->set_objective_id("obj-2");
  *recent->mutable_last_reviewed_at() = ToTimestamp(t.now - absl::Hours(24 * 13));
  t.plans["r1"] = plan;
  std::vector<Finding> out;
  alerts::StaleObjectiveFindings(t, {}, &out);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(out[0].firing);
  ASSERT_EQ(out[0].facts.size(), 1u);
  EXPECT_EQ(out[0].facts[0].name(), "days_since_review:obj-1");
  EXPECT_EQ(out[0].facts[0].value(), 16);
  EXPECT_THAT(out[0].message, HasSubstr("obj-1 (16 days)"));
}

TEST(AlertRulesTest, OffTrackByProjectionOrByTheFocusDriver) {
  TeamData t = Team(absl::CivilDay(2024, 6, 16), {"behind", "fine", "slipping", "early"});
  const double e = t.month_elapsed[0];
  t.month_drivers[0]["behind"] = Drivers("behind", {Count("quota", 100), Count("bookings", 50 * e)});
  t.month_drivers[0]["fine"] = Drivers("fine", {Count("quota", 100), Count("bookings", 90 * e)});
  // On quota, but its focus driver (connect rate) fell from 20% to 15%.
  t.month_drivers[0]["slipping"] =
      Drivers("slipping", {Count("quota", 100), Count("bookings", 100 * e), Rate("connect_rate", 15, 100)});
  t.month_drivers[1]["slipping"] = Drivers("slipping", {Rate("connect_rate", 20, 100)});
  t.focus["slipping"] = FocusRecord{"connecting", "accept", "connect_rate", 0.25, t.now, std::nullopt};
  std::vector<Finding> out;
  alerts::OffTrackFindings(t, {}, &out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_TRUE(out[0].firing);
  EXPECT_EQ(out[0].facts[0].name(), "projected_attainment");
  EXPECT_NEAR(out[0].facts[0].value(), 0.5, 1e-9);
  EXPECT_FALSE(out[1].firing);
  EXPECT_TRUE(out[2].firing);
  EXPECT_EQ(out[2].facts[0].name(), "focus_trend:connect_rate");
  EXPECT_NEAR(out[2].facts[0].value(), -0.25, 1e-9);
  EXPECT_FALSE(out[3].firing);  // no quota: not judged
  // Too early in the month to project.
  out.clear();
  t.month_elapsed[0] = 0.1;
  alerts::OffTrackFindings(t, {}, &out);
  for (const auto& f : out) EXPECT_FALSE(f.firing);
}

TEST(AlertRulesTest, CoverageGoesToTheDirectorFromMidMonth) {
  TeamData t = Team(absl::CivilDay(2024, 6, 14), {"r1", "r2", "r3", "r4", "r5"});
  for (const char* r : {"r1", "r2", "r3", "r4"}) t.month_drivers[0][r] = Drivers(r, {Count("coaching_minutes", 30)});
  std::vector<Finding> out;
  alerts::CoverageFindings(t, {}, &out);
  EXPECT_FALSE(out[0].firing);  // the 14th: not yet
  out.clear();
  t.today = absl::CivilDay(2024, 6, 15);
  alerts::CoverageFindings(t, {}, &out);
  EXPECT_FALSE(out[0].firing);  // 4 of 5 = 80%
  out.clear();
  t.month_drivers[0].erase("r4");
  alerts::CoverageFindings(t, {}, &out);
  ASSERT_TRUE(out[0].firing);
  EXPECT_EQ(out[0].subject_id, "mgr");
  EXPECT_EQ(out[0].recipient_id, "dir");
  EXPECT_EQ(out[0].message, "Mia has coached 3 of 5 reps this month (60%, target 80%).");
}

TEST(AlertRulesTest, CoachingHoursSparesNewHires) {
  TeamData t = Team(absl::CivilDay(2024, 6, 20), {"veteran", "new"});
  t.reps[1].mutable_start_date()->set_year(2024);
  t.reps[1].mutable_start_date()->set_month(6);
  t.reps[1].mutable_start_date()->set_day(1);
  t.window_minutes["veteran"] = 179;
  std::vector<Finding> out;
  alerts::CoachingHoursFindings(t, {}, &out);
  EXPECT_TRUE(out[0].firing);
  EXPECT_FALSE(out[1].firing);
  out.clear();
  t.window_minutes["veteran"] = 180;
  alerts::CoachingHoursFindings(t, {}, &out);
  EXPECT_FALSE(out[0].firing);
}

TEST(AlertOptionsTest, JsonOverridesAndNamesItsErrors) {
  alerts::AlertOptions o;
  ASSERT_TRUE(alerts::ParseAlertOptionsJson(R"({"default_time_zone": "Europe/Paris",
      "rules": {"coaching_hours_below_target": {"min_hours": 4, "ack_sla": "36h"},
                "coaching_not_on_middle": {"enabled": false}}})",
                                            &o)
                  .ok());
  EXPECT_EQ(o.default_time_zone, "Europe/Paris");
  EXPECT_EQ(o.coaching_hours.min_hours, 4);
  EXPECT_EQ(o.coaching_hours.ack_sla, absl::Hours(36));
  EXPECT_EQ(o.coaching_hours.resolve_sla, absl::Hours(168));
  EXPECT_FALSE(o.middle.enabled);

  auto error = [](const std::string& json) {
    alerts::AlertOptions o;
    return std::string(alerts::ParseAlertOptionsJson(json, &o).message());
  };
  EXPECT_EQ(error(R"({"rules": {"typo_rule": {}}})"), "rules.typo_rule: unknown rule");
  EXPECT_EQ(error(R"({"rules": {"rep_off_track": {"min_projected": 1}}})"),
            "rules.rep_off_track.min_projected: unknown field");
  EXPECT_EQ(error(R"({"rules": {"rep_off_track": {"ack_sla": "soon"}}})"),
            "rules.rep_off_track.ack_sla: must be a duration such as \"48h\"");
  EXPECT_EQ(error(R"({"rules": {"manager_coverage_low": {"min_coverage": 80}}})"),
            "manager_coverage_low.min_coverage: must be within 0..1");
  EXPECT_EQ(error(R"({"default_time_zone": "Mars/Olympus"})"), "default_time_zone: unknown zone \"Mars/Olympus\"");
  EXPECT_EQ(error("[1]"), "alert rules: not a JSON object");
}

TEST(AlertKeysTest, KindsDoNotOverlapAndOutboxSortsByTime) {
  EXPECT_EQ(alerts::AlertKey("t/1", "a"), "alert/t/t%2F1/a/a");
  EXPECT_EQ(alerts::SlotKey("t1", "r", "s"), "alert/t/t1/k/r/s");
  EXPECT_LT(alerts::OutboxKey(99, "t1", "z", 1), alerts::OutboxKey(100, "t1", "a", 1));
  EXPECT_LT(alerts::OutboxKey(5, "t1", "a", 9), alerts::OutboxKey(5, "t1", "a", 10));
  EXPECT_TRUE(alerts::OutboxKey(5, "t1", "a", 9).starts_with(alerts::kOutboxPrefix));
}

}  // namespace
}  // namespace cs::coaching::testing
