#pragma once

// The accountability alerts as one component of the coaching service: the
// AlertEngine over the service's ports, its Prometheus probe, the
// WatchAlerts hub, the alert RPCs and the runner (evaluation timer, changed
// reps, outbox publisher to coaching.alerts.v1). Configured by its own
// flags (alerts_component.cc):
//
//   --alerts                 run the alert engine (default true)
//   --alert_rules            JSON file overriding rule defaults (options.h)
//   --alert_eval_interval    full evaluation period (default 60s)
//   --alert_dirty_delay      delay before a changed rep's team is re-evaluated (2s)
//   --alert_ack_sla          if set, every rule's acknowledgement SLA
//   --alert_resolve_sla      if set, every rule's resolution SLA
//   --alerts_topic           topic of alert changes (coaching.alerts.v1)
//
// Wiring: Create, attach rpcs() to CoachingGrpcService and MarkDirty to its
// RepChanged hook, Start once the directory has caught up; on shutdown
// StopWatches before stopping gRPC, Stop after it.

#include <functional>
#include <memory>
#include <string>

#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "libs/directory/directory_cache.h"
#include "libs/kafka/producer.h"
#include "services/coaching/adapters/alert_directory.h"
#include "services/coaching/adapters/alert_probe.h"
#include "services/coaching/adapters/alert_rpcs.h"
#include "services/coaching/adapters/alert_runner.h"
#include "services/coaching/alerts/alert_engine.h"

namespace cs::coaching_service {

class AlertsComponent {
 public:
  // Reads the flags; INVALID_ARGUMENT naming the flag (or the JSON field).
  static absl::StatusOr<std::unique_ptr<AlertsComponent>> Create(prometheus::Registry& registry,
                                                                 coaching::MetricsSource& metrics,
                                                                 coaching::CoachingStore& store,
                                                                 const directory::DirectoryCache& directory,
                                                                 kafka::Producer& producer,
                                                                 const std::string& default_time_zone,
                                                                 std::function<bool()> metrics_ready = nullptr);
  ~AlertsComponent();

  bool enabled() const { return enabled_; }
  AlertRpcs& rpcs() { return *rpcs_; }
  void MarkDirty(const std::string& tenant, const std::string& person);
  void Start();
  void StopWatches();
  void Stop();

 private:
  AlertsComponent() = default;

  bool enabled_ = true;
  std::unique_ptr<CachedOrgDirectory> directory_;
  std::unique_ptr<coaching::alerts::AlertEngine> engine_;
  std::unique_ptr<AlertProbe> probe_;
  std::unique_ptr<AlertWatchHub> hub_;
  std::unique_ptr<AlertRpcs> rpcs_;
  std::unique_ptr<AlertRunner> runner_;
};

}  // namespace cs::coaching_service
