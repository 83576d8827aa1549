#include "services/coaching/adapters/alert_runner.h"

#include "absl/strings/str_cat.h"
#include "libs/base/log.h"
#include "libs/kafka/cloudevents.h"
#include "services/coaching/core/proto_time.h"

namespace cs::coaching_service {

AlertRunner::AlertRunner(coaching::alerts::AlertEngine& engine, kafka::Producer& producer, AlertProbe& probe,
                         AlertRunnerOptions options)
    : engine_(engine), producer_(producer), probe_(probe), options_(std::move(options)) {}

AlertRunner::~AlertRunner() { Stop(); }

void AlertRunner::Start() { thread_ = std::thread([this] { Loop(); }); }

void AlertRunner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  Publish();  // changes made by RPCs while stopping
}

void AlertRunner::MarkDirty(const std::string& tenant, const std::string& person) {
  absl::MutexLock lock(&mu_);
  auto& due = dirty_[tenant];
  if (!due.contains(person)) due[person] = absl::Now() + options_.dirty_delay;
}

void AlertRunner::OnAlertChanged(const coachstream::v1::Alert&, coaching::alerts::AlertChange) {
  absl::MutexLock lock(&mu_);
  outbox_signal_ = true;
}

bool AlertRunner::DirtyDue(absl::Time now) {
  absl::MutexLock lock(&mu_);
  for (const auto& [tenant, people] : dirty_) {
    for (const auto& [person, due] : people) {
      if (due <= now) return true;
    }
  }
  return false;
}

bool AlertRunner::MetricsReady() {
  if (!options_.metrics_ready) return true;
  const bool ready = options_.metrics_ready();
  if (!ready && !waiting_logged_) {
    log::Info("alert evaluation waits: the metrics service is catching up with coaching.events.v1");
  } else if (ready && waiting_logged_) {
    log::Info("metrics service caught up: alert evaluation resumes");
  }
  waiting_logged_ = !ready;
  return ready;
}

void AlertRunner::EvaluateDirty(absl::Time now) {
  std::map<std::string, std::vector<std::string>> due;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [tenant, people] : dirty_) {
      for (auto it = people.begin(); it != people.end();) {
        if (it->second <= now) {
          due[tenant].push_back(it->first);
          it = people.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  for (const auto& [tenant, people] : due) {
    const coaching::alerts::EvaluationSummary s = engine_.EvaluatePeople(tenant, people);
    probe_.Evaluated(s);
    if (!s.first_error.ok()) {
      log::Warn("alert evaluation", {{"tenant", tenant}, {"error", s.first_error.ToString()}});
    }
  }
}

bool AlertRunner::Publish() {
  std::erase_if(orphans_, [](const auto& b) { return b->pending() == 0; });
  absl::StatusOr<std::vector<coaching::alerts::OutboxEntry>> entries =
      engine_.PendingOutbox(options_.publish_batch);
  if (!entries.ok()) {
    log::Error("alert outbox", {{"error", entries.status().ToString()}});
    probe_.PublishFailed();
    return false;
  }
  if (entries->empty()) return true;
  auto batch = std::make_unique<kafka::DeliveryBatch>();
  std::vector<std::string> keys;
  for (const coaching::alerts::OutboxEntry& e : *entries) {
    kafka::OutRecord record;
    record.topic = options_.topic;
    record.key = e.message_key;
    record.value = e.alert.SerializeAsString();
    kafka::CloudEventAttributes ce;
    ce.id = absl::StrCat(e.alert.alert_id(), "/", e.alert.version());
    ce.source = "coachstream/coaching";
    ce.type = "io.coachstream.alert.v1";
    ce.time = absl::FormatTime("%Y-%m-%d%ET%H:%M:%E3SZ", coaching::FromTimestamp(e.alert.updated_at()),
                               absl::UTCTimeZone());
    ce.subject = e.alert.alert_id();
    ce.tenant_id = e.alert.tenant_id();
    ce.content_type = "application/x-protobuf";
    record.headers = kafka::BinaryModeHeaders(ce);
    if (absl::Status s = producer_.Produce(record, batch.get()); !s.ok()) {
      log::Warn("alert publish", {{"error", s.ToString()}});
      break;
    }
    keys.push_back(e.store_key);
  }
  absl::Status s = producer_.Await(*batch, options_.publish_timeout);
  if (s.ok() && !keys.empty()) s = engine_.MarkPublished(keys);
  if (!s.ok() || keys.size() < entries->size()) {
    if (batch->pending() > 0) orphans_.push_back(std::move(batch));
    log::Warn("alert publish", {{"error", s.ToString()}, {"entries", entries->size()}});
    probe_.PublishFailed();
    return false;
  }
  probe_.Published(static_cast<int>(keys.size()));
  return true;
}

void AlertRunner::Loop() {
  absl::Time next_full = absl::Now();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
    }
    const absl::Time now = absl::Now();
    const bool full_due = now >= next_full;
    const bool deferred = (full_due || DirtyDue(now)) && !MetricsReady();
    if (deferred) {
      if (full_due) probe_.Deferred();  // retried at the next poll
    } else {
      if (full_due) {
        const coaching::alerts::EvaluationSummary s = engine_.EvaluateAll();
        probe_.Evaluated(s);
        if (!s.first_error.ok()) log::Warn("alert evaluation", {{"error", s.first_error.ToString()}});
        if (s.opened + s.escalated + s.resolved + s.updated > 0) {
          log::Info("alerts evaluated", {{"teams", s.teams},
                                         {"opened", s.opened},
                                         {"escalated", s.escalated},
                                         {"resolved", s.resolved},
                                         {"updated", s.updated}});
        }
        next_full = now + options_.eval_interval;
      }
      EvaluateDirty(now);
    }
    bool drained = Publish();
    absl::MutexLock lock(&mu_);
    outbox_signal_ = false;
    absl::Time wake = std::min(next_full, absl::Now() + options_.publish_poll);
    for (const auto& [tenant, people] : dirty_) {
      for (const auto& [person, due] : people) wake = std::min(wake, due);
    }
    if (deferred) wake = absl::Now() + options_.publish_poll;  // ask metrics again then
    // After a failed publish only the poll interval paces the retry.
    auto woken = [this, drained] { return stop_ || (drained && outbox_signal_); };
    mu_.AwaitWithDeadline(absl::Condition(&woken), wake);
  }
}

}  // namespace cs::coaching_service
