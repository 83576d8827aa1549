// coachctl's commands against in-process fake services: what each command
// sends (identity metadata, fields from flags), what it prints, and its
// exit status for every class of error.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/tools/coachctl/pack_fixture.h"
#include "tools/coachctl/commands.h"

namespace cs::coachctl {
namespace {

namespace v1 = coachstream::v1;
using grpc::ServerContext;
using grpc::Status;

std::string Person(ServerContext* ctx) {
  auto it = ctx->client_metadata().find("x-coachstream-person");
  return it == ctx->client_metadata().end() ? "" : std::string(it->second.data(), it->second.size());
}

class FakeCoaching final : public v1::CoachingService::Service {
 public:
  Status GetTeamBoard(ServerContext* ctx, const v1::GetTeamBoardRequest* req, v1::GetTeamBoardResponse* resp) override {
    Record(ctx, req->manager_id());
    v1::BoardRow* r = resp->add_rows();
    r->set_rep_id("p_dana");
    r->set_display_name("Dana Reyes");
    r->set_tier(v1::TIER_B);
    r->set_attainment(0.42);
    r->set_focus_competency_id("connecting");
    r->set_focus_rationale("connect rate 18% vs 31%");
    r->set_gain_minor(2'340'000);
    r->set_open_alerts(1);
    *r->mutable_micro_coaching() = pack_.board_row->micro_coaching();
    *r->mutable_gap() = pack_.board_row->gap();
    return Status::OK;
  }
  Status RecommendFocusSkill(ServerContext* ctx, const v1::RecommendFocusSkillRequest* req,
                             v1::RecommendFocusSkillResponse* resp) override {
    Record(ctx, req->month());
    *resp = pack_.recommendation;
    return Status::OK;
  }
  Status GetPlan(ServerContext* ctx, const v1::GetPlanRequest* req, v1::CoachingPlan* resp) override {
    if (!has_plan_) return Status(grpc::StatusCode::NOT_FOUND, "no plan for " + req->rep_id());
    *resp = *pack_.plan;
    return Status::OK;
  }
  Status CreatePlan(ServerContext* ctx, const v1::CreatePlanRequest* req, v1::CoachingPlan* resp) override {
    absl::MutexLock l(&mu_);
    created_ = req->plan();
    *resp = req->plan();
    resp->mutable_objectives(0)->set_objective_id("obj-1");
    return Status::OK;
  }
  Status LogSession(ServerContext* ctx, const v1::LogSessionRequest* req, v1::LogSessionResponse* resp) override {
    Record(ctx, req->rep_id());
    absl::MutexLock l(&mu_);
    logged_ = *req;
    if (req->session().kind() == v1::SESSION_KIND_MICRO_COACHING && req->session().deal_id().empty()) {
      return Status(grpc::StatusCode::INVALID_ARGUMENT,
                    "session.deal_id: required for micro-coaching (one opportunity per session)");
    }
    resp->set_session_id("s-123");
    return Status::OK;
  }
  Status ListSessions(ServerContext* ctx, const v1::ListSessionsRequest* req, v1::ListSessionsResponse* resp) override {
    if (req->rep_id() == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(800));
    v1::SessionRecord* r = resp->add_sessions();
    r->set_rep_id(req->rep_id());
    r->mutable_session()->set_session_id("s-1");
    r->mutable_session()->set_kind(v1::SESSION_KIND_MICRO_COACHING);
    r->mutable_session()->set_duration_minutes(25);
    r->mutable_session()->set_deal_id("006A");
    r->mutable_occurred_at()->set_seconds(1718874000);  // 2024-06-20 09:00 UTC
    return Status::OK;
  }
  Status WatchAlerts(ServerContext* ctx, const v1::WatchAlertsRequest* req,
                     grpc::ServerWriter<v1::Alert>* writer) override {
    Record(ctx, req->person_id());
    for (const char* id : {"a1", "a2"}) {
      v1::Alert a;
      a.set_alert_id(id);
      a.set_state(v1::ALERT_STATE_OPEN);
      a.set_subject_id("p_mia");
      a.set_recipient_id(req->person_id());
      a.set_message("coaching below 3 hours this month");
      writer->Write(a);
    }
    return Status::OK;
  }
  Status ListAlerts(ServerContext* ctx, const v1::ListAlertsRequest* req, v1::ListAlertsResponse* resp) override {
    absl::MutexLock l(&mu_);
    alerts_request_ = *req;
    return Status::OK;
  }

