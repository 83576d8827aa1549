// coachctl against real processes: devbroker, metrics and coaching, fed a
// small org as canonical events on coaching.events.v1 (five account
// executives under one manager, three full months; Dana connects on 10% of
// her calls against 30% for her peers). Then the commands a manager runs:
// the team board, one rep, a plan from the recommendation, sessions, the
// 1:1 pack, alerts and the roll-up, --json, and the exit statuses of a bad
// request (4), an unknown rep (3) and an unreachable server (5).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "coachstream/v1/event.pb.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

using nlohmann::json;
namespace v1 = coachstream::v1;
constexpr char kTenant[] = "acme";
constexpr char kManager[] = "p_mia";
const std::vector<std::pair<std::string, std::string>> kReps = {
    {"p_dana", "Dana Reyes"}, {"p_ali", "Ali Khan"}, {"p_bo", "Bo Lind"}, {"p_cy", "Cy Park"}, {"p_eve", "Eve Stone"}};
constexpr int kCallsPerMonth = 80;

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

absl::Time At(absl::CivilMonth m, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(m.year(), m.month(), day, hour, minute), absl::UTCTimeZone());
}

std::string MonthText(absl::CivilMonth m) { return absl::StrFormat("%04d-%02d", m.year(), m.month()); }

// Canonical events for the org, keyed and ordered per rep as ingest would.
class OrgEvents {
 public:
  OrgEvents(absl::CivilMonth last_month, absl::Time now) : last_(last_month), now_(now) {}

  std::vector<kafka::OutRecord> Build() {
    Person(kManager, "Mia Manager", "", v1::ROLE_FRONTLINE_MANAGER);
    for (const auto& [id, name] : kReps) {
      Person(id, name, kManager, v1::ROLE_ACCOUNT_EXECUTIVE);
      for (int i = 2; i >= 0; --i) Month(id, last_ - i, id == "p_dana" ? 8 : 24);
    }
    return std::move(records_);
  }

 private:
  v1::Event Base(const std::string& rep, const std::string& id, absl::Time at, v1::SourceSystem source) {
    v1::Event e;
    e.set_event_id(id);
    e.set_tenant_id(kTenant);
    e.set_rep_id(rep);
    *e.mutable_occurred_at() = Ts(at);
    *e.mutable_ingested_at() = Ts(now_);
    e.set_source_system(source);
    e.set_source_ref(id);
    return e;
  }

  void Add(const v1::Event& e) {
    kafka::OutRecord r;
    r.topic = "coaching.events.v1";
    r.key = e.tenant_id() + "/" + e.rep_id();
    r.value = e.SerializeAsString();
    r.headers = {{"ce_type", "io.coachstream.event.v1"}, {"ce_id", e.event_id()}};
    records_.push_back(std::move(r));
  }

  void Person(const std::string& id, const std::string& name, const std::string& manager, v1::Role role) {
    v1::Event e = Base(id, "hr-" + id, now_ - absl::Hours(24 * 120), v1::SOURCE_SYSTEM_HR_FEED);
    v1::Person* p = e.mutable_person()->mutable_person();
    p->set_tenant_id(kTenant);
    p->set_person_id(id);
    p->set_display_name(name);
    p->add_emails(id + "@acme.example");
    p->set_manager_id(manager);
    p->set_role(role);
    p->set_segment("enterprise");
    p->set_time_zone("UTC");
    p->set_active(true);
    *p->mutable_updated_at() = e.occurred_at();
    kafka::OutRecord dir;  // the org directory, as ingest's org source publishes it
    dir.topic = "org.directory.v1";
    dir.key = absl::StrCat(kTenant, "/", id);
    if (role == v1::ROLE_ACCOUNT_EXECUTIVE) {
      for (int i = -3; i <= 1; ++i) {
        v1::Quota* q = p->add_quotas();
        q->set_period(MonthText(last_ + i));
        q->mutable_amount()->set_amount_minor(10'000'000);  // $100,000
        q->mutable_amount()->set_currency_code("USD");
      }
    }
    dir.value = p->SerializeAsString();
    records_.push_back(std::move(dir));
    Add(e);
  }

