#include "tools/coachctl/pack.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/coachctl/format.h"
#include "tools/coachctl/html.h"
#include "tools/coachctl/svg.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;
using E = std::string;  // escaped HTML

// Drivers shown against peers, in funnel order (DOMAIN.md: activity ->
// connects -> meetings -> opportunities -> wins -> revenue per deal).
constexpr std::string_view kChartDrivers[] = {
    "calls_made",         "connect_rate",       "meetings_booked",   "customer_meetings_held",
    "first_meetings_held", "opportunities_created", "stage_conversion_qualification", "stage_conversion_discovery",
    "stage_conversion_proposal", "stage_conversion_negotiation", "win_rate_count", "avg_won_deal_size",
    "avg_discount",       "median_cycle_days",  "expected_cycle_days", "close_date_slips",  "stalled_deals",
    "talk_ratio",         "question_rate",      "longest_monologue", "next_step_rate",
    "pipeline_coverage",  "bookings",
};

constexpr char kStyle[] = R"css(
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#263238;background:#fff;margin:0;padding:24px 32px;max-width:1100px;font-size:14px;line-height:1.45}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px;color:#1a237e}
.sub{color:#607d8b;margin:0 0 18px}
section{border:1px solid #e0e0e0;border-radius:8px;padding:14px 18px;margin:0 0 16px;page-break-inside:avoid}
.kpis{display:flex;gap:12px;border:none;padding:0}
.kpi{flex:1;border-radius:8px;padding:10px 14px;background:#e8eaf6}
.kpi .v{font-size:22px;font-weight:bold}.kpi .l{font-size:12px;color:#455a64}
.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:bold;color:#fff;background:#78909c}
.met{background:#2e7d32}.on_track{background:#558b2f}.off_track{background:#c62828}.no_data{background:#9e9e9e}
.accepted{background:#1a237e}.recommended{background:#3949ab}.insufficient_data{background:#ef6c00}
table{border-collapse:collapse;width:100%;margin-top:8px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff1;vertical-align:top}
th{font-size:12px;color:#607d8b;font-weight:normal}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.worse{color:#c62828}.better{color:#2e7d32}
.rationale{background:#f5f5f5;border-left:4px solid #3949ab;padding:8px 12px;margin:8px 0}
.empty{color:#78909c;font-style:italic}
ol.agenda li{margin:0 0 6px}
footer{color:#90a4ae;font-size:12px}
svg{max-width:100%;height:auto}
@media print{body{padding:0}section{border-color:#bbb}}
)css";

const v1::DriverValue* FindDriver(const v1::RepDrivers& rep, std::string_view name) {
  for (const auto& d : rep.drivers()) {
    if (d.driver() == name) return &d;
  }
  return nullptr;
}

const v1::Benchmark* FindBenchmark(const PackData& data, std::string_view name) {
  for (const auto& b : data.benchmarks) {
    if (b.driver() == name) return &b;
  }
  return nullptr;
}

std::string UnitOf(const PackData& data, std::string_view driver) {
  if (const v1::DriverValue* d = FindDriver(data.rep, driver)) return d->unit();
  if (driver == data.focus_driver && !data.focus_unit.empty()) return data.focus_unit;
  return DriverUnit(driver);
}

std::string Val(const PackData& data, std::string_view driver, double value) {
  return FormatValue(driver, UnitOf(data, driver), value);
}

E Empty(std::string_view text) { return absl::StrCat("<p class=\"empty\">", HtmlEscape(text), "</p>"); }

std::string RepName(const PackData& data) {
  if (!data.rep.display_name().empty()) return data.rep.display_name();
  if (data.board_row && !data.board_row->display_name().empty()) return data.board_row->display_name();
  return data.rep.rep_id();
}

E Header(const PackData& data) {
  std::vector<std::string> parts = {data.rep.rep_id()};
  if (data.rep.role() != v1::ROLE_UNSPECIFIED) parts.push_back(EnumLabel(v1::Role_Name(data.rep.role()), "ROLE_"));
  if (!data.rep.segment().empty()) parts.push_back(data.rep.segment());
  if (data.board_row && data.board_row->tier() != v1::TIER_UNSPECIFIED) {
    parts.push_back(absl::StrCat(EnumLabel(v1::Tier_Name(data.board_row->tier()), "TIER_"), " player"));
  }
  parts.push_back(absl::StrCat("prepared ", absl::FormatTime("%Y-%m-%d %H:%M UTC", data.generated_at,
                                                             absl::UTCTimeZone())));
  return absl::StrCat("<header><h1>Monthly 1:1 \u2014 ", HtmlEscape(RepName(data)), ", ", HtmlEscape(data.month),
                      "</h1><p class=\"sub\">", HtmlEscape(absl::StrJoin(parts, " \u00b7 ")), "</p></header>");
}

E Kpi(std::string_view label, std::string_view value) {
  return absl::StrCat("<div class=\"kpi\"><div class=\"v\">", HtmlEscape(value), "</div><div class=\"l\">",
                      HtmlEscape(label), "</div></div>");
}

E Kpis(const PackData& data) {
  auto value_or = [&](std::string_view driver) -> std::string {
    const v1::DriverValue* d = FindDriver(data.rep, driver);
    if (d == nullptr || (driver == "attainment" && d->denominator() == 0)) return "\u2014";
    return FormatValue(driver, d->unit(), d->value());
  };
  const auto& focus = data.recommendation.focus();
  return absl::StrCat("<section class=\"kpis\">", Kpi("attainment this month", value_or("attainment")),
                      Kpi("bookings", value_or("bookings")), Kpi("quota", value_or("quota")),
                      Kpi("focus skill", focus.competency_name().empty() ? "\u2014" : focus.competency_name()),
                      "</section>");
}

E FocusSection(const PackData& data) {
  const auto& r = data.recommendation;
  std::string status = EnumLabel(v1::RecommendationStatus_Name(r.status()), "RECOMMENDATION_STATUS_");
  E s = "<section id=\"focus\"><h2>Focus skill";
  if (!r.focus().competency_name().empty()) absl::StrAppend(&s, ": ", HtmlEscape(r.focus().competency_name()));
  absl::StrAppend(&s, "</h2>");
  if (r.status() == v1::RECOMMENDATION_STATUS_UNSPECIFIED) return s + Empty("No recommendation available.") + "</section>";
  std::string cls = status;
  std::replace(cls.begin(), cls.end(), ' ', '_');
  absl::StrAppend(&s, "<p><span class=\"badge ", HtmlEscape(cls), "\">", HtmlEscape(status), "</span>");
  if (!r.diagnosis_layer().empty()) absl::StrAppend(&s, " diagnosis layer: <b>", HtmlEscape(r.diagnosis_layer()), "</b>");
  if (r.focus().bookings_gain_minor() > 0) {
    absl::StrAppend(&s, " \u00b7 estimated gain <b>", HtmlEscape(FormatMoney(r.focus().bookings_gain_minor())),
                    " a month</b>");
    if (r.focus().attainment_gain_points() > 0) {
      absl::StrAppend(&s, HtmlEscape(absl::StrFormat(" (+%.0f points of attainment)", r.focus().attainment_gain_points())));
    }
  }
  absl::StrAppend(&s, "</p>");
  if (!r.rationale().empty()) absl::StrAppend(&s, "<div class=\"rationale\">", HtmlEscape(r.rationale()), "</div>");
  if (r.missing_data_size() > 0) {
    absl::StrAppend(&s, "<p>Not enough data to recommend a skill yet:</p><ul>");
    for (const auto& m : r.missing_data()) absl::StrAppend(&s, "<li>", HtmlEscape(m), "</li>");
    absl::StrAppend(&s, "</ul>");
  }
  if (r.focus().evidence_size() > 0) {
    absl::StrAppend(&s, "<table><tr><th>evidence</th><th class=\"n\">rep (adjusted)</th><th class=\"n\">rep (own)</th>"
                        "<th class=\"n\">peer median</th><th class=\"n\">sample</th><th class=\"n\">peers</th></tr>");
    for (const auto& e : r.focus().evidence()) {
      absl::StrAppend(&s, "<tr><td>", HtmlEscape(DriverLabel(e.driver())), "</td><td class=\"n\">",
                      HtmlEscape(Val(data, e.driver(), e.rep_value())), "</td><td class=\"n\">",
                      HtmlEscape(Val(data, e.driver(), e.raw_value())), "</td><td class=\"n\">",
                      HtmlEscape(Val(data, e.driver(), e.benchmark())), "</td><td class=\"n\">", e.sample_size(),
                      "</td><td class=\"n\">", e.peers(), "</td></tr>");
    }
    absl::StrAppend(&s, "</table>");
  }
  if (r.runners_up_size() > 0) {
    std::vector<std::string> names;
    for (const auto& c : r.runners_up()) {
      names.push_back(c.bookings_gain_minor() > 0
                          ? absl::StrCat(c.competency_name(), " (", FormatMoney(c.bookings_gain_minor()), ")")
                          : c.competency_name());
    }
    absl::StrAppend(&s, "<p>Next in line: ", HtmlEscape(absl::StrJoin(names, ", ")), ".</p>");
  }
  return s + "</section>";
}

ComparisonRow MakeRow(const PackData& data, const v1::DriverValue& d, const v1::Benchmark* b) {
  ComparisonRow row;
  row.label = DriverLabel(d.driver());
  row.focus = d.driver() == data.focus_driver;
  row.value_text = Val(data, d.driver(), d.value());
  if (b != nullptr && b->peers() > 0) {
    absl::StrAppend(&row.value_text, " vs ", Val(data, d.driver(), b->median()));
    if (b->median() > 0) row.index = d.value() / b->median();
    else row.index = d.value() == 0 ? 1.0 : 2.0;  // a zero median: at it, or off the scale
    row.better = LowerIsBetter(d.driver()) ? d.value() <= b->median() : d.value() >= b->median();
    // Within 5% of the median is "at peers", not a gap to talk about.
    row.near = row.index && std::abs(*row.index - 1) < 0.05;
  }
  return row;
}

E DriversSection(const PackData& data) {
  E s = "<section id=\"drivers\"><h2>Drivers against peers</h2>";
  std::vector<ComparisonRow> rows;
  E table = "<table><tr><th>driver</th><th class=\"n\">rep</th><th class=\"n\">peer median</th>"
            "<th class=\"n\">peer p75</th><th class=\"n\">sample</th><th class=\"n\">peers</th></tr>";
  for (std::string_view name : kChartDrivers) {
    const v1::DriverValue* d = FindDriver(data.rep, name);
    if (d == nullptr || (d->denominator() == 0 && d->sample_size() == 0)) continue;  // no value: no calls, ...
    const v1::Benchmark* b = FindBenchmark(data, name);
    ComparisonRow row = MakeRow(data, *d, b);
    const bool has_bench = b != nullptr && b->peers() > 0;
    absl::StrAppend(&table, "<tr><td>", HtmlEscape(row.label), "</td><td class=\"n ",
                    has_bench && !row.near ? (row.better ? "better" : "worse") : "", "\">", HtmlEscape(Val(data, name, d->value())),
                    "</td><td class=\"n\">", has_bench ? HtmlEscape(Val(data, name, b->median())) : "\u2014",
                    "</td><td class=\"n\">", has_bench ? HtmlEscape(Val(data, name, b->p75())) : "\u2014",
                    "</td><td class=\"n\">", d->sample_size(), "</td><td class=\"n\">", has_bench ? b->peers() : 0,
                    "</td></tr>");
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return s + Empty("No driver data for this month yet.") + "</section>";
  absl::StrAppend(&s, "<p>Bar = the rep's value as a share of the peer median (same role and segment); "
                      "green is better than peers, red worse, grey within 5%.</p>",
                  ComparisonChart(rows, 1000), table, "</table></section>");
  return s;
}

E TrendSection(const PackData& data) {
  if (data.focus_driver.empty()) {
    return "<section id=\"trend\"><h2>Focus driver trend</h2>" + Empty("No focus driver yet.") + "</section>";
  }
  E s = absl::StrCat("<section id=\"trend\"><h2>Trend: ", HtmlEscape(DriverLabel(data.focus_driver)),
                     " by month</h2>");
  std::vector<TrendPoint> points;
  for (const auto& p : data.history) {
    TrendPoint t{p.period(), std::nullopt, ""};
    if (p.value().denominator() != 0 || p.value().sample_size() > 0) {
      t.value = p.value().value();
      t.value_text = Val(data, data.focus_driver, p.value().value());
    }
    points.push_back(std::move(t));
  }
  std::vector<ReferenceLine> lines;
  if (const v1::Benchmark* b = FindBenchmark(data, data.focus_driver); b != nullptr && b->peers() > 0) {
    lines.push_back({"peers " + Val(data, data.focus_driver, b->median()), b->median(), "#607d8b"});
  } else {
    for (const auto& e : data.recommendation.focus().evidence()) {
      if (e.driver() == data.focus_driver && e.peers() > 0) {
        lines.push_back({"peers " + Val(data, e.driver(), e.benchmark()), e.benchmark(), "#607d8b"});
      }
    }
  }
  double target = data.recommendation.plan_template().target_driver() == data.focus_driver
                      ? data.recommendation.plan_template().target_value() : NAN;
  if (data.plan) {
    for (const auto& o : data.plan->objectives()) {
      if (o.target_driver() == data.focus_driver) target = o.target_value();
    }
  }
  if (std::isfinite(target)) lines.push_back({"goal " + Val(data, data.focus_driver, target), target, "#2e7d32"});
  bool any = std::any_of(points.begin(), points.end(), [](const TrendPoint& p) { return p.value.has_value(); });
  if (!any) return s + Empty("No history for this driver yet.") + "</section>";
  return s + TrendChart(points, lines, 1000, 260) + "</section>";
}

E GapSection(const PackData& data) {
  const v1::GapToGoal gap = data.board_row && data.board_row->has_gap() ? data.board_row->gap() : GapFromDrivers(data.rep);
  E s = "<section id=\"gap\"><h2>Gap to goal</h2>";
  const v1::DriverValue* quota = FindDriver(data.rep, "quota");
  const v1::DriverValue* bookings = FindDriver(data.rep, "bookings");
  if (quota == nullptr || quota->value() <= 0) return s + Empty("No quota known for this month.") + "</section>";
  const double booked = bookings ? bookings->value() : 0;
  absl::StrAppend(&s, ProgressBar(booked / quota->value(),
                                  absl::StrCat("booked ", FormatMoney(booked), " of ", FormatMoney(quota->value()),
                                               " (", FormatPercent(booked / quota->value()), ")"),
                                  "#3949ab", 1000));
  absl::StrAppend(&s, "<table><tr><th>remaining quota</th><th>pipeline needed (at own win rate)</th>"
                      "<th>open pipeline</th><th>coverage</th></tr><tr><td>",
                  HtmlEscape(FormatMoney(gap.remaining_quota_minor())), "</td><td>",
                  gap.pipeline_needed_minor() > 0 ? HtmlEscape(FormatMoney(gap.pipeline_needed_minor())) : "\u2014",
                  "</td><td>", HtmlEscape(FormatMoney(gap.open_pipeline_minor())), "</td><td>",
                  gap.remaining_quota_minor() > 0 ? HtmlEscape(absl::StrFormat("%.1fx", gap.coverage())) : "quota met",
                  "</td></tr></table>");
  return s + "</section>";
}

E PlanSection(const PackData& data) {
  E s = "<section id=\"plan\"><h2>Plan and objectives</h2>";
  if (!data.plan) {
    absl::StrAppend(&s, Empty(absl::StrCat("No plan yet for ", data.month,
                                           ". Create one with: coachctl plan create ", data.rep.rep_id())));
    const auto& t = data.recommendation.plan_template();
    if (t.activities_size() > 0) {
      absl::StrAppend(&s, "<p>Suggested activities:</p><ul>");
      for (const auto& a : t.activities()) absl::StrAppend(&s, "<li>", HtmlEscape(a), "</li>");
      absl::StrAppend(&s, "</ul>");
    }
    return s + "</section>";
  }
  const auto& plan = *data.plan;
  absl::StrAppend(&s, "<p>Competency: <b>", HtmlEscape(plan.competency_id()), "</b></p>");
  if (plan.activities_size() > 0) {
    absl::StrAppend(&s, "<ul>");
    for (const auto& a : plan.activities()) absl::StrAppend(&s, "<li>", HtmlEscape(a), "</li>");
    absl::StrAppend(&s, "</ul>");
  }
  absl::StrAppend(&s, "<table><tr><th>objective</th><th class=\"n\">now</th><th class=\"n\">target</th>"
                      "<th>deadline</th><th>progress</th></tr>");
  for (const auto& o : plan.objectives()) {
    std::string progress = EnumLabel(v1::ObjectiveProgress_Name(o.progress()), "OBJECTIVE_PROGRESS_");
    std::string cls = progress;
    std::replace(cls.begin(), cls.end(), ' ', '_');
    absl::StrAppend(&s, "<tr><td>", HtmlEscape(DriverLabel(o.target_driver())), "</td><td class=\"n\">",
                    HtmlEscape(Val(data, o.target_driver(), o.current_value())), "</td><td class=\"n\">",
                    HtmlEscape(Val(data, o.target_driver(), o.target_value())), "</td><td>",
                    HtmlEscape(o.deadline_period()), "</td><td><span class=\"badge ", HtmlEscape(cls), "\">",
                    HtmlEscape(progress), "</span></td></tr>");
  }
  if (plan.objectives_size() == 0) absl::StrAppend(&s, "<tr><td colspan=\"5\" class=\"empty\">no objectives</td></tr>");
  return s + "</table></section>";
}

E MicroSection(const PackData& data) {
  E s = "<section id=\"micro\"><h2>Micro-coaching candidates</h2>";
  std::vector<v1::MicroCoachingCandidate> candidates;
  if (data.board_row && data.board_row->micro_coaching_size() > 0) {
    candidates.assign(data.board_row->micro_coaching().begin(), data.board_row->micro_coaching().end());
  } else {
    candidates = CandidatesFromDeals(data.open_deals, data.generated_at, 5);
  }
  if (candidates.empty()) return s + Empty("No open deal needs attention right now.") + "</section>";
  absl::StrAppend(&s, "<p>One deal per session, at most 30 minutes; about three a week.</p>"
                      "<table><tr><th>deal</th><th>why</th><th class=\"n\">score</th></tr>");
  for (const auto& c : candidates) {
    absl::StrAppend(&s, "<tr><td>", HtmlEscape(c.deal_name().empty() ? c.deal_id() : c.deal_name()),
                    "</td><td>", HtmlEscape(c.reason()), "</td><td class=\"n\">",
                    HtmlEscape(FormatNumber(c.score())), "</td></tr>");
  }
  return s + "</table></section>";
}

E AgendaSection(const PackData& data) {
  E s = "<section id=\"agenda\"><h2>Agenda: questions, not orders</h2>";
  if (data.recommendation.agenda_size() == 0) return s + Empty("No agenda: there is no recommendation yet.") + "</section>";
  absl::StrAppend(&s, "<ol class=\"agenda\">");
  for (const auto& q : data.recommendation.agenda()) absl::StrAppend(&s, "<li>", HtmlEscape(q), "</li>");
  return s + "</ol></section>";
}

}  // namespace

std::vector<v1::MicroCoachingCandidate> CandidatesFromDeals(const std::vector<v1::OpenDeal>& deals, absl::Time now,
                                                           size_t limit) {
  std::vector<v1::MicroCoachingCandidate> out;
  for (const auto& d : deals) {
    std::vector<std::string> reasons;
    double score = 0;
    if (d.has_last_activity_at()) {
      const int64_t days = absl::ToInt64Hours(now - absl::FromUnixSeconds(d.last_activity_at().seconds())) / 24;
      if (days >= 14) {
        reasons.push_back(absl::StrCat("no activity for ", days, " days"));
        score += days / 7.0;
      }
    }
    if (d.close_date_slips() > 0) {
      reasons.push_back(absl::StrCat("close date slipped ", d.close_date_slips(),
                                     d.close_date_slips() == 1 ? " time" : " times"));
      score += 2.0 * d.close_date_slips();
    }
    if (reasons.empty()) continue;
    v1::MicroCoachingCandidate c;
    c.set_deal_id(d.deal_id());
    c.set_deal_name(d.name());
    c.set_reason(absl::StrJoin(reasons, ", "));
    c.set_score(score);
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score() > b.score(); });
  if (out.size() > limit) out.resize(limit);
  return out;
}

v1::GapToGoal GapFromDrivers(const v1::RepDrivers& rep) {
  v1::GapToGoal gap;
  auto value = [&](std::string_view name) {
    const v1::DriverValue* d = FindDriver(rep, name);
    return d ? d->value() : 0.0;
  };
  const double remaining = std::max(0.0, value("quota") - value("bookings"));
  gap.set_remaining_quota_minor(remaining);
  gap.set_open_pipeline_minor(value("open_pipeline"));
  const double win = value("win_rate_count");
  if (win > 0) gap.set_pipeline_needed_minor(remaining / win);
  if (remaining > 0) gap.set_coverage(gap.open_pipeline_minor() / remaining);
  return gap;
}

std::string RenderPack(const PackData& data) {
  E s = absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>1:1 pack \u2014 ",
                     HtmlEscape(RepName(data)), " \u2014 ", HtmlEscape(data.month), "</title><style>", kStyle,
                     "</style></head><body>\n");
  absl::StrAppend(&s, Header(data), "\n", Kpis(data), "\n", FocusSection(data), "\n", DriversSection(data), "\n",
                  TrendSection(data), "\n", GapSection(data), "\n", PlanSection(data), "\n", MicroSection(data),
                  "\n", AgendaSection(data), "\n");
  absl::StrAppend(&s, "<footer>Start from what went well; talk about behaviours, not judgements. "
                      "Generated by coachctl from coachstream data for tenant ",
                  HtmlEscape(data.tenant), ".</footer>\n</body></html>\n");
  return s;
}

}  // namespace cs::coachctl
