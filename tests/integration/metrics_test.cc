// The metrics service as a real process against devbroker: a generated
// stream of canonical events (tests/integration/metrics_stream.h: person
// records, duplicates, vendor re-syncs, late and out-of-order events, period
// boundaries in non-UTC zones, an owner change) in; every MetricsService
// answer must equal what an in-process MetricsCore computes from the same
// deduplicated stream, and call counts must equal the generator's own
// strftime-based reference. Bad requests name the field. SIGTERM commits;
// kill -9 three times mid-stream loses and double-counts nothing.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "libs/grpc/health_names.h"
#include "libs/kafka/producer.h"
#include "tests/integration/harness.h"
#include "tests/integration/metrics_stream.h"

namespace cs::testing {
namespace {

using coachstream::v1::MetricsService;
using metrics_stream::kTenant;
using metrics_stream::Oracle;
using metrics_stream::Stream;
using metrics_stream::StreamOptions;

constexpr char kConsumed[] = "coachstream_metrics_events_consumed_total";

double Metric(const Service& s, const std::string& sample) {
  auto text = HttpGet(s.metrics_port, "/metrics");
  if (!text) return -1;
  return MetricValue(*text, sample).value_or(0);
}

std::vector<kafka::OutRecord> Records(const std::vector<coachstream::v1::Event>& events) {
  std::vector<kafka::OutRecord> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(metrics_stream::ToRecord(e));
  return out;
}

// MetricsService over gRPC, with a deadline per call.
class Client {
 public:
  explicit Client(int port)
      : stub_(MetricsService::NewStub(
            ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port), ::grpc::InsecureChannelCredentials()))) {}

  template <typename Req, typename Resp>
  ::grpc::Status Call(::grpc::Status (MetricsService::Stub::*rpc)(::grpc::ClientContext*, const Req&, Resp*),
                      const Req& req, Resp* resp) {
    ::grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub_.get()->*rpc)(&ctx, req, resp);
  }

  coachstream::v1::GetRepDriversRequest RepReq(const std::string& rep, const std::string& period) {
    coachstream::v1::GetRepDriversRequest r;
    r.set_tenant_id(kTenant);
    r.set_rep_id(rep);
    r.set_period(period);
    return r;
  }

  // calls_made of `rep` in `period`, or -1 if the call failed.
  double CallsMade(const std::string& rep, const std::string& period) {
    coachstream::v1::GetRepDriversResponse resp;
    if (!Call(&MetricsService::Stub::GetRepDrivers, RepReq(rep, period), &resp).ok()) return -1;
    for (const auto& d : resp.rep().drivers()) {
      if (d.driver() == "calls_made") return d.value();
    }
    return -1;
  }

 private:
  std::unique_ptr<MetricsService::Stub> stub_;
};

// Waits until every person's marker call of `wave` is visible, i.e. every
// partition is committed up to the end of that wave.
bool WaitForMarkers(Client& client, const Stream& s, int wave, absl::Duration timeout) {
  std::vector<std::string> people = s.managers;
  for (const auto& r : s.reps) people.push_back(r.id);
  const std::string month = absl::FormatCivilTime(s.marker_month);
  return WaitFor([&] {
    for (const auto& p : people) {
      if (client.CallsMade(p, month) < wave) return false;
    }
    return true;
  }, timeout);
}

template <typename Msg>
void ExpectSame(const ::grpc::Status& status, const Msg& got, const absl::StatusOr<Msg>& want,
                const std::string& what) {
  ASSERT_TRUE(want.ok()) << what << ": oracle failed: " << want.status();
  ASSERT_TRUE(status.ok()) << what << ": " << status.error_message();
  std::string diff;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(*want, got)) << what << " differs from the in-process core:\n" << diff;
}

std::vector<std::string> PeriodsOf(const Stream& s, char kind) {  // 'W' weeks, 'Q' quarters
  std::vector<std::string> out;
  for (const auto& p : s.Periods()) {
    if (p.size() > 5 && p[5] == kind) out.push_back(p);
  }
  return out;
}

