// Plans and objectives: validation naming the field, defaults, progress
// computed from the metrics (met / on track / off track / no data).

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/objectives.h"
#include "services/coaching/core/proto_time.h"
#include "tests/services/coaching/fixtures.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::CoachingPlan;
using coachstream::v1::DriverValue;
using coachstream::v1::Objective;
using ::testing::HasSubstr;

constexpr auto kMet = coachstream::v1::OBJECTIVE_PROGRESS_MET;
constexpr auto kOnTrack = coachstream::v1::OBJECTIVE_PROGRESS_ON_TRACK;
constexpr auto kOffTrack = coachstream::v1::OBJECTIVE_PROGRESS_OFF_TRACK;
constexpr auto kNoData = coachstream::v1::OBJECTIVE_PROGRESS_NO_DATA;

ObjectiveStatus Eval(const std::string& driver, double target, std::optional<DriverValue> current,
                     double elapsed, std::optional<DriverValue> baseline = std::nullopt) {
  ObjectiveInputs in;
  in.current = std::move(current);
  in.baseline = std::move(baseline);
  in.elapsed = elapsed;
  return EvaluateObjective(*FindDriverInfo(driver), target, in, ObjectiveOptions());
}

TEST(ObjectiveProgressTest, CountsArePaced) {
  // 600 calls by month end: 350 at 50% elapsed is ahead of the 300 pace.
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 350), 0.5).progress, kOnTrack);
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 250), 0.5).progress, kOffTrack);
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 610), 0.5).progress, kMet);
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 590), 1.0).progress, kOffTrack);
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 350), 0.5).current_value, 350);
  // Zero calls is data, not missing data.
  EXPECT_EQ(Eval("calls_made", 600, Count("calls_made", 0), 0.5).progress, kOffTrack);
  EXPECT_EQ(Eval("calls_made", 600, std::nullopt, 0.5).progress, kNoData);
}

TEST(ObjectiveProgressTest, LowerIsBetterCountsAreCaps) {
  // At most 2 close-date slips in the month.
  EXPECT_EQ(Eval("close_date_slips", 2, Count("close_date_slips", 0), 0.5).progress, kOnTrack);
  EXPECT_EQ(Eval("close_date_slips", 2, Count("close_date_slips", 2), 0.5).progress, kOffTrack);
  EXPECT_EQ(Eval("close_date_slips", 2, Count("close_date_slips", 3), 0.5).progress, kOffTrack);
  EXPECT_EQ(Eval("close_date_slips", 2, Count("close_date_slips", 2), 1.0).progress, kMet);
}

TEST(ObjectiveProgressTest, RatesMoveFromTheirBaseline) {
  // Connect rate from 10% (last month) to 16%: at 50% elapsed the line is at 13%.
  const DriverValue baseline = Rate("connect_rate", 40, 400);
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 28, 200), 0.5, baseline).progress, kOnTrack);
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 24, 200), 0.5, baseline).progress, kOffTrack);
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 34, 200), 0.5, baseline).progress, kMet);
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 30, 200), 1.0, baseline).progress, kOffTrack);
  // Without a baseline the line is the target itself.
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 28, 200), 0.5).progress, kOffTrack);
  // Lower is better: talk ratio from 70% toward 50%.
  const DriverValue talk_before = Rate("talk_ratio", 70, 100);
  EXPECT_EQ(Eval("talk_ratio", 0.5, Rate("talk_ratio", 30, 50), 0.5, talk_before).progress, kOnTrack);
  EXPECT_EQ(Eval("talk_ratio", 0.5, Rate("talk_ratio", 34, 50), 0.5, talk_before).progress, kOffTrack);
  EXPECT_EQ(Eval("talk_ratio", 0.5, Rate("talk_ratio", 24, 50), 0.5, talk_before).progress, kMet);
}

TEST(ObjectiveProgressTest, SmallSamplesAreNoData) {
  // 1 connect in 2 calls is not a 50% connect rate (minimum 20 calls).
  EXPECT_EQ(Eval("connect_rate", 0.16, Rate("connect_rate", 1, 2), 0.5).progress, kNoData);
  // Deals: at least 3.
  EXPECT_EQ(Eval("win_rate_count", 0.3, Rate("win_rate_count", 2, 2), 0.5).progress, kNoData);
  EXPECT_EQ(Eval("win_rate_count", 0.3, Rate("win_rate_count", 2, 4), 0.5).progress, kMet);
}

