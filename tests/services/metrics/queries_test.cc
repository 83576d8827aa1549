// Query API: argument validation, team rollups over a manager subtree,
// peer benchmarks (median, p75, peers), history, quota and attainment.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

using coachstream::v1::ROLE_ACCOUNT_EXECUTIVE;
using coachstream::v1::ROLE_DIRECTOR;
using coachstream::v1::ROLE_FRONTLINE_MANAGER;
using coachstream::v1::ROLE_SDR;
using coachstream::v1::ROLE_VP;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// d (director) -> m1 -> a1, a2 (AE smb); d -> m2 -> a3 (AE smb), s1 (SDR smb);
// vp -> m3 -> a4 (AE smb, outside d's subtree) and e1 (AE enterprise).
void SeedOrg(Harness& h) {
  h.Ingest({Person("vp", "", ROLE_VP, ""), Person("d", "vp", ROLE_DIRECTOR, ""),
            Person("m1", "d", ROLE_FRONTLINE_MANAGER, "smb"), Person("m2", "d", ROLE_FRONTLINE_MANAGER, "smb"),
            Person("m3", "vp", ROLE_FRONTLINE_MANAGER, "smb"), Person("a1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"),
            Person("a2", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), Person("a3", "m2", ROLE_ACCOUNT_EXECUTIVE, "smb"),
            Person("s1", "m2", ROLE_SDR, "smb"), Person("a4", "m3", ROLE_ACCOUNT_EXECUTIVE, "smb"),
            Person("e1", "m3", ROLE_ACCOUNT_EXECUTIVE, "enterprise")});
}

// `made` calls in June 2024, the first `connected` of them connected.
std::vector<coachstream::v1::Event> Calls(const std::string& rep, int made, int connected) {
  std::vector<coachstream::v1::Event> out;
  for (int i = 0; i < made; ++i) {
    out.push_back(Call(rep + "-c" + std::to_string(i), rep, At("2024-06-03T08:00:00") + absl::Hours(i), i < connected));
  }
  return out;
}

void SeedCalls(Harness& h) {
  for (auto [rep, made, connected] : std::vector<std::tuple<std::string, int, int>>{
           {"a1", 10, 5}, {"a2", 4, 1}, {"a3", 6, 3}, {"s1", 20, 4}, {"a4", 8, 2}}) {
    h.Ingest(Calls(rep, made, connected));
  }
}

std::map<std::string, coachstream::v1::DriverValue> ByName(
    const google::protobuf::RepeatedPtrField<coachstream::v1::DriverValue>& values) {
  std::map<std::string, coachstream::v1::DriverValue> out;
  for (const auto& v : values) out[v.driver()] = v;
  return out;
}

std::map<std::string, coachstream::v1::Benchmark> ByName(
    const google::protobuf::RepeatedPtrField<coachstream::v1::Benchmark>& values) {
  std::map<std::string, coachstream::v1::Benchmark> out;
  for (const auto& v : values) out[v.driver()] = v;
  return out;
}

coachstream::v1::GetTeamDriversRequest TeamRequest(const std::string& manager, const std::string& period) {
  coachstream::v1::GetTeamDriversRequest r;
  r.set_tenant_id("acme");
  r.set_manager_id(manager);
  r.set_period(period);
  return r;
}

