// AlertEngine: the RPCs people call (list, acknowledge, resolve, watch,
// roll-up) and the outbox.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/base/period.h"
#include "libs/base/status.h"
#include "services/coaching/alerts/alert_engine.h"
#include "services/coaching/alerts/alert_keys.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/proto_time.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching::alerts {

using coachstream::v1::Alert;
using coachstream::v1::Person;

namespace {

constexpr size_t kMaxNoteBytes = 2000;

bool Unresolved(const Alert& a) { return a.state() != coachstream::v1::ALERT_STATE_RESOLVED; }

bool IsManagement(coachstream::v1::Role r) {
  return r == coachstream::v1::ROLE_FRONTLINE_MANAGER || r == coachstream::v1::ROLE_DIRECTOR ||
         r == coachstream::v1::ROLE_VP || r == coachstream::v1::ROLE_CRO;
}

absl::Status CheckNote(std::string_view note) {
  if (note.size() > kMaxNoteBytes) return FieldError("note", absl::StrCat("longer than ", kMaxNoteBytes, " bytes"));
  return absl::OkStatus();
}

}  // namespace

bool AlertEngine::InView(std::string_view tenant, std::string_view person, const Alert& alert) const {
  if (directory_.InSubtree(tenant, person, alert.subject_id())) return true;
  if (directory_.InSubtree(tenant, person, alert.recipient_id())) return true;
  for (const auto& step : alert.escalations()) {
    if (directory_.InSubtree(tenant, person, step.recipient_id())) return true;
  }
  return false;
}

absl::StatusOr<coachstream::v1::ListAlertsResponse> AlertEngine::ListAlerts(
    const coachstream::v1::ListAlertsRequest& request) const {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("recipient_id", request.recipient_id()));
  if (!request.rule_id().empty() && options_.Rule(request.rule_id()) == nullptr) {
    return FieldError("rule_id", absl::StrCat("unknown rule \"", request.rule_id(), "\""));
  }
  std::set<int> states;
  for (int i = 0; i < request.states_size(); ++i) {
    const int s = request.states(i);
    if (s == coachstream::v1::ALERT_STATE_UNSPECIFIED || !coachstream::v1::AlertState_IsValid(s)) {
      return FieldError(absl::StrCat("states[", i, "]"), "must be OPEN, ACKNOWLEDGED or RESOLVED");
    }
    states.insert(s);
  }
  if (states.empty()) states = {coachstream::v1::ALERT_STATE_OPEN, coachstream::v1::ALERT_STATE_ACKNOWLEDGED};
  std::vector<Alert> all;
  {
    absl::MutexLock lock(&mu_);
    CS_ASSIGN_OR_RETURN(all, AllAlerts(request.tenant_id()));
  }
  const std::string& who = request.recipient_id();
  std::vector<Alert> out;
  for (Alert& a : all) {
    if (!states.contains(a.state())) continue;
    if (!request.rule_id().empty() && a.rule_id() != request.rule_id()) continue;
    bool mine = a.recipient_id() == who;
    for (const auto& step : a.escalations()) mine = mine || step.recipient_id() == who;
    if (request.include_subtree()) mine = mine || InView(request.tenant_id(), who, a);
    if (mine) out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
    const absl::Time ta = FromTimestamp(a.updated_at()), tb = FromTimestamp(b.updated_at());
    return ta != tb ? ta > tb : a.alert_id() < b.alert_id();
  });
  coachstream::v1::ListAlertsResponse response;
  for (Alert& a : out) *response.add_alerts() = std::move(a);
  return response;
}

absl::StatusOr<Alert> AlertEngine::Mutate(std::string_view tenant, std::string_view alert_id,
                                          const std::function<absl::StatusOr<bool>(Alert&)>& fn,
                                          AlertChange change) {
  absl::MutexLock lock(&mu_);
  CS_ASSIGN_OR_RETURN(std::optional<Alert> alert, LoadAlert(tenant, alert_id));
  if (!alert) return absl::NotFoundError(absl::StrCat("alert_id: no alert \"", Av(alert_id), "\""));
  CS_ASSIGN_OR_RETURN(bool changed, fn(*alert));
  if (changed) CS_RETURN_IF_ERROR(Commit(*alert, {}, change, clock_.Now()));
  return *std::move(alert);
}

