// HR feed records -> Person upserts (org.directory.v1) + PersonEvent.

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/normalizer_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

coachstream::v1::Person ToPerson(const NormalizeContext& ctx, const PersonObs& p) {
  coachstream::v1::Person out;
  out.set_tenant_id(ctx.tenant());
  out.set_person_id(p.person_id);
  out.set_display_name(p.display_name);
  for (const std::string& email : p.emails) out.add_emails(email);
  for (const auto& [system, user_id] : p.system_ids) {
    coachstream::v1::SystemIdentity* id = out.add_identities();
    id->set_system(static_cast<coachstream::v1::SourceSystem>(system));
    id->set_user_id(user_id);
  }
  out.set_manager_id(p.manager_id);
  out.set_role(static_cast<coachstream::v1::Role>(p.role));
  out.set_segment(p.segment);
  for (const QuotaObs& q : p.quotas) {
    coachstream::v1::Quota* quota = out.add_quotas();
    quota->set_period(q.period);
    quota->mutable_amount()->set_amount_minor(q.amount_minor);
    quota->mutable_amount()->set_currency_code(q.currency);
  }
  if (p.start_date) {
    out.mutable_start_date()->set_year(static_cast<int32_t>(p.start_date->year()));
    out.mutable_start_date()->set_month(p.start_date->month());
    out.mutable_start_date()->set_day(p.start_date->day());
  }
  out.set_time_zone(p.time_zone);
  out.set_active(p.active && !p.deleted);
  SetTimestamp(p.updated_at, out.mutable_updated_at());
  return out;
}

}  // namespace

absl::StatusOr<ItemOutcome> NormalizePerson(const NormalizeContext& ctx, const PersonObs& p) {
  std::string ref = "person/" + p.person_id;
  std::string key = StateKey('p', ctx.tenant(), System::kHrFeed, p.person_id);
  CS_ASSIGN_OR_RETURN(std::optional<SeenRecord> seen, LoadSeen(ctx, key));
  int64_t version = ToMillis(p.updated_at);
  if (seen && seen->event_id == p.event_id) {
    return MakeOutcome(OutcomeKind::kDuplicate, ref, Reason::kNone, "already applied");
  }
  if (seen && version < seen->version) {
    return MakeOutcome(OutcomeKind::kStale, ref, Reason::kNone,
                       "updated_at is older than the directory's record");
  }
  ItemOutcome out = MakeOutcome(OutcomeKind::kEmit, ref, Reason::kNone, "");
  coachstream::v1::Person person = ToPerson(ctx, p);
  coachstream::v1::Event ev =
      BaseEvent(ctx, p.event_id, p.person_id, p.updated_at, System::kHrFeed, ref);
  *ev.mutable_person()->mutable_person() = person;
  ev.mutable_person()->set_deleted(p.deleted);
  out.events.push_back(std::move(ev));
  out.directory_updates.push_back(DirectoryUpdate{std::move(person), p.deleted});
  SeenRecord next;
  next.version = version;
  next.event_id = p.event_id;
  CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(next)));
  return out;
}

}  // namespace cs::ingest::internal
