// The quality bar of issue #5 through the real data path, in one process:
// simulator vendor payloads -> ingest core (parsers + normalizer, in-memory
// ports) -> metrics core (in-memory state) -> metrics queries -> coaching
// core. For several seeds, the top recommendation must name the competency
// that fixes each rep's injected weakness for at least 90% of the reps with
// enough data (truth.h DataSufficient), and the others (new hires, reps with too
// few closed deals) must get INSUFFICIENT_DATA. This is the fast
// loop of tests/integration/coaching_test.cc (same org flags, no Kafka and
// no gRPC): a regression anywhere on the path (encoding, parsing, the
// normalizer, the driver rules, the model) shows here.
//
// The bar is per seed (not pooled): a user runs one org, and 33 judged reps
// per seed already carry the sampling noise the bar has to tolerate
// (one miss = 3 points).
//
// CS_DEBUG_ACCURACY=1 prints the rationale and runners-up of every miss.

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "services/coaching/core/coaching_core.h"
#include "services/ingest/core/in_memory.h"
#include "services/ingest/core/normalizer.h"
#include "services/metrics/core/metrics_core.h"
#include "services/metrics/core/queries.h"
#include "tests/services/coaching/fakes.h"
#include "tests/services/metrics/test_support.h"
#include "tests/tools/simulate/ingest_run.h"
#include "tools/simulate/simulation.h"
#include "tools/simulate/truth.h"

namespace cs::simulate {
namespace {

// Issue #5's bar: 90% per seed (and so overall).
constexpr double kRequiredAccuracy = 0.90;

// The metrics core's in-memory state from its own unit tests.
using MemoryState = cs::metrics::testing::MemoryStore;

// The coaching core's MetricsSource over the metrics core's own queries
// (what the gRPC adapter forwards to, minus the wire).
class InProcessMetrics final : public cs::coaching::MetricsSource {
 public:
  explicit InProcessMetrics(const cs::metrics::MetricsQueries& q) : q_(q) {}
  absl::StatusOr<coachstream::v1::GetRepDriversResponse> GetRepDrivers(
      const coachstream::v1::GetRepDriversRequest& r) override {
    return q_.GetRepDrivers(r);
  }
  absl::StatusOr<coachstream::v1::GetTeamDriversResponse> GetTeamDrivers(
      const coachstream::v1::GetTeamDriversRequest& r) override {
    return q_.GetTeamDrivers(r);
  }
  absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> GetDriverHistory(
      const coachstream::v1::GetDriverHistoryRequest& r) override {
    return q_.GetDriverHistory(r);
  }
  absl::StatusOr<coachstream::v1::GetBenchmarksResponse> GetBenchmarks(
      const coachstream::v1::GetBenchmarksRequest& r) override {
    return q_.GetBenchmarks(r);
  }
  absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
      const coachstream::v1::ListOpenDealsRequest& r) override {
    return q_.ListOpenDeals(r);
  }

