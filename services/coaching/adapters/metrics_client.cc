#include "services/coaching/adapters/metrics_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "libs/grpc/health_names.h"
#include "libs/grpc/status.h"

namespace cs::coaching_service {

using namespace coachstream::v1;

GrpcMetricsSource::GrpcMetricsSource(std::shared_ptr<::grpc::Channel> channel, absl::Duration deadline)
    : stub_(MetricsService::NewStub(std::move(channel))), deadline_(deadline) {}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> GrpcMetricsSource::Call(const char* name, Method method, const Request& request) {
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(deadline_)));
  Response response;
  ::grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  if (status.ok()) return response;
  absl::Status s = grpc_util::FromGrpcStatus(status);
  // Transport failures name the call; the metrics service's own answers
  // (INVALID_ARGUMENT, NOT_FOUND) already name the field and pass through.
  if (absl::IsUnavailable(s) || absl::IsDeadlineExceeded(s)) {
    return absl::Status(s.code(), absl::StrCat("metrics service ", name, ": ", s.message()));
  }
  return s;
}

absl::StatusOr<GetRepDriversResponse> GrpcMetricsSource::GetRepDrivers(const GetRepDriversRequest& r) {
  return Call<GetRepDriversRequest, GetRepDriversResponse>("GetRepDrivers", &MetricsService::Stub::GetRepDrivers,
                                                           r);
}
absl::StatusOr<GetTeamDriversResponse> GrpcMetricsSource::GetTeamDrivers(const GetTeamDriversRequest& r) {
  return Call<GetTeamDriversRequest, GetTeamDriversResponse>("GetTeamDrivers",
                                                             &MetricsService::Stub::GetTeamDrivers, r);
}
absl::StatusOr<GetDriverHistoryResponse> GrpcMetricsSource::GetDriverHistory(const GetDriverHistoryRequest& r) {
  return Call<GetDriverHistoryRequest, GetDriverHistoryResponse>("GetDriverHistory",
                                                                 &MetricsService::Stub::GetDriverHistory, r);
}
absl::StatusOr<GetBenchmarksResponse> GrpcMetricsSource::GetBenchmarks(const GetBenchmarksRequest& r) {
  return Call<GetBenchmarksRequest, GetBenchmarksResponse>("GetBenchmarks", &MetricsService::Stub::GetBenchmarks,
                                                           r);
}
absl::StatusOr<ListOpenDealsResponse> GrpcMetricsSource::ListOpenDeals(const ListOpenDealsRequest& r) {
  return Call<ListOpenDealsRequest, ListOpenDealsResponse>("ListOpenDeals", &MetricsService::Stub::ListOpenDeals,
                                                           r);
}

GrpcMetricsReadiness::GrpcMetricsReadiness(std::shared_ptr<::grpc::Channel> channel, absl::Duration deadline)
    : stub_(::grpc::health::v1::Health::NewStub(std::move(channel))), deadline_(deadline) {}

bool GrpcMetricsReadiness::CaughtUp() {
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(deadline_)));
  ::grpc::health::v1::HealthCheckRequest request;
  request.set_service(grpc_util::kMetricsCaughtUp);
  ::grpc::health::v1::HealthCheckResponse response;
  const ::grpc::Status status = stub_->Check(&context, request, &response);
  if (status.error_code() == ::grpc::StatusCode::NOT_FOUND) return true;
  return status.ok() && response.status() == ::grpc::health::v1::HealthCheckResponse::SERVING;
}

}  // namespace cs::coaching_service
