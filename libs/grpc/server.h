#pragma once

// gRPC server bootstrap shared by every service: grpc.health.v1, server
// reflection, the interceptor chain (metrics; auth later), and a port that
// may be 0 (the chosen port is reported).

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
  prometheus::Registry* registry = nullptr;   // for request metrics; may be null
  int max_receive_message_bytes = 4 << 20;
};

class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  // Overall health ("" service) and each registered service's name.
  void SetServing(bool serving);
  // Stops accepting calls; in-flight calls get until `grace` to finish.
  void Shutdown(absl::Duration grace);

 private:
  Server() = default;
  std::unique_ptr<::grpc::Server> server_;
  std::vector<std::string> service_names_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace cs::grpc_util
