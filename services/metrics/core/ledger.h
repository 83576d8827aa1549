#pragma once

// Ledger: the typed, cached view of the metrics state that the ingestion
// rules read and change during a batch. It owns the overlay tables (see
// state_table.h) and knows the key layout and each rep's time zone.
//
// Shards. A core that applies on several threads splits the reps into
// shards by a stable hash of (tenant, rep) (LedgerGroup::ShardOf), one
// Ledger per shard, whose tables hold only that shard's reps' keys (and
// its dedup buckets, each shared by reps of the shard only); the
// deal state (deal/<tenant>/<deal>, shared by a deal's owners) belongs to
// the group. The group is either
//  - serial (one thread): any ledger serves any key, forwarding a rep's keys
//    to the ledger of the rep's shard; or
//  - parallel: each thread uses only its own ledger, and an event only the
//    keys of its own rep (BeginEvent), so that a shard may apply its events
//    grouped by rep; deal state is off limits. Reading it, another rep's
//    keys or another shard's is an INTERNAL error (a routing bug in the
//    caller, never a data race or a reordering). Deal activity
//    (RecordDealActivity) is deferred to the serial phase instead. A group
//    of one ledger has the same phases (MetricsCore::ApplyBatch).
// A ledger is not thread-safe; its group belongs to one MetricsCore.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/metrics_state.pb.h"
#include "services/metrics/core/options.h"
#include "services/metrics/core/ports.h"
#include "services/metrics/core/state_table.h"

namespace cs::metrics {

// A dedup bucket (dedup/ key, SeenBucket on disk) in memory: the stored
// fingerprints, sorted, and the ones added since it was loaded, so that
// adding to a bucket of thousands costs a hash insert, not a sorted insert.
struct DedupEntry {
  std::vector<uint64_t> stored;  // sorted ascending, unique
  absl::flat_hash_set<uint64_t> added;

  bool Contains(uint64_t fp) const;
  void Add(uint64_t fp) { added.insert(fp); }
};
bool ParseEntry(std::string_view bytes, DedupEntry* entry);
void SerializeEntry(const DedupEntry& entry, std::string* out);

// The families with an entry per rep and month, and per tenant, day and
// dedup bucket, most of a replay's state, are kept packed between batches.
template <>
inline constexpr bool kPackWhenClean<coachstream::v1::RepMonthBucket> = true;
template <>
inline constexpr bool kPackWhenClean<DedupEntry> = true;

// A directory record plus its resolved zone (derived, not stored).
struct PersonEntry {
  coachstream::v1::RepRecord record;
  bool zone_resolved = false;
  absl::TimeZone zone;
};
bool ParseEntry(std::string_view bytes, PersonEntry* entry);
void SerializeEntry(const PersonEntry& entry, std::string* out);

// The aggregate a day of a rep is credited to: the part of its ISO week in
// its month (months are sums of their week parts, quarters of their
// months: see RepMonthBucket).
struct AggRefs {
  coachstream::v1::RepPeriodAgg* week = nullptr;
  int32_t day = 0;  // the civil day credited

  template <typename F>
  void ForEach(F&& f) const {
    f(*week);
  }
};

class LedgerGroup;

// Activity on a deal met in the parallel phase, applied in the serial one in
// the order of the events (`index` into the batch).
struct DeferredDealActivity {
  size_t index = 0;
  std::string tenant;
  std::string deal_id;
  absl::Time t;
};

class Ledger {
 public:
  const MetricsCoreOptions& options() const { return options_; }
  int shard() const { return shard_; }

  // The rep's zone: a loadable Person.time_zone, else the tenant default.
  absl::StatusOr<absl::TimeZone> RepZone(std::string_view tenant, std::string_view rep);
  // Civil day number of `t` in the rep's zone.
  absl::StatusOr<int32_t> RepDay(std::string_view tenant, std::string_view rep, absl::Time t);
  // The rep's aggregates for civil day `day`, already marked to be written.
  absl::StatusOr<AggRefs> Aggs(std::string_view tenant, std::string_view rep, int32_t day);