// Every query the service answers, against the oracle. Returns the number
// of comparisons.
int CompareWithOracle(Client& client, const Oracle& oracle, const Stream& s) {
  int n = 0;
  const std::vector<std::string> periods = s.Periods();
  const std::vector<std::string> weeks = PeriodsOf(s, 'W');
  for (const auto& rep : s.reps) {
    for (const auto& period : periods) {
      coachstream::v1::GetRepDriversResponse got;
      auto req = client.RepReq(rep.id, period);
      auto st = client.Call(&MetricsService::Stub::GetRepDrivers, req, &got);
      ExpectSame(st, got, oracle.queries().GetRepDrivers(req), "GetRepDrivers " + rep.id + " " + period);
      ++n;
    }
    for (const auto& [driver, from, to] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"calls_made", weeks.front(), weeks.back()},
             {"win_rate_count", s.Month(0), s.Month(2)},
             {"open_pipeline", s.Month(0), s.Month(2)},
             {"coaching_minutes", weeks.front(), weeks.back()}}) {
      coachstream::v1::GetDriverHistoryRequest req;
      req.set_tenant_id(kTenant);
      req.set_rep_id(rep.id);
      req.set_driver(driver);
      req.set_from_period(from);
      req.set_to_period(to);
      coachstream::v1::GetDriverHistoryResponse got;
      auto st = client.Call(&MetricsService::Stub::GetDriverHistory, req, &got);
      ExpectSame(st, got, oracle.queries().GetDriverHistory(req), "GetDriverHistory " + rep.id + " " + driver);
      ++n;
    }
    coachstream::v1::ListOpenDealsRequest open;
    open.set_tenant_id(kTenant);
    open.set_rep_id(rep.id);
    coachstream::v1::ListOpenDealsResponse got;
    auto st = client.Call(&MetricsService::Stub::ListOpenDeals, open, &got);
    ExpectSame(st, got, oracle.ListOpenDeals(open), "ListOpenDeals " + rep.id);
    ++n;
  }
  for (const auto& manager : s.managers) {
    for (const auto& period : {s.Month(0), s.Month(1), s.Month(2), PeriodsOf(s, 'Q').front()}) {
      coachstream::v1::GetTeamDriversRequest req;
      req.set_tenant_id(kTenant);
      req.set_manager_id(manager);
      req.set_period(period);
      coachstream::v1::GetTeamDriversResponse got;
      auto st = client.Call(&MetricsService::Stub::GetTeamDrivers, req, &got);
      ExpectSame(st, got, oracle.queries().GetTeamDrivers(req), "GetTeamDrivers " + manager + " " + period);
      ++n;
    }
  }
  for (const auto& [role, segment] : std::vector<std::pair<coachstream::v1::Role, std::string>>{
           {coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb"},
           {coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "enterprise"},
           {coachstream::v1::ROLE_SDR, "smb"}}) {
    for (int m = 0; m < 3; ++m) {
      coachstream::v1::GetBenchmarksRequest req;
      req.set_tenant_id(kTenant);
      req.set_role(role);
      req.set_segment(segment);
      req.set_period(s.Month(m));
      coachstream::v1::GetBenchmarksResponse got;
      auto st = client.Call(&MetricsService::Stub::GetBenchmarks, req, &got);
      ExpectSame(st, got, oracle.queries().GetBenchmarks(req), "GetBenchmarks " + segment + " " + s.Month(m));
      ++n;
    }
  }
  return n;
}

// Calls made per rep and period equal the generator's own count.
void ExpectCallsMatchReference(Client& client, const Stream& s) {
  for (const auto& [key, count] : s.calls_made) {
    EXPECT_EQ(client.CallsMade(key.first, key.second), count) << key.first << " " << key.second;
  }
}

// One wave of ~5,000 records without duplicates, re-syncs or owner
// changes: any duplicate a service reports is a replay.
Stream OneWaveStream(uint64_t seed) {
  StreamOptions options;
  options.seed = seed;
  options.calls_per_rep = 650;
  options.duplicate_rate = 0;
  options.resync_rate = 0;
  options.owner_change = false;
  return metrics_stream::Generate(options);
}

