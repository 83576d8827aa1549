#include "services/metrics/adapters/event_consumer.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <algorithm>
#include <charconv>
#include <future>

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
  if (options.max_batch < 1) return absl::InvalidArgumentError("max_batch: must be >= 1");
  std::unique_ptr<EventConsumer> c(new EventConsumer());
  c->store_ = store;
  c->offsets_cf_ = store->Cf("offsets");
  if (c->offsets_cf_ < 0) return absl::InvalidArgumentError("state store has no \"offsets\" column family");
  c->sink_ = sink;
  c->max_batch_ = options.max_batch;
  c->max_batch_delay_ = options.max_batch_delay;
  c->poll_timeout_ = options.poll_timeout;
  c->probe_ = std::make_unique<Probe>(registry);
  c->on_caught_up_ = std::move(options.on_caught_up);
  EventConsumer* self = c.get();
  // Both run inside Poll, on the consuming thread. The batch in flight is
  // applied and written first: the sink is not touched while it applies,
  // its offsets must be read back, and its failure stops Run.
  options.consumer.on_assign = [self](const std::vector<kafka::TopicPartition>& parts) {
    self->FinishInRebalance();
    self->sink_->Reset();
    return self->StoredOffsets(parts);
  };
  options.consumer.on_revoke = [self](const std::vector<kafka::TopicPartition>&) {
    self->FinishInRebalance();
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
    const std::string key = OffsetKey(tp.topic, tp.partition);
    auto v = store_->Get(offsets_cf_, key);
    int64_t offset = kafka::TopicPartition::kOffsetBeginning;
    if (!v.ok()) {
      // Cannot be returned from a rebalance callback: Run stops before the
      // next batch is applied (starting from the beginning would only be
      // slow, but not knowing where we are is a storage failure).
      if (assign_error_.ok()) assign_error_ = v.status();
    } else if (v->has_value()) {
      const std::string& s = **v;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), offset);
      if (ec != std::errc() || end != s.data() + s.size() || offset < 0) {
        if (assign_error_.ok()) assign_error_ = absl::DataLossError("stored offset \"" + key + "\" is \"" + s + "\"");
      }
    }
    tp.offset = offset;
    log::Info("resuming partition", {{"topic", tp.topic}, {"partition", tp.partition}, {"offset", offset}});
    out.push_back(tp);
  }
  return out;
}

absl::Status EventConsumer::Fill(const std::function<bool()>& stop, std::vector<kafka::Message>* batch) {
  // After the first event, wait this long for more before calling the
  // stream idle: librdkafka's fetcher refills its queue within a few ms
  // under backlog.
  constexpr absl::Duration kRefillWait = absl::Milliseconds(10);
  const absl::Time deadline = absl::Now() + max_batch_delay_;
  uint64_t generation = consumer_->rebalances();
  // With a batch in flight, an idle stream returns at once so that Run
  // completes it (state readable, offsets committed) without delay.
  absl::Duration wait = applying_.has_value() || write_.has_value() ? absl::ZeroDuration() : poll_timeout_;
  while (batch->size() < max_batch_) {
    auto polled = consumer_->Poll(max_batch_ - batch->size(), wait);
    if (!polled.ok()) return polled.status();
    if (consumer_->rebalances() != generation) {
      // Partitions restart at their stored offsets: what was gathered
      // before is for a lost partition or will come again.
      generation = consumer_->rebalances();
      batch->clear();
    }
    if (polled->empty()) break;
    for (kafka::Message& m : *polled) batch->push_back(std::move(m));
    if (absl::Now() >= deadline || stop()) break;
    // Never negative: librdkafka reads a negative timeout as "forever".
    wait = std::clamp(deadline - absl::Now(), absl::ZeroDuration(), kRefillWait);
  }
  return absl::OkStatus();
}

void EventConsumer::StartApply(std::vector<kafka::Message> batch, std::unique_ptr<BatchSink::Decoded> decoded) {
  applying_.emplace();
  Applying* a = &*applying_;  // stays put until FinishApply resets applying_
  a->write = spare_ ? std::move(spare_) : std::make_unique<kv::Batch>(*store_);
  a->done = std::async(std::launch::async, [this, a, batch = std::move(batch), decoded = std::move(decoded)]() mutable {
    const absl::Time start = absl::Now();
    absl::Status s = sink_->ApplyBatch(batch, std::move(decoded));
    if (s.ok()) s = sink_->Stage(*a->write);
    a->next.apply_time = absl::Now() - start;
    a->next.offsets = kafka::NextOffsets(batch);
    a->next.events = batch.size();
    // The messages are freed here, off the consuming thread; the vector
    // keeps its capacity for a later batch.
    batch.clear();
    a->spent = std::move(batch);
    return s;
  });
}

