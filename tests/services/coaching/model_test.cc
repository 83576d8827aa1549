// Shrinkage, the driver window and the bookings model (funnel sensitivity).

#include <cmath>
#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/funnel.h"
#include "services/coaching/core/shrinkage.h"
#include "services/coaching/core/window.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching {
namespace {

using coachstream::v1::Benchmark;
using testing::Count;
using testing::Rate;

Benchmark Bench(const std::string& driver, double median, int peers = 10, double p75 = -1) {
  Benchmark b;
  b.set_driver(driver);
  b.set_median(median);
  b.set_p75(p75 < 0 ? median : p75);
  b.set_peers(peers);
  return b;
}

MonthData Month(const std::string& month, double elapsed, std::vector<coachstream::v1::DriverValue> values,
                std::vector<Benchmark> benchmarks) {
  MonthData m;
  m.month = *ParsePeriod(month);
  m.elapsed = elapsed;
  m.rep.set_rep_id("r1");
  for (auto& v : values) *m.rep.add_drivers() = std::move(v);
  m.benchmarks = std::move(benchmarks);
  return m;
}

TEST(ShrinkageTest, BetaBinomialPosteriorMean) {
  // 3 connects in 10 calls, peers at 20%, k = 20: (3 + 20 * 0.2) / (10 + 20).
  EXPECT_DOUBLE_EQ(ShrinkRate(3, 10, 0.2, 20), 7.0 / 30);
  // No data: the benchmark. Much data: nearly the rep's own rate.
  EXPECT_DOUBLE_EQ(ShrinkRate(0, 0, 0.2, 20), 0.2);
  EXPECT_NEAR(ShrinkRate(3000, 10000, 0.2, 20), 0.3, 0.001);
  // k = 0: no shrinkage.
  EXPECT_DOUBLE_EQ(ShrinkRate(3, 10, 0.2, 0), 0.3);
  // A mean of 4 deals at $10k toward $20k with k = 4: halfway.
  EXPECT_DOUBLE_EQ(ShrinkMean(10000, 4, 20000, 4), 15000);
}

TEST(DriverWindowTest, CountsPerMonthRatesPooledAndShrunk) {
  RecommenderOptions options;  // k = 20 calls
  std::vector<MonthData> months = {
      Month("2024-04", 1.0, {Count("calls_made", 100), Rate("connect_rate", 10, 100)},
            {Bench("calls_made", 200), Bench("connect_rate", 0.2)}),
      Month("2024-05", 0.5, {Count("calls_made", 50), Rate("connect_rate", 5, 50)},
            {Bench("calls_made", 100), Bench("connect_rate", 0.2)}),
  };
  const DriverWindow w = DriverWindow::Build({months, {}}, options);
  EXPECT_DOUBLE_EQ(w.months_elapsed(), 1.5);
  const WindowValue* calls = w.Find("calls_made");
  ASSERT_NE(calls, nullptr);
  EXPECT_DOUBLE_EQ(calls->raw, 100);        // 150 calls over 1.5 months
  EXPECT_DOUBLE_EQ(calls->benchmark, 200);  // (200 + 100) / 1.5
  const WindowValue* connect = w.Find("connect_rate");
  EXPECT_DOUBLE_EQ(connect->raw, 0.1);
  EXPECT_DOUBLE_EQ(connect->benchmark, 0.2);
  EXPECT_DOUBLE_EQ(connect->value, (15 + 20 * 0.2) / (150 + 20));
  EXPECT_EQ(w.Total("calls_made"), 150);
}

TEST(DriverWindowTest, PeersPriorStrengthShrinksUpToTheDefault) {
  // Two won deals at a 27% discount among peers at 2%.
  auto discount = [](std::optional<double> peer_k) {
    Benchmark b = Bench("avg_discount", 200);
    if (peer_k) b.set_prior_strength(*peer_k);
    return b;
  };
  auto window = [&](std::optional<double> peer_k, const RecommenderOptions& o) {
    return DriverWindow::Build({{Month("2024-05", 1.0, {Rate("avg_discount", 2 * 2700, 2)}, {discount(peer_k)})}, {}},
                               o);
  };
  RecommenderOptions o;  // 10 deals by default
  // The peers say reps differ a lot (k = 0.5): 2 deals carry 80% of the weight.
  EXPECT_DOUBLE_EQ(window(0.5, o).Find("avg_discount")->value, (2 * 2700 + 0.5 * 200) / 2.5);
  EXPECT_DOUBLE_EQ(window(0.5, o).Find("avg_discount")->prior_strength, 0.5);
  // No estimate, or one above the default: the default (10 deals).
  EXPECT_DOUBLE_EQ(window(std::nullopt, o).Find("avg_discount")->value, (2 * 2700 + 10 * 200) / 12.0);
  EXPECT_DOUBLE_EQ(window(1e6, o).Find("avg_discount")->value, (2 * 2700 + 10 * 200) / 12.0);
  // A per-driver override wins; the estimate can be switched off.
  RecommenderOptions fixed;
  fixed.prior_strength_by_driver["avg_discount"] = 2;
  EXPECT_DOUBLE_EQ(window(0.5, fixed).Find("avg_discount")->value, (2 * 2700 + 2 * 200) / 4.0);
  RecommenderOptions off;
  off.peer_prior_strength = false;
  EXPECT_DOUBLE_EQ(window(0.5, off).Find("avg_discount")->value, (2 * 2700 + 10 * 200) / 12.0);
}

TEST(DriverWindowTest, QuarterBenchmarksReplaceMonthlyOnesForRates) {
  std::vector<MonthData> months = {
      Month("2024-04", 1.0, {Rate("connect_rate", 10, 100)}, {Bench("connect_rate", 0.25)})};
  PeriodBenchmarks q2{*ParsePeriod("2024-Q2"), 1.0, {Bench("connect_rate", 0.2)}};
  const DriverWindow w = DriverWindow::Build({months, {q2}}, RecommenderOptions());
  EXPECT_DOUBLE_EQ(w.Find("connect_rate")->benchmark, 0.2);
}

TEST(DriverWindowTest, InactiveMonthsAreLeftOutAndDerivedRatesDivideCounts) {
  std::vector<MonthData> months = {
      Month("2024-04", 1.0, {Count("calls_made", 0)}, {Bench("calls_made", 200)}),  // not started yet
      Month("2024-05", 1.0,
            {Count("calls_made", 200), Count("calls_connected", 40), Count("meetings_booked", 8)},
            {Bench("calls_made", 200), Bench("calls_connected", 50), Bench("meetings_booked", 15)}),
  };
  const DriverWindow w = DriverWindow::Build({months, {}}, RecommenderOptions());
  EXPECT_DOUBLE_EQ(w.months_elapsed(), 1.0);
  EXPECT_DOUBLE_EQ(w.Find("calls_made")->raw, 200);
  const WindowValue* meeting = w.Find("meeting_rate");
  ASSERT_NE(meeting, nullptr);
  EXPECT_DOUBLE_EQ(meeting->raw, 0.2);        // 8 / 40
  EXPECT_DOUBLE_EQ(meeting->benchmark, 0.3);  // 15 / 50: ratio of the medians
  EXPECT_DOUBLE_EQ(meeting->value, (8 + 20 * 0.3) / (40 + 20));
}

TEST(FunnelTest, LeverMultipliers) {
  RecommenderOptions o;
  const DriverInfo& connect = *FindDriverInfo("connect_rate");
  EXPECT_DOUBLE_EQ(LeverMultiplier(connect, 0.1, 0.2, o), 2.0);
  EXPECT_DOUBLE_EQ(LeverMultiplier(connect, 0.01, 0.2, o), 3.0);  // capped
  EXPECT_DOUBLE_EQ(LeverMultiplier(connect, 0, 0.2, o), 3.0);
  // A discount of 25% instead of 10%: the rep keeps 75% of list, peers 90%.
  EXPECT_DOUBLE_EQ(LeverMultiplier(*FindDriverInfo("avg_discount"), 2500, 1000, o), 0.9 / 0.75);
  // Median cycle 160 vs 80 days with a 90-day horizon.
  EXPECT_DOUBLE_EQ(CycleLanding(80, 90), 1 - std::exp2(-90.0 / 80));
  EXPECT_DOUBLE_EQ(LeverMultiplier(*FindDriverInfo("median_cycle_days"), 160, 80, o),
                   CycleLanding(80, 90) / CycleLanding(160, 90));
}

// A window where every lever is known, with one rep value per driver.
DriverWindow FullWindow(double connect, double win, double neg_conversion, double talk) {
  std::vector<coachstream::v1::DriverValue> v = {
      Count("calls_made", 1000),
      Count("calls_connected", 1000 * connect),
      Rate("connect_rate", 1000 * connect, 1000),
      Count("meetings_booked", 1000 * connect * 0.3),
      Count("customer_meetings_held", 1000 * connect * 0.3),
      Count("first_meetings_held", 1000 * connect * 0.3),
      Count("opportunities_created", 1000 * connect * 0.15),
      Rate("win_rate_count", 1000 * win, 1000),
      Rate("stage_conversion_negotiation", 1000 * neg_conversion, 1000),
      Rate("stage_conversion_proposal", 750, 1000),
      Rate("avg_won_deal_size", 1e9, 1000),
      Rate("median_cycle_days", 80, 1, 1000),
      Rate("talk_ratio", 1000 * talk, 1000)};
  std::vector<Benchmark> b = {Bench("calls_made", 1000),
                              Bench("calls_connected", 200),
                              Bench("connect_rate", 0.2),
                              Bench("meetings_booked", 60),
                              Bench("customer_meetings_held", 60),
                              Bench("first_meetings_held", 60),
                              Bench("opportunities_created", 30),
                              Bench("win_rate_count", 0.3),
                              Bench("stage_conversion_negotiation", 0.6),
                              Bench("stage_conversion_proposal", 0.75),
                              Bench("avg_won_deal_size", 1e6),
                              Bench("median_cycle_days", 80),
                              Bench("talk_ratio", 0.45)};
  RecommenderOptions o;
  o.prior_strength_calls = 0;  // no shrinkage: exact arithmetic
  o.prior_strength_deals = 0;
  o.prior_strength_meetings = 0;
  return DriverWindow::Build({{Month("2024-05", 1.0, v, b)}, {}}, o);
}

Competency Comp(const std::string& id, Lever lever, std::vector<CompetencyDriver> drivers) {
  Competency c;
  c.id = id;
  c.lever = lever;
  c.drivers = std::move(drivers);
  return c;
}

TEST(FunnelTest, BookingsAreTheProductOfTheLevers) {
  RecommenderOptions o;
  const DriverWindow w = FullWindow(0.1, 0.3, 0.6, 0.45);
  const FunnelModel model = FunnelModel::Build(w, o);
  ASSERT_TRUE(model.complete());
  // 1000 calls x 10% x 0.3 meetings per connect x 0.5 opps per meeting x 30% x $10,000 x 1.
  EXPECT_NEAR(model.bookings(), 1000 * 0.1 * 0.3 * 0.5 * 0.3 * 1e6, 1e-3);
  const Competency connecting = Comp("connecting", Lever::kConnect,
                                     {{"connect_rate", Direction::kHigherIsBetter, DriverRole::kOutcome}});
  EXPECT_NEAR(EstimateGain(connecting, w, o).multiplier, 2.0, 1e-12);
}

TEST(FunnelTest, WinStagesTakeTheirShareOfTheWinRateGap) {
  RecommenderOptions o;
  o.prior_strength_deals = 0;
  // Win rate 15% vs 30%: G = 2. Negotiation 30% vs 60% (log 2) and
  // proposal 75% vs 75% (no gap): negotiation explains all of it.
  DriverWindow w = FullWindow(0.2, 0.15, 0.3, 0.45);
  const Competency closing =
      Comp("closing", Lever::kWin,
           {{"stage_conversion_negotiation", Direction::kHigherIsBetter, DriverRole::kOutcome}});
  const CompetencyGain g = EstimateGain(closing, w, o);
  EXPECT_NEAR(g.multiplier, 2.0, 1e-9);
  ASSERT_EQ(g.moves.size(), 1u);
  EXPECT_NEAR(g.moves[0].win_share, 1.0, 1e-12);
  // A stage at peer level claims nothing.
  const Competency advancing =
      Comp("advancing", Lever::kWin,
           {{"stage_conversion_proposal", Direction::kHigherIsBetter, DriverRole::kOutcome}});
  EXPECT_DOUBLE_EQ(EstimateGain(advancing, w, o).multiplier, 1.0);
}

TEST(FunnelTest, BehaviourClaimsItsLeverOnlyWithEvidence) {
  RecommenderOptions o;
  const Competency listening =
      Comp("listening", Lever::kConnect, {{"talk_ratio", Direction::kLowerIsBetter, DriverRole::kBehaviour}});
  // Connect rate 10% vs 20% and talk ratio 70% vs 45%: the behaviour explains the gap.
  const CompetencyGain with = EstimateGain(listening, FullWindow(0.1, 0.3, 0.6, 0.70), o);
  EXPECT_TRUE(with.behaviour_claim);
  EXPECT_NEAR(with.multiplier, 2.0, 1e-9);
  EXPECT_THAT(with.behaviour_gaps, ::testing::ElementsAre("talk_ratio"));
  // Same gap, talk ratio at peer level: no claim.
  const CompetencyGain without = EstimateGain(listening, FullWindow(0.1, 0.3, 0.6, 0.45), o);
  EXPECT_FALSE(without.behaviour_claim);
  EXPECT_DOUBLE_EQ(without.multiplier, 1.0);
}

TEST(FunnelTest, DriversOfOneLeverCountOnce) {
  RecommenderOptions o;
  o.prior_strength_deals = 0;
  // Deal size at 50% of peers ($5k vs $10k) and discount 25% vs 10%: both
  // measure the deal-size lever; the larger (x2) counts, not the product.
  std::vector<coachstream::v1::DriverValue> v = {Rate("avg_won_deal_size", 5e5 * 10, 10),
                                                 Rate("avg_discount", 2500 * 10, 10)};
  std::vector<Benchmark> b = {Bench("avg_won_deal_size", 1e6), Bench("avg_discount", 1000)};
  const DriverWindow w = DriverWindow::Build({{Month("2024-05", 1.0, v, b)}, {}}, o);
  const Competency negotiation =
      Comp("negotiation", Lever::kDealSize,
           {{"avg_won_deal_size", Direction::kHigherIsBetter, DriverRole::kOutcome},
            {"avg_discount", Direction::kLowerIsBetter, DriverRole::kOutcome}});
  const CompetencyGain g = EstimateGain(negotiation, w, o);
  EXPECT_NEAR(g.multiplier, 2.0, 1e-9);
  EXPECT_EQ(g.moves.size(), 2u);
}

}  // namespace
}  // namespace cs::coaching
