#include "services/metrics/adapters/event_consumer.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <charconv>

#include "absl/time/clock.h"
#include "libs/base/log.h"
#include "libs/metrics/metrics_server.h"

namespace cs::metrics_service {

struct EventConsumer::Probe {
  explicit Probe(prometheus::Registry& r)
      : consumed(prometheus::BuildCounter()
                     .Name("coachstream_metrics_events_consumed_total")
                     .Help("Events consumed from coaching.events.v1")
                     .Register(r)
                     .Add({})),
        batches(prometheus::BuildCounter()
                    .Name("coachstream_metrics_batches_committed_total")
                    .Help("Batches written to RocksDB with their offsets")
                    .Register(r)
                    .Add({})),
        lag(prometheus::BuildGauge()
                .Name("coachstream_metrics_consumer_lag_messages")
                .Help("Messages behind the high watermark on assigned partitions")
                .Register(r)
                .Add({})),
        batch_seconds(prometheus::BuildHistogram()
                          .Name("coachstream_metrics_batch_duration_seconds")
                          .Help("Apply + RocksDB write time per batch")
                          .Register(r)
                          .Add({}, metrics::LatencyBuckets())) {}
  prometheus::Counter& consumed;
  prometheus::Counter& batches;
  prometheus::Gauge& lag;
  prometheus::Histogram& batch_seconds;
};

std::string EventConsumer::OffsetKey(const std::string& topic, int32_t partition) {
  return "offset/" + topic + "/" + std::to_string(partition);
}

absl::StatusOr<std::unique_ptr<EventConsumer>> EventConsumer::Create(EventConsumerOptions options,
                                                                     kv::Store* store, BatchSink* sink,
                                                                     prometheus::Registry& registry) {
  std::unique_ptr<EventConsumer> c(new EventConsumer());
  c->store_ = store;
  c->offsets_cf_ = store->Cf("offsets");
  if (c->offsets_cf_ < 0) return absl::InvalidArgumentError("state store has no \"offsets\" column family");
  c->sink_ = sink;
  c->max_batch_ = options.max_batch;
  c->poll_timeout_ = options.poll_timeout;
  c->probe_ = std::make_unique<Probe>(registry);
  EventConsumer* self = c.get();
  options.consumer.on_assign = [self](const std::vector<kafka::TopicPartition>& parts) {
    self->sink_->Reset();
    return self->StoredOffsets(parts);
  };
  options.consumer.on_revoke = [self](const std::vector<kafka::TopicPartition>&) {
    self->sink_->Reset();
  };
  auto consumer = kafka::Consumer::Create(options.consumer);
  if (!consumer.ok()) return consumer.status();
  c->consumer_ = std::move(*consumer);
  return c;
}

EventConsumer::~EventConsumer() { (void)Close(); }

std::vector<kafka::TopicPartition> EventConsumer::StoredOffsets(
    const std::vector<kafka::TopicPartition>& parts) {
  std::vector<kafka::TopicPartition> out;
  for (kafka::TopicPartition tp : parts) {
    auto v = store_->Get(offsets_cf_, OffsetKey(tp.topic, tp.partition));
    int64_t offset = kafka::TopicPartition::kOffsetBeginning;
    if (v.ok() && v->has_value()) {
      const std::string& s = **v;
      std::from_chars(s.data(), s.data() + s.size(), offset);
    }
    tp.offset = offset;
    log::Info("resuming partition", {{"topic", tp.topic}, {"partition", tp.partition}, {"offset", offset}});
    out.push_back(tp);
  }
  return out;
}

absl::Status EventConsumer::RunBatch(const std::vector<kafka::Message>& batch) {
  absl::Time start = absl::Now();
  for (const kafka::Message& m : batch) {
    if (auto s = sink_->Apply(m); !s.ok()) return s;
  }
  kv::Batch write(*store_);
  if (auto s = sink_->Stage(write); !s.ok()) return s;
  std::vector<kafka::TopicPartition> next = kafka::NextOffsets(batch);
  for (const auto& tp : next) write.Put(offsets_cf_, OffsetKey(tp.topic, tp.partition), std::to_string(tp.offset));
  if (auto s = store_->Write(write); !s.ok()) return s;
  sink_->Committed();
  probe_->consumed.Increment(static_cast<double>(batch.size()));
  probe_->batches.Increment();
  probe_->batch_seconds.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  // Informational only: RocksDB holds the offsets that matter.
  if (auto s = consumer_->Commit(next); !s.ok()) log::Debug("kafka commit", {{"error", s.ToString()}});
  return absl::OkStatus();
}

absl::Status EventConsumer::Run(const std::function<bool()>& stop) {
  while (!stop()) {
    auto batch = consumer_->Poll(max_batch_, poll_timeout_);
    if (!batch.ok()) return batch.status();
    if (!batch->empty()) {
      if (auto s = RunBatch(*batch); !s.ok()) return s;
    }
    probe_->lag.Set(static_cast<double>(consumer_->Lag()));
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::Close() {
  if (!consumer_) return absl::OkStatus();
  return consumer_->Close();
}

}  // namespace cs::metrics_service
