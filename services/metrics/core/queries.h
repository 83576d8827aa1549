#pragma once

// Read side of the metrics service: the MetricsService RPCs as pure
// functions over committed state (StateReader + StateScanner). The gRPC
// adapter maps the returned status codes one to one:
//   INVALID_ARGUMENT  a missing or malformed field (the message starts with
//                     the field name: "period: ...", "from_period: ...")
//   NOT_FOUND         an unknown rep_id or manager_id (named in the message)
//   FAILED_PRECONDITION  a subtree larger than max_subtree_people
// Other codes are storage errors. Thread-safe if the ports are.
// Peer benchmarks may be served from a cache (benchmark_cache_seconds): an
// entry is served until one TTL after its computation started reading state.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/core/options.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics {

class MetricsQueries {
 public:
  // The ports and clock must outlive this object. `options` should be the
  // ingesting core's (time zones, stalled_after_days must agree).
  MetricsQueries(const StateReader& reader, const StateScanner& scanner, const Clock& clock,
                 MetricsCoreOptions options);

  absl::StatusOr<coachstream::v1::GetRepDriversResponse> GetRepDrivers(
      const coachstream::v1::GetRepDriversRequest& request) const;
  absl::StatusOr<coachstream::v1::GetTeamDriversResponse> GetTeamDrivers(
      const coachstream::v1::GetTeamDriversRequest& request) const;
  absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> GetDriverHistory(
      const coachstream::v1::GetDriverHistoryRequest& request) const;
  absl::StatusOr<coachstream::v1::GetBenchmarksResponse> GetBenchmarks(
      const coachstream::v1::GetBenchmarksRequest& request) const;
  // The rep's open deals now, ordered by deal_id.
  absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
      const coachstream::v1::ListOpenDealsRequest& request) const;

 private:
  class Session;  // per-request caches (see queries.cc)
  struct CachedBenchmarks {
    absl::Time computed_at;  // when the computation started reading state
    std::vector<coachstream::v1::Benchmark> benchmarks;
  };
  // A fresh cached entry for `key`, if any.
  std::optional<std::vector<coachstream::v1::Benchmark>> CachedBenchmarksFor(const std::string& key) const;
  // Keeps the entry whose computation started last.
  void CacheBenchmarks(const std::string& key, absl::Time computed_at,
                       const std::vector<coachstream::v1::Benchmark>& benchmarks) const;

  const StateReader& reader_;
  const StateScanner& scanner_;
  const Clock& clock_;
  const MetricsCoreOptions options_;
  mutable std::mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, CachedBenchmarks> benchmark_cache_;  // guarded by cache_mu_
};

}  // namespace cs::metrics
