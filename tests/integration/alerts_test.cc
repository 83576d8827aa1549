// Accountability alerts end to end, as real processes: devbroker, metrics
// and coaching; the org on org.directory.v1 (and mirrored on
// coaching.events.v1 for the metrics service); coaching sessions logged over
// gRPC. Three managers under dir-1 (one never coaches, one coaches only the
// star, one coaches everyone) and one under dir-2. With a 4 s
// acknowledgement SLA: the right people get the right alerts, escalation
// happens on time and step by step, acknowledgement stops it, a logged
// session resolves what it fixes, a WatchAlerts client on dir-1 sees its
// managers' escalations and nobody else's, every change is on
// coaching.alerts.v1 once, and a restart neither loses nor re-publishes.

#include <atomic>
#include <csignal>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "coachstream/v1/coaching_service.grpc.pb.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "libs/grpc/health_names.h"
#include "services/coaching/core/proto_time.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

using coachstream::v1::Alert;
using coachstream::v1::CoachingService;
constexpr char kTenant[] = "t1";
constexpr absl::Duration kAckSla = absl::Seconds(4);

struct Who {
  std::string id, manager;
  coachstream::v1::Role role;
};

const std::vector<Who>& Org() {
  using coachstream::v1::Role;
  static const std::vector<Who> org = {
      {"cro", "", coachstream::v1::ROLE_CRO},
      {"dir-1", "cro", coachstream::v1::ROLE_DIRECTOR},
      {"dir-2", "cro", coachstream::v1::ROLE_DIRECTOR},
      {"mgr-never", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER},
      {"mgr-stars", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER},
      {"mgr-good", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER},
      {"mgr-other", "dir-2", coachstream::v1::ROLE_FRONTLINE_MANAGER},
      {"never-a", "mgr-never", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"never-b", "mgr-never", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"stars-a", "mgr-stars", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"stars-b", "mgr-stars", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"good-a", "mgr-good", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"good-b", "mgr-good", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
      {"other-a", "mgr-other", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE},
  };
  return org;
}

// The directory on org.directory.v1, mirrored on coaching.events.v1.
std::vector<kafka::OutRecord> DirectoryRecords() {
  std::vector<kafka::OutRecord> out;
  const absl::Time now = absl::Now();
  for (const Who& w : Org()) {
    coachstream::v1::Person p;
    p.set_tenant_id(kTenant);
    p.set_person_id(w.id);
    p.set_display_name(w.id);
    p.set_manager_id(w.manager);
    p.set_role(w.role);
    p.set_segment("smb");
    p.set_active(true);
    p.mutable_start_date()->set_year(2020);
    p.mutable_start_date()->set_month(1);
    p.mutable_start_date()->set_day(6);
    *p.mutable_updated_at() = coaching::ToTimestamp(now);
    const std::string key = std::string(kTenant) + "/" + w.id;
    out.push_back({"org.directory.v1", key, p.SerializeAsString(), {}, -1});
    coachstream::v1::Event e;
    e.set_event_id("person-" + w.id);
    e.set_tenant_id(kTenant);
    e.set_rep_id(w.id);
    *e.mutable_occurred_at() = coaching::ToTimestamp(now);
    e.set_source_system(coachstream::v1::SOURCE_SYSTEM_HR_FEED);
    *e.mutable_person()->mutable_person() = p;
    out.push_back({"coaching.events.v1", key, e.SerializeAsString(), {{"ce_type", "io.coachstream.event.v1"}}, -1});
  }
  return out;
}

class AlertsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = StartBroker(dir_.path());
    ProduceAll(broker_.bootstrap, DirectoryRecords());
    metrics_ = StartService("metrics", "metrics", broker_.bootstrap, dir_.path());
    ASSERT_TRUE(WaitServing(metrics_.grpc_port, absl::Seconds(10))) << metrics_.process->Stderr();
    std::ofstream(dir_.path() + "/alert_rules.json") << R"({"rules": {
      "coaching_hours_below_target": {"min_hours": 1, "min_tenure_days": 0},
      "manager_coverage_low": {"from_day_of_month": 1},
      "micro_coaching_cadence_low": {"enabled": false},
      "no_focus_or_plan": {"enabled": false},
      "objective_review_stale": {"enabled": false},
      "rep_off_track": {"enabled": false},
      "coaching_not_on_middle": {"enabled": false}}})";
  }

  void StartCoaching(bool alerts) {
    coaching_ = StartService(
        "coaching", "coaching", broker_.bootstrap, dir_.path(),
        {"--metrics_target=127.0.0.1:" + std::to_string(metrics_.grpc_port),
         "--alerts=" + std::string(alerts ? "true" : "false"), "--alert_rules=" + dir_.path() + "/alert_rules.json",
         "--alert_eval_interval=1s", "--alert_dirty_delay=1s", "--alert_ack_sla=4s", "--alert_resolve_sla=120s"});
    ASSERT_TRUE(WaitServing(coaching_.grpc_port, absl::Seconds(15))) << coaching_.process->Stderr();
    stub_ = CoachingService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(coaching_.grpc_port),
                                                         grpc::InsecureChannelCredentials()));
  }

  void StopCoaching() {
    auto code = coaching_.process->Stop(SIGTERM, absl::Seconds(15));
    ASSERT_TRUE(code.has_value()) << "coaching did not stop";
    EXPECT_EQ(*code, 0) << coaching_.process->Stderr();
  }

  grpc::Status LogSession(const std::string& rep, const std::string& coach) {
    coachstream::v1::LogSessionRequest r;
    r.set_tenant_id(kTenant);
    r.set_rep_id(rep);
    *r.mutable_occurred_at() = coaching::ToTimestamp(absl::Now() - absl::Seconds(10));
    r.mutable_session()->set_kind(coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE);
    r.mutable_session()->set_coach_id(coach);
    r.mutable_session()->set_duration_minutes(60);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
    coachstream::v1::LogSessionResponse resp;
    return stub_->LogSession(&ctx, r, &resp);
  }

  // Coaching minutes the metrics service counted this month, by rep.
  std::map<std::string, double> CountedMinutes() {
    auto stub = coachstream::v1::MetricsService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(metrics_.grpc_port), grpc::InsecureChannelCredentials()));
    coachstream::v1::GetTeamDriversRequest r;
    r.set_tenant_id(kTenant);
    r.set_manager_id("cro");
    r.set_period(absl::FormatTime("%Y-%m", absl::Now(), absl::UTCTimeZone()));
    grpc::ClientContext ctx;
    coachstream::v1::GetTeamDriversResponse resp;
    std::map<std::string, double> out;
    if (!stub->GetTeamDrivers(&ctx, r, &resp).ok()) return out;
    for (const auto& rep : resp.reps()) {
      for (const auto& d : rep.drivers()) {
        if (d.driver() == "coaching_minutes") out[rep.rep_id()] = d.value();
      }
    }
    return out;
  }

  // Every alert (all states) in `person`'s view.
  std::vector<Alert> List(const std::string& person, bool subtree = true) {
    coachstream::v1::ListAlertsRequest r;
    r.set_tenant_id(kTenant);
    r.set_recipient_id(person);
    r.set_include_subtree(subtree);
    for (auto s : {coachstream::v1::ALERT_STATE_OPEN, coachstream::v1::ALERT_STATE_ACKNOWLEDGED,
                   coachstream::v1::ALERT_STATE_RESOLVED}) {
      r.add_states(s);
    }
    grpc::ClientContext ctx;
    coachstream::v1::ListAlertsResponse resp;
    if (!stub_->ListAlerts(&ctx, r, &resp).ok()) return {};
    std::vector<Alert> out(resp.alerts().begin(), resp.alerts().end());
    std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) { return a.alert_id() < b.alert_id(); });
    return out;
  }

  std::optional<Alert> Find(const std::string& rule, const std::string& subject) {
    for (const Alert& a : List("cro")) {
      if (a.rule_id() == rule && a.subject_id() == subject) return a;
    }
    return std::nullopt;
  }

  // (alert_id, version) of every message on coaching.alerts.v1, checking keys.
  std::vector<std::pair<std::string, int64_t>> Published() {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const kafka::Message& m : ReadTopic(broker_.bootstrap, "coaching.alerts.v1", absl::Seconds(1))) {
      Alert a;
      EXPECT_TRUE(a.ParseFromString(m.value));
      EXPECT_EQ(m.key, std::string(kTenant) + "/" + a.recipient_id());
      out.emplace_back(a.alert_id(), a.version());
    }
    return out;
  }

  TempDir dir_;
  Broker broker_;
  Service metrics_;
  Service coaching_;
  std::unique_ptr<CoachingService::Stub> stub_;
};