// Produces `records` in chunks of 50, `pause` apart, on a thread of its own
// (the caller joins it): a stream that keeps arriving while services come
// and go.
std::thread ProduceInChunks(const std::string& bootstrap, const std::vector<kafka::OutRecord>& records,
                            absl::Duration pause) {
  return std::thread([bootstrap, &records, pause] {
    kafka::ProducerOptions po;
    po.client.bootstrap_servers = bootstrap;
    auto p = kafka::Producer::Create(po);
    if (!p.ok()) return;
    constexpr size_t kChunk = 50;
    for (size_t i = 0; i < records.size(); i += kChunk) {
      kafka::DeliveryBatch batch;
      for (size_t j = i; j < std::min(records.size(), i + kChunk); ++j) (void)(*p)->Produce(records[j], &batch);
      (void)(*p)->Await(batch, absl::Seconds(30));
      absl::SleepFor(pause);
    }
  });
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = StartBroker(dir_.path()); }
  Service Start(std::vector<std::string> extra = {}) {
    extra.push_back(std::string("--default_time_zone=") + metrics_stream::kDefaultZone);
    extra.push_back("--session_timeout_ms=6000");
    Service s = StartService("metrics", "metrics", broker_.bootstrap, dir_.path(), extra);
    EXPECT_TRUE(WaitServing(s.grpc_port, absl::Seconds(20))) << s.process->Stderr();
    return s;
  }
  TempDir dir_;
  Broker broker_;
};

