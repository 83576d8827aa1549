#include "services/coaching/core/options.h"

#include <cmath>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/driver_catalog.h"

namespace cs::coaching {
namespace {

absl::Status Bad(std::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", why));
}

// [lo, hi], finite.
absl::Status InRange(std::string_view field, double value, double lo, double hi) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    return Bad(field, absl::StrCat(value, " is outside [", lo, ", ", hi, "]"));
  }
  return absl::OkStatus();
}

absl::Status CheckZone(std::string_view field, const std::string& name) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) return Bad(field, absl::StrCat("unknown time zone \"", name, "\""));
  return absl::OkStatus();
}

absl::Status ValidateRecommender(const RecommenderOptions& o) {
  CS_RETURN_IF_ERROR(InRange("recommender.window_months", o.window_months, 1, 12));
  CS_RETURN_IF_ERROR(InRange("recommender.prior_strength_calls", o.prior_strength_calls, 0, 1e6));
  CS_RETURN_IF_ERROR(InRange("recommender.prior_strength_meetings", o.prior_strength_meetings, 0, 1e6));
  CS_RETURN_IF_ERROR(InRange("recommender.prior_strength_deals", o.prior_strength_deals, 0, 1e6));
  for (const auto& [name, k] : o.prior_strength_by_driver) {
    const std::string field = absl::StrCat("recommender.prior_strength_by_driver[", name, "]");
    if (FindDriverInfo(name) == nullptr) return Bad(field, "unknown driver");
    CS_RETURN_IF_ERROR(InRange(field, k, 0, 1e6));
  }
  CS_RETURN_IF_ERROR(InRange("recommender.min_window_calls", o.min_window_calls, 0, 1e9));
  CS_RETURN_IF_ERROR(InRange("recommender.min_window_closed_deals", o.min_window_closed_deals, 0, 1e9));
  CS_RETURN_IF_ERROR(InRange("recommender.min_peers", o.min_peers, 1, 1e6));
  CS_RETURN_IF_ERROR(InRange("recommender.effort_floor", o.effort_floor, 0, 1));
  CS_RETURN_IF_ERROR(InRange("recommender.results_on_target", o.results_on_target, 0, 10));
  CS_RETURN_IF_ERROR(InRange("recommender.behaviour_min_gap", o.behaviour_min_gap, 0, 1));
  CS_RETURN_IF_ERROR(InRange("recommender.cycle_horizon_days", o.cycle_horizon_days, 1, 3650));
  CS_RETURN_IF_ERROR(InRange("recommender.max_lever_multiplier", o.max_lever_multiplier, 1, 100));
  CS_RETURN_IF_ERROR(InRange("recommender.target_gap_fraction", o.target_gap_fraction, 0.01, 1));
  CS_RETURN_IF_ERROR(InRange("recommender.min_target_improvement", o.min_target_improvement, 0, 0.9));
  CS_RETURN_IF_ERROR(InRange("recommender.hysteresis_margin", o.hysteresis_margin, 0, 10));
  CS_RETURN_IF_ERROR(InRange("recommender.max_runners_up", o.max_runners_up, 0, 50));
  return InRange("recommender.micro_sessions_per_week", o.micro_sessions_per_week, 0, 50);
}

