// The team board: tiers, the coaching-time split, gap to goal,
// micro-coaching candidates, and the assembled GetTeamBoard.

#include "services/coaching/core/board.h"

#include <numeric>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/proto_time.h"
#include "tests/services/coaching/fixtures.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::OpenDeal;
using coachstream::v1::Tier;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr Tier kA = coachstream::v1::TIER_A;
constexpr Tier kB = coachstream::v1::TIER_B;
constexpr Tier kC = coachstream::v1::TIER_C;
constexpr Tier kNone = coachstream::v1::TIER_UNSPECIFIED;

TierInput At(double attainment) { return TierInput{attainment, 0, false}; }
TierInput Trend(double attainment, double trend) { return TierInput{attainment, trend, true}; }

TEST(TiersTest, ThresholdsAndTeamFractions) {
  BoardOptions o;
  // Ten reps: 20% of the team is two reps at each end.
  std::vector<TierInput> reps = {At(1.2),  At(0.95), At(0.9),  At(0.85), At(0.8),
                                 At(0.75), At(0.7),  At(0.65), At(0.6),  At(0.55)};
  EXPECT_THAT(AssignTiers(reps, o), ElementsAre(kA, kA, kB, kB, kB, kB, kB, kB, kC, kC));
  // Small teams tier on the thresholds only; no quota, no tier.
  EXPECT_THAT(AssignTiers({At(1.0), At(0.7), At(0.4), At(-1)}, o), ElementsAre(kA, kB, kC, kNone));
}

TEST(TiersTest, TrendMovesTheExtremesToTheMiddle) {
  BoardOptions o;
  EXPECT_THAT(AssignTiers({Trend(0.4, 0.3), Trend(0.4, 0.1), Trend(1.3, -0.4), Trend(1.3, -0.1)}, o),
              ElementsAre(kB, kC, kB, kA));
}

TEST(TimeSplitTest, MoveTheMiddle) {
  BoardOptions o;  // 3 h per rep; A and C 0.5, B 1.5
  const std::vector<double> m = SplitCoachingMinutes({kA, kB, kB, kC}, o);
  EXPECT_NEAR(std::accumulate(m.begin(), m.end(), 0.0), 4 * 180, 1e-9);
  // Weights 0.5 + 1.5 + 1.5 + 0.5 = 4 over 720 minutes.
  EXPECT_THAT(m, ElementsAre(90, 270, 270, 90));
  o.coaching_hours_per_rep = 4;
  EXPECT_NEAR(SplitCoachingMinutes({kB}, o)[0], 240, 1e-9);
}

TEST(GapTest, PipelineNeededAtTheRepsOwnWinRate) {
  // $80k quota, $30k booked, 25% win rate, $150k open.
  const coachstream::v1::GapToGoal g = ComputeGap(8'000'000, 3'000'000, 0.25, 15'000'000);
  EXPECT_DOUBLE_EQ(g.remaining_quota_minor(), 5'000'000);
  EXPECT_DOUBLE_EQ(g.pipeline_needed_minor(), 20'000'000);
  EXPECT_DOUBLE_EQ(g.open_pipeline_minor(), 15'000'000);
  EXPECT_DOUBLE_EQ(g.coverage(), 3.0);
  EXPECT_DOUBLE_EQ(ComputeGap(8'000'000, 9'000'000, 0.25, 1).remaining_quota_minor(), 0);
  EXPECT_DOUBLE_EQ(ComputeGap(8'000'000, 0, 0, 1).pipeline_needed_minor(), 0);
}

OpenDeal Deal(const std::string& id, coachstream::v1::DealStage stage, int64_t amount, int idle_days,
              int slips, absl::Time now, absl::CivilDay close = absl::CivilDay(2024, 7, 31)) {
  OpenDeal d;
  d.set_deal_id(id);
  d.set_name("Deal " + id);
  d.set_stage(stage);
  d.mutable_amount()->set_amount_minor(amount);
  d.set_close_date_slips(slips);
  *d.mutable_last_activity_at() = ToTimestamp(now - absl::Hours(24 * idle_days));
  d.mutable_close_date()->set_year(static_cast<int>(close.year()));
  d.mutable_close_date()->set_month(close.month());
  d.mutable_close_date()->set_day(close.day());
  return d;
}

