#include "services/ingest/core/normalizer.h"

#include <string>
#include <variant>

#include "libs/base/status.h"
#include "services/ingest/core/normalizer_internal.h"

namespace cs::ingest {

namespace {

PersonPtr ResolveIn(const Directory& directory, std::string_view tenant, const UserRef& who) {
  if (!who.user_id.empty()) {
    if (PersonPtr p = directory.FindBySystemId(tenant, who.system, who.user_id)) return p;
  }
  if (!who.email.empty()) return directory.FindByEmail(tenant, who.email);
  return nullptr;
}

}  // namespace

bool Knows(const Directory& directory, std::string_view tenant, const UserRef& who) {
  if (ResolveIn(directory, tenant, who)) return true;
  for (const std::string& domain : who.park_domains) {
    if (directory.IsInternalDomain(tenant, domain)) return true;
  }
  return false;
}

namespace internal {

ItemOutcome MakeOutcome(OutcomeKind kind, std::string_view ref, Reason reason,
                        std::string message) {
  ItemOutcome out;
  out.kind = kind;
  out.source_ref = std::string(ref);
  out.reason = reason;
  out.message = std::move(message);
  return out;
}

std::string Describe(const UserRef& who) {
  std::string s(SystemName(who.system));
  if (!who.user_id.empty()) s += " user " + who.user_id;
  if (!who.email.empty()) s += (who.user_id.empty() ? " " : " / ") + who.email;
  return s;
}

ItemOutcome ParkOutcome(std::string_view ref, const UserRef& who) {
  ItemOutcome out = MakeOutcome(OutcomeKind::kPark, ref, Reason::kUnresolvedIdentity,
                                Describe(who) + " is not in the org directory");
  out.unresolved = who;
  return out;
}

PersonPtr Resolve(const NormalizeContext& ctx, const UserRef& who) {
  return ResolveIn(ctx.directory, ctx.tenant(), who);
}

bool MustWaitBehind(const NormalizeContext& ctx, const UserRef& pending) {
  if (pending.empty() && pending.park_domains.empty()) return false;
  return !ctx.retried || !Knows(ctx.directory, ctx.tenant(), pending);
}

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  int64_t ns = absl::ToUnixNanos(t);
  int64_t seconds = ns / 1000000000;
  int64_t nanos = ns % 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(nanos));
}

coachstream::v1::Event BaseEvent(const NormalizeContext& ctx, std::string_view event_id,
                                 std::string_view rep_id, absl::Time occurred_at, System system,
                                 std::string_view source_ref) {
  coachstream::v1::Event ev;
  ev.set_event_id(std::string(event_id));
  ev.set_tenant_id(ctx.tenant());
  ev.set_rep_id(std::string(rep_id));
  if (occurred_at == absl::InfinitePast() && ctx.envelope.time) occurred_at = *ctx.envelope.time;
  if (occurred_at != absl::InfinitePast()) SetTimestamp(occurred_at, ev.mutable_occurred_at());
  ev.set_source_system(static_cast<coachstream::v1::SourceSystem>(system));
  ev.set_source_ref(std::string(source_ref));
  SetTimestamp(ctx.now, ev.mutable_ingested_at());
  return ev;
}

absl::StatusOr<std::optional<SeenRecord>> LoadSeen(const NormalizeContext& ctx,
                                                   const std::string& key) {
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, ctx.store.Get(key));
  if (!bytes) return std::optional<SeenRecord>();
  CS_ASSIGN_OR_RETURN(SeenRecord rec, DecodeSeenRecord(*bytes));
  return std::optional<SeenRecord>(std::move(rec));
}

namespace {

absl::StatusOr<ItemOutcome> NormalizeOne(const NormalizeContext& ctx, const Observation& obs) {
  if (const auto* deal = std::get_if<DealChange>(&obs)) return NormalizeDeal(ctx, *deal);
  if (const auto* call = std::get_if<CallObs>(&obs)) return NormalizeCall(ctx, *call);
  if (const auto* meeting = std::get_if<MeetingObs>(&obs)) return NormalizeMeeting(ctx, *meeting);
  if (const auto* person = std::get_if<PersonObs>(&obs)) return NormalizePerson(ctx, *person);
  if (const auto* ignored = std::get_if<Ignored>(&obs)) {
    return MakeOutcome(OutcomeKind::kSkip, ignored->source_ref, ignored->reason, ignored->message);
  }
  const auto& rejected = std::get<Rejected>(obs);
  return MakeOutcome(OutcomeKind::kDeadLetter, rejected.source_ref, ReasonOf(rejected.status),
                     std::string(rejected.status.message()));
}

}  // namespace
}  // namespace internal

Normalizer::Normalizer(NormalizerOptions options, const Directory& directory,
                       RecordStateStore& store, const Clock& clock)
    : options_(std::move(options)), directory_(directory), store_(store), clock_(clock) {}

absl::StatusOr<RecordOutcome> Normalizer::Normalize(const ParsedRecord& record, bool retried) {
  internal::NormalizeContext ctx{record.envelope, options_, directory_, store_, clock_.Now(), retried};
  RecordOutcome out;
  out.tenant = record.envelope.tenant_id;
  out.items.reserve(record.observations.size());
  for (const Observation& obs : record.observations) {
    CS_ASSIGN_OR_RETURN(ItemOutcome item, internal::NormalizeOne(ctx, obs));
    out.items.push_back(std::move(item));
  }
  if (out.items.empty()) {
    out.items.push_back(internal::MakeOutcome(OutcomeKind::kSkip, "", Reason::kNoRelevantFields,
                                              "the payload holds no items"));
  }
  return out;
}

IngestPipeline::IngestPipeline(ParseOptions parse_options, NormalizerOptions options,
                               const Directory& directory, RecordStateStore& store,
                               const Clock& clock)
    : parser_(parse_options), normalizer_(std::move(options), directory, store, clock) {}

absl::StatusOr<RecordOutcome> IngestPipeline::Process(const RawRecord& record) {
  absl::StatusOr<ParsedRecord> parsed = parser_.Parse(record);
  if (!parsed.ok()) {
    RecordOutcome out;
    out.items.push_back(internal::MakeOutcome(OutcomeKind::kDeadLetter, "",
                                              ReasonOf(parsed.status()),
                                              std::string(parsed.status().message())));
    return out;
  }
  return normalizer_.Normalize(*parsed, record.retried);
}

}  // namespace cs::ingest
