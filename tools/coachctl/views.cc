#include "tools/coachctl/views.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "tools/coachctl/format.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;

std::string Time(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()), zone);
}

const v1::Benchmark* FindBenchmark(const RepView& view, std::string_view driver) {
  for (const auto& b : view.benchmarks) {
    if (b.driver() == driver) return &b;
  }
  return nullptr;
}

std::string UnitIn(const v1::RepDrivers& rep, std::string_view driver) {
  for (const auto& d : rep.drivers()) {
    if (d.driver() == driver) return d.unit();
  }
  return DriverUnit(driver);
}

// "+12%" / "-40%" of the rep against the median, and whether that is worse.
std::pair<std::string, std::string> VsPeers(std::string_view driver, double value, const v1::Benchmark* b) {
  if (b == nullptr || b->peers() == 0 || b->median() == 0) return {"", ""};
  const double rel = (value - b->median()) / std::abs(b->median());
  const bool better = LowerIsBetter(driver) ? value <= b->median() : value >= b->median();
  return {absl::StrFormat("%+.0f%%", 100 * rel), std::abs(rel) < 0.005 ? "" : (better ? "better" : "worse")};
}

std::string ObjectivesTable(const v1::CoachingPlan& plan) {
  Table t({"OBJECTIVE", "DRIVER", "NOW", "TARGET", "DEADLINE", "PROGRESS", "REVIEWED"});
  for (const auto& o : plan.objectives()) {
    const std::string unit = DriverUnit(o.target_driver());
    t.AddRow({o.objective_id(), o.target_driver(), FormatValue(o.target_driver(), unit, o.current_value()),
              FormatValue(o.target_driver(), unit, o.target_value()), o.deadline_period(),
              EnumLabel(v1::ObjectiveProgress_Name(o.progress()), "OBJECTIVE_PROGRESS_"),
              Time(o.last_reviewed_at(), absl::UTCTimeZone())});
  }
  return t.Render();
}

}  // namespace

nlohmann::json ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return nullptr;
  return nlohmann::json::parse(text, nullptr, false);
}

std::string JsonText(const nlohmann::json& value) { return value.dump(2) + "\n"; }

std::string Wrap(const std::string& text, size_t width, size_t indent) {
  std::string out, line;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      absl::StrAppend(&out, line, "\n", std::string(indent, ' '));
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", word);
  }
  return out + line;
}

std::string BoardTable(const v1::GetTeamBoardResponse& board) {
  if (board.rows_size() == 0) return "no reps in this team\n";
  Table t({"REP", "NAME", "TIER", "ATTAIN", "FOCUS", "GAIN/MO", "PLAN", "COACH MIN", "ALERTS", "WHY"});
  for (const auto& r : board.rows()) {
    t.AddRow({r.rep_id(), r.display_name(), EnumLabel(v1::Tier_Name(r.tier()), "TIER_"),
              FormatPercent(r.attainment()), r.focus_competency_id().empty() ? "-" : r.focus_competency_id(),
              r.gain_minor() > 0 ? FormatMoney(r.gain_minor()) : "-", r.plan_status().empty() ? "-" : r.plan_status(),
              FormatNumber(r.recommended_coaching_minutes()), absl::StrCat(r.open_alerts()),
              Truncate(r.focus_rationale(), 70)});
  }
  return t.Render();
}

