#pragma once

// The CloudEvents 1.0 envelope of a raw record (Kafka protocol binding):
// binary mode (ce_* headers, value = data) or structured mode (content-type
// application/cloudevents..., value = the whole event as JSON).

#include <optional>
#include <string>

#include "absl/time/time.h"

namespace cs::ingest {

enum class ContentMode { kBinary, kStructured };

struct Envelope {
  ContentMode mode = ContentMode::kBinary;
  std::string tenant_id;  // ce_tenantid / "tenantid": required, [A-Za-z0-9._:-]{1,64}
  std::string id;         // ce_id (informational: event ids are derived from the payload)
  std::string source;     // ce_source
  std::string type;       // ce_type: selects the vendor parser (FORMATS.md)
  std::string subject;    // ce_subject
  std::optional<absl::Time> time;  // ce_time: fallback event time
};

// Whether `tenant_id` is usable in keys ("tenant/rep_id").
bool IsValidTenantId(std::string_view tenant_id);

}  // namespace cs::ingest
