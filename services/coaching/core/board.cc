#include "services/coaching/core/board.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/coaching/core/proto_time.h"

namespace cs::coaching {
namespace {

using coachstream::v1::Tier;

double TierWeight(Tier tier, const BoardOptions& o) {
  switch (tier) {
    case coachstream::v1::TIER_A:
      return o.weight_a;
    case coachstream::v1::TIER_B:
      return o.weight_b;
    case coachstream::v1::TIER_C:
      return o.weight_c;
    default:
      return o.weight_untiered;
  }
}

std::string Times(int n) {
  if (n == 1) return "once";
  if (n == 2) return "twice";
  return absl::StrCat(n, " times");
}

coachstream::v1::MicroCoachingCandidate ScoreDeal(const coachstream::v1::OpenDeal& d, double average,
                                                  absl::Time now, absl::CivilDay today,
                                                  const BoardOptions& o) {
  coachstream::v1::MicroCoachingCandidate s;
  std::vector<std::string> reasons;
  double score = 0;
  const double cap = o.max_factor_units;
  if (d.has_last_activity_at()) {
    const int64_t idle_days = absl::ToInt64Hours(now - FromTimestamp(d.last_activity_at())) / 24;
    if (idle_days >= o.stalled_after_days) {
      score += o.stalled_weight * std::min(cap, static_cast<double>(idle_days) / o.stalled_after_days);
      reasons.push_back(absl::StrCat("stalled ", idle_days, " days"));
    }
  }
  if (d.close_date_slips() > 0) {
    score += o.slip_weight * std::min(cap, static_cast<double>(d.close_date_slips()));
    reasons.push_back(absl::StrCat("close date slipped ", Times(d.close_date_slips())));
  }
  if (d.has_close_date() && d.close_date().year() > 0) {
    const absl::CivilDay close(d.close_date().year(), d.close_date().month(), d.close_date().day());
    if (close < today) {
      score += o.overdue_weight;
      reasons.push_back(absl::StrCat("close date passed ", today - close, " days ago"));
    }
  }
  const double amount = static_cast<double>(d.amount().amount_minor());
  if (average > 0 && amount >= o.large_deal_multiple * average) {
    score += o.large_weight * std::min(cap, amount / average);
    reasons.push_back(absl::StrFormat("%.1fx your average deal", amount / average));
  }
  if (d.stage() == coachstream::v1::DEAL_STAGE_PROPOSAL ||
      d.stage() == coachstream::v1::DEAL_STAGE_NEGOTIATION) {
    score += o.late_stage_weight;
    reasons.push_back(d.stage() == coachstream::v1::DEAL_STAGE_PROPOSAL ? "in proposal" : "in negotiation");
  }
  s.set_deal_id(d.deal_id());
  s.set_deal_name(d.name());
  s.set_reason(absl::StrJoin(reasons, "; "));
  s.set_score(score);
  return s;
}

}  // namespace

std::vector<Tier> AssignTiers(const std::vector<TierInput>& reps, const BoardOptions& o) {
  std::vector<size_t> ranked;  // reps with a quota, best attainment first
  for (size_t i = 0; i < reps.size(); ++i) {
    if (reps[i].attainment >= 0) ranked.push_back(i);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](size_t a, size_t b) { return reps[a].attainment > reps[b].attainment; });
  const size_t n = ranked.size();
  const size_t top = static_cast<size_t>(o.a_top_fraction * static_cast<double>(n));
  const size_t bottom = static_cast<size_t>(o.c_bottom_fraction * static_cast<double>(n));
  std::vector<Tier> tiers(reps.size(), coachstream::v1::TIER_UNSPECIFIED);
  for (size_t rank = 0; rank < n; ++rank) {
    const TierInput& r = reps[ranked[rank]];
    Tier t = coachstream::v1::TIER_B;
    if (r.attainment >= o.a_min_attainment || (rank < top && r.attainment >= o.c_max_attainment)) {
      t = coachstream::v1::TIER_A;
    } else if (r.attainment < o.c_max_attainment || rank >= n - bottom) {
      t = coachstream::v1::TIER_C;
    }
    if (r.has_trend && t == coachstream::v1::TIER_C && r.trend >= o.trend_threshold)
      t = coachstream::v1::TIER_B;
    if (r.has_trend && t == coachstream::v1::TIER_A && r.trend <= -o.trend_threshold)
      t = coachstream::v1::TIER_B;
    tiers[ranked[rank]] = t;
  }
  return tiers;
}

std::vector<double> SplitCoachingMinutes(const std::vector<Tier>& tiers, const BoardOptions& o) {
  const double budget = o.coaching_hours_per_rep * 60 * static_cast<double>(tiers.size());
  double total_weight = 0;
  for (Tier t : tiers) total_weight += TierWeight(t, o);
  std::vector<double> minutes;
  for (Tier t : tiers) {
    minutes.push_back(total_weight > 0 ? budget * TierWeight(t, o) / total_weight
                                       : budget / static_cast<double>(tiers.size()));
  }
  return minutes;
}

coachstream::v1::GapToGoal ComputeGap(double quota, double bookings, double win_rate, double open_pipeline) {
  coachstream::v1::GapToGoal gap;
  const double remaining = std::max(0.0, quota - bookings);
  gap.set_remaining_quota_minor(remaining);
  gap.set_pipeline_needed_minor(win_rate > 0 ? remaining / win_rate : 0);
  gap.set_open_pipeline_minor(open_pipeline);
  gap.set_coverage(remaining > 0 ? open_pipeline / remaining : 0);
  return gap;
}

std::vector<coachstream::v1::MicroCoachingCandidate> RankMicroCoaching(
    const std::vector<coachstream::v1::OpenDeal>& deals, double average, absl::Time now, absl::CivilDay today,
    const BoardOptions& o) {
  std::vector<coachstream::v1::MicroCoachingCandidate> scored;
  for (const coachstream::v1::OpenDeal& d : deals) {
    coachstream::v1::MicroCoachingCandidate s = ScoreDeal(d, average, now, today, o);
    if (s.score() > 0) scored.push_back(std::move(s));
  }
  // Stable: equal scores keep the metrics service's order.
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.score() > b.score(); });
  if (static_cast<int>(scored.size()) > o.max_micro_candidates) scored.resize(o.max_micro_candidates);
  return scored;
}

}  // namespace cs::coaching
