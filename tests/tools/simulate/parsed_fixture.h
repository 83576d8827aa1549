#pragma once

// Every record of the default simulation run through the ingest parser
// library (services/ingest/core, cs::ingest_parse), once per test binary.

#include <string>
#include <vector>

#include "services/ingest/core/payload_parser.h"
#include "tools/simulate/simulation.h"

namespace cs::simulate::testing {

struct ParsedItem {
  size_t record = 0;  // index in delivery order
  std::string topic;
  cs::ingest::Observation obs;
};

struct ParsedRun {
  std::vector<ParsedItem> items;            // in delivery order
  std::vector<std::string> record_errors;   // "record N (topic key): status"
  std::vector<cs::ingest::Envelope> envelopes;  // per record
};

const ParsedRun& DefaultParsedRun();

// The ingest deployment (--source) that reads `topic`.
cs::ingest::SourceKind SourceOfTopic(std::string_view topic);

}  // namespace cs::simulate::testing
