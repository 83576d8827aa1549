#pragma once

// gRPC server bootstrap shared by every service: grpc.health.v1, server
// reflection, the interceptor chain (metrics; auth later), and a port that
// may be 0 (the chosen port is reported).

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cs::grpc_util {

struct ServerOptions {
  std::string address = "127.0.0.1:0";        // host:port; port 0 picks a free port
  std::string component;                      // metric label
  std::vector<::grpc::Service*> services;     // not owned; must outlive the server
  // Fully qualified names reported by grpc.health.v1 besides "" (overall),
  // e.g. "coachstream.v1.MetricsService".
  std::vector<std::string> health_service_names;
  // Names with a readiness meaning of their own (health_names.h): reported
  // NOT_SERVING from the start until SetReady(name, true).
  std::vector<std::string> readiness_names;
  prometheus::Registry* registry = nullptr;   // for request metrics; may be null
  int max_receive_message_bytes = 4 << 20;
};

class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  // Overall health ("" service) and each registered service's name.
  // Overall health turned off also turns every readiness name off.
  void SetServing(bool serving);
  // One readiness name (see ServerOptions::readiness_names). Thread-safe;
  // ignored after Shutdown.
  void SetReady(const std::string& name, bool ready);
  // Stops accepting calls; in-flight calls get until `grace` to finish.
  void Shutdown(absl::Duration grace);

 private:
  Server() = default;
  std::unique_ptr<::grpc::Server> server_;
  std::vector<std::string> service_names_;
  std::vector<std::string> readiness_names_;
  int port_ = 0;
  std::atomic<bool> shut_down_{false};
};

}  // namespace cs::grpc_util
