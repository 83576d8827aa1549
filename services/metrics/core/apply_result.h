#pragma once

#include <string_view>

namespace cs::metrics {

// What MetricsCore::Apply did with an event (for the adapter's counters).
enum class ApplyResult {
  kApplied,    // state changed (or was confirmed) by the event
  kDuplicate,  // event_id (or call_id) already applied, or a snapshot of the version applied: nothing changed
  kStale,      // an older snapshot than the stored one: nothing changed
  kTooOld,     // a call or session older than the dedup horizon: not applied (the service dead-letters it)
  kIgnored,    // valid but carries nothing to aggregate (e.g. CHANGE_KIND_GAP)
  kInvalid,    // missing ids, time or payload: dropped
};

// Stable lower-case label: "applied", "duplicate", "stale", ...
std::string_view ApplyResultName(ApplyResult result);

}  // namespace cs::metrics
