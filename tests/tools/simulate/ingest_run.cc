#include "tests/tools/simulate/ingest_run.h"

#include <map>
#include <memory>
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

}  // namespace cs::simulate::testing
