// CoachingCore: the team board (GetTeamBoard).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status.h"
#include "services/coaching/core/board.h"
#include "services/coaching/core/coaching_core.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::BoardRow;
using coachstream::v1::DriverValue;
using coachstream::v1::Objective;

const DriverValue* FindValue(const coachstream::v1::RepDrivers& rep, std::string_view name) {
  for (const DriverValue& v : rep.drivers()) {
    if (v.driver() == name) return &v;
  }
  return nullptr;
}

// Pro-rated attainment of one month; < 0 without a quota.
double MonthAttainment(const MonthData& m) {
  const DriverValue* quota = FindValue(m.rep, driver::kQuota);
  const DriverValue* bookings = FindValue(m.rep, driver::kBookings);
  if (quota == nullptr || quota->value() <= 0 || m.elapsed <= 0) return -1;
  return (bookings != nullptr ? bookings->value() : 0) / (quota->value() * m.elapsed);
}

// Attainment over the window, and the latest month against the earlier ones.
TierInput TierOf(const DriverWindow& window, const std::vector<MonthData>& months) {
  TierInput in;
  in.attainment = window.attainment();
  if (months.size() < 2) return in;
  const double latest = MonthAttainment(months.back());
  double bookings = 0, quota = 0;
  for (size_t i = 0; i + 1 < months.size(); ++i) {
    const DriverValue* q = FindValue(months[i].rep, driver::kQuota);
    const DriverValue* b = FindValue(months[i].rep, driver::kBookings);
    if (q == nullptr || q->value() <= 0) continue;
    quota += q->value() * months[i].elapsed;
    bookings += b != nullptr ? b->value() : 0;
  }
  if (latest < 0 || quota <= 0) return in;
  in.has_trend = true;
  in.trend = latest - bookings / quota;
  return in;
}

// The rep's own win rate by amount (shrunk), else by count: what converts
// remaining quota into the pipeline needed.
double OwnWinRate(const DriverWindow& w) {
  for (std::string_view d : {driver::kWinRateAmount, driver::kWinRateCount}) {
    const WindowValue* v = w.Find(d);
    if (v != nullptr && (v->has_rep || v->has_benchmark) && v->value > 0) return v->value;
  }
  return 0;
}

std::string PlanStatus(const std::optional<coachstream::v1::CoachingPlan>& plan, bool focus_accepted) {
  if (!plan) return focus_accepted ? "focus accepted, no plan" : "no plan";
  int met = 0, on_track = 0, off_track = 0, no_data = 0;
  for (const Objective& o : plan->objectives()) {
    switch (o.progress()) {
      case coachstream::v1::OBJECTIVE_PROGRESS_MET:
        ++met;
        break;
      case coachstream::v1::OBJECTIVE_PROGRESS_ON_TRACK:
        ++on_track;
        break;
      case coachstream::v1::OBJECTIVE_PROGRESS_OFF_TRACK:
        ++off_track;
        break;
      default:
        ++no_data;
        break;
    }
  }
  std::vector<std::string> parts;
  if (met > 0) parts.push_back(absl::StrCat(met, " met"));
  if (on_track > 0) parts.push_back(absl::StrCat(on_track, " on track"));
  if (off_track > 0) parts.push_back(absl::StrCat(off_track, " off track"));
  if (no_data > 0) parts.push_back(absl::StrCat(no_data, " no data"));
  return absl::StrCat("plan: ", absl::StrJoin(parts, ", "));
}

bool OnBoard(coachstream::v1::Role role, const BoardOptions& o) {
  return std::find(o.roles.begin(), o.roles.end(), role) != o.roles.end();
}

int TierOrder(coachstream::v1::Tier t) {
  return t == coachstream::v1::TIER_UNSPECIFIED ? 4 : static_cast<int>(t);
}

}  // namespace

absl::Status CoachingCore::FillBoardFocus(const RepContext& ctx, PeriodDriversCache& cache,
                                          BoardRow* row) const {
  CS_ASSIGN_OR_RETURN(FocusState state, LoadFocusState(ctx.tenant, ctx.rep, FormatPeriod(ctx.month)));
  bool released = state.focus && state.focus->objective_met_at;
  if (state.focus && !released) {
    // Read-only here: RecommendFocusSkill records the release.
    CS_ASSIGN_OR_RETURN(released, FocusObjectiveMet(ctx, state, cache));
  }
  const Competency* accepted = state.focus && !released ? library_.Find(state.focus->competency_id) : nullptr;
  if (accepted != nullptr) {
    const Candidate c = Evaluate(*accepted, ctx.window, ctx.model, options_.recommender);
    row->set_focus_competency_id(accepted->id);
    row->set_focus_rationale(absl::StrCat("Accepted focus. ", BriefRationale(ctx, c)));
    row->set_gain_minor(c.bookings_gain_minor);
  } else {
    const Recommendation r = Recommend(MakeInput(ctx, state), ctx.model, options_.recommender);
    if (!r.insufficient) {
      row->set_focus_competency_id(r.ranked.front().competency->id);
      row->set_focus_rationale(absl::StrCat("Recommended. ", BriefRationale(ctx, r.ranked.front())));
      row->set_gain_minor(r.ranked.front().bookings_gain_minor);
    } else {
      row->set_focus_rationale(absl::StrCat("Insufficient data: ", absl::StrJoin(r.missing_data, "; ")));
    }
  }
  if (state.plan) {
    for (Objective& o : *state.plan->mutable_objectives()) {
      CS_RETURN_IF_ERROR(FillProgress(ctx.tenant, ctx.rep, cache, &o));
    }
  }
  row->set_plan_status(PlanStatus(state.plan, accepted != nullptr));
  return absl::OkStatus();
}

