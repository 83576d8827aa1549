// The coaching service end to end, as real processes against devbroker: the
// simulated org (vendor payloads) flows through ingest and metrics; the
// coaching service recommends each rep's focus skill from the metrics
// service over gRPC and must find the injected weakness; a logged session
// reaches the metrics service through coaching.events.v1; plans and
// sessions survive a restart; bad requests get statuses naming the field.

#include <csignal>
#include <fstream>
#include <map>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.grpc.pb.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

using nlohmann::json;
using namespace coachstream::v1;
constexpr char kTenant[] = "acme";

template <typename Stub, typename Req, typename Resp, typename Method>
grpc::Status Call(Stub& stub, Method method, const Req& req, Resp* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return (stub.*method)(&ctx, req, resp);
}

double DriverValueOf(const RepDrivers& d, const std::string& name) {
  for (const auto& v : d.drivers()) {
    if (v.driver() == name) return v.value();
  }
  return 0;
}

class CoachingEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = StartBroker(dir_.path());
    for (std::string source : {"org", "crm", "calls", "calendar"}) {
      ingest_.push_back(StartService("ingest-" + source, "ingest", broker_.bootstrap, dir_.path(),
                                     {"--source=" + source, "--directory_wait=3s"}));
    }
    metrics_ = StartService("metrics", "metrics", broker_.bootstrap, dir_.path());
    StartCoaching();
    for (auto& s : ingest_) ASSERT_TRUE(WaitServing(s.grpc_port, absl::Seconds(20))) << s.process->Stderr();
    ASSERT_TRUE(WaitServing(metrics_.grpc_port, absl::Seconds(20))) << metrics_.process->Stderr();
    metrics_stub_ = MetricsService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", metrics_.grpc_port), grpc::InsecureChannelCredentials()));
  }

  void StartCoaching() {
    coaching_ = StartService("coaching", "coaching", broker_.bootstrap, dir_.path(),
                             {absl::StrCat("--metrics_target=127.0.0.1:", metrics_.grpc_port)});
    ASSERT_TRUE(WaitServing(coaching_.grpc_port, absl::Seconds(20))) << coaching_.process->Stderr();
    coaching_stub_ = CoachingService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", coaching_.grpc_port), grpc::InsecureChannelCredentials()));
  }

  // Runs the simulator onto the raw topics and waits until ingest has read
  // every record and metrics every canonical event.
  json Simulate(int seed, absl::CivilDay end) {
    std::string truth_path = dir_.path() + "/truth.json";
    Process sim("simulate", "simulate",
                {"--out=kafka", "--kafka_bootstrap=" + broker_.bootstrap, "--seed=" + std::to_string(seed),
                 "--months=3", "--rate=8000", "--end=" + absl::FormatCivilTime(end), "--truth=" + truth_path},
                dir_.path());
    auto rc = sim.Wait(absl::Seconds(120));
    EXPECT_EQ(rc, 0) << sim.Stderr();
    std::ifstream in(truth_path);
    json truth = json::parse(in);
    const double raw = truth["totals"]["records"].get<double>();
    EXPECT_TRUE(WaitFor(
        [&] {
          double read = 0;
          for (auto& s : ingest_) read += SumMetric(s.metrics_port, "coachstream_ingest_records_total");
          return read >= raw;
        },
        absl::Seconds(180)))
        << "ingest did not read all " << raw << " raw records";
    auto events = ReadTopic(broker_.bootstrap, "coaching.events.v1", absl::Seconds(3));
    EXPECT_TRUE(WaitFor(
        [&] {
          return SumMetric(metrics_.metrics_port, "coachstream_metrics_events_consumed_total") >=
                 static_cast<double>(events.size());
        },
        absl::Seconds(120)))
        << "metrics did not consume all " << events.size() << " canonical events";
    return truth;
  }

  TempDir dir_;
  Broker broker_;
  std::vector<Service> ingest_;
  Service metrics_;
  Service coaching_;
  std::unique_ptr<MetricsService::Stub> metrics_stub_;
  std::unique_ptr<CoachingService::Stub> coaching_stub_;
};