TEST_F(MetricsTest, AnswersEqualAnInProcessCoreFedTheSameStream) {
  const Stream s = metrics_stream::Generate(StreamOptions{});
  Service svc = Start();
  // Not caught up before the group has assigned it partitions (readiness
  // for the alerts, libs/grpc/health_names.h), while "" is SERVING.
  EXPECT_EQ(HealthStatus(svc.grpc_port, grpc_util::kMetricsCaughtUp), "NOT_SERVING");
  Client client(svc.grpc_port);
  Oracle oracle;
  size_t produced = 0;
  for (size_t w = 0; w < s.waves.size(); ++w) {
    ProduceAll(broker_.bootstrap, Records(s.waves[w]));
    produced += s.waves[w].size();
    oracle.Apply(s.waves[w]);
    ASSERT_TRUE(WaitFor([&] { return Metric(svc, kConsumed) >= static_cast<double>(produced); },
                        absl::Seconds(60)))
        << "consumed " << Metric(svc, kConsumed) << " of " << produced << "\n" << svc.process->Stderr();
    ASSERT_TRUE(WaitForMarkers(client, s, static_cast<int>(w) + 1, absl::Seconds(10)));
  }
  EXPECT_EQ(Metric(svc, kConsumed), static_cast<double>(s.records()));
  EXPECT_TRUE(WaitFor([&] { return HealthStatus(svc.grpc_port, grpc_util::kMetricsCaughtUp) == "SERVING"; },
                      absl::Seconds(10)));
  // The stream exercised dedup and versioning.
  EXPECT_GT(Metric(svc, "coachstream_metrics_events_total{outcome=\"duplicate\"}"), 50);
  EXPECT_GT(Metric(svc, "coachstream_metrics_events_total{outcome=\"stale\"}"), 5);
  EXPECT_GT(Metric(svc, "coachstream_metrics_events_total{outcome=\"applied\"}"), 1000);

  // Bad records on the topic: bytes that are not an Event, a tombstone, an
  // Event without a tenant and a call too old to deduplicate. Each is counted by its outcome, logged with
  // its offset and dead-lettered to dlq.v1 with its reason; none stops the
  // service or changes an aggregate (the comparison below), and their
  // offsets commit.
  {
    kafka::OutRecord garbage = metrics_stream::ToRecord(s.waves.back().back());
    garbage.value = std::string("not an event: \xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff");
    kafka::OutRecord tombstone = garbage;
    tombstone.value.reset();
    coachstream::v1::Event no_tenant = s.waves.back().back();
    no_tenant.set_event_id("bad/no-tenant");
    no_tenant.clear_tenant_id();
    // A call older than the dedup horizon (400 days by default) cannot be
    // told from a redelivery: not applied, dead-lettered to be replayed
    // under a longer horizon.
    coachstream::v1::Event too_old = s.waves.back().back();
    too_old.set_event_id("bad/too-old");
    too_old.mutable_call()->set_call_id("call-too-old");
    too_old.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(24 * 500)));
    std::vector<kafka::OutRecord> bad = {garbage, tombstone, metrics_stream::ToRecord(no_tenant),
                                         metrics_stream::ToRecord(too_old)};
    const double invalid_before = Metric(svc, "coachstream_metrics_events_total{outcome=\"invalid\"}");
    const double too_old_before = Metric(svc, "coachstream_metrics_events_total{outcome=\"too_old\"}");
    ProduceAll(broker_.bootstrap, bad);
    ASSERT_TRUE(WaitFor([&] { return Metric(svc, kConsumed) >= static_cast<double>(s.records() + bad.size()); },
                        absl::Seconds(30)))
        << svc.process->Stderr();
    EXPECT_EQ(Metric(svc, "coachstream_metrics_events_total{outcome=\"undecodable\"}"), 2);
    EXPECT_EQ(Metric(svc, "coachstream_metrics_events_total{outcome=\"invalid\"}"), invalid_before + 1);
    EXPECT_EQ(Metric(svc, "coachstream_metrics_events_total{outcome=\"too_old\"}"), too_old_before + 1);
    EXPECT_NE(svc.process->Stderr().find("event not applied"), std::string::npos);
    EXPECT_EQ(HealthStatus(svc.grpc_port, ""), "SERVING");
    // Acknowledged before the batch's offsets were written: on dlq.v1 now.
    std::vector<kafka::Message> dlq = ReadTopic(broker_.bootstrap, "dlq.v1", absl::Seconds(1));
    ASSERT_EQ(dlq.size(), 4u);
    std::multiset<std::string> reasons;
    for (const kafka::Message& m : dlq) {
      reasons.insert(std::string(m.header("dlq_reason").value_or("")));
      EXPECT_EQ(m.header("dlq_source_topic").value_or(""), "coaching.events.v1");
      // The original headers too, though the service's consumer skips them.
      EXPECT_EQ(m.header("ce_type").value_or(""), "io.coachstream.event.v1");
      EXPECT_TRUE(m.header("ce_id").has_value());
      EXPECT_TRUE(m.header("dlq_source_offset").has_value());
      if (m.header("dlq_reason") == "invalid_event") {
        EXPECT_EQ(m.header("dlq_message").value_or(""), "tenant_id is empty");
        EXPECT_EQ(m.header("ce_id").value_or(""), "bad/no-tenant");
        EXPECT_EQ(m.value, *bad[2].value);  // the original record
      }
      if (m.header("dlq_reason") == "too_old") {
        EXPECT_NE(m.header("dlq_message").value_or("").find("400-day deduplication horizon"), std::string::npos)
            << m.header("dlq_message").value_or("");
        EXPECT_EQ(m.value, *bad[3].value);
      }
    }
    EXPECT_EQ(reasons,
              (std::multiset<std::string>{"invalid_event", "too_old", "undecodable_event", "undecodable_event"}));
    EXPECT_EQ(Metric(svc, "coachstream_metrics_dead_lettered_total{reason=\"undecodable_event\"}"), 2);
  }

  const int compared = CompareWithOracle(client, oracle, s);
  ExpectCallsMatchReference(client, s);
  std::printf("%zu records in %zu waves; %d answers equal the in-process core; %zu call counts equal the reference\n",
              s.records(), s.waves.size(), compared, s.calls_made.size());

  // The owner change: the creation stays with r_la, the win goes to r_default.
  coachstream::v1::GetTeamDriversResponse team;
  coachstream::v1::GetTeamDriversRequest team_req;
  team_req.set_tenant_id(kTenant);
  team_req.set_manager_id("mgr");
  team_req.set_period(PeriodsOf(s, 'Q').front());
  ASSERT_TRUE(client.Call(&MetricsService::Stub::GetTeamDrivers, team_req, &team).ok());
  EXPECT_EQ(team.reps_size(), 6);  // mgr's reps; mgr2's and the managers are not in it

  // SIGTERM writes the batch in progress and exits 0; a restart on the same
  // state serves the same answers and consumes only what is new.
  auto code = svc.process->Stop(SIGTERM, absl::Seconds(20));
  ASSERT_TRUE(code.has_value()) << "no exit within 20 s of SIGTERM";
  EXPECT_EQ(*code, 0) << svc.process->Stderr();
  EXPECT_NE(svc.process->Stderr().find("stopped cleanly"), std::string::npos);
  Service again = Start();
  EXPECT_EQ(HealthStatus(again.grpc_port, grpc_util::kMetricsCaughtUp), "NOT_SERVING");
  Client client2(again.grpc_port);
  coachstream::v1::GetTeamDriversResponse after;
  ASSERT_TRUE(client2.Call(&MetricsService::Stub::GetTeamDrivers, team_req, &after).ok());
  ExpectSame(::grpc::Status::OK, after, oracle.queries().GetTeamDrivers(team_req), "GetTeamDrivers after restart");
  coachstream::v1::Event extra = s.waves.back().back();  // a marker call
  extra.set_event_id("marker/after-restart");
  extra.mutable_call()->set_call_id("marker/after-restart");
  ProduceAll(broker_.bootstrap, Records({extra}));
  ASSERT_TRUE(WaitFor([&] { return Metric(again, kConsumed) >= 1; }, absl::Seconds(30))) << again.process->Stderr();
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Metric(again, kConsumed), 1) << "events before the SIGTERM were consumed again";
}

