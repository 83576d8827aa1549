#include "services/coaching/core/sessions.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/stable_hash.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/proto_time.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::CoachingSessionEvent;
using coachstream::v1::LogSessionRequest;

// Field separator that cannot occur in validated ids.
constexpr char kSep[] = "\x1f";

std::string Hex16(uint64_t h) { return absl::StrFormat("%016x", h); }

absl::Status ValidateTiming(const LogSessionRequest& r, const SessionOptions& options, absl::Time now) {
  if (!r.has_occurred_at()) return FieldError("occurred_at", "required");
  const google::protobuf::Timestamp& ts = r.occurred_at();
  if (ts.nanos() < 0 || ts.nanos() > 999'999'999) return FieldError("occurred_at", "invalid nanos");
  const absl::Time t = FromTimestamp(ts);
  if (t > now + options.max_future_skew) {
    return FieldError("occurred_at", absl::StrCat("is in the future (", absl::FormatTime(t), ")"));
  }
  if (t < now - absl::Hours(24) * options.max_age_days) {
    return FieldError("occurred_at", absl::StrCat("is more than ", options.max_age_days, " days ago"));
  }
  return absl::OkStatus();
}

absl::Status ValidateKind(const CoachingSessionEvent& s, const SessionOptions& options) {
  if (s.duration_minutes() <= 0) return FieldError("session.duration_minutes", "must be > 0");
  switch (s.kind()) {
    case coachstream::v1::SESSION_KIND_MICRO_COACHING:
      if (s.deal_id().empty()) {
        return FieldError("session.deal_id", "required for micro-coaching (one opportunity per session)");
      }
      if (s.duration_minutes() > options.max_micro_minutes) {
        return FieldError("session.duration_minutes",
                          absl::StrCat(s.duration_minutes(), " is over the ", options.max_micro_minutes,
                                       "-minute limit of micro-coaching"));
      }
      return CheckId("session.deal_id", s.deal_id());
    case coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE:
      if (s.duration_minutes() > options.max_one_on_one_minutes) {
        return FieldError("session.duration_minutes",
                          absl::StrCat(s.duration_minutes(), " is over the ", options.max_one_on_one_minutes,
                                       "-minute limit of a 1:1"));
      }
      if (!s.deal_id().empty()) return CheckId("session.deal_id", s.deal_id());
      return absl::OkStatus();
    default:
      return FieldError("session.kind", "required (MONTHLY_ONE_ON_ONE or MICRO_COACHING)");
  }
}

}  // namespace

absl::Status ValidateLogSession(const LogSessionRequest& r, const CompetencyLibrary& library,
                                const SessionOptions& options, absl::Time now) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", r.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", r.rep_id()));
  if (!r.has_session()) return FieldError("session", "required");
  const CoachingSessionEvent& s = r.session();
  if (!s.session_id().empty()) CS_RETURN_IF_ERROR(CheckId("session.session_id", s.session_id()));
  if (s.deleted()) {
    if (s.session_id().empty()) return FieldError("session.session_id", "required to withdraw a session");
    return absl::OkStatus();
  }
  CS_RETURN_IF_ERROR(ValidateTiming(r, options, now));
  CS_RETURN_IF_ERROR(CheckId("session.coach_id", s.coach_id()));
  if (s.coach_id() == r.rep_id()) return FieldError("session.coach_id", "must not be the rep");
  CS_RETURN_IF_ERROR(ValidateKind(s, options));
  if (!s.competency_id().empty() && library.Find(s.competency_id()) == nullptr) {
    return FieldError("session.competency_id", absl::StrCat("unknown competency \"", s.competency_id(),
                                                            "\" in library ", library.version()));
  }
  if (!s.calendar_meeting_id().empty()) {
    CS_RETURN_IF_ERROR(CheckId("session.calendar_meeting_id", s.calendar_meeting_id()));
  }
  return absl::OkStatus();
}

uint64_t StableHash(std::string_view bytes) { return Fnv1a(bytes); }

std::string DeterministicSessionId(const LogSessionRequest& r) {
  const CoachingSessionEvent& s = r.session();
  const std::string identity =
      absl::StrCat(r.tenant_id(), kSep, r.rep_id(), kSep, static_cast<int>(s.kind()), kSep, s.coach_id(),
                   kSep, r.occurred_at().seconds(), kSep, r.occurred_at().nanos(), kSep, s.deal_id(), kSep,
                   s.calendar_meeting_id());
  return absl::StrCat("ses-", Hex16(StableHash(identity)));
}

coachstream::v1::Event SessionEvent(std::string_view tenant_id, const coachstream::v1::SessionRecord& record,
                                    absl::Time now) {
  const CoachingSessionEvent& s = record.session();
  const std::string content = absl::StrCat(
      Av(tenant_id), kSep, record.rep_id(), kSep, s.session_id(), kSep, static_cast<int>(s.kind()), kSep,
      s.coach_id(), kSep, s.duration_minutes(), kSep, s.deal_id(), kSep, s.competency_id(), kSep,
      s.calendar_meeting_id(), kSep, s.deleted() ? 1 : 0, kSep, record.occurred_at().seconds(), kSep,
      record.occurred_at().nanos());
  coachstream::v1::Event e;
  e.set_event_id(absl::StrCat("coaching-session-", Hex16(StableHash(content))));
  e.set_tenant_id(std::string(tenant_id));
  e.set_rep_id(record.rep_id());
  *e.mutable_occurred_at() = record.occurred_at();
  e.set_source_system(coachstream::v1::SOURCE_SYSTEM_COACHSTREAM);
  e.set_source_ref(absl::StrCat("session/", s.session_id()));
  *e.mutable_ingested_at() = ToTimestamp(now);
  *e.mutable_coaching_session() = s;
  return e;
}

std::string EventKey(std::string_view tenant_id, std::string_view rep_id) {
  return absl::StrCat(Av(tenant_id), "/", Av(rep_id));
}

}  // namespace cs::coaching
