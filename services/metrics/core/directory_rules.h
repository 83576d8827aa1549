#pragma once

// Directory rules: a PersonEvent replaces the rep's RepRecord when its
// Person.updated_at is not older than the stored one, and keeps the
// manager (mgr/) and peer-group (peer/) indexes in step. A deleted person
// keeps the record (history stays queryable) but leaves both indexes.

#include "absl/status/statusor.h"
#include "coachstream/v1/event.pb.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"

namespace cs::metrics {

absl::StatusOr<ApplyResult> ApplyPersonEvent(Ledger& ledger, const coachstream::v1::Event& event);

}  // namespace cs::metrics
