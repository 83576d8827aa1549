#include "libs/service/runtime.h"

#include <cstdio>
#include <fstream>

#include <prometheus/counter.h>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"

ABSL_FLAG(std::string, kafka_bootstrap, "127.0.0.1:9092",
          "Kafka bootstrap servers (devbroker's default address)");
ABSL_FLAG(std::string, kafka_properties, "",
          "Extra librdkafka properties, \"k=v,k2=v2\" (e.g. security.protocol=SASL_SSL)");
ABSL_FLAG(std::string, grpc_address, "",
          "gRPC listen address; port 0 picks a free port. Default: metrics 127.0.0.1:50052, "
          "coaching 127.0.0.1:50053 (where coachctl and the coaching service look), others port 0");
ABSL_FLAG(std::string, metrics_address, "127.0.0.1:0",
          "Prometheus /metrics listen address; port 0 picks a free port");
ABSL_FLAG(std::string, state_dir, "./state", "Directory for RocksDB state (one subdirectory per service)");
ABSL_FLAG(std::string, default_time_zone, "UTC",
          "IANA time zone for people without one in the org directory");
ABSL_FLAG(std::string, log_level, "info", "debug | info | warn | error");
ABSL_FLAG(int, session_timeout_ms, 10000,
          "Kafka consumer group session timeout; a dead member's partitions move after this");
ABSL_FLAG(std::string, ports_file, "", "Write the chosen ports here (\"grpc N\", \"metrics N\")");

namespace cs::service {

Runtime Runtime::Init(int argc, char** argv, const std::string& component, const char* usage,
                      const std::function<std::string()>& validate) {
  ParseFlagsWithEnv(argc, argv, usage);
  if (validate) {
    if (std::string error = validate(); !error.empty()) FatalConfig(error);
  }
  if (absl::GetFlag(FLAGS_session_timeout_ms) < 1000) FatalConfig("--session_timeout_ms: must be >= 1000");
  log::Level level;
  if (!log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) {
    FatalConfig("--log_level: \"" + absl::GetFlag(FLAGS_log_level) + "\" is not debug|info|warn|error");
  }
  log::Init(component, level);
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_default_time_zone), &tz)) {
    FatalConfig("--default_time_zone: unknown time zone \"" + absl::GetFlag(FLAGS_default_time_zone) + "\"");
  }
  std::map<std::string, std::string> props;
  if (!kafka::ParseProperties(absl::GetFlag(FLAGS_kafka_properties), &props)) {
    FatalConfig("--kafka_properties: expected \"key=value,...\"");
  }
  if (absl::GetFlag(FLAGS_kafka_bootstrap).empty()) FatalConfig("--kafka_bootstrap: empty");
  InstallShutdownHandlers();

  Runtime rt;
  rt.component_ = component;
  auto metrics = metrics::MetricsServer::Create(absl::GetFlag(FLAGS_metrics_address), component);
  if (!metrics.ok()) FatalConfig("--metrics_address: " + std::string(metrics.status().message()));
  rt.metrics_ = std::move(*metrics);
  log::Info("starting", {{"kafka_bootstrap", absl::GetFlag(FLAGS_kafka_bootstrap)},
                         {"state_dir", rt.state_dir()}});
  return rt;
}

kafka::ClientOptions Runtime::kafka_client() const {
  kafka::ClientOptions c;
  c.bootstrap_servers = absl::GetFlag(FLAGS_kafka_bootstrap);
  c.client_id = "coachstream-" + component_;
  kafka::ParseProperties(absl::GetFlag(FLAGS_kafka_properties), &c.properties);
  return c;
}

int Runtime::session_timeout_ms() const { return absl::GetFlag(FLAGS_session_timeout_ms); }

std::string Runtime::state_dir() const { return absl::GetFlag(FLAGS_state_dir) + "/" + component_; }

std::string Runtime::tenant_default_time_zone() const { return absl::GetFlag(FLAGS_default_time_zone); }

void Runtime::StartGrpc(const std::vector<::grpc::Service*>& services,
                        const std::vector<std::string>& health_names,
                        const std::vector<std::string>& readiness_names) {
  grpc_util::ServerOptions opts;
  opts.address = absl::GetFlag(FLAGS_grpc_address);
  if (opts.address.empty()) {
    opts.address = component_ == "metrics"    ? "127.0.0.1:50052"
                   : component_ == "coaching" ? "127.0.0.1:50053"
                                              : "127.0.0.1:0";
  }
  opts.component = component_;
  opts.services = services;
  opts.health_service_names = health_names;
  opts.readiness_names = readiness_names;
  opts.registry = &metrics_->registry();
  auto server = grpc_util::Server::Start(opts);
  if (!server.ok()) FatalConfig("--grpc_address: " + std::string(server.status().message()));
  grpc_ = std::move(*server);
  ReportPorts({{"grpc", grpc_->port()}, {"metrics", metrics_->port()}});
}

void Runtime::SetServing(bool serving) {
  if (grpc_) grpc_->SetServing(serving);
}

void Runtime::SetReady(const std::string& name, bool ready) {
  if (grpc_) grpc_->SetReady(name, ready);
}

void Runtime::WaitForShutdown() {
  cs::WaitForShutdown();
  log::Info("shutdown requested");
  SetServing(false);
}

int Runtime::Finish() {
  if (grpc_) grpc_->Shutdown(absl::Seconds(2));
  log::Info("stopped cleanly");
  return 0;
}

void Runtime::CountOffsetResets(kafka::ConsumerOptions* options) {
  auto& resets = prometheus::BuildCounter()
                     .Name("coachstream_kafka_offset_resets_total")
                     .Help("Times a consumed partition's next offset was gone from the broker (retention) and "
                           "reading resumed elsewhere (auto.offset.reset)")
                     .Register(registry());
  auto& skipped = prometheus::BuildCounter()
                      .Name("coachstream_kafka_records_skipped_total")
                      .Help("Records deleted by the broker before they were read, skipped by offset resets")
                      .Register(registry());
  options->on_offset_reset = [&resets, &skipped, own = std::move(options->on_offset_reset)](
                                 const kafka::OffsetReset& reset) {
    resets.Add({{"topic", reset.topic}}).Increment();
    skipped.Add({{"topic", reset.topic}}).Increment(static_cast<double>(reset.skipped));
    if (own) own(reset);
  };
}

void ReportPorts(const std::vector<std::pair<std::string, int>>& ports) {
  std::string path = absl::GetFlag(FLAGS_ports_file);
  if (path.empty()) return;
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    for (const auto& [name, port] : ports) out << name << " " << port << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace cs::service
