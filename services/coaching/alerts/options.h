#pragma once

// Configuration of the accountability alerts (after LevelDB's options.h:
// every field has a default and states its unit). Defaults that come from
// published research cite it (DOMAIN.md); the others are product choices
// and say so. The service reads overrides from a JSON file
// (ParseAlertOptionsJson, --alert_rules) and a few flags.

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/person.pb.h"
#include "services/coaching/core/options.h"

namespace cs::coaching::alerts {

// Rule ids: stable; they appear in Alert.rule_id, in the JSON config and
// in Prometheus labels.
inline constexpr std::string_view kCoachingHours = "coaching_hours_below_target";
inline constexpr std::string_view kMicroCadence = "micro_coaching_cadence_low";
inline constexpr std::string_view kNoFocusOrPlan = "no_focus_or_plan";
inline constexpr std::string_view kStaleObjective = "objective_review_stale";
inline constexpr std::string_view kRepOffTrack = "rep_off_track";
inline constexpr std::string_view kCoverageLow = "manager_coverage_low";
inline constexpr std::string_view kMiddleNeglected = "coaching_not_on_middle";

// What every rule has. An alert is "held" by its recipient from the moment
// it reaches them (opening or the last escalation): not acknowledged within
// ack_sla, or acknowledged but not resolved within resolve_sla of that
// moment, it escalates to the recipient's manager (and on, up to the top).
struct RuleCommon {
  bool enabled = true;
  // Product choices: two days to acknowledge, a week to fix.
  absl::Duration ack_sla = absl::Hours(48);
  absl::Duration resolve_sla = absl::Hours(24 * 7);
};

// A rep received less coaching than the target over the trailing window.
// Sales Benchmark Index: 3+ hours of one-on-one coaching a month lifts
// attainment by over 22% (DOMAIN.md). Subject: the rep; to: their manager.
struct CoachingHoursRule : RuleCommon {
  double min_hours = 3.0;       // hours over window_days. Default 3.0
  int window_days = 30;         // trailing days, today included. Default 30
  // Reps who started less than this many days ago are not judged (a new
  // hire has not had a month of coaching yet). Default 30 (product choice).
  int min_tenure_days = 30;
};

// Micro-coaching (<= 30 minutes on one deal): about three per rep per week
// (DOMAIN.md rule of thumb). Judged on the manager's team over the last
// complete ISO week (a week in progress would alert every Monday).
// Subject and recipient: the manager.
struct MicroCadenceRule : RuleCommon {
  double min_sessions_per_rep_week = 3.0;  // Default 3.0
};

// Each month a manager must be able to say which one skill each rep works
// on and what the plan is (Roberge, DOMAIN.md). From this day of the month
// (tenant zone) a rep without an accepted focus and without a plan alerts.
// Subject: the rep; to: their manager.
struct FocusPlanRule : RuleCommon {
  int due_day_of_month = 5;  // 1-28. Default 5 (issue #6)
};

// A plan objective of the current month not reviewed (ReviewObjective) for
// this many days; a never-reviewed objective counts from the plan's
// creation. Subject: the rep; to: their manager.
struct StaleObjectiveRule : RuleCommon {
  int max_days_without_review = 14;  // Default 14 (issue #6)
};

// A rep off track this month: the straight-line projection of attainment
// (bookings / quota / elapsed fraction) below min_projected_attainment,
// with time left; or the accepted focus skill's target driver moving the
// wrong way against last month by more than focus_trend_min_change
// (relative; counts are pro-rated by the elapsed fraction). Subject: the
// rep; to: their manager.
struct OffTrackRule : RuleCommon {
  double min_projected_attainment = 0.7;  // Default 0.7 (product choice)
  // Too early in the month a projection is noise. Default 0.25.
  double min_elapsed_fraction = 0.25;
  double focus_trend_min_change = 0.10;   // Default 0.10 (10%)
};

// A manager coaches too few of their reps this month (any coaching minutes
// count). Judged from this day of the month on. Subject: the manager; to:
// the manager's manager (the director).
struct CoverageRule : RuleCommon {
  double min_coverage = 0.8;   // share of reps, 0..1. Default 0.8 (issue #6)
  int from_day_of_month = 15;  // 1-28. Default 15 (product choice: mid-month)
  int min_team_reps = 1;       // smaller teams are not judged. Default 1
};

// "Move the middle" (CEB research, DOMAIN.md): B players should get the
// largest share of coaching. The B tier's share of the team's coaching
// minutes this month is compared with the share the board's tier weights
// give it (BoardOptions: A 0.5, B 1.5, C 0.5); below min_share_of_due of
// that, the time is concentrated on A and C players. Tiers as on the team
// board (board.h) over tier_window_months. Subject: the manager; to: the
// director.
struct MiddleRule : RuleCommon {
  double min_share_of_due = 0.5;   // Default 0.5 (product choice)
  double min_team_minutes = 60;    // below this much coaching, coverage speaks. Default 60
  int from_day_of_month = 15;      // Default 15 (as coverage)
  int tier_window_months = 3;      // Default 3 (the board's window)
};

struct AlertOptions {
  // IANA zone in which months, weeks and "day 5" are read when the tenant
  // has no entry below. Keep equal to the coaching core's. Default "UTC".
  std::string default_time_zone = "UTC";
  absl::flat_hash_map<std::string, std::string> tenant_time_zones;
  // Roles that are reps (subjects of the rep rules, counted in teams).
  // Default SDR, account executive, account manager.
  std::vector<coachstream::v1::Role> rep_roles = {coachstream::v1::ROLE_SDR,
                                                  coachstream::v1::ROLE_ACCOUNT_EXECUTIVE,
                                                  coachstream::v1::ROLE_ACCOUNT_MANAGER};
  // Tier thresholds and weights: the team board's (board.h).
  BoardOptions board;

  CoachingHoursRule coaching_hours;
  MicroCadenceRule micro_cadence;
  FocusPlanRule focus_plan;
  StaleObjectiveRule stale_objective;
  OffTrackRule off_track;
  CoverageRule coverage;
  MiddleRule middle;

  // The common part of a rule by id; nullptr for an unknown id.
  const RuleCommon* Rule(std::string_view rule_id) const;
  RuleCommon* MutableRule(std::string_view rule_id);
};

// Every rule id, in a stable order.
const std::vector<std::string_view>& AllRuleIds();

// OK, or INVALID_ARGUMENT naming the field ("coverage.min_coverage: ...").
absl::Status ValidateAlertOptions(const AlertOptions& options);

// Applies a JSON document over `options`:
//   {"default_time_zone": "UTC",
//    "rules": {"coaching_hours_below_target": {"enabled": true, "min_hours": 3,
//              "ack_sla": "48h", "resolve_sla": "168h"}, ...}}
// Unknown rules or fields are INVALID_ARGUMENT naming them, so a typo does
// not silently keep a default. Durations use Go syntax ("36h", "90s").
absl::Status ParseAlertOptionsJson(std::string_view json, AlertOptions* options);

}  // namespace cs::coaching::alerts
