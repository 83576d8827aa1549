// Simulator -> ingest core -> metrics core -> the metrics service's own
// drivers and peer benchmarks (in-memory ports, no Kafka). Each rep's
// injected weakness must show in the driver the coaching service will read,
// against the benchmark of the rep's peers, and each manager's coaching
// habit in coaching_minutes: the whole chain the coaching tests rely on.

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "libs/base/clock.h"
#include "services/ingest/core/normalizer.h"
#include "services/metrics/core/metrics_core.h"
#include "services/metrics/core/queries.h"
#include "tests/tools/simulate/ingest_run.h"
#include "tests/services/metrics/test_support.h"
#include "tests/tools/simulate/sim_fixture.h"

namespace cs::simulate {
namespace {

// The metrics core's in-memory state from its own unit tests.
using MemoryState = cs::metrics::testing::MemoryStore;

// The canonical events of the default run, in ingest order.
std::vector<coachstream::v1::Event> Ingest(const Simulation& sim, const Clock& clock) {
  std::vector<coachstream::v1::Event> events;
  testing::IngestEachRecord(sim, clock, [&](size_t, const SimRecord&,
                                             absl::StatusOr<cs::ingest::RecordOutcome>& out) {
    if (!out.ok()) return;
    for (auto& item : out->items) {
      for (auto& e : item.events) events.push_back(std::move(e));
    }
  });
  return events;
}

class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Simulation& sim = testing::DefaultSimulation();
    clock_ = new ManualClock(sim.org().window.end);
    state_ = new MemoryState();
    auto core = cs::metrics::MetricsCore::Create(cs::metrics::MetricsCoreOptions{}, *state_, *clock_);
    ASSERT_TRUE(core.ok());
    std::map<std::string, int64_t> results;
    const std::vector<coachstream::v1::Event> events = Ingest(sim, *clock_);
    for (size_t i = 0; i < events.size(); ++i) {
      absl::StatusOr<cs::metrics::ApplyResult> r = (*core)->Apply(events[i]);
      ASSERT_TRUE(r.ok()) << r.status();
      const char* kind = events[i].has_deal() ? "deal" : events[i].has_call() ? "call"
                         : events[i].has_meeting() ? "meeting" : "person";
      ++results[std::string(cs::metrics::ApplyResultName(*r)) + "/" + kind];
      if (i % 2000 == 1999 || i + 1 == events.size()) state_->Write((*core)->TakeMutations());
    }
    std::cout << "metrics apply results:";
    for (const auto& [k, n] : results) std::cout << " " << k << "=" << n;
    std::cout << "\n";
    queries_ = new cs::metrics::MetricsQueries(*state_, *state_, *clock_, cs::metrics::MetricsCoreOptions{});
  }

  // `driver` of `rep` for `period`: the DriverValue's value.
  static double Value(const Person& rep, std::string_view driver, const std::string& period) {
    const coachstream::v1::DriverValue* d = Find(rep, driver, period);
    return d ? d->value() : 0;
  }

  // `driver` over July-October 2026 (2026-Q3 + 2026-10): numerators and
  // denominators add; a median is the sample-weighted mean of the two.
  static double Window(const Person& rep, std::string_view driver) {
    double num = 0, den = 0, weighted = 0, samples = 0;
    for (const char* period : {"2026-Q3", "2026-10"}) {
      const coachstream::v1::DriverValue* d = Find(rep, driver, period);
      if (d == nullptr) continue;
      num += d->numerator();
      den += d->denominator();
      weighted += d->value() * d->sample_size();
      samples += d->sample_size();
    }
    if (driver == "median_cycle_days") return samples > 0 ? weighted / samples : 0;
    return den > 0 ? num / den : 0;
  }

  static const coachstream::v1::DriverValue* Find(const Person& rep, std::string_view driver,
                                                  const std::string& period) {
    auto& cached = (*cache_)[rep.person_id + "/" + period];
    if (cached.rep().rep_id().empty()) {
      coachstream::v1::GetRepDriversRequest req;
      req.set_tenant_id("acme");
      req.set_rep_id(rep.person_id);
      req.set_period(period);
      auto resp = queries_->GetRepDrivers(req);
      EXPECT_TRUE(resp.ok()) << resp.status();
      if (!resp.ok()) return nullptr;
      cached = *resp;
    }
    for (const auto& d : cached.rep().drivers()) {
      if (d.driver() == driver) return &d;
    }
    ADD_FAILURE() << "no driver " << driver;
    return nullptr;
  }

