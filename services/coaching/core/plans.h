#pragma once

// Validation and normalisation of a coaching plan from CreatePlan.
//
// A plan is for one rep and month and one competency (the month's focus).
// Objectives are tracked against competencies: each names a target driver
// that measures its competency, a target value and a deadline period.
// current_value, progress and last_reviewed_at are computed by the service;
// values sent in the request are ignored (a client may send back a plan it
// read). Defaults: activities from the competency, an objective's
// competency_id from the plan, its deadline_period the plan's month, ids
// "obj-1", "obj-2", ... The caller adds the default objective (the plan
// template's target) when the plan has none, since that needs metrics.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "services/coaching/core/competency_library.h"
#include "services/coaching/core/options.h"

namespace cs::coaching {

// INVALID_ARGUMENT naming the field ("plan.objectives[1].target_driver: ...").
absl::StatusOr<coachstream::v1::CoachingPlan> NormalizePlan(const coachstream::v1::CoachingPlan& plan,
                                                            const CompetencyLibrary& library,
                                                            const ObjectiveOptions& options);

// Assigns ids to objectives without one ("obj-<n>", unique in the plan).
void AssignObjectiveIds(coachstream::v1::CoachingPlan* plan);

}  // namespace cs::coaching
