#include "services/coaching/core/narrative.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching {
namespace {

// A relative difference between the raw and the shrunk value above which
// the rationale says the estimate was adjusted for a small sample.
constexpr double kShrinkNoteThreshold = 0.05;

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

// "9.2%", "14.6%", "20%": a tenth of a point, without a trailing ".0".
std::string Percent(double fraction) {
  std::string s = absl::StrFormat("%.1f", 100 * fraction);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s + "%";
}

std::string_view TrialUnit(Trial trial) {
  switch (trial) {
    case Trial::kCall:
      return "calls";
    case Trial::kMeeting:
      return "first meetings";
    case Trial::kDeal:
      return "deals";
    case Trial::kNone:
      return "";
  }
  return "";
}

std::string Label(std::string_view driver) {
  const DriverInfo* info = FindDriverInfo(driver);
  return info != nullptr ? std::string(info->label) : std::string(driver);
}

// "Dana's connect rate is 9.0% vs 18% for peers (420 calls over 2024-04..2024-06)."
// With `stretch` (a gain measured against the peers' top quartile, for a
// rep already on target) the top quartile's figure follows the median's:
// "... vs 18% for peers and 24% for their top quartile (...)".
std::string DriverSentence(const NarrativeContext& ctx, std::string_view driver, bool stretch = false) {
  const WindowValue* v = ctx.window->Find(driver);
  const DriverInfo* info = FindDriverInfo(driver);
  if (v == nullptr || info == nullptr) return "";
  const CoachingCoreOptions& o = *ctx.options;
  std::string s =
      absl::StrCat(ctx.rep_name, "'s ", Av(info->label), " is ", FormatDriverValue(driver, v->value, o),
                   " vs ", FormatDriverValue(driver, v->benchmark, o), " for peers");
  if (stretch && v->p75 != v->benchmark) {
    absl::StrAppend(&s, " and ", FormatDriverValue(driver, v->p75, o), " for their top quartile");
  }
  if (info->kind == DriverKind::kCount) {
    absl::StrAppend(&s, " (", ctx.window_label, ")");
  } else if (v->trials > 0 && info->trial != Trial::kNone) {
    absl::StrAppend(&s, " (", std::llround(v->trials), " ", Av(TrialUnit(info->trial)), " over ",
                    ctx.window_label);
    const double scale = std::max(std::abs(v->raw), std::abs(v->value));
    if (scale > 0 && std::abs(v->raw - v->value) / scale > kShrinkNoteThreshold) {
      absl::StrAppend(&s, "; own figure ", FormatDriverValue(driver, v->raw, o),
                      ", adjusted toward peers for the small sample");
    }
    s.push_back(')');
  }
  s.push_back('.');
  return s;
}

// One factor of the bookings model in words: "20% connected".
std::string Factor(const NarrativeContext& ctx, const LeverState& l) {
  const CoachingCoreOptions& o = *ctx.options;
  switch (l.lever) {
    case Lever::kActivity:
      return absl::StrFormat("%.0f calls a month", l.value);
    case Lever::kConnect:
      return absl::StrCat(Percent(l.value), " connected");
    case Lever::kMeeting:
      return absl::StrFormat("%.2f meetings per connected call", l.value);
    case Lever::kOpportunity:
      return absl::StrFormat("%.2f opportunities per first meeting", l.value);
    case Lever::kWin:
      return absl::StrCat(Percent(l.value), " won");
    case Lever::kDealSize:
      return absl::StrCat(FormatMoney(l.value, o), " a deal");
    case Lever::kCycle: {
      const double h = o.recommender.cycle_horizon_days;
      const double at_median = CycleLanding(l.benchmark, h);
      const double factor = at_median > 0 ? CycleLanding(l.value, h) / at_median : 1;
      return absl::StrFormat("%.2f for a %.0f-day cycle", factor, l.value);
    }
    case Lever::kNone:
      break;
  }
  return "";
}

// "500 calls a month x 20% connected x ... = about $42,000 a month."
std::string Arithmetic(const NarrativeContext& ctx) {
  if (!ctx.model->complete()) return "";
  std::vector<std::string> factors;
  for (const LeverState& l : ctx.model->levers()) factors.push_back(Factor(ctx, l));
  return absl::StrCat("The model behind it: ", absl::StrJoin(factors, " x "), " = about ",
                      FormatMoney(ctx.model->bookings(), *ctx.options), " a month.");
}

// "Deals lost at that stage account for 60% of the gap in win rate (13% vs 23% for peers)."
// With `stretch` the gap is to the top quartile's win rate (funnel.cc,
// AttributeWinGap), and that is the figure quoted.
std::string WinShareSentence(const NarrativeContext& ctx, double share, bool stretch) {
  const WindowValue* w = ctx.window->Find(driver::kWinRateCount);
  if (w == nullptr) return "";
  const std::string part =
      share >= 0.995 ? "that stage account for all" : absl::StrCat("that stage account for ", Percent(share));
  const std::string own = FormatDriverValue(driver::kWinRateCount, w->value, *ctx.options);
  if (stretch) {
    return absl::StrCat("Deals lost at ", part, " of the gap to the top quartile's win rate (", own, " vs ",
                        FormatDriverValue(driver::kWinRateCount, w->p75, *ctx.options), ").");
  }
  return absl::StrCat("Deals lost at ", part, " of the gap in win rate (", own, " vs ",
                      FormatDriverValue(driver::kWinRateCount, w->benchmark, *ctx.options), " for peers).");
}

std::string GainSentence(const NarrativeContext& ctx, const Candidate& c) {
  const std::string to = c.stretch ? "the top quartile of peers" : "the peer level";
  const double pct = 100 * (c.gain.multiplier - 1);
  if (c.gain.multiplier <= 1) {
    return absl::StrCat(ctx.rep_name, " is at or above ", to,
                        " on this competency's drivers; the focus holds that level.");
  }
  if (!ctx.model->complete()) {
    return absl::StrFormat("Raising that to %s would lift %s's funnel output by about %.0f%%.", to,
                           ctx.rep_name, pct);
  }
  std::string s = absl::StrCat("Raising that to ", to, " would add about ",
                               FormatMoney(c.bookings_gain_minor, *ctx.options), " a month");
  if (ctx.window->monthly_quota() > 0) {
    absl::StrAppend(&s, absl::StrFormat(" (+%.0f points of attainment)", c.attainment_gain_points));
  }
  absl::StrAppend(&s, absl::StrFormat(", %.0f%% more bookings.", pct));
  return s;
}

}  // namespace

