#pragma once

// Ports of the coaching core: what it needs from the outside world. The
// service's adapters implement them (MetricsSource over a MetricsService
// gRPC stub, CoachingStore over RocksDB); tests implement them in memory.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coachstream/v1/metrics_service.pb.h"

namespace cs::coaching {

// The metrics service's query API. Implementations must be thread-safe (the
// core calls them from concurrent RPCs) and return the MetricsService status
// unchanged: INVALID_ARGUMENT, NOT_FOUND for an unknown rep or manager
// (the core passes it on), UNAVAILABLE / DEADLINE_EXCEEDED when the service
// cannot be reached.
class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  virtual absl::StatusOr<coachstream::v1::GetRepDriversResponse> GetRepDrivers(
      const coachstream::v1::GetRepDriversRequest& request) = 0;
  virtual absl::StatusOr<coachstream::v1::GetTeamDriversResponse> GetTeamDrivers(
      const coachstream::v1::GetTeamDriversRequest& request) = 0;
  virtual absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> GetDriverHistory(
      const coachstream::v1::GetDriverHistoryRequest& request) = 0;
  virtual absl::StatusOr<coachstream::v1::GetBenchmarksResponse> GetBenchmarks(
      const coachstream::v1::GetBenchmarksRequest& request) = 0;
  virtual absl::StatusOr<coachstream::v1::ListOpenDealsResponse> ListOpenDeals(
      const coachstream::v1::ListOpenDealsRequest& request) = 0;
};

// One write of an atomic batch.
struct StoreWrite {
  enum class Op { kPut, kDelete };
  Op op = Op::kPut;
  std::string key;
  std::string value;  // empty for kDelete

  static StoreWrite Put(std::string key, std::string value) {
    return {Op::kPut, std::move(key), std::move(value)};
  }
  static StoreWrite Delete(std::string key) { return {Op::kDelete, std::move(key), {}}; }
  friend bool operator==(const StoreWrite&, const StoreWrite&) = default;
};

// The coaching service's own state: accepted focus per rep and month, plans,
// sessions (key layout in store_keys.h; values are opaque bytes). Must be
// thread-safe and durable once Write returns OK (RocksDB: a synced
// WriteBatch, since an RPC caller cannot replay the write).
class CoachingStore {
 public:
  virtual ~CoachingStore() = default;
  // nullopt when absent; an error only for a storage failure.
  virtual absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const = 0;
  // Applies every write or none.
  virtual absl::Status Write(const std::vector<StoreWrite>& writes) = 0;
  // Calls `fn` for every key starting with `prefix`, in ascending byte
  // order, until it returns false. The views are valid during the call only.
  virtual absl::Status Scan(
      std::string_view prefix,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn) const = 0;
};

}  // namespace cs::coaching
