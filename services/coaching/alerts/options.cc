#include "services/coaching/alerts/options.h"

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/base/status.h"
#include "nlohmann/json.hpp"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching::alerts {
namespace {

using Json = nlohmann::json;

absl::Status Bad(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(why)));
}

// Field setters of one rule: name -> fn(json value, field path).
using Setter = std::function<absl::Status(const Json&, const std::string&)>;

Setter Number(double* out) {
  return [out](const Json& v, const std::string& field) {
    if (!v.is_number()) return Bad(field, "must be a number");
    *out = v.get<double>();
    return absl::OkStatus();
  };
}
Setter Integer(int* out) {
  return [out](const Json& v, const std::string& field) {
    if (!v.is_number_integer()) return Bad(field, "must be an integer");
    *out = v.get<int>();
    return absl::OkStatus();
  };
}
Setter Bool(bool* out) {
  return [out](const Json& v, const std::string& field) {
    if (!v.is_boolean()) return Bad(field, "must be true or false");
    *out = v.get<bool>();
    return absl::OkStatus();
  };
}
Setter Duration(absl::Duration* out) {
  return [out](const Json& v, const std::string& field) {
    absl::Duration d;
    if (!v.is_string() || !absl::ParseDuration(v.get<std::string>(), &d)) {
      return Bad(field, "must be a duration such as \"48h\"");
    }
    *out = d;
    return absl::OkStatus();
  };
}

std::map<std::string, Setter> Setters(std::string_view rule, AlertOptions& o) {
  RuleCommon* common = o.MutableRule(rule);
  std::map<std::string, Setter> s = {{"enabled", Bool(&common->enabled)},
                                     {"ack_sla", Duration(&common->ack_sla)},
                                     {"resolve_sla", Duration(&common->resolve_sla)}};
  if (rule == kCoachingHours) {
    s["min_hours"] = Number(&o.coaching_hours.min_hours);
    s["window_days"] = Integer(&o.coaching_hours.window_days);
    s["min_tenure_days"] = Integer(&o.coaching_hours.min_tenure_days);
  } else if (rule == kMicroCadence) {
    s["min_sessions_per_rep_week"] = Number(&o.micro_cadence.min_sessions_per_rep_week);
  } else if (rule == kNoFocusOrPlan) {
    s["due_day_of_month"] = Integer(&o.focus_plan.due_day_of_month);
  } else if (rule == kStaleObjective) {
    s["max_days_without_review"] = Integer(&o.stale_objective.max_days_without_review);
  } else if (rule == kRepOffTrack) {
    s["min_projected_attainment"] = Number(&o.off_track.min_projected_attainment);
    s["min_elapsed_fraction"] = Number(&o.off_track.min_elapsed_fraction);
    s["focus_trend_min_change"] = Number(&o.off_track.focus_trend_min_change);
  } else if (rule == kCoverageLow) {
    s["min_coverage"] = Number(&o.coverage.min_coverage);
    s["from_day_of_month"] = Integer(&o.coverage.from_day_of_month);
    s["min_team_reps"] = Integer(&o.coverage.min_team_reps);
  } else if (rule == kMiddleNeglected) {
    s["min_share_of_due"] = Number(&o.middle.min_share_of_due);
    s["min_team_minutes"] = Number(&o.middle.min_team_minutes);
    s["from_day_of_month"] = Integer(&o.middle.from_day_of_month);
    s["tier_window_months"] = Integer(&o.middle.tier_window_months);
  }
  return s;
}

absl::Status CheckDay(std::string_view field, int day) {
  return day >= 1 && day <= 28 ? absl::OkStatus() : Bad(field, "must be 1..28");
}
absl::Status CheckFraction(std::string_view field, double v) {
  return v >= 0 && v <= 1 ? absl::OkStatus() : Bad(field, "must be within 0..1");
}

}  // namespace

const std::vector<std::string_view>& AllRuleIds() {
  static const std::vector<std::string_view> ids = {kCoachingHours, kMicroCadence,  kNoFocusOrPlan,
                                                    kStaleObjective, kRepOffTrack, kCoverageLow,
                                                    kMiddleNeglected};
  return ids;
}

const RuleCommon* AlertOptions::Rule(std::string_view id) const {
  return const_cast<AlertOptions*>(this)->MutableRule(id);
}

RuleCommon* AlertOptions::MutableRule(std::string_view id) {
  if (id == kCoachingHours) return &coaching_hours;
  if (id == kMicroCadence) return &micro_cadence;
  if (id == kNoFocusOrPlan) return &focus_plan;
  if (id == kStaleObjective) return &stale_objective;
  if (id == kRepOffTrack) return &off_track;
  if (id == kCoverageLow) return &coverage;
  if (id == kMiddleNeglected) return &middle;
  return nullptr;
}

