#include "services/metrics/core/ledger.h"

#include <algorithm>
#include <future>

#include "absl/strings/str_cat.h"
#include "libs/base/period.h"
#include "libs/base/stable_hash.h"
#include "services/metrics/core/agg_ops.h"
#include "services/metrics/core/keys.h"

namespace cs::metrics {

using coachstream::v1::DealState;
using coachstream::v1::MeetingState;
using coachstream::v1::OpenDealEntry;
using coachstream::v1::SeenBucket;
using coachstream::v1::SessionState;

namespace {

// Below this many writes a batch's shards are serialised on the calling
// thread (a thread costs more than it saves).
constexpr size_t kMinParallelWrites = 4096;

}  // namespace

bool ParseEntry(std::string_view bytes, PersonEntry* entry) {
  entry->zone_resolved = false;
  return entry->record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

void SerializeEntry(const PersonEntry& entry, std::string* out) { entry.record.SerializeToString(out); }

bool DedupEntry::Contains(uint64_t fp) const {
  return added.contains(fp) || std::binary_search(stored.begin(), stored.end(), fp);
}

bool ParseEntry(std::string_view bytes, DedupEntry* entry) {
  SeenBucket bucket;
  if (!bucket.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return false;
  entry->stored.assign(bucket.fingerprints().begin(), bucket.fingerprints().end());
  entry->added.clear();
  return true;
}

void SerializeEntry(const DedupEntry& entry, std::string* out) {
  std::vector<uint64_t> added(entry.added.begin(), entry.added.end());
  std::sort(added.begin(), added.end());
  SeenBucket bucket;
  bucket.mutable_fingerprints()->Reserve(static_cast<int>(entry.stored.size() + added.size()));
  std::merge(entry.stored.begin(), entry.stored.end(), added.begin(), added.end(),
             google::protobuf::RepeatedFieldBackInserter(bucket.mutable_fingerprints()));
  bucket.SerializeToString(out);
}

Ledger::Ledger(const StateReader& reader, const MetricsCoreOptions& options, LedgerGroup* group, int shard)
    : reader_(reader), options_(options), group_(group), shard_(shard) {}

absl::StatusOr<Ledger*> Ledger::Owner(std::string_view tenant, std::string_view rep) {
  if (group_->parallel()) {
    // Events are applied grouped by rep in this phase, so an event may only
    // reach its own rep's keys (which are this shard's: it was routed here).
    if (applying_) {
      if (rep == applying_rep_ && tenant == applying_tenant_) return this;
      return absl::InternalError(absl::StrCat("metrics core: an event of rep \"", std::string(applying_rep_),
                                              "\" reached rep \"", std::string(rep), "\" while applying in parallel"));
    }
    // No event begun: the shard's reps only.
    if (group_->size() == 1) return this;
    Ledger* owner = &group_->For(tenant, rep);
    if (owner != this) {
      return absl::InternalError(absl::StrCat("metrics core: shard ", shard_, " reached rep \"", std::string(rep),
                                              "\" of shard ", owner->shard_, " while applying in parallel"));
    }
    return this;
  }
  if (group_->size() == 1) return this;
  return &group_->For(tenant, rep);
}

void Ledger::BeginEvent(size_t index, std::string_view tenant, std::string_view rep) {
  event_index_ = index;
  applying_ = true;
  applying_tenant_ = tenant;
  applying_rep_ = rep;
}

void Ledger::EndEvents() {
  applying_ = false;
  applying_tenant_ = {};
  applying_rep_ = {};
}

bool Ledger::DeferDealActivity(std::string_view tenant, std::string_view deal_id, absl::Time t) {
  if (!group_->parallel()) return false;
  deferred_.push_back(DeferredDealActivity{event_index_, std::string(tenant), std::string(deal_id), t});
  return true;
}

absl::TimeZone Ledger::TenantZone(std::string_view tenant) {
  auto it = tenant_zones_.find(AbslView(tenant));
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

absl::StatusOr<Ledger::RepContext*> Ledger::Context(std::string_view tenant, std::string_view rep) {
  // Rules ask several times per event for the same rep: skip the hashing.
  if (last_context_ != nullptr && last_context_->rep == rep && last_context_->tenant == tenant) {
    return Current(last_context_);
  }
  key_.assign(tenant);
  key_.push_back('\0');
  key_.append(rep);
  auto it = contexts_.find(AbslView(key_));
  if (it != contexts_.end()) return Current(last_context_ = it->second.get());
  std::string context_key = key_;
  CS_ASSIGN_OR_RETURN(Slot<PersonEntry> * person, Person(tenant, rep));
  auto context = std::make_unique<RepContext>();
  context->tenant.assign(tenant);
  context->rep.assign(rep);
  context->rep_hash = LedgerGroup::RepHash(tenant, rep);
  context->person = person;
  context->epoch = epoch_;
  return last_context_ = contexts_.emplace(std::move(context_key), std::move(context)).first->second.get();
}

Ledger::RepContext* Ledger::Current(RepContext* context) const {
  if (context->epoch != epoch_) {  // taken in an earlier batch: maybe packed since
    context->agg_entries = 0;
    context->agg_victim = 0;
    context->dedup = nullptr;
    context->epoch = epoch_;
  }
  return context;
}

absl::StatusOr<absl::TimeZone> Ledger::ContextZone(std::string_view tenant, RepContext* context) {
  PersonEntry& entry = context->person->value;
  if (!context->person->present) return TenantZone(tenant);
  if (!entry.zone_resolved) {
    entry.zone = ZoneNamed(tenant, entry.record.person().time_zone());
    entry.zone_resolved = true;
  }
  return entry.zone;
}

void Ledger::PersonChanged(std::string_view tenant, std::string_view person_id) {
  absl::StatusOr<Ledger*> owner = Owner(tenant, person_id);
  if (!owner.ok()) return;  // cannot happen: the person's own event was routed here
  if (*owner != this) return (*owner)->PersonChanged(tenant, person_id);
  key_.assign(tenant);
  key_.push_back('\0');
  key_.append(person_id);
  auto it = contexts_.find(AbslView(key_));
  if (it != contexts_.end()) {
    for (RepContext::DayRange& range : it->second->days) range = RepContext::DayRange();
  }
  PersonKeyInto(&key_, tenant, person_id);
  absl::StatusOr<Slot<PersonEntry>*> person = persons_.Load(Reader(), key_);
  if (person.ok()) (*person)->value.zone_resolved = false;
}

absl::StatusOr<absl::TimeZone> Ledger::RepZone(std::string_view tenant, std::string_view rep) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->RepZone(tenant, rep);
  CS_ASSIGN_OR_RETURN(RepContext * context, Context(tenant, rep));
  return ContextZone(tenant, context);
}

absl::StatusOr<int32_t> Ledger::RepDay(std::string_view tenant, std::string_view rep, absl::Time t) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->RepDay(tenant, rep, t);
  CS_ASSIGN_OR_RETURN(RepContext * context, Context(tenant, rep));
  const int64_t t_s = absl::ToUnixSeconds(t);
  for (int i = 0; i < 2; ++i) {
    const RepContext::DayRange& range = context->days[i];
    if (t_s >= range.begin_s && t_s < range.end_s) {
      context->day_victim = i ^ 1;
      return range.day;
    }
  }
  CS_ASSIGN_OR_RETURN(absl::TimeZone zone, ContextZone(tenant, context));
  const absl::CivilDay civil = absl::ToCivilDay(t, zone);
  RepContext::DayRange& range = context->days[context->day_victim];
  context->day_victim ^= 1;
  range.day = DayNumber(civil);
  range.begin_s = absl::ToUnixSeconds(absl::FromCivil(civil, zone));
  range.end_s = absl::ToUnixSeconds(absl::FromCivil(civil + 1, zone));
  return range.day;
}

absl::StatusOr<AggRefs> Ledger::Aggs(std::string_view tenant, std::string_view rep, int32_t day) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->Aggs(tenant, rep, day);
  CS_ASSIGN_OR_RETURN(RepContext * context, Context(tenant, rep));
  RepContext::DayAggs* entry = nullptr;
  for (int i = 0; i < context->agg_entries; ++i) {
    if (context->aggs[i].day == day) entry = &context->aggs[i];
  }
  if (entry == nullptr) {
    if (context->agg_entries < RepContext::kDayAggs) {
      entry = &context->aggs[context->agg_entries++];
    } else {
      entry = &context->aggs[context->agg_victim];
      context->agg_victim = (context->agg_victim + 1) % RepContext::kDayAggs;
    }
    const absl::CivilDay civil = DayFromNumber(day);
    AggKeyInto(&key_, tenant, rep, PeriodOfDay(PeriodKind::kMonth, civil));
    CS_ASSIGN_OR_RETURN(entry->bucket, buckets_.Load(Reader(), key_));
    entry->bucket->value.clear_month();  // written by earlier versions: see RepMonthBucket
    // A new bucket records the day of every open-deal transition; one
    // written before that did not, and never will for its earlier ones.
    if (!entry->bucket->present) entry->bucket->value.set_open_deal_days(true);
    const Period week = PeriodOfDay(PeriodKind::kWeek, civil);
    entry->week = WeekPartOf(&entry->bucket->value, week.year, week.index);
    entry->day = day;
  }
  entry->bucket->present = true;
  buckets_.MarkDirty(entry->bucket);
  return AggRefs{entry->week, day};
}

absl::StatusOr<Slot<PersonEntry>*> Ledger::Person(std::string_view tenant, std::string_view person_id) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, person_id));
  if (owner != this) return owner->Person(tenant, person_id);
  PersonKeyInto(&key_, tenant, person_id);
  return persons_.Load(Reader(), key_);
}