  void Month(const std::string& rep, absl::CivilMonth m, int connected) {
    const std::string tag = absl::StrCat(rep, "-", MonthText(m));
    for (int i = 0; i < kCallsPerMonth; ++i) {
      const absl::Time at = At(m, 1 + i % 27, 9 + i % 8, i % 2 * 30);
      v1::Event e = Base(rep, absl::StrCat("call-", tag, "-", i), at, v1::SOURCE_SYSTEM_GONG);
      v1::CallEvent* c = e.mutable_call();
      c->set_call_id(e.event_id());
      c->set_direction(v1::CALL_DIRECTION_OUTBOUND);
      c->set_connected((i * connected) % kCallsPerMonth < connected);  // evenly spread
      c->set_duration_ms(c->connected() ? 420'000 : 25'000);
      if (c->connected()) {
        c->mutable_stats()->set_talk_ratio(0.46);
        c->mutable_stats()->set_question_rate_per_hour(11);
        c->mutable_stats()->set_longest_monologue_s(70);
        c->mutable_stats()->set_has_next_step(true);
      }
      Add(e);
    }
    for (int k = 0; k < 6; ++k) {
      const absl::Time start = At(m, 3 + 4 * k, 14);
      v1::Event e = Base(rep, absl::StrCat("mtg-", tag, "-", k), start - absl::Hours(48),
                         v1::SOURCE_SYSTEM_GOOGLE_CALENDAR);
      v1::MeetingEvent* mt = e.mutable_meeting();
      mt->set_meeting_id(e.event_id());
      mt->set_kind(v1::MEETING_KIND_CUSTOMER);
      mt->set_status(v1::MEETING_STATUS_SCHEDULED);
      *mt->mutable_start_at() = Ts(start);
      *mt->mutable_end_at() = Ts(start + absl::Hours(1));
      *mt->mutable_booked_at() = e.occurred_at();
      mt->set_external_attendees(2);
      Add(e);
    }
    // Four deals a month: two won, one lost, one left open (stalled by now).
    for (int k = 0; k < 4; ++k) {
      const std::string deal = absl::StrCat("deal-", tag, "-", k);
      const std::string name = absl::StrCat(k == 3 ? "Globex expansion " : "Initech ", MonthText(m), "/", k);
      Deal(rep, deal, name, At(m, 2, 11), 1, v1::CHANGE_KIND_CREATED, v1::DEAL_STAGE_DISCOVERY,
           v1::DEAL_STAGE_UNSPECIFIED, At(m, 2, 11), m);
      if (k < 3) {
        Deal(rep, deal, name, At(m, 2, 11), 2, v1::CHANGE_KIND_UPDATED,
             k < 2 ? v1::DEAL_STAGE_CLOSED_WON : v1::DEAL_STAGE_CLOSED_LOST, v1::DEAL_STAGE_DISCOVERY,
             At(m, 20 + k, 16), m);
      }
    }
  }

  void Deal(const std::string& rep, const std::string& deal, const std::string& name, absl::Time created,
            int version, v1::ChangeKind change, v1::DealStage stage, v1::DealStage previous, absl::Time at,
            absl::CivilMonth m) {
    v1::Event e = Base(rep, absl::StrCat(deal, "-v", version), at, v1::SOURCE_SYSTEM_SALESFORCE);
    v1::DealEvent* d = e.mutable_deal();
    d->set_deal_id(deal);
    d->set_change(change);
    d->set_name(name);
    d->set_owner_id(rep);
    d->set_stage(stage);
    d->set_previous_stage(previous);
    d->mutable_amount()->set_amount_minor(2'000'000);  // $20,000
    d->mutable_amount()->set_currency_code("USD");
    d->mutable_close_date()->set_year(m.year());
    d->mutable_close_date()->set_month(m.month());
    d->mutable_close_date()->set_day(25);
    *d->mutable_created_at() = Ts(created);
    d->set_is_closed(stage == v1::DEAL_STAGE_CLOSED_WON || stage == v1::DEAL_STAGE_CLOSED_LOST);
    d->set_is_won(stage == v1::DEAL_STAGE_CLOSED_WON);
    d->set_discount_bps(d->is_won() ? 500 : 0);
    d->set_source_version(version);
    Add(e);
  }

  absl::CivilMonth last_;
  absl::Time now_;
  std::vector<kafka::OutRecord> records_;
};

