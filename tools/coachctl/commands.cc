#include "tools/coachctl/commands.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/base/status.h"
#include "tools/coachctl/errors.h"
#include "tools/coachctl/views.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;
using Ctx = CommandContext;

absl::Status AsUsage(const absl::Status& s) { return s.ok() ? s : UsageStatus(s.message()); }

void Print(Ctx& c, const google::protobuf::Message& m, const std::string& text) {
  c.out << (c.config.json ? JsonText(ToJson(m)) : text);
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t nanos = absl::ToUnixNanos(t);
  ts.set_seconds(nanos / 1'000'000'000);
  ts.set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
  return ts;
}

}  // namespace

absl::StatusOr<std::optional<v1::CoachingPlan>> FetchPlan(Ctx& c, const std::string& rep) {
  v1::GetPlanRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(rep);
  req.set_month(c.config.month);
  v1::CoachingPlan plan;
  absl::Status s = c.client.Coaching([&](auto* ctx) { return c.client.coaching().GetPlan(ctx, req, &plan); });
  if (absl::IsNotFound(s)) return std::nullopt;
  if (!s.ok()) return s;
  return plan;
}

absl::StatusOr<v1::RecommendFocusSkillResponse> FetchRecommendation(Ctx& c, const std::string& rep) {
  v1::RecommendFocusSkillRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(rep);
  req.set_month(c.config.month);
  v1::RecommendFocusSkillResponse resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().RecommendFocusSkill(ctx, req, &resp); }));
  return resp;
}

absl::Status FetchDrivers(Ctx& c, const std::string& rep, v1::RepDrivers* drivers,
                          std::vector<v1::Benchmark>* benchmarks) {
  v1::GetRepDriversRequest dreq;
  dreq.set_tenant_id(c.config.tenant);
  dreq.set_rep_id(rep);
  dreq.set_period(c.config.month);
  v1::GetRepDriversResponse dresp;
  CS_RETURN_IF_ERROR(c.client.Metrics([&](auto* ctx) { return c.client.metrics().GetRepDrivers(ctx, dreq, &dresp); }));
  *drivers = dresp.rep();
  v1::GetBenchmarksRequest breq;
  breq.set_tenant_id(c.config.tenant);
  breq.set_role(drivers->role());
  breq.set_segment(drivers->segment());
  breq.set_period(c.config.month);
  v1::GetBenchmarksResponse bresp;
  CS_RETURN_IF_ERROR(c.client.Metrics([&](auto* ctx) { return c.client.metrics().GetBenchmarks(ctx, breq, &bresp); }));
  benchmarks->assign(bresp.benchmarks().begin(), bresp.benchmarks().end());
  return absl::OkStatus();
}

namespace {

absl::Status Team(Ctx& c) {
  v1::GetTeamBoardRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_manager_id(c.inv.GetOr("manager", c.config.person));
  if (req.manager_id().empty()) return UsageStatus("missing --manager (or --as, COACHCTL_AS)");
  req.set_month(c.config.month);
  v1::GetTeamBoardResponse resp;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().GetTeamBoard(ctx, req, &resp); }));
  Print(c, resp, BoardTable(resp));
  return absl::OkStatus();
}

absl::Status Rep(Ctx& c) {
  const std::string& rep = c.inv.positionals[0];
  RepView view;
  view.month = c.config.month;
  CS_RETURN_IF_ERROR(FetchDrivers(c, rep, &view.rep, &view.benchmarks));
  CS_ASSIGN_OR_RETURN(view.recommendation, FetchRecommendation(c, rep));
  CS_ASSIGN_OR_RETURN(view.plan, FetchPlan(c, rep));
  c.out << (c.config.json ? JsonText(RepJson(view)) : RepText(view));
  return absl::OkStatus();
}

absl::Status PlanShow(Ctx& c) {
  CS_ASSIGN_OR_RETURN(auto plan, FetchPlan(c, c.inv.positionals[0]));
  if (!plan) {
    return absl::NotFoundError(absl::StrCat("no plan for ", c.inv.positionals[0], " in ", c.config.month));
  }
  Print(c, *plan, PlanText(*plan));
  return absl::OkStatus();
}

