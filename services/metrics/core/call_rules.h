#pragma once

// Call rules: a call is a fact counted once (dedup by event_id and call_id
// happens before, in MetricsCore). Activity counts outbound calls (and calls
// of unknown direction); call behaviour averages every call with stats.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"

namespace cs::metrics {

absl::StatusOr<ApplyResult> ApplyCallEvent(Ledger& ledger, const coachstream::v1::Event& event,
                                           absl::Time t);

}  // namespace cs::metrics
