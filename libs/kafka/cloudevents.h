#pragma once

// CloudEvents 1.0 Kafka protocol binding, binary content mode: each context
// attribute becomes a "ce_<name>" header and the value is the data as-is.
// (Parsing either mode lives with the ingest parsers, which need JSON.)

#include <string>
#include <vector>

#include "libs/kafka/kafka.h"

namespace cs::kafka {

struct CloudEventAttributes {
  std::string id;                  // required
  std::string source;              // required, URI-reference
  std::string type;                // required
  std::string time;                // RFC 3339, optional
  std::string subject;             // optional
  std::string tenant_id;           // extension "tenantid"
  std::string content_type = "application/json";
};

// Headers for a binary-mode record (ce_specversion "1.0" included).
std::vector<Header> BinaryModeHeaders(const CloudEventAttributes& attrs);

}  // namespace cs::kafka
