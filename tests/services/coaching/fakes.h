#pragma once

// In-memory implementations of the coaching core's ports for tests.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "services/coaching/core/ports.h"

namespace cs::coaching::testing {

// A sorted map behind a mutex. `fail_writes` makes Write fail (UNAVAILABLE).
class InMemoryCoachingStore : public CoachingStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override;
  absl::Status Write(const std::vector<StoreWrite>& writes) override;
  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const override;

  size_t size() const;
  int writes() const;
  bool fail_writes = false;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> data_;
  int writes_ = 0;
};

// Serves RepDrivers set per (rep, period). Benchmarks are computed like the
// metrics service does: per (role, segment, period), the median and p75 of
// every rep's value (rates only over reps with a denominator). Team queries
// walk manager_id links (reps' and the extra managers set with SetManager).
class FakeMetricsSource : public MetricsSource {
 public:
  void SetRep(const std::string& period, coachstream::v1::RepDrivers rep);
  void SetManager(const std::string& person, const std::string& manager);
  void SetOpenDeals(const std::string& rep, std::vector<coachstream::v1::OpenDeal> deals);
  // Makes every call fail with `status` (OK to stop).
  void FailWith(absl::Status status) { fail_ = std::move(status); }

  absl::StatusOr<coachstream::v1::GetRepDriversResponse> GetRepDrivers(
      const coachstream::v1::GetRepDriversRequest& request) override;
  absl::StatusOr<coachstream::v1::GetTeamDriversResponse> GetTeamDrivers(
      const coachstream::v1::GetTeamDriversRequest& request) override;
  absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> GetDriverHistory(
      const coachstream::v1::GetDriverHistoryRequest& request) override;
  absl::StatusOr<coachstream::v1::GetBenchmarksResponse> GetBenchmarks(
      const coachstream::v1::GetBenchmarksRequest& request) override;
  absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
      const coachstream::v1::ListOpenDealsRequest& request) override;

  int calls() const { return calls_; }

 private:
  std::vector<coachstream::v1::Benchmark> Benchmarks(coachstream::v1::Role role, const std::string& segment,
                                                     const std::string& period) const;
  bool InSubtree(const std::string& person, const std::string& manager) const;
  // Every rep's drivers for a month, or summed over the months of a quarter.
  const std::map<std::string, coachstream::v1::RepDrivers>& RepsIn(const std::string& period) const;
  std::map<std::string, coachstream::v1::RepDrivers> Aggregate(const std::string& period) const;
  std::string ManagerOf(const std::string& person) const;

  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, coachstream::v1::RepDrivers> reps_;  // (period, rep)
  // Derived from reps_ on demand; cleared by SetRep.
  mutable std::map<std::string, std::map<std::string, coachstream::v1::RepDrivers>> period_cache_;
  mutable std::map<std::tuple<int, std::string, std::string>, std::vector<coachstream::v1::Benchmark>>
      benchmark_cache_;
  std::map<std::string, std::string> managers_;
  std::map<std::string, std::vector<coachstream::v1::OpenDeal>> deals_;
  absl::Status fail_;
  int calls_ = 0;
};

// Linear interpolation between closest ranks (numpy's default), as the
// metrics service computes its medians.
double Quantile(std::vector<double> values, double q);

// Builders for hand-written fixtures.
coachstream::v1::DriverValue Count(const std::string& driver, double value);
coachstream::v1::DriverValue Rate(const std::string& driver, double numerator, double denominator,
                                  int64_t sample_size = -1);

}  // namespace cs::coaching::testing
