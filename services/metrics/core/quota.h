#pragma once

// Quota of a rep for a reporting period, from the directory's Person.quotas
// (entries for months "2024-06" and/or quarters "2024-Q2"):
//  - an entry for exactly that period wins;
//  - a month without one takes its quarter's quota prorated by days;
//  - a quarter without one is the sum of its three months (each exact or
//    none: one unknown month leaves the quarter unknown);
//  - an ISO week is prorated by days from the month quota of each of its
//    days (a week across a month end takes a share of both months), rounded
//    to the nearest minor unit; unknown if any of its months is unknown.
// Currencies are not converted: amounts are taken as the tenant's currency.

#include <cstdint>
#include <optional>

#include "coachstream/v1/person.pb.h"
#include "libs/base/period.h"

namespace cs::metrics {

std::optional<int64_t> QuotaForPeriod(const coachstream::v1::Person& person, const Period& period);

}  // namespace cs::metrics
