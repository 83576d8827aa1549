#pragma once

// Entry point of the parser library: RawRecord -> envelope + observations.
// No Kafka, gRPC, RocksDB or protobuf: links only Abseil and simdjson, so the
// fuzz targets link nothing else.

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/ingest/core/envelope.h"
#include "services/ingest/core/observation.h"
#include "services/ingest/core/raw_record.h"

namespace cs::ingest {

// Which ingest deployment (--source=crm|calls|calendar|org) a ce_type belongs to.
enum class SourceKind { kAny = 0, kCrm = 1, kCalls = 2, kCalendar = 3, kOrg = 4 };

std::string_view SourceKindName(SourceKind kind);  // "any", "crm", ...
std::optional<SourceKind> ParseSourceKind(std::string_view name);

struct ParseOptions {
  // Values (and the sum of header sizes) above this are too_large. Default 1 MiB.
  size_t max_payload_bytes = 1 << 20;
  // Accept only ce_types of this source; kAny accepts all. Default kAny.
  SourceKind source = SourceKind::kAny;
};

// One supported ce_type (the routing table; FORMATS.md documents it).
struct TypeRoute {
  std::string_view ce_type;
  SourceKind source;
  System system;
};
const std::vector<TypeRoute>& SupportedTypes();

struct ParsedRecord {
  Envelope envelope;
  SourceKind source = SourceKind::kAny;
  // One per vendor item (a batch or page yields several). Item-level problems
  // are Rejected/Ignored entries; the other items still count.
  std::vector<Observation> observations;
};

// Parses records. Not thread-safe (it owns a reusable JSON parser): use one
// per thread. Never throws; every failure is a status carrying a Reason
// (ReasonOf) and a message naming the header or JSON path.
class PayloadParser {
 public:
  explicit PayloadParser(ParseOptions options = {});
  ~PayloadParser();
  PayloadParser(const PayloadParser&) = delete;
  PayloadParser& operator=(const PayloadParser&) = delete;

  absl::StatusOr<ParsedRecord> Parse(const RawRecord& record);
  const ParseOptions& options() const { return options_; }

 private:
  struct Impl;
  ParseOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cs::ingest