absl::Status ValidateAlertOptions(const AlertOptions& o) {
  if (absl::TimeZone tz; !absl::LoadTimeZone(o.default_time_zone, &tz)) {
    return Bad("default_time_zone", absl::StrCat("unknown zone \"", o.default_time_zone, "\""));
  }
  for (const auto& [tenant, zone] : o.tenant_time_zones) {
    if (absl::TimeZone tz; !absl::LoadTimeZone(zone, &tz)) {
      return Bad(absl::StrCat("tenant_time_zones[", tenant, "]"), absl::StrCat("unknown zone \"", zone, "\""));
    }
  }
  for (std::string_view id : AllRuleIds()) {
    const RuleCommon* r = o.Rule(id);
    if (r->ack_sla <= absl::ZeroDuration()) return Bad(absl::StrCat(Av(id), ".ack_sla"), "must be > 0");
    if (r->resolve_sla <= absl::ZeroDuration()) {
      return Bad(absl::StrCat(Av(id), ".resolve_sla"), "must be > 0");
    }
  }
  if (o.coaching_hours.min_hours < 0) return Bad("coaching_hours_below_target.min_hours", "must be >= 0");
  if (o.coaching_hours.window_days < 1 || o.coaching_hours.window_days > 92) {
    return Bad("coaching_hours_below_target.window_days", "must be 1..92");
  }
  if (o.coaching_hours.min_tenure_days < 0) {
    return Bad("coaching_hours_below_target.min_tenure_days", "must be >= 0");
  }
  if (o.micro_cadence.min_sessions_per_rep_week < 0) {
    return Bad("micro_coaching_cadence_low.min_sessions_per_rep_week", "must be >= 0");
  }
  CS_RETURN_IF_ERROR(CheckDay("no_focus_or_plan.due_day_of_month", o.focus_plan.due_day_of_month));
  if (o.stale_objective.max_days_without_review < 1) {
    return Bad("objective_review_stale.max_days_without_review", "must be >= 1");
  }
  if (o.off_track.min_projected_attainment < 0) {
    return Bad("rep_off_track.min_projected_attainment", "must be >= 0");
  }
  CS_RETURN_IF_ERROR(CheckFraction("rep_off_track.min_elapsed_fraction", o.off_track.min_elapsed_fraction));
  if (o.off_track.focus_trend_min_change < 0) return Bad("rep_off_track.focus_trend_min_change", "must be >= 0");
  CS_RETURN_IF_ERROR(CheckFraction("manager_coverage_low.min_coverage", o.coverage.min_coverage));
  CS_RETURN_IF_ERROR(CheckDay("manager_coverage_low.from_day_of_month", o.coverage.from_day_of_month));
  if (o.coverage.min_team_reps < 1) return Bad("manager_coverage_low.min_team_reps", "must be >= 1");
  CS_RETURN_IF_ERROR(CheckFraction("coaching_not_on_middle.min_share_of_due", o.middle.min_share_of_due));
  CS_RETURN_IF_ERROR(CheckDay("coaching_not_on_middle.from_day_of_month", o.middle.from_day_of_month));
  if (o.middle.min_team_minutes < 0) return Bad("coaching_not_on_middle.min_team_minutes", "must be >= 0");
  if (o.middle.tier_window_months < 1 || o.middle.tier_window_months > 12) {
    return Bad("coaching_not_on_middle.tier_window_months", "must be 1..12");
  }
  if (o.rep_roles.empty()) return Bad("rep_roles", "must not be empty");
  return absl::OkStatus();
}

absl::Status ParseAlertOptionsJson(std::string_view json, AlertOptions* options) {
  Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Bad("alert rules", "not a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key == "default_time_zone") {
      if (!value.is_string()) return Bad(key, "must be a string");
      options->default_time_zone = value.get<std::string>();
    } else if (key == "tenant_time_zones") {
      if (!value.is_object()) return Bad(key, "must be an object");
      for (const auto& [tenant, zone] : value.items()) {
        if (!zone.is_string()) return Bad(absl::StrCat(key, ".", tenant), "must be a string");
        options->tenant_time_zones[tenant] = zone.get<std::string>();
      }
    } else if (key == "rules") {
      if (!value.is_object()) return Bad(key, "must be an object");
      for (const auto& [rule, fields] : value.items()) {
        if (options->Rule(rule) == nullptr) return Bad(absl::StrCat("rules.", rule), "unknown rule");
        if (!fields.is_object()) return Bad(absl::StrCat("rules.", rule), "must be an object");
        std::map<std::string, Setter> setters = Setters(rule, *options);
        for (const auto& [name, v] : fields.items()) {
          const std::string field = absl::StrCat("rules.", rule, ".", name);
          auto it = setters.find(name);
          if (it == setters.end()) return Bad(field, "unknown field");
          CS_RETURN_IF_ERROR(it->second(v, field));
        }
      }
    } else {
      return Bad(key, "unknown field");
    }
  }
  return ValidateAlertOptions(*options);
}

}  // namespace cs::coaching::alerts
