// coachctl pack: gathers the rep's month from both services and renders
// the 1:1 pack (pack.h). The drivers, benchmarks and recommendation are
// required; the trend, the board row (gap, candidates) and open deals are
// best effort: the page says what is missing rather than failing.

#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "tools/coachctl/commands.h"
#include "tools/coachctl/errors.h"
#include "tools/coachctl/pack.h"
#include "tools/coachctl/views.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;

absl::StatusOr<std::vector<v1::DriverPoint>> History(CommandContext& c, const std::string& rep,
                                                     const std::string& driver, int months) {
  v1::GetDriverHistoryRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(rep);
  req.set_driver(driver);
  req.set_from_period(AddMonths(c.config.month, -(months - 1)));
  req.set_to_period(c.config.month);
  v1::GetDriverHistoryResponse resp;
  CS_RETURN_IF_ERROR(
      c.client.Metrics([&](auto* ctx) { return c.client.metrics().GetDriverHistory(ctx, req, &resp); }));
  return std::vector<v1::DriverPoint>(resp.points().begin(), resp.points().end());
}

// The coaching service derives two rates from counts (services/coaching/core
// README): their history is the quotient of the counts' histories.
absl::StatusOr<std::vector<v1::DriverPoint>> FocusHistory(CommandContext& c, const std::string& rep,
                                                          const std::string& driver, int months) {
  std::string num, den;
  if (driver == "meeting_rate") num = "meetings_booked", den = "calls_connected";
  if (driver == "opportunity_rate") num = "opportunities_created", den = "first_meetings_held";
  if (num.empty()) return History(c, rep, driver, months);
  CS_ASSIGN_OR_RETURN(auto top, History(c, rep, num, months));
  CS_ASSIGN_OR_RETURN(auto bottom, History(c, rep, den, months));
  std::vector<v1::DriverPoint> out;
  for (size_t i = 0; i < top.size() && i < bottom.size(); ++i) {
    v1::DriverPoint p;
    p.set_period(top[i].period());
    v1::DriverValue& v = *p.mutable_value();
    v.set_driver(driver);
    v.set_unit("ratio");
    v.set_numerator(top[i].value().value());
    v.set_denominator(bottom[i].value().value());
    v.set_value(v.denominator() > 0 ? v.numerator() / v.denominator() : 0);
    v.set_sample_size(static_cast<int64_t>(v.denominator()));
    out.push_back(std::move(p));
  }
  return out;
}

std::string FocusDriver(const PackData& d) {
  const std::string& focus = d.recommendation.focus().competency_id();
  if (d.plan && !d.plan->objectives().empty() && (focus.empty() || d.plan->competency_id() == focus)) {
    return d.plan->objectives(0).target_driver();
  }
  if (!d.recommendation.plan_template().target_driver().empty()) return d.recommendation.plan_template().target_driver();
  if (d.recommendation.focus().evidence_size() > 0) return d.recommendation.focus().evidence(0).driver();
  return "";
}

// The rep's row of the manager's board (gap to goal, micro-coaching candidates).
std::optional<v1::BoardRow> BoardRow(CommandContext& c, const v1::RepDrivers& rep) {
  if (rep.manager_id().empty()) return std::nullopt;
  v1::GetTeamBoardRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_manager_id(rep.manager_id());
  req.set_month(c.config.month);
  v1::GetTeamBoardResponse resp;
  if (!c.client.Coaching([&](auto* ctx) { return c.client.coaching().GetTeamBoard(ctx, req, &resp); }).ok()) {
    return std::nullopt;
  }
  for (const auto& row : resp.rows()) {
    if (row.rep_id() == rep.rep_id()) return row;
  }
  return std::nullopt;
}

absl::Status Gather(CommandContext& c, const std::string& rep, int months, PackData* d) {
  d->tenant = c.config.tenant;
  d->month = c.config.month;
  d->generated_at = c.now;
  CS_RETURN_IF_ERROR(FetchDrivers(c, rep, &d->rep, &d->benchmarks));
  CS_ASSIGN_OR_RETURN(d->recommendation, FetchRecommendation(c, rep));
  CS_ASSIGN_OR_RETURN(d->plan, FetchPlan(c, rep));
  d->focus_driver = FocusDriver(*d);
  if (!d->focus_driver.empty()) {
    if (auto h = FocusHistory(c, rep, d->focus_driver, months); h.ok()) {
      d->history = *std::move(h);
      if (!d->history.empty()) d->focus_unit = d->history.back().value().unit();
    }
  }
  d->board_row = BoardRow(c, d->rep);
  if (!d->board_row || d->board_row->micro_coaching_size() == 0) {
    v1::ListOpenDealsRequest oreq;
    oreq.set_tenant_id(c.config.tenant);
    oreq.set_rep_id(rep);
    v1::ListOpenDealsResponse oresp;
    if (c.client.Metrics([&](auto* ctx) { return c.client.metrics().ListOpenDeals(ctx, oreq, &oresp); }).ok()) {
      d->open_deals.assign(oresp.deals().begin(), oresp.deals().end());
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunPack(CommandContext& c) {
  const std::string& rep = c.inv.positionals[0];
  int months = 6;
  if (auto h = c.inv.Get("history"); h && (!absl::SimpleAtoi(*h, &months) || months < 1 || months > 24)) {
    return UsageStatus(absl::StrCat("--history: '", *h, "' is not a number of months (1-24)"));
  }
  PackData data;
  CS_RETURN_IF_ERROR(Gather(c, rep, months, &data));
  const std::string html = RenderPack(data);
  const std::string path = c.inv.GetOr("output", "-");
  if (path == "-") {
    c.out << html;
    return absl::OkStatus();
  }
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << html;
    if (!file.good()) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  }
  if (c.config.json) {
    c.out << JsonText({{"output", path}, {"bytes", html.size()}, {"rep_id", rep}, {"month", c.config.month},
                       {"focus_driver", data.focus_driver}});
  } else {
    c.out << "wrote " << path << " (" << html.size() << " bytes): 1:1 pack for " << rep << ", " << c.config.month
          << "\n";
  }
  return absl::OkStatus();
}

}  // namespace cs::coachctl