// Reads a WatchAlerts stream on its own thread.
class Watcher {
 public:
  Watcher(CoachingService::Stub* stub, const std::string& person) {
    thread_ = std::thread([this, stub, person] {
      for (int attempt = 0; attempt < 100 && !stopped_; ++attempt) {
        coachstream::v1::WatchAlertsRequest r;
        r.set_tenant_id(kTenant);
        r.set_person_id(person);
        {
          std::lock_guard lock(mu_);
          ctx_ = std::make_unique<grpc::ClientContext>();
        }
        auto reader = stub->WatchAlerts(ctx_.get(), r);
        Alert a;
        while (reader->Read(&a)) {
          std::lock_guard lock(mu_);
          seen_.push_back(a);
        }
        status_ = reader->Finish();
        if (status_.error_code() != grpc::StatusCode::NOT_FOUND) return;  // the directory was still loading
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
  }
  ~Watcher() { Stop(); }
  void Stop() {
    stopped_ = true;
    {
      std::lock_guard lock(mu_);
      if (ctx_) ctx_->TryCancel();
    }
    if (thread_.joinable()) thread_.join();
  }
  std::vector<Alert> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  // Waits for the stream to end by itself (the server shut down).
  grpc::Status Ended() {
    if (thread_.joinable()) thread_.join();
    return status_;
  }

 private:
  std::mutex mu_;
  std::unique_ptr<grpc::ClientContext> ctx_;
  std::vector<Alert> seen_;
  grpc::Status status_;
  std::atomic<bool> stopped_{false};
  std::thread thread_;
};

TEST_F(AlertsIntegrationTest, AlertsEscalateUpTheChainAndSurviveARestart) {
  // History: the good manager coaches both reps, the other one only the star.
  StartCoaching(/*alerts=*/false);
  ASSERT_TRUE(LogSession("good-a", "mgr-good").ok());
  ASSERT_TRUE(LogSession("good-b", "mgr-good").ok());
  grpc::Status st = LogSession("stars-a", "mgr-stars");
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(WaitFor([&] { return CountedMinutes()["stars-a"] == 60 && CountedMinutes()["good-b"] == 60; },
                      absl::Seconds(15)))
      << metrics_.process->Stderr();
  StopCoaching();

  StartCoaching(/*alerts=*/true);
  Watcher dir1(stub_.get(), "dir-1");
  ASSERT_TRUE(WaitFor([&] { return List("cro").size() >= 7; }, absl::Seconds(10))) << coaching_.process->Stderr();
  // Right people, right alerts.
  auto held = [&](const std::string& person) {
    std::set<std::string> out;
    for (const Alert& a : List(person, /*subtree=*/false)) out.insert(a.rule_id() + ":" + a.subject_id());
    return out;
  };
  EXPECT_EQ(held("mgr-never"), (std::set<std::string>{"coaching_hours_below_target:never-a",
                                                      "coaching_hours_below_target:never-b"}));
  EXPECT_EQ(held("mgr-stars"), (std::set<std::string>{"coaching_hours_below_target:stars-b"}));
  EXPECT_TRUE(held("mgr-good").empty());
  EXPECT_EQ(held("dir-1"), (std::set<std::string>{"manager_coverage_low:mgr-never", "manager_coverage_low:mgr-stars"}));
  EXPECT_EQ(held("dir-2"), (std::set<std::string>{"manager_coverage_low:mgr-other"}));
  EXPECT_EQ(held("mgr-other"), (std::set<std::string>{"coaching_hours_below_target:other-a"}));

  // Acknowledged in time: it stays with the manager.
  coachstream::v1::AcknowledgeAlertRequest ack;
  ack.set_tenant_id(kTenant);
  ASSERT_TRUE(Find("coaching_hours_below_target", "never-b"));
  ack.set_alert_id(Find("coaching_hours_below_target", "never-b")->alert_id());
  ack.set_note("1:1 booked");
  {
    grpc::ClientContext ctx;
    Alert acked;
    ASSERT_TRUE(stub_->AcknowledgeAlert(&ctx, ack, &acked).ok());
    EXPECT_EQ(acked.state(), coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
    ack.set_alert_id("no-such-alert");
    grpc::ClientContext ctx2;
    EXPECT_EQ(stub_->AcknowledgeAlert(&ctx2, ack, &acked).error_code(), grpc::StatusCode::NOT_FOUND);
    coachstream::v1::ResolveAlertRequest resolve;
    resolve.set_tenant_id(kTenant);
    resolve.set_alert_id(acked.alert_id());
    grpc::ClientContext ctx3;
    grpc::Status bad = stub_->ResolveAlert(&ctx3, resolve, &acked);
    EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(bad.error_message(), "note: required: say what was done");
  }
  // The stars manager coaches the other rep: that alert and the coverage
  // alert resolve by themselves.
  ASSERT_TRUE(LogSession("stars-b", "mgr-stars").ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        auto hours = Find("coaching_hours_below_target", "stars-b");
        auto coverage = Find("manager_coverage_low", "mgr-stars");
        return hours && coverage && hours->state() == coachstream::v1::ALERT_STATE_RESOLVED &&
               coverage->state() == coachstream::v1::ALERT_STATE_RESOLVED;
      },
      absl::Seconds(15)))
      << coaching_.process->Stderr();
  EXPECT_TRUE(Find("coaching_hours_below_target", "stars-b")->auto_resolved());

  // Unacknowledged alerts climb one step per SLA, to the top.
  auto level = [&](const std::string& rule, const std::string& subject) {
    auto a = Find(rule, subject);
    return a ? a->escalation_level() : -1;
  };
  ASSERT_TRUE(WaitFor([&] { return level("coaching_hours_below_target", "never-a") == 2; }, absl::Seconds(15)));
  const Alert climbed = *Find("coaching_hours_below_target", "never-a");
  ASSERT_EQ(climbed.escalations_size(), 3);
  const absl::Time opened = coaching::FromTimestamp(climbed.opened_at());
  EXPECT_EQ(climbed.escalations(1).recipient_id(), "dir-1");
  EXPECT_EQ(coaching::FromTimestamp(climbed.escalations(1).at()), opened + kAckSla);
  EXPECT_EQ(climbed.escalations(2).recipient_id(), "cro");
  EXPECT_EQ(coaching::FromTimestamp(climbed.escalations(2).at()), opened + 2 * kAckSla);
  const Alert kept = *Find("coaching_hours_below_target", "never-b");
  EXPECT_EQ(kept.escalation_level(), 0);
  EXPECT_EQ(kept.recipient_id(), "mgr-never");
  ASSERT_TRUE(WaitFor([&] { return level("manager_coverage_low", "mgr-other") == 1; }, absl::Seconds(10)));

  // The executives' roll-up.
  {
    coachstream::v1::GetAlertRollupRequest r;
    r.set_tenant_id(kTenant);
    r.set_person_id("cro");
    coachstream::v1::GetAlertRollupResponse rollup;
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->GetAlertRollup(&ctx, r, &rollup).ok());
    std::map<std::string, coachstream::v1::AlertRollupRow> rows;
    for (const auto& row : rollup.rows()) rows[row.person_id()] = row;
    EXPECT_EQ(rollup.rows(0).person_id(), "cro");
    EXPECT_EQ(rows["cro"].reps(), 7);
    EXPECT_EQ(rows["mgr-good"].coverage(), 1.0);
    EXPECT_EQ(rows["mgr-good"].coaching_hours_per_rep(), 1.0);
    EXPECT_EQ(rows["mgr-never"].coverage(), 0.0);
    EXPECT_EQ(rows["mgr-never"].open_alerts(), 3);  // two reps, and coverage to the director
    EXPECT_EQ(rows["dir-1"].escalated_alerts(), 2);
  }

  // dir-1's watch: its managers' alerts and escalations, nobody else's.
  dir1.Stop();
  bool saw_escalation = false;
  for (const Alert& a : dir1.seen()) {
    EXPECT_EQ(a.subject_id().find("other"), std::string::npos) << a.alert_id();
    saw_escalation |= a.subject_id() == "never-a" && a.escalation_level() >= 1;
  }
  EXPECT_TRUE(saw_escalation);

  // Every change on coaching.alerts.v1, once.
  const std::vector<Alert> before = List("cro");
  auto published = Published();
  std::set<std::pair<std::string, int64_t>> unique(published.begin(), published.end());
  EXPECT_EQ(unique.size(), published.size());
  int64_t versions = 0;
  for (const Alert& a : before) versions += a.version();
  EXPECT_EQ(static_cast<int64_t>(published.size()), versions);

  // A restart loses nothing and re-publishes nothing.
  StopCoaching();
  StartCoaching(/*alerts=*/true);
  absl::SleepFor(absl::Seconds(3));  // three evaluation passes
  const std::vector<Alert> after = List("cro");
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString()) << after[i].alert_id();
  }
  EXPECT_EQ(Published().size(), published.size());
  auto exposition = HttpGet(coaching_.metrics_port, "/metrics");
  ASSERT_TRUE(exposition);
  EXPECT_NE(exposition->find("coachstream_coaching_alert_evaluations_total"), std::string::npos);

  // Metrics restarts (same port and state). Until it has its partitions
  // again and has consumed them, it reports not caught up and coaching
  // defers evaluations rather than judge people on partial numbers; then
  // evaluation resumes and nothing opened or resolved meanwhile.
  auto deferred = [&] {
    auto text = HttpGet(coaching_.metrics_port, "/metrics");
    return text ? MetricValue(*text, "coachstream_coaching_alert_evaluations_total{result=\"deferred\"}").value_or(0)
                : 0;
  };
  const double deferred_before = deferred();
  const int metrics_port = metrics_.grpc_port;
  ASSERT_TRUE(metrics_.process->Stop(SIGTERM, absl::Seconds(15)).has_value());
  metrics_ = StartService("metrics", "metrics", broker_.bootstrap, dir_.path(),
                          {"--grpc_address=127.0.0.1:" + std::to_string(metrics_port)});
  ASSERT_TRUE(WaitServing(metrics_.grpc_port, absl::Seconds(10))) << metrics_.process->Stderr();
  EXPECT_TRUE(WaitFor([&] { return deferred() > deferred_before; }, absl::Seconds(10)))
      << coaching_.process->Stderr();
  ASSERT_TRUE(WaitFor([&] { return HealthStatus(metrics_.grpc_port, grpc_util::kMetricsCaughtUp) == "SERVING"; },
                      absl::Seconds(20)))
      << metrics_.process->Stderr();
  absl::SleepFor(absl::Seconds(2));  // evaluation passes after it
  auto states = [](const std::vector<Alert>& alerts) {
    std::set<std::pair<std::string, int>> out;
    for (const Alert& a : alerts) out.insert({a.alert_id(), a.state()});
    return out;
  };
  EXPECT_EQ(states(List("cro")), states(before));
  EXPECT_NE(coaching_.process->Stderr().find("the metrics service is catching up"), std::string::npos);
  // An open WatchAlerts stream does not hold up shutdown; it ends with OK.
  Watcher cro(stub_.get(), "cro");
  ASSERT_TRUE(WaitFor([&] { return cro.seen().size() >= 5; }, absl::Seconds(5)));
  StopCoaching();
  EXPECT_TRUE(cro.Ended().ok());
}

}  // namespace
}  // namespace cs::testing
