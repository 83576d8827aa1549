#pragma once

// Connects the ingest core (parse + normalize) to the Kafka pipeline:
// canonical events to coaching.events.v1, directory updates to
// org.directory.v1, dead letters to dlq.v1, and records whose person is not
// yet in the directory parked in RocksDB until the person appears (then
// reprocessed) or the park timeout passes (then dead-lettered with reason
// unresolved_identity). Parking, releasing and the merged record state are
// written in one RocksDB batch after the broker acknowledged the batch's
// outputs and before the input offsets are committed.

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "coachstream/v1/ingest_state.pb.h"
#include "libs/base/clock.h"
#include "libs/kv/store.h"
#include "services/ingest/adapters/pipeline.h"
#include "services/ingest/adapters/state.h"
#include "services/ingest/core/normalizer.h"

namespace cs::ingest {

struct IngestProcessorOptions {
  std::string source;                                 // metric label
  std::string events_topic = "coaching.events.v1";
  std::string directory_topic = "org.directory.v1";
  std::string dlq_topic = "dlq.v1";
  ParseOptions parse;
  NormalizerOptions normalizer;                       // its park_timeout: then dead-letter a parked record
  // How long an emitted meeting waits to credit a participant the directory
  // did not know (ItemOutcome::watch) before it stops waiting. Longer than
  // park_timeout by default: HR feeds often send a new hire once a day.
  absl::Duration watch_timeout = absl::Hours(24 * 7);
};

class IngestProcessor final : public Processor {
 public:
  // `store` must have column families "records" and "parked".
  IngestProcessor(IngestProcessorOptions options, kv::Store* store, const Directory& directory,
                  const Clock& clock, prometheus::Registry& registry);
  ~IngestProcessor() override;

  absl::StatusOr<ProcessResult> Process(const kafka::Message& message) override;
  absl::Status OnBatchAcknowledged() override;
  absl::StatusOr<std::vector<ProcessResult>> TakeReleased() override;

  // Thread-safe: the directory follower calls this for each person it learns.
  void PersonLearned(const coachstream::v1::Person& person);
  int64_t parked_count() const { return parked_count_; }

 private:
  struct Probe;
  ProcessResult Translate(const RecordOutcome& outcome, const kafka::Message& message);
  void Park(const kafka::Message& message, const RecordOutcome& outcome, int64_t parked_at_us);
  // Park keys of the people `outcome` parked for whom the directory knows
  // by now (learned since the core looked, or a deal change waiting behind
  // its owner change: see FORMATS.md), so the record is retried at once.
  void RetryKnown(const RecordOutcome& outcome);
  absl::Status CollectReleasable(const std::vector<std::string>& park_keys, std::set<std::string>* rec_ids);
  absl::Status CollectExpired(std::set<std::string>* rec_ids);
  absl::StatusOr<std::optional<coachstream::v1::ParkedRecord>> LoadParked(const std::string& rec_id);
  void Unpark(const std::string& rec_id, const coachstream::v1::ParkedRecord& rec);

  IngestProcessorOptions options_;
  kv::Store* store_;
  int parked_cf_;
  const Directory& directory_;
  const Clock& clock_;
  RocksRecordStore records_;
  IngestPipeline pipeline_;
  std::unique_ptr<Probe> probe_;

  // Writes of this batch to the "parked" column family (nullopt = delete).
  std::map<std::string, std::optional<std::string>> park_writes_;
  std::mutex learned_mu_;
  std::vector<std::string> learned_keys_;  // park keys of people learned since the last batch
  absl::Time next_expiry_check_ = absl::InfinitePast();
  int64_t parked_count_ = 0;
};

}  // namespace cs::ingest
