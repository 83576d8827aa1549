// End to end through the ingest core (parser + normalizer with in-memory
// ports): nothing the simulator emits is dead-lettered or left unresolved,
// redeliveries collapse, and the canonical events stay within the bound the
// ground truth announces.

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "libs/base/clock.h"
#include "services/ingest/core/normalizer.h"
#include "tests/tools/simulate/ingest_run.h"
#include "tests/tools/simulate/sim_fixture.h"

namespace cs::simulate {
namespace {

using cs::ingest::OutcomeKind;

TEST(IngestPipelineTest, EveryRecordIsEmittedOrCollapsed) {
  const Simulation& sim = testing::DefaultSimulation();
  cs::ManualClock clock(sim.org().window.end);
  std::map<std::string, int64_t> outcomes;  // "emit", "skip:no_owner", ...
  int64_t events = 0, failures = 0;
  testing::IngestEachRecord(sim, clock, [&](size_t i, const SimRecord& r,
                                             absl::StatusOr<cs::ingest::RecordOutcome>& out) {
    ASSERT_TRUE(out.ok()) << out.status();
    for (const cs::ingest::ItemOutcome& item : out->items) {
      std::string key(cs::ingest::OutcomeName(item.kind));
      if (item.reason != cs::ingest::Reason::kNone) key += ":" + std::string(cs::ingest::ReasonCode(item.reason));
      ++outcomes[key];
      events += static_cast<int64_t>(item.events.size());
      const bool bad = item.kind == OutcomeKind::kDeadLetter || item.kind == OutcomeKind::kPark;
      if (bad && ++failures <= 10) {
        ADD_FAILURE() << "record " << i << " (" << r.topic << " " << r.key << ") "
                      << cs::ingest::OutcomeName(item.kind) << ": " << item.message;
      }
    }
  });
  std::cout << "ingest outcomes:";
  for (const auto& [k, n] : outcomes) std::cout << " " << k << "=" << n;
  std::cout << "; canonical events=" << events << "\n";
  EXPECT_EQ(failures, 0);
  EXPECT_LE(events, sim.totals().canonical_events_at_most);
  EXPECT_GT(events, sim.totals().canonical_events_at_most / 2);
  EXPECT_GE(outcomes["duplicate"], sim.totals().duplicates);
  for (const auto& [k, n] : outcomes) {
    if (k.starts_with("skip")) {
      EXPECT_EQ(k, "skip:no_owner") << "only HubSpot creation items before the owner are skipped";
    }
  }
}

// Events (id -> serialized) of a run that differ from `expected`'s, each
// missing, different or extra one counted (the first few reported).
int Differences(const std::map<std::string, std::string>& expected, const std::map<std::string, std::string>& actual,
                std::string_view how) {
  int differ = 0;
  for (const auto& [id, bytes] : expected) {
    auto it = actual.find(id);
    if (it == actual.end() || it->second != bytes) {
      if (++differ <= 5) ADD_FAILURE() << (it == actual.end() ? "missing " : "differs ") << how << ": " << id;
    }
  }
  for (const auto& [id, bytes] : actual) {
    if (!expected.count(id) && ++differ <= 10) ADD_FAILURE() << "only " << how << ": " << id;
  }
  return differ;
}

// The events ingest emits do not depend on when the HR feed lands: with
// the directory loaded last (every record of an unknown person parked,
// then retried in order), the same events, byte for byte, as with the
// directory loaded first. Before deal changes and meeting cancellations
// waited behind their parked record, a deal's stage moves were folded into
// one snapshot and cancelled meetings were never booked.
TEST(IngestPipelineTest, EventsDoNotDependOnWhenTheDirectoryLoads) {
  const Simulation& sim = testing::DefaultSimulation();
  cs::ManualClock clock(sim.org().window.end);
  auto collect = [](std::map<std::string, std::string>* events, int64_t* dead_letters) {
    return [events, dead_letters](size_t, const SimRecord&, absl::StatusOr<cs::ingest::RecordOutcome>& out) {
      ASSERT_TRUE(out.ok()) << out.status();
      for (const cs::ingest::ItemOutcome& item : out->items) {
        if (item.kind == OutcomeKind::kDeadLetter) ++*dead_letters;
        for (const coachstream::v1::Event& e : item.events) {
          EXPECT_TRUE(events->emplace(e.event_id(), e.SerializeAsString()).second) << "emitted twice: " << e.event_id();
        }
      }
    };
  };
  std::map<std::string, std::string> first, last;
  int64_t dead_first = 0, dead_last = 0;
  testing::IngestEachRecord(sim, clock, collect(&first, &dead_first));
  testing::IngestWithDirectoryLast(sim, clock, collect(&last, &dead_last));
  EXPECT_EQ(dead_first, 0);
  EXPECT_EQ(dead_last, 0);
  EXPECT_EQ(first.size(), last.size());
  EXPECT_EQ(Differences(first, last, "with the directory last"), 0);
  std::cout << "events with the directory first " << first.size() << ", last " << last.size() << "\n";
}

// The same with the HR feed trickling in meanwhile (one person record per
// 200 others): a meeting read while only some of its internal participants
// are known is emitted for them and, once the others are learned, again
// for everyone. The last version of every event is the one ingest emits
// with the directory loaded first. Before, the participants learned late
// lost the credit (32 events fewer on the default simulation).
TEST(IngestPipelineTest, EventsDoNotDependOnTheDirectoryTricklingIn) {
  const Simulation& sim = testing::DefaultSimulation();
  cs::ManualClock clock(sim.org().window.end);
  std::map<std::string, std::string> first, trickled;
  int64_t dead_letters = 0, reemitted = 0;
  testing::IngestEachRecord(sim, clock, [&](size_t, const SimRecord&, absl::StatusOr<cs::ingest::RecordOutcome>& out) {
    ASSERT_TRUE(out.ok()) << out.status();
    for (const cs::ingest::ItemOutcome& item : out->items) {
      for (const coachstream::v1::Event& e : item.events) first[e.event_id()] = e.SerializeAsString();
    }
  });
  testing::IngestWithDirectoryInterleaved(
      sim, clock, 200, [&](size_t, const SimRecord&, absl::StatusOr<cs::ingest::RecordOutcome>& out) {
        ASSERT_TRUE(out.ok()) << out.status();
        for (const cs::ingest::ItemOutcome& item : out->items) {
          if (item.kind == OutcomeKind::kDeadLetter) ++dead_letters;
          for (const coachstream::v1::Event& e : item.events) {
            auto [it, added] = trickled.insert_or_assign(e.event_id(), e.SerializeAsString());
            reemitted += added ? 0 : 1;
          }
        }
      });
  EXPECT_EQ(dead_letters, 0);
  EXPECT_EQ(first.size(), trickled.size());
  EXPECT_EQ(Differences(first, trickled, "with the directory trickling in"), 0);
  std::cout << "events with the directory first " << first.size() << ", trickling in " << trickled.size() << " ("
            << reemitted << " emitted again once a participant was learned)\n";
}

}  // namespace
}  // namespace cs::simulate