  // The median of `f` over `rep`'s peers (same role and segment, not new
  // hires), the rep excluded: in a peer group of four a weak rep would
  // otherwise pull its own benchmark down.
  template <typename F>
  static double PeerMedian(const Person& rep, F f) {
    const Org& org = testing::DefaultSimulation().org();
    std::vector<double> values;
    for (int i : org.Reps()) {
      const Person& p = org.people[i];
      if (p.index == rep.index || p.new_hire || p.role != rep.role || p.segment != rep.segment) continue;
      values.push_back(f(p));
    }
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
  }

  // The metrics service's own benchmarks for the rep's peer group.
  static coachstream::v1::GetBenchmarksResponse Benchmarks(const Person& rep, const std::string& period) {
    coachstream::v1::GetBenchmarksRequest req;
    req.set_tenant_id("acme");
    req.set_role(rep.role == Role::kSdr ? coachstream::v1::ROLE_SDR : coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
    req.set_segment(rep.segment);
    req.set_period(period);
    auto resp = queries_->GetBenchmarks(req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    return resp.ok() ? *resp : coachstream::v1::GetBenchmarksResponse();
  }

  static ManualClock* clock_;
  static MemoryState* state_;
  static cs::metrics::MetricsQueries* queries_;
  static std::map<std::string, coachstream::v1::GetRepDriversResponse>* cache_;
};

ManualClock* EndToEndTest::clock_ = nullptr;

struct EndToEndAccess : EndToEndTest {
  using EndToEndTest::PeerMedian;
  using EndToEndTest::Window;
};
MemoryState* EndToEndTest::state_ = nullptr;
cs::metrics::MetricsQueries* EndToEndTest::queries_ = nullptr;
std::map<std::string, coachstream::v1::GetRepDriversResponse>* EndToEndTest::cache_ =
    new std::map<std::string, coachstream::v1::GetRepDriversResponse>();

// The driver over July-October against the same for the rep's peers.
struct Check {
  const Person& p;
  double Of(std::string_view d) const { return EndToEndAccess::Window(p, d); }
  double Peers(std::string_view d) const {
    return EndToEndAccess::PeerMedian(p, [&](const Person& q) { return EndToEndAccess::Window(q, d); });
  }
  // numerator driver / denominator driver, for the rep and its peers.
  double Per(std::string_view a, std::string_view b) const {
    return Of(b) > 0 ? Of(a) / Of(b) : 0;
  }
  double PeersPer(std::string_view a, std::string_view b) const {
    return EndToEndAccess::PeerMedian(p, [&](const Person& q) {
      const double den = EndToEndAccess::Window(q, b);
      return den > 0 ? EndToEndAccess::Window(q, a) / den : 0;
    });
  }
};

void ExpectWeaknessInDrivers(const Person& p) {
  const Check c{p};
  const bool ae = p.role == Role::kAccountExecutive;
  switch (p.weakness) {
    case Weakness::kNone: break;
    case Weakness::kLowActivity: EXPECT_LT(c.Of("calls_made"), 0.6 * c.Peers("calls_made")); break;
    case Weakness::kPoorConnectRate: EXPECT_LT(c.Of("connect_rate"), 0.6 * c.Peers("connect_rate")); break;
    case Weakness::kWeakDiscovery:
      if (ae) {
        EXPECT_LT(c.Of("opportunities_created"), 0.6 * c.Peers("opportunities_created"));
      } else {  // meetings booked per connected call
        EXPECT_LT(c.Per("meetings_booked", "calls_connected"),
                  0.6 * c.PeersPer("meetings_booked", "calls_connected"));
      }
      break;
    case Weakness::kPoorClosing: EXPECT_LT(c.Of("win_rate_count"), 0.6 * c.Peers("win_rate_count")); break;
    case Weakness::kHeavyDiscounting:
      if (p.crm == CrmSystem::kSalesforce) {
        EXPECT_GT(c.Of("avg_discount"), 1500);
      } else {
        EXPECT_LT(c.Of("avg_won_deal_size"), 0.8 * c.Peers("avg_won_deal_size"));
      }
      break;
    case Weakness::kLongCycles: {
      // Two velocity signals, or one unmistakable one (a few enterprise
      // wins in four months make any single signal noisy).
      const double cycle = c.Of("median_cycle_days") / std::max(1.0, c.Peers("median_cycle_days"));
      const double slips = c.Per("close_date_slips", "opportunities_created") /
                           std::max(0.01, c.PeersPer("close_date_slips", "opportunities_created"));
      const int signals = (cycle > 1.4) + (slips > 2) + (c.Of("stalled_deals") > 2 * c.Peers("stalled_deals"));
      EXPECT_TRUE(signals >= 2 || cycle > 1.7 || slips > 3) << "cycle " << c.Of("median_cycle_days") << "/" << c.Peers("median_cycle_days")
                            << " slips/opp " << c.Per("close_date_slips", "opportunities_created") << "/"
                            << c.PeersPer("close_date_slips", "opportunities_created") << " stalled "
                            << c.Of("stalled_deals") << "/" << c.Peers("stalled_deals");
      break;
    }
    case Weakness::kTalksTooMuch:
      EXPECT_GT(c.Of("talk_ratio"), 0.68);
      EXPECT_LT(c.Of("question_rate"), 0.6 * c.Peers("question_rate"));
      break;
  }
}

TEST_F(EndToEndTest, WeaknessesShowInMetricsDrivers) {
  const Org& org = testing::DefaultSimulation().org();
  for (int i : org.Reps()) {
    const Person& p = org.people[i];
    if (p.new_hire || p.weakness == Weakness::kNone) continue;
    SCOPED_TRACE(p.person_id + " " + std::string(WeaknessName(p.weakness)) + " " + p.segment);
    ExpectWeaknessInDrivers(p);
  }
}

TEST_F(EndToEndTest, EveryPeerGroupHasBenchmarks) {
  const Org& org = testing::DefaultSimulation().org();
  for (int i : org.Reps()) {
    const Person& p = org.people[i];
    const auto b = Benchmarks(p, "2026-Q3");
    int with_peers = 0;
    for (const auto& bench : b.benchmarks()) with_peers += bench.peers() >= 3;
    EXPECT_GE(with_peers, 10) << p.person_id << " " << p.segment;
  }
}

TEST_F(EndToEndTest, CoachingHabitsShowInCoachingMinutes) {
  const Org& org = testing::DefaultSimulation().org();
  // One month's total (1:1s and micro-coaching) moves more than a window's mean.
  testing::HabitBounds bounds;
  bounds.barely_max = 60;
  bounds.moderate_min = 30;
  testing::ExpectMinutesFollowHabits(org, bounds,
                                     [&](const Person& p) { return Value(p, "coaching_minutes", "2026-10"); });
}

// expected_cycle_days' exposure: every day a deal was open to its owner,
// from the CRM's created date to the close (or today), July-October 2026
// in the owner's zone; and its closes.
TEST_F(EndToEndTest, OpenDealDaysMatchTheCrm) {
  const Simulation& sim = testing::DefaultSimulation();
  const Org& org = sim.org();
  std::map<int, int64_t> days_expected, closes_expected;
  for (const Deal& d : sim.world().deals) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(org.people[d.owner].time_zone, &zone)) zone = absl::UTCTimeZone();
    const absl::CivilDay first(2026, 7, 1);
    const absl::CivilDay end = std::min(absl::CivilDay(2026, 11, 1), absl::ToCivilDay(clock_->Now(), zone) + 1);
    absl::CivilDay opened = absl::ToCivilDay(d.created_at, zone);
    absl::CivilDay closed = end;
    for (const DealStep& st : d.steps) {
      if (st.kind != DealStepKind::kClose || st.at >= clock_->Now()) continue;
      closed = absl::ToCivilDay(st.at, zone);
      if (closed >= first && closed < end) ++closes_expected[d.owner];
    }
    if (d.created_at >= clock_->Now()) continue;
    days_expected[d.owner] += std::max<int64_t>(0, std::min(closed, end) - std::max(opened, first));
  }
  int64_t total = 0, reps_with_closes = 0;
  for (int r : org.Reps()) {
    const Person& p = org.people[r];
    SCOPED_TRACE(p.person_id);
    double numerator = 0, closes = 0;
    for (const char* period : {"2026-Q3", "2026-10"}) {
      if (const auto* v = Find(p, "expected_cycle_days", period)) {
        numerator += v->numerator();
        closes += v->denominator();
      }
    }
    EXPECT_EQ(std::llround(numerator / std::log(2.0)), days_expected[r]);
    EXPECT_EQ(closes, closes_expected[r]);
    total += days_expected[r];
    reps_with_closes += closes > 0;
  }
  std::cout << "open-deal-days of the reps, July-October 2026: " << total << " (" << reps_with_closes
            << " reps with closes)\n";
  EXPECT_GT(total, 1000);
  EXPECT_GT(reps_with_closes, 10);
}

