#include "tools/simulate/kafka_output.h"

#include <algorithm>
#include <unistd.h>

#include <cstdio>

#include "libs/base/status.h"
#include "libs/kafka/cloudevents.h"

namespace cs::simulate {

absl::StatusOr<std::unique_ptr<KafkaOutput>> KafkaOutput::Create(const KafkaOutputOptions& options) {
  std::unique_ptr<KafkaOutput> out(new KafkaOutput(options));
  cs::kafka::ProducerOptions po;
  po.client = options.client;
  po.linger_ms = 20;  // bulk load: favour batching over latency
  po.delivery_timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(options.ack_timeout));
  CS_ASSIGN_OR_RETURN(out->producer_, cs::kafka::Producer::Create(po));
  return out;
}

absl::Status KafkaOutput::Write(const SimRecord& r) { return Produce(ToOutRecord(r)); }

cs::kafka::OutRecord ToOutRecord(const SimRecord& r) {
  cs::kafka::CloudEventAttributes attrs;
  attrs.id = r.ce.id;
  attrs.source = r.ce.source;
  attrs.type = r.ce.type;
  attrs.time = r.ce.time;
  attrs.subject = r.ce.subject;
  attrs.tenant_id = r.ce.tenant_id;
  attrs.content_type = r.ce.content_type;
  cs::kafka::OutRecord out;
  out.topic = r.topic;
  out.key = r.key;
  out.value = r.value;
  out.headers = cs::kafka::BinaryModeHeaders(attrs);
  return out;
}

absl::Status KafkaOutput::WriteReplay(const ReplayRecord& r) {
  cs::kafka::OutRecord out;
  out.topic = r.topic;
  out.key = r.key;
  out.value = r.value;
  for (const auto& [k, v] : r.headers) out.headers.push_back({k, v});
  return Produce(std::move(out));
}

absl::Status KafkaOutput::Produce(cs::kafka::OutRecord record) {
  CS_RETURN_IF_ERROR(producer_->Produce(record, &batch_));
  ++produced_;
  if (options_.rate > 0) {
    // Paced: record n is due at started + n / rate.
    const absl::Time due = started_ + absl::Seconds(static_cast<double>(produced_) / options_.rate);
    while (absl::Now() < due) {
      producer_->Poll(std::min(due - absl::Now(), absl::Milliseconds(20)));
    }
  }
  if (produced_ % 256 == 0) {
    producer_->Poll();
    if (batch_.failed() > 0) return batch_.first_error();
    Report(false);
  }
  return absl::OkStatus();
}

absl::Status KafkaOutput::Finish() {
  const absl::Time deadline = absl::Now() + options_.ack_timeout;
  while (batch_.pending() > 0 && absl::Now() < deadline) {
    producer_->Poll(absl::Milliseconds(50));
    Report(false);
  }
  Report(true);
  CS_RETURN_IF_ERROR(producer_->Await(batch_, absl::Seconds(1)));
  return batch_.first_error();
}

void KafkaOutput::Report(bool final) {
  if (!options_.progress) return;
  // A terminal gets one line rewritten in place; a log file a line every 2 s.
  static const bool tty = isatty(fileno(stderr)) != 0;
  const absl::Time now = absl::Now();
  if (!final && now - last_report_ < absl::Milliseconds(tty ? 500 : 2000)) return;
  last_report_ = now;
  const double secs = std::max(1e-3, absl::ToDoubleSeconds(now - started_));
  const int64_t acked = batch_.delivered();
  const double pct = options_.expected > 0 ? 100.0 * acked / options_.expected : 0.0;
  std::fprintf(stderr, "%ssimulate: %lld produced, %lld acknowledged (%.1f%%), %.0f records/s%s",
               tty ? "\r" : "", static_cast<long long>(produced_), static_cast<long long>(acked), pct,
               acked / secs, final || !tty ? "\n" : "   ");
  std::fflush(stderr);
}

}  // namespace cs::simulate