  absl::StatusOr<Slot<PersonEntry>*> Person(std::string_view tenant, std::string_view person_id);
  absl::StatusOr<Slot<coachstream::v1::DealState>*> Deal(std::string_view tenant,
                                                         std::string_view deal_id);
  absl::StatusOr<Slot<coachstream::v1::OpenDealEntry>*> OpenDeal(std::string_view tenant,
                                                                 std::string_view rep,
                                                                 std::string_view deal_id);
  absl::StatusOr<Slot<coachstream::v1::MeetingState>*> Meeting(std::string_view tenant,
                                                               std::string_view rep,
                                                               std::string_view meeting_id);
  absl::StatusOr<Slot<coachstream::v1::AccountFirstMeeting>*> AccountFirst(std::string_view tenant,
                                                                           std::string_view rep,
                                                                           std::string_view domain);
  absl::StatusOr<Slot<coachstream::v1::SessionState>*> Session(std::string_view tenant,
                                                               std::string_view rep,
                                                               std::string_view session_id);
  // The dedup bucket holding (tenant, rep)'s fingerprints of UTC day
  // `utc_day` (a civil day number), shared with the other reps of the
  // tenant in the same bucket (all of this ledger's shard), and the rep's
  // hash (LedgerGroup::RepHash) that scopes its fingerprints there.
  struct DedupRef {
    Slot<DedupEntry>* slot = nullptr;
    uint64_t rep_hash = 0;
  };
  absl::StatusOr<DedupRef> Dedup(int32_t utc_day, std::string_view tenant, std::string_view rep);
  // The rep's bucket of that day as written until 2026-12-03 (seen/ key),
  // read only; absent in a store that never had one.
  absl::StatusOr<Slot<coachstream::v1::SeenBucket>*> LegacySeen(int32_t utc_day, std::string_view tenant,
                                                                std::string_view rep);

  void MarkDirty(Slot<PersonEntry>* s) { persons_.MarkDirty(s); }
  // After a directory change of `person_id`: its zone must be re-resolved.
  void PersonChanged(std::string_view tenant, std::string_view person_id);
  void MarkDirty(Slot<coachstream::v1::DealState>* s);
  void MarkDirty(Slot<coachstream::v1::OpenDealEntry>* s) { open_deals_.MarkDirty(s); }
  void MarkDirty(Slot<coachstream::v1::MeetingState>* s) { meetings_.MarkDirty(s); }
  void MarkDirty(Slot<coachstream::v1::AccountFirstMeeting>* s) { accounts_.MarkDirty(s); }
  void MarkDirty(Slot<coachstream::v1::SessionState>* s) { sessions_.MarkDirty(s); }
  void MarkDirty(Slot<DedupEntry>* s) { dedup_.MarkDirty(s); }

  // Blind writes of index keys (empty values); the last call per key wins.
  void PutIndex(std::string key) { index_writes_[std::move(key)] = true; }
  void DeleteIndex(std::string key) { index_writes_[std::move(key)] = false; }

  // In the parallel phase: records activity on `deal_id` at `t` for the
  // serial phase and returns true. Otherwise false (apply it now).
  bool DeferDealActivity(std::string_view tenant, std::string_view deal_id, absl::Time t);
  // In the parallel phase: the event at `index` of the batch, of
  // (tenant, rep), is applied next; only that rep's keys may be reached
  // until the next call (the views must stay valid that long). EndEvents
  // lifts the restriction.
  void BeginEvent(size_t index, std::string_view tenant, std::string_view rep);
  void EndEvents();
  std::vector<DeferredDealActivity>& deferred() { return deferred_; }

 private:
  friend class LedgerGroup;
  // `reader` and `options` must outlive the ledger; options are validated.
  Ledger(const StateReader& reader, const MetricsCoreOptions& options, LedgerGroup* group, int shard);

  // The ledger holding (tenant, rep)'s keys: this one, or (serial phase
  // only) the ledger of the rep's shard.
  absl::StatusOr<Ledger*> Owner(std::string_view tenant, std::string_view rep);
  size_t cached_entries() const;
  void Clear();
  // Prepare (state_table.h) on every table of the ledger.
  void PrepareWrites();
  absl::TimeZone ZoneNamed(std::string_view tenant, const std::string& name);
  // The store, or, while the group holds every key there is (see
  // LedgerGroup::set_complete), a reader that finds nothing.
  const StateReader& Reader() const;
  absl::TimeZone TenantZone(std::string_view tenant);

  const StateReader& reader_;
  const MetricsCoreOptions& options_;
  LedgerGroup* const group_;
  const int shard_;
  StateTable<coachstream::v1::RepMonthBucket> buckets_;
  StateTable<PersonEntry> persons_;
  StateTable<coachstream::v1::OpenDealEntry> open_deals_;
  StateTable<coachstream::v1::MeetingState> meetings_;
  StateTable<coachstream::v1::AccountFirstMeeting> accounts_;
  StateTable<coachstream::v1::SessionState> sessions_;
  StateTable<DedupEntry> dedup_;
  StateTable<coachstream::v1::SeenBucket> legacy_seen_;  // never written
  std::map<std::string, bool> index_writes_;  // sorted: see TakeMutations
  size_t event_index_ = 0;
  bool applying_ = false;  // BeginEvent called: see Owner
  std::string_view applying_tenant_;
  std::string_view applying_rep_;
  std::vector<DeferredDealActivity> deferred_;

  absl::flat_hash_map<std::string, absl::TimeZone> zones_;         // IANA name -> zone
  absl::flat_hash_map<std::string, absl::TimeZone> tenant_zones_;  // tenant -> default zone
  std::string key_;  // scratch buffer for key building

