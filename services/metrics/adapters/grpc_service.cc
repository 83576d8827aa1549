#include "services/metrics/adapters/grpc_service.h"

#include "libs/grpc/status.h"
#include "services/metrics/core/open_deals.h"

namespace cs::metrics_service {
namespace {

template <typename Resp>
grpc::Status Reply(absl::StatusOr<Resp> result, Resp* resp) {
  if (!result.ok()) return grpc_util::ToGrpcStatus(result.status());
  *resp = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status MetricsGrpcService::GetRepDrivers(grpc::ServerContext*,
                                               const coachstream::v1::GetRepDriversRequest* req,
                                               coachstream::v1::GetRepDriversResponse* resp) {
  return Reply(queries_.GetRepDrivers(*req), resp);
}

grpc::Status MetricsGrpcService::GetTeamDrivers(grpc::ServerContext*,
                                                const coachstream::v1::GetTeamDriversRequest* req,
                                                coachstream::v1::GetTeamDriversResponse* resp) {
  return Reply(queries_.GetTeamDrivers(*req), resp);
}

grpc::Status MetricsGrpcService::GetDriverHistory(grpc::ServerContext*,
                                                  const coachstream::v1::GetDriverHistoryRequest* req,
                                                  coachstream::v1::GetDriverHistoryResponse* resp) {
  return Reply(queries_.GetDriverHistory(*req), resp);
}

grpc::Status MetricsGrpcService::GetBenchmarks(grpc::ServerContext*,
                                               const coachstream::v1::GetBenchmarksRequest* req,
                                               coachstream::v1::GetBenchmarksResponse* resp) {
  return Reply(queries_.GetBenchmarks(*req), resp);
}

grpc::Status MetricsGrpcService::ListOpenDeals(grpc::ServerContext*,
                                               const coachstream::v1::ListOpenDealsRequest* req,
                                               coachstream::v1::ListOpenDealsResponse* resp) {
  return Reply(metrics::ListOpenDeals(reader_, scanner_, *req), resp);
}

}  // namespace cs::metrics_service
