#pragma once

// Runs the alert engine in the service: a full evaluation of every tenant
// on a timer (time-based rules fire without new events), a prompt
// re-evaluation of the teams of reps an RPC changed (after a short delay,
// so the metrics service has consumed the session event first), and the
// outbox publisher that sends every stored change to coaching.alerts.v1
// (key "tenant/recipient_id", value coachstream.v1.Alert, CloudEvents
// headers with ce_id "<alert_id>/<version>") and deletes entries only once
// Kafka acknowledged them. One thread; Stop() joins it.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/kafka/producer.h"
#include "services/coaching/adapters/alert_probe.h"
#include "services/coaching/alerts/alert_engine.h"

namespace cs::coaching_service {

struct AlertRunnerOptions {
  // Full evaluation period (--alert_eval_interval). Default 60 s.
  absl::Duration eval_interval = absl::Seconds(60);
  // Delay before a changed rep's team is re-evaluated (--alert_dirty_delay).
  // Default 2 s.
  absl::Duration dirty_delay = absl::Seconds(2);
  // How often the outbox is checked when nothing signalled a change
  // (entries left by a failed publish or a crash). Default 1 s.
  absl::Duration publish_poll = absl::Seconds(1);
  std::string topic = "coaching.alerts.v1";
  // Wait for Kafka's acknowledgement of one outbox batch. Default 10 s.
  absl::Duration publish_timeout = absl::Seconds(10);
  size_t publish_batch = 500;
  // True when the metrics service has caught up with coaching.events.v1.
  // While it is false evaluations wait (retried every publish_poll): rules
  // judged on half-consumed history open alerts that are not true (after a
  // restart of metrics, everyone looks uncoached). Unset: always ready.
  std::function<bool()> metrics_ready;
};

class AlertRunner final : public coaching::alerts::AlertObserver {
 public:
  AlertRunner(coaching::alerts::AlertEngine& engine, kafka::Producer& producer, AlertProbe& probe,
              AlertRunnerOptions options);
  ~AlertRunner() override;

  void Start();
  // Publishes what is left in the outbox (best effort) and joins the thread.
  void Stop();
  // The rep's (or manager's) team is re-evaluated after dirty_delay.
  void MarkDirty(const std::string& tenant, const std::string& person);
  // Wakes the publisher: a change was stored.
  void OnAlertChanged(const coachstream::v1::Alert& alert, coaching::alerts::AlertChange change) override;

 private:
  void Loop();
  void EvaluateDirty(absl::Time now);
  bool DirtyDue(absl::Time now);
  // False (and the wait logged once) while metrics is catching up.
  bool MetricsReady();
  // Drains the outbox; false if something failed (retried later).
  bool Publish();

  coaching::alerts::AlertEngine& engine_;
  kafka::Producer& producer_;
  AlertProbe& probe_;
  const AlertRunnerOptions options_;
  std::thread thread_;
  absl::Mutex mu_;
  bool stop_ = false;
  bool outbox_signal_ = false;
  bool waiting_logged_ = false;  // "waiting for metrics" logged for the current wait
  // tenant -> person -> when it may be evaluated.
  std::map<std::string, std::map<std::string, absl::Time>> dirty_;
  // Batches whose Await timed out stay alive until librdkafka is done with them.
  std::vector<std::unique_ptr<kafka::DeliveryBatch>> orphans_;
};

}  // namespace cs::coaching_service
