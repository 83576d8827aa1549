#include "services/metrics/core/metrics_core.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>

#include "libs/base/stable_hash.h"
#include "libs/base/status.h"
#include "services/metrics/core/calendar_rules.h"
#include "services/metrics/core/call_rules.h"
#include "services/metrics/core/deal_rules.h"
#include "services/metrics/core/directory_rules.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/time_util.h"

namespace cs::metrics {
namespace {

using coachstream::v1::Event;

// Stable 64-bit fingerprint of an event (or call) id, as the per-rep
// buckets of before 2026-12-03 keep it. Not absl::Hash: that one is
// salted per process and would not survive a restart.
uint64_t Fingerprint(char ns, std::string_view id) { return Murmur3Mix(Fnv1a(id, Fnv1a(std::string_view(&ns, 1)))); }

// The same, scoped to the rep (LedgerGroup::RepHash), as the shared dedup
// buckets keep it: two reps credited with one call stay two. Collisions
// within one bucket and day are ~n^2/2^65 (n fingerprints).
uint64_t RepFingerprint(uint64_t fingerprint, uint64_t rep_hash) { return Murmur3Mix(fingerprint ^ rep_hash); }

bool ContainsSorted(const google::protobuf::RepeatedField<uint64_t>& fps, uint64_t fp) {
  const uint64_t* begin = fps.data();
  return std::binary_search(begin, begin + fps.size(), fp);
}

// Snapshot-style events are idempotent by their stored version, so they
// need no dedup entry (see Admit).
bool IsVersioned(const Event& e) {
  return e.has_deal() || e.has_meeting() || e.has_person();
}

// Events whose rules read deal state (see ApplyBatch): deal snapshots, and
// calls and meetings linked to a deal (their activity is deferred).
bool TouchesDeals(const Event& e) {
  return e.has_deal() || (e.has_call() && !e.call().deal_id().empty()) ||
         (e.has_meeting() && !e.meeting().deal_id().empty());
}

// Below this many events a batch is applied event by event (Apply), above
// in rounds (ApplyRound).
constexpr size_t kMinBatchRounds = 512;

// How far ahead of the event being applied ApplyRound prefetches.
constexpr size_t kPrefetchAhead = 8;

}  // namespace

std::string_view ApplyResultName(ApplyResult result) {
  switch (result) {
    case ApplyResult::kApplied: return "applied";
    case ApplyResult::kDuplicate: return "duplicate";
    case ApplyResult::kStale: return "stale";
    case ApplyResult::kTooOld: return "too_old";
    case ApplyResult::kIgnored: return "ignored";
    case ApplyResult::kInvalid: return "invalid";
  }
  return "unknown";
}

std::string_view InvalidEventReason(const Event& event) {
  if (event.tenant_id().empty()) return "tenant_id is empty";
  if (event.rep_id().empty()) return "rep_id is empty";
  if (event.event_id().empty()) return "event_id is empty";
  if (event.payload_case() == Event::PAYLOAD_NOT_SET) return "no payload (deal, call, meeting, coaching_session or person)";
  if (!event.has_person() && !HasTime(event.occurred_at())) return "occurred_at is not set";
  if (event.has_deal() && event.deal().deal_id().empty()) return "deal.deal_id is empty";
  if (event.has_meeting() && event.meeting().meeting_id().empty()) return "meeting.meeting_id is empty";
  if (event.has_coaching_session() && event.coaching_session().session_id().empty()) {
    return "coaching_session.session_id is empty";
  }
  if (event.has_coaching_session() && event.coaching_session().kind() == coachstream::v1::SESSION_KIND_UNSPECIFIED) {
    return "coaching_session.kind is unspecified";
  }
  return {};
}

absl::StatusOr<std::unique_ptr<MetricsCore>> MetricsCore::Create(const MetricsCoreOptions& options,
                                                                 const StateReader& reader,
                                                                 const Clock& clock) {
  CS_RETURN_IF_ERROR(ValidateOptions(options));
  std::unique_ptr<MetricsCore> core(new MetricsCore(options, reader, clock));
  CS_RETURN_IF_ERROR(core->CheckStore());
  return core;
}

MetricsCore::MetricsCore(const MetricsCoreOptions& options, const StateReader& reader, const Clock& clock)
    : options_(options),
      reader_(reader),
      clock_(clock),
      retention_s_(int64_t{options.dedup_retention_days} * 86400),
      ledgers_(reader, options_, options.apply_threads) {}

std::string_view MetricsCore::RepOf(const Event& event) {
  if (event.has_person() && !event.person().person().person_id().empty()) return event.person().person().person_id();
  return event.rep_id();
}

Ledger& MetricsCore::LedgerOf(const Event& event) { return ledgers_.For(event.tenant_id(), RepOf(event)); }

absl::StatusOr<ApplyResult> MetricsCore::Apply(const Event& event) {
  Ledger& ledger = LedgerOf(event);
  absl::Time t;
  CS_ASSIGN_OR_RETURN(ApplyResult admitted, Admit(ledger, event, &t));
  if (admitted != ApplyResult::kApplied) return admitted;
  return Dispatch(ledger, event, t);
}

absl::StatusOr<ApplyResult> MetricsCore::Admit(Ledger& ledger, const Event& event, absl::Time* t) {
  if (!InvalidEventReason(event).empty()) return ApplyResult::kInvalid;
  if (event.has_person()) return ApplyResult::kApplied;  // versioned by updated_at
  *t = ToTime(event.occurred_at());
  // Snapshots (deals, meetings) are idempotent by their version: a
  // redelivery or an older one changes nothing (the rules return
  // kDuplicate or kStale), at any age. Only calls and coaching sessions,
  // which count once per arrival, need the dedup state, and only within
  // its horizon.
  if (IsVersioned(event)) return ApplyResult::kApplied;
  if (absl::ToUnixSeconds(*t) < absl::ToUnixSeconds(clock_.Now()) - retention_s_) return ApplyResult::kTooOld;
  CS_ASSIGN_OR_RETURN(bool seen, SeenBefore(ledger, event, *t));
  return seen ? ApplyResult::kDuplicate : ApplyResult::kApplied;
}

absl::Status MetricsCore::ApplyBatch(std::span<const Event* const> events, std::vector<ApplyResult>* results) {
  results->assign(events.size(), ApplyResult::kInvalid);
  if (events.size() < kMinBatchRounds) {
    for (size_t i = 0; i < events.size(); ++i) {
      CS_ASSIGN_OR_RETURN((*results)[i], Apply(*events[i]));
    }
    return absl::OkStatus();
  }
  // Each event's rep (its hash) and shard, and the rounds: a directory
  // event after a deal event starts a new round, so that deal events are
  // applied with the zones of their place in the batch.
  std::vector<RoutedEvent> routed(events.size());
  size_t begin = 0;
  bool deals_waiting = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = *events[i];
    routed[i].rep_hash = LedgerGroup::RepHash(e.tenant_id(), RepOf(e));
    routed[i].event = &e;
    routed[i].index = static_cast<uint32_t>(i);
    routed[i].shard = ledgers_.ShardOfHash(routed[i].rep_hash);
    if (e.has_person() && deals_waiting) {
      CS_RETURN_IF_ERROR(ApplyRound(events, routed, begin, i, results));
      begin = i;
      deals_waiting = false;
    }
    deals_waiting = deals_waiting || TouchesDeals(e);
  }
  return ApplyRound(events, routed, begin, events.size(), results);
}