std::string LineWith(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

struct Result {
  int code = -1;
  std::string out, err;
};

class CoachctlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const absl::Time now = absl::Now();
    month_ = new std::string(MonthText(absl::CivilMonth(absl::ToCivilDay(now, absl::UTCTimeZone())) - 1));
    dir_ = new TempDir();
    broker_ = new Broker(StartBroker(dir_->path()));
    metrics_ = new Service(StartService("metrics", "metrics", broker_->bootstrap, dir_->path()));
    ASSERT_TRUE(WaitServing(metrics_->grpc_port, absl::Seconds(20))) << metrics_->process->Stderr();
    coaching_ = new Service(StartService("coaching", "coaching", broker_->bootstrap, dir_->path(),
                                         {absl::StrCat("--metrics_target=127.0.0.1:", metrics_->grpc_port)}));
    ASSERT_TRUE(WaitServing(coaching_->grpc_port, absl::Seconds(20))) << coaching_->process->Stderr();
    const auto records = OrgEvents(absl::CivilMonth(absl::ToCivilDay(now, absl::UTCTimeZone())) - 1, now).Build();
    ProduceAll(broker_->bootstrap, records);
    const auto events = static_cast<double>(std::count_if(
        records.begin(), records.end(), [](const auto& r) { return r.topic == "coaching.events.v1"; }));
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (SumMetric(metrics_->metrics_port, "coachstream_metrics_events_consumed_total") < events &&
           absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(200));
    }
    ASSERT_GE(SumMetric(metrics_->metrics_port, "coachstream_metrics_events_consumed_total"), events)
        << metrics_->process->Stderr();
  }
  static void TearDownTestSuite() {
    delete coaching_;
    delete metrics_;
    delete broker_;
    delete dir_;
  }

  // Runs the real binary with the services' addresses in the environment.
  Result Ctl(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    env.emplace("COACHCTL_COACHING", absl::StrCat("127.0.0.1:", coaching_->grpc_port));
    env.emplace("COACHCTL_METRICS", absl::StrCat("127.0.0.1:", metrics_->grpc_port));
    env.emplace("COACHCTL_TENANT", kTenant);
    env.emplace("COACHCTL_AS", kManager);
    Process p(absl::StrCat("coachctl-", ++runs_), "coachctl", args, dir_->path(), env);
    Result r;
    r.code = p.Wait(absl::Seconds(30)).value_or(-1);
    r.out = p.Stdout();
    r.err = p.Stderr();
    return r;
  }

  static inline std::string* month_ = nullptr;
  static inline TempDir* dir_ = nullptr;
  static inline Broker* broker_ = nullptr;
  static inline Service* metrics_ = nullptr;
  static inline Service* coaching_ = nullptr;
  static inline int runs_ = 0;
};

TEST_F(CoachctlTest, TeamBoardAndOneRep) {
  Result team = Ctl({"team", "--month", *month_});
  ASSERT_EQ(team.code, 0) << team.err;
  EXPECT_NE(team.out.find("REP "), std::string::npos) << team.out;
  for (const auto& [id, name] : kReps) EXPECT_NE(team.out.find(id), std::string::npos) << team.out;
  EXPECT_NE(team.out.find("40%"), std::string::npos) << "attainment: $40,000 of $100,000\n" << team.out;

  Result team_json = Ctl({"team", "--month", *month_, "--json"});
  ASSERT_EQ(team_json.code, 0) << team_json.err;
  EXPECT_EQ(json::parse(team_json.out)["rows"].size(), kReps.size());

  Result rep = Ctl({"rep", "p_dana", "--month", *month_});
  ASSERT_EQ(rep.code, 0) << rep.err;
  EXPECT_NE(rep.out.find("Dana Reyes (p_dana) | account executive | enterprise | manager p_mia"), std::string::npos)
      << rep.out;
  const std::string line = LineWith(rep.out, "connect_rate ");
  EXPECT_NE(line.find(" 10% "), std::string::npos) << rep.out;
  EXPECT_NE(line.find(" 30% "), std::string::npos) << rep.out;
  EXPECT_NE(line.find("-67% worse"), std::string::npos) << rep.out;
  EXPECT_NE(rep.out.find("Focus skill: "), std::string::npos) << rep.out;

  Result rep_json = Ctl({"rep", "p_dana", "--month", *month_, "--json"});
  ASSERT_EQ(rep_json.code, 0) << rep_json.err;
  json j = json::parse(rep_json.out);
  bool found = false;
  for (const auto& d : j["rep"]["drivers"]) {
    if (d["driver"] == "calls_made") {
      found = true;
      EXPECT_EQ(d["value"], kCallsPerMonth);
    }
  }
  EXPECT_TRUE(found) << rep_json.out;
  EXPECT_EQ(j["recommendation"]["status"], "RECOMMENDATION_STATUS_RECOMMENDED") << rep_json.out;
  EXPECT_EQ(j["recommendation"]["focus"]["competency_id"], "connecting") << rep_json.out;
}