absl::StatusOr<Alert> AlertEngine::Acknowledge(const coachstream::v1::AcknowledgeAlertRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("alert_id", request.alert_id()));
  CS_RETURN_IF_ERROR(CheckNote(request.note()));
  const absl::Time now = clock_.Now();
  return Mutate(
      request.tenant_id(), request.alert_id(),
      [&](Alert& a) -> absl::StatusOr<bool> {
        if (a.state() == coachstream::v1::ALERT_STATE_RESOLVED) {
          return absl::FailedPreconditionError(absl::StrCat("alert_id: \"", a.alert_id(), "\" is already resolved"));
        }
        if (a.state() == coachstream::v1::ALERT_STATE_ACKNOWLEDGED) return false;
        a.set_state(coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
        *a.mutable_acknowledged_at() = ToTimestamp(now);
        a.set_acknowledgement_note(request.note());
        return true;
      },
      AlertChange::kAcknowledged);
}

absl::StatusOr<Alert> AlertEngine::Resolve(const coachstream::v1::ResolveAlertRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("alert_id", request.alert_id()));
  if (request.note().empty()) return FieldError("note", "required: say what was done");
  CS_RETURN_IF_ERROR(CheckNote(request.note()));
  const absl::Time now = clock_.Now();
  return Mutate(
      request.tenant_id(), request.alert_id(),
      [&](Alert& a) -> absl::StatusOr<bool> {
        if (a.state() == coachstream::v1::ALERT_STATE_RESOLVED) return false;
        a.set_state(coachstream::v1::ALERT_STATE_RESOLVED);
        a.set_auto_resolved(false);
        a.set_resolution_note(request.note());
        *a.mutable_resolved_at() = ToTimestamp(now);
        return true;
      },
      AlertChange::kResolved);
}

absl::StatusOr<std::vector<Alert>> AlertEngine::StartWatch(const coachstream::v1::WatchAlertsRequest& request) const {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("person_id", request.person_id()));
  if (!directory_.Find(request.tenant_id(), request.person_id())) {
    return absl::NotFoundError(absl::StrCat("person_id: unknown person \"", request.person_id(), "\""));
  }
  std::vector<Alert> all;
  {
    absl::MutexLock lock(&mu_);
    CS_ASSIGN_OR_RETURN(all, AllAlerts(request.tenant_id()));
  }
  std::vector<Alert> out;
  for (Alert& a : all) {
    if (Unresolved(a) && InView(request.tenant_id(), request.person_id(), a)) out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
    return FromTimestamp(a.updated_at()) < FromTimestamp(b.updated_at());
  });
  return out;
}

absl::StatusOr<coachstream::v1::AlertRollupRow> AlertEngine::RollupRow(std::string_view tenant, const Person& p,
                                                                     const std::set<std::string>& reps,
                                                                     const Period& month,
                                                                     const std::vector<Alert>& alerts) const {
  coachstream::v1::AlertRollupRow row;
  row.set_person_id(p.person_id());
  row.set_display_name(p.display_name());
  row.set_role(p.role());
  row.set_manager_id(p.manager_id());
  row.set_reps(static_cast<int32_t>(reps.size()));
  if (!reps.empty()) {
    coachstream::v1::GetTeamDriversRequest q;
    q.set_tenant_id(std::string(tenant));
    q.set_manager_id(p.person_id());
    q.set_period(FormatPeriod(month));
    absl::StatusOr<coachstream::v1::GetTeamDriversResponse> team = metrics_.GetTeamDrivers(q);
    if (!team.ok()) {
      return absl::Status(team.status().code(),
                          absl::StrCat("GetTeamDrivers(", p.person_id(), "): ", team.status().message()));
    }
    double minutes = 0;
    int coached = 0;
    for (const auto& rep : team->reps()) {
      if (!reps.contains(rep.rep_id())) continue;
      const double m = DriverOf(rep, driver::kCoachingMinutes);
      minutes += m;
      if (m > 0) ++coached;
    }
    row.set_coaching_hours_per_rep(minutes / 60.0 / static_cast<double>(reps.size()));
    row.set_coverage(static_cast<double>(coached) / static_cast<double>(reps.size()));
  }
  for (const Alert& a : alerts) {
    if (!Unresolved(a) || !directory_.InSubtree(tenant, p.person_id(), a.subject_id())) continue;
    row.set_open_alerts(row.open_alerts() + 1);
    if (a.escalation_level() > 0) row.set_escalated_alerts(row.escalated_alerts() + 1);
  }
  return row;
}

