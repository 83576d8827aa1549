// The monthly 1:1 agenda (narrative.h: MakeAgenda).

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/narrative.h"

namespace cs::coaching {
namespace {

// The driver in which the rep is furthest ahead of peers (relative), among
// the library's drivers: the agenda starts from what went well.
std::optional<std::string> StrongestDriver(const NarrativeContext& ctx) {
  // A lead under 2% is noise, not something that went well.
  constexpr double kMinLead = 0.02;
  std::optional<std::string> best;
  double best_lead = kMinLead;
  auto consider = [&](const std::string& name) {
    const WindowValue* v = ctx.window->Find(name);
    const DriverInfo* info = FindDriverInfo(name);
    if (v == nullptr || info == nullptr || !v->has_rep || !v->has_benchmark || v->benchmark <= 0) return;
    const double lead = info->direction == Direction::kHigherIsBetter
                            ? (v->value - v->benchmark) / v->benchmark
                            : (v->benchmark - v->value) / v->benchmark;
    if (lead > best_lead) {
      best_lead = lead;
      best = name;
    }
  };
  if (ctx.library != nullptr) {
    for (const Competency& c : ctx.library->competencies()) {
      for (const CompetencyDriver& d : c.drivers) consider(d.driver);
    }
  }
  return best;
}

std::string ValueVsPeers(const NarrativeContext& ctx, std::string_view driver) {
  const WindowValue* v = ctx.window->Find(driver);
  if (v == nullptr) return "no data yet";
  return absl::StrCat(FormatDriverValue(driver, v->value, *ctx.options), " vs ",
                      FormatDriverValue(driver, v->benchmark, *ctx.options), " for peers");
}

std::string LastMonthLine(const NarrativeContext& ctx) {
  const DriverWindow& w = *ctx.window;
  const WindowValue* bookings = w.Find(driver::kBookings);
  std::string numbers;
  if (bookings != nullptr) {
    numbers = absl::StrCat(" (bookings ", FormatMoney(bookings->raw, *ctx.options), " a month over ",
                           ctx.window_label);
    if (w.attainment() >= 0)
      absl::StrAppend(&numbers, ", ", absl::StrFormat("%.0f%%", 100 * w.attainment()), " of quota");
    numbers.push_back(')');
  }
  return absl::StrCat("How do you think last month went?", numbers);
}

}  // namespace

std::vector<std::string> MakeAgenda(const NarrativeContext& ctx, const Candidate& focus,
                                    const coachstream::v1::PlanTemplate& plan) {
  const Competency& c = *focus.competency;
  std::vector<std::string> agenda;
  agenda.push_back(LastMonthLine(ctx));
  const std::optional<std::string> strongest = StrongestDriver(ctx);
  agenda.push_back(strongest ? absl::StrCat("What went well? (Your ", Av(FindDriverInfo(*strongest)->label),
                                            ": ", ValueVsPeers(ctx, *strongest), ".)")
                             : std::string("What went well?"));
  agenda.push_back("What could have gone better?");
  agenda.push_back(absl::StrCat("Here are the team's numbers; what do you observe about yours? (",
                                Av(FindDriverInfo(c.TargetDriverFor(ctx.window->identity().role()))->label), ": ",
                                ValueVsPeers(ctx, c.TargetDriverFor(ctx.window->identity().role())), ".)"));
  std::string gain = focus.bookings_gain_minor > 0
                         ? absl::StrCat(" (the numbers point to ", c.name, ": about ",
                                        FormatMoney(focus.bookings_gain_minor, *ctx.options), " a month)")
                         : absl::StrCat(" (the numbers point to ", c.name, ")");
  agenda.push_back(absl::StrCat("Which one skill would move your numbers most?", gain));
  agenda.push_back(absl::StrCat("What is going on in ", c.name, ", and why?"));
  agenda.push_back(absl::StrCat(
      "What activities and goal will you set for next month? (Suggested goal: ",
      Av(FindDriverInfo(plan.target_driver())->label), " to ",
      FormatDriverValue(plan.target_driver(), plan.target_value(), *ctx.options),
      plan.activities_size() > 0 ? absl::StrCat("; for example: ", plan.activities(0)) : "", ".)"));
  agenda.push_back(
      focus.attainment_gain_points > 0
          ? absl::StrFormat("What would reaching it mean to you? (About %.0f more points of attainment.)",
                            focus.attainment_gain_points)
          : std::string("What would reaching it mean to you?"));
  agenda.push_back("What stands in the way?");
  agenda.push_back("How will you handle that?");
  agenda.push_back("What help do you need from me?");
  return agenda;
}

}  // namespace cs::coaching
