#include "services/coaching/core/funnel.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace cs::coaching {
namespace {

constexpr double kBpsPerUnit = 10000;

// Funnel order; the cycle lever's "value" is the factor relative to peers.
constexpr Lever kFunnel[] = {Lever::kActivity, Lever::kConnect,  Lever::kMeeting, Lever::kOpportunity,
                             Lever::kWin,      Lever::kDealSize, Lever::kCycle};

double RelativeGap(Direction direction, double value, double benchmark) {
  if (benchmark <= 0) return 0;
  return direction == Direction::kHigherIsBetter ? (benchmark - value) / benchmark
                                                 : (value - benchmark) / benchmark;
}

// The value `v` moves to, or nullopt when it does not move.
std::optional<double> MoveTarget(Direction better, const WindowValue* v, GainTarget target) {
  if (v == nullptr || !v->has_benchmark) return std::nullopt;
  if (target == GainTarget::kP75 && better == Direction::kLowerIsBetter) return std::nullopt;
  const double to = target == GainTarget::kP75 ? v->p75 : v->benchmark;
  if (!IsWorse(better, v->value, to)) return std::nullopt;
  return to;
}

// The win-rate gap and each worse stage's share of it (see funnel.h).
struct WinAttribution {
  double gap = 1;
  std::map<std::string_view, double> share;
};

WinAttribution AttributeWinGap(const DriverWindow& window, const RecommenderOptions& options,
                               GainTarget target) {
  WinAttribution a;
  const DriverInfo* win = FindDriverInfo(driver::kWinRateCount);
  const WindowValue* w = window.Find(driver::kWinRateCount);
  const std::optional<double> to = MoveTarget(win->direction, w, target);
  if (!to) return a;
  a.gap = LeverMultiplier(*win, w->value, *to, options);
  double total = 0;
  for (const DriverInfo& info : AllDrivers()) {
    if (info.transform != Transform::kWinStage) continue;
    const WindowValue* v = window.Find(info.name);
    const std::optional<double> stage_to = MoveTarget(info.direction, v, target);
    if (!stage_to || v->value <= 0) continue;
    a.share[info.name] = std::log(*stage_to / v->value);
    total += a.share[info.name];
  }
  for (auto& [name, s] : a.share) s = total > 0 ? s / total : 0;
  return a;
}

// Moves the outcome drivers worse than their target; per lever the largest
// multiplier wins, except that stage conversions add up their shares of
// the win-rate gap.
void MoveOutcomes(const Competency& c, const DriverWindow& window, const RecommenderOptions& options,
                  GainTarget target, CompetencyGain* gain) {
  std::map<Lever, double> per_lever;
  std::optional<WinAttribution> win;
  double win_share = 0;
  const coachstream::v1::Role role = window.identity().role();
  for (const CompetencyDriver& d : c.drivers) {
    if (d.role != DriverRole::kOutcome || !d.AppliesTo(role)) continue;
    const DriverInfo* info = FindDriverInfo(d.driver);
    const WindowValue* v = window.Find(d.driver);
    const std::optional<double> to = MoveTarget(d.better, v, target);
    if (info == nullptr || !to) continue;
    if (info->transform == Transform::kWinStage) {
      if (!win) win = AttributeWinGap(window, options, target);
      const double share = win->share.count(info->name) > 0 ? win->share.at(info->name) : 0;
      if (share <= 0) continue;
      win_share += share;
      gain->moves.push_back({d.driver, v->value, *to, std::pow(win->gap, share), share});
      continue;
    }
    const double m = LeverMultiplier(*info, v->value, *to, options);
    gain->moves.push_back({d.driver, v->value, *to, m, 0});
    double& best = per_lever[info->lever];
    best = std::max(best, m);
  }
  if (win_share > 0) {
    double& best = per_lever[Lever::kWin];
    best = std::max(best, std::pow(win->gap, std::min(1.0, win_share)));
  }
  for (const auto& [lever, m] : per_lever) gain->multiplier *= m;
}

// Behaviour drivers worse than peers by the minimum relative margin.
void FindBehaviourGaps(const Competency& c, const DriverWindow& window, const RecommenderOptions& options,
                       CompetencyGain* gain) {
  const coachstream::v1::Role role = window.identity().role();
  for (const CompetencyDriver& d : c.drivers) {
    if (d.role != DriverRole::kBehaviour || !d.AppliesTo(role)) continue;
    const WindowValue* v = window.Find(d.driver);
    if (v == nullptr || !v->has_rep || !v->has_benchmark) continue;
    if (RelativeGap(d.better, v->value, v->benchmark) >= options.behaviour_min_gap) {
      gain->behaviour_gaps.push_back(d.driver);
    }
  }
}

}  // namespace