absl::StatusOr<coachstream::v1::GetAlertRollupResponse> AlertEngine::Rollup(
    const coachstream::v1::GetAlertRollupRequest& request) const {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("person_id", request.person_id()));
  const std::string& tenant = request.tenant_id();
  Period month = PeriodOf(PeriodKind::kMonth, clock_.Now(), Zone(tenant));
  if (!request.month().empty()) {
    CS_ASSIGN_OR_RETURN(month, ParseMonth("month", request.month()));
  }
  if (!directory_.Find(tenant, request.person_id())) {
    return absl::NotFoundError(absl::StrCat("person_id: unknown person \"", request.person_id(), "\""));
  }
  std::vector<Alert> alerts;
  {
    absl::MutexLock lock(&mu_);
    CS_ASSIGN_OR_RETURN(alerts, AllAlerts(tenant));
  }
  std::vector<Person> people = directory_.People(tenant);
  std::vector<coachstream::v1::AlertRollupRow> rows;
  for (const Person& p : people) {
    if (!p.active() || IsRep(p) || !directory_.InSubtree(tenant, request.person_id(), p.person_id())) continue;
    std::set<std::string> reps;
    for (const Person& r : people) {
      if (r.active() && IsRep(r) && r.person_id() != p.person_id() &&
          directory_.InSubtree(tenant, p.person_id(), r.person_id())) {
        reps.insert(r.person_id());
      }
    }
    if (reps.empty() && !IsManagement(p.role())) continue;
    CS_ASSIGN_OR_RETURN(coachstream::v1::AlertRollupRow row, RollupRow(tenant, p, reps, month, alerts));
    rows.push_back(std::move(row));
  }
  const std::string& top = request.person_id();
  std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    if ((a.person_id() == top) != (b.person_id() == top)) return a.person_id() == top;
    if (a.role() != b.role()) return a.role() > b.role();
    return a.display_name() != b.display_name() ? a.display_name() < b.display_name() : a.person_id() < b.person_id();
  });
  coachstream::v1::GetAlertRollupResponse response;
  response.set_month(FormatPeriod(month));
  for (auto& row : rows) *response.add_rows() = std::move(row);
  return response;
}

absl::StatusOr<std::vector<OutboxEntry>> AlertEngine::PendingOutbox(size_t limit) const {
  std::vector<OutboxEntry> out;
  std::string bad_key;
  CS_RETURN_IF_ERROR(store_.Scan(kOutboxPrefix, [&](std::string_view key, std::string_view value) {
    OutboxEntry e;
    e.store_key = std::string(key);
    if (!e.alert.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      bad_key = e.store_key;
      return false;
    }
    e.message_key = absl::StrCat(e.alert.tenant_id(), "/", e.alert.recipient_id());
    out.push_back(std::move(e));
    return out.size() < limit;
  }));
  if (!bad_key.empty()) return absl::DataLossError(absl::StrCat("outbox entry \"", bad_key, "\" does not parse"));
  return out;
}

absl::Status AlertEngine::MarkPublished(const std::vector<std::string>& store_keys) {
  if (store_keys.empty()) return absl::OkStatus();
  std::vector<StoreWrite> writes;
  for (const std::string& k : store_keys) writes.push_back(StoreWrite::Delete(k));
  return store_.Write(writes);
}

}  // namespace cs::coaching::alerts