TEST_F(MetricsTest, BadRequestsNameTheField) {
  Service svc = Start();
  Client client(svc.grpc_port);
  // One rep in the directory.
  StreamOptions tiny;
  tiny.calls_per_rep = 1;
  tiny.meetings_per_rep = 0;
  tiny.deals_per_ae = 0;
  tiny.sessions_per_rep = 0;
  tiny.owner_change = false;
  const Stream s = metrics_stream::Generate(tiny);
  ProduceAll(broker_.bootstrap, Records(s.waves[0]));
  ASSERT_TRUE(WaitForMarkers(client, s, 1, absl::Seconds(60))) << svc.process->Stderr();
  const std::string month = s.Month(0);

  struct Case {
    std::string what;
    ::grpc::Status status;
    ::grpc::StatusCode code;
    std::string field;  // the message starts with it
  };
  std::vector<Case> cases;
  auto rep = [&](const std::string& id, const std::string& period) {
    coachstream::v1::GetRepDriversResponse r;
    return client.Call(&MetricsService::Stub::GetRepDrivers, client.RepReq(id, period), &r);
  };
  auto history = [&](const std::string& driver, const std::string& from, const std::string& to) {
    coachstream::v1::GetDriverHistoryRequest req;
    req.set_tenant_id(kTenant);
    req.set_rep_id("r_la");
    req.set_driver(driver);
    req.set_from_period(from);
    req.set_to_period(to);
    coachstream::v1::GetDriverHistoryResponse r;
    return client.Call(&MetricsService::Stub::GetDriverHistory, req, &r);
  };
  cases.push_back({"unknown rep", rep("nobody", month), ::grpc::NOT_FOUND, "rep_id"});
  cases.push_back({"malformed period", rep("r_la", "2026-13"), ::grpc::INVALID_ARGUMENT, "period"});
  cases.push_back({"missing period", rep("r_la", ""), ::grpc::INVALID_ARGUMENT, "period"});
  cases.push_back({"reversed range", history("calls_made", s.Month(2), s.Month(0)), ::grpc::INVALID_ARGUMENT,
                   "from_period"});
  cases.push_back({"mixed kinds", history("calls_made", s.Month(0), PeriodsOf(s, 'W').front()), ::grpc::INVALID_ARGUMENT,
                   "from_period"});
  cases.push_back({"unknown driver", history("calls_mad", s.Month(0), s.Month(1)), ::grpc::INVALID_ARGUMENT, "driver"});
  {
    coachstream::v1::GetTeamDriversRequest req;
    req.set_tenant_id(kTenant);
    req.set_manager_id("ghost");
    req.set_period(month);
    coachstream::v1::GetTeamDriversResponse r;
    cases.push_back({"unknown manager", client.Call(&MetricsService::Stub::GetTeamDrivers, req, &r),
                     ::grpc::NOT_FOUND, "manager_id"});
  }
  {
    coachstream::v1::GetBenchmarksRequest req;
    req.set_tenant_id(kTenant);
    req.set_period(month);
    coachstream::v1::GetBenchmarksResponse r;
    cases.push_back({"benchmarks without role", client.Call(&MetricsService::Stub::GetBenchmarks, req, &r),
                     ::grpc::INVALID_ARGUMENT, "role"});
  }
  {
    coachstream::v1::ListOpenDealsRequest req;
    req.set_tenant_id(kTenant);
    coachstream::v1::ListOpenDealsResponse r;
    cases.push_back({"open deals without rep", client.Call(&MetricsService::Stub::ListOpenDeals, req, &r),
                     ::grpc::INVALID_ARGUMENT, "rep_id"});
    req.set_rep_id("nobody");
    cases.push_back({"open deals of unknown rep", client.Call(&MetricsService::Stub::ListOpenDeals, req, &r),
                     ::grpc::NOT_FOUND, "rep_id"});
  }
  {
    auto req = client.RepReq("r_la", month);
    req.clear_tenant_id();
    coachstream::v1::GetRepDriversResponse r;
    cases.push_back({"missing tenant", client.Call(&MetricsService::Stub::GetRepDrivers, req, &r),
                     ::grpc::INVALID_ARGUMENT, "tenant_id"});
  }
  for (const Case& c : cases) {
    EXPECT_EQ(c.status.error_code(), c.code) << c.what << ": " << c.status.error_message();
    EXPECT_EQ(c.status.error_message().rfind(c.field, 0), 0u) << c.what << ": " << c.status.error_message();
  }
  EXPECT_EQ(HealthStatus(svc.grpc_port), "SERVING");
}