double CycleLanding(double cycle_days, double horizon_days) {
  if (cycle_days <= 0) return 1;
  return 1 - std::exp2(-horizon_days / cycle_days);
}

double LeverMultiplier(const DriverInfo& info, double from, double to, const RecommenderOptions& options) {
  const double cap = options.max_lever_multiplier;
  double m = 1;
  switch (info.transform) {
    case Transform::kNone:
      return 1;
    case Transform::kProportional:
    case Transform::kWinStage:  // on its own, a stage scales the win rate
      if (from <= 0) return to > 0 ? cap : 1;
      m = to / from;
      break;
    case Transform::kPriceRealisation: {
      const double kept_from = 1 - from / kBpsPerUnit;
      const double kept_to = 1 - to / kBpsPerUnit;
      if (kept_from <= 0) return kept_to > 0 ? cap : 1;
      m = kept_to / kept_from;
      break;
    }
    case Transform::kCycleLanding: {
      const double landing_from = CycleLanding(from, options.cycle_horizon_days);
      if (landing_from <= 0) return cap;
      m = CycleLanding(to, options.cycle_horizon_days) / landing_from;
      break;
    }
  }
  if (!std::isfinite(m)) return cap;
  return std::clamp(m, 1 / cap, cap);
}

FunnelModel FunnelModel::Build(const DriverWindow& window, const RecommenderOptions& options) {
  FunnelModel model;
  model.complete_ = true;
  double bookings = 1;
  for (Lever lever : kFunnel) {
    LeverState s;
    s.lever = lever;
    s.driver = std::string(LeverDriver(lever));
    const WindowValue* v = window.Find(s.driver);
    s.known = v != nullptr && (v->has_rep || v->has_benchmark);
    if (s.known) {
      s.value = v->value;
      s.benchmark = v->has_benchmark ? v->benchmark : v->value;
    }
    if (lever == Lever::kCycle && s.known) {
      // Relative to a rep at the peer median cycle (factor 1).
      const double at_median = CycleLanding(s.benchmark, options.cycle_horizon_days);
      bookings *= at_median > 0 ? CycleLanding(s.value, options.cycle_horizon_days) / at_median : 1;
    } else if (s.known) {
      bookings *= s.value;
    }
    model.complete_ = model.complete_ && s.known;
    model.levers_.push_back(std::move(s));
  }
  model.bookings_ = model.complete_ ? bookings : 0;
  return model;
}

CompetencyGain EstimateGain(const Competency& competency, const DriverWindow& window,
                            const RecommenderOptions& options, GainTarget target) {
  CompetencyGain gain;
  FindBehaviourGaps(competency, window, options, &gain);
  if (competency.HasOutcomeDrivers(window.identity().role())) {
    MoveOutcomes(competency, window, options, target, &gain);
    return gain;
  }
  if (gain.behaviour_gaps.empty()) return gain;
  // The behaviour explains the lever's gap: claim the lever as a whole.
  const std::string_view lever_driver = LeverDriver(competency.lever);
  const DriverInfo* info = FindDriverInfo(lever_driver);
  const WindowValue* v = window.Find(lever_driver);
  const std::optional<double> to = info ? MoveTarget(info->direction, v, target) : std::nullopt;
  if (!to) return gain;
  const double m = LeverMultiplier(*info, v->value, *to, options);
  gain.moves.push_back({std::string(lever_driver), v->value, *to, m, 0});
  gain.multiplier = m;
  gain.behaviour_claim = true;
  return gain;
}

}  // namespace cs::coaching