absl::Status ValidateBoard(const BoardOptions& o) {
  CS_RETURN_IF_ERROR(InRange("board.coaching_hours_per_rep", o.coaching_hours_per_rep, 0, 200));
  for (auto [field, w] : {std::pair<const char*, double>{"board.weight_a", o.weight_a},
                          {"board.weight_b", o.weight_b},
                          {"board.weight_c", o.weight_c},
                          {"board.weight_untiered", o.weight_untiered}}) {
    CS_RETURN_IF_ERROR(InRange(field, w, 0, 100));
  }
  CS_RETURN_IF_ERROR(InRange("board.a_min_attainment", o.a_min_attainment, 0, 100));
  CS_RETURN_IF_ERROR(InRange("board.a_top_fraction", o.a_top_fraction, 0, 1));
  CS_RETURN_IF_ERROR(InRange("board.c_max_attainment", o.c_max_attainment, 0, o.a_min_attainment));
  CS_RETURN_IF_ERROR(InRange("board.c_bottom_fraction", o.c_bottom_fraction, 0, 1 - o.a_top_fraction));
  CS_RETURN_IF_ERROR(InRange("board.trend_threshold", o.trend_threshold, 0, 100));
  if (o.roles.empty()) return Bad("board.roles", "must not be empty");
  CS_RETURN_IF_ERROR(InRange("board.max_micro_candidates", o.max_micro_candidates, 0, 50));
  CS_RETURN_IF_ERROR(InRange("board.stalled_after_days", o.stalled_after_days, 1, 3650));
  CS_RETURN_IF_ERROR(InRange("board.large_deal_multiple", o.large_deal_multiple, 1, 1000));
  for (auto [field, w] : {std::pair<const char*, double>{"board.stalled_weight", o.stalled_weight},
                          {"board.slip_weight", o.slip_weight},
                          {"board.large_weight", o.large_weight},
                          {"board.late_stage_weight", o.late_stage_weight},
                          {"board.overdue_weight", o.overdue_weight}}) {
    CS_RETURN_IF_ERROR(InRange(field, w, 0, 100));
  }
  return InRange("board.max_factor_units", o.max_factor_units, 1, 100);
}

}  // namespace

absl::Status ValidateOptions(const CoachingCoreOptions& options) {
  CS_RETURN_IF_ERROR(CheckZone("default_time_zone", options.default_time_zone));
  for (const auto& [tenant, zone] : options.tenant_time_zones) {
    CS_RETURN_IF_ERROR(CheckZone(absl::StrCat("tenant_time_zones[", tenant, "]"), zone));
  }
  if (options.currency_code.empty()) return Bad("currency_code", "must not be empty");
  CS_RETURN_IF_ERROR(InRange("minor_units_per_major", options.minor_units_per_major, 1, 1e6));
  CS_RETURN_IF_ERROR(ValidateRecommender(options.recommender));
  const ObjectiveOptions& obj = options.objectives;
  CS_RETURN_IF_ERROR(InRange("objectives.min_sample_calls", obj.min_sample_calls, 0, 1e9));
  CS_RETURN_IF_ERROR(InRange("objectives.min_sample_meetings", obj.min_sample_meetings, 0, 1e9));
  CS_RETURN_IF_ERROR(InRange("objectives.min_sample_deals", obj.min_sample_deals, 0, 1e9));
  CS_RETURN_IF_ERROR(InRange("objectives.max_objectives", obj.max_objectives, 1, 1000));
  CS_RETURN_IF_ERROR(InRange("objectives.max_activities", obj.max_activities, 1, 1000));
  CS_RETURN_IF_ERROR(InRange("objectives.max_activity_bytes", obj.max_activity_bytes, 1, 1e6));
  const SessionOptions& s = options.sessions;
  CS_RETURN_IF_ERROR(InRange("sessions.max_micro_minutes", s.max_micro_minutes, 1, 1440));
  CS_RETURN_IF_ERROR(InRange("sessions.max_one_on_one_minutes", s.max_one_on_one_minutes, 1, 1440));
  if (s.max_future_skew < absl::ZeroDuration())
    return Bad("sessions.max_future_skew", "must not be negative");
  CS_RETURN_IF_ERROR(InRange("sessions.max_age_days", s.max_age_days, 1, 3650));
  CS_RETURN_IF_ERROR(ValidateBoard(options.board));
  CS_RETURN_IF_ERROR(InRange("impact.after_offset_months", options.impact.after_offset_months, 0, 12));
  CS_RETURN_IF_ERROR(InRange("impact.pool_levels_up", options.impact.pool_levels_up, 0, 10));
  return InRange("impact.max_months", options.impact.max_months, 1, 240);
}

}  // namespace cs::coaching