class PlanTest : public ::testing::Test {
 protected:
  PlanTest() {
    AddPeers(&env_.metrics, 6);
    RepSpec dana;
    dana.id = "dana";
    dana.connect = 0.09;
    AddRep(&env_.metrics, dana, DefaultMonths());
  }

  static CoachingPlan BasePlan() {
    CoachingPlan plan;
    plan.set_tenant_id("t1");
    plan.set_rep_id("dana");
    plan.set_month("2024-06");
    plan.set_competency_id("connecting");
    plan.set_created_by("mgr-1");
    return plan;
  }

  absl::StatusOr<CoachingPlan> Create(const CoachingPlan& plan) {
    coachstream::v1::CreatePlanRequest request;
    *request.mutable_plan() = plan;
    return env_.core->CreatePlan(request);
  }

  CoreEnv env_;
};

TEST_F(PlanTest, DefaultsComeFromTheCompetencyAndTheTemplate) {
  absl::StatusOr<CoachingPlan> plan = Create(BasePlan());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_GE(plan->activities_size(), 3);
  ASSERT_EQ(plan->objectives_size(), 1);
  const Objective& o = plan->objectives(0);
  EXPECT_EQ(o.objective_id(), "obj-1");
  EXPECT_EQ(o.competency_id(), "connecting");
  EXPECT_EQ(o.target_driver(), "connect_rate");
  EXPECT_NEAR(o.target_value(), 0.146, 0.0005);
  EXPECT_EQ(o.deadline_period(), "2024-06");
  // June's connect rate is 9%: 80% into the month, the line from May's 9%
  // to 14.6% is at 13.6%, so the objective is off track.
  EXPECT_NEAR(o.current_value(), 0.09, 1e-9);
  EXPECT_EQ(o.progress(), kOffTrack);
  EXPECT_EQ(FromTimestamp(plan->created_at()), env_.clock.Now());
}

