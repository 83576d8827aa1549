#pragma once

// Prometheus metrics of the accountability alerts, declared once (STYLE.md
// "probe"): changes by rule, evaluations, publishing. Labels are the rule
// id and the kind of change: a handful of values each.
//
//   coachstream_coaching_alerts_opened_total{rule}
//   coachstream_coaching_alerts_escalated_total{rule}
//   coachstream_coaching_alerts_acknowledged_total{rule}
//   coachstream_coaching_alerts_resolved_total{rule, how="auto"|"manual"}
//   coachstream_coaching_alert_evaluations_total{result="ok"|"error"|"deferred"}
//   coachstream_coaching_alert_team_errors_total
//   coachstream_coaching_alerts_published_total
//   coachstream_coaching_alert_publish_errors_total

#include <map>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "services/coaching/alerts/alert_engine.h"

namespace cs::coaching_service {

class AlertProbe final : public coaching::alerts::AlertObserver {
 public:
  explicit AlertProbe(prometheus::Registry& registry);

  void OnAlertChanged(const coachstream::v1::Alert& alert, coaching::alerts::AlertChange change) override;
  void Evaluated(const coaching::alerts::EvaluationSummary& summary);
  // An evaluation put off because the metrics service is still catching up.
  void Deferred() { eval_deferred_.Increment(); }
  void Published(int n) { published_.Increment(n); }
  void PublishFailed() { publish_errors_.Increment(); }

 private:
  // rule id -> counter, for each kind of change.
  std::map<std::string, prometheus::Counter*, std::less<>> opened_, escalated_, acknowledged_, resolved_auto_,
      resolved_manual_;
  prometheus::Counter& eval_ok_;
  prometheus::Counter& eval_error_;
  prometheus::Counter& eval_deferred_;
  prometheus::Counter& team_errors_;
  prometheus::Counter& published_;
  prometheus::Counter& publish_errors_;
};

}  // namespace cs::coaching_service
