#pragma once

// MetricsSource over a MetricsService gRPC channel: the coaching core's view
// of the metrics service. Every call carries a deadline; gRPC statuses come
// back as absl statuses with the same code and message, so NOT_FOUND for an
// unknown rep reaches the coaching caller unchanged and an unreachable
// metrics service is UNAVAILABLE naming the call.

#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/coaching/core/ports.h"

namespace cs::coaching_service {

class GrpcMetricsSource final : public coaching::MetricsSource {
 public:
  GrpcMetricsSource(std::shared_ptr<::grpc::Channel> channel, absl::Duration deadline);

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

 private:
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(const char* name, Method method, const Request& request);

  std::unique_ptr<coachstream::v1::MetricsService::Stub> stub_;
  absl::Duration deadline_;
};

// Whether the metrics service has caught up with coaching.events.v1
// (grpc.health.v1 Check of grpc_util::kMetricsCaughtUp). A metrics service
// that does not report that name (NOT_FOUND: an older version) counts as
// caught up; one that cannot be reached does not.
class GrpcMetricsReadiness {
 public:
  GrpcMetricsReadiness(std::shared_ptr<::grpc::Channel> channel, absl::Duration deadline);
  bool CaughtUp();

 private:
  std::unique_ptr<::grpc::health::v1::Health::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace cs::coaching_service
