#pragma once

// The team board's pure rules: A/B/C tiers, the split of the manager's
// coaching time, gap to goal, and micro-coaching candidates.
//
// Tiers ("move the middle", DOMAIN.md). With attainment = bookings over the
// quota pro-rated to the time elapsed (the board's window):
//   A  attainment >= a_min_attainment, or in the top a_top_fraction of the
//      team (and not below c_max_attainment);
//   C  otherwise, attainment < c_max_attainment or in the bottom
//      c_bottom_fraction;
//   B  everyone else.
// Trend (this month's pro-rated attainment minus the earlier months')
// softens the extremes: a C rep improving by trend_threshold or more, and an
// A rep falling by as much, are B: they are where coaching moves the number.
// Reps without a quota get no tier. Fractions of the team are counted down
// (20% of a 4-rep team is no one), so small teams tier on thresholds only.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "services/coaching/core/options.h"

namespace cs::coaching {

struct TierInput {
  double attainment = -1;  // < 0: no quota
  double trend = 0;
  bool has_trend = false;
};

std::vector<coachstream::v1::Tier> AssignTiers(const std::vector<TierInput>& reps,
                                               const BoardOptions& options);

// Minutes per rep: the budget (coaching_hours_per_rep x reps) split by tier
// weight. Sums to the budget.
std::vector<double> SplitCoachingMinutes(const std::vector<coachstream::v1::Tier>& tiers,
                                         const BoardOptions& options);

// remaining = max(0, quota - bookings); pipeline needed = remaining / win
// rate (0 when the win rate is unknown); coverage = open / remaining (0 when
// nothing remains).
coachstream::v1::GapToGoal ComputeGap(double monthly_quota_minor, double bookings_minor, double win_rate,
                                      double open_pipeline_minor);

// The open deals most worth a micro-coaching session, best first, at most
// max_micro_candidates, each with its reasons ("stalled 21 days; close date
// slipped twice; 2.1x your average deal; in negotiation"). Deals with no
// reason are not candidates. `average_deal_minor` <= 0 disables "large".
std::vector<coachstream::v1::MicroCoachingCandidate> RankMicroCoaching(
    const std::vector<coachstream::v1::OpenDeal>& deals, double average_deal_minor, absl::Time now,
    absl::CivilDay today, const BoardOptions& options);

}  // namespace cs::coaching
