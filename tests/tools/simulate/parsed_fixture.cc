#include "tests/tools/simulate/parsed_fixture.h"

#include <map>
#include <memory>

#include "tests/tools/simulate/sim_fixture.h"

namespace cs::simulate::testing {

cs::ingest::SourceKind SourceOfTopic(std::string_view topic) {
  if (topic == kTopicCrm) return cs::ingest::SourceKind::kCrm;
  if (topic == kTopicCalls) return cs::ingest::SourceKind::kCalls;
  if (topic == kTopicCalendar) return cs::ingest::SourceKind::kCalendar;
  return cs::ingest::SourceKind::kOrg;
}

namespace {

ParsedRun Parse(const Simulation& sim) {
  // One parser per ingest deployment, as in production (--source=...).
  std::map<std::string, std::unique_ptr<cs::ingest::PayloadParser>> parsers;
  ParsedRun run;
  for (size_t i = 0; i < sim.size(); ++i) {
    const SimRecord r = sim.Record(i);
    auto& parser = parsers[r.topic];
    if (!parser) {
      cs::ingest::ParseOptions options;
      options.source = SourceOfTopic(r.topic);
      parser = std::make_unique<cs::ingest::PayloadParser>(options);
    }
    cs::ingest::RawRecord raw;
    raw.topic = r.topic;
    raw.partition = 0;
    raw.offset = static_cast<int64_t>(i);
    raw.key = r.key;
    raw.value = r.value;
    raw.headers = HeadersOf(r.ce);
    absl::StatusOr<cs::ingest::ParsedRecord> parsed = parser->Parse(raw);
    if (!parsed.ok()) {
      run.record_errors.push_back("record " + std::to_string(i) + " (" + r.topic + " " + r.key +
                                  "): " + parsed.status().ToString());
      run.envelopes.emplace_back();
      continue;
    }
    run.envelopes.push_back(parsed->envelope);
    for (auto& obs : parsed->observations) run.items.push_back({i, r.topic, std::move(obs)});
  }
  return run;
}

}  // namespace

const ParsedRun& DefaultParsedRun() {
  static const ParsedRun* run = new ParsedRun(Parse(DefaultSimulation()));
  return *run;
}

}  // namespace cs::simulate::testing