TEST(QueriesTest, TeamIsTheWholeSubtreeWithRollupAndPeerBenchmarks) {
  Harness h(At("2024-06-30T00:00:00"));
  SeedOrg(h);
  SeedCalls(h);
  auto team = h.queries().GetTeamDrivers(TeamRequest("d", "2024-06"));
  ASSERT_TRUE(team.ok()) << team.status();
  std::vector<std::string> reps;
  for (const auto& r : team->reps()) reps.push_back(r.rep_id());
  EXPECT_EQ(reps, (std::vector<std::string>{"a1", "a2", "a3", "s1"}));  // managers are not reps
  EXPECT_EQ(team->reps(0).manager_id(), "m1");
  EXPECT_EQ(team->reps(0).display_name(), "Name of a1");

  auto rollup = ByName(team->rollup());
  EXPECT_EQ(rollup["calls_made"].value(), 40);
  EXPECT_EQ(rollup["calls_made"].denominator(), 1);
  EXPECT_EQ(rollup["connect_rate"].numerator(), 13);
  EXPECT_EQ(rollup["connect_rate"].denominator(), 40);
  EXPECT_EQ(rollup["connect_rate"].sample_size(), 40);

  ASSERT_EQ(team->benchmarks_by_peer_group_size(), 2);
  EXPECT_EQ(team->benchmarks_by_peer_group(0).role(), ROLE_ACCOUNT_EXECUTIVE);
  EXPECT_EQ(team->benchmarks_by_peer_group(1).role(), ROLE_SDR);
  // AE smb peers across the tenant: a1 (10, .5), a2 (4, .25), a3 (6, .5), a4 (8, .25).
  auto ae = ByName(team->benchmarks_by_peer_group(0).benchmarks());
  EXPECT_EQ(ae["calls_made"].peers(), 4);
  EXPECT_DOUBLE_EQ(ae["calls_made"].median(), 7);
  EXPECT_DOUBLE_EQ(ae["calls_made"].p75(), 8.5);
  EXPECT_DOUBLE_EQ(ae["connect_rate"].median(), 0.375);
  EXPECT_DOUBLE_EQ(ae["connect_rate"].p75(), 0.5);
  EXPECT_EQ(ae["win_rate_count"].peers(), 0);  // nobody closed a deal
  EXPECT_EQ(ByName(team->benchmarks())["calls_made"].peers(), 4);
  auto sdr = ByName(team->benchmarks_by_peer_group(1).benchmarks());
  EXPECT_EQ(sdr["calls_made"].peers(), 1);
  EXPECT_DOUBLE_EQ(sdr["connect_rate"].median(), 0.2);

  auto m1 = h.queries().GetTeamDrivers(TeamRequest("m1", "2024-06"));
  ASSERT_TRUE(m1.ok()) << m1.status();
  ASSERT_EQ(m1->reps_size(), 2);
  EXPECT_EQ(ByName(m1->rollup())["calls_made"].value(), 14);
}

