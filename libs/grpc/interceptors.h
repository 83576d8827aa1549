#pragma once

// Server interceptors shared by every gRPC service. Cross-cutting concerns
// live here, not in handlers: per-method request counts and latency today;
// authentication and management-subtree authorization are added as one more
// factory in this chain.

#include <memory>

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/registry.h>

namespace cs::grpc_util {

// Counts coachstream_grpc_requests_total{component,method,code} and observes
// coachstream_grpc_request_duration_seconds{component,method}.
std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface> MakeMetricsInterceptor(
    prometheus::Registry& registry, const std::string& component);

}  // namespace cs::grpc_util
