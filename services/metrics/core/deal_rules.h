#pragma once

// Deal rules: how DealEvent snapshots move the pipeline, conversion and
// outcome drivers. The rules (see DRIVERS.md, "Deal lifecycle"):
//  - Snapshots are full; one applies only if (source_version, occurred_at)
//    is greater than the stored one, so replays and out-of-order
//    snapshots change nothing. Ingest gives every new snapshot of a deal a
//    strictly greater source_version, so an equal version is the same
//    snapshot (e.g. the owner hand-off copy).
//  - Credits go to the owner after the change, at the event time, in that
//    owner's zone; history stays with whoever earned it.
//  - A close (won/lost) is recorded with its rep and day, so a reopen, a
//    won<->lost flip or a delete reverses exactly that credit.
//  - Stage conversion is a flow: a deal's first exit from a stage decides it
//    (forward = converted, lost = not); backward moves count as neither.

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"

namespace cs::metrics {

// Applies `event` (payload deal) that happened at `t`.
absl::StatusOr<ApplyResult> ApplyDealEvent(Ledger& ledger, const coachstream::v1::Event& event,
                                           absl::Time t);

// Activity linked to a deal at `t` (a call, a customer meeting): restarts
// its stall clock. Unknown, closed or deleted deals are left alone. In the
// parallel phase (ledger.h) it is deferred to the serial one.
absl::Status RecordDealActivity(Ledger& ledger, std::string_view tenant, std::string_view deal_id,
                                absl::Time t);

}  // namespace cs::metrics
