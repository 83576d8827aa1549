#include "services/metrics/core/ledger.h"

#include "libs/base/period.h"
#include "services/metrics/core/keys.h"

namespace cs::metrics {

using coachstream::v1::DealState;
using coachstream::v1::MeetingState;
using coachstream::v1::OpenDealEntry;
using coachstream::v1::RepPeriodAgg;
using coachstream::v1::SeenBucket;
using coachstream::v1::SessionState;

bool ParseEntry(std::string_view bytes, PersonEntry* entry) {
  entry->zone_resolved = false;
  return entry->record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

void SerializeEntry(const PersonEntry& entry, std::string* out) { entry.record.SerializeToString(out); }

Ledger::Ledger(const StateReader& reader, const MetricsCoreOptions& options)
    : reader_(reader), options_(options) {}

absl::TimeZone Ledger::TenantZone(std::string_view tenant) {
  auto it = tenant_zones_.find(tenant);
  if (it != tenant_zones_.end()) return it->second;
  absl::TimeZone zone = absl::UTCTimeZone();
  auto configured = options_.tenant_time_zones.find(std::string(tenant));
  const std::string& name = configured != options_.tenant_time_zones.end()
                                ? configured->second
                                : options_.default_time_zone;
  // Options are validated at start-up, so the load cannot fail here.
  absl::LoadTimeZone(name, &zone);
  tenant_zones_.emplace(std::string(tenant), zone);
  return zone;
}

absl::TimeZone Ledger::ZoneNamed(std::string_view tenant, const std::string& name) {
  if (name.empty()) return TenantZone(tenant);
  auto it = zones_.find(name);
  if (it != zones_.end()) return it->second;
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return TenantZone(tenant);  // not cached: tenant-dependent
  zones_.emplace(name, zone);
  return zone;
}

absl::StatusOr<absl::TimeZone> Ledger::RepZone(std::string_view tenant, std::string_view rep) {
  CS_ASSIGN_OR_RETURN(Slot<PersonEntry> * person, Person(tenant, rep));
  if (!person->present) return TenantZone(tenant);
  if (!person->value.zone_resolved) {
    person->value.zone = ZoneNamed(tenant, person->value.record.person().time_zone());
    person->value.zone_resolved = true;
  }
  return person->value.zone;
}

absl::StatusOr<int32_t> Ledger::RepDay(std::string_view tenant, std::string_view rep, absl::Time t) {
  CS_ASSIGN_OR_RETURN(absl::TimeZone zone, RepZone(tenant, rep));
  return DayNumber(absl::ToCivilDay(t, zone));
}

absl::StatusOr<AggTriple> Ledger::Aggs(std::string_view tenant, std::string_view rep, int32_t day) {
  if (memo_.valid && memo_.day == day && memo_.rep == rep && memo_.tenant == tenant) {
    return memo_.triple;
  }
  absl::CivilDay civil = DayFromNumber(day);
  AggTriple triple;
  RepPeriodAgg** targets[] = {&triple.week, &triple.month, &triple.quarter};
  const PeriodKind kinds[] = {PeriodKind::kWeek, PeriodKind::kMonth, PeriodKind::kQuarter};
  for (int i = 0; i < 3; ++i) {
    AggKeyInto(&key_, tenant, rep, PeriodOfDay(kinds[i], civil));
    CS_ASSIGN_OR_RETURN(Slot<RepPeriodAgg> * slot, aggs_.Load(reader_, key_));
    slot->present = true;
    aggs_.MarkDirty(slot);
    *targets[i] = &slot->value;
  }
  memo_.valid = true;
  memo_.tenant.assign(tenant);
  memo_.rep.assign(rep);
  memo_.day = day;
  memo_.triple = triple;
  return triple;
}

absl::StatusOr<Slot<PersonEntry>*> Ledger::Person(std::string_view tenant, std::string_view person_id) {
  PersonKeyInto(&key_, tenant, person_id);
  return persons_.Load(reader_, key_);
}

absl::StatusOr<Slot<DealState>*> Ledger::Deal(std::string_view tenant, std::string_view deal_id) {
  DealKeyInto(&key_, tenant, deal_id);
  return deals_.Load(reader_, key_);
}

absl::StatusOr<Slot<OpenDealEntry>*> Ledger::OpenDeal(std::string_view tenant, std::string_view rep,
                                                      std::string_view deal_id) {
  OpenDealKeyInto(&key_, tenant, rep, deal_id);
  return open_deals_.Load(reader_, key_);
}

absl::StatusOr<Slot<MeetingState>*> Ledger::Meeting(std::string_view tenant, std::string_view rep,
                                                    std::string_view meeting_id) {
  MeetingKeyInto(&key_, tenant, rep, meeting_id);
  return meetings_.Load(reader_, key_);
}

absl::StatusOr<Slot<SessionState>*> Ledger::Session(std::string_view tenant, std::string_view rep,
                                                    std::string_view session_id) {
  SessionKeyInto(&key_, tenant, rep, session_id);
  return sessions_.Load(reader_, key_);
}

absl::StatusOr<Slot<SeenBucket>*> Ledger::Seen(absl::CivilDay utc_day, std::string_view tenant,
                                               std::string_view rep) {
  SeenKeyInto(&key_, utc_day, tenant, rep);
  return seen_.Load(reader_, key_);
}

std::vector<Mutation> Ledger::TakeMutations() {
  std::vector<Mutation> out;
  out.reserve(aggs_.dirty_count() + persons_.dirty_count() + deals_.dirty_count() +
              open_deals_.dirty_count() + meetings_.dirty_count() + sessions_.dirty_count() +
              seen_.dirty_count() + index_writes_.size());
  aggs_.TakeMutations(&out);
  persons_.TakeMutations(&out);
  deals_.TakeMutations(&out);
  open_deals_.TakeMutations(&out);
  meetings_.TakeMutations(&out);
  sessions_.TakeMutations(&out);
  seen_.TakeMutations(&out);
  for (auto& [key, put] : index_writes_) {
    Mutation m;
    m.op = put ? Mutation::Op::kPut : Mutation::Op::kDelete;
    m.key = key;
    out.push_back(std::move(m));
  }
  index_writes_.clear();
  memo_.valid = false;  // the memo's slots are clean now: the next use must mark them again
  if (cached_entries() > static_cast<size_t>(options_.max_cached_entries)) Clear();
  return out;
}

void Ledger::Clear() {
  aggs_.Clear();
  persons_.Clear();
  deals_.Clear();
  open_deals_.Clear();
  meetings_.Clear();
  sessions_.Clear();
  seen_.Clear();
  index_writes_.clear();
  memo_.valid = false;
}

size_t Ledger::cached_entries() const {
  return aggs_.size() + persons_.size() + deals_.size() + open_deals_.size() + meetings_.size() +
         sessions_.size() + seen_.size();
}

}  // namespace cs::metrics
