#pragma once

// Feeds consumed coaching.events.v1 records to MetricsCore and stages its
// coalesced writes (one per key per batch) into the batch's RocksDB write.
// Undecodable records are counted and skipped (they cannot be replayed into
// anything better); every ApplyResult is counted by outcome.

#include <map>
#include <memory>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "coachstream/v1/event.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/adapters/event_consumer.h"
#include "services/metrics/core/metrics_core.h"

namespace cs::metrics_service {

class MetricsSink final : public BatchSink {
 public:
  MetricsSink(metrics::MetricsCore* core, int state_cf, const Clock& clock,
              prometheus::Registry& registry);

  absl::Status Apply(const kafka::Message& message) override;
  // Decodes the batch, then MetricsCore::ApplyBatch (on the core's
  // apply_threads).
  absl::Status ApplyBatch(const std::vector<kafka::Message>& batch) override;
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
  // Returns false (counted, logged) if `message` is not an Event.
  bool Decode(const kafka::Message& message, coachstream::v1::Event* event);

  metrics::MetricsCore* core_;
  int state_cf_;
  const Clock& clock_;
  prometheus::Family<prometheus::Counter>& outcomes_;
  std::map<std::string, prometheus::Counter*, std::less<>> outcome_children_;
  int64_t last_expiry_day_ = -1;
};

}  // namespace cs::metrics_service
