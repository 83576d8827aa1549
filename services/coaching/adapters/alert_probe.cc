#include "services/coaching/adapters/alert_probe.h"

namespace cs::coaching_service {

namespace {

using coaching::alerts::AlertChange;

prometheus::Family<prometheus::Counter>& Family(prometheus::Registry& r, const std::string& name,
                                                const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}

}  // namespace

AlertProbe::AlertProbe(prometheus::Registry& r)
    : eval_ok_(Family(r, "coachstream_coaching_alert_evaluations_total", "Alert rule evaluation passes")
                   .Add({{"result", "ok"}})),
      eval_error_(Family(r, "coachstream_coaching_alert_evaluations_total", "Alert rule evaluation passes")
                      .Add({{"result", "error"}})),
      eval_deferred_(Family(r, "coachstream_coaching_alert_evaluations_total", "Alert rule evaluation passes")
                         .Add({{"result", "deferred"}})),
      team_errors_(Family(r, "coachstream_coaching_alert_team_errors_total",
                          "Teams skipped in an evaluation because the metrics service or the store failed")
                       .Add({})),
      published_(Family(r, "coachstream_coaching_alerts_published_total",
                        "Alert changes acknowledged by Kafka on coaching.alerts.v1")
                     .Add({})),
      publish_errors_(Family(r, "coachstream_coaching_alert_publish_errors_total",
                             "Outbox drains that failed (retried)")
                          .Add({})) {
  auto& opened = Family(r, "coachstream_coaching_alerts_opened_total", "Alerts opened, by rule");
  auto& escalated = Family(r, "coachstream_coaching_alerts_escalated_total", "Escalation steps, by rule");
  auto& acked = Family(r, "coachstream_coaching_alerts_acknowledged_total", "Alerts acknowledged, by rule");
  auto& resolved = Family(r, "coachstream_coaching_alerts_resolved_total", "Alerts resolved, by rule and how");
  for (std::string_view id : coaching::alerts::AllRuleIds()) {
    const std::string rule(id);
    opened_[rule] = &opened.Add({{"rule", rule}});
    escalated_[rule] = &escalated.Add({{"rule", rule}});
    acknowledged_[rule] = &acked.Add({{"rule", rule}});
    resolved_auto_[rule] = &resolved.Add({{"rule", rule}, {"how", "auto"}});
    resolved_manual_[rule] = &resolved.Add({{"rule", rule}, {"how", "manual"}});
  }
}

void AlertProbe::OnAlertChanged(const coachstream::v1::Alert& alert, AlertChange change) {
  std::map<std::string, prometheus::Counter*, std::less<>>* counters = nullptr;
  switch (change) {
    case AlertChange::kOpened:
      counters = &opened_;
      break;
    case AlertChange::kEscalated:
      counters = &escalated_;
      break;
    case AlertChange::kAcknowledged:
      counters = &acknowledged_;
      break;
    case AlertChange::kAutoResolved:
      counters = &resolved_auto_;
      break;
    case AlertChange::kResolved:
      counters = &resolved_manual_;
      break;
    case AlertChange::kUpdated:
      return;  // the same alert with new numbers: not a lifecycle step
  }
  auto it = counters->find(alert.rule_id());
  if (it != counters->end()) it->second->Increment();
}

void AlertProbe::Evaluated(const coaching::alerts::EvaluationSummary& s) {
  (s.first_error.ok() ? eval_ok_ : eval_error_).Increment();
  team_errors_.Increment(s.team_errors);
}

}  // namespace cs::coaching_service