absl::Status MetricsCore::ApplyRound(std::span<const Event* const> events, std::span<const RoutedEvent> routed,
                                     size_t begin, size_t end, std::vector<ApplyResult>* results) {
  // Parallel phase: every shard applies its reps' events, each rep's in
  // batch order and one rep after the other (its state stays in the CPU
  // caches while its events are applied: in a busy batch a rep has several),
  // except deal snapshots (kept for later) and activity on deals (deferred
  // by RecordDealActivity). Events of different reps touch disjoint state
  // in this phase (the ledger refuses anything else), so the order among
  // reps cannot change the outcome.
  const int n = ledgers_.size();
  std::vector<std::vector<RoutedEvent>> order(static_cast<size_t>(n));
  for (size_t i = begin; i < end; ++i) order[static_cast<size_t>(routed[i].shard)].push_back(routed[i]);
  std::vector<std::vector<size_t>> deal_events(static_cast<size_t>(n));
  auto run = [&](int s) -> absl::Status {
    Ledger& ledger = ledgers_.shard(s);
    std::vector<RoutedEvent>& mine = order[static_cast<size_t>(s)];
    std::sort(mine.begin(), mine.end(), [](const RoutedEvent& a, const RoutedEvent& b) {
      return a.rep_hash != b.rep_hash ? a.rep_hash < b.rep_hash : a.index < b.index;
    });
    for (size_t k = 0; k < mine.size(); ++k) {
      // In rep order the events are visited out of batch order: fetch the
      // ones a few steps ahead (each a cache miss otherwise).
      if (k + kPrefetchAhead < mine.size()) {
        const char* ahead = reinterpret_cast<const char*>(mine[k + kPrefetchAhead].event);
        __builtin_prefetch(ahead);
        __builtin_prefetch(ahead + 64);
      }
      const RoutedEvent& r = mine[k];
      const Event& e = *r.event;
      ledger.BeginEvent(r.index, e.tenant_id(), RepOf(e));
      absl::Time t;
      CS_ASSIGN_OR_RETURN(ApplyResult admitted, Admit(ledger, e, &t));
      if (admitted != ApplyResult::kApplied) {
        (*results)[r.index] = admitted;
      } else if (e.has_deal()) {
        deal_events[static_cast<size_t>(s)].push_back(r.index);
      } else {
        CS_ASSIGN_OR_RETURN((*results)[r.index], Dispatch(ledger, e, t));
      }
    }
    return absl::OkStatus();
  };
  ledgers_.set_parallel(true);
  absl::Status status = ledgers_.ForEachShard(/*threads=*/true, run);
  ledgers_.set_parallel(false);
  for (int s = 0; s < n; ++s) ledgers_.shard(s).EndEvents();
  CS_RETURN_IF_ERROR(status);

  // Serial phase: deal snapshots and deferred activity, in batch order (an
  // event's own activities in the order it recorded them).
  struct Item {
    size_t index;
    const DeferredDealActivity* activity;  // null: the deal snapshot events[index]
  };
  std::vector<Item> items;
  for (int s = 0; s < n; ++s) {
    for (size_t i : deal_events[static_cast<size_t>(s)]) items.push_back(Item{i, nullptr});
    for (const DeferredDealActivity& a : ledgers_.shard(s).deferred()) items.push_back(Item{a.index, &a});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.index < b.index; });
  for (const Item& item : items) {
    if (item.activity != nullptr) {
      // Serial now: any ledger reaches the deal's owner.
      CS_RETURN_IF_ERROR(
          RecordDealActivity(ledgers_.shard(0), item.activity->tenant, item.activity->deal_id, item.activity->t));
    } else {
      const Event& e = *events[item.index];
      CS_ASSIGN_OR_RETURN((*results)[item.index],
                          Dispatch(ledgers_.shard(routed[item.index].shard), e, ToTime(e.occurred_at())));
    }
  }
  for (int s = 0; s < n; ++s) ledgers_.shard(s).deferred().clear();
  return absl::OkStatus();
}

