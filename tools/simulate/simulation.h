#pragma once

// The simulator as a library: options -> org -> activity -> delivery plan ->
// records. No Kafka: callers hand records to a RecordSink (NDJSON files, the
// Kafka producer in the binary, or a test).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/simulate/emission_plan.h"
#include "tools/simulate/options.h"
#include "tools/simulate/org_model.h"
#include "tools/simulate/record.h"
#include "tools/simulate/world.h"

namespace cs::simulate {

// Counts over the whole plan (known before anything is encoded).
struct SimTotals {
  int64_t records = 0;
  std::map<std::string, int64_t> per_topic;
  std::map<std::string, int64_t> per_vendor;
  std::map<std::string, int64_t> per_ce_type;
  int64_t duplicates = 0;    // deliberate redeliveries (identical ids)
  int64_t delayed = 0;       // delivered up to 15 minutes late
  int64_t late_updates = 0;  // older CRM updates delivered after newer ones (3 on purpose)
  int64_t gap_events = 0;    // Salesforce GAP_UPDATE
  // Vendor items the ingest parsers yield, by kind ("deal_change", "call",
  // "meeting", "person"), duplicates included.
  std::map<std::string, int64_t> observations;
  // Upper bound of canonical coachstream.v1.Events (duplicates excluded,
  // meetings once per internal attendee).
  int64_t canonical_events_at_most = 0;
};

class Simulation {
 public:
  // INVALID_ARGUMENT if `options` are out of range (ValidateOptions).
  static absl::StatusOr<std::unique_ptr<Simulation>> Create(const SimOptions& options);

  const Org& org() const { return org_; }
  const World& world() const { return world_; }
  const SimTotals& totals() const { return totals_; }
  const std::vector<Emission>& plan() const { return plan_; }

  size_t size() const { return plan_.size(); }
  // Record `i` of the delivery order (encoded on demand).
  SimRecord Record(size_t i) const;
  // Writes every record in delivery order; stops at the first sink error.
  absl::Status Emit(RecordSink& sink) const;

 private:
  Simulation() = default;
  void Count();

  Org org_;
  World world_;
  std::vector<Emission> plan_;
  SimTotals totals_;
};

}  // namespace cs::simulate
