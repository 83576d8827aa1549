#pragma once

// MetricsCore: the pure aggregation core of the metrics service.
//
// The adapter drives it once per poll batch:
//
//   CS_RETURN_IF_ERROR(core->ApplyBatch(events, &results));  // or Apply(e) per event
//   std::vector<Mutation> writes = core->TakeMutations();
//   // one RocksDB WriteBatch: `writes` + the consumed offsets
//
// ApplyBatch uses options.apply_threads threads: the reps are split into
// that many shards (ledger.h), each shard applies its events on its own
// thread grouped by rep (a rep's events in order, then the next rep's:
// the rep's state stays in the CPU caches), and what is shared between
// reps (deal snapshots, and activity on deals) is applied afterwards on
// one thread in the order of the batch. With one thread the phases are
// the same, on the calling thread. The state it leaves is byte for byte
// what Apply, event by event, leaves (tests/services/metrics/
// parallel_test.cc): per rep the order is kept, events of different reps
// touch disjoint state until the shared part (the ledger refuses anything
// else), and what moves (a rep's deal events after its other events of
// the batch) touches only additive counters in common with them.
// A directory change cuts the batch in two around it when deal events are
// waiting (time zones decide the days events are credited to).
//
// Apply reads committed state through the StateReader at most once per key
// (the in-memory overlay serves later reads, also across batches while the
// cache is small enough) and TakeMutations emits each changed key once.
//
// Failure contract: a non-OK status from Apply or an unpersisted batch
// leaves the overlay ahead of the store. The adapter must then call
// ClearCache() and resume from the stored offsets. It must also call
// ClearCache() when it loses partitions (another instance may change that
// state). Not thread-safe: one core per consuming thread (which ApplyBatch
// lends helper threads for the duration of the call).

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"
#include "services/metrics/core/options.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics {

// Why Apply returns kInvalid for `event`, naming the missing field as in
// event.proto (e.g. "tenant_id is empty"); empty for a valid event. The one
// place events are validated: the rules see valid events only.
std::string_view InvalidEventReason(const coachstream::v1::Event& event);

class MetricsCore {
 public:
  // `reader` and `clock` must outlive the core. INVALID_ARGUMENT naming the
  // option for bad options (e.g. an unknown default_time_zone).
  static absl::StatusOr<std::unique_ptr<MetricsCore>> Create(const MetricsCoreOptions& options,
                                                             const StateReader& reader,
                                                             const Clock& clock);

  // Applies one event. Bad events are not errors: they come back as
  // kInvalid (the adapter counts them). An error status means the store
  // failed or holds corrupt state: abandon the batch (see above).
  absl::StatusOr<ApplyResult> Apply(const coachstream::v1::Event& event);
  // Applies `events` with the outcome (state and results) of Apply called
  // on each in order; a batch of 512 events or more is applied one rep
  // after the other (see ApplyRound), on up to options.apply_threads
  // threads. (*results)[i] is the outcome of events[i]. An error status: as
  // for Apply (abandon the batch).
  absl::Status ApplyBatch(std::span<const coachstream::v1::Event* const> events,
                          std::vector<ApplyResult>* results);

  // The batch's writes, one per key, sorted within each key family (the
  // store inserts sorted runs faster; any order is correct).
  std::vector<Mutation> TakeMutations();
  // The same without copies: `visit` is called once per key (the views are
  // valid during the call only). Prefer this one on the hot path.
  void TakeMutations(MutationVisitor visit);

  // True if every key of the last TakeMutations is still in the overlay, so
  // that Apply cannot read a stale value of it from the store: the adapter
  // may then apply the next batch while the last one is still being
  // written. False after the overlay was dropped (ClearCache, or a cache
  // over max_cached_entries).
  bool last_writes_cached() const { return last_writes_cached_; }

  // Drops the overlay and any pending writes.
  void ClearCache();
  size_t cached_entries() const { return ledgers_.cached_entries(); }
  const MetricsCoreOptions& options() const { return options_; }

 private:
  MetricsCore(const MetricsCoreOptions& options, const StateReader& reader, const Clock& clock);
  // Validation, the dedup horizon and dedup: kApplied means "dispatch it",
  // at *t (unset for directory events).
  absl::StatusOr<ApplyResult> Admit(Ledger& ledger, const coachstream::v1::Event& event, absl::Time* t);
  absl::StatusOr<ApplyResult> Dispatch(Ledger& ledger, const coachstream::v1::Event& event, absl::Time t);
  // True if the event (or its call) was applied before, else records it.
  absl::StatusOr<bool> SeenBefore(Ledger& ledger, const coachstream::v1::Event& event, absl::Time t);
  // The event's rep (the person, for directory events) and its ledger.
  static std::string_view RepOf(const coachstream::v1::Event& event);
  Ledger& LedgerOf(const coachstream::v1::Event& event);
  // Where ApplyBatch sends events[index].
  struct RoutedEvent {
    uint64_t rep_hash = 0;  // LedgerGroup::RepHash
    const coachstream::v1::Event* event = nullptr;  // events[index], read without the lookup
    uint32_t index = 0;
    int shard = 0;
  };
  // ApplyBatch for events [begin, end) with no directory change after a
  // deal event: the parallel phase, then the serial one.
  absl::Status ApplyRound(std::span<const coachstream::v1::Event* const> events, std::span<const RoutedEvent> routed,
                          size_t begin, size_t end, std::vector<ApplyResult>* results);

  // Marks the (just cleared) ledgers complete if the store is empty, and
  // reads the dedup layout (see DedupLayout): the days that may have
  // per-rep dedup buckets from before the upgrade, and whether the layout
  // still has to be recorded (with the next batch's writes).
  absl::Status CheckStore();

  const MetricsCoreOptions options_;
  const StateReader& reader_;
  const Clock& clock_;
  const int64_t retention_s_;  // dedup horizon, seconds before now
  LedgerGroup ledgers_;
  bool last_writes_cached_ = false;
  int32_t legacy_before_day_ = 0;    // DedupLayout.legacy_before_day
  bool layout_unrecorded_ = false;   // meta/dedup not in the store yet
};

}  // namespace cs::metrics