// Customer meetings held, per rep, exactly as the simulated calendars hold
// them: every internal invitee is credited, except who declined, and a
// cancelled meeting counts for no one. The cancellations and declines reach
// metrics as later versions of the same meeting with the same start time.
// First meetings likewise: each rep's earliest held meeting with each
// account. (The simulated calendars never deliver a rescheduled first
// meeting's replacement before its cancellation; metrics' unit tests,
// RescheduledFirstMeetingStaysFirst, cover both orders.)
TEST_F(EndToEndTest, HeldMeetingsMatchTheCalendars) {
  const Simulation& sim = testing::DefaultSimulation();
  const Org& org = sim.org();
  auto in_window = [&](int person, absl::Time t) {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(org.people[person].time_zone, &zone)) zone = absl::UTCTimeZone();
    const absl::CivilMonth month(absl::ToCivilDay(t, zone));
    return month >= absl::CivilMonth(2026, 7) && month <= absl::CivilMonth(2026, 10);
  };
  std::map<int, int64_t> held_expected, first_expected;
  // Each person's first meeting with each account: the earliest they held
  // (no simulated calendar links a meeting to a deal).
  std::map<std::pair<int, int>, const Meeting*> first;
  for (const Meeting& m : sim.world().meetings) {
    if (m.kind != MeetingKind::kCustomer || m.cancelled || m.start >= clock_->Now()) continue;
    for (int person : m.internal) {
      if (m.declined_by == person) continue;
      if (in_window(person, m.start)) ++held_expected[person];
      const Meeting*& f = first[{person, m.account}];
      if (f == nullptr || m.start < f->start || (m.start == f->start && m.id < f->id)) f = &m;
    }
  }
  for (const auto& [key, m] : first) {
    if (in_window(key.first, m->start)) ++first_expected[key.first];
  }
  int64_t held_total = 0, held_total_expected = 0, first_total = 0, first_total_expected = 0;
  for (int r : org.Reps()) {
    const Person& p = org.people[r];
    SCOPED_TRACE(p.person_id);
    const int64_t held = static_cast<int64_t>(Value(p, "customer_meetings_held", "2026-Q3") +
                                              Value(p, "customer_meetings_held", "2026-10"));
    const int64_t firsts = static_cast<int64_t>(Value(p, "first_meetings_held", "2026-Q3") +
                                                Value(p, "first_meetings_held", "2026-10"));
    EXPECT_EQ(held, held_expected[r]);
    EXPECT_EQ(firsts, first_expected[r]);
    held_total += held;
    held_total_expected += held_expected[r];
    first_total += firsts;
    first_total_expected += first_expected[r];
  }
  std::cout << "reps' customer meetings held, July-October 2026: " << held_total << " (calendars: "
            << held_total_expected << "), first meetings with an account: " << first_total << " (calendars: "
            << first_total_expected << ")\n";
  EXPECT_GT(held_total, 100);
  EXPECT_GT(first_total, 50);
}

}  // namespace
}  // namespace cs::simulate
