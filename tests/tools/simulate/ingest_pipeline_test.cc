// End to end through the ingest core (parser + normalizer with in-memory
// ports): nothing the simulator emits is dead-lettered or left unresolved,
// redeliveries collapse, and the canonical events stay within the bound the
// ground truth announces.

#include <iostream>
#include <map>
#include <memory>

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

}  // namespace
}  // namespace cs::simulate