TEST(QueriesTest, BenchmarksByRoleAndSegment) {
  Harness h(At("2024-06-30T00:00:00"));
  SeedOrg(h);
  SeedCalls(h);
  coachstream::v1::GetBenchmarksRequest request;
  request.set_tenant_id("acme");
  request.set_role(ROLE_ACCOUNT_EXECUTIVE);
  request.set_segment("enterprise");
  request.set_period("2024-06");
  auto response = h.queries().GetBenchmarks(request);
  ASSERT_TRUE(response.ok()) << response.status();
  auto b = ByName(response->benchmarks());
  EXPECT_EQ(b["calls_made"].peers(), 1);  // e1 is active: a real zero
  EXPECT_EQ(b["calls_made"].median(), 0);
  EXPECT_EQ(b["connect_rate"].peers(), 0);  // no calls: no sample for a rate
  request.set_segment("smb");
  response = h.queries().GetBenchmarks(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(ByName(response->benchmarks())["connect_rate"].peers(), 4);
  request.set_role(coachstream::v1::ROLE_UNSPECIFIED);
  EXPECT_THAT(std::string(h.queries().GetBenchmarks(request).status().message()), StartsWith("role:"));
}

TEST(QueriesTest, CachedBenchmarksLagByAtMostTheirTtl) {
  MetricsCoreOptions options;
  options.benchmark_cache_seconds = 60;
  Harness h(At("2024-06-30T00:00:00"), options);
  SeedOrg(h);
  SeedCalls(h);
  coachstream::v1::GetBenchmarksRequest request;
  request.set_tenant_id("acme");
  request.set_role(ROLE_ACCOUNT_EXECUTIVE);
  request.set_segment("smb");
  request.set_period("2024-06");
  auto calls_median = [&] { return ByName(h.queries().GetBenchmarks(request)->benchmarks())["calls_made"].median(); };
  EXPECT_DOUBLE_EQ(calls_median(), 7);
  h.Ingest(Calls("a2", 30, 0));  // a2: 4 -> 30 calls
  EXPECT_DOUBLE_EQ(calls_median(), 7);  // cached
  // The team query shares the cache for the same group and period.
  auto team = h.queries().GetTeamDrivers(TeamRequest("m1", "2024-06"));
  ASSERT_TRUE(team.ok());
  EXPECT_DOUBLE_EQ(ByName(team->benchmarks())["calls_made"].median(), 7);
  EXPECT_EQ(ByName(team->rollup())["calls_made"].value(), 40);  // rows and rollups are never cached
  h.clock().Advance(absl::Seconds(60));
  EXPECT_DOUBLE_EQ(calls_median(), 9);  // 6, 8, 10, 30
}

TEST(QueriesTest, BenchmarksCachedBeforeTheEventsArrivedAreRecomputedAfterTheTtl) {
  // As while the service catches up after a start: the directory is in, the
  // activity is not; a request caches medians of 0 for the whole group.
  MetricsCoreOptions options;
  options.benchmark_cache_seconds = 60;
  Harness h(At("2024-06-30T00:00:00"), options);
  SeedOrg(h);
  coachstream::v1::GetBenchmarksRequest request;
  request.set_tenant_id("acme");
  request.set_role(ROLE_ACCOUNT_EXECUTIVE);
  request.set_segment("smb");
  request.set_period("2024-06");
  auto benchmark = [&](const std::string& driver) {
    auto response = h.queries().GetBenchmarks(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? ByName(response->benchmarks())[driver] : coachstream::v1::Benchmark();
  };
  auto team_median = [&](const std::string& driver) {
    auto team = h.queries().GetTeamDrivers(TeamRequest("m1", "2024-06"));
    EXPECT_TRUE(team.ok()) << team.status();
    return team.ok() ? ByName(team->benchmarks())[driver].median() : -1;
  };
  EXPECT_EQ(benchmark("calls_made").peers(), 4);
  EXPECT_DOUBLE_EQ(benchmark("calls_made").median(), 0);
  EXPECT_EQ(benchmark("connect_rate").peers(), 0);
  // The events arrive in batches over the next seconds (a catch-up), while
  // teams keep asking.
  const absl::Time computed = h.clock().Now();
  for (auto [rep, made, connected] : std::vector<std::tuple<std::string, int, int>>{
           {"a1", 10, 5}, {"a2", 4, 1}, {"a3", 6, 3}, {"s1", 20, 4}, {"a4", 8, 2}}) {
    h.Ingest(Calls(rep, made, connected));
    h.clock().Advance(absl::Seconds(10));
    EXPECT_DOUBLE_EQ(team_median("calls_made"), 0);  // within the TTL: the cached zeros
  }
  h.clock().Set(computed + absl::Seconds(59));
  EXPECT_DOUBLE_EQ(benchmark("calls_made").median(), 0);
  h.clock().Set(computed + absl::Seconds(60));
  EXPECT_DOUBLE_EQ(benchmark("calls_made").median(), 7);  // 4, 6, 8, 10
  EXPECT_EQ(benchmark("connect_rate").peers(), 4);
  EXPECT_DOUBLE_EQ(team_median("calls_made"), 7);
  // And again a TTL later, for new events.
  h.Ingest(Calls("a2", 30, 0));
  h.clock().Advance(absl::Seconds(60));
  EXPECT_DOUBLE_EQ(team_median("calls_made"), 9);  // 6, 8, 10, 30
  EXPECT_DOUBLE_EQ(benchmark("calls_made").median(), 9);
}

// A store that takes `per_scan` of (manual) time for every scan of a rep's
// aggregates, as a RocksDB busy with a catch-up does.
class SlowScanner final : public StateScanner {
 public:
  SlowScanner(const StateScanner& inner, ManualClock& clock, absl::Duration per_scan)
      : inner_(inner), clock_(clock), per_scan_(per_scan) {}
  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const override {
    absl::Status s = inner_.Scan(prefix, fn);
    if (prefix.starts_with("agg/")) clock_.Advance(per_scan_);
    return s;
  }

 private:
  const StateScanner& inner_;
  ManualClock& clock_;
  absl::Duration per_scan_;
};

TEST(QueriesTest, ASlowBenchmarkComputationExpiresOneTtlAfterTheStateItRead) {
  MetricsCoreOptions options;
  options.benchmark_cache_seconds = 60;
  Harness h(At("2024-06-30T00:00:00"), options);
  SeedOrg(h);
  SlowScanner slow(h.store(), h.clock(), absl::Seconds(10));
  const MetricsQueries queries(h.store(), slow, h.clock(), options);
  coachstream::v1::GetBenchmarksRequest request;
  request.set_tenant_id("acme");
  request.set_role(ROLE_ACCOUNT_EXECUTIVE);
  request.set_segment("smb");
  request.set_period("2024-06");
  auto calls_median = [&] { return ByName(queries.GetBenchmarks(request)->benchmarks())["calls_made"].median(); };
  const absl::Time start = h.clock().Now();
  EXPECT_DOUBLE_EQ(calls_median(), 0);  // read at `start`, no events yet; 4 peers: 40 s
  EXPECT_EQ(h.clock().Now(), start + absl::Seconds(40));
  SeedCalls(h);  // the events land as the computation ends
  h.clock().Set(start + absl::Seconds(59));
  EXPECT_DOUBLE_EQ(calls_median(), 0);
  h.clock().Set(start + absl::Seconds(60));
  EXPECT_DOUBLE_EQ(calls_median(), 7);  // not 100 s after `start`
}

TEST(QueriesTest, UnknownIdsAreNotFoundNamingTheField) {
  Harness h(At("2024-06-30T00:00:00"));
  SeedOrg(h);
  coachstream::v1::GetRepDriversRequest rep;
  rep.set_tenant_id("acme");
  rep.set_rep_id("ghost");
  rep.set_period("2024-06");
  auto r = h.queries().GetRepDrivers(rep);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("rep_id"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("ghost"));
  auto t = h.queries().GetTeamDrivers(TeamRequest("nobody", "2024-06"));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("manager_id"));
  // A rep known only from events (directory lagging) is found.
  h.Ingest({Call("x1", "newbie", At("2024-06-03T08:00:00"))});
  rep.set_rep_id("newbie");
  EXPECT_TRUE(h.queries().GetRepDrivers(rep).ok());
}

TEST(QueriesTest, AManagerKnownOnlyFromTheirReportsHasATeam) {
  Harness h(At("2024-06-30T00:00:00"));
  h.Ingest({Person("z1", "lagging-mgr", ROLE_ACCOUNT_EXECUTIVE, "smb")});
  h.Ingest(Calls("z1", 3, 1));
  auto team = h.queries().GetTeamDrivers(TeamRequest("lagging-mgr", "2024-06"));
  ASSERT_TRUE(team.ok()) << team.status();
  ASSERT_EQ(team->reps_size(), 1);
  EXPECT_EQ(ByName(team->rollup())["calls_made"].value(), 3);
}

TEST(QueriesTest, BadOptionsAreRejectedNamingTheOption) {
  MetricsCoreOptions options;
  options.default_time_zone = "Mars/Olympus";
  MemoryStore store;
  ManualClock clock(At("2024-06-30T00:00:00"));
  auto core = MetricsCore::Create(options, store, clock);
  ASSERT_FALSE(core.ok());
  EXPECT_THAT(std::string(core.status().message()), StartsWith("default_time_zone:"));
  options.default_time_zone = "UTC";
  options.stalled_after_days = 0;
  EXPECT_THAT(std::string(MetricsCore::Create(options, store, clock).status().message()),
              StartsWith("stalled_after_days:"));
}

TEST(QueriesTest, InvalidArgumentsNameTheField) {
  Harness h(At("2024-06-30T00:00:00"));
  SeedOrg(h);
  coachstream::v1::GetRepDriversRequest rep;
  rep.set_tenant_id("acme");
  rep.set_rep_id("a1");
  rep.set_period("2024-13");
  auto r = h.queries().GetRepDrivers(rep);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), StartsWith("period:"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("2024-13"));
  rep.set_period("2024-06");
  rep.clear_rep_id();
  EXPECT_THAT(std::string(h.queries().GetRepDrivers(rep).status().message()), StartsWith("rep_id:"));
  EXPECT_THAT(std::string(h.queries().GetTeamDrivers(TeamRequest("d", "June")).status().message()), StartsWith("period:"));

  auto history = [&](const std::string& driver, const std::string& from, const std::string& to) {
    coachstream::v1::GetDriverHistoryRequest q;
    q.set_tenant_id("acme");
    q.set_rep_id("a1");
    q.set_driver(driver);
    q.set_from_period(from);
    q.set_to_period(to);
    return h.queries().GetDriverHistory(q).status();
  };
  absl::Status s = history("calls_made", "2024-06", "2024-03");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), StartsWith("from_period:"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("to_period"));
  s = history("cals_made", "2024-01", "2024-03");
  EXPECT_THAT(std::string(s.message()), StartsWith("driver:"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("cals_made"));
  s = history("calls_made", "2024-W01", "2024-03");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("mixed period kinds"));
  s = history("calls_made", "2024-1", "2024-03");
  EXPECT_THAT(std::string(s.message()), StartsWith("from_period:"));
  s = history("calls_made", "2024-01", "2024-Q5");
  EXPECT_THAT(std::string(s.message()), StartsWith("to_period:"));
  s = history("calls_made", "2010-01", "2024-03");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("longer than 156 periods"));
  EXPECT_TRUE(history("calls_made", "2024-01", "2024-03").ok());
}