TEST_F(PlanTest, CreatingAPlanAcceptsTheFocus) {
  CoachingPlan input = BasePlan();
  input.set_competency_id("closing");  // the manager's choice over the recommendation
  ASSERT_TRUE(Create(input).ok());
  absl::StatusOr<coachstream::v1::RecommendFocusSkillResponse> r =
      env_.core->RecommendFocusSkill(RecommendRequest("dana"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status(), coachstream::v1::RECOMMENDATION_STATUS_ACCEPTED);
  EXPECT_EQ(r->focus().competency_id(), "closing");
  // Accepting another focus now conflicts with the plan.
  coachstream::v1::AcceptFocusSkillRequest accept;
  accept.set_tenant_id("t1");
  accept.set_rep_id("dana");
  accept.set_month("2024-06");
  accept.set_competency_id("connecting");
  EXPECT_EQ(env_.core->AcceptFocusSkill(accept).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(PlanTest, ProgressIsComputedNeverTypedIn) {
  CoachingPlan input = BasePlan();
  Objective* o = input.add_objectives();
  o->set_target_driver("calls_made");
  o->set_target_value(300);
  o->set_progress(kMet);      // ignored
  o->set_current_value(1e9);  // ignored
  input.set_competency_id("prospecting_volume");
  absl::StatusOr<CoachingPlan> plan = Create(input);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // 408 calls so far in June (500 x 24.5/30): past 300, met.
  EXPECT_NEAR(plan->objectives(0).current_value(), 500 * 24.5 / 30, 1e-6);
  EXPECT_EQ(plan->objectives(0).progress(), kMet);
  // Stored without the computed fields; GetPlan computes them again.
  coachstream::v1::GetPlanRequest get;
  get.set_tenant_id("t1");
  get.set_rep_id("dana");
  get.set_month("2024-06");
  absl::StatusOr<CoachingPlan> read = env_.core->GetPlan(get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->objectives(0).progress(), kMet);
  EXPECT_EQ(read->competency_id(), "prospecting_volume");
}

TEST_F(PlanTest, ValidationErrorsNameTheField) {
  struct Case {
    const char* name;
    std::function<void(CoachingPlan&)> mutate;
    const char* expected;
  };
  const Case cases[] = {
      {"no rep", [](CoachingPlan& p) { p.clear_rep_id(); }, "plan.rep_id: required"},
      {"bad month", [](CoachingPlan& p) { p.set_month("June"); }, "plan.month:"},
      {"quarter", [](CoachingPlan& p) { p.set_month("2024-Q2"); }, "plan.month: \"2024-Q2\" is not a month"},
      {"no competency", [](CoachingPlan& p) { p.clear_competency_id(); }, "plan.competency_id: required"},
      {"unknown competency", [](CoachingPlan& p) { p.set_competency_id("magic"); },
       "plan.competency_id: unknown competency \"magic\""},
      {"driver not of competency",
       [](CoachingPlan& p) { p.add_objectives()->set_target_driver("win_rate_count"); },
       "plan.objectives[0].target_driver: \"win_rate_count\" does not measure competency \"connecting\""},
      {"no target driver", [](CoachingPlan& p) { p.add_objectives()->set_target_value(1); },
       "plan.objectives[0].target_driver: required"},
      {"negative target",
       [](CoachingPlan& p) {
         Objective* o = p.add_objectives();
         o->set_target_driver("connect_rate");
         o->set_target_value(-1);
       },
       "plan.objectives[0].target_value: must be a finite number >= 0"},
      {"deadline before month",
       [](CoachingPlan& p) {
         Objective* o = p.add_objectives();
         o->set_target_driver("connect_rate");
         o->set_deadline_period("2024-05");
       },
       "plan.objectives[0].deadline_period: \"2024-05\" ends before the plan's month"},
      {"duplicate objective ids",
       [](CoachingPlan& p) {
         for (int i = 0; i < 2; ++i) {
           Objective* o = p.add_objectives();
           o->set_objective_id("a");
           o->set_target_driver("connect_rate");
         }
       },
       "plan.objectives[1].objective_id: duplicate id \"a\""},
      {"empty activity", [](CoachingPlan& p) { p.add_activities(""); },
       "plan.activities[0]: must not be empty"},
      {"wrong role", [](CoachingPlan& p) { p.set_rep_id("sam"); },
       "plan.competency_id: \"connecting\" does not apply"},
  };
  RepSpec sam;
  sam.id = "sam";
  sam.role = coachstream::v1::ROLE_ACCOUNT_MANAGER;
  AddRep(&env_.metrics, sam, DefaultMonths());
  for (const Case& c : cases) {
    CoachingPlan plan = BasePlan();
    c.mutate(plan);
    const absl::Status s = Create(plan).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name << ": " << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.expected)) << c.name;
  }
  coachstream::v1::CreatePlanRequest empty;
  EXPECT_THAT(std::string(env_.core->CreatePlan(empty).status().message()), HasSubstr("plan: required"));
}

TEST_F(PlanTest, ReviewObjectiveRecordsTheReviewAndReplacementKeepsIt) {
  ASSERT_TRUE(Create(BasePlan()).ok());
  env_.clock.Advance(absl::Hours(24));
  coachstream::v1::ReviewObjectiveRequest review;
  review.set_tenant_id("t1");
  review.set_rep_id("dana");
  review.set_month("2024-06");
  review.set_objective_id("obj-1");
  absl::StatusOr<Objective> o = env_.core->ReviewObjective(review);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(FromTimestamp(o->last_reviewed_at()), env_.clock.Now());
  EXPECT_NE(o->progress(), coachstream::v1::OBJECTIVE_PROGRESS_UNSPECIFIED);
  // Replacing the plan keeps created_at and the review time of obj-1.
  const absl::Time reviewed = env_.clock.Now();
  env_.clock.Advance(absl::Hours(1));
  CoachingPlan again = BasePlan();
  Objective* kept = again.add_objectives();
  kept->set_objective_id("obj-1");
  kept->set_target_driver("connect_rate");
  kept->set_target_value(0.15);
  absl::StatusOr<CoachingPlan> replaced = Create(again);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_EQ(FromTimestamp(replaced->objectives(0).last_reviewed_at()), reviewed);
  EXPECT_EQ(FromTimestamp(replaced->created_at()), reviewed - absl::Hours(24));

  review.set_objective_id("obj-9");
  EXPECT_EQ(env_.core->ReviewObjective(review).status().code(), absl::StatusCode::kNotFound);
  review.set_month("2024-05");
  review.set_objective_id("obj-1");
  EXPECT_EQ(env_.core->ReviewObjective(review).status().code(), absl::StatusCode::kNotFound);
  review.clear_objective_id();
  EXPECT_THAT(std::string(env_.core->ReviewObjective(review).status().message()),
              HasSubstr("objective_id: required"));
}

}  // namespace
}  // namespace cs::coaching::testing
