#include "services/metrics/core/metrics_core.h"

#include <algorithm>
#include <cstring>

#include "libs/base/status.h"
#include "services/metrics/core/calendar_rules.h"
#include "services/metrics/core/call_rules.h"
#include "services/metrics/core/deal_rules.h"
#include "services/metrics/core/directory_rules.h"
#include "services/metrics/core/time_util.h"

namespace cs::metrics {
namespace {

using coachstream::v1::Event;

// Stable 64-bit fingerprint (FNV-1a, then the murmur3 finaliser). Not
// absl::Hash: that one is salted per process and would not survive a
// restart. Collisions within one (rep, day) bucket are ~n^2/2^65.
uint64_t Fingerprint(char ns, std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 0x100000001b3ull;
  };
  mix(static_cast<unsigned char>(ns));
  for (char c : id) mix(static_cast<unsigned char>(c));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// Inserts `fp` (known to be absent) into the sorted fingerprints.
void InsertSorted(google::protobuf::RepeatedField<uint64_t>* fps, uint64_t fp) {
  const int size = fps->size();
  if (size == fps->Capacity()) fps->Reserve(size < 16 ? 16 : 2 * size);
  const uint64_t* begin = fps->data();
  const int pos = static_cast<int>(std::lower_bound(begin, begin + size, fp) - begin);
  fps->AddAlreadyReserved(fp);
  uint64_t* data = fps->mutable_data();
  std::memmove(data + pos + 1, data + pos, sizeof(uint64_t) * static_cast<size_t>(size - pos));
  data[pos] = fp;
}

bool ContainsSorted(const google::protobuf::RepeatedField<uint64_t>& fps, uint64_t fp) {
  const uint64_t* begin = fps.data();
  return std::binary_search(begin, begin + fps.size(), fp);
}

// Snapshot-style events are idempotent by their stored version, so they
// need no dedup entry to be safe past the horizon.
bool IsVersioned(const Event& e) {
  return e.has_deal() || e.has_meeting() || e.has_person();
}

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

absl::StatusOr<std::unique_ptr<MetricsCore>> MetricsCore::Create(const MetricsCoreOptions& options,
                                                                 const StateReader& reader,
                                                                 const Clock& clock) {
  CS_RETURN_IF_ERROR(ValidateOptions(options));
  return std::unique_ptr<MetricsCore>(new MetricsCore(options, reader, clock));
}

MetricsCore::MetricsCore(const MetricsCoreOptions& options, const StateReader& reader, const Clock& clock)
    : options_(options),
      clock_(clock),
      retention_s_(int64_t{options.dedup_retention_days} * 86400),
      ledger_(reader, options_) {}

absl::StatusOr<ApplyResult> MetricsCore::Apply(const Event& event) {
  if (event.tenant_id().empty() || event.rep_id().empty() || event.event_id().empty() ||
      event.payload_case() == Event::PAYLOAD_NOT_SET) {
    return ApplyResult::kInvalid;
  }
  if (event.has_person()) return ApplyPersonEvent(ledger_, event);
  if (!HasTime(event.occurred_at())) return ApplyResult::kInvalid;
  const absl::Time t = ToTime(event.occurred_at());
  if (absl::ToUnixSeconds(t) < absl::ToUnixSeconds(clock_.Now()) - retention_s_) {
    // Past the dedup horizon only idempotent snapshots are safe to apply.
    if (!IsVersioned(event)) return ApplyResult::kTooOld;
    return Dispatch(event, t);
  }
  CS_ASSIGN_OR_RETURN(bool seen, SeenBefore(event, t));
  if (seen) return ApplyResult::kDuplicate;
  return Dispatch(event, t);
}

absl::StatusOr<bool> MetricsCore::SeenBefore(const Event& event, absl::Time t) {
  // UTC civil day by arithmetic: floor division of Unix seconds.
  const int64_t t_s = absl::ToUnixSeconds(t);
  const int32_t utc_day = static_cast<int32_t>((t_s >= 0 ? t_s : t_s - 86399) / 86400);
  CS_ASSIGN_OR_RETURN(Slot<coachstream::v1::SeenBucket> * slot, ledger_.Seen(utc_day, event.tenant_id(), event.rep_id()));
  auto* fps = slot->value.mutable_fingerprints();
  // A call is identified by its call id: a redelivery has the same one, and
  // a vendor re-sync re-emits a known call under a new event id.
  const bool has_call_id = event.has_call() && !event.call().call_id().empty();
  const uint64_t fp = has_call_id ? Fingerprint('c', event.call().call_id()) : Fingerprint('e', event.event_id());
  if (ContainsSorted(*fps, fp)) return true;
  InsertSorted(fps, fp);
  slot->present = true;
  ledger_.MarkDirty(slot);
  return false;
}

absl::StatusOr<ApplyResult> MetricsCore::Dispatch(const Event& event, absl::Time t) {
  switch (event.payload_case()) {
    case Event::kDeal: return ApplyDealEvent(ledger_, event, t);
    case Event::kCall: return ApplyCallEvent(ledger_, event, t);
    case Event::kMeeting: return ApplyMeetingEvent(ledger_, event, t);
    case Event::kCoachingSession: return ApplySessionEvent(ledger_, event, t);
    case Event::kPerson: return ApplyPersonEvent(ledger_, event);
    case Event::PAYLOAD_NOT_SET: break;
  }
  return ApplyResult::kInvalid;
}

std::vector<Mutation> MetricsCore::TakeMutations() {
  std::vector<Mutation> out;
  out.reserve(ledger_.pending_mutations());
  TakeMutations([&](Mutation::Op op, std::string_view key, std::string_view value) {
    out.push_back(Mutation{op, std::string(key), std::string(value)});
  });
  return out;
}

void MetricsCore::TakeMutations(MutationVisitor visit) {
  const bool writes = ledger_.pending_mutations() > 0;
  ledger_.TakeMutations(visit);
  // The ledger drops its whole cache when it grew past max_cached_entries.
  last_writes_cached_ = !writes || ledger_.cached_entries() > 0;
}

void MetricsCore::ClearCache() {
  ledger_.Clear();
  last_writes_cached_ = false;
}

}  // namespace cs::metrics