  Status GetAlertRollup(ServerContext* ctx, const v1::GetAlertRollupRequest* req,
                        v1::GetAlertRollupResponse* resp) override {
    Record(ctx, req->person_id());
    resp->set_month(req->month());
    v1::AlertRollupRow* dir = resp->add_rows();
    dir->set_person_id(req->person_id());
    dir->set_display_name("Dora Director");
    dir->set_role(v1::ROLE_DIRECTOR);
    dir->set_reps(12);
    dir->set_coaching_hours_per_rep(1.75);
    dir->set_coverage(0.5);
    dir->set_open_alerts(3);
    dir->set_escalated_alerts(1);
    v1::AlertRollupRow* mgr = resp->add_rows();
    mgr->set_person_id("p_mia");
    mgr->set_display_name("Mia Manager");
    mgr->set_role(v1::ROLE_FRONTLINE_MANAGER);
    mgr->set_manager_id(req->person_id());
    mgr->set_reps(6);
    mgr->set_coaching_hours_per_rep(3.5);
    mgr->set_coverage(1);
    return Status::OK;
  }

  void Record(ServerContext* ctx, const std::string& what) {
    absl::MutexLock l(&mu_);
    persons_.push_back(Person(ctx));
    args_.push_back(what);
  }

  absl::Mutex mu_;
  PackData pack_ = testing::DanaPack();
  bool has_plan_ = true;
  std::vector<std::string> persons_, args_;
  v1::CoachingPlan created_;
  v1::LogSessionRequest logged_;
  v1::ListAlertsRequest alerts_request_;
};

class FakeMetrics final : public v1::MetricsService::Service {
 public:
  Status GetRepDrivers(ServerContext*, const v1::GetRepDriversRequest* req, v1::GetRepDriversResponse* resp) override {
    if (req->rep_id() != "p_dana") return Status(grpc::StatusCode::NOT_FOUND, "unknown rep \"" + req->rep_id() + "\"");
    *resp->mutable_rep() = pack_.rep;
    return Status::OK;
  }
  Status GetBenchmarks(ServerContext*, const v1::GetBenchmarksRequest* req, v1::GetBenchmarksResponse* resp) override {
    for (const auto& b : pack_.benchmarks) *resp->add_benchmarks() = b;
    return Status::OK;
  }
  Status GetDriverHistory(ServerContext*, const v1::GetDriverHistoryRequest* req,
                          v1::GetDriverHistoryResponse* resp) override {
    history_request_ = *req;
    for (const auto& p : pack_.history) *resp->add_points() = p;
    return Status::OK;
  }
  PackData pack_ = testing::DanaPack();
  v1::GetDriverHistoryRequest history_request_;
};

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&coaching_);
    builder.RegisterService(&metrics_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(std::chrono::system_clock::now()); }

  int Run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    out_.str("");
    err_.str("");
    const std::string addr = "127.0.0.1:" + std::to_string(port_);
    env.emplace("COACHCTL_COACHING", addr);
    env.emplace("COACHCTL_METRICS", addr);
    env.emplace("COACHCTL_TENANT", "acme");
    RunOptions options;
    options.env = [env](std::string_view name) -> std::optional<std::string> {
      auto it = env.find(std::string(name));
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    options.now = absl::FromCivil(absl::CivilSecond(2024, 6, 20, 9, 0, 0), absl::UTCTimeZone());
    return cs::coachctl::Run(args, options, out_, err_);
  }

  FakeCoaching coaching_;
  FakeMetrics metrics_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::ostringstream out_, err_;
};

