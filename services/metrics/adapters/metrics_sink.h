#pragma once

// Feeds consumed coaching.events.v1 records to MetricsCore and stages its
// coalesced writes (one per key per batch) into the batch's RocksDB write.
// Every ApplyResult is counted by outcome. Records that are not events
// (undecodable), events the core rejects (invalid) and calls or sessions
// older than the dedup horizon (too_old) are also logged and dead-lettered
// to dlq.v1 with a reason, when a producer is given: Stage
// waits for the broker to acknowledge them, so they are written before the
// batch's offsets (and replayed with the batch if they were not).

#include <map>
#include <memory>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "coachstream/v1/event.pb.h"
#include <optional>

#include "libs/base/clock.h"
#include "libs/kafka/producer.h"
#include "services/metrics/adapters/event_consumer.h"
#include "services/metrics/core/metrics_core.h"

namespace cs::metrics_service {

// Where MetricsSink sends the records it cannot apply.
struct DeadLetterOptions {
  kafka::Producer* producer = nullptr;  // null: count and log only
  std::string topic = "dlq.v1";
  absl::Duration ack_timeout = absl::Seconds(30);
  // The consumer does not copy Kafka headers (ConsumerOptions::copy_headers):
  // a dead letter's original headers are read again from the source
  // partition with these client options (kafka::ReadHeaders). Unset: dead
  // letters go without them.
  std::optional<kafka::ClientOptions> headers_from;
  absl::Duration headers_timeout = absl::Seconds(10);  // for all of a batch's dead letters
};

class MetricsSink final : public BatchSink {
 public:
  MetricsSink(metrics::MetricsCore* core, int state_cf, const Clock& clock,
              prometheus::Registry& registry, DeadLetterOptions dead_letters = {});

  absl::Status Apply(const kafka::Message& message) override;
  // Parses the batch's events (onto one arena); records that are not an
  // Event are left for ApplyBatch to count and dead-letter in order.
  std::unique_ptr<Decoded> Decode(const std::vector<kafka::Message>& batch) const override;
  // MetricsCore::ApplyBatch (on the core's apply_threads) with the decoded
  // events.
  absl::Status ApplyBatch(const std::vector<kafka::Message>& batch, std::unique_ptr<Decoded> decoded) override;
  absl::Status Stage(kv::Batch& batch) override;
  // While the core's overlay holds every key of the last Stage. (The
  // expiry range delete of old dedup buckets is not in it, but only events
  // too old to be deduplicated, which never read those buckets, are in
  // that range.)
  bool ReadsOwnWrites() const override { return core_->last_writes_cached(); }
  // Drops the core's overlay (pending writes included) and re-arms the
  // daily dedup expiry, whose range delete may have been in a lost batch.
  void Reset() override;

 private:
  prometheus::Counter& Outcome(std::string_view name);
  struct Events;  // see Decode
  // Counts, logs and dead-letters `message`, which is not an Event.
  void Undecodable(const kafka::Message& message);
  // Counts an outcome; an invalid or too old event is also logged and
  // dead-lettered.
  void Count(metrics::ApplyResult result, const kafka::Message& message, const coachstream::v1::Event& event);
  // Logs `message` and keeps it for the DLQ (if configured) with `reason`.
  void DeadLetter(const kafka::Message& message, std::string_view reason, std::string_view why);
  // Sends the dead letters kept since the last call, each with its original
  // headers (see DeadLetterOptions::headers_from).
  void SendDeadLetters();

  metrics::MetricsCore* core_;
  int state_cf_;
  const Clock& clock_;
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Family<prometheus::Counter>& dead_lettered_;
  DeadLetterOptions dlq_;
  struct PendingDeadLetter {
    kafka::Message source;
    std::string reason;
    std::string why;
  };
  std::vector<PendingDeadLetter> pending_;          // see SendDeadLetters
  std::unique_ptr<kafka::DeliveryBatch> delivery_;  // this batch's dead letters
  absl::Status produce_error_;                      // a dead letter not even queued
  std::map<std::string, int64_t> unacknowledged_;   // this batch's dead letters by reason, counted once acknowledged
  std::map<std::string, prometheus::Counter*, std::less<>> outcome_children_;
  int64_t last_expiry_day_ = -1;
};

}  // namespace cs::metrics_service