TEST_F(MetricsTest, KillNineThreeTimesMidStreamLosesAndDoubleCountsNothing) {
  // Without duplicates, so that any duplicate seen is a replay.
  const Stream s = OneWaveStream(7);
  ASSERT_EQ(s.waves.size(), 1u);
  const std::vector<kafka::OutRecord> records = Records(s.waves[0]);
  Oracle oracle;
  oracle.Apply(s.waves[0]);

  // The stream arrives over ~30 s while the service is killed and restarted
  // (each restart waits ~9 s for the dead member's session and the join).
  std::thread producer = ProduceInChunks(broker_.bootstrap, records, absl::Milliseconds(300));
  const double kill_after[] = {400, 500, 400};  // events consumed by each incarnation
  for (double threshold : kill_after) {
    Service svc = Start({"--max_batch=300"});
    const bool reached = WaitFor([&] { return Metric(svc, kConsumed) >= threshold; }, absl::Seconds(40));
    const double consumed = Metric(svc, kConsumed);
    svc.process->Stop(SIGKILL, absl::Seconds(5));
    ASSERT_TRUE(reached) << "consumed only " << consumed << "\n" << svc.process->Stderr();
    std::printf("kill -9 after %.0f events consumed by this incarnation\n", consumed);
  }
  Service last = Start({"--max_batch=300"});
  producer.join();
  Client client(last.grpc_port);
  ASSERT_TRUE(WaitForMarkers(client, s, 1, absl::Seconds(60))) << last.process->Stderr();
  const int compared = CompareWithOracle(client, oracle, s);
  ExpectCallsMatchReference(client, s);
  // Everything the killed incarnations wrote had its offsets with it: the
  // last one never saw an event that was already applied.
  EXPECT_EQ(Metric(last, "coachstream_metrics_events_total{outcome=\"duplicate\"}"), 0);
  std::printf("%zu records, 3 x kill -9: %d answers equal the in-process core; last incarnation consumed %.0f\n",
              s.records(), compared, Metric(last, kConsumed));
}

