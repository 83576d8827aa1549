#include "tests/tools/simulate/ingest_run.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "services/ingest/core/in_memory.h"
#include "tests/tools/simulate/parsed_fixture.h"

namespace cs::simulate::testing {

namespace {

// One ingest pipeline per topic over a shared directory and state store.
class Ingest {
 public:
  explicit Ingest(const Clock& clock) : clock_(clock) {}

  absl::StatusOr<cs::ingest::RecordOutcome> Process(size_t i, const SimRecord& r, bool retried) {
    auto& pipeline = pipelines_[r.topic];
    if (!pipeline) {
      cs::ingest::ParseOptions po;
      po.source = SourceOfTopic(r.topic);
      pipeline = std::make_unique<cs::ingest::IngestPipeline>(po, cs::ingest::NormalizerOptions{}, directory_,
                                                              store_, clock_);
    }
    cs::ingest::RawRecord raw{r.topic, 0, static_cast<int64_t>(i), r.key, r.value, HeadersOf(r.ce), retried};
    absl::StatusOr<cs::ingest::RecordOutcome> out = pipeline->Process(raw);
    if (out.ok()) {
      for (const cs::ingest::ItemOutcome& item : out->items) {
        for (const auto& update : item.directory_updates) {
          if (update.tombstone) {
            directory_.Remove(update.person.tenant_id(), update.person.person_id());
          } else {
            directory_.Upsert(update.person);
          }
        }
      }
    }
    return out;
  }

 private:
  const Clock& clock_;
  cs::ingest::InMemoryDirectory directory_;
  cs::ingest::InMemoryStateStore store_;
  std::map<std::string, std::unique_ptr<cs::ingest::IngestPipeline>> pipelines_;
};

}  // namespace

void IngestEachRecord(const Simulation& sim, const Clock& clock, const IngestVisitor& visit) {
  Ingest ingest(clock);
  for (size_t i = 0; i < sim.size(); ++i) {
    const SimRecord r = sim.Record(i);
    absl::StatusOr<cs::ingest::RecordOutcome> out = ingest.Process(i, r, false);
    visit(i, r, out);
  }
}

void IngestWithDirectoryLast(const Simulation& sim, const Clock& clock, const IngestVisitor& visit) {
  Ingest ingest(clock);
  std::vector<size_t> parked;
  auto process = [&](size_t i, bool retried) {
    const SimRecord r = sim.Record(i);
    absl::StatusOr<cs::ingest::RecordOutcome> out = ingest.Process(i, r, retried);
    visit(i, r, out);
    if (out.ok() && out->HasPark()) parked.push_back(i);
  };
  for (size_t i = 0; i < sim.size(); ++i) {
    if (sim.Record(i).topic != "raw.org.v1") process(i, false);
  }
  for (size_t i = 0; i < sim.size(); ++i) {
    if (sim.Record(i).topic == "raw.org.v1") process(i, false);
  }
  // Retried in offset order, as often as one retry parks again behind
  // another (bounded: each round must shrink the set).
  while (!parked.empty()) {
    std::vector<size_t> round;
    round.swap(parked);
    for (size_t i : round) process(i, true);
    if (parked.size() >= round.size()) break;
  }
}

void IngestWithDirectoryInterleaved(const Simulation& sim, const Clock& clock, size_t every,
                                    const IngestVisitor& visit) {
  Ingest ingest(clock);
  std::map<std::string, std::set<size_t>> waiting;  // park key -> records waiting for it
  auto process = [&](size_t i, bool retried) -> std::vector<coachstream::v1::Person> {
    const SimRecord r = sim.Record(i);
    absl::StatusOr<cs::ingest::RecordOutcome> out = ingest.Process(i, r, retried);
    visit(i, r, out);
    std::vector<coachstream::v1::Person> learned;
    if (!out.ok()) return learned;
    for (const cs::ingest::ItemOutcome& item : out->items) {
      for (const std::string& k : cs::ingest::ParkKeys(out->tenant, item.WaitsFor())) waiting[k].insert(i);
      for (const auto& update : item.directory_updates) {
        if (!update.tombstone) learned.push_back(update.person);
      }
    }
    return learned;
  };
  // Retries what waits for the people just learned (and what that retry
  // teaches, transitively), in delivery order.
  auto release = [&](std::vector<coachstream::v1::Person> learned) {
    while (!learned.empty()) {
      std::set<size_t> due;
      for (const coachstream::v1::Person& p : learned) {
        for (const std::string& k : cs::ingest::ParkKeysFor(p)) {
          auto it = waiting.find(k);
          if (it == waiting.end()) continue;
          due.insert(it->second.begin(), it->second.end());
          waiting.erase(it);
        }
      }
      learned.clear();
      for (size_t i : due) {
        for (auto& p : process(i, true)) learned.push_back(std::move(p));
      }
    }
  };
  std::vector<size_t> org;
  for (size_t i = 0; i < sim.size(); ++i) {
    if (sim.Record(i).topic == "raw.org.v1") org.push_back(i);
  }
  size_t next_org = 0, others = 0;
  for (size_t i = 0; i < sim.size(); ++i) {
    if (sim.Record(i).topic == "raw.org.v1") continue;
    release(process(i, false));
    if (++others % every == 0 && next_org < org.size()) release(process(org[next_org++], false));
  }
  while (next_org < org.size()) release(process(org[next_org++], false));
}

}  // namespace cs::simulate::testing
