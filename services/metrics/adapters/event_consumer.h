#pragma once

// Consumes coaching.events.v1 with an exactly-once effect on top of
// at-least-once delivery: for each poll batch the aggregate changes and the
// next offsets of every partition in the batch are written in ONE RocksDB
// WriteBatch. On start and on every partition assignment the consumer seeks
// to the offsets stored in RocksDB, not to Kafka's committed offsets (those
// are committed too, but only so that lag is visible to operators).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "libs/kafka/consumer.h"
#include "libs/kv/store.h"

namespace cs::metrics_service {

// Applies consumed messages to state. Apply() is called for each message of
// a batch, then Stage() once to add the batch's coalesced writes.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // A malformed message is counted and skipped by the sink itself; an error
  // return means state could not be read and the batch must not commit.
  virtual absl::Status Apply(const kafka::Message& message) = 0;
  virtual absl::Status Stage(kv::Batch& batch) = 0;
  // Called after the batch is durable.
  virtual void Committed() {}
  // Called when partitions are assigned or revoked: cached state may now be
  // changed by another instance, or a failed batch must be re-read.
  virtual void Reset() {}
};

struct EventConsumerOptions {
  kafka::ConsumerOptions consumer;          // on_assign is set by EventConsumer
  size_t max_batch = 5000;
  absl::Duration poll_timeout = absl::Milliseconds(100);
};

class EventConsumer {
 public:
  static absl::StatusOr<std::unique_ptr<EventConsumer>> Create(EventConsumerOptions options,
                                                               kv::Store* store, BatchSink* sink,
                                                               prometheus::Registry& registry);
  ~EventConsumer();

  absl::Status Run(const std::function<bool()>& stop);
  absl::Status Close();

  // The column family and key under which partition offsets are stored.
  static std::string OffsetKey(const std::string& topic, int32_t partition);

 private:
  struct Probe;
  EventConsumer() = default;
  std::vector<kafka::TopicPartition> StoredOffsets(const std::vector<kafka::TopicPartition>& parts);
  absl::Status RunBatch(const std::vector<kafka::Message>& batch);

  kv::Store* store_ = nullptr;
  int offsets_cf_ = 0;
  BatchSink* sink_ = nullptr;
  size_t max_batch_ = 0;
  absl::Duration poll_timeout_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::unique_ptr<Probe> probe_;
};

}  // namespace cs::metrics_service