// The plan from flags, completed from the recommended template.
absl::StatusOr<v1::CoachingPlan> PlanFromFlags(Ctx& c, const std::string& rep) {
  v1::CoachingPlan plan;
  plan.set_tenant_id(c.config.tenant);
  plan.set_rep_id(rep);
  plan.set_month(c.config.month);
  plan.set_created_by(c.config.person);
  v1::Objective objective;
  objective.set_deadline_period(c.inv.GetOr("deadline", c.config.month));
  const bool explicit_objective = c.inv.Has("target-driver") && c.inv.Has("target-value");
  if (!c.inv.Has("competency") || !explicit_objective) {
    CS_ASSIGN_OR_RETURN(auto rec, FetchRecommendation(c, rep));
    if (rec.focus().competency_id().empty()) {
      return absl::FailedPreconditionError(absl::StrCat("no recommended focus skill for ", rep,
                                                        " (give --competency, --target-driver, --target-value)"));
    }
    const bool same = c.inv.GetOr("competency", rec.focus().competency_id()) == rec.focus().competency_id();
    if (!same && !explicit_objective) {
      return UsageStatus("--target-driver and --target-value are needed for a competency other than the recommended one");
    }
    plan.set_competency_id(rec.focus().competency_id());
    objective.set_target_driver(rec.plan_template().target_driver());
    objective.set_target_value(rec.plan_template().target_value());
    if (same) {
      for (const auto& a : rec.plan_template().activities()) plan.add_activities(a);
    }
  }
  if (auto v = c.inv.Get("competency")) plan.set_competency_id(*v);
  if (auto v = c.inv.Get("target-driver")) objective.set_target_driver(*v);
  if (auto v = c.inv.Get("target-value")) {
    double value = 0;
    if (!absl::SimpleAtod(*v, &value)) return UsageStatus(absl::StrCat("--target-value: '", *v, "' is not a number"));
    objective.set_target_value(value);
  }
  if (c.inv.Has("activity")) {
    plan.clear_activities();
    for (const auto& a : c.inv.All("activity")) plan.add_activities(a);
  }
  objective.set_competency_id(plan.competency_id());
  if (!objective.target_driver().empty()) *plan.add_objectives() = objective;
  return plan;
}

absl::Status PlanCreate(Ctx& c) {
  v1::CreatePlanRequest req;
  CS_ASSIGN_OR_RETURN(*req.mutable_plan(), PlanFromFlags(c, c.inv.positionals[0]));
  v1::CoachingPlan plan;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().CreatePlan(ctx, req, &plan); }));
  Print(c, plan, PlanText(plan));
  return absl::OkStatus();
}

absl::Status PlanAccept(Ctx& c) {
  v1::AcceptFocusSkillRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(c.inv.positionals[0]);
  req.set_month(c.config.month);
  req.set_competency_id(c.inv.GetOr("competency", ""));
  v1::AcceptFocusSkillResponse resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().AcceptFocusSkill(ctx, req, &resp); }));
  Print(c, resp, absl::StrCat("accepted ", resp.competency_id(), " as the focus skill of ", req.rep_id(), " for ",
                              req.month(), "\n"));
  return absl::OkStatus();
}

absl::Status PlanReview(Ctx& c) {
  v1::ReviewObjectiveRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(c.inv.positionals[0]);
  req.set_month(c.config.month);
  req.set_objective_id(c.inv.positionals[1]);
  v1::Objective resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().ReviewObjective(ctx, req, &resp); }));
  Print(c, resp, ObjectiveText(resp));
  return absl::OkStatus();
}

absl::StatusOr<v1::SessionKind> ParseKind(const std::string& text) {
  if (text == "one_on_one" || text == "1:1" || text == "monthly") return v1::SESSION_KIND_MONTHLY_ONE_ON_ONE;
  if (text == "micro") return v1::SESSION_KIND_MICRO_COACHING;
  return UsageStatus(absl::StrCat("--kind: '", text, "' is not one_on_one or micro"));
}