TEST_F(CoachingEndToEnd, RecommendsTheInjectedWeaknessAndKeepsPlansAndSessions) {
  // History ends with last month (three full months); the recommendation is
  // for last month, so the answer does not depend on the day the test runs.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const absl::CivilDay first_of_month(today.year(), today.month(), 1);
  const std::string month = absl::FormatCivilTime(absl::CivilMonth(first_of_month - 1));
  json truth = Simulate(42, first_of_month);

  // --- focus skills against the ground truth ---
  int judged = 0, matched = 0, insufficient_ok = 0, new_hires = 0;
  std::string sample_rep, sample_manager, sample_competency;
  for (const auto& p : truth["people"]) {
    if (!p.contains("weakness")) continue;
    RecommendFocusSkillRequest req;
    req.set_tenant_id(kTenant);
    req.set_rep_id(p["person_id"].get<std::string>());
    req.set_month(month);
    RecommendFocusSkillResponse resp;
    grpc::Status s = Call(*coaching_stub_, &CoachingService::Stub::RecommendFocusSkill, req, &resp);
    ASSERT_TRUE(s.ok()) << req.rep_id() << ": " << s.error_message();
    if (!p["data_sufficient"].get<bool>()) {
      ++new_hires;
      if (resp.status() == RECOMMENDATION_STATUS_INSUFFICIENT_DATA) {
        ++insufficient_ok;
        EXPECT_FALSE(resp.missing_data().empty()) << req.rep_id();
      }
      continue;
    }
    if (p["weakness"] == "none") continue;  // A players: any upside is a fair answer
    ++judged;
    EXPECT_EQ(resp.status(), RECOMMENDATION_STATUS_RECOMMENDED) << req.rep_id();
    EXPECT_FALSE(resp.rationale().empty());
    EXPECT_FALSE(resp.focus().evidence().empty());
    if (resp.focus().competency_id() == p["expected_competency"].get<std::string>()) {
      ++matched;
      if (sample_rep.empty() && p["role"] == "account_executive") {
        sample_rep = req.rep_id();
        sample_manager = p["manager_id"].get<std::string>();
        sample_competency = resp.focus().competency_id();
      }
    } else {
      std::printf("miss: %s (%s): expected %s, got %s [%s]\n", req.rep_id().c_str(),
                  p["weakness"].get<std::string>().c_str(), p["expected_competency"].get<std::string>().c_str(),
                  resp.focus().competency_id().c_str(), resp.diagnosis_layer().c_str());
    }
  }
  ASSERT_GT(judged, 20);
  const double accuracy = static_cast<double>(matched) / judged;
  std::printf("focus-skill accuracy through the whole pipeline: %d/%d = %.1f%%; new hires with "
              "INSUFFICIENT_DATA: %d/%d\n",
              matched, judged, 100 * accuracy, insufficient_ok, new_hires);
  // Issue #5's bar (33/33 on this seed when written; more seeds and months
  // in tests/tools/simulate/focus_accuracy_test.cc).
  EXPECT_GE(accuracy, 0.90);
  EXPECT_EQ(insufficient_ok, new_hires);
  ASSERT_FALSE(sample_rep.empty());

  // --- team board ---
  GetTeamBoardRequest board_req;
  board_req.set_tenant_id(kTenant);
  board_req.set_manager_id(sample_manager);
  board_req.set_month(month);
  GetTeamBoardResponse board;
  ASSERT_TRUE(Call(*coaching_stub_, &CoachingService::Stub::GetTeamBoard, board_req, &board).ok());
  EXPECT_GE(board.rows_size(), 4);
  bool found = false;
  for (const auto& row : board.rows()) found |= row.rep_id() == sample_rep;
  EXPECT_TRUE(found) << sample_rep << " is not on " << sample_manager << "'s board";

  // --- a plan from the template ---
  RecommendFocusSkillRequest rec_req;
  rec_req.set_tenant_id(kTenant);
  rec_req.set_rep_id(sample_rep);
  rec_req.set_month(month);
  RecommendFocusSkillResponse rec;
  ASSERT_TRUE(Call(*coaching_stub_, &CoachingService::Stub::RecommendFocusSkill, rec_req, &rec).ok());
  CreatePlanRequest plan_req;
  CoachingPlan* plan = plan_req.mutable_plan();
  plan->set_tenant_id(kTenant);
  plan->set_rep_id(sample_rep);
  plan->set_month(month);
  plan->set_competency_id(sample_competency);
  plan->set_created_by(sample_manager);
  for (const auto& a : rec.plan_template().activities()) plan->add_activities(a);
  Objective* objective = plan->add_objectives();
  objective->set_competency_id(sample_competency);
  objective->set_target_driver(rec.plan_template().target_driver());
  objective->set_target_value(rec.plan_template().target_value());
  objective->set_deadline_period(month);
  CoachingPlan created;
  grpc::Status s = Call(*coaching_stub_, &CoachingService::Stub::CreatePlan, plan_req, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(created.objectives_size(), 1);
  EXPECT_NE(created.objectives(0).progress(), OBJECTIVE_PROGRESS_UNSPECIFIED) << "progress is computed";

  // --- a micro-coaching session on one of the rep's open deals reaches metrics ---
  ListOpenDealsRequest deals_req;
  deals_req.set_tenant_id(kTenant);
  deals_req.set_rep_id(sample_rep);
  ListOpenDealsResponse deals;
  ASSERT_TRUE(Call(*metrics_stub_, &MetricsService::Stub::ListOpenDeals, deals_req, &deals).ok());
  ASSERT_GT(deals.deals_size(), 0);
  const std::string this_month = absl::FormatTime("%Y-%m", absl::Now(), absl::UTCTimeZone());
  GetRepDriversRequest drivers_req;
  drivers_req.set_tenant_id(kTenant);
  drivers_req.set_rep_id(sample_rep);
  drivers_req.set_period(this_month);
  GetRepDriversResponse before;
  ASSERT_TRUE(Call(*metrics_stub_, &MetricsService::Stub::GetRepDrivers, drivers_req, &before).ok());

  LogSessionRequest session_req;
  session_req.set_tenant_id(kTenant);
  session_req.set_rep_id(sample_rep);
  session_req.mutable_session()->set_kind(SESSION_KIND_MICRO_COACHING);
  session_req.mutable_session()->set_coach_id(sample_manager);
  session_req.mutable_session()->set_duration_minutes(25);
  session_req.mutable_session()->set_deal_id(deals.deals(0).deal_id());
  session_req.mutable_session()->set_competency_id(sample_competency);
  session_req.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
  LogSessionResponse logged;
  s = Call(*coaching_stub_, &CoachingService::Stub::LogSession, session_req, &logged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_FALSE(logged.session_id().empty());
  // A retry of the same request is the same session (idempotent).
  LogSessionResponse again;
  ASSERT_TRUE(Call(*coaching_stub_, &CoachingService::Stub::LogSession, session_req, &again).ok());
  EXPECT_EQ(again.session_id(), logged.session_id());

  const double minutes_before = DriverValueOf(before.rep(), "coaching_minutes");
  GetRepDriversResponse after;
  EXPECT_TRUE(WaitFor(
      [&] {
        after.Clear();
        return Call(*metrics_stub_, &MetricsService::Stub::GetRepDrivers, drivers_req, &after).ok() &&
               DriverValueOf(after.rep(), "coaching_minutes") >= minutes_before + 25;
      },
      absl::Seconds(30)));
  EXPECT_EQ(DriverValueOf(after.rep(), "coaching_minutes"), minutes_before + 25)
      << "the retried session is counted once";

  // --- bad requests name the field ---
  RecommendFocusSkillRequest bad = rec_req;
  bad.set_month("2026-13");
  RecommendFocusSkillResponse ignored;
  s = Call(*coaching_stub_, &CoachingService::Stub::RecommendFocusSkill, bad, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("month"), std::string::npos) << s.error_message();
  bad = rec_req;
  bad.set_rep_id("p_nobody");
  s = Call(*coaching_stub_, &CoachingService::Stub::RecommendFocusSkill, bad, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  LogSessionRequest long_micro = session_req;
  long_micro.mutable_session()->set_duration_minutes(90);
  s = Call(*coaching_stub_, &CoachingService::Stub::LogSession, long_micro, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("duration_minutes"), std::string::npos) << s.error_message();

  // --- restart: the plan, the accepted focus and the session are still there ---
  EXPECT_EQ(coaching_.process->Stop(SIGTERM, absl::Seconds(10)), 0) << coaching_.process->Stderr();
  StartCoaching();
  GetPlanRequest get_plan;
  get_plan.set_tenant_id(kTenant);
  get_plan.set_rep_id(sample_rep);
  get_plan.set_month(month);
  CoachingPlan reloaded;
  s = Call(*coaching_stub_, &CoachingService::Stub::GetPlan, get_plan, &reloaded);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(reloaded.competency_id(), sample_competency);
  EXPECT_EQ(reloaded.activities_size(), created.activities_size());
  RecommendFocusSkillResponse accepted;
  ASSERT_TRUE(Call(*coaching_stub_, &CoachingService::Stub::RecommendFocusSkill, rec_req, &accepted).ok());
  EXPECT_EQ(accepted.status(), RECOMMENDATION_STATUS_ACCEPTED);
  EXPECT_EQ(accepted.focus().competency_id(), sample_competency);
  ListSessionsRequest list_req;
  list_req.set_tenant_id(kTenant);
  list_req.set_rep_id(sample_rep);
  list_req.set_month(this_month);
  ListSessionsResponse sessions;
  ASSERT_TRUE(Call(*coaching_stub_, &CoachingService::Stub::ListSessions, list_req, &sessions).ok());
  int found_sessions = 0;
  for (const auto& r : sessions.sessions()) found_sessions += r.session().session_id() == logged.session_id();
  EXPECT_EQ(found_sessions, 1);

  // Clean shutdown of everything.
  EXPECT_EQ(coaching_.process->Stop(SIGTERM, absl::Seconds(10)), 0);
  EXPECT_EQ(metrics_.process->Stop(SIGTERM, absl::Seconds(10)), 0) << metrics_.process->Stderr();
  for (auto& s2 : ingest_) EXPECT_EQ(s2.process->Stop(SIGTERM, absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace cs::testing