absl::StatusOr<bool> MetricsCore::SeenBefore(Ledger& ledger, const Event& event, absl::Time t) {
  // UTC civil day by arithmetic: floor division of Unix seconds.
  const int64_t t_s = absl::ToUnixSeconds(t);
  const int32_t utc_day = static_cast<int32_t>((t_s >= 0 ? t_s : t_s - 86399) / 86400);
  // A call is identified by its call id: a redelivery has the same one, and
  // a vendor re-sync re-emits a known call under a new event id.
  const bool has_call_id = event.has_call() && !event.call().call_id().empty();
  const uint64_t fp = has_call_id ? Fingerprint('c', event.call().call_id()) : Fingerprint('e', event.event_id());
  CS_ASSIGN_OR_RETURN(Ledger::DedupRef dedup, ledger.Dedup(utc_day, event.tenant_id(), event.rep_id()));
  Slot<DedupEntry>* slot = dedup.slot;
  const uint64_t rep_fp = RepFingerprint(fp, dedup.rep_hash);
  if (slot->value.Contains(rep_fp)) return true;
  if (utc_day < legacy_before_day_) {  // applied before the upgrade, maybe
    CS_ASSIGN_OR_RETURN(Slot<coachstream::v1::SeenBucket> * legacy,
                        ledger.LegacySeen(utc_day, event.tenant_id(), event.rep_id()));
    if (legacy->present && ContainsSorted(legacy->value.fingerprints(), fp)) return true;
  }
  slot->value.Add(rep_fp);
  slot->present = true;
  ledger.MarkDirty(slot);
  return false;
}

