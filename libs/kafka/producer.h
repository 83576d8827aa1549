#pragma once

// An idempotent Kafka producer (enable.idempotence=true, acks=all): the
// broker de-duplicates retried sends, so a message is written once and in
// order per partition.
//
// Delivery is tracked per DeliveryBatch: produce a batch of records, then
// Await() it; only when it returns OK may the caller commit the input
// offsets that caused those records (acknowledged before committed).

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/kafka/kafka.h"

namespace RdKafka {
class Producer;
}

namespace cs::kafka {

struct ProducerOptions {
  ClientOptions client;
  // Upper bound on batching delay; small keeps end-to-end latency low.
  int linger_ms = 5;
  // librdkafka retries internally until this delivery timeout.
  int delivery_timeout_ms = 30000;
};

// Outcome of a group of sends. Thread-safe; filled by delivery reports.
class DeliveryBatch {
 public:
  int64_t pending() const { return pending_.load(); }
  int64_t delivered() const { return delivered_.load(); }
  int64_t failed() const { return failed_.load(); }
  // The first delivery error, or OK.
  absl::Status first_error() const;

 private:
  friend class Producer;
  friend class DeliveryReporter;
  void Record(const absl::Status& status);

  std::atomic<int64_t> pending_{0};
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_{0};
  mutable std::mutex mu_;
  absl::Status first_error_;
};

class DeliveryReporter;

class Producer {
 public:
  static absl::StatusOr<std::unique_ptr<Producer>> Create(const ProducerOptions& options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Enqueues `record`; its delivery is reported to `batch` (may be null).
  // Blocks briefly (polling) while the local queue is full.
  absl::Status Produce(const OutRecord& record, DeliveryBatch* batch);
  // Waits until every record of `batch` is delivered or failed, or `timeout`.
  absl::Status Await(DeliveryBatch& batch, absl::Duration timeout);
  // Serves delivery reports; call regularly when not awaiting.
  void Poll(absl::Duration timeout = absl::ZeroDuration());
  // Sends everything queued; returns DEADLINE_EXCEEDED if messages remain.
  absl::Status Flush(absl::Duration timeout);

 private:
  Producer() = default;
  std::unique_ptr<DeliveryReporter> reporter_;
  std::unique_ptr<RdKafka::Producer> producer_;
};

}  // namespace cs::kafka
