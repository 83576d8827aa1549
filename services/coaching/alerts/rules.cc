#include "services/coaching/alerts/rules.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/board.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/objectives.h"
#include "services/coaching/core/proto_time.h"

namespace cs::coaching::alerts {
namespace {

using coachstream::v1::AlertFact;
using coachstream::v1::Person;

AlertFact Fact(std::string name, double value, double threshold, std::string unit) {
  AlertFact f;
  f.set_name(std::move(name));
  f.set_value(value);
  f.set_threshold(threshold);
  f.set_unit(std::move(unit));
  return f;
}

std::string Name(const Person& p) { return p.display_name().empty() ? p.person_id() : p.display_name(); }

Finding Clear(std::string_view rule, const std::string& subject) {
  Finding f;
  f.rule_id = std::string(rule);
  f.subject_id = subject;
  return f;
}

Finding Firing(std::string_view rule, const std::string& subject, const std::string& recipient,
               std::string message, std::vector<AlertFact> facts) {
  Finding f = Clear(rule, subject);
  f.firing = true;
  f.recipient_id = recipient;
  f.message = std::move(message);
  f.facts = std::move(facts);
  return f;
}

// Days since the person started (a large number when unknown).
int64_t TenureDays(const Person& p, absl::CivilDay today) {
  if (!p.has_start_date() || p.start_date().year() <= 0) return 1'000'000;
  const absl::CivilDay start(p.start_date().year(), p.start_date().month(), p.start_date().day());
  return today - start;
}

// Whom a manager rule goes to: the manager's manager, or the manager at the top.
const std::string& ManagerRecipient(const TeamData& t) {
  return t.manager_manager_id.empty() ? t.manager.person_id() : t.manager_manager_id;
}

const coachstream::v1::RepDrivers* MonthDrivers(const TeamData& t, size_t month, const std::string& rep) {
  if (month >= t.month_drivers.size()) return nullptr;
  auto it = t.month_drivers[month].find(rep);
  return it == t.month_drivers[month].end() ? nullptr : &it->second;
}

double MonthValue(const TeamData& t, size_t month, const std::string& rep, std::string_view driver) {
  const coachstream::v1::RepDrivers* d = MonthDrivers(t, month, rep);
  return d == nullptr ? 0 : DriverOf(*d, driver);
}

// Tiers as on the board: pooled attainment of the pro-rated quota over the
// window, and the current month against the earlier ones.
std::vector<TierInput> TierInputs(const TeamData& t, int window_months) {
  std::vector<TierInput> inputs;
  for (const Person& rep : t.reps) {
    TierInput in;
    double bookings = 0, quota = 0, early_bookings = 0, early_quota = 0;
    for (size_t m = 0; m < t.months.size() && m < static_cast<size_t>(window_months); ++m) {
      const double q = MonthValue(t, m, rep.person_id(), driver::kQuota) * t.month_elapsed[m];
      const double b = MonthValue(t, m, rep.person_id(), driver::kBookings);
      bookings += b;
      quota += q;
      if (m > 0) {
        early_bookings += b;
        early_quota += q;
      }
    }
    in.attainment = quota > 0 ? bookings / quota : -1;
    const double q0 = MonthValue(t, 0, rep.person_id(), driver::kQuota) * t.month_elapsed[0];
    if (q0 > 0 && early_quota > 0) {
      in.has_trend = true;
      in.trend = MonthValue(t, 0, rep.person_id(), driver::kBookings) / q0 - early_bookings / early_quota;
    }
    inputs.push_back(in);
  }
  return inputs;
}

}  // namespace

double DriverOf(const coachstream::v1::RepDrivers& rep, std::string_view driver) {
  for (const auto& v : rep.drivers()) {
    if (v.driver() == driver) return v.value();
  }
  return 0;
}

void CoachingHoursFindings(const TeamData& t, const CoachingHoursRule& r, std::vector<Finding>* out) {
  for (const Person& rep : t.reps) {
    if (TenureDays(rep, t.today) < r.min_tenure_days) {
      out->push_back(Clear(kCoachingHours, rep.person_id()));
      continue;
    }
    auto it = t.window_minutes.find(rep.person_id());
    const double hours = (it == t.window_minutes.end() ? 0 : it->second) / 60.0;
    if (hours >= r.min_hours) {
      out->push_back(Clear(kCoachingHours, rep.person_id()));
      continue;
    }
    out->push_back(Firing(
        kCoachingHours, rep.person_id(), t.manager.person_id(),
        absl::StrFormat("%s received %.1f h of coaching in the last %d days (target %.1f h).", Name(rep), hours,
                        r.window_days, r.min_hours),
        {Fact(absl::StrCat("coaching_hours_", r.window_days, "d"), hours, r.min_hours, "hours")}));
  }
}

void MicroCadenceFindings(const TeamData& t, const MicroCadenceRule& r, std::vector<Finding>* out) {
  const absl::CivilDay week_start = PeriodFirstDay(t.last_week);
  double sessions = 0;
  int reps = 0;
  for (const Person& rep : t.reps) {
    if (TenureDays(rep, week_start) < 0) continue;  // started during or after that week
    ++reps;
    auto it = t.last_week_micro.find(rep.person_id());
    if (it != t.last_week_micro.end()) sessions += it->second;
  }
  const std::string& manager = t.manager.person_id();
  if (reps == 0) {
    out->push_back(Clear(kMicroCadence, manager));
    return;
  }
  const double per_rep = sessions / reps;
  if (per_rep >= r.min_sessions_per_rep_week) {
    out->push_back(Clear(kMicroCadence, manager));
    return;
  }
  out->push_back(Firing(kMicroCadence, manager, manager,
                        absl::StrFormat("In %s %s's team had %.1f micro-coaching sessions per rep (target %.1f).",
                                        FormatPeriod(t.last_week), Name(t.manager), per_rep,
                                        r.min_sessions_per_rep_week),
                        {Fact("micro_sessions_per_rep_week", per_rep, r.min_sessions_per_rep_week, "per_week"),
                         Fact("reps", reps, 0, "count")}));
}

void FocusPlanFindings(const TeamData& t, const FocusPlanRule& r, std::vector<Finding>* out) {
  for (const Person& rep : t.reps) {
    const std::string& id = rep.person_id();
    // Due on day N of the month, or N - 1 days after a start within the month.
    const bool due = t.today.day() >= r.due_day_of_month && TenureDays(rep, t.today) >= r.due_day_of_month - 1;
    if (!due || t.focus.contains(id) || t.plans.contains(id)) {
      out->push_back(Clear(kNoFocusOrPlan, id));
      continue;
    }
    const std::string month = t.months.empty() ? "" : FormatPeriod(t.months[0]);
    out->push_back(Firing(kNoFocusOrPlan, id, t.manager.person_id(),
                          absl::StrFormat("%s has no focus skill and no coaching plan for %s (due day %d).",
                                          Name(rep), month, r.due_day_of_month),
                          {Fact("day_of_month", static_cast<double>(t.today.day()), r.due_day_of_month, "day")}));
  }
}

void StaleObjectiveFindings(const TeamData& t, const StaleObjectiveRule& r, std::vector<Finding>* out) {
  for (const Person& rep : t.reps) {
    const std::string& id = rep.person_id();
    auto plan = t.plans.find(id);
    std::vector<coachstream::v1::AlertFact> facts;
    std::vector<std::string> names;
    if (plan != t.plans.end()) {
      for (const auto& o : plan->second.objectives()) {
        const absl::Time last = o.has_last_reviewed_at() ? FromTimestamp(o.last_reviewed_at())
                                                         : FromTimestamp(plan->second.created_at());
        const int64_t days = absl::ToInt64Hours(t.now - last) / 24;
        if (days < r.max_days_without_review) continue;
        facts.push_back(Fact(absl::StrCat("days_since_review:", o.objective_id()), static_cast<double>(days),
                             r.max_days_without_review, "days"));
        names.push_back(absl::StrCat(o.objective_id(), " (", days, " days)"));
      }
    }
    if (facts.empty()) {
      out->push_back(Clear(kStaleObjective, id));
      continue;
    }
    out->push_back(Firing(kStaleObjective, id, t.manager.person_id(),
                          absl::StrFormat("%s's plan has objectives without a progress review for %d+ days: %s.",
                                          Name(rep), r.max_days_without_review, absl::StrJoin(names, ", ")),
                          std::move(facts)));
  }
}

void OffTrackFindings(const TeamData& t, const OffTrackRule& r, std::vector<Finding>* out) {
  const double elapsed = t.month_elapsed.empty() ? 0 : t.month_elapsed[0];
  const bool judged = elapsed >= r.min_elapsed_fraction && elapsed < 1;
  for (const Person& rep : t.reps) {
    const std::string& id = rep.person_id();
    std::vector<coachstream::v1::AlertFact> facts;
    std::vector<std::string> why;
    const double quota = MonthValue(t, 0, id, driver::kQuota);
    if (judged && quota > 0) {
      const double projected = MonthValue(t, 0, id, driver::kBookings) / quota / elapsed;
      if (projected < r.min_projected_attainment) {
        facts.push_back(Fact("projected_attainment", projected, r.min_projected_attainment, "ratio"));
        why.push_back(absl::StrFormat("projected attainment %.0f%% (threshold %.0f%%)", projected * 100,
                                      r.min_projected_attainment * 100));
      }
    }
    auto focus = t.focus.find(id);
    const DriverInfo* info = focus == t.focus.end() || focus->second.objective_met_at
                                 ? nullptr
                                 : FindDriverInfo(focus->second.target_driver);
    const auto* now_d = MonthDrivers(t, 0, id);
    const auto* before_d = MonthDrivers(t, 1, id);
    if (judged && info != nullptr && now_d != nullptr && before_d != nullptr) {
      const auto cur = PeriodDriverValue(*now_d, info->name);
      const auto prev = PeriodDriverValue(*before_d, info->name);
      if (cur && prev && prev->value() != 0) {
        const double current = info->kind == DriverKind::kCount ? cur->value() / elapsed : cur->value();
        double change = (current - prev->value()) / std::abs(prev->value());
        if (info->direction == Direction::kLowerIsBetter) change = -change;
        if (change <= -r.focus_trend_min_change) {
          facts.push_back(Fact(absl::StrCat("focus_trend:", Av(info->name)), change, -r.focus_trend_min_change,
                               "relative_change"));
          why.push_back(absl::StrFormat("focus driver %s moving the wrong way (%.3g vs %.3g last month)",
                                        std::string(info->label), current, prev->value()));
        }
      }
    }
    if (facts.empty()) {
      out->push_back(Clear(kRepOffTrack, id));
      continue;
    }
    out->push_back(Firing(kRepOffTrack, id, t.manager.person_id(),
                          absl::StrCat(Name(rep), " is off track: ", absl::StrJoin(why, "; "), "."),
                          std::move(facts)));
  }
}

void CoverageFindings(const TeamData& t, const CoverageRule& r, std::vector<Finding>* out) {
  const std::string& manager = t.manager.person_id();
  const int reps = static_cast<int>(t.reps.size());
  if (t.today.day() < r.from_day_of_month || reps < r.min_team_reps) {
    out->push_back(Clear(kCoverageLow, manager));
    return;
  }
  int coached = 0;
  for (const Person& rep : t.reps) {
    if (MonthValue(t, 0, rep.person_id(), driver::kCoachingMinutes) > 0) ++coached;
  }
  const double coverage = static_cast<double>(coached) / reps;
  if (coverage >= r.min_coverage) {
    out->push_back(Clear(kCoverageLow, manager));
    return;
  }
  out->push_back(Firing(kCoverageLow, manager, ManagerRecipient(t),
                        absl::StrFormat("%s has coached %d of %d reps this month (%.0f%%, target %.0f%%).",
                                        Name(t.manager), coached, reps, coverage * 100, r.min_coverage * 100),
                        {Fact("coverage", coverage, r.min_coverage, "ratio"),
                         Fact("reps_coached", coached, 0, "count"), Fact("reps", reps, 0, "count")}));
}

void MiddleFindings(const TeamData& t, const MiddleRule& r, const BoardOptions& board, std::vector<Finding>* out) {
  const std::string& manager = t.manager.person_id();
  if (t.today.day() < r.from_day_of_month) {
    out->push_back(Clear(kMiddleNeglected, manager));
    return;
  }
  const std::vector<coachstream::v1::Tier> tiers = AssignTiers(TierInputs(t, r.tier_window_months), board);
  double total = 0, middle = 0, due_weight = 0, weight = 0;
  int n_middle = 0, n_edge = 0;
  for (size_t i = 0; i < t.reps.size(); ++i) {
    const double minutes = MonthValue(t, 0, t.reps[i].person_id(), driver::kCoachingMinutes);
    total += minutes;
    switch (tiers[i]) {
      case coachstream::v1::TIER_B:
        middle += minutes;
        due_weight += board.weight_b;
        weight += board.weight_b;
        ++n_middle;
        break;
      case coachstream::v1::TIER_A:
        weight += board.weight_a;
        ++n_edge;
        break;
      case coachstream::v1::TIER_C:
        weight += board.weight_c;
        ++n_edge;
        break;
      default:
        weight += board.weight_untiered;
        break;
    }
  }
  if (total < r.min_team_minutes || n_middle == 0 || n_edge == 0 || weight <= 0) {
    out->push_back(Clear(kMiddleNeglected, manager));
    return;
  }
  const double share = middle / total;
  const double due = due_weight / weight;
  const double floor = r.min_share_of_due * due;
  if (share >= floor) {
    out->push_back(Clear(kMiddleNeglected, manager));
    return;
  }
  out->push_back(Firing(
      kMiddleNeglected, manager, ManagerRecipient(t),
      absl::StrFormat("%s's coaching this month went %.0f%% to A and C players; the %d B players (the middle) "
                      "got %.0f%% (their due share is %.0f%%).",
                      Name(t.manager), (1 - share) * 100, n_middle, share * 100, due * 100),
      {Fact("middle_share", share, floor, "ratio"), Fact("middle_due_share", due, 0, "ratio"),
       Fact("team_coaching_minutes", total, r.min_team_minutes, "minutes")}));
}

std::vector<Finding> EvaluateTeam(const TeamData& team, const AlertOptions& o) {
  std::vector<Finding> out;
  if (o.coaching_hours.enabled) CoachingHoursFindings(team, o.coaching_hours, &out);
  if (o.micro_cadence.enabled) MicroCadenceFindings(team, o.micro_cadence, &out);
  if (o.focus_plan.enabled) FocusPlanFindings(team, o.focus_plan, &out);
  if (o.stale_objective.enabled) StaleObjectiveFindings(team, o.stale_objective, &out);
  if (o.off_track.enabled) OffTrackFindings(team, o.off_track, &out);
  if (o.coverage.enabled) CoverageFindings(team, o.coverage, &out);
  if (o.middle.enabled) MiddleFindings(team, o.middle, o.board, &out);
  return out;
}

}  // namespace cs::coaching::alerts
