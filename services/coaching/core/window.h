#pragma once

// A rep's drivers over a window of months, next to the peer benchmarks of
// the same months: the input of the bookings model and of the evidence.
//
// Per driver kind (driver_catalog.h):
//  - counts are per month: the window total divided by the months elapsed
//    (the current month counts by its elapsed fraction), and so is the
//    benchmark (the monthly medians summed over the same months);
//  - rates sum numerators and denominators over the months; their benchmark
//    is the elapsed-weighted mean of the monthly peer medians, and the rep's
//    value is shrunk toward it (shrinkage.h);
//  - medians (cycle days) are the sample-weighted mean of the monthly
//    medians, shrunk with the number of deals behind them;
//  - snapshots (open pipeline) are the latest month's.
// The two derived rates (meeting_rate, opportunity_rate) divide window
// counts; their benchmark is the ratio of the count benchmarks (the metrics
// service publishes medians per driver, not the median of a quotient).
//
// Benchmarks of rates and medians come from the quarters overlapping the
// window when available: the peer median of monthly rates on small monthly
// samples is skewed (the median of Binomial(8, 0.8) / 8 is 0.875, not 0.8),
// which would make every rep look behind on high-conversion stages. A
// quarter pools three months per peer, like the rep's own window does.

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "libs/base/period.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/options.h"

namespace cs::coaching {

// One month of a rep's drivers and their peer group's benchmarks.
struct MonthData {
  Period month;
  double elapsed = 1.0;  // fraction of the month begun by now, in (0, 1]
  coachstream::v1::RepDrivers rep;
  std::vector<coachstream::v1::Benchmark> benchmarks;
};

// Peer benchmarks of a longer period (a quarter) overlapping the window.
struct PeriodBenchmarks {
  Period period;
  double weight = 0;  // elapsed months of the window that fall in it
  std::vector<coachstream::v1::Benchmark> benchmarks;
};

struct WindowData {
  std::vector<MonthData> months;                   // oldest first
  std::vector<PeriodBenchmarks> level_benchmarks;  // empty: rates use the monthly ones
};

struct WindowValue {
  double raw = 0;        // the rep's own value (counts: per month)
  double value = 0;      // after shrinkage toward the benchmark (= raw if not shrunk)
  double benchmark = 0;  // peer median (counts: per month)
  double p75 = 0;        // peer 75th percentile, same units
  double trials = 0;     // what the shrinkage weighs (calls, deals, samples)
  double prior_strength = -1;  // the peers' estimate (Benchmark.prior_strength); -1: none
  int64_t sample_size = 0;
  int32_t peers = 0;
  bool has_rep = false;        // the rep has a sample for it
  bool has_benchmark = false;  // at least one peer has
};

class DriverWindow {
 public:
  // `months` oldest first; months with elapsed <= 0, and months in which
  // the rep has no activity at all (not started yet, on leave), are left
  // out (peers are still counted from them).
  static DriverWindow Build(const WindowData& data, const RecommenderOptions& options);

  // nullptr when no month carries the driver and no peer has it.
  const WindowValue* Find(std::string_view driver) const;
  // Sum of the driver's numerators over the window (e.g. total calls).
  double Total(std::string_view driver) const;
  // Months elapsed in the window (full months count 1).
  double months_elapsed() const { return months_elapsed_; }
  // The latest month's quota, or 0 when none of the months has one.
  double monthly_quota() const { return monthly_quota_; }
  // Bookings over the window / the quota pro-rated to the elapsed time;
  // negative when there is no quota.
  double attainment() const { return attainment_; }
  // Largest peer count over the window's benchmarks.
  int32_t max_peers() const { return max_peers_; }
  // Identity from the latest month that has it.
  const coachstream::v1::RepDrivers& identity() const { return identity_; }

 private:
  void AddOutcome(const std::vector<MonthData>& months);
  void AddDrivers(const std::vector<MonthData>& months, const std::vector<PeriodBenchmarks>& pooled,
                  const RecommenderOptions& options);

  absl::flat_hash_map<std::string, WindowValue> values_;
  absl::flat_hash_map<std::string, double> totals_;
  double months_elapsed_ = 0;
  double monthly_quota_ = 0;
  double attainment_ = -1;
  int32_t max_peers_ = 0;
  coachstream::v1::RepDrivers identity_;
};

// The prior strength for `info`: the per-driver override, else the peers'
// estimate `peer_estimate` (< 0: none), else the default of its trial unit.
double PriorStrength(const DriverInfo& info, const RecommenderOptions& options, double peer_estimate = -1);

}  // namespace cs::coaching