absl::StatusOr<Slot<DealState>*> Ledger::Deal(std::string_view tenant, std::string_view deal_id) {
  if (group_->parallel()) {
    return absl::InternalError(absl::StrCat("metrics core: deal \"", std::string(deal_id), "\" read while applying in parallel"));
  }
  DealKeyInto(&key_, tenant, deal_id);
  return group_->deals_.Load(Reader(), key_);
}

void Ledger::MarkDirty(Slot<DealState>* s) { group_->deals_.MarkDirty(s); }

absl::StatusOr<Slot<OpenDealEntry>*> Ledger::OpenDeal(std::string_view tenant, std::string_view rep,
                                                      std::string_view deal_id) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->OpenDeal(tenant, rep, deal_id);
  OpenDealKeyInto(&key_, tenant, rep, deal_id);
  return open_deals_.Load(Reader(), key_);
}

absl::StatusOr<Slot<MeetingState>*> Ledger::Meeting(std::string_view tenant, std::string_view rep,
                                                    std::string_view meeting_id) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->Meeting(tenant, rep, meeting_id);
  MeetingKeyInto(&key_, tenant, rep, meeting_id);
  return meetings_.Load(Reader(), key_);
}

absl::StatusOr<Slot<coachstream::v1::AccountFirstMeeting>*> Ledger::AccountFirst(std::string_view tenant,
                                                                                  std::string_view rep,
                                                                                  std::string_view domain) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->AccountFirst(tenant, rep, domain);
  AccountKeyInto(&key_, tenant, rep, domain);
  return accounts_.Load(Reader(), key_);
}