absl::StatusOr<ApplyResult> MetricsCore::Dispatch(Ledger& ledger, const Event& event, absl::Time t) {
  switch (event.payload_case()) {
    case Event::kDeal: return ApplyDealEvent(ledger, event, t);
    case Event::kCall: return ApplyCallEvent(ledger, event, t);
    case Event::kMeeting: return ApplyMeetingEvent(ledger, event, t);
    case Event::kCoachingSession: return ApplySessionEvent(ledger, event, t);
    case Event::kPerson: return ApplyPersonEvent(ledger, event);
    case Event::PAYLOAD_NOT_SET: break;
  }
  return ApplyResult::kInvalid;
}

std::vector<Mutation> MetricsCore::TakeMutations() {
  std::vector<Mutation> out;
  out.reserve(ledgers_.pending_mutations());
  TakeMutations([&](Mutation::Op op, std::string_view key, std::string_view value) {
    out.push_back(Mutation{op, std::string(key), std::string(value)});
  });
  return out;
}

void MetricsCore::TakeMutations(MutationVisitor visit) {
  const bool writes = ledgers_.pending_mutations() > 0;
  ledgers_.TakeMutations(visit);
  if (writes && layout_unrecorded_) {  // recorded with the first batch that writes
    coachstream::v1::DedupLayout layout;
    layout.set_legacy_before_day(legacy_before_day_);
    visit(Mutation::Op::kPut, kDedupLayoutKey, layout.SerializeAsString());
    layout_unrecorded_ = false;
  }
  // The ledgers drop their whole cache when it grew past max_cached_entries.
  last_writes_cached_ = !writes || ledgers_.cached_entries() > 0;
}

void MetricsCore::ClearCache() {
  ledgers_.Clear();
  last_writes_cached_ = false;
  // Reads what the store now holds (a failed batch may have carried the
  // layout). A failed read leaves the layout as it was.
  (void)CheckStore();
}

absl::Status MetricsCore::CheckStore() {
  absl::StatusOr<bool> empty = reader_.Empty();
  ledgers_.set_complete(empty.ok() && *empty);  // a failed check reads as usual
  std::optional<std::string> bytes;
  if (!empty.ok() || !*empty) {
    CS_ASSIGN_OR_RETURN(bytes, reader_.Get(kDedupLayoutKey));
  }
  if (bytes.has_value()) {
    coachstream::v1::DedupLayout layout;
    if (!layout.ParseFromString(*bytes)) {
      return absl::DataLossError("metrics state at key \"" + std::string(kDedupLayoutKey) + "\" does not parse");
    }
    legacy_before_day_ = layout.legacy_before_day();
    layout_unrecorded_ = false;
    return absl::OkStatus();
  }
  // Not recorded yet: a new store has no per-rep buckets; one written
  // before 2026-12-03 may have them for any day up to today (a day more
  // for clocks ahead).
  CS_RETURN_IF_ERROR(empty.status());
  const int64_t now_s = absl::ToUnixSeconds(clock_.Now());
  legacy_before_day_ = *empty ? std::numeric_limits<int32_t>::min() : static_cast<int32_t>(now_s / 86400) + 2;
  layout_unrecorded_ = true;
  return absl::OkStatus();
}

}  // namespace cs::metrics
