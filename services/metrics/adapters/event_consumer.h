#pragma once

// Consumes coaching.events.v1 with an exactly-once effect on top of
// at-least-once delivery: for each batch the aggregate changes and the next
// offsets of every partition in the batch are written in ONE RocksDB
// WriteBatch. On start and on every partition assignment the consumer seeks
// to the offsets stored in RocksDB, not to Kafka's committed offsets (those
// are committed too, but only so that lag is visible to operators).
//
// A batch is written when it holds max_batch events, when a poll finds
// nothing more waiting, or after max_batch_delay, whichever comes first:
// large batches under backlog (fewer, bigger coalesced writes), small and
// prompt ones when the consumer is caught up.
//
// Pipelined: a batch is applied and staged on a thread of its own while the
// consuming thread gathers the next one (polling and copying messages is a
// sixth of a replay's time on the consuming thread), and its RocksDB write
// runs on another while the next batch is applied, when the sink says that
// is safe (BatchSink::ReadsOwnWrites); batches are applied one at a time
// and written one at a time, in order. Before partitions are assigned or
// revoked (stored offsets are read, the sink is Reset) and before Run
// returns, the batch being applied is applied and written.
//
// Failure contract: if applying or writing a batch fails, the sink is Reset
// (its cache may be ahead of the store) and Run returns the error; nothing
// of the batch is durable, nor of the next batch if it was already applied,
// so a restart replays them from the stored offsets. A batch gathered
// across a rebalance is dropped before it is applied.

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "libs/kafka/consumer.h"
#include "libs/kv/store.h"

