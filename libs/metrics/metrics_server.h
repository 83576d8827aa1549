#pragma once

// Serves GET /metrics (Prometheus text format) from one registry.
//
// Components declare their metrics once in a "probe" struct built from the
// registry (STYLE.md) and call intent-named methods at the call site, e.g.
//
//   struct IngestProbe {
//     explicit IngestProbe(prometheus::Registry& r);
//     void Ingested() { ingested_.Increment(); }
//    private:
//     prometheus::Counter& ingested_;
//   };
//
// Naming: coachstream_<component>_<what>_<unit>, _total for counters; no
// high-cardinality labels (never a rep id).

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"

namespace prometheus {
class Exposer;
}

namespace cs::metrics {

class MetricsServer {
 public:
  // `address` like "0.0.0.0:9100" or "127.0.0.1:0" (port 0 picks a free port).
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Create(const std::string& address,
                                                               const std::string& component);
  ~MetricsServer();

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }
  int port() const { return port_; }

 private:
  MetricsServer() = default;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

// Latency buckets in seconds for RPCs and batches: 100 us .. 10 s.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace cs::metrics
