// A generator of call streams with known expected aggregates: calls at
// random and at adversarial instants (just before and after local
// midnights, ISO week and year ends) for reps in several zones, then
// duplicated, re-synced under new event ids, shuffled (late and out of
// order) and cut into random batches with restarts in between. The
// expected counts come from an independent reference (strftime's %G-W%V
// ISO weeks and %Y-%m months in the rep's zone), not from the core.

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

struct Rep {
  std::string id;
  std::string zone;  // empty: no directory record, tenant default
};

struct UniqueCall {
  std::string rep;
  absl::Time at;
  bool connected;
};

// (rep, period) -> {made, connected}
using Expected = std::map<std::pair<std::string, std::string>, std::pair<int, int>>;

std::string QuarterOf(absl::CivilDay day) {
  return absl::StrCat(day.year(), "-Q", (day.month() - 1) / 3 + 1);
}

Expected Reference(const std::vector<UniqueCall>& calls, const std::map<std::string, absl::TimeZone>& zones) {
  Expected expected;
  for (const UniqueCall& c : calls) {
    const absl::TimeZone zone = zones.at(c.rep);
    const absl::CivilDay day = absl::ToCivilDay(c.at, zone);
    for (const std::string& period : {absl::FormatTime("%G-W%V", c.at, zone), absl::FormatTime("%Y-%m", c.at, zone),
                                      QuarterOf(day)}) {
      auto& [made, connected] = expected[{c.rep, period}];
      ++made;
      connected += c.connected ? 1 : 0;
    }
  }
  return expected;
}

class CallStreamTest : public ::testing::TestWithParam<int> {};

TEST_P(CallStreamTest, AggregatesMatchTheReference) {
  std::mt19937_64 rng(GetParam());
  MetricsCoreOptions options;
  options.tenant_time_zones["acme"] = "America/New_York";
  Harness h(At("2025-02-01T00:00:00"), options);
  const std::vector<Rep> reps = {{"la", "America/Los_Angeles"}, {"berlin", "Europe/Berlin"},
                                 {"tokyo", "Asia/Tokyo"},        {"utc", "UTC"},
                                 {"kolkata", "Asia/Kolkata"},    {"nodir", ""}};
  std::map<std::string, absl::TimeZone> zones;
  std::vector<coachstream::v1::Event> directory;
  for (const Rep& r : reps) {
    zones[r.id] = Zone(r.zone.empty() ? "America/New_York" : r.zone);
    if (!r.zone.empty()) {
      directory.push_back(Person(r.id, "m", coachstream::v1::ROLE_SDR, "smb", r.zone));
    }
  }
  h.Ingest(directory);

  // Unique calls: random instants over the year end, plus each rep's local
  // midnights around Sunday 2024-12-29 / Monday 2024-12-30 / 2025-01-01.
  std::vector<UniqueCall> calls;
  const absl::Time start = At("2024-12-20T00:00:00");
  for (int i = 0; i < 1500; ++i) {
    const Rep& r = reps[rng() % reps.size()];
    calls.push_back({r.id, start + absl::Seconds(static_cast<int64_t>(rng() % (24 * 86400))), rng() % 3 == 0});
  }
  for (const Rep& r : reps) {
    for (absl::CivilDay day : {absl::CivilDay(2024, 12, 30), absl::CivilDay(2025, 1, 1), absl::CivilDay(2024, 12, 1)}) {
      const absl::Time midnight = absl::FromCivil(day, zones[r.id]);
      calls.push_back({r.id, midnight - absl::Seconds(1), true});
      calls.push_back({r.id, midnight, false});
    }
  }

  std::vector<coachstream::v1::Event> stream;
  for (size_t i = 0; i < calls.size(); ++i) {
    stream.push_back(Call(absl::StrCat("ev", i), calls[i].rep, calls[i].at, calls[i].connected));
    if (rng() % 100 < 15) stream.push_back(stream.back());  // redelivered
    if (rng() % 100 < 5) {                                  // re-synced under a new event id
      coachstream::v1::Event resync = stream.back();
      resync.set_event_id(absl::StrCat("resync", i));
      stream.push_back(resync);
    }
  }
  std::shuffle(stream.begin(), stream.end(), rng);
  for (size_t begin = 0; begin < stream.size();) {
    const size_t end = std::min(stream.size(), begin + 1 + rng() % 400);
    h.Ingest(std::vector<coachstream::v1::Event>(stream.begin() + begin, stream.begin() + end));
    if (rng() % 4 == 0) h.Restart();
    begin = end;
  }

  const Expected expected = Reference(calls, zones);
  ASSERT_GT(expected.size(), 30u);
  for (const auto& [key, counts] : expected) {
    const auto& [rep, period] = key;
    auto d = h.Drivers(rep, period);
    EXPECT_EQ(d["calls_made"].value(), counts.first) << rep << " " << period;
    EXPECT_EQ(d["calls_connected"].value(), counts.second) << rep << " " << period;
    EXPECT_EQ(d["connect_rate"].denominator(), counts.first) << rep << " " << period;
  }
  // Periods nobody called in are zero, not missing.
  EXPECT_EQ(h.Value("la", "2024-W40", "calls_made"), 0);
  int applied = 0;
  for (ApplyResult r : h.results()) applied += r == ApplyResult::kApplied ? 1 : 0;
  EXPECT_EQ(applied, static_cast<int>(calls.size() + directory.size()));
}

INSTANTIATE_TEST_SUITE_P(Seeds, CallStreamTest, ::testing::Values(1, 2, 3));

TEST(ReferenceTest, StrftimeIsoWeeksAgreeWithTheKnownCalendar) {
  // Guards the reference itself: 2024-12-30 is in 2025-W01, 2021-01-03 in 2020-W53.
  EXPECT_EQ(absl::FormatTime("%G-W%V", At("2024-12-30T12:00:00"), absl::UTCTimeZone()), "2025-W01");
  EXPECT_EQ(absl::FormatTime("%G-W%V", At("2021-01-03T12:00:00"), absl::UTCTimeZone()), "2020-W53");
}

}  // namespace
}  // namespace cs::metrics::testing