std::string RepText(const RepView& view) {
  const v1::RepDrivers& rep = view.rep;
  std::vector<std::string> head = {absl::StrCat(rep.display_name().empty() ? rep.rep_id() : rep.display_name(),
                                                " (", rep.rep_id(), ")")};
  if (rep.role() != v1::ROLE_UNSPECIFIED) head.push_back(EnumLabel(v1::Role_Name(rep.role()), "ROLE_"));
  if (!rep.segment().empty()) head.push_back(rep.segment());
  if (!rep.manager_id().empty()) head.push_back("manager " + rep.manager_id());
  head.push_back(view.month);
  std::string s = absl::StrCat(absl::StrJoin(head, " | "), "\n\n");

  Table t({"DRIVER", "REP", "PEER MEDIAN", "P75", "SAMPLE", "PEERS", "VS PEERS"});
  for (const auto& d : rep.drivers()) {
    const v1::Benchmark* b = FindBenchmark(view, d.driver());
    auto [rel, verdict] = VsPeers(d.driver(), d.value(), b);
    const bool bench = b != nullptr && b->peers() > 0;
    // A rate without a denominator has no value (no calls: no connect rate).
    const bool undefined = d.denominator() == 0 && d.sample_size() == 0;
    t.AddRow({d.driver(), undefined ? "-" : FormatValue(d.driver(), d.unit(), d.value()),
              bench ? FormatValue(d.driver(), d.unit(), b->median()) : "-",
              bench ? FormatValue(d.driver(), d.unit(), b->p75()) : "-", absl::StrCat(d.sample_size()),
              absl::StrCat(bench ? b->peers() : 0),
              undefined ? "" : verdict.empty() ? rel : absl::StrCat(rel, " ", verdict)});
  }
  absl::StrAppend(&s, t.rows() > 0 ? t.Render() : "no driver data for this month\n", "\n");

  if (!view.recommendation) {
    absl::StrAppend(&s, "Focus skill: -\n");
  } else {
    const auto& r = *view.recommendation;
    const std::string status = EnumLabel(v1::RecommendationStatus_Name(r.status()), "RECOMMENDATION_STATUS_");
    absl::StrAppend(&s, "Focus skill: ", r.focus().competency_name().empty() ? "-" : r.focus().competency_name(),
                    r.focus().competency_id().empty() ? "" : " [" + r.focus().competency_id() + "]", " (", status,
                    r.diagnosis_layer().empty() ? "" : ", diagnosis: " + r.diagnosis_layer(), ")\n");
    if (r.focus().bookings_gain_minor() > 0) {
      absl::StrAppend(&s, "  gain: ", FormatMoney(r.focus().bookings_gain_minor()), " a month",
                      r.focus().attainment_gain_points() > 0
                          ? absl::StrFormat(" (+%.0f points of attainment)", r.focus().attainment_gain_points())
                          : "",
                      "\n");
    }
    if (!r.rationale().empty()) absl::StrAppend(&s, "  why:  ", Wrap(r.rationale(), 92, 8), "\n");
    for (const auto& m : r.missing_data()) absl::StrAppend(&s, "  missing: ", m, "\n");
    for (const auto& e : r.focus().evidence()) {
      const std::string unit = UnitIn(rep, e.driver());
      absl::StrAppend(&s, "  evidence: ", e.driver(), " ", FormatValue(e.driver(), unit, e.rep_value()),
                      " (own ", FormatValue(e.driver(), unit, e.raw_value()), ", n=", e.sample_size(), ") vs ",
                      FormatValue(e.driver(), unit, e.benchmark()), " for ", e.peers(), " peers\n");
    }
  }
  absl::StrAppend(&s, "\n");
  if (view.plan) {
    absl::StrAppend(&s, PlanText(*view.plan));
  } else {
    absl::StrAppend(&s, "Plan: none for ", view.month, " (coachctl plan create ", rep.rep_id(), ")\n");
  }
  return s;
}

nlohmann::json RepJson(const RepView& view) {
  nlohmann::json j;
  j["month"] = view.month;
  j["rep"] = ToJson(view.rep);
  j["benchmarks"] = nlohmann::json::array();
  for (const auto& b : view.benchmarks) j["benchmarks"].push_back(ToJson(b));
  j["recommendation"] = view.recommendation ? ToJson(*view.recommendation) : nlohmann::json(nullptr);
  j["plan"] = view.plan ? ToJson(*view.plan) : nlohmann::json(nullptr);
  return j;
}

std::string PlanText(const v1::CoachingPlan& plan) {
  std::string s = absl::StrCat("Plan for ", plan.rep_id(), " ", plan.month(), ": ", plan.competency_id());
  if (!plan.created_by().empty()) absl::StrAppend(&s, " (by ", plan.created_by(), ")");
  absl::StrAppend(&s, "\n");
  for (const auto& a : plan.activities()) absl::StrAppend(&s, "  - ", Wrap(a, 92, 4), "\n");
  if (plan.objectives_size() > 0) absl::StrAppend(&s, ObjectivesTable(plan));
  return s;
}

