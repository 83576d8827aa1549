// CoachingCore: the coaching-session log (LogSession, ListSessions).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/core/coaching_core.h"
#include "services/coaching/core/proto_time.h"
#include "services/coaching/core/sessions.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::SessionRecord;

absl::StatusOr<SessionRecord> ParseRecord(std::string_view bytes, std::string_view key) {
  SessionRecord record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(
        absl::StrCat("coaching state at key \"", std::string(key), "\" does not parse"));
  }
  return record;
}

}  // namespace

absl::StatusOr<LoggedSession> CoachingCore::LogSession(const coachstream::v1::LogSessionRequest& request) {
  const absl::Time now = clock_.Now();
  CS_RETURN_IF_ERROR(ValidateLogSession(request, library_, options_.sessions, now));
  const std::string& tenant = request.tenant_id();
  const std::string& rep = request.rep_id();
  SessionRecord record;
  record.set_rep_id(rep);
  *record.mutable_session() = request.session();
  if (record.session().session_id().empty()) {
    record.mutable_session()->set_session_id(DeterministicSessionId(request));
  }
  const std::string id = record.session().session_id();  // a copy: `record` is reassigned below
  *record.mutable_occurred_at() = request.occurred_at();

  absl::MutexLock lock(&write_mu_);
  const std::string index_key = SessionIndexKey(tenant, rep, id);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> old_month, store_.Get(index_key));
  std::optional<SessionRecord> old;
  if (old_month) {
    const std::string old_key = SessionKey(tenant, rep, *old_month, id);
    CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.Get(old_key));
    if (bytes) {
      CS_ASSIGN_OR_RETURN(old, ParseRecord(*bytes, old_key));
    }
  }
  if (request.session().deleted()) {
    if (!old) {
      return absl::NotFoundError(absl::StrCat("session.session_id: no session \"", id, "\" for rep ", rep));
    }
    record = *old;  // withdraw exactly what was logged
    record.mutable_session()->set_deleted(true);
  }
  const std::string month =
      FormatPeriod(PeriodOf(PeriodKind::kMonth, FromTimestamp(record.occurred_at()), Zone(tenant)));
  std::vector<StoreWrite> writes;
  if (old_month && *old_month != month)
    writes.push_back(StoreWrite::Delete(SessionKey(tenant, rep, *old_month, id)));
  const bool unchanged = old && old->SerializeAsString() == record.SerializeAsString();
  if (!unchanged) {
    writes.push_back(StoreWrite::Put(SessionKey(tenant, rep, month, id), record.SerializeAsString()));
    writes.push_back(StoreWrite::Put(index_key, month));
    CS_RETURN_IF_ERROR(store_.Write(writes));
  }
  LoggedSession out;
  out.response.set_session_id(id);
  out.event = SessionEvent(tenant, record, now);
  out.event_key = EventKey(tenant, rep);
  return out;
}

absl::StatusOr<coachstream::v1::ListSessionsResponse> CoachingCore::ListSessions(
    const coachstream::v1::ListSessionsRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  std::vector<SessionRecord> records;
  absl::Status parse_error;
  CS_RETURN_IF_ERROR(
      store_.Scan(SessionMonthPrefix(request.tenant_id(), request.rep_id(), FormatPeriod(month)),
                  [&](std::string_view key, std::string_view value) {
                    absl::StatusOr<SessionRecord> r = ParseRecord(value, key);
                    if (!r.ok()) {
                      parse_error = r.status();
                      return false;
                    }
                    if (!r->session().deleted()) records.push_back(*std::move(r));
                    return true;
                  }));
  CS_RETURN_IF_ERROR(parse_error);
  std::sort(records.begin(), records.end(), [](const SessionRecord& a, const SessionRecord& b) {
    const absl::Time ta = FromTimestamp(a.occurred_at()), tb = FromTimestamp(b.occurred_at());
    return ta != tb ? ta < tb : a.session().session_id() < b.session().session_id();
  });
  coachstream::v1::ListSessionsResponse response;
  for (SessionRecord& r : records) *response.add_sessions() = std::move(r);
  return response;
}

}  // namespace cs::coaching
