#pragma once

// What every coachstream service does the same way: common flags (with
// COACHSTREAM_* environment overrides), JSON logging, /metrics, gRPC with
// health and reflection, and an orderly stop on SIGTERM.
//
//   main():  auto rt = Runtime::Init(argc, argv, "metrics", usage);
//            ... build components from rt.kafka_client(), rt.state_dir() ...
//            rt.StartGrpc({&service}, {"coachstream.v1.MetricsService"});
//            rt.WaitForShutdown();       // SIGTERM / SIGINT
//            ... stop workers: commit offsets, flush producer, close RocksDB ...
//            return rt.Finish();

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "libs/grpc/server.h"
#include "libs/kafka/consumer.h"
#include "libs/kafka/kafka.h"
#include "libs/metrics/metrics_server.h"

namespace cs::service {

class Runtime {
 public:
  // Parses flags, sets up logging, signal handling and /metrics. Exits with
  // status 2 and a one-line message on bad configuration.
  // `validate` checks the service's own flags before anything starts and
  // returns "" or a one-line error naming the flag.
  static Runtime Init(int argc, char** argv, const std::string& component, const char* usage,
                      const std::function<std::string()>& validate = nullptr);

  const std::string& component() const { return component_; }
  kafka::ClientOptions kafka_client() const;
  std::string state_dir() const;
  int session_timeout_ms() const;   // --session_timeout_ms  // --state_dir/<component>
  std::string tenant_default_time_zone() const;
  prometheus::Registry& registry() { return metrics_->registry(); }
  int metrics_port() const { return metrics_->port(); }

  // Starts gRPC on --grpc_address with health reporting SERVING, and each
  // of `readiness_names` NOT_SERVING until SetReady (grpc_util::Server).
  void StartGrpc(const std::vector<::grpc::Service*>& services,
                 const std::vector<std::string>& health_names,
                 const std::vector<std::string>& readiness_names = {});
  void SetReady(const std::string& name, bool ready);
  int grpc_port() const { return grpc_ ? grpc_->port() : 0; }
  void SetServing(bool serving);

  // Counts the offset resets of a consumer made from `options` (records
  // deleted by the broker before they were read: kafka::OffsetReset) in
  // coachstream_kafka_offset_resets_total{topic} and
  // coachstream_kafka_records_skipped_total{topic}, then calls the
  // options' own on_offset_reset, if any.
  void CountOffsetResets(kafka::ConsumerOptions* options);

  // Blocks until SIGTERM/SIGINT (or RequestShutdown()). Health turns NOT_SERVING.
  void WaitForShutdown();
  // Stops gRPC (grace period) and logs the exit; returns the exit code.
  int Finish();

 private:
  std::string component_;
  std::unique_ptr<metrics::MetricsServer> metrics_;
  std::unique_ptr<grpc_util::Server> grpc_;
};

// Writes "<name> <port>" lines to --ports_file (tests and the demo read the
// ports chosen with :0). No-op when the flag is empty.
void ReportPorts(const std::vector<std::pair<std::string, int>>& ports);

}  // namespace cs::service
