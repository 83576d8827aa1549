#pragma once

// The driver catalog: stable names (the coaching service's competency
// library refers to them), units, and how each is computed from one rep's
// stored parts for one period and how it combines across reps. DRIVERS.md
// documents every driver; keep the two in step.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "coachstream/v1/metrics_service.pb.h"
#include "coachstream/v1/metrics_state.pb.h"
#include "coachstream/v1/person.pb.h"

namespace cs::metrics {

// Everything a rep's drivers for one period are computed from.
struct RepPeriodInputs {
  coachstream::v1::RepPeriodAgg agg;  // all zero when the rep has no aggregate for the period
  bool has_agg = false;
  bool active = false;  // an active person, or any aggregate in the period
  coachstream::v1::Role role = coachstream::v1::ROLE_UNSPECIFIED;
  int64_t open_pipeline_minor = 0;  // at the as-of instant (period end, or now if earlier)
  int64_t open_deals = 0;           // ditto
  int64_t stalled_deals = 0;        // ditto
  // Open-deal-days of the period's elapsed days (see RepPeriodAgg
  // open_deal_day_sum_delta), from the open count at the period start and
  // the period's transitions; known unless a bucket of the period predates
  // the transition days.
  int64_t open_deal_days = 0;
  bool open_deal_days_known = true;
  std::optional<int64_t> quota_minor;
  int32_t as_of_day = 0;     // civil day number: scheduled meetings count up to this day
  int32_t elapsed_days = 0;  // days of the period that have begun by now
};

// One driver for one rep, or summed over reps.
struct DriverParts {
  double numerator = 0;
  double denominator = 0;
  int64_t sample_size = 0;
  bool benchmarkable = false;    // this rep counts as a peer for the driver
  std::vector<int32_t> samples;  // median drivers only
  // Mean drivers whose samples have a spread (0/1 outcomes of a rate, won
  // amounts, discounts): the sum of the squared samples, so that peers'
  // within-rep variance can be estimated (peer_prior.h). Median drivers
  // carry their samples instead.
  bool has_spread = false;
  double sum_squares = 0;
};

enum class Combine {
  kSum,     // counts and amounts: numerators add, denominator stays 1
  kRatio,   // numerators and denominators add
  kMedian,  // samples merge; the value is their median
};

struct DriverSpec {
  std::string_view name;
  std::string_view unit;
  Combine combine;
  DriverParts (*compute)(const RepPeriodInputs&);
};

// All drivers in a stable order (the order of every response).
std::span<const DriverSpec> Drivers();
const DriverSpec* FindDriver(std::string_view name);

// Adds one rep's parts into a rollup total.
void Accumulate(const DriverSpec& spec, const DriverParts& part, DriverParts* total);
// The API value; for kMedian the median of the merged samples.
coachstream::v1::DriverValue ToDriverValue(const DriverSpec& spec, const DriverParts& parts);

// Linear interpolation between closest ranks (R type 7, numpy's default):
// q = 0.5 is the median. 0 for an empty input.
double Quantile(std::vector<double> values, double q);

}  // namespace cs::metrics
