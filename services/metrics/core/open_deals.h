#pragma once

// ListOpenDeals: the deals a rep owns and that are open now, from the
// open-deal index (open/<tenant>/<rep>/), ordered by deal_id. For
// micro-coaching triage: stage, amount, close date and its slips, created,
// stage-entered and last-activity times (activity = linked call or
// customer meeting, stage or owner change; see DRIVERS.md).
//
// INVALID_ARGUMENT "tenant_id: ..." / "rep_id: ..." for a missing field,
// NOT_FOUND "rep_id: ..." for a rep neither in the directory nor in any
// aggregate. Thread-safe if the ports are.

#include "absl/status/statusor.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics {

absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
    const StateReader& reader, const StateScanner& scanner, const coachstream::v1::ListOpenDealsRequest& request);

}  // namespace cs::metrics