TEST(MicroCoachingTest, RanksStalledSlippedLargeLateDeals) {
  const absl::Time now = DefaultNow();
  const absl::CivilDay today(2024, 6, 25);
  using S = coachstream::v1::DealStage;
  std::vector<OpenDeal> deals = {
      Deal("fresh", S::DEAL_STAGE_DISCOVERY, 1'000'000, 2, 0, now),       // nothing to coach
      Deal("stalled", S::DEAL_STAGE_DISCOVERY, 1'000'000, 28, 0, now),    // 2 units stalled
      Deal("big-late", S::DEAL_STAGE_NEGOTIATION, 4'000'000, 3, 0, now),  // 2.7x average + late
      Deal("slipped", S::DEAL_STAGE_PROPOSAL, 1'500'000, 5, 2, now),      // 2 slips + late
      Deal("overdue", S::DEAL_STAGE_QUALIFICATION, 1'000'000, 1, 0, now, absl::CivilDay(2024, 6, 1)),
  };
  const auto c = RankMicroCoaching(deals, 1'500'000, now, today, BoardOptions());
  ASSERT_EQ(c.size(), 3u);
  // big-late: 2.67 (large) + 1 (late) = 3.67; slipped: 1.5 + 1 = 2.5; stalled: 2.
  EXPECT_EQ(c[0].deal_id(), "big-late");
  EXPECT_NEAR(c[0].score(), 4.0 / 1.5 + 1, 1e-9);
  EXPECT_EQ(c[0].reason(), "2.7x your average deal; in negotiation");
  EXPECT_EQ(c[1].deal_id(), "slipped");
  EXPECT_EQ(c[1].reason(), "close date slipped twice; in proposal");
  EXPECT_EQ(c[2].deal_id(), "stalled");
  EXPECT_EQ(c[2].reason(), "stalled 28 days");
  EXPECT_EQ(c[2].deal_name(), "Deal stalled");
  BoardOptions one;
  one.max_micro_candidates = 1;
  EXPECT_EQ(RankMicroCoaching(deals, 1'500'000, now, today, one).size(), 1u);
  const auto overdue = RankMicroCoaching({deals[4]}, 1'500'000, now, today, BoardOptions());
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].reason(), "close date passed 24 days ago");
}