TEST_F(CommandsTest, TeamSendsIdentityAndPrintsTheBoard) {
  ASSERT_EQ(Run({"team", "--as", "p_mia"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("p_dana  Dana Reyes  b        42%  connecting  $23,400"), std::string::npos) << out_.str();
  EXPECT_EQ(coaching_.persons_.back(), "p_mia");
  EXPECT_EQ(coaching_.args_.back(), "p_mia") << "--manager defaults to --as";

  ASSERT_EQ(Run({"team", "--manager", "p_dir", "--json"}, {{"COACHCTL_AS", "p_vp"}}), 0);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["rows"][0]["focus_competency_id"], "connecting");
  EXPECT_EQ(coaching_.persons_.back(), "p_vp");
  EXPECT_EQ(coaching_.args_.back(), "p_dir");

  EXPECT_EQ(Run({"team"}), 2);
  EXPECT_EQ(err_.str(), "coachctl: team: usage: missing --manager (or --as, COACHCTL_AS)\n");
}

TEST_F(CommandsTest, RepCombinesBothServices) {
  ASSERT_EQ(Run({"rep", "p_dana", "--month", "2024-06"}), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_NE(text.find("connect_rate"), std::string::npos);
  EXPECT_NE(text.find("18%"), std::string::npos);
  EXPECT_NE(text.find("worse"), std::string::npos);
  EXPECT_NE(text.find("Focus skill: Connecting [connecting] (accepted, diagnosis: skill)"), std::string::npos) << text;
  EXPECT_NE(text.find("obj-1"), std::string::npos);
  ASSERT_EQ(Run({"rep", "p_dana", "--json"}), 0);
  auto j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["plan"]["objectives"][0]["progress"], "OBJECTIVE_PROGRESS_OFF_TRACK");
  EXPECT_EQ(j["benchmarks"].size(), 7u);
}

TEST_F(CommandsTest, NotFoundIsExitThreeWithOneLine) {
  EXPECT_EQ(Run({"rep", "p_nobody"}), 3);
  EXPECT_EQ(err_.str(), "coachctl: rep: NOT_FOUND: unknown rep \"p_nobody\"\n");
  EXPECT_TRUE(out_.str().empty());
  coaching_.has_plan_ = false;
  EXPECT_EQ(Run({"plan", "show", "p_dana"}), 3);
  EXPECT_EQ(err_.str(), "coachctl: plan show: NOT_FOUND: no plan for p_dana in 2024-06\n");
}

TEST_F(CommandsTest, SessionLogSendsFlagsAndMapsInvalidArgument) {
  ASSERT_EQ(Run({"session", "log", "--rep", "p_dana", "--kind", "one_on_one", "--minutes", "45", "--as", "p_mia",
                 "--competency", "connecting"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "logged session s-123\n");
  EXPECT_EQ(coaching_.logged_.session().coach_id(), "p_mia");
  EXPECT_EQ(coaching_.logged_.session().kind(), v1::SESSION_KIND_MONTHLY_ONE_ON_ONE);
  EXPECT_EQ(coaching_.logged_.session().duration_minutes(), 45);
  EXPECT_EQ(coaching_.logged_.occurred_at().seconds(), 1718874000) << "--at defaults to now";

  ASSERT_EQ(Run({"session", "log", "--rep", "p_dana", "--kind", "micro", "--minutes", "20", "--at",
                 "2024-06-18T10:30:00Z", "--json"}),
            4);
  EXPECT_EQ(err_.str(),
            "coachctl: session log: INVALID_ARGUMENT: session.deal_id: required for micro-coaching (one "
            "opportunity per session)\n");
  EXPECT_EQ(coaching_.logged_.occurred_at().seconds(), 1718706600);

  EXPECT_EQ(Run({"session", "log", "--rep", "p_dana", "--kind", "micro", "--minutes", "twenty"}), 2);
  EXPECT_EQ(err_.str(), "coachctl: session log: usage: --minutes: 'twenty' is not a whole number\n");
  EXPECT_EQ(Run({"session", "log", "--rep", "p_dana", "--kind", "lunch", "--minutes", "5"}), 2);
  EXPECT_EQ(Run({"session", "log", "--rep", "p_dana", "--kind", "micro", "--minutes", "5", "--at", "yesterday"}), 2);
}

TEST_F(CommandsTest, SessionsTable) {
  ASSERT_EQ(Run({"sessions", "p_dana"}), 0);
  EXPECT_NE(out_.str().find("2024-06-20 09:00  micro coaching       25  -      006A"), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("1 sessions, 25 minutes"), std::string::npos);
}

TEST_F(CommandsTest, PlanCreateFromTheRecommendedTemplate) {
  ASSERT_EQ(Run({"plan", "create", "p_dana", "--as", "p_mia"}), 0) << err_.str();
  const v1::CoachingPlan& p = coaching_.created_;
  EXPECT_EQ(p.competency_id(), "connecting");
  EXPECT_EQ(p.created_by(), "p_mia");
  ASSERT_EQ(p.objectives_size(), 1);
  EXPECT_EQ(p.objectives(0).target_driver(), "connect_rate");
  EXPECT_DOUBLE_EQ(p.objectives(0).target_value(), 0.27);
  EXPECT_EQ(p.objectives(0).deadline_period(), "2024-06");
  EXPECT_EQ(p.activities(0), "Call in the hours that connect best for your segment");

  ASSERT_EQ(Run({"plan", "create", "p_dana", "--target-value", "0.25", "--activity", "Dial before 10am"}), 0);
  EXPECT_DOUBLE_EQ(coaching_.created_.objectives(0).target_value(), 0.25);
  EXPECT_EQ(coaching_.created_.activities_size(), 1);

  EXPECT_EQ(Run({"plan", "create", "p_dana", "--competency", "closing"}), 2);
  EXPECT_NE(err_.str().find("--target-driver and --target-value are needed"), std::string::npos);
}

TEST_F(CommandsTest, AlertsFiltersAndWatchStreams) {
  ASSERT_EQ(Run({"alerts", "--recipient", "p_dir", "--state", "open,acknowledged"}), 0) << err_.str();
  EXPECT_EQ(out_.str(), "no alerts\n");
  EXPECT_EQ(coaching_.alerts_request_.recipient_id(), "p_dir");
  EXPECT_EQ(coaching_.alerts_request_.states_size(), 2);
  EXPECT_FALSE(coaching_.alerts_request_.include_subtree());
  ASSERT_EQ(Run({"alerts", "--as", "p_vp", "--subtree", "--state", "resolved"}), 0) << err_.str();
  EXPECT_EQ(coaching_.alerts_request_.recipient_id(), "p_vp");
  EXPECT_TRUE(coaching_.alerts_request_.include_subtree());
  EXPECT_EQ(coaching_.alerts_request_.states(0), v1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(Run({"alerts", "--state", "closed"}), 2);

  ASSERT_EQ(Run({"alerts", "--watch", "--as", "p_vp"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("open  a1  p_mia -> p_vp (level 0): coaching below 3 hours this month\n"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("a2"), std::string::npos);
  ASSERT_EQ(Run({"alerts", "--watch", "--as", "p_vp", "--json"}), 0);
  std::istringstream lines(out_.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) n += nlohmann::json::parse(line)["alert_id"].is_string();
  EXPECT_EQ(n, 2) << "one JSON object per line";
}

TEST_F(CommandsTest, RollupTopDown) {
  ASSERT_EQ(Run({"rollup", "--as", "p_dir"}), 0) << err_.str();
  EXPECT_EQ(out_.str(),
            "Coaching roll-up for 2024-06\n"
            "PERSON  NAME           ROLE               MANAGER  REPS  COACHING H/REP  COVERAGE  OPEN ALERTS  ESCALATED\n"
            "p_dir   Dora Director  director           -          12             1.8       50%            3          1\n"
            "p_mia   Mia Manager    frontline manager  p_dir       6             3.5      100%            0          0\n");
  EXPECT_EQ(coaching_.args_.back(), "p_dir");
  EXPECT_EQ(Run({"rollup"}), 2);
}

TEST_F(CommandsTest, UnimplementedIsExitOne) {
  EXPECT_EQ(Run({"ack", "a1"}), 1);
  EXPECT_EQ(err_.str().rfind("coachctl: ack: UNIMPLEMENTED: ", 0), 0u) << err_.str();
}

TEST_F(CommandsTest, UnreachableAndTimeoutAreExitFive) {
  EXPECT_EQ(Run({"sessions", "p_dana", "--coaching", "127.0.0.1:1"}), 5);
  EXPECT_NE(err_.str().find("coachctl: sessions: UNAVAILABLE: "), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("(coaching at 127.0.0.1:1)"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"sessions", "slow", "--timeout", "200ms"}), 5);
  EXPECT_NE(err_.str().find("DEADLINE_EXCEEDED"), std::string::npos) << err_.str();
}

TEST_F(CommandsTest, MissingTenantIsAUsageError) {
  out_.str("");
  err_.str("");
  RunOptions options;
  EXPECT_EQ(cs::coachctl::Run({"sessions", "p_dana"}, options, out_, err_), 2);
  EXPECT_EQ(err_.str(), "coachctl: sessions: usage: missing --tenant (or COACHCTL_TENANT)\n");
}

TEST_F(CommandsTest, PackWritesTheHtmlFile) {
  const std::string path = ::testing::TempDir() + "/pack_commands_test.html";
  ASSERT_EQ(Run({"pack", "p_dana", "--month", "2024-06", "-o", path}), 0) << err_.str();
  EXPECT_NE(out_.str().find("wrote " + path), std::string::npos);
  std::ifstream in(path);
  std::stringstream html;
  html << in.rdbuf();
  for (const char* text : {"Dana Reyes", "18% vs 31%", "Globex renewal", "$58,000", "What help do you need"}) {
    EXPECT_NE(html.str().find(text), std::string::npos) << text;
  }
  EXPECT_EQ(metrics_.history_request_.driver(), "connect_rate") << "the plan objective's driver";
  EXPECT_EQ(metrics_.history_request_.from_period(), "2024-01");
  EXPECT_EQ(metrics_.history_request_.to_period(), "2024-06");
  std::filesystem::remove(path);
  EXPECT_EQ(Run({"pack", "p_dana", "--history", "0"}), 2);
  EXPECT_EQ(Run({"pack", "p_nobody", "-o", path}), 3);
  EXPECT_FALSE(std::filesystem::exists(path)) << "no file on error";
}

}  // namespace
}  // namespace cs::coachctl
