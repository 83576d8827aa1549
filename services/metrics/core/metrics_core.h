#pragma once

// MetricsCore: the pure aggregation core of the metrics service.
//
// The adapter drives it once per poll batch:
//
//   for (const Event& e : batch) CS_ASSIGN_OR_RETURN(ApplyResult r, core->Apply(e));
//   std::vector<Mutation> writes = core->TakeMutations();
//   // one RocksDB WriteBatch: `writes` + the consumed offsets
//
// Apply reads committed state through the StateReader at most once per key
// (the in-memory overlay serves later reads, also across batches while the
// cache is small enough) and TakeMutations emits each changed key once.
//
// Failure contract: a non-OK status from Apply or an unpersisted batch
// leaves the overlay ahead of the store. The adapter must then call
// ClearCache() and resume from the stored offsets. It must also call
// ClearCache() when it loses partitions (another instance may change that
// state). Not thread-safe: one core per consuming thread.

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"
#include "services/metrics/core/options.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics {

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
  size_t cached_entries() const { return ledger_.cached_entries(); }
  const MetricsCoreOptions& options() const { return options_; }

 private:
  MetricsCore(const MetricsCoreOptions& options, const StateReader& reader, const Clock& clock);
  absl::StatusOr<ApplyResult> Dispatch(const coachstream::v1::Event& event, absl::Time t);
  // True if the event (or its call) was applied before, else records it.
  absl::StatusOr<bool> SeenBefore(const coachstream::v1::Event& event, absl::Time t);

  const MetricsCoreOptions options_;
  const Clock& clock_;
  const int64_t retention_s_;  // dedup horizon, seconds before now
  Ledger ledger_;
  bool last_writes_cached_ = false;
};

}  // namespace cs::metrics