namespace cs::metrics_service {

// Applies consumed messages to state. Decode() then ApplyBatch() (by
// default Apply() per message) are called with each batch, then Stage()
// once to add the batch's coalesced writes.
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // A message that is not a valid event is the sink's to count and
  // dead-letter (MetricsSink); an error return means state could not be
  // read and the batch must not commit (the consumer then calls Reset).
  virtual absl::Status Apply(const kafka::Message& message) = 0;
  // What a sink makes of a batch before applying it (e.g. its parsed
  // events): see Decode.
  struct Decoded {
    virtual ~Decoded() = default;
  };
  // Work on `batch` that reads and changes none of the sink's state, done
  // on the consuming thread while the previous batch is still being
  // applied; handed to ApplyBatch. Default: nothing.
  virtual std::unique_ptr<Decoded> Decode(const std::vector<kafka::Message>& batch) const {
    (void)batch;
    return nullptr;
  }
  // Apply for each message of the batch, in order; a sink may apply them
  // together (e.g. on several threads) with the same effect. `decoded` is
  // Decode's result for this batch, or null (then decode it here).
  virtual absl::Status ApplyBatch(const std::vector<kafka::Message>& batch, std::unique_ptr<Decoded> decoded) {
    (void)decoded;
    for (const kafka::Message& m : batch) {
      if (absl::Status s = Apply(m); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  virtual absl::Status Stage(kv::Batch& batch) = 0;
  // True if the next batch may be applied while the last staged one is
  // still being written: no Apply would read a value that write changes
  // from the store (e.g. the sink's cache holds every key it staged).
  virtual bool ReadsOwnWrites() const { return false; }
  // Called after the batch is durable.
  virtual void Committed() {}
  // Called when partitions are assigned or revoked (cached state may now be
  // changed by another instance) and after a batch failed to apply or to
  // be written (cached state is ahead of the store): drop every cache.
  virtual void Reset() {}
};

// The metrics consumer's kafka::ConsumerOptions::queued_min_messages: 1.4 s
// of catching up at ~350,000 events/s, so the queue does not run dry during
// librdkafka's 1 s fetch pause (replaying the benchmark's topic, the
// service sat idle for ~2 of 6 s with the default 100,000). Costs ~110 MiB
// of RSS while the queue is full.
inline constexpr int kQueuedMinMessages = 500'000;

// The metrics consumer's kafka::ConsumerOptions::fetch_wait_max_ms. After an
// assignment librdkafka sometimes starts fetching a few partitions ~0.6 s
// before the rest; once those few are read to their end, its next fetch
// holds only them, the broker keeps it for fetch.wait.max.ms, and the
// partitions that became fetchable meanwhile wait: with librdkafka's 500 ms
// the replay benchmark's machine sat idle for ~0.5 s in those runs. 100 ms
// bounds that wait; an idle consumer then sends ~10 empty fetches a second
// per broker instead of 2.
inline constexpr int kFetchWaitMaxMs = 100;

// Sets the two above on the metrics consumer's options (the benchmark's
// bare and PostgreSQL consumers use it too, to read as the service does).
inline void TuneMetricsConsumer(kafka::ConsumerOptions& options) {
  options.queued_min_messages = kQueuedMinMessages;
  options.fetch_wait_max_ms = kFetchWaitMaxMs;
}

struct EventConsumerOptions {
  kafka::ConsumerOptions consumer;  // on_assign/on_revoke are set by EventConsumer
  // Most events per batch (one RocksDB write). The core coalesces writes per
  // key within a batch, so bigger batches are cheaper per event
  // (bench_metrics_replay --batch=N measures it); memory is ~0.3 KB per
  // event. Default 100000.
  size_t max_batch = 100000;
  // Longest time spent gathering one batch before it is written, so state
  // and offsets stay fresh under a steady trickle. Default 250 ms.
  absl::Duration max_batch_delay = absl::Milliseconds(250);
  // Longest wait for the first event of a batch (then stop() is checked).
  absl::Duration poll_timeout = absl::Milliseconds(100);
  // Called on the consuming thread when the consumer becomes caught up
  // (true: after partitions were assigned it has reached the end of every
  // one, and what it consumed is written) and when a rebalance makes it
  // catch up again (false). Not called again for later lag: state that was
  // caught up stays warm.
  std::function<void(bool)> on_caught_up;
};

class EventConsumer {
 public:
  static absl::StatusOr<std::unique_ptr<EventConsumer>> Create(EventConsumerOptions options,
                                                               kv::Store* store, BatchSink* sink,
                                                               prometheus::Registry& registry);
  ~EventConsumer();

  // Consumes until `stop()` is true (the batch in progress is written
  // first) or an error: a fatal Kafka error, unreadable stored offsets, or
  // a batch that failed to apply or to be written (see above).
  absl::Status Run(const std::function<bool()>& stop);
  // Leaves the group (the sink is Reset). Idempotent.
  absl::Status Close();

  // The column family and key under which partition offsets are stored.
  static std::string OffsetKey(const std::string& topic, int32_t partition);

 private:
  struct Probe;
  EventConsumer() = default;
  std::vector<kafka::TopicPartition> StoredOffsets(const std::vector<kafka::TopicPartition>& parts);
  // Gathers the next batch (see max_batch, max_batch_delay).
  absl::Status Fill(const std::function<bool()>& stop, std::vector<kafka::Message>* batch);
  absl::Status RunLoop(const std::function<bool()>& stop);
  // Applies and stages `batch` on its own thread (applying_), while the
  // consuming thread gathers the next one.
  void StartApply(std::vector<kafka::Message> batch, std::unique_ptr<BatchSink::Decoded> decoded);
  // Waits for the batch being applied, if any, then finishes the write in
  // flight and starts this batch's write. The apply's or that write's error
  // (the sink is then Reset).
  absl::Status FinishApply();
  // Waits for the write in flight, if any, and completes it (metrics, the
  // informational Kafka commit). Its error, if it failed (the sink is then
  // Reset).
  absl::Status FinishWrite();
  // FinishApply and FinishWrite from a rebalance callback: a failure stops
  // Run (assign_error_).
  void FinishInRebalance();
  // After each loop: `idle_at_end` when nothing was gathered, nothing is
  // in flight and the lag is 0 (see EventConsumerOptions::on_caught_up).
  void UpdateCaughtUp(bool idle_at_end);

  kv::Store* store_ = nullptr;
  int offsets_cf_ = 0;
  BatchSink* sink_ = nullptr;
  size_t max_batch_ = 0;
  absl::Duration max_batch_delay_;
  absl::Duration poll_timeout_;
  absl::Status assign_error_;  // stored offsets unreadable, or a write failed in a rebalance: Run stops

  // The batch being written on its own thread.
  struct WriteResult {
    absl::Status status;
    absl::Duration duration;
    std::unique_ptr<kv::Batch> batch;  // written: cleared and reused as the next one
  };
  struct Write {
    std::future<WriteResult> done;
    std::vector<kafka::TopicPartition> offsets;  // the next offset of each partition in the batch
    size_t events = 0;
    absl::Duration apply_time;  // apply + stage
  };
  std::optional<Write> write_;
  // The batch being applied and staged on its own thread (StartApply); the
  // sink is not touched by the consuming thread meanwhile. Set by that
  // thread, read after `done`.
  struct Applying {
    std::future<absl::Status> done;
    std::unique_ptr<kv::Batch> write;  // staged into
    Write next;  // the batch's write but its `done`: becomes write_ once started
    std::vector<kafka::Message> spent;  // the batch's vector, emptied (capacity kept)
  };
  std::optional<Applying> applying_;
  std::vector<kafka::Message> spare_messages_;  // the next batch is gathered into it
  // The last written batch, cleared: its buffer keeps its capacity, so that
  // staging a batch does not grow (and fault in) a fresh ~40 MB buffer.
  std::unique_ptr<kv::Batch> spare_;
  std::function<void(bool)> on_caught_up_;
  uint64_t caught_up_generation_ = 0;  // consumer_->rebalances() when last caught up
  bool caught_up_ = false;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::unique_ptr<Probe> probe_;
};

}  // namespace cs::metrics_service
