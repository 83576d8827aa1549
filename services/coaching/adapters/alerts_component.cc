#include "services/coaching/adapters/alerts_component.h"

#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "libs/base/clock.h"
#include "libs/base/status.h"

ABSL_FLAG(bool, alerts, true, "Run the accountability alert engine (rules, escalation, coaching.alerts.v1)");
ABSL_FLAG(std::string, alert_rules, "",
          "JSON file overriding alert rule defaults (services/coaching/alerts/README.md); empty = defaults");
ABSL_FLAG(absl::Duration, alert_eval_interval, absl::Seconds(60), "How often every alert rule is evaluated");
ABSL_FLAG(absl::Duration, alert_dirty_delay, absl::Seconds(2),
          "Delay before the team of a rep changed by an RPC is re-evaluated");
ABSL_FLAG(absl::Duration, alert_ack_sla, absl::ZeroDuration(),
          "If > 0, every rule's acknowledgement SLA (else the rule's own, default 48h)");
ABSL_FLAG(absl::Duration, alert_resolve_sla, absl::ZeroDuration(),
          "If > 0, every rule's resolution SLA (else the rule's own, default 168h)");
ABSL_FLAG(std::string, alerts_topic, "coaching.alerts.v1", "Topic alert changes are published to");

namespace cs::coaching_service {

namespace {

absl::StatusOr<coaching::alerts::AlertOptions> OptionsFromFlags(const std::string& default_time_zone) {
  coaching::alerts::AlertOptions options;
  options.default_time_zone = default_time_zone;
  const std::string path = absl::GetFlag(FLAGS_alert_rules);
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return absl::InvalidArgumentError(absl::StrCat("--alert_rules: cannot read ", path));
    std::stringstream text;
    text << in.rdbuf();
    if (absl::Status s = coaching::alerts::ParseAlertOptionsJson(text.str(), &options); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--alert_rules: ", path, ": ", s.message()));
    }
  }
  for (std::string_view id : coaching::alerts::AllRuleIds()) {
    coaching::alerts::RuleCommon* rule = options.MutableRule(id);
    if (absl::GetFlag(FLAGS_alert_ack_sla) > absl::ZeroDuration()) rule->ack_sla = absl::GetFlag(FLAGS_alert_ack_sla);
    if (absl::GetFlag(FLAGS_alert_resolve_sla) > absl::ZeroDuration()) {
      rule->resolve_sla = absl::GetFlag(FLAGS_alert_resolve_sla);
    }
  }
  if (absl::GetFlag(FLAGS_alert_ack_sla) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--alert_ack_sla: must be >= 0");
  }
  if (absl::GetFlag(FLAGS_alert_resolve_sla) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--alert_resolve_sla: must be >= 0");
  }
  if (absl::GetFlag(FLAGS_alert_eval_interval) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--alert_eval_interval: must be > 0");
  }
  if (absl::GetFlag(FLAGS_alert_dirty_delay) < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--alert_dirty_delay: must be >= 0");
  }
  if (absl::GetFlag(FLAGS_alerts_topic).empty()) return absl::InvalidArgumentError("--alerts_topic: empty");
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AlertsComponent>> AlertsComponent::Create(
    prometheus::Registry& registry, coaching::MetricsSource& metrics, coaching::CoachingStore& store,
    const directory::DirectoryCache& directory, kafka::Producer& producer, const std::string& default_time_zone,
    std::function<bool()> metrics_ready) {
  std::unique_ptr<AlertsComponent> c(new AlertsComponent());
  CS_ASSIGN_OR_RETURN(coaching::alerts::AlertOptions options, OptionsFromFlags(default_time_zone));
  c->enabled_ = absl::GetFlag(FLAGS_alerts);
  c->directory_ = std::make_unique<CachedOrgDirectory>(directory);
  CS_ASSIGN_OR_RETURN(c->engine_, coaching::alerts::AlertEngine::Create(std::move(options), metrics, store,
                                                                         *c->directory_, SystemClock::Get()));
  c->probe_ = std::make_unique<AlertProbe>(registry);
  c->hub_ = std::make_unique<AlertWatchHub>(*c->engine_);
  c->rpcs_ = std::make_unique<AlertRpcs>(*c->engine_, *c->hub_);
  AlertRunnerOptions runner;
  runner.eval_interval = absl::GetFlag(FLAGS_alert_eval_interval);
  runner.dirty_delay = absl::GetFlag(FLAGS_alert_dirty_delay);
  runner.topic = absl::GetFlag(FLAGS_alerts_topic);
  runner.metrics_ready = std::move(metrics_ready);
  c->runner_ = std::make_unique<AlertRunner>(*c->engine_, producer, *c->probe_, runner);
  c->engine_->AddObserver(c->probe_.get());
  c->engine_->AddObserver(c->hub_.get());
  c->engine_->AddObserver(c->runner_.get());
  return c;
}

AlertsComponent::~AlertsComponent() {
  StopWatches();
  Stop();
}

void AlertsComponent::MarkDirty(const std::string& tenant, const std::string& person) {
  if (enabled_) runner_->MarkDirty(tenant, person);
}

void AlertsComponent::Start() {
  if (enabled_) runner_->Start();
}

void AlertsComponent::StopWatches() {
  if (hub_) hub_->Shutdown();
}

void AlertsComponent::Stop() {
  if (runner_) runner_->Stop();
}

}  // namespace cs::coaching_service
