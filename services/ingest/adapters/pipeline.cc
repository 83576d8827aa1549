#include "services/ingest/adapters/pipeline.h"

#include <map>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "absl/time/clock.h"
#include "libs/base/log.h"
#include "libs/metrics/metrics_server.h"

namespace cs::ingest {

struct Pipeline::Probe {
  Probe(prometheus::Registry& r, const std::string& source)
      : source_(source),
        records_(prometheus::BuildCounter()
                     .Name("coachstream_ingest_records_total")
                     .Help("Raw records by source and outcome")
                     .Register(r)),
        dead_letters_(prometheus::BuildCounter()
                          .Name("coachstream_ingest_dead_letters_total")
                          .Help("Records sent to dlq.v1 by source and reason")
                          .Register(r)),
        events_(prometheus::BuildCounter()
                    .Name("coachstream_ingest_output_records_total")
                    .Help("Records produced (canonical events, directory updates) by source")
                    .Register(r)
                    .Add({{"source", source}})),
        lag_(prometheus::BuildGauge()
                 .Name("coachstream_ingest_consumer_lag_messages")
                 .Help("Messages behind the high watermark on assigned partitions")
                 .Register(r)
                 .Add({{"source", source}})),
        batch_seconds_(prometheus::BuildHistogram()
                           .Name("coachstream_ingest_batch_duration_seconds")
                           .Help("Time from poll to commit of one batch")
                           .Register(r)
                           .Add({{"source", source}}, metrics::LatencyBuckets())) {}

  void Outcome(const std::string& outcome) { Child(records_, outcomes_, outcome, "outcome").Increment(); }
  void DeadLettered(const std::string& reason) { Child(dead_letters_, reasons_, reason, "reason").Increment(); }

  prometheus::Counter& Child(prometheus::Family<prometheus::Counter>& family,
                             std::map<std::string, prometheus::Counter*>& cache,
                             const std::string& value, const char* label) {
    auto it = cache.find(value);
    if (it == cache.end()) {
      it = cache.emplace(value, &family.Add({{"source", source_}, {label, value}})).first;
    }
    return *it->second;
  }

  std::string source_;
  prometheus::Family<prometheus::Counter>& records_;
  prometheus::Family<prometheus::Counter>& dead_letters_;
  std::map<std::string, prometheus::Counter*> outcomes_;
  std::map<std::string, prometheus::Counter*> reasons_;
  prometheus::Counter& events_;
  prometheus::Gauge& lag_;
  prometheus::Histogram& batch_seconds_;
};

Pipeline::Pipeline(PipelineOptions options, kafka::Consumer* consumer, kafka::Producer* producer,
                   Processor* processor, prometheus::Registry& registry)
    : options_(std::move(options)),
      consumer_(consumer),
      producer_(producer),
      processor_(processor),
      probe_(std::make_unique<Probe>(registry, options_.source)) {}

Pipeline::~Pipeline() = default;

absl::Status Pipeline::RunBatch(const std::vector<kafka::Message>& batch) {
  absl::Time start = absl::Now();
  kafka::DeliveryBatch delivery;
  auto emit = [&](const ProcessResult& result, const kafka::Message* source) -> absl::Status {
    probe_->Outcome(result.outcome);
    for (const auto& out : result.outputs) {
      if (auto s = producer_->Produce(out, &delivery); !s.ok()) return s;
      probe_->events_.Increment();
    }
    if (result.dead_letter && source != nullptr) {
      probe_->DeadLettered(result.dead_letter->reason);
      log::Warn("dead-lettered", {{"reason", result.dead_letter->reason},
                                  {"message", result.dead_letter->message},
                                  {"topic", source->topic},
                                  {"partition", source->partition},
                                  {"offset", source->offset}});
      return producer_->Produce(kafka::DeadLetterRecord(options_.dlq_topic, *source, result.dead_letter->reason,
                                                         result.dead_letter->message),
                                &delivery);
    }
    return absl::OkStatus();
  };
  for (const kafka::Message& m : batch) {
    auto result = processor_->Process(m);
    if (!result.ok()) return result.status();
    if (auto s = emit(*result, &m); !s.ok()) return s;
  }
  auto released = processor_->TakeReleased();
  if (!released.ok()) return released.status();
  for (const ProcessResult& r : *released) {
    if (auto s = emit(r, r.original ? &*r.original : nullptr); !s.ok()) return s;
  }
  if (auto s = producer_->Await(delivery, options_.ack_timeout); !s.ok()) return s;
  if (auto s = processor_->OnBatchAcknowledged(); !s.ok()) return s;
  if (!batch.empty()) {
    // Offsets only after the outputs are acknowledged and the state is durable.
    if (auto s = consumer_->Commit(kafka::NextOffsets(batch)); !s.ok()) {
      // Not fatal: the batch is durable downstream; a replay is deduplicated.
      log::Warn("offset commit failed", {{"error", s.ToString()}});
    }
  }
  probe_->batch_seconds_.Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return absl::OkStatus();
}

absl::Status Pipeline::Run(const std::function<bool()>& stop) {
  while (!stop()) {
    auto batch = consumer_->Poll(options_.max_batch, options_.poll_timeout, options_.max_batch_bytes);
    if (!batch.ok()) return batch.status();
    if (auto s = RunBatch(*batch); !s.ok()) return s;
    if (const int64_t lag = consumer_->Lag(); lag >= 0) probe_->lag_.Set(static_cast<double>(lag));
  }
  return absl::OkStatus();
}

}  // namespace cs::ingest
