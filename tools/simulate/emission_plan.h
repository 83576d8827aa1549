#pragma once

// The delivery plan: which record is produced when. The HR feed goes first;
// everything else follows in event-time order except for the deliberate
// delivery nasties (a small fraction delayed by minutes, a few redelivered
// duplicates, out-of-order Salesforce/HubSpot updates). Records are encoded
// lazily from the plan, so the whole run never sits in memory as JSON.

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "tools/simulate/encode_common.h"

namespace cs::simulate {

enum class EmitKind : uint8_t {
  kPerson,
  kSfOpportunity,
  kSfLineItem,
  kHubspotBatch,
  kDial,
  kGongCall,
  kMeeting,
};

struct Emission {
  absl::Time deliver_at;
  absl::Time event_at;
  uint32_t seq = 0;        // plan order: ties break on it
  EmitKind kind = EmitKind::kPerson;
  uint8_t version = 0;     // meetings: 0 first sync, 1 change
  bool duplicate = false;  // a redelivery of an earlier emission
  bool delayed = false;    // delivered minutes late (slightly out of order)
  bool late_update = false;  // an older CRM update delivered after a newer one
  int32_t index = 0;       // person / deal / dial / conversation / meeting
  int32_t step = 0;        // deal step
};

// Fraction of records delayed by 30 s - 15 min, and redelivered.
inline constexpr double kDelayedFraction = 0.01;
inline constexpr double kDuplicateFraction = 0.004;

// In delivery order. Deterministic in (org, world).
std::vector<Emission> PlanEmissions(const Org& org, const World& world);

// The record of one emission.
SimRecord EncodeEmission(const EncodeContext& ctx, const Emission& e);

// Vendor items the ingest parser yields for the emission (a HubSpot batch
// holds several deal events), and the canonical events they can lead to at
// most (meetings count once per internal attendee).
int ObservationsOf(const EncodeContext& ctx, const Emission& e);
int CanonicalEventsAtMost(const EncodeContext& ctx, const Emission& e);

}  // namespace cs::simulate
