#include "services/metrics/adapters/metrics_sink.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/log.h"
#include "libs/base/status.h"
#include "libs/kafka/consumer.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/time_util.h"

namespace cs::metrics_service {
namespace {

// The dlq_reason of a result that leaves the event unapplied for good (so
// that it can be replayed once the cause is fixed); empty for the others.
std::string_view DeadLetterReason(metrics::ApplyResult result) {
  switch (result) {
    case metrics::ApplyResult::kInvalid: return "invalid_event";
    case metrics::ApplyResult::kTooOld: return "too_old";
    default: return {};
  }
}

// Whether `message` parses as an Event (into `event`).
bool Parse(const kafka::Message& message, coachstream::v1::Event* event) {
  return !message.is_null && event->ParseFromString(message.value);
}

}  // namespace

MetricsSink::MetricsSink(metrics::MetricsCore* core, int state_cf, const Clock& clock,
                         prometheus::Registry& registry, DeadLetterOptions dead_letters)
    : core_(core),
      state_cf_(state_cf),
      clock_(clock),
      outcomes_(prometheus::BuildCounter()
                    .Name("coachstream_metrics_events_total")
                    .Help("Events by outcome: applied, duplicate, stale, too_old, ignored, invalid, undecodable")
                    .Register(registry)),
      dead_lettered_(prometheus::BuildCounter()
                         .Name("coachstream_metrics_dead_lettered_total")
                         .Help("Records of coaching.events.v1 sent to the DLQ, by reason")
                         .Register(registry)),
      dlq_(std::move(dead_letters)) {}

prometheus::Counter& MetricsSink::Outcome(std::string_view name) {
  auto it = outcome_children_.find(name);
  if (it == outcome_children_.end()) {
    it = outcome_children_.emplace(std::string(name), &outcomes_.Add({{"outcome", std::string(name)}})).first;
  }
  return *it->second;
}

void MetricsSink::Undecodable(const kafka::Message& message) {
  Outcome("undecodable").Increment();
  DeadLetter(message, "undecodable_event",
             message.is_null ? "a tombstone, not a coachstream.v1.Event" : "the value is not a coachstream.v1.Event");
}

// A batch's events live on one arena: one release instead of a free per
// message (on the applying thread, after the batch).
struct MetricsSink::Events : BatchSink::Decoded {
  google::protobuf::Arena arena;
  std::vector<const coachstream::v1::Event*> events;  // per message; null: not an Event
};

std::unique_ptr<BatchSink::Decoded> MetricsSink::Decode(const std::vector<kafka::Message>& batch) const {
  auto decoded = std::make_unique<Events>();
  decoded->events.reserve(batch.size());
  for (const kafka::Message& message : batch) {
    auto* event = google::protobuf::Arena::CreateMessage<coachstream::v1::Event>(&decoded->arena);
    decoded->events.push_back(Parse(message, event) ? event : nullptr);
  }
  return decoded;
}

void MetricsSink::Count(metrics::ApplyResult result, const kafka::Message& message,
                        const coachstream::v1::Event& event) {
  Outcome(metrics::ApplyResultName(result)).Increment();
  const std::string_view reason = DeadLetterReason(result);
  if (reason.empty()) return;
  if (result == metrics::ApplyResult::kInvalid) {
    DeadLetter(message, reason, metrics::InvalidEventReason(event));
    return;
  }
  const int days = core_->options().dedup_retention_days;
  const absl::CivilDay day = absl::ToCivilDay(metrics::ToTime(event.occurred_at()), absl::UTCTimeZone());
  DeadLetter(message, reason,
             absl::StrCat("occurred_at ", absl::FormatCivilTime(day), " is older than the ", days,
                          "-day deduplication horizon (--dedup_retention_days): a call or session that old "
                          "cannot be told from a redelivery; raise the horizon and replay it from here"));
}

void MetricsSink::DeadLetter(const kafka::Message& message, std::string_view reason, std::string_view why) {
  log::Warn("event not applied", {{"reason", std::string(reason)},
                                  {"message", std::string(why)},
                                  {"topic", message.topic},
                                  {"partition", message.partition},
                                  {"offset", message.offset},
                                  {"dead_lettered", dlq_.producer != nullptr}});
  if (dlq_.producer == nullptr) return;
  pending_.push_back(PendingDeadLetter{message, std::string(reason), std::string(why)});
}

void MetricsSink::SendDeadLetters() {
  if (pending_.empty()) return;
  // Headers of each source partition, in one read per partition.
  std::map<std::pair<std::string, int32_t>, std::vector<int64_t>> offsets;
  for (const PendingDeadLetter& p : pending_) offsets[{p.source.topic, p.source.partition}].push_back(p.source.offset);
  std::map<std::pair<std::string, int32_t>, absl::StatusOr<std::map<int64_t, std::vector<kafka::Header>>>> headers;
  if (dlq_.headers_from) {
    const absl::Time deadline = absl::Now() + dlq_.headers_timeout;  // for the batch, not per partition
    for (const auto& [tp, offs] : offsets) {
      const absl::Duration left = deadline - absl::Now();
      headers.emplace(tp, left > absl::ZeroDuration()
                              ? kafka::ReadHeaders(*dlq_.headers_from, tp.first, tp.second, offs, left)
                              : absl::DeadlineExceededError("no time left to read the headers"));
    }
  }
  if (!delivery_) delivery_ = std::make_unique<kafka::DeliveryBatch>();
  for (PendingDeadLetter& p : pending_) {
    auto it = headers.find({p.source.topic, p.source.partition});
    if (it != headers.end() && it->second.ok()) {
      auto found = it->second->find(p.source.offset);
      if (found != it->second->end()) p.source.headers = found->second;
    } else if (it != headers.end()) {
      // Sent without them rather than held back: the value and the source
      // coordinates are what replaying it needs.
      log::Warn("dead letter without its original headers",
                {{"topic", p.source.topic}, {"partition", p.source.partition}, {"offset", p.source.offset},
                 {"error", it->second.status().ToString()}});
    }
    absl::Status sent =
        dlq_.producer->Produce(kafka::DeadLetterRecord(dlq_.topic, p.source, p.reason, p.why), delivery_.get());
    if (!sent.ok()) {
      if (produce_error_.ok()) produce_error_ = sent;  // Stage fails the batch
      continue;
    }
    ++unacknowledged_[p.reason];
  }
  pending_.clear();
}

absl::Status MetricsSink::Apply(const kafka::Message& message) {
  coachstream::v1::Event event;
  if (!Parse(message, &event)) {
    Undecodable(message);
    SendDeadLetters();
    return absl::OkStatus();
  }
  auto result = core_->Apply(event);
  if (!result.ok()) return result.status();
  Count(*result, message, event);
  SendDeadLetters();
  return absl::OkStatus();
}

absl::Status MetricsSink::ApplyBatch(const std::vector<kafka::Message>& batch, std::unique_ptr<Decoded> decoded) {
  if (decoded == nullptr) decoded = Decode(batch);
  const Events& parsed = static_cast<const Events&>(*decoded);
  std::vector<const coachstream::v1::Event*> events;
  std::vector<const kafka::Message*> sources;  // of each event
  events.reserve(batch.size());
  sources.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    if (parsed.events[i] == nullptr) {
      Undecodable(batch[i]);
    } else {
      events.push_back(parsed.events[i]);
      sources.push_back(&batch[i]);
    }
  }
  std::vector<metrics::ApplyResult> results;
  if (absl::Status s = core_->ApplyBatch(events, &results); !s.ok()) return s;
  std::map<metrics::ApplyResult, int64_t> counts;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!DeadLetterReason(results[i]).empty()) {
      Count(results[i], *sources[i], *events[i]);
    } else {
      ++counts[results[i]];
    }
  }
  for (const auto& [result, n] : counts) Outcome(metrics::ApplyResultName(result)).Increment(static_cast<double>(n));
  SendDeadLetters();
  return absl::OkStatus();
}

