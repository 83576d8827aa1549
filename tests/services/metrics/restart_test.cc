// The adapter's restart semantics: state after a stream must not depend on
// how it was cut into batches or where the process restarted (the cache is
// lost, mutations of completed batches are in the store).

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

using coachstream::v1::DealStage;
using coachstream::v1::Event;

// A mixed stream over June-July 2024: calls (some on deals), deals walking
// stages forwards and backwards with wins, losses, reopens and owner
// changes, meetings rescheduled and cancelled, sessions linked to 1:1s and
// withdrawn, and directory changes (including a time zone change).
std::vector<Event> MixedStream(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> reps = {"r1", "r2", "r3", "r4"};
  std::vector<Event> out;
  out.push_back(Person("r1", "m", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb", "America/Los_Angeles"));
  out.push_back(Person("r2", "m", coachstream::v1::ROLE_SDR, "smb", "Europe/Berlin"));
  out.push_back(Person("m", "", coachstream::v1::ROLE_FRONTLINE_MANAGER, "smb", "UTC"));
  std::map<std::string, DealSpec> deals;
  absl::Time t = At("2024-06-01T00:00:00");
  for (int i = 0; i < 600; ++i) {
    t += absl::Minutes(static_cast<int64_t>(rng() % 180));
    const std::string rep = reps[rng() % reps.size()];
    const std::string id = absl::StrCat("x", i);
    const int kind = static_cast<int>(rng() % 100);
    if (kind < 45) {
      const std::string deal = deals.empty() || rng() % 2 ? "" : absl::StrCat("d", rng() % deals.size());
      Event e = Call(id, rep, t, rng() % 2 == 0, deal);
      if (rng() % 2) e.mutable_call()->mutable_stats()->set_talk_ratio((rng() % 100) / 100.0);
      out.push_back(e);
    } else if (kind < 70) {
      const std::string deal_id = absl::StrCat("d", rng() % 12);
      auto [it, fresh] = deals.try_emplace(deal_id);
      DealSpec& spec = it->second;
      if (fresh) {
        spec.deal_id = deal_id;
        spec.owner = rep;
        spec.created_at = t;
        spec.change = coachstream::v1::CHANGE_KIND_CREATED;
        spec.stage = coachstream::v1::DEAL_STAGE_PROSPECTING;
      } else {
        spec.change = coachstream::v1::CHANGE_KIND_UPDATED;
        spec.previous_stage = spec.stage;
        spec.stage = static_cast<DealStage>(1 + rng() % 7);  // any stage: forwards, backwards, close, reopen
        if (rng() % 5 == 0) {
          spec.previous_owner = spec.owner;
          spec.owner = rep;
        }
      }
      spec.amount_minor = 1000 * (1 + static_cast<int64_t>(rng() % 50));
      spec.version += 1;
      spec.close_date = absl::ToCivilDay(t, absl::UTCTimeZone()) + static_cast<int>(rng() % 60);
      out.push_back(Deal(id, t, spec));
      spec.previous_owner.clear();
      if (rng() % 10 == 0) out.push_back(Deal(absl::StrCat(id, "-old"), t - absl::Hours(1), spec));  // stale copy
    } else if (kind < 85) {
      const std::string meeting = absl::StrCat("m", rng() % 20);
      const bool one_on_one = rng() % 3 == 0;
      out.push_back(Meeting(id, rep, t, meeting,
                            one_on_one ? coachstream::v1::MEETING_KIND_ONE_ON_ONE : coachstream::v1::MEETING_KIND_CUSTOMER,
                            rng() % 4 == 0 ? coachstream::v1::MEETING_STATUS_CANCELLED
                                           : coachstream::v1::MEETING_STATUS_SCHEDULED,
                            t + absl::Hours(static_cast<int64_t>(rng() % 200)), absl::Minutes(30), t));
    } else if (kind < 97) {
      const std::string session = absl::StrCat("s", rng() % 10);
      const std::string link = rng() % 2 ? absl::StrCat("m", rng() % 20) : "";
      out.push_back(Session(id, rep, t, session,
                            rng() % 2 ? coachstream::v1::SESSION_KIND_MICRO_COACHING
                                      : coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE,
                            static_cast<int>(10 + rng() % 50), link, rng() % 6 == 0));
    } else {
      out.push_back(Person(rep, "m", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb",
                           rng() % 2 ? "Asia/Tokyo" : "America/New_York", t));
    }
    if (rng() % 12 == 0) out.push_back(out.back());  // redelivery
  }
  return out;
}

TEST(RestartTest, SameStateWhateverTheBatchesAndRestarts) {
  const std::vector<Event> stream = MixedStream(7);
  const absl::Time now = At("2024-08-15T00:00:00");

  Harness one_batch(now);
  one_batch.Ingest(stream);

  Harness halves(now);
  const auto middle = stream.begin() + static_cast<std::ptrdiff_t>(stream.size() / 2);
  halves.Ingest(std::vector<Event>(stream.begin(), middle));
  halves.Restart();
  halves.Ingest(std::vector<Event>(middle, stream.end()));

  Harness per_event(now);
  per_event.IngestEach(stream);

  MetricsCoreOptions no_cache_options;
  no_cache_options.max_cached_entries = 0;  // every batch starts cold
  Harness no_cache(now, no_cache_options);
  for (size_t i = 0; i < stream.size(); i += 7) {
    no_cache.Ingest(std::vector<Event>(stream.begin() + static_cast<std::ptrdiff_t>(i),
                                       stream.begin() + static_cast<std::ptrdiff_t>(std::min(i + 7, stream.size()))));
  }

  ASSERT_GT(one_batch.store().data().size(), 100u);
  EXPECT_TRUE(one_batch.store().data() == halves.store().data());
  EXPECT_TRUE(one_batch.store().data() == per_event.store().data());
  EXPECT_TRUE(one_batch.store().data() == no_cache.store().data());
  EXPECT_EQ(one_batch.results(), halves.results());
  EXPECT_EQ(one_batch.results(), per_event.results());

  // And the answers agree, for a sanity check on the comparison itself.
  for (const char* period : {"2024-06", "2024-07", "2024-W26", "2024-Q3"}) {
    for (const char* rep : {"r1", "r2", "r3", "r4"}) {
      auto a = one_batch.Drivers(rep, period);
      auto b = halves.Drivers(rep, period);
      for (const auto& [name, value] : a) {
        EXPECT_EQ(value.numerator(), b[name].numerator()) << rep << " " << period << " " << name;
        EXPECT_EQ(value.denominator(), b[name].denominator()) << rep << " " << period << " " << name;
      }
    }
  }
}

TEST(RestartTest, ReplayingCommittedEventsChangesNothing) {
  // At-least-once delivery after a crash: the tail of the stream is
  // consumed again on top of state that already holds it.
  const std::vector<Event> stream = MixedStream(11);
  Harness h(At("2024-08-15T00:00:00"));
  h.Ingest(stream);
  const auto before = h.store().data();
  h.Restart();
  h.Ingest(std::vector<Event>(stream.begin() + static_cast<std::ptrdiff_t>(stream.size() / 3), stream.end()));
  EXPECT_TRUE(before == h.store().data());
}

TEST(RestartTest, SanityTheStreamMovesMostDrivers) {
  Harness h(At("2024-08-15T00:00:00"));
  h.Ingest(MixedStream(7));
  int non_zero = 0;
  for (const char* rep : {"r1", "r2", "r3", "r4"}) {
    for (const auto& [name, value] : h.Drivers(rep, "2024-Q2")) non_zero += value.numerator() != 0 ? 1 : 0;
    for (const auto& [name, value] : h.Drivers(rep, "2024-Q3")) non_zero += value.numerator() != 0 ? 1 : 0;
  }
  EXPECT_GT(non_zero, 60);
}

}  // namespace
}  // namespace cs::metrics::testing