  // Per-rep shortcuts to the slots the hot path needs, so that most events
  // cost one hash lookup instead of five. Points into the tables above;
  // dropped with them in Clear(). The pointers to packed families (aggs,
  // dedup) are valid in the batch (`epoch`) they were taken in only.
  struct RepContext {
    std::string tenant;
    std::string rep;
    uint64_t rep_hash = 0;  // LedgerGroup::RepHash(tenant, rep)
    uint64_t epoch = 0;
    Slot<PersonEntry>* person = nullptr;
    // [begin_s, end_s) is civil day `day` in the rep's zone; the two most
    // recently used days (an event's own day and e.g. a meeting's start).
    struct DayRange {
      int64_t begin_s = 0;
      int64_t end_s = 0;
      int32_t day = 0;
    };
    DayRange days[2];
    int day_victim = 0;
    struct DayAggs {
      int32_t day = 0;
      Slot<coachstream::v1::RepMonthBucket>* bucket = nullptr;
      coachstream::v1::RepPeriodAgg* week = nullptr;  // inside bucket
    };
    static constexpr int kDayAggs = 4;
    DayAggs aggs[kDayAggs];  // recently used days, replaced round robin
    int agg_entries = 0;
    int agg_victim = 0;
    int32_t dedup_day = 0;
    Slot<DedupEntry>* dedup = nullptr;
  };
  absl::StatusOr<RepContext*> Context(std::string_view tenant, std::string_view rep);
  // `context`, its pointers into packed families dropped if taken in an
  // earlier batch.
  RepContext* Current(RepContext* context) const;
  absl::StatusOr<absl::TimeZone> ContextZone(std::string_view tenant, RepContext* context);
  absl::flat_hash_map<std::string, std::unique_ptr<RepContext>> contexts_;  // tenant '\0' rep
  RepContext* last_context_ = nullptr;
  uint64_t epoch_ = 0;  // batches taken (TakeMutations): see RepContext
};

// The ledgers of one core, one per shard of reps, and the state they share.
class LedgerGroup {
 public:
  // `reader` and `options` must outlive the group; options are validated.
  LedgerGroup(const StateReader& reader, const MetricsCoreOptions& options, int shards);

  int size() const { return static_cast<int>(shards_.size()); }
  Ledger& shard(int i) { return *shards_[static_cast<size_t>(i)]; }
  // The shard of (tenant, rep): stable across runs (not absl::Hash).
  int ShardOf(std::string_view tenant, std::string_view rep) const;
  // ShardOf in two steps, for callers that also group by rep.
  static uint64_t RepHash(std::string_view tenant, std::string_view rep);
  int ShardOfHash(uint64_t rep_hash) const;
  // The rep's dedup bucket (keys.h), stable across runs. A shard holds
  // whole buckets: ShardOfHash is the bucket modulo the shard count.
  static int DedupBucketOfHash(uint64_t rep_hash);
  Ledger& For(std::string_view tenant, std::string_view rep) { return shard(ShardOf(tenant, rep)); }

  // Calls fn(shard) for every shard: shard 0 on the calling thread, the
  // others each on a thread of its own when `threads` (else on the calling
  // thread, in order). Returns when all are done, with the first error
  // (shard 0's before the others').
  absl::Status ForEachShard(bool threads, absl::FunctionRef<absl::Status(int)> fn);

  // See Ledger: in the parallel phase each ledger is used by its own thread.
  void set_parallel(bool parallel) { parallel_ = parallel; }
  bool parallel() const { return parallel_; }

  // Calls `visit` once per key written since the last call (the views are
  // valid during the call only), in ascending key order within each key
  // family (agg/, dedup/, ...), whichever shard wrote it. Keeps clean entries
  // cached unless the cache exceeds options.max_cached_entries. Each shard
  // serialises its own entries, on its own thread when there are several
  // and the batch is large; `visit` is called on the calling thread.
  void TakeMutations(MutationVisitor visit);
  size_t pending_mutations() const;
  // Forgets every cached entry, pending write and deferred activity (after
  // a failed batch, a partition revocation, or anything else that makes the
  // cache suspect). The group is no longer complete.
  void Clear();
  // Complete: every key of the store is in the cache (it was empty when the
  // cache was last cleared, and nothing was dropped since), so a key the
  // cache lacks is absent and is not read. Cleared by Clear(), including
  // the eviction in TakeMutations.
  void set_complete(bool complete) { complete_ = complete; }
  size_t cached_entries() const;

 private:
  friend class Ledger;
  template <typename T>
  void VisitFamily(StateTable<T> Ledger::*table, MutationVisitor visit);

  const MetricsCoreOptions& options_;
  StateTable<coachstream::v1::DealState> deals_;
  std::vector<std::unique_ptr<Ledger>> shards_;
  bool parallel_ = false;
  bool complete_ = false;
};

}  // namespace cs::metrics