std::string ObjectiveText(const v1::Objective& o) {
  v1::CoachingPlan plan;
  *plan.add_objectives() = o;
  return ObjectivesTable(plan);
}

std::string SessionsTable(const v1::ListSessionsResponse& sessions, absl::TimeZone zone) {
  if (sessions.sessions_size() == 0) return "no sessions in this month\n";
  Table t({"WHEN", "KIND", "MINUTES", "COACH", "DEAL", "COMPETENCY", "SESSION"});
  double minutes = 0;
  for (const auto& r : sessions.sessions()) {
    const auto& e = r.session();
    minutes += e.duration_minutes();
    t.AddRow({Time(r.occurred_at(), zone), EnumLabel(v1::SessionKind_Name(e.kind()), "SESSION_KIND_"),
              absl::StrCat(e.duration_minutes()), e.coach_id().empty() ? "-" : e.coach_id(),
              e.deal_id().empty() ? "-" : e.deal_id(), e.competency_id().empty() ? "-" : e.competency_id(),
              e.session_id()});
  }
  return absl::StrCat(t.Render(), sessions.sessions_size(), " sessions, ", FormatNumber(minutes), " minutes\n");
}

std::string AlertsTable(const v1::ListAlertsResponse& alerts, absl::TimeZone zone) {
  if (alerts.alerts_size() == 0) return "no alerts\n";
  Table t({"ALERT", "STATE", "RULE", "SUBJECT", "RECIPIENT", "LEVEL", "OPENED", "ESCALATES", "MESSAGE"});
  for (const auto& a : alerts.alerts()) {
    t.AddRow({a.alert_id(), EnumLabel(v1::AlertState_Name(a.state()), "ALERT_STATE_"), a.rule_id(), a.subject_id(),
              a.recipient_id(), absl::StrCat(a.escalation_level()), Time(a.opened_at(), zone),
              Time(a.next_escalation_at(), zone), Truncate(a.message(), 80)});
  }
  return t.Render();
}

std::string AlertLine(const v1::Alert& a, absl::TimeZone zone) {
  const auto& when = a.has_updated_at() ? a.updated_at() : a.opened_at();
  return absl::StrCat(Time(when, zone), "  ", EnumLabel(v1::AlertState_Name(a.state()), "ALERT_STATE_"), "  ",
                      a.alert_id(), "  ", a.subject_id(), " -> ", a.recipient_id(), " (level ", a.escalation_level(),
                      "): ", a.message(), "\n");
}

std::string RollupTable(const v1::GetAlertRollupResponse& rollup) {
  if (rollup.rows_size() == 0) return "nobody to report on\n";
  Table t({"PERSON", "NAME", "ROLE", "MANAGER", "REPS", "COACHING H/REP", "COVERAGE", "OPEN ALERTS", "ESCALATED"});
  for (const auto& r : rollup.rows()) {
    t.AddRow({r.person_id(), r.display_name(), EnumLabel(v1::Role_Name(r.role()), "ROLE_"),
              r.manager_id().empty() ? "-" : r.manager_id(), absl::StrCat(r.reps()),
              absl::StrFormat("%.1f", r.coaching_hours_per_rep()), FormatPercent(r.coverage()),
              absl::StrCat(r.open_alerts()), absl::StrCat(r.escalated_alerts())});
  }
  return absl::StrCat("Coaching roll-up for ", rollup.month(), "\n", t.Render());
}

std::string ImpactText(const v1::GetCoachingImpactResponse& r, const std::string& skill, const std::string& from,
                       const std::string& to) {
  Table t({"", "REPS", "CHANGE IN " + (r.driver().empty() ? std::string("DRIVER") : r.driver())});
  t.AddRow({"coached", absl::StrCat(r.coached_reps()), FormatNumber(r.coached_change())});
  t.AddRow({"uncoached", absl::StrCat(r.uncoached_reps()), FormatNumber(r.uncoached_change())});
  return absl::StrCat("Coaching impact of ", skill, ", ", from, " to ", to, "\n", t.Render(),
                      "difference in differences: ", FormatNumber(r.difference_in_differences()), "\n");
}

}  // namespace cs::coachctl