std::string FormatMoney(double minor, const CoachingCoreOptions& options) {
  const int64_t major = std::llround(minor / options.minor_units_per_major);
  const std::string& code = options.currency_code;
  const std::string number = Thousands(major < 0 ? -major : major);
  const std::string sign = major < 0 ? "-" : "";
  if (code == "USD") return absl::StrCat(sign, "$", number);
  if (code == "EUR") return absl::StrCat(sign, "\u20ac", number);
  if (code == "GBP") return absl::StrCat(sign, "\u00a3", number);
  return absl::StrCat(sign, number, " ", code);
}

std::string FormatDriverValue(std::string_view driver, double value, const CoachingCoreOptions& options) {
  const DriverInfo* info = FindDriverInfo(driver);
  const std::string_view unit = info != nullptr ? info->unit : "count";
  if (unit == "ratio") {
    if (driver == driver::kMeetingRate || driver == driver::kOpportunityRate ||
        driver == driver::kPipelineCoverage) {
      return absl::StrFormat("%.2f", value);
    }
    return Percent(value);
  }
  if (unit == "bps") return Percent(value / 10000);
  if (unit == "minor_units") return FormatMoney(value, options);
  if (unit == "days") return absl::StrFormat("%.0f days", value);
  if (unit == "seconds") return absl::StrFormat("%.0f seconds", value);
  if (unit == "per_hour") return absl::StrFormat("%.1f per hour", value);
  if (unit == "per_week") return absl::StrFormat("%.1f a week", value);
  if (unit == "minutes") return absl::StrFormat("%.0f minutes", value);
  if (info != nullptr && info->kind == DriverKind::kCount) return absl::StrFormat("%.0f a month", value);
  return absl::StrFormat("%.0f", value);
}

std::string LayerIntro(const NarrativeContext& ctx, const Recommendation& r, const Candidate& focus) {
  const DriverWindow& w = *ctx.window;
  if (r.layer == DiagnosisLayer::kEffort) {
    const WindowValue* v = w.Find(r.effort_driver);
    const double share = v != nullptr && v->benchmark > 0 ? v->raw / v->benchmark : 0;
    return absl::StrCat("Effort comes before skill: ", ctx.rep_name, "'s ", Label(r.effort_driver), " is ",
                        FormatDriverValue(r.effort_driver, v != nullptr ? v->raw : 0, *ctx.options), " vs ",
                        FormatDriverValue(r.effort_driver, v != nullptr ? v->benchmark : 0, *ctx.options),
                        " for peers (", Percent(share), " of the peer level, below the ",
                        Percent(ctx.options->recommender.effort_floor), " floor), so the focus is ",
                        focus.competency->name, " whatever the conversion rates say.");
  }
  std::string results = w.attainment() < 0 ? "No quota is on record for this window"
                                           : absl::StrCat(ctx.rep_name, " is at ", Percent(w.attainment()),
                                                          " of the pro-rated quota over ", ctx.window_label);
  if (r.layer == DiagnosisLayer::kResults) {
    return absl::StrCat(results, ", on target; the biggest upside is ", focus.competency->name, ".");
  }
  return absl::StrCat(results, "; activity is at peer level, so the focus is the skill with the ",
                      "largest effect on bookings: ", focus.competency->name, ".");
}

