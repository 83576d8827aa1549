#pragma once

// The ingest loop: consume a raw.* topic, turn each record into output
// records (canonical events, directory updates) or a dead letter, produce
// them with the idempotent producer, and commit the input offsets only after
// the broker acknowledged every output of the batch. A crash therefore
// replays a batch rather than losing it; replays collapse downstream
// because event ids are deterministic.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "absl/status/status.h"
#include "libs/kafka/consumer.h"
#include "libs/kafka/producer.h"

namespace cs::ingest {

// Why a record went to dlq.v1 (the "reason" header) and a readable message.
struct DeadLetter {
  std::string reason;   // e.g. "invalid_json", "unresolved_identity"
  std::string message;  // names the field or the problem
};

// What one input record turned into.
struct ProcessResult {
  std::vector<kafka::OutRecord> outputs;
  std::optional<DeadLetter> dead_letter;
  std::string outcome;  // counter label: "emitted", "duplicate", "stale", "skipped", "parked", "dead_lettered"
  // For results not produced by Process (released parked records): the
  // original record, dead-lettered when `dead_letter` is set.
  std::optional<kafka::Message> original;
};

// Turns raw records into results. Called from the pipeline thread only.
class Processor {
 public:
  virtual ~Processor() = default;
  // An error means a port failed (the state store), not bad input: the
  // batch is abandoned uncommitted and the service stops (and replays).
  virtual absl::StatusOr<ProcessResult> Process(const kafka::Message& message) = 0;
  // Called once per batch after outputs are acknowledged and before the
  // offsets are committed (e.g. to persist state); an error stops the batch
  // from being committed.
  virtual absl::Status OnBatchAcknowledged() { return absl::OkStatus(); }
  // Records that became ready outside Process (e.g. parked events whose
  // person is now known, or that timed out into the DLQ).
  virtual absl::StatusOr<std::vector<ProcessResult>> TakeReleased() {
    return std::vector<ProcessResult>();
  }
};

struct PipelineOptions {
  std::string source;                       // "crm" | "calls" | "calendar" | "org" (metric label)
  std::string input_topic;                  // raw.<source>.v1
  std::string dlq_topic = "dlq.v1";
  size_t max_batch = 5000;                  // records per poll batch
  size_t max_batch_bytes = 16 << 20;        // and their payload bytes (a batch stops at the record reaching it)
  absl::Duration poll_timeout = absl::Milliseconds(200);
  absl::Duration ack_timeout = absl::Seconds(30);  // broker acknowledgement deadline per batch
};

class Pipeline {
 public:
  Pipeline(PipelineOptions options, kafka::Consumer* consumer, kafka::Producer* producer,
           Processor* processor, prometheus::Registry& registry);
  ~Pipeline();

  // Runs until `stop()` returns true between batches, or a fatal error.
  absl::Status Run(const std::function<bool()>& stop);

 private:
  struct Probe;
  absl::Status RunBatch(const std::vector<kafka::Message>& batch);

  PipelineOptions options_;
  kafka::Consumer* consumer_;
  kafka::Producer* producer_;
  Processor* processor_;
  std::unique_ptr<Probe> probe_;
};

}  // namespace cs::ingest