absl::Status CoachingCore::FillBoardDeals(const RepContext& ctx, BoardRow* row) const {
  const std::vector<MonthData>& months = ctx.data.months;
  const MonthData* current = months.empty() || months.back().month != ctx.month ? nullptr : &months.back();
  const DriverValue* quota = current ? FindValue(current->rep, driver::kQuota) : nullptr;
  const DriverValue* booked = current ? FindValue(current->rep, driver::kBookings) : nullptr;
  const WindowValue* open = ctx.window.Find(driver::kOpenPipeline);
  *row->mutable_gap() = ComputeGap(quota ? quota->value() : 0, booked ? booked->value() : 0,
                                   OwnWinRate(ctx.window), open ? open->raw : 0);

  coachstream::v1::ListOpenDealsRequest request;
  request.set_tenant_id(ctx.tenant);
  request.set_rep_id(ctx.rep);
  absl::StatusOr<coachstream::v1::ListOpenDealsResponse> deals = metrics_.ListOpenDeals(request);
  if (!deals.ok()) return MetricsError(deals.status(), "ListOpenDeals");
  // "Large" is against the rep's own (shrunk) average won deal.
  const WindowValue* average = ctx.window.Find(driver::kAvgWonDealSize);
  const absl::Time now = clock_.Now();
  for (auto& c :
       RankMicroCoaching({deals->deals().begin(), deals->deals().end()}, average ? average->value : 0, now,
                         absl::ToCivilDay(now, Zone(ctx.tenant)), options_.board)) {
    *row->add_micro_coaching() = std::move(c);
  }
  return absl::OkStatus();
}

absl::StatusOr<coachstream::v1::GetTeamBoardResponse> CoachingCore::GetTeamBoard(
    const coachstream::v1::GetTeamBoardRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("manager_id", request.manager_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  CS_RETURN_IF_ERROR(CheckMonthNotTooFar("month", month, request.tenant_id()));
  const std::string& tenant = request.tenant_id();
  const WindowSpec spec = MakeWindow(month, options_.recommender.window_months, clock_.Now(), Zone(tenant));
  CS_ASSIGN_OR_RETURN(TeamWindow team, FetchTeamWindow(metrics_, tenant, request.manager_id(), spec));

  std::vector<BoardRow> rows;
  std::vector<TierInput> tier_inputs;
  PeriodDriversCache cache(metrics_, tenant);
  for (const std::string& rep : team.rep_ids) {
    const RepContext ctx = MakeContext(tenant, rep, month, spec, team.reps[rep]);
    if (!OnBoard(ctx.role, options_.board)) continue;
    cache.Preload(rep, ctx.data);
    BoardRow row;
    row.set_rep_id(rep);
    row.set_display_name(ctx.name);
    row.set_attainment(std::max(0.0, ctx.window.attainment()));
    CS_RETURN_IF_ERROR(FillBoardFocus(ctx, cache, &row));
    CS_RETURN_IF_ERROR(FillBoardDeals(ctx, &row));
    tier_inputs.push_back(TierOf(ctx.window, ctx.data.months));
    rows.push_back(std::move(row));
  }
  const std::vector<coachstream::v1::Tier> tiers = AssignTiers(tier_inputs, options_.board);
  const std::vector<double> minutes = SplitCoachingMinutes(tiers, options_.board);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].set_tier(tiers[i]);
    rows[i].set_recommended_coaching_minutes(minutes[i]);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const BoardRow& a, const BoardRow& b) {
    return TierOrder(a.tier()) != TierOrder(b.tier()) ? TierOrder(a.tier()) < TierOrder(b.tier())
                                                      : a.display_name() < b.display_name();
  });
  coachstream::v1::GetTeamBoardResponse response;
  for (BoardRow& row : rows) *response.add_rows() = std::move(row);
  *response.mutable_rollup() = team.latest.rollup();
  return response;
}

}  // namespace cs::coaching