absl::Status SessionLog(Ctx& c) {
  v1::LogSessionRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(*c.inv.Get("rep"));
  v1::CoachingSessionEvent& s = *req.mutable_session();
  CS_ASSIGN_OR_RETURN(v1::SessionKind kind, ParseKind(*c.inv.Get("kind")));
  s.set_kind(kind);
  int minutes = 0;
  if (!absl::SimpleAtoi(*c.inv.Get("minutes"), &minutes)) {
    return UsageStatus(absl::StrCat("--minutes: '", *c.inv.Get("minutes"), "' is not a whole number"));
  }
  s.set_duration_minutes(minutes);
  s.set_coach_id(c.config.person);
  s.set_deal_id(c.inv.GetOr("deal", ""));
  s.set_competency_id(c.inv.GetOr("competency", ""));
  s.set_calendar_meeting_id(c.inv.GetOr("calendar-meeting", ""));
  absl::Time at = c.now;
  if (auto text = c.inv.Get("at")) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, *text, &at, &error)) {
      return UsageStatus(absl::StrCat("--at: '", *text, "' is not an RFC 3339 time (2024-06-03T15:00:00Z)"));
    }
  }
  *req.mutable_occurred_at() = ToProto(at);
  v1::LogSessionResponse resp;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().LogSession(ctx, req, &resp); }));
  Print(c, resp, absl::StrCat("logged session ", resp.session_id(), "\n"));
  return absl::OkStatus();
}

absl::Status Sessions(Ctx& c) {
  v1::ListSessionsRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_rep_id(c.inv.positionals[0]);
  req.set_month(c.config.month);
  v1::ListSessionsResponse resp;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().ListSessions(ctx, req, &resp); }));
  Print(c, resp, SessionsTable(resp, absl::UTCTimeZone()));
  return absl::OkStatus();
}

absl::Status WatchAlerts(Ctx& c, const std::string& person) {
  v1::WatchAlertsRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_person_id(person);
  auto ctx = c.client.StreamContext(c.config.timeout_explicit);
  auto reader = c.client.coaching().WatchAlerts(ctx.get(), req);
  v1::Alert alert;
  while (reader->Read(&alert)) {
    c.out << (c.config.json ? ToJson(alert).dump() + "\n" : AlertLine(alert, absl::UTCTimeZone()));
    c.out.flush();
  }
  return c.client.FromStream(reader->Finish());
}

absl::Status Alerts(Ctx& c) {
  const std::string person = c.inv.GetOr("recipient", c.config.person);
  if (c.inv.Has("watch")) return WatchAlerts(c, person);
  v1::ListAlertsRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_recipient_id(person);
  req.set_rule_id(c.inv.GetOr("rule", ""));
  req.set_include_subtree(c.inv.Has("subtree"));
  for (const auto& value : c.inv.All("state")) {
    for (absl::string_view name : absl::StrSplit(value, ',', absl::SkipEmpty())) {
      v1::AlertState state;
      if (!v1::AlertState_Parse(absl::StrCat("ALERT_STATE_", absl::AsciiStrToUpper(name)), &state) ||
          state == v1::ALERT_STATE_UNSPECIFIED) {
        return UsageStatus(absl::StrCat("--state: '", name, "' is not open, acknowledged or resolved"));
      }
      req.add_states(state);
    }
  }
  v1::ListAlertsResponse resp;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().ListAlerts(ctx, req, &resp); }));
  Print(c, resp, AlertsTable(resp, absl::UTCTimeZone()));
  return absl::OkStatus();
}

absl::Status Rollup(Ctx& c) {
  v1::GetAlertRollupRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_person_id(c.inv.GetOr("person", c.config.person));
  if (req.person_id().empty()) return UsageStatus("missing --person (or --as, COACHCTL_AS)");
  req.set_month(c.config.month);
  v1::GetAlertRollupResponse resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().GetAlertRollup(ctx, req, &resp); }));
  Print(c, resp, RollupTable(resp));
  return absl::OkStatus();
}

absl::Status Ack(Ctx& c) {
  v1::AcknowledgeAlertRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_alert_id(c.inv.positionals[0]);
  req.set_note(c.inv.GetOr("note", ""));
  v1::Alert resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().AcknowledgeAlert(ctx, req, &resp); }));
  Print(c, resp, AlertLine(resp, absl::UTCTimeZone()));
  return absl::OkStatus();
}

