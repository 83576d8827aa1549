// The empirical-Bayes prior strength the metrics service publishes with
// each peer benchmark (peer_prior.h), and the sums of squares it rests on.

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "services/metrics/core/agg_ops.h"
#include "services/metrics/core/drivers.h"
#include "services/metrics/core/peer_prior.h"

namespace cs::metrics {
namespace {

DriverParts PartsOf(const char* driver, const RepPeriodInputs& in) { return FindDriver(driver)->compute(in); }

TEST(PeerPriorTest, MomentsOfYesNoRatesWonMeansAndMedians) {
  RepPeriodInputs in;
  in.agg.set_calls_made(10);
  in.agg.set_calls_connected(3);
  auto connect = MomentsOf(*FindDriver("connect_rate"), PartsOf("connect_rate", in));
  ASSERT_TRUE(connect.has_value());
  EXPECT_DOUBLE_EQ(connect->n, 10);
  EXPECT_DOUBLE_EQ(connect->value, 0.3);
  EXPECT_NEAR(connect->variance, 0.3 * 0.7 * 10 / 9, 1e-12);  // unbiased p(1-p)

  // Two won deals: $100 at 10% off and $300 at 30% off.
  AddWon(&in.agg, 10000, 1000, +1);
  AddWon(&in.agg, 30000, 3000, +1);
  in.agg.set_deals_won(2);
  auto size = MomentsOf(*FindDriver("avg_won_deal_size"), PartsOf("avg_won_deal_size", in));
  ASSERT_TRUE(size.has_value());
  EXPECT_DOUBLE_EQ(size->value, 20000);
  EXPECT_DOUBLE_EQ(size->variance, 2 * 10000.0 * 10000.0);  // (1e4^2 + 1e4^2) / 1
  auto discount = MomentsOf(*FindDriver("avg_discount"), PartsOf("avg_discount", in));
  ASSERT_TRUE(discount.has_value());
  EXPECT_DOUBLE_EQ(discount->variance, 2 * 1000.0 * 1000.0);

  in.agg.add_won_cycle_days(10);
  in.agg.add_won_cycle_days(20);
  in.agg.add_won_cycle_days(60);
  auto cycle = MomentsOf(*FindDriver("median_cycle_days"), PartsOf("median_cycle_days", in));
  ASSERT_TRUE(cycle.has_value());
  EXPECT_DOUBLE_EQ(cycle->value, 20);     // the median
  EXPECT_DOUBLE_EQ(cycle->variance, 700);  // of 10, 20, 60 around 30
  EXPECT_DOUBLE_EQ(cycle->noise_factor, std::numbers::pi / 2);

  // Counts and per-call means carry no per-sample spread.
  EXPECT_FALSE(MomentsOf(*FindDriver("calls_made"), PartsOf("calls_made", in)).has_value());
  EXPECT_FALSE(MomentsOf(*FindDriver("talk_ratio"), PartsOf("talk_ratio", in)).has_value());
}

TEST(PeerPriorTest, AddWonIsExactlyReversible) {
  coachstream::v1::RepPeriodAgg agg;
  AddWon(&agg, 123456789, 250, +1);
  AddWon(&agg, 5, 0, +1);
  AddWon(&agg, 123456789, 250, -1);
  AddWon(&agg, 5, 0, -1);
  EXPECT_EQ(agg.won_amount_minor(), 0);
  EXPECT_EQ(agg.won_discount_bps_sum(), 0);
  EXPECT_EQ(agg.won_amount_sq_hundreds(), 0);
  EXPECT_EQ(agg.won_discount_bps_sq(), 0);
  // An absurd amount saturates instead of overflowing.
  AddWon(&agg, int64_t{1} << 62, 0, +1);
  EXPECT_GT(agg.won_amount_sq_hundreds(), 0);
}

SampleMoments Peer(double n, double value, double variance) { return {n, value, variance, 1}; }

TEST(PeerPriorTest, DerSimonianLairdByHand) {
  // Ten peers with 100 calls each and within-rep variance 0.09; five at 5%
  // and five at 15%. w = 100 / 0.09; Q = 10 w 0.05^2 = 27.78;
  // tau^2 = (Q - 9) / (10 w - w) and k = 0.09 / tau^2.
  std::vector<SampleMoments> peers;
  for (int i = 0; i < 5; ++i) peers.push_back(Peer(100, 0.05, 0.09));
  for (int i = 0; i < 5; ++i) peers.push_back(Peer(100, 0.15, 0.09));
  const double w = 100 / 0.09;
  const double tau2 = (10 * w * 0.0025 - 9) / (9 * w);
  auto k = PeerPriorStrength(peers);
  ASSERT_TRUE(k.has_value());
  EXPECT_NEAR(*k, 0.09 / tau2, 1e-9);
}

TEST(PeerPriorTest, ReadsHowMuchRepsReallyDiffer) {
  // Disciplined peers discount 2% +- 1 point; one gives 27%: reps differ far
  // more than deals within a rep do, so a few deals are worth most of the
  // weight (k well below 1).
  std::vector<SampleMoments> peers;
  for (int i = 0; i < 9; ++i) peers.push_back(Peer(4, 200 + 10 * i, 100 * 100));
  peers.push_back(Peer(3, 2700, 500 * 500));
  auto k = PeerPriorStrength(peers);
  ASSERT_TRUE(k.has_value());
  EXPECT_LT(*k, 1);
  // Everyone at the same value: differences are noise, the prior is total.
  std::vector<SampleMoments> same(8, Peer(50, 0.3, 0.21));
  EXPECT_DOUBLE_EQ(PeerPriorStrength(same).value(), kMaxPriorStrength);
  // No within-rep spread at all (no discounts anywhere): figures are exact.
  std::vector<SampleMoments> exact(5, Peer(4, 0, 0));
  EXPECT_DOUBLE_EQ(PeerPriorStrength(exact).value(), 0);
}

TEST(PeerPriorTest, NeedsThreePeersWithTwoSamples) {
  std::vector<SampleMoments> peers = {Peer(10, 0.2, 0.16), Peer(1, 0, 0), Peer(1, 1, 0), Peer(12, 0.3, 0.21)};
  EXPECT_FALSE(PeerPriorStrength(peers).has_value());
  peers.push_back(Peer(8, 0.25, 0.19));
  EXPECT_TRUE(PeerPriorStrength(peers).has_value());
  EXPECT_FALSE(PeerPriorStrength({}).has_value());
}

}  // namespace
}  // namespace cs::metrics