absl::StatusOr<Slot<SessionState>*> Ledger::Session(std::string_view tenant, std::string_view rep,
                                                    std::string_view session_id) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->Session(tenant, rep, session_id);
  SessionKeyInto(&key_, tenant, rep, session_id);
  return sessions_.Load(Reader(), key_);
}

absl::StatusOr<Ledger::DedupRef> Ledger::Dedup(int32_t utc_day, std::string_view tenant, std::string_view rep) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->Dedup(utc_day, tenant, rep);
  CS_ASSIGN_OR_RETURN(RepContext * context, Context(tenant, rep));
  if (context->dedup == nullptr || context->dedup_day != utc_day) {
    DedupKeyInto(&key_, DayFromNumber(utc_day), tenant, LedgerGroup::DedupBucketOfHash(context->rep_hash));
    CS_ASSIGN_OR_RETURN(context->dedup, dedup_.Load(Reader(), key_));
    context->dedup_day = utc_day;
  }
  return DedupRef{context->dedup, context->rep_hash};
}

absl::StatusOr<Slot<SeenBucket>*> Ledger::LegacySeen(int32_t utc_day, std::string_view tenant, std::string_view rep) {
  CS_ASSIGN_OR_RETURN(Ledger * owner, Owner(tenant, rep));
  if (owner != this) return owner->LegacySeen(utc_day, tenant, rep);
  SeenKeyInto(&key_, DayFromNumber(utc_day), tenant, rep);
  return legacy_seen_.Load(Reader(), key_);
}

size_t Ledger::cached_entries() const {
  return buckets_.size() + persons_.size() + open_deals_.size() + meetings_.size() + accounts_.size() +
         sessions_.size() + dedup_.size() + legacy_seen_.size();
}

void Ledger::Clear() {
  buckets_.Clear();
  persons_.Clear();
  open_deals_.Clear();
  meetings_.Clear();
  accounts_.Clear();
  sessions_.Clear();
  dedup_.Clear();
  legacy_seen_.Clear();
  index_writes_.clear();
  deferred_.clear();
  contexts_.clear();
  last_context_ = nullptr;
}

namespace {
// What a complete group reads for a key it does not hold.
class NoState final : public StateReader {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view) const override {
    return std::optional<std::string>();
  }
};
const NoState kNoState;
}  // namespace

const StateReader& Ledger::Reader() const { return group_->complete_ ? kNoState : reader_; }

