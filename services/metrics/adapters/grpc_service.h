#pragma once

// MetricsService over gRPC: validates nothing itself — the pure queries do,
// with messages naming the field — and maps absl codes one to one.

#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "services/metrics/core/ports.h"
#include "services/metrics/core/queries.h"

namespace cs::metrics_service {

class MetricsGrpcService final : public coachstream::v1::MetricsService::Service {
 public:
  MetricsGrpcService(const metrics::MetricsQueries& queries, const metrics::StateReader& reader,
                     const metrics::StateScanner& scanner)
      : queries_(queries), reader_(reader), scanner_(scanner) {}

  grpc::Status GetRepDrivers(grpc::ServerContext*, const coachstream::v1::GetRepDriversRequest* req,
                             coachstream::v1::GetRepDriversResponse* resp) override;
  grpc::Status GetTeamDrivers(grpc::ServerContext*, const coachstream::v1::GetTeamDriversRequest* req,
                              coachstream::v1::GetTeamDriversResponse* resp) override;
  grpc::Status GetDriverHistory(grpc::ServerContext*, const coachstream::v1::GetDriverHistoryRequest* req,
                                coachstream::v1::GetDriverHistoryResponse* resp) override;
  grpc::Status GetBenchmarks(grpc::ServerContext*, const coachstream::v1::GetBenchmarksRequest* req,
                             coachstream::v1::GetBenchmarksResponse* resp) override;
  grpc::Status ListOpenDeals(grpc::ServerContext*, const coachstream::v1::ListOpenDealsRequest* req,
                             coachstream::v1::ListOpenDealsResponse* resp) override;

 private:
  const metrics::MetricsQueries& queries_;
  const metrics::StateReader& reader_;
  const metrics::StateScanner& scanner_;
};

}  // namespace cs::metrics_service