 private:
  const cs::metrics::MetricsQueries& q_;
};

// Every record through one ingest pipeline per topic (as one ingest
// deployment per source does), applied to the metrics core in order.
void IngestAndApply(const Simulation& sim, const Clock& clock, cs::metrics::MetricsCore& core,
                    MemoryState& state) {
  int64_t applied = 0;
  testing::IngestEachRecord(sim, clock, [&](size_t, const SimRecord&,
                                             absl::StatusOr<cs::ingest::RecordOutcome>& out) {
    if (!out.ok()) return;
    for (const auto& item : out->items) {
      for (const auto& e : item.events) {
        absl::StatusOr<cs::metrics::ApplyResult> applied_result = core.Apply(e);
        ASSERT_TRUE(applied_result.ok()) << applied_result.status();
        if (++applied % 2000 == 0) state.Write(core.TakeMutations());
      }
    }
  });
  state.Write(core.TakeMutations());
}

// CS_DEBUG_DRIVERS=1: each rep's drivers over the three months up to
// `month` (numerators and denominators summed).
void DumpDrivers(const Org& org, const cs::metrics::MetricsQueries& q, const std::string& month) {
  static const char* kShown[] = {"calls_made", "calls_connected", "meetings_booked", "customer_meetings_held",
                                 "opportunities_created", "deals_won", "deals_lost", "win_rate_count",
                                 "avg_won_deal_size", "avg_discount", "median_cycle_days", "talk_ratio",
                                 "stage_conversion_qualification", "stage_conversion_discovery",
                                 "stage_conversion_proposal", "stage_conversion_negotiation",
                                 "close_date_slips", "stalled_deals"};
  absl::CivilMonth last;
  if (!absl::ParseCivilTime(month, &last)) return;
  for (int i : org.Reps()) {
    const Person& p = org.people[i];
    std::map<std::string, std::pair<double, double>> sum;
    for (int k = 2; k >= 0; --k) {
      coachstream::v1::GetRepDriversRequest req;
      req.set_tenant_id(org.options.tenant);
      req.set_rep_id(p.person_id);
      req.set_period(absl::FormatCivilTime(last - k));
      auto r = q.GetRepDrivers(req);
      if (!r.ok()) continue;
      for (const auto& d : r->rep().drivers()) {
        auto& [n, den] = sum[d.driver()];
        if (d.driver() == "stalled_deals") n = 0, den = 0;  // a snapshot: the latest
        n += d.numerator();
        den += d.denominator();
      }
    }
    std::string line = absl::StrCat(p.person_id, " ", std::string(RoleName(p.role)).substr(0, 3), "/",
                                    p.segment.substr(0, 3), " ", std::string(WeaknessName(p.weakness)),
                                    p.new_hire ? " NEW" : "", ":");
    for (const char* d : kShown) {
      const auto& [n, den] = sum[d];
      absl::StrAppendFormat(&line, " %s=%.4g", d, den > 0 ? n / den : 0);
      if (den > 1) absl::StrAppendFormat(&line, "(%g)", den);
    }
    std::printf("%s\n", line.c_str());
  }
}

struct Scenario {
  uint64_t seed;
  absl::CivilDay end;  // --end: first day not generated
  int months;          // --months
};

struct ScenarioResult {
  int judged = 0, matched = 0, new_hires = 0, new_hires_insufficient = 0;
  std::vector<std::string> misses;
};

ScenarioResult RunScenario(const Scenario& s) {
  ScenarioResult result;
  SimOptions options;
  options.seed = s.seed;
  options.end_day = s.end;
  options.months = s.months;
  absl::StatusOr<std::unique_ptr<Simulation>> sim = Simulation::Create(options);
  EXPECT_TRUE(sim.ok()) << sim.status();
  if (!sim.ok()) return result;
  // "Now" is an hour after the generated history ends; the month is the
  // last generated day's (yesterday's, as in the integration test).
  ManualClock clock((*sim)->org().window.end + absl::Hours(1));
  const std::string month = absl::FormatCivilTime(absl::CivilMonth(s.end - 1));

  MemoryState state;
  cs::metrics::MetricsCoreOptions metrics_options;
  auto metrics = cs::metrics::MetricsCore::Create(metrics_options, state, clock);
  EXPECT_TRUE(metrics.ok()) << metrics.status();
  if (!metrics.ok()) return result;
  IngestAndApply(**sim, clock, **metrics, state);
  cs::metrics::MetricsQueries queries(state, state, clock, metrics_options);
  InProcessMetrics source(queries);
  cs::coaching::testing::InMemoryCoachingStore store;
  absl::StatusOr<cs::coaching::CompetencyLibrary> library = cs::coaching::CompetencyLibrary::Default();
  EXPECT_TRUE(library.ok()) << library.status();
  auto core = cs::coaching::CoachingCore::Create(cs::coaching::CoachingCoreOptions{}, *std::move(library),
                                                 source, store, clock);
  EXPECT_TRUE(core.ok()) << core.status();
  if (!core.ok()) return result;

  const bool debug = std::getenv("CS_DEBUG_ACCURACY") != nullptr;
  const Org& org = (*sim)->org();
  if (std::getenv("CS_DEBUG_DRIVERS") != nullptr) DumpDrivers(org, queries, month);
  for (int i : org.Reps()) {
    const Person& p = org.people[i];
    coachstream::v1::RecommendFocusSkillRequest req;
    req.set_tenant_id(options.tenant);
    req.set_rep_id(p.person_id);
    req.set_month(month);
    absl::StatusOr<coachstream::v1::RecommendFocusSkillResponse> r = (*core)->RecommendFocusSkill(req);
    EXPECT_TRUE(r.ok()) << p.person_id << ": " << r.status();
    if (!r.ok()) continue;
    if (!DataSufficient(**sim, p)) {  // new hires, and reps below the closed-deal minimum
      ++result.new_hires;
      if (r->status() == coachstream::v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA && !r->missing_data().empty()) {
        ++result.new_hires_insufficient;
      } else {
        result.misses.push_back(absl::StrCat(p.person_id, p.new_hire ? " (new hire)" : "",
                                             " below the data minimums: status ", r->status(), " ",
                                             r->focus().competency_id()));
      }
      continue;
    }
    if (p.weakness == Weakness::kNone) continue;  // A players: any upside is a fair answer
    ++result.judged;
    const std::string expected(CompetencyFor(p.weakness));
    if (r->status() == coachstream::v1::RECOMMENDATION_STATUS_RECOMMENDED &&
        r->focus().competency_id() == expected) {
      ++result.matched;
      continue;
    }
    std::string miss = absl::StrCat(p.person_id, " ", std::string(RoleName(p.role)), "/", p.segment, " (",
                                    std::string(WeaknessName(p.weakness)), "): expected ", expected, ", got ");
    if (r->status() == coachstream::v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA) {
      absl::StrAppend(&miss, "INSUFFICIENT_DATA:");
      for (const auto& m : r->missing_data()) absl::StrAppend(&miss, " ", m, ";");
    } else {
      absl::StrAppend(&miss, r->focus().competency_id(), " [", r->diagnosis_layer(), "]");
    }
    if (debug) {
      absl::StrAppend(&miss, "\n    ", r->rationale());
      auto print = [&](const char* what, const coachstream::v1::SkillCandidate& c) {
        absl::StrAppendFormat(&miss, "\n    %s %s %.0f:", what, c.competency_id(), c.bookings_gain_minor());
        for (const auto& e : c.evidence()) {
          absl::StrAppendFormat(&miss, " %s=%.3g(raw %.3g, n %d)/bench %.3g;", e.driver(), e.rep_value(),
                                e.raw_value(), e.sample_size(), e.benchmark());
        }
      };
      print("focus", r->focus());
      for (const auto& c : r->runners_up()) print("runner-up", c);
    }
    result.misses.push_back(std::move(miss));
  }
  return result;
}

TEST(FocusAccuracyTest, TopRecommendationMatchesInjectedWeaknessThroughIngestAndMetrics) {
  // The integration test's flags (--months=3, --end=today on the first of a
  // month, so the month is complete), the simulator's default (--months=4,
  // --end=2026-11-20: the month is two-thirds through), a month one day old
  // and one half through, on seven seeds.
  const std::vector<Scenario> scenarios = {
      {42, absl::CivilDay(2026, 12, 1), 3},   {7, absl::CivilDay(2026, 12, 1), 3},
      {1234, absl::CivilDay(2026, 12, 1), 3}, {99, absl::CivilDay(2026, 12, 1), 3},
      {42, absl::CivilDay(2026, 11, 20), 4},  {7, absl::CivilDay(2026, 11, 20), 4},
      {42, absl::CivilDay(2026, 12, 2), 3},   {5, absl::CivilDay(2026, 12, 1), 3},
      {2024, absl::CivilDay(2026, 10, 15), 3}, {31337, absl::CivilDay(2026, 12, 1), 4},
  };
  int judged = 0, matched = 0;
  for (const Scenario& s : scenarios) {
    const ScenarioResult r = RunScenario(s);
    const std::string label =
        absl::StrFormat("seed %d end %s months %d", s.seed, absl::FormatCivilTime(s.end), s.months);
    ASSERT_GT(r.judged, 20) << label;
    const double accuracy = static_cast<double>(r.matched) / r.judged;
    std::string misses;
    for (const std::string& m : r.misses) absl::StrAppend(&misses, "\n  miss: ", m);
    std::printf("%s: %d/%d = %.1f%%; below the data minimums with INSUFFICIENT_DATA %d/%d%s\n", label.c_str(), r.matched,
                r.judged, 100 * accuracy, r.new_hires_insufficient, r.new_hires, misses.c_str());
    std::fflush(stdout);
    EXPECT_GE(accuracy, kRequiredAccuracy) << label << misses;
    EXPECT_EQ(r.new_hires_insufficient, r.new_hires) << label;
    judged += r.judged;
    matched += r.matched;
  }
  const double overall = static_cast<double>(matched) / std::max(1, judged);
  std::printf("overall: %d/%d = %.1f%% (bar %.0f%%)\n", matched, judged, 100.0 * overall, 100 * kRequiredAccuracy);
  EXPECT_GE(overall, kRequiredAccuracy);
}

}  // namespace
}  // namespace cs::simulate
