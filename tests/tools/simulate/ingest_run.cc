#include "tests/tools/simulate/ingest_run.h"

#include <map>
#include <memory>
#include <string>

#include "services/ingest/core/in_memory.h"
#include "tests/tools/simulate/parsed_fixture.h"

namespace cs::simulate::testing {

void IngestEachRecord(const Simulation& sim, const Clock& clock, const IngestVisitor& visit) {
  cs::ingest::InMemoryDirectory directory;
  cs::ingest::InMemoryStateStore store;
  std::map<std::string, std::unique_ptr<cs::ingest::IngestPipeline>> pipelines;
  for (size_t i = 0; i < sim.size(); ++i) {
    const SimRecord r = sim.Record(i);
    auto& pipeline = pipelines[r.topic];
    if (!pipeline) {
      cs::ingest::ParseOptions po;
      po.source = SourceOfTopic(r.topic);
      pipeline = std::make_unique<cs::ingest::IngestPipeline>(po, cs::ingest::NormalizerOptions{}, directory,
                                                              store, clock);
    }
    cs::ingest::RawRecord raw{r.topic, 0, static_cast<int64_t>(i), r.key, r.value, HeadersOf(r.ce)};
    absl::StatusOr<cs::ingest::RecordOutcome> out = pipeline->Process(raw);
    visit(i, r, out);
    if (!out.ok()) continue;
    for (const cs::ingest::ItemOutcome& item : out->items) {
      for (const auto& update : item.directory_updates) {
        if (update.tombstone) {
          directory.Remove(update.person.tenant_id(), update.person.person_id());
        } else {
          directory.Upsert(update.person);
        }
      }
    }
  }
}

}  // namespace cs::simulate::testing