TEST(TeamBoardTest, AssemblesTheBoard) {
  CoreEnv env;
  AddPeers(&env.metrics, 3);  // peer-1..3: bookings at 91% of quota
  RepSpec star;
  star.id = "star";
  star.name = "Star";
  star.bookings_factor = 2;  // far above quota: A
  AddRep(&env.metrics, star, DefaultMonths());
  RepSpec weak;
  weak.id = "weak";
  weak.name = "Weak";
  weak.connect = 0.05;  // C, recommended connecting
  AddRep(&env.metrics, weak, DefaultMonths());
  RepSpec boss;  // a manager in the subtree is not on the board
  boss.id = "sub-manager";
  boss.role = coachstream::v1::ROLE_FRONTLINE_MANAGER;
  AddRep(&env.metrics, boss, DefaultMonths());
  env.metrics.SetManager("mgr-1", "director-1");
  const absl::Time now = env.clock.Now();
  env.metrics.SetOpenDeals("weak",
                           {Deal("w1", coachstream::v1::DEAL_STAGE_NEGOTIATION, 9'000'000, 30, 1, now)});

  coachstream::v1::GetTeamBoardRequest request;
  request.set_tenant_id("t1");
  request.set_manager_id("mgr-1");
  request.set_month("2024-06");
  absl::StatusOr<coachstream::v1::GetTeamBoardResponse> board = env.core->GetTeamBoard(request);
  ASSERT_TRUE(board.ok()) << board.status();
  ASSERT_EQ(board->rows_size(), 5);
  std::map<std::string, coachstream::v1::BoardRow> rows;
  for (const auto& r : board->rows()) rows[r.rep_id()] = r;
  EXPECT_EQ(rows.count("sub-manager"), 0u);
  EXPECT_EQ(rows["star"].tier(), kA);
  EXPECT_EQ(rows["weak"].tier(), kC);
  EXPECT_EQ(rows["peer-1"].tier(), kB);
  EXPECT_EQ(board->rows(0).rep_id(), "star");  // A first, then B, then C
  EXPECT_EQ(board->rows(4).rep_id(), "weak");
  // 5 reps x 3 h = 900 min; weights 0.5 + 3 x 1.5 + 0.5 = 5.5.
  EXPECT_NEAR(rows["peer-1"].recommended_coaching_minutes(), 900 * 1.5 / 5.5, 1e-9);
  EXPECT_NEAR(rows["star"].recommended_coaching_minutes(), 900 * 0.5 / 5.5, 1e-9);

  EXPECT_EQ(rows["weak"].focus_competency_id(), "connecting");
  EXPECT_THAT(rows["weak"].focus_rationale(), HasSubstr("Recommended."));
  EXPECT_THAT(rows["weak"].focus_rationale(), HasSubstr("connect rate is"));
  EXPECT_GT(rows["weak"].gain_minor(), 0);
  EXPECT_EQ(rows["weak"].plan_status(), "no plan");
  ASSERT_EQ(rows["weak"].micro_coaching_size(), 1);
  EXPECT_THAT(rows["weak"].micro_coaching(0).reason(), HasSubstr("stalled 30 days"));
  EXPECT_EQ(rows["weak"].display_name(), "Weak");

  // Gap: June quota $90k less June bookings, at the rep's own win rate.
  const coachstream::v1::GapToGoal& gap = rows["weak"].gap();
  EXPECT_GT(gap.remaining_quota_minor(), 0);
  EXPECT_LT(gap.remaining_quota_minor(), 9'000'000);
  EXPECT_GT(gap.pipeline_needed_minor(), gap.remaining_quota_minor());
  EXPECT_DOUBLE_EQ(gap.open_pipeline_minor(), 20 * 1'500'000);
  EXPECT_NEAR(gap.coverage(), gap.open_pipeline_minor() / gap.remaining_quota_minor(), 1e-9);
  EXPECT_GT(board->rollup_size(), 0);
}

TEST(TeamBoardTest, AcceptedFocusAndPlanStatusShow) {
  CoreEnv env;
  AddPeers(&env.metrics, 4);
  coachstream::v1::CreatePlanRequest create;
  auto* plan = create.mutable_plan();
  plan->set_tenant_id("t1");
  plan->set_rep_id("peer-1");
  plan->set_month("2024-06");
  plan->set_competency_id("prospecting_volume");
  auto* o = plan->add_objectives();
  o->set_target_driver("calls_made");
  o->set_target_value(600);  // 408 so far, 80% into June: behind the 490 pace
  ASSERT_TRUE(env.core->CreatePlan(create).ok());
  coachstream::v1::GetTeamBoardRequest request;
  request.set_tenant_id("t1");
  request.set_manager_id("mgr-1");
  request.set_month("2024-06");
  absl::StatusOr<coachstream::v1::GetTeamBoardResponse> board = env.core->GetTeamBoard(request);
  ASSERT_TRUE(board.ok()) << board.status();
  for (const auto& row : board->rows()) {
    if (row.rep_id() != "peer-1") continue;
    EXPECT_EQ(row.focus_competency_id(), "prospecting_volume");
    EXPECT_THAT(row.focus_rationale(), HasSubstr("Accepted focus."));
    EXPECT_EQ(row.plan_status(), "plan: 1 off track");
  }
  request.set_manager_id("nobody");
  EXPECT_EQ(env.core->GetTeamBoard(request).status().code(), absl::StatusCode::kNotFound);
  request.clear_manager_id();
  EXPECT_THAT(std::string(env.core->GetTeamBoard(request).status().message()),
              HasSubstr("manager_id: required"));
}

}  // namespace
}  // namespace cs::coaching::testing
