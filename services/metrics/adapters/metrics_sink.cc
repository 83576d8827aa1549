#include "services/metrics/adapters/metrics_sink.h"

#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/log.h"
#include "services/metrics/core/keys.h"

namespace cs::metrics_service {

MetricsSink::MetricsSink(metrics::MetricsCore* core, int state_cf, const Clock& clock,
                         prometheus::Registry& registry)
    : core_(core),
      state_cf_(state_cf),
      clock_(clock),
      outcomes_(prometheus::BuildCounter()
                    .Name("coachstream_metrics_events_total")
                    .Help("Events by outcome: applied, duplicate, stale, too_old, ignored, invalid, undecodable")
                    .Register(registry)) {}

prometheus::Counter& MetricsSink::Outcome(std::string_view name) {
  auto it = outcome_children_.find(name);
  if (it == outcome_children_.end()) {
    it = outcome_children_.emplace(std::string(name), &outcomes_.Add({{"outcome", std::string(name)}})).first;
  }
  return *it->second;
}

bool MetricsSink::Decode(const kafka::Message& message, coachstream::v1::Event* event) {
  if (!message.is_null && event->ParseFromString(message.value)) return true;
  Outcome("undecodable").Increment();
  log::Warn("undecodable event skipped", {{"topic", message.topic},
                                          {"partition", message.partition},
                                          {"offset", message.offset}});
  return false;
}

absl::Status MetricsSink::Apply(const kafka::Message& message) {
  coachstream::v1::Event event;
  if (!Decode(message, &event)) return absl::OkStatus();
  auto result = core_->Apply(event);
  if (!result.ok()) return result.status();
  Outcome(metrics::ApplyResultName(*result)).Increment();
  return absl::OkStatus();
}

absl::Status MetricsSink::ApplyBatch(const std::vector<kafka::Message>& batch) {
  // The batch's events live on one arena: one release instead of a free
  // per message.
  google::protobuf::Arena arena;
  std::vector<const coachstream::v1::Event*> events;
  events.reserve(batch.size());
  for (const kafka::Message& message : batch) {
    auto* event = google::protobuf::Arena::CreateMessage<coachstream::v1::Event>(&arena);
    if (Decode(message, event)) events.push_back(event);
  }
  std::vector<metrics::ApplyResult> results;
  if (absl::Status s = core_->ApplyBatch(events, &results); !s.ok()) return s;
  std::map<metrics::ApplyResult, int64_t> counts;
  for (metrics::ApplyResult r : results) ++counts[r];
  for (const auto& [result, n] : counts) Outcome(metrics::ApplyResultName(result)).Increment(static_cast<double>(n));
  return absl::OkStatus();
}

void MetricsSink::Reset() {
  core_->ClearCache();
  last_expiry_day_ = -1;
}

absl::Status MetricsSink::Stage(kv::Batch& batch) {
  core_->TakeMutations([&](metrics::Mutation::Op op, std::string_view key, std::string_view value) {
    if (op == metrics::Mutation::Op::kPut) {
      batch.Put(state_cf_, key, value);
    } else {
      batch.Delete(state_cf_, key);
    }
  });
  // Once a day, drop dedup buckets older than the retention horizon.
  absl::CivilDay today = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  int64_t today_number = metrics::DayNumber(today);
  if (today_number != last_expiry_day_) {
    last_expiry_day_ = today_number;
    auto range = metrics::SeenExpiryRange(today - core_->options().dedup_retention_days);
    batch.DeleteRange(state_cf_, range.first, range.second);
  }
  return absl::OkStatus();
}

}  // namespace cs::metrics_service