std::string CandidateRationale(const NarrativeContext& ctx, const Candidate& c) {
  std::vector<std::string> parts;
  if (c.gain.behaviour_claim) {
    for (const std::string& d : c.gain.behaviour_gaps) parts.push_back(DriverSentence(ctx, d));
    if (!c.gain.moves.empty()) {
      parts.push_back(
          absl::StrCat("That is the likely cause of a gap in ", Label(c.gain.moves.front().driver), ":"));
      parts.push_back(DriverSentence(ctx, c.gain.moves.front().driver));
    }
  } else {
    double win_share = 0;
    for (const DriverMove& m : c.gain.moves) {
      parts.push_back(DriverSentence(ctx, m.driver, c.stretch));
      win_share += m.win_share;
    }
    if (win_share > 0) parts.push_back(WinShareSentence(ctx, std::min(1.0, win_share), c.stretch));
    if (c.gain.moves.empty()) {
      parts.push_back(DriverSentence(ctx, c.competency->TargetDriverFor(ctx.window->identity().role())));
    }
  }
  parts.push_back(GainSentence(ctx, c));
  if (c.gain.multiplier > 1) parts.push_back(Arithmetic(ctx));
  std::erase(parts, std::string());
  return absl::StrJoin(parts, " ");
}

std::string BriefRationale(const NarrativeContext& ctx, const Candidate& c) {
  std::string evidence;
  if (c.gain.behaviour_claim && !c.gain.behaviour_gaps.empty()) {
    evidence = DriverSentence(ctx, c.gain.behaviour_gaps.front());
  } else if (!c.gain.moves.empty()) {
    evidence = DriverSentence(ctx, c.gain.moves.front().driver, c.stretch);
  }
  return absl::StrJoin({evidence, GainSentence(ctx, c)}, evidence.empty() ? "" : " ");
}

std::string RunnersUpSentence(const NarrativeContext& ctx, const std::vector<Candidate>& runners_up) {
  if (runners_up.empty() || runners_up.front().gain.multiplier <= 1) return "";
  const Candidate& next = runners_up.front();
  const std::string amount =
      ctx.model->complete()
          ? absl::StrCat("about ", FormatMoney(next.bookings_gain_minor, *ctx.options), " a month")
          : absl::StrFormat("about %.0f%%", 100 * (next.gain.multiplier - 1));
  return absl::StrCat("Next biggest: ", next.competency->name, " (", amount, ").");
}

double TargetValue(const DriverWindow& window, std::string_view driver, const RecommenderOptions& options) {
  const WindowValue* v = window.Find(driver);
  const DriverInfo* info = FindDriverInfo(driver);
  if (v == nullptr || info == nullptr) return 0;
  const double f = options.target_gap_fraction;
  double target = v->value;
  if (v->has_benchmark && IsWorse(info->direction, v->value, v->benchmark)) {
    target = v->value + (v->benchmark - v->value) * f;
  } else if (v->has_benchmark && info->direction == Direction::kHigherIsBetter && v->p75 > v->value) {
    target = v->value + (v->p75 - v->value) * f;
  }
  const double at_least = info->direction == Direction::kHigherIsBetter
                              ? v->value * (1 + options.min_target_improvement)
                              : v->value * (1 - options.min_target_improvement);
  return IsWorse(info->direction, target, at_least) ? at_least : target;
}

double RoundTarget(std::string_view driver, double value) {
  const DriverInfo* info = FindDriverInfo(driver);
  const bool fractional = info != nullptr && info->unit == "ratio";
  return fractional ? std::round(value * 1000) / 1000 : std::round(value);
}

coachstream::v1::PlanTemplate MakePlanTemplate(const NarrativeContext& ctx, const Competency& focus) {
  coachstream::v1::PlanTemplate plan;
  for (const std::string& a : focus.activities) plan.add_activities(a);
  const std::string& target = focus.TargetDriverFor(ctx.window->identity().role());
  plan.set_target_driver(target);
  plan.set_target_value(RoundTarget(target, TargetValue(*ctx.window, target, ctx.options->recommender)));
  plan.set_check_in_cadence(absl::StrCat("monthly 1:1 + ", ctx.options->recommender.micro_sessions_per_week,
                                         " micro-coaching sessions a week (at most ",
                                         ctx.options->sessions.max_micro_minutes,
                                         " minutes, one deal each)"));
  return plan;
}

}  // namespace cs::coaching