// The broker deletes a partition's oldest events (retention; devbroker keeps
// ~5 MiB per partition) while the service is down, so the offset it stored
// is gone when it comes back. librdkafka resumes at the earliest one left;
// the events in between were never read. They must not vanish silently:
// the service logs the reset and counts them, and what it reads after the
// restart plus what it counted as skipped is everything produced meanwhile.
TEST_F(MetricsTest, EventsDeletedBeforeTheyWereReadAreCountedAsSkipped) {
  const Stream s = OneWaveStream(13);
  const std::vector<kafka::OutRecord> records = Records(s.waves[0]);
  ASSERT_GT(records.size(), 200u);
  const std::vector<kafka::OutRecord> first(records.begin(), records.begin() + 60);
  const std::string key = first.front().key;  // its partition is the one overflowed
  std::vector<kafka::OutRecord> later;  // 700 records of 10 KiB that are not events, then 3 events
  for (int i = 0; i < 700; ++i) {
    kafka::OutRecord junk = first.front();
    junk.value = std::string(10 * 1024, '\xff');
    later.push_back(std::move(junk));
  }
  for (size_t i = first.size(); i < records.size() && later.size() < 703; ++i) {
    if (records[i].key == key) later.push_back(records[i]);
  }
  ASSERT_EQ(later.size(), 703u);

  {
    Service svc = Start();
    ProduceAll(broker_.bootstrap, first);
    ASSERT_TRUE(WaitFor([&] { return Metric(svc, kConsumed) >= static_cast<double>(first.size()); },
                        absl::Seconds(60)))
        << svc.process->Stderr();
    ASSERT_EQ(svc.process->Stop(SIGTERM, absl::Seconds(20)), 0) << svc.process->Stderr();
  }
  ProduceAll(broker_.bootstrap, later);  // ~7 MiB into one partition: its oldest records are deleted

  Service svc = Start();
  const std::string resets = "coachstream_kafka_offset_resets_total{topic=\"coaching.events.v1\"}";
  const std::string skipped = "coachstream_kafka_records_skipped_total{topic=\"coaching.events.v1\"}";
  ASSERT_TRUE(WaitFor(
      [&] { return Metric(svc, kConsumed) + Metric(svc, skipped) >= static_cast<double>(later.size()); },
      absl::Seconds(60)))
      << "consumed " << Metric(svc, kConsumed) << ", skipped " << Metric(svc, skipped) << "\n"
      << svc.process->Stderr();
  EXPECT_EQ(Metric(svc, resets), 1);
  EXPECT_GT(Metric(svc, skipped), 0);
  EXPECT_EQ(Metric(svc, kConsumed) + Metric(svc, skipped), static_cast<double>(later.size()));
  EXPECT_NE(svc.process->Stderr().find("kafka offset reset: records not read are skipped"), std::string::npos);
  // What was read is handled as always: the junk dead-lettered, the events applied.
  EXPECT_EQ(Metric(svc, "coachstream_metrics_events_total{outcome=\"undecodable\"}"), Metric(svc, kConsumed) - 3);
  EXPECT_EQ(Metric(svc, "coachstream_metrics_events_total{outcome=\"applied\"}"), 3);
}

// A second instance joins the group mid-stream and leaves again: the first
// one's partitions are revoked (its batch in flight is applied and written
// first) and assigned back, and it resumes each from the offsets it stored.
// Its answers then equal the in-process core's: nothing it consumed before
// the revocation is lost or applied twice.
TEST_F(MetricsTest, InstanceJoiningAndLeavingTheGroupLosesAndDoubleCountsNothing) {
  const Stream s = OneWaveStream(11);  // without duplicates: any seen is a replay
  ASSERT_EQ(s.waves.size(), 1u);
  const std::vector<kafka::OutRecord> records = Records(s.waves[0]);
  Oracle oracle;
  oracle.Apply(s.waves[0]);
  std::thread producer = ProduceInChunks(broker_.bootstrap, records, absl::Milliseconds(250));
  Service a = Start({"--max_batch=300"});
  ASSERT_TRUE(WaitFor([&] { return Metric(a, kConsumed) >= 400; }, absl::Seconds(40))) << a.process->Stderr();
  const std::string b_dir = dir_.path() + "/b";
  std::filesystem::create_directories(b_dir);
  Service b = StartService("metrics-b", "metrics", broker_.bootstrap, b_dir,
                           {std::string("--default_time_zone=") + metrics_stream::kDefaultZone,
                            "--session_timeout_ms=6000", "--max_batch=300"});
  const bool b_consumed = WaitFor([&] { return Metric(b, kConsumed) >= 200; }, absl::Seconds(40));
  const double a_before = Metric(a, kConsumed);
  const double b_total = Metric(b, kConsumed);
  EXPECT_EQ(b.process->Stop(SIGTERM, absl::Seconds(20)).value_or(-1), 0) << b.process->Stderr();
  ASSERT_TRUE(b_consumed) << "the second instance got no partitions\n" << b.process->Stderr();
  producer.join();
  Client client(a.grpc_port);
  ASSERT_TRUE(WaitForMarkers(client, s, 1, absl::Seconds(60))) << a.process->Stderr();
  const int compared = CompareWithOracle(client, oracle, s);
  ExpectCallsMatchReference(client, s);
  EXPECT_EQ(Metric(a, "coachstream_metrics_events_total{outcome=\"duplicate\"}"), 0);
  // It consumed the second instance's share again, from its own offsets.
  EXPECT_GT(Metric(a, kConsumed), static_cast<double>(s.records()) - 1);
  std::printf("%zu records; the second instance consumed %.0f while in the group (the first %.0f before it left); "
              "%d answers of the first equal the in-process core\n",
              s.records(), b_total, a_before, compared);
}

}  // namespace
}  // namespace cs::testing
