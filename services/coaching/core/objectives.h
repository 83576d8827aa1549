#pragma once

// Objective progress, computed from the metrics, never typed in:
//
//   MET        the driver has reached the target (a cap on a lower-is-better
//              count, such as close-date slips, is met only once the period
//              is over without exceeding it);
//   ON_TRACK   not yet met, but at least where a straight line from the
//              start to the target would be at the elapsed fraction of the
//              deadline period. Counts start from zero (a pro-rata share of
//              the target); rates and averages start from their value in the
//              period before (the baseline), or must already be at the
//              target when there is no baseline;
//   OFF_TRACK  behind that line, or the period is over and the target not met;
//   NO_DATA    no value, or a rate/average on fewer samples than the
//              minimum for its trial unit (ObjectiveOptions).

#include <optional>
#include <string_view>

#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/options.h"

namespace cs::coaching {

// The value of `driver` in one period's RepDrivers; derived drivers
// (meeting_rate, opportunity_rate) are computed from their counts.
std::optional<coachstream::v1::DriverValue> PeriodDriverValue(const coachstream::v1::RepDrivers& rep,
                                                              std::string_view driver);

struct ObjectiveInputs {
  std::optional<coachstream::v1::DriverValue> current;   // over the deadline period
  std::optional<coachstream::v1::DriverValue> baseline;  // over the period before it
  double elapsed = 0;                                    // of the deadline period, [0, 1]
};

struct ObjectiveStatus {
  coachstream::v1::ObjectiveProgress progress = coachstream::v1::OBJECTIVE_PROGRESS_NO_DATA;
  double current_value = 0;
};

ObjectiveStatus EvaluateObjective(const DriverInfo& info, double target, const ObjectiveInputs& in,
                                  const ObjectiveOptions& options);

}  // namespace cs::coaching
