#pragma once

// A group consumer with manual offset control.
//
// Auto-commit and auto offset store are off: the service decides when an
// offset is done (after its effects are durable) and calls Commit(), or
// keeps offsets in its own store and supplies them on assignment.
//
// Rebalances are delivered to the callbacks on the thread that calls Poll():
//   on_assign(partitions) -> the partitions with the offsets to start from
//                            (TopicPartition::kOffsetStored = the group's
//                            committed offset);
//   on_revoke(partitions) -> last chance to commit before losing them (the
//                            mock broker rejects commits once a rebalance is
//                            under way, so commit here, then close).
// Not thread-safe: one thread polls, commits and closes.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/kafka/kafka.h"

namespace RdKafka {
class KafkaConsumer;
}

namespace cs::kafka {

// librdkafka moved a partition's fetch position because the offset it was
// to read is gone from the broker (OFFSET_OUT_OF_RANGE: retention or a
// truncated log deleted it before it was read), to where auto.offset.reset
// says. The records in between were never delivered.
struct OffsetReset {
  std::string topic;
  int32_t partition = 0;
  int64_t at = -1;       // the offset whose fetch failed (-1: not known)
  int64_t resumed = -1;  // the first offset delivered after the reset
  // resumed - at: records skipped (0 when either is not known).
  int64_t skipped = 0;
  std::string detail;    // librdkafka's log line
};

struct ConsumerOptions {
  ClientOptions client;
  std::string group_id;
  std::vector<std::string> topics;
  // Where to start when the group has no committed offset: "earliest" | "latest".
  std::string auto_offset_reset = "earliest";
  // Dev/test against the mock broker need 4500-6000 (PLATFORM.md).
  int session_timeout_ms = 6000;
  int heartbeat_interval_ms = 1000;
  // Read every partition of `topics` from the beginning without group
  // membership or commits (materialising a compacted topic in each instance).
  bool read_whole_topics = false;
  // Copy each record's headers into Message::headers. A consumer that never
  // reads them (metrics) turns this off: Poll then skips the per-header
  // string copies (~3% of a replaying thread's time).
  bool copy_headers = true;
  // librdkafka's queued.min.messages (0: its default, 100,000). librdkafka
  // 2.0 stops fetching for one second once that many messages wait in the
  // consumer's queue (for all partitions together); a consumer that drains
  // them faster than that, as metrics does when it catches up, then sits
  // idle until the next fetch. --kafka_properties still overrides it.
  int queued_min_messages = 0;
  // librdkafka's fetch.wait.max.ms (0: its default, 500): how long the
  // broker may hold a fetch that finds no new data. librdkafka keeps one
  // fetch in flight per broker, so while such a fetch is held, partitions
  // that became fetchable meanwhile (e.g. ones librdkafka started late after
  // an assignment) wait for it. --kafka_properties still overrides it.
  int fetch_wait_max_ms = 0;
  std::function<std::vector<TopicPartition>(const std::vector<TopicPartition>&)> on_assign;
  std::function<void(const std::vector<TopicPartition>&)> on_revoke;
  // Called on the polling thread (from Poll) with the first record a
  // partition delivers after an offset reset, before that record is
  // returned: records lost to retention are to be counted, not to vanish.
  // A reset whose partition delivers nothing before it is revoked or the
  // consumer closes is reported then, with `resumed` -1 and `skipped` 0.
  // Every reset is also logged (librdkafka's warnings and errors are).
  std::function<void(const OffsetReset&)> on_offset_reset;
};

class RebalanceHandler;

class Consumer {
 public:
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(const ConsumerOptions& options);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Returns up to `max_messages`, waiting at most `timeout` for the first one,
  // and stops early once their values add up to `max_bytes` or more (so a
  // batch holds at most max_bytes plus one record). Partition EOF and
  // transient broker errors are not errors; a fatal consumer error is.
  // Messages consumed before a rebalance that happens during the call are
  // dropped (partitions restart at their on_assign offsets), so a batch
  // never spans an assignment change.
  absl::StatusOr<std::vector<Message>> Poll(size_t max_messages, absl::Duration timeout,
                                            size_t max_bytes = SIZE_MAX);
  // Number of assignment changes (assign or revoke) served so far. A caller
  // that accumulates several Polls into one unit of work must drop what it
  // gathered before the count changed.
  uint64_t rebalances() const;
  // Synchronously commits `offsets` (each the NEXT offset to read).
  absl::Status Commit(const std::vector<TopicPartition>& offsets);
  // Current assignment.
  std::vector<TopicPartition> Assignment() const;
  // Sum over assigned partitions of (high watermark - position), from the
  // watermarks of the last fetch responses; -1 while any partition has none.
  int64_t Lag() const;
  // Asks the broker for each assigned partition's high watermark and
  // returns true when the consumer's position has reached all of them.
  absl::StatusOr<bool> CaughtUp(absl::Duration timeout);
  // Leaves the group (triggering on_revoke) and closes. Idempotent.
  absl::Status Close();

 private:
  Consumer() = default;
  absl::Status AssignWholeTopics(const std::vector<std::string>& topics);
  std::unique_ptr<RebalanceHandler> handler_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  bool closed_ = false;
  bool manual_ = false;
  bool copy_headers_ = true;
};

// Reads librdkafka's "[thrd:main]: <topic> [<partition>]: offset reset (at
// offset <n>..." log line (facility OFFSET) into `out` (topic, partition, at, detail);
// false for any other line. `at` stays -1 when the line names no offset.
bool ParseOffsetReset(std::string_view line, OffsetReset* out);

// The highest offset + 1 of each partition in `batch`, ready for Commit().
std::vector<TopicPartition> NextOffsets(const std::vector<Message>& batch);

// The headers of the records at `offsets` of one partition, read again
// with a consumer of its own (no group): for a consumer that does not copy
// headers (ConsumerOptions::copy_headers) and needs them for a few records,
// e.g. to dead-letter them whole. An offset that is no longer there
// (retention, an aborted transaction) is missing from the answer.
absl::StatusOr<std::map<int64_t, std::vector<Header>>> ReadHeaders(const ClientOptions& client,
                                                                  const std::string& topic, int32_t partition,
                                                                  const std::vector<int64_t>& offsets,
                                                                  absl::Duration timeout);

// Topic metadata, for tools and tests.
absl::StatusOr<std::vector<TopicInfo>> ListTopics(const ClientOptions& client,
                                                  absl::Duration timeout);

}  // namespace cs::kafka
