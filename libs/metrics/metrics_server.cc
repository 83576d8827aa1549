#include "libs/metrics/metrics_server.h"

#include <prometheus/exposer.h>

#include "libs/base/log.h"

namespace cs::metrics {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Create(const std::string& address,
                                                                     const std::string& component) {
  std::unique_ptr<MetricsServer> s(new MetricsServer());
  s->registry_ = std::make_shared<prometheus::Registry>();
  try {
    s->exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError("metrics address " + address + ": " + e.what());
  }
  s->exposer_->RegisterCollectable(s->registry_);
  auto ports = s->exposer_->GetListeningPorts();
  s->port_ = ports.empty() ? 0 : ports.front();
  prometheus::BuildGauge()
      .Name("coachstream_build_info")
      .Help("Always 1; labels name the component")
      .Register(*s->registry_)
      .Add({{"component", component}})
      .Set(1);
  log::Info("metrics listening", {{"port", s->port_}});
  return s;
}

MetricsServer::~MetricsServer() = default;

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};
  return kBuckets;
}

}  // namespace cs::metrics
