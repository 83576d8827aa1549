#pragma once

// The Kafka side of the binary (not part of cs::simulate_core): produces
// records to the raw topics through libs/kafka's idempotent producer, keyed
// by vendor record id, and waits until the broker acknowledged all of them.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/kafka/producer.h"
#include "tools/simulate/ndjson.h"
#include "tools/simulate/record.h"

namespace cs::simulate {

struct KafkaOutputOptions {
  cs::kafka::ClientOptions client;
  // Total records expected (for the percentage); 0 if unknown.
  int64_t expected = 0;
  // Print "records/s, % done" on stderr about twice a second.
  bool progress = false;
  // Records per second at most (0 = as fast as the broker takes them). The
  // devbroker keeps only ~5 MiB per partition, so a producer that outruns
  // the consumers loses the oldest records there; the demo and tests pace.
  double rate = 0;
  // How long Finish() waits for outstanding acknowledgements.
  absl::Duration ack_timeout = absl::Minutes(2);
};

// `record` as a Kafka record: key, value and CloudEvents binary-mode headers.
cs::kafka::OutRecord ToOutRecord(const SimRecord& record);

class KafkaOutput : public RecordSink {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaOutput>> Create(const KafkaOutputOptions& options);

  absl::Status Write(const SimRecord& record) override;
  // A replayed NDJSON line, headers as recorded.
  absl::Status WriteReplay(const ReplayRecord& record);
  // Waits for every acknowledgement; the first delivery error, if any.
  absl::Status Finish();
  int64_t produced() const { return produced_; }

 private:
  explicit KafkaOutput(KafkaOutputOptions options) : options_(std::move(options)) {}
  absl::Status Produce(cs::kafka::OutRecord record);
  void Report(bool final);

  KafkaOutputOptions options_;
  std::unique_ptr<cs::kafka::Producer> producer_;
  cs::kafka::DeliveryBatch batch_;
  int64_t produced_ = 0;
  absl::Time started_ = absl::Now();
  absl::Time last_report_ = absl::InfinitePast();
};

}  // namespace cs::simulate