LedgerGroup::LedgerGroup(const StateReader& reader, const MetricsCoreOptions& options, int shards)
    : options_(options) {
  for (int i = 0; i < std::max(1, shards); ++i) {
    shards_.push_back(std::unique_ptr<Ledger>(new Ledger(reader, options, this, i)));
  }
}

uint64_t LedgerGroup::RepHash(std::string_view tenant, std::string_view rep) {
  return Fnv1a(rep, Fnv1a(std::string_view("\0", 1), Fnv1a(tenant)));
}

int LedgerGroup::DedupBucketOfHash(uint64_t rep_hash) {
  return static_cast<int>((rep_hash ^ (rep_hash >> 29)) % kDedupBuckets);
}

int LedgerGroup::ShardOfHash(uint64_t rep_hash) const {
  if (shards_.size() == 1) return 0;
  return DedupBucketOfHash(rep_hash) % static_cast<int>(shards_.size());
}

int LedgerGroup::ShardOf(std::string_view tenant, std::string_view rep) const {
  return ShardOfHash(RepHash(tenant, rep));
}

absl::Status LedgerGroup::ForEachShard(bool threads, absl::FunctionRef<absl::Status(int)> fn) {
  const int n = size();
  std::vector<std::future<absl::Status>> helpers;
  if (threads) {
    for (int s = 1; s < n; ++s) helpers.push_back(std::async(std::launch::async, [fn, s] { return fn(s); }));
  }
  absl::Status status = fn(0);
  for (int s = 1; s < n && !threads; ++s) {
    if (absl::Status r = fn(s); status.ok()) status = r;
  }
  for (auto& helper : helpers) {
    if (absl::Status r = helper.get(); status.ok()) status = r;
  }
  return status;
}

template <typename T>
void LedgerGroup::VisitFamily(StateTable<T> Ledger::*table, MutationVisitor visit) {
  std::vector<const WriteRun*> runs;
  for (auto& ledger : shards_) runs.push_back(&(ledger.get()->*table).prepared());
  VisitMerged(runs, visit);
  for (auto& ledger : shards_) (ledger.get()->*table).ClearPrepared();
}

void Ledger::PrepareWrites() {
  buckets_.Prepare();
  persons_.Prepare();
  open_deals_.Prepare();
  meetings_.Prepare();
  accounts_.Prepare();
  sessions_.Prepare();
  dedup_.Prepare();
}

void LedgerGroup::TakeMutations(MutationVisitor visit) {
  // Serialising is most of the cost: each shard prepares its tables on its
  // own thread (a small batch is not worth a thread), then one thread
  // visits the families merged in key order.
  (void)ForEachShard(pending_mutations() >= kMinParallelWrites, [&](int s) {
    shards_[static_cast<size_t>(s)]->PrepareWrites();
    if (s == 0) deals_.Prepare();
    return absl::OkStatus();
  });

  VisitFamily(&Ledger::buckets_, visit);
  VisitFamily(&Ledger::dedup_, visit);
  VisitFamily(&Ledger::persons_, visit);
  deals_.VisitPrepared(visit);
  VisitFamily(&Ledger::open_deals_, visit);
  VisitFamily(&Ledger::meetings_, visit);
  VisitFamily(&Ledger::accounts_, visit);
  VisitFamily(&Ledger::sessions_, visit);
  std::map<std::string_view, bool> index_writes;  // one sorted run over the shards
  for (auto& ledger : shards_) {
    for (const auto& [key, put] : ledger->index_writes_) index_writes[key] = put;
  }
  for (const auto& [key, put] : index_writes) {
    visit(put ? Mutation::Op::kPut : Mutation::Op::kDelete, key, std::string_view());
  }
  for (auto& ledger : shards_) {
    ledger->index_writes_.clear();
    ++ledger->epoch_;
  }
  if (cached_entries() > static_cast<size_t>(options_.max_cached_entries)) Clear();
}

size_t LedgerGroup::pending_mutations() const {
  size_t n = deals_.dirty_count();
  for (const auto& l : shards_) {
    n += l->buckets_.dirty_count() + l->persons_.dirty_count() + l->open_deals_.dirty_count() +
         l->meetings_.dirty_count() + l->accounts_.dirty_count() + l->sessions_.dirty_count() +
         l->dedup_.dirty_count() + l->index_writes_.size();
  }
  return n;
}

void LedgerGroup::Clear() {
  complete_ = false;
  deals_.Clear();
  for (auto& ledger : shards_) ledger->Clear();
}

size_t LedgerGroup::cached_entries() const {
  size_t n = deals_.size();
  for (const auto& ledger : shards_) n += ledger->cached_entries();
  return n;
}

}  // namespace cs::metrics