TEST(QueriesTest, HistoryListsEveryPeriodInOrder) {
  Harness h(At("2024-07-31T00:00:00"));
  h.Ingest({Call("c1", "r1", At("2024-06-03T08:00:00")), Call("c2", "r1", At("2024-06-04T08:00:00")),
            Call("c3", "r1", At("2024-06-18T08:00:00"), true)});
  coachstream::v1::GetDriverHistoryRequest q;
  q.set_tenant_id("acme");
  q.set_rep_id("r1");
  q.set_driver("calls_made");
  q.set_from_period("2024-W22");
  q.set_to_period("2024-W25");
  auto response = h.queries().GetDriverHistory(q);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->points_size(), 4);
  std::vector<std::pair<std::string, double>> points;
  for (const auto& p : response->points()) points.emplace_back(p.period(), p.value().value());
  EXPECT_EQ(points, (std::vector<std::pair<std::string, double>>{
                        {"2024-W22", 0}, {"2024-W23", 2}, {"2024-W24", 0}, {"2024-W25", 1}}));
  EXPECT_EQ(response->points(3).value().driver(), "calls_made");
}

TEST(QueriesTest, QuotaProratesAndAttainmentAndCoverage) {
  Harness h(At("2024-07-31T00:00:00"));
  coachstream::v1::Event person = Person("a1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC");
  auto* june = person.mutable_person()->mutable_person()->add_quotas();
  june->set_period("2024-06");
  june->mutable_amount()->set_amount_minor(3'000'000);
  auto* q3 = person.mutable_person()->mutable_person()->add_quotas();
  q3->set_period("2024-Q3");
  q3->mutable_amount()->set_amount_minor(9'200'000);
  DealSpec won;
  won.deal_id = "w1";
  won.owner = "a1";
  won.stage = coachstream::v1::DEAL_STAGE_CLOSED_WON;
  won.previous_stage = coachstream::v1::DEAL_STAGE_NEGOTIATION;
  won.amount_minor = 600'000;
  won.version = 2;
  won.created_at = At("2024-06-01T00:00:00");
  DealSpec open;
  open.deal_id = "o1";
  open.owner = "a1";
  open.stage = coachstream::v1::DEAL_STAGE_PROPOSAL;
  open.change = coachstream::v1::CHANGE_KIND_CREATED;
  open.amount_minor = 4'800'000;
  open.version = 1;
  open.created_at = At("2024-06-05T00:00:00");
  h.Ingest({person, Deal("w1-v2", At("2024-06-20T00:00:00"), won), Deal("o1-v1", At("2024-06-05T00:00:00"), open)});

  EXPECT_EQ(h.Value("a1", "2024-06", "quota"), 3'000'000);
  EXPECT_EQ(h.Value("a1", "2024-07", "quota"), 3'100'000);   // 9.2M x 31/92
  EXPECT_EQ(h.Value("a1", "2024-W27", "quota"), 700'000);    // July 1-7: 7/31 of July
  EXPECT_EQ(h.Value("a1", "2024-W26", "quota"), 700'000);    // June 24-30: 7/30 of June
  EXPECT_EQ(h.Value("a1", "2024-Q3", "quota"), 9'200'000);
  EXPECT_EQ(h.Sample("a1", "2024-Q2", "quota"), 0);          // April and May unknown
  EXPECT_EQ(h.Sample("a1", "2024-W22", "quota"), 0);         // May 27 - June 2: May unknown
  auto d = h.Drivers("a1", "2024-06");
  EXPECT_EQ(d["attainment"].numerator(), 600'000);
  EXPECT_EQ(d["attainment"].denominator(), 3'000'000);
  EXPECT_DOUBLE_EQ(d["attainment"].value(), 0.2);
  EXPECT_EQ(d["open_pipeline"].value(), 4'800'000);
  EXPECT_EQ(d["pipeline_coverage"].numerator(), 4'800'000);
  EXPECT_EQ(d["pipeline_coverage"].denominator(), 2'400'000);
  EXPECT_DOUBLE_EQ(d["pipeline_coverage"].value(), 2.0);
}

}  // namespace
}  // namespace cs::metrics::testing
