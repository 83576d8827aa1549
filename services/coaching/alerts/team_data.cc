// FetchTeam: a team's data for the rules, from the metrics service (team
// drivers per ISO week and month) and the coaching store (focus and plans).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/alerts/rules.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching::alerts {
namespace {

using RepMap = absl::flat_hash_map<std::string, coachstream::v1::RepDrivers>;

// The manager's direct reps' drivers for one period (the metrics service
// answers for the whole subtree).
absl::StatusOr<RepMap> TeamPeriod(MetricsSource& metrics, std::string_view tenant, const std::string& manager,
                                  const Period& period, const std::vector<coachstream::v1::Person>& reps) {
  coachstream::v1::GetTeamDriversRequest request;
  request.set_tenant_id(std::string(tenant));
  request.set_manager_id(manager);
  request.set_period(FormatPeriod(period));
  absl::StatusOr<coachstream::v1::GetTeamDriversResponse> response = metrics.GetTeamDrivers(request);
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat("GetTeamDrivers(", manager, ", ", FormatPeriod(period),
                                     "): ", response.status().message()));
  }
  RepMap out;
  for (auto& rep : *response->mutable_reps()) {
    for (const auto& p : reps) {
      if (p.person_id() == rep.rep_id()) out[rep.rep_id()] = std::move(rep);
    }
  }
  return out;
}

absl::Status FetchWeeks(const AlertOptions& o, MetricsSource& metrics, TeamData* t) {
  const bool hours = o.coaching_hours.enabled;
  const bool cadence = o.micro_cadence.enabled;
  if (!hours && !cadence) return absl::OkStatus();
  const Period current = PeriodOfDay(PeriodKind::kWeek, t->today);
  // The trailing window is [today - (days - 1), today]; the oldest week
  // counts by its share of days inside it, the current one in full.
  const absl::CivilDay start = t->today - (o.coaching_hours.window_days - 1);
  Period first = hours ? PeriodOfDay(PeriodKind::kWeek, start) : t->last_week;
  if (cadence) first = std::min(first, t->last_week);
  for (Period w = first; w <= current; w = NextPeriod(w)) {
    CS_ASSIGN_OR_RETURN(RepMap reps, TeamPeriod(metrics, t->tenant, t->manager.person_id(), w, t->reps));
    if (w == t->last_week) {
      for (const auto& [id, d] : reps) t->last_week_micro[id] = DriverOf(d, driver::kSessionsMicro);
    }
    if (!hours || PeriodEndDay(w) <= start) continue;
    double share = 1;
    if (w != current) {
      const absl::CivilDay from = std::max(PeriodFirstDay(w), start);
      share = static_cast<double>(PeriodEndDay(w) - from) / PeriodDays(w);
    }
    for (const auto& [id, d] : reps) t->window_minutes[id] += share * DriverOf(d, driver::kCoachingMinutes);
  }
  return absl::OkStatus();
}

int MonthsNeeded(const AlertOptions& o) {
  int n = 0;
  if (o.focus_plan.enabled || o.stale_objective.enabled || o.coverage.enabled) n = 1;
  if (o.off_track.enabled) n = std::max(n, 2);
  if (o.middle.enabled) n = std::max(n, o.middle.tier_window_months);
  return n;
}

absl::Status FetchStore(const CoachingStore& store, TeamData* t) {
  const std::string month = FormatPeriod(t->months[0]);
  for (const auto& rep : t->reps) {
    const std::string& id = rep.person_id();
    const std::string focus_key = FocusKey(t->tenant, month, id);
    CS_ASSIGN_OR_RETURN(std::optional<std::string> focus, store.Get(focus_key));
    if (focus) {
      CS_ASSIGN_OR_RETURN(t->focus[id], DecodeFocusRecord(*focus, focus_key));
    }
    const std::string plan_key = PlanKey(t->tenant, id, month);
    CS_ASSIGN_OR_RETURN(std::optional<std::string> plan, store.Get(plan_key));
    if (plan && !t->plans[id].ParseFromString(*plan)) {
      return absl::DataLossError(absl::StrCat("coaching state at key \"", plan_key, "\" does not parse"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TeamData> FetchTeam(const AlertOptions& options, MetricsSource& metrics, const CoachingStore& store,
                                   std::string_view tenant, const coachstream::v1::Person& manager,
                                   std::vector<coachstream::v1::Person> reps, std::string manager_manager_id,
                                   absl::Time now, absl::TimeZone zone) {
  TeamData t;
  t.tenant = std::string(tenant);
  t.manager = manager;
  t.manager_manager_id = std::move(manager_manager_id);
  t.reps = std::move(reps);
  t.now = now;
  t.today = absl::ToCivilDay(now, zone);
  t.last_week = PrevPeriod(PeriodOfDay(PeriodKind::kWeek, t.today));
  CS_RETURN_IF_ERROR(FetchWeeks(options, metrics, &t));
  const int months = std::max(1, MonthsNeeded(options));
  Period m = PeriodOfDay(PeriodKind::kMonth, t.today);
  for (int i = 0; i < months; ++i, m = PrevPeriod(m)) {
    t.months.push_back(m);
    t.month_elapsed.push_back(ElapsedFraction(m, now, zone));
    if (MonthsNeeded(options) == 0) {
      t.month_drivers.emplace_back();
      continue;
    }
    CS_ASSIGN_OR_RETURN(RepMap reps_month, TeamPeriod(metrics, tenant, manager.person_id(), m, t.reps));
    t.month_drivers.push_back(std::move(reps_month));
  }
  CS_RETURN_IF_ERROR(FetchStore(store, &t));
  return t;
}

}  // namespace cs::coaching::alerts