void MetricsSink::Reset() {
  core_->ClearCache();
  last_expiry_day_ = -1;
  pending_.clear();
  delivery_.reset();  // the batch is replayed: its dead letters are sent again (dlq.v1 is at least once)
  unacknowledged_.clear();
  produce_error_ = absl::OkStatus();
}

absl::Status MetricsSink::Stage(kv::Batch& batch) {
  // The batch's dead letters are acknowledged before its offsets are
  // written: a failure fails the batch (it is replayed, not lost).
  if (!produce_error_.ok()) return std::exchange(produce_error_, absl::OkStatus());
  if (delivery_) {
    std::unique_ptr<kafka::DeliveryBatch> delivery = std::move(delivery_);
    CS_RETURN_IF_ERROR(dlq_.producer->Await(*delivery, dlq_.ack_timeout));
    for (const auto& [reason, n] : unacknowledged_) dead_lettered_.Add({{"reason", reason}}).Increment(n);
    unacknowledged_.clear();
  }
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
    const absl::CivilDay first_kept = today - core_->options().dedup_retention_days;
    for (const auto& [begin, end] : {metrics::DedupExpiryRange(first_kept), metrics::SeenExpiryRange(first_kept)}) {
      batch.DeleteRange(state_cf_, begin, end);
    }
  }
  return absl::OkStatus();
}

}  // namespace cs::metrics_service
