#include "libs/grpc/interceptors.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include "libs/metrics/metrics_server.h"

namespace cs::grpc_util {
namespace {

const char* CodeName(::grpc::StatusCode code) {
  switch (code) {
    case ::grpc::OK: return "OK";
    case ::grpc::CANCELLED: return "CANCELLED";
    case ::grpc::UNKNOWN: return "UNKNOWN";
    case ::grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case ::grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case ::grpc::NOT_FOUND: return "NOT_FOUND";
    case ::grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case ::grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case ::grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case ::grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case ::grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case ::grpc::ABORTED: return "ABORTED";
    case ::grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case ::grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case ::grpc::INTERNAL: return "INTERNAL";
    case ::grpc::UNAVAILABLE: return "UNAVAILABLE";
    case ::grpc::DATA_LOSS: return "DATA_LOSS";
    default: return "OTHER";
  }
}

// Metric families plus a cache of children per (method, code). Methods are
// a small fixed set, so label cardinality stays low.
class RpcProbe {
 public:
  RpcProbe(prometheus::Registry& registry, std::string component)
      : component_(std::move(component)),
        requests_(prometheus::BuildCounter()
                      .Name("coachstream_grpc_requests_total")
                      .Help("gRPC requests by method and status code")
                      .Register(registry)),
        latency_(prometheus::BuildHistogram()
                     .Name("coachstream_grpc_request_duration_seconds")
                     .Help("gRPC request latency by method")
                     .Register(registry)) {}

  void Observe(const std::string& method, ::grpc::StatusCode code, double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    auto key = std::make_pair(method, static_cast<int>(code));
    auto it = counters_.find(key);
    if (it == counters_.end()) {
      it = counters_.emplace(key, &requests_.Add({{"component", component_}, {"method", method},
                                                   {"code", CodeName(code)}})).first;
    }
    it->second->Increment();
    auto hit = histograms_.find(method);
    if (hit == histograms_.end()) {
      hit = histograms_.emplace(method, &latency_.Add({{"component", component_}, {"method", method}},
                                                      metrics::LatencyBuckets())).first;
    }
    hit->second->Observe(seconds);
  }

 private:
  std::string component_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::mutex mu_;
  std::map<std::pair<std::string, int>, prometheus::Counter*> counters_;
  std::map<std::string, prometheus::Histogram*> histograms_;
};

class MetricsInterceptor : public ::grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(RpcProbe* probe, std::string method)
      : probe_(probe), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(::grpc::experimental::InterceptorBatchMethods* methods) override {
    using ::grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      ::grpc::Status status = methods->GetSendStatus();
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      probe_->Observe(method_, status.error_code(), seconds);
    }
    methods->Proceed();
  }

 private:
  RpcProbe* probe_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory : public ::grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  MetricsInterceptorFactory(prometheus::Registry& registry, const std::string& component)
      : probe_(registry, component) {}

  ::grpc::experimental::Interceptor* CreateServerInterceptor(
      ::grpc::experimental::ServerRpcInfo* info) override {
    std::string method = info->method();
    if (method.rfind("/grpc.", 0) == 0) return nullptr;  // health, reflection
    return new MetricsInterceptor(&probe_, std::move(method));
  }

 private:
  RpcProbe probe_;
};

}  // namespace

std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface> MakeMetricsInterceptor(
    prometheus::Registry& registry, const std::string& component) {
  return std::make_unique<MetricsInterceptorFactory>(registry, component);
}

}  // namespace cs::grpc_util
