#pragma once

// Assembles RepPeriodInputs (drivers.h) for a rep from committed state:
// the period's aggregate, the running sums of the period-end snapshot
// deltas (open pipeline, open deals, stalled deals) up to each period end,
// the rep's open-deal index for stalls still in progress, and the quota.

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/metrics_state.pb.h"
#include "libs/base/period.h"
#include "services/metrics/core/drivers.h"
#include "services/metrics/core/options.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics {

// The zone a rep's events are bucketed in: a loadable `person_zone`, else
// the tenant's default (options are assumed validated).
absl::TimeZone ResolveZone(const MetricsCoreOptions& options, std::string_view tenant,
                           const std::string& person_zone);

// The rep's directory record, or nullopt.
absl::StatusOr<std::optional<coachstream::v1::RepRecord>> LoadRepRecord(const StateReader& reader,
                                                                        std::string_view tenant,
                                                                        std::string_view person_id);
// True if the rep has any aggregate (known from events only, no record yet).
absl::StatusOr<bool> HasAnyAggregate(const StateScanner& scanner, std::string_view tenant,
                                     std::string_view rep);

// Inputs for every period from `from` to `to` inclusive (same kind,
// from <= to), as of `now`. `record` may be null (unknown to the directory).
absl::StatusOr<std::vector<RepPeriodInputs>> LoadRepInputs(const StateScanner& scanner,
                                                           const MetricsCoreOptions& options,
                                                           absl::Time now, std::string_view tenant,
                                                           std::string_view rep,
                                                           const coachstream::v1::RepRecord* record,
                                                           const Period& from, const Period& to);

}  // namespace cs::metrics