absl::Status Resolve(Ctx& c) {
  v1::ResolveAlertRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_alert_id(c.inv.positionals[0]);
  req.set_note(*c.inv.Get("note"));
  v1::Alert resp;
  CS_RETURN_IF_ERROR(c.client.Coaching([&](auto* ctx) { return c.client.coaching().ResolveAlert(ctx, req, &resp); }));
  Print(c, resp, AlertLine(resp, absl::UTCTimeZone()));
  return absl::OkStatus();
}

absl::Status Impact(Ctx& c) {
  v1::GetCoachingImpactRequest req;
  req.set_tenant_id(c.config.tenant);
  req.set_competency_id(*c.inv.Get("skill"));
  req.set_from_month(c.inv.GetOr("from", AddMonths(c.config.month, -2)));
  req.set_to_month(c.inv.GetOr("to", c.config.month));
  CS_RETURN_IF_ERROR(AsUsage(CheckMonth("--from", req.from_month())));
  CS_RETURN_IF_ERROR(AsUsage(CheckMonth("--to", req.to_month())));
  v1::GetCoachingImpactResponse resp;
  CS_RETURN_IF_ERROR(
      c.client.Coaching([&](auto* ctx) { return c.client.coaching().GetCoachingImpact(ctx, req, &resp); }));
  Print(c, resp, ImpactText(resp, req.competency_id(), req.from_month(), req.to_month()));
  return absl::OkStatus();
}

using Handler = std::function<absl::Status(Ctx&)>;

const std::map<std::string, Handler>& Handlers() {
  static const auto* handlers = new std::map<std::string, Handler>{
      {"team", Team},
      {"rep", Rep},
      {"plan show", PlanShow},
      {"plan create", PlanCreate},
      {"plan accept", PlanAccept},
      {"plan review", PlanReview},
      {"session log", SessionLog},
      {"sessions", Sessions},
      {"alerts", Alerts},
      {"rollup", Rollup},
      {"ack", Ack},
      {"resolve", Resolve},
      {"impact", Impact},
      {"pack", RunPack},
  };
  return *handlers;
}

// Prints help or the usage error for a parse; nullopt when a command should run.
std::optional<int> HandleParse(const ParseResult& parsed, std::ostream& out, std::ostream& err) {
  if (parsed.error) {
    err << ErrorLine(parsed.error->command, UsageStatus(parsed.error->message)) << "\n";
    return kExitUsage;
  }
  const Invocation& inv = *parsed.invocation;
  if (inv.command == nullptr) {
    if (!inv.group.empty()) {
      out << GroupHelp(inv.group);
      return kExitOk;
    }
    (inv.help ? out : err) << GeneralHelp();
    return inv.help ? kExitOk : kExitUsage;
  }
  if (inv.help) {
    out << CommandHelp(*inv.command);
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace

int Run(const std::vector<std::string>& args, const RunOptions& options, std::ostream& out, std::ostream& err) {
  const ParseResult parsed = ParseArgs(args);
  if (auto code = HandleParse(parsed, out, err)) return *code;
  const Invocation& inv = *parsed.invocation;
  const std::string& name = inv.command->name;
  const absl::Time now = options.now == absl::InfinitePast() ? absl::Now() : options.now;
  EnvLookup env = options.env ? options.env : [](std::string_view) { return std::optional<std::string>(); };
  absl::StatusOr<Config> config = ResolveConfig(inv, env, now);
  if (!config.ok()) {
    err << ErrorLine(name, UsageStatus(config.status().message())) << "\n";
    return kExitUsage;
  }
  if (config->tenant.empty()) {
    err << ErrorLine(name, UsageStatus("missing --tenant (or COACHCTL_TENANT)")) << "\n";
    return kExitUsage;
  }
  Client client(*config);
  CommandContext ctx{inv, *config, client, out, now};
  absl::Status status = Handlers().at(name)(ctx);
  out.flush();
  if (!status.ok()) err << ErrorLine(name, status) << "\n";
  return ExitCodeFor(status);
}

}  // namespace cs::coachctl