absl::Status EventConsumer::FinishApply() {
  if (!applying_.has_value()) return absl::OkStatus();
  absl::Status s = applying_->done.get();
  Applying a = std::move(*applying_);
  applying_.reset();
  spare_messages_ = std::move(a.spent);
  // Writes are applied in batch order: the previous one first.
  if (absl::Status previous = FinishWrite(); s.ok()) s = previous;
  if (!s.ok()) {
    sink_->Reset();  // the sink's cache holds the half-applied batch
    log::Error("batch not applied; state is unchanged and the batch will be replayed",
               {{"events", a.next.events}, {"error", s.ToString()}});
    return s;
  }
  Write& w = a.next;
  for (const auto& tp : w.offsets) {
    a.write->Put(offsets_cf_, OffsetKey(tp.topic, tp.partition), std::to_string(tp.offset));
  }
  w.done = std::async(std::launch::async, [store = store_, write = std::move(a.write)]() mutable {
    const absl::Time started = absl::Now();
    absl::Status written = store->Write(*write);
    return WriteResult{std::move(written), absl::Now() - started, std::move(write)};
  });
  write_ = std::move(w);
  return absl::OkStatus();
}

absl::Status EventConsumer::FinishWrite() {
  if (!write_.has_value()) return absl::OkStatus();
  Write w = std::move(*write_);
  write_.reset();
  WriteResult result = w.done.get();
  result.batch->Clear();
  spare_ = std::move(result.batch);
  if (!result.status.ok()) {
    sink_->Reset();  // the cache is ahead of the store
    log::Error("batch not written; state is unchanged and the batch will be replayed",
               {{"events", w.events}, {"error", result.status.ToString()}});
    return result.status;
  }
  sink_->Committed();
  probe_->consumed.Increment(static_cast<double>(w.events));
  probe_->batches.Increment();
  probe_->batch_seconds.Observe(absl::ToDoubleSeconds(w.apply_time + result.duration));
  log::Debug("batch committed", {{"events", w.events},
                                 {"apply_ms", absl::ToInt64Milliseconds(w.apply_time)},
                                 {"write_ms", absl::ToInt64Milliseconds(result.duration)}});
  // Informational only: RocksDB holds the offsets that matter.
  if (auto s = consumer_->Commit(w.offsets); !s.ok()) {
    log::Debug("kafka commit", {{"error", s.ToString()}});
  }
  return absl::OkStatus();
}

void EventConsumer::UpdateCaughtUp(bool idle_at_end) {
  const uint64_t generation = consumer_->rebalances();
  if (generation > 0 && idle_at_end) caught_up_generation_ = generation;
  const bool caught_up = generation > 0 && caught_up_generation_ == generation;
  if (caught_up == caught_up_) return;
  caught_up_ = caught_up;
  log::Info(caught_up ? "caught up with the assigned partitions" : "catching up after a rebalance");
  if (on_caught_up_) on_caught_up_(caught_up);
}

void EventConsumer::FinishInRebalance() {
  if (absl::Status s = FinishApply(); !s.ok() && assign_error_.ok()) assign_error_ = s;
  if (absl::Status s = FinishWrite(); !s.ok() && assign_error_.ok()) assign_error_ = s;
}

absl::Status EventConsumer::Run(const std::function<bool()>& stop) {
  absl::Status s = RunLoop(stop);
  // The batch in flight is durable (or failed) before Run returns.
  absl::Status applied = FinishApply();
  absl::Status written = FinishWrite();
  if (!s.ok()) return s;
  return applied.ok() ? written : applied;
}

absl::Status EventConsumer::RunLoop(const std::function<bool()>& stop) {
  while (!stop()) {
    // Gathered while the last batch is applied on its own thread.
    std::vector<kafka::Message> batch = std::move(spare_messages_);
    spare_messages_ = {};
    if (batch.capacity() == 0) batch.reserve(std::min<size_t>(max_batch_, 1 << 16));
    if (auto s = Fill(stop, &batch); !s.ok()) return s;
    if (!assign_error_.ok()) return assign_error_;
    std::unique_ptr<BatchSink::Decoded> decoded = batch.empty() ? nullptr : sink_->Decode(batch);
    if (auto s = FinishApply(); !s.ok()) return s;
    const bool gathered = !batch.empty();
    if (gathered) {
      if (!sink_->ReadsOwnWrites()) {
        if (auto s = FinishWrite(); !s.ok()) return s;
      }
      StartApply(std::move(batch), std::move(decoded));
    } else if (auto s = FinishWrite(); !s.ok()) {
      return s;
    }
    const int64_t lag = consumer_->Lag();
    if (lag >= 0) probe_->lag.Set(static_cast<double>(lag));  // -1: not every partition fetched yet
    UpdateCaughtUp(!gathered && !applying_.has_value() && !write_.has_value() && lag == 0);
  }
  return absl::OkStatus();
}

absl::Status EventConsumer::Close() {
  if (!consumer_) return absl::OkStatus();
  return consumer_->Close();
}

}  // namespace cs::metrics_service