TEST_F(CoachctlTest, PlanSessionsAndThePack) {
  Result plan = Ctl({"plan", "create", "p_dana", "--month", *month_});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_NE(plan.out.find("Plan for p_dana " + *month_ + ": connecting (by p_mia)"), std::string::npos) << plan.out;
  Result shown = Ctl({"plan", "show", "p_dana", "--month", *month_, "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["objectives"][0]["target_driver"], "connect_rate") << shown.out;

  Result logged = Ctl({"session", "log", "--rep", "p_dana", "--kind", "one_on_one", "--minutes", "45",
                       "--competency", "connecting"});
  ASSERT_EQ(logged.code, 0) << logged.err;
  EXPECT_EQ(logged.out.rfind("logged session ", 0), 0u) << logged.out;
  Result sessions = Ctl({"sessions", "p_dana"});
  ASSERT_EQ(sessions.code, 0) << sessions.err;
  EXPECT_NE(sessions.out.find("monthly one on one"), std::string::npos) << sessions.out;
  EXPECT_NE(sessions.out.find("1 sessions, 45 minutes"), std::string::npos) << sessions.out;

  const std::string path = dir_->path() + "/dana.html";
  Result pack = Ctl({"pack", "p_dana", "--month", *month_, "-o", path});
  ASSERT_EQ(pack.code, 0) << pack.err;
  std::ifstream in(path);
  std::stringstream html;
  html << in.rdbuf();
  for (const char* text : {"Monthly 1:1", "Dana Reyes", "10% vs 30%", "Connecting", "$40,000", "$100,000",
                           "Trend: connect rate by month", "Globex expansion", "What help do you need from me?",
                           "off track"}) {
    EXPECT_NE(html.str().find(text), std::string::npos) << text;
  }
  EXPECT_EQ(html.str().find("<script"), std::string::npos);
}

TEST_F(CoachctlTest, AlertsAndRollup) {
  Result alerts = Ctl({"alerts", "--subtree", "--json"});
  ASSERT_EQ(alerts.code, 0) << alerts.err;
  EXPECT_TRUE(json::parse(alerts.out)["alerts"].is_array()) << alerts.out;
  Result table = Ctl({"alerts"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(table.out == "no alerts\n" || table.out.rfind("ALERT ", 0) == 0) << table.out;
  Result rollup = Ctl({"rollup", "--month", *month_});
  ASSERT_EQ(rollup.code, 0) << rollup.err;
  EXPECT_NE(rollup.out.find("p_mia"), std::string::npos) << rollup.out;
  EXPECT_NE(rollup.out.find("frontline manager"), std::string::npos) << rollup.out;
}

TEST_F(CoachctlTest, ExitStatusesForScripts) {
  Result bad = Ctl({"session", "log", "--rep", "p_dana", "--kind", "micro", "--minutes", "20"});
  EXPECT_EQ(bad.code, 4) << bad.out << bad.err;
  EXPECT_EQ(bad.err.rfind("coachctl: session log: INVALID_ARGUMENT: session.deal_id", 0), 0u) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

  Result unknown = Ctl({"rep", "p_nobody", "--month", *month_});
  EXPECT_EQ(unknown.code, 3) << unknown.err;
  EXPECT_EQ(unknown.err.rfind("coachctl: rep: NOT_FOUND: ", 0), 0u) << unknown.err;

  Result down = Ctl({"team", "--timeout", "3s"}, {{"COACHCTL_COACHING", "127.0.0.1:1"}});
  EXPECT_EQ(down.code, 5) << down.err;
  EXPECT_EQ(down.err.rfind("coachctl: team: UNAVAILABLE: ", 0), 0u) << down.err;

  Result usage = Ctl({"rep"});
  EXPECT_EQ(usage.code, 2);
  EXPECT_EQ(usage.err, "coachctl: rep: usage: missing <rep>\n");
  Result help = Ctl({"pack", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: coachctl pack <rep>"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace cs::testing
