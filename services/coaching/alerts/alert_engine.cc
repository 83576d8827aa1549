// AlertEngine: evaluation, the alert lifecycle and SLA escalation.

#include "services/coaching/alerts/alert_engine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/status.h"
#include "services/coaching/alerts/alert_keys.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/proto_time.h"

namespace cs::coaching::alerts {

using coachstream::v1::Alert;
using coachstream::v1::Person;

std::string_view AlertChangeName(AlertChange change) {
  switch (change) {
    case AlertChange::kOpened:
      return "opened";
    case AlertChange::kEscalated:
      return "escalated";
    case AlertChange::kAcknowledged:
      return "acknowledged";
    case AlertChange::kResolved:
      return "resolved";
    case AlertChange::kAutoResolved:
      return "auto_resolved";
    case AlertChange::kUpdated:
      return "updated";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<AlertEngine>> AlertEngine::Create(AlertOptions options, MetricsSource& metrics,
                                                                  CoachingStore& store,
                                                                  const OrgDirectory& directory,
                                                                  const Clock& clock) {
  CS_RETURN_IF_ERROR(ValidateAlertOptions(options));
  return std::unique_ptr<AlertEngine>(new AlertEngine(std::move(options), metrics, store, directory, clock));
}

AlertEngine::AlertEngine(AlertOptions options, MetricsSource& metrics, CoachingStore& store,
                         const OrgDirectory& directory, const Clock& clock)
    : options_(std::move(options)), metrics_(metrics), store_(store), directory_(directory), clock_(clock) {
  absl::LoadTimeZone(options_.default_time_zone, &default_zone_);
  for (const auto& [tenant, name] : options_.tenant_time_zones) {
    absl::TimeZone tz;
    if (absl::LoadTimeZone(name, &tz)) tenant_zones_[tenant] = tz;
  }
}

void AlertEngine::AddObserver(AlertObserver* observer) {
  absl::MutexLock lock(&mu_);
  observers_.push_back(observer);
}

absl::TimeZone AlertEngine::Zone(std::string_view tenant) const {
  auto it = tenant_zones_.find(Av(tenant));
  return it == tenant_zones_.end() ? default_zone_ : it->second;
}

bool AlertEngine::IsRep(const Person& p) const {
  return std::find(options_.rep_roles.begin(), options_.rep_roles.end(), p.role()) != options_.rep_roles.end();
}

std::map<std::string, AlertEngine::Team> AlertEngine::Teams(std::string_view tenant) const {
  std::vector<Person> people = directory_.People(tenant);
  std::map<std::string, Person> active;
  for (const Person& p : people) {
    if (p.active()) active[p.person_id()] = p;
  }
  std::map<std::string, Team> teams;
  for (const auto& [id, p] : active) {
    if (!IsRep(p) || p.manager_id().empty()) continue;
    auto manager = active.find(p.manager_id());
    if (manager == active.end()) continue;
    Team& team = teams[p.manager_id()];
    team.manager = manager->second;
    team.reps.push_back(p);
  }
  return teams;
}

std::string AlertEngine::FirstActiveManager(std::string_view tenant, std::string_view person_id) const {
  for (const std::string& id : directory_.Chain(tenant, person_id)) {
    std::optional<Person> p = directory_.Find(tenant, id);
    if (p && p->active()) return id;
  }
  return "";
}

EvaluationSummary AlertEngine::EvaluateAll() {
  EvaluationSummary total;
  for (const std::string& tenant : directory_.Tenants()) {
    EvaluationSummary s = EvaluateTenant(tenant);
    total.teams += s.teams;
    total.team_errors += s.team_errors;
    total.opened += s.opened;
    total.escalated += s.escalated;
    total.resolved += s.resolved;
    total.updated += s.updated;
    if (total.first_error.ok()) total.first_error = s.first_error;
  }
  return total;
}

EvaluationSummary AlertEngine::EvaluateTenant(std::string_view tenant) {
  std::vector<Team> teams;
  for (auto& [id, team] : Teams(tenant)) teams.push_back(std::move(team));
  return Run(tenant, teams, /*sweep=*/true);
}

EvaluationSummary AlertEngine::EvaluatePeople(std::string_view tenant, const std::vector<std::string>& ids) {
  std::map<std::string, Team> all = Teams(tenant);
  std::set<std::string> wanted;
  for (const std::string& id : ids) {
    if (all.contains(id)) wanted.insert(id);
    std::optional<Person> p = directory_.Find(tenant, id);
    if (p && all.contains(p->manager_id())) wanted.insert(p->manager_id());
  }
  std::vector<Team> teams;
  for (const std::string& id : wanted) teams.push_back(all[id]);
  return Run(tenant, teams, /*sweep=*/false);
}

EvaluationSummary AlertEngine::Escalate(std::string_view tenant) { return Run(tenant, {}, /*sweep=*/false); }

EvaluationSummary AlertEngine::Run(std::string_view tenant, const std::vector<Team>& teams, bool sweep) {
  EvaluationSummary s;
  const absl::Time now = clock_.Now();
  std::vector<Finding> findings;
  std::set<std::string> unknown;  // members of teams that could not be judged
  for (const Team& team : teams) {
    ++s.teams;
    absl::StatusOr<TeamData> data =
        FetchTeam(options_, metrics_, store_, tenant, team.manager, team.reps,
                  FirstActiveManager(tenant, team.manager.person_id()), now, Zone(tenant));
    if (!data.ok()) {
      ++s.team_errors;
      if (s.first_error.ok()) s.first_error = data.status();
      unknown.insert(team.manager.person_id());
      for (const Person& rep : team.reps) unknown.insert(rep.person_id());
      continue;
    }
    for (Finding& f : EvaluateTeam(*data, options_)) findings.push_back(std::move(f));
  }
  absl::MutexLock lock(&mu_);
  std::set<std::pair<std::string, std::string>> judged;
  for (const Finding& f : findings) {
    judged.insert({f.rule_id, f.subject_id});
    absl::Status st = ApplyFinding(tenant, f, now, &s);
    if (!st.ok() && s.first_error.ok()) s.first_error = st;
  }
  if (sweep) {
    absl::Status st = SweepLocked(tenant, judged, unknown, now, &s);
    if (!st.ok() && s.first_error.ok()) s.first_error = st;
  }
  absl::Status st = EscalateLocked(tenant, now, &s);
  if (!st.ok() && s.first_error.ok()) s.first_error = st;
  return s;
}

absl::StatusOr<std::optional<Alert>> AlertEngine::LoadAlert(std::string_view tenant,
                                                            std::string_view alert_id) const {
  const std::string key = AlertKey(tenant, alert_id);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.Get(key));
  if (!bytes) return std::optional<Alert>();
  Alert alert;
  if (!alert.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("coaching state at key \"", key, "\" does not parse"));
  }
  return std::optional<Alert>(std::move(alert));
}

absl::StatusOr<std::string> AlertEngine::NewAlertId(std::string_view tenant, const Finding& f,
                                                    absl::Time now) const {
  const std::string base =
      absl::StrCat(f.rule_id, ".", f.subject_id, ".", absl::FormatTime("%Y%m%d", now, Zone(tenant)));
  std::string id = base;
  for (int n = 2;; ++n) {
    CS_ASSIGN_OR_RETURN(std::optional<std::string> existing, store_.Get(AlertKey(tenant, id)));
    if (!existing) return id;
    id = absl::StrCat(base, "-", n);
  }
}

void AlertEngine::SetNextEscalation(Alert& alert) const {
  alert.clear_next_escalation_at();
  if (alert.state() == coachstream::v1::ALERT_STATE_RESOLVED) return;
  if (FirstActiveManager(alert.tenant_id(), alert.recipient_id()).empty()) return;
  const RuleCommon defaults;
  const RuleCommon* rule = options_.Rule(alert.rule_id());
  if (rule == nullptr) rule = &defaults;
  const absl::Time held_since = alert.escalations_size() > 0
                                    ? FromTimestamp(alert.escalations(alert.escalations_size() - 1).at())
                                    : FromTimestamp(alert.opened_at());
  const bool open = alert.state() == coachstream::v1::ALERT_STATE_OPEN;
  *alert.mutable_next_escalation_at() = ToTimestamp(held_since + (open ? rule->ack_sla : rule->resolve_sla));
}

absl::Status AlertEngine::Commit(Alert& alert, std::vector<StoreWrite> extra, AlertChange change, absl::Time now) {
  alert.set_version(alert.version() + 1);
  *alert.mutable_updated_at() = ToTimestamp(now);
  SetNextEscalation(alert);
  const std::string bytes = alert.SerializeAsString();
  extra.push_back(StoreWrite::Put(AlertKey(alert.tenant_id(), alert.alert_id()), bytes));
  extra.push_back(
      StoreWrite::Put(OutboxKey(absl::ToUnixMicros(now), alert.tenant_id(), alert.alert_id(), alert.version()), bytes));
  CS_RETURN_IF_ERROR(store_.Write(extra));
  for (AlertObserver* o : observers_) o->OnAlertChanged(alert, change);
  return absl::OkStatus();
}

absl::Status AlertEngine::AutoResolve(Alert& alert, const std::string& note, absl::Time now) {
  alert.set_state(coachstream::v1::ALERT_STATE_RESOLVED);
  alert.set_auto_resolved(true);
  alert.set_resolution_note(note);
  *alert.mutable_resolved_at() = ToTimestamp(now);
  return Commit(alert, {StoreWrite::Delete(SlotKey(alert.tenant_id(), alert.rule_id(), alert.subject_id()))},
                AlertChange::kAutoResolved, now);
}

absl::Status AlertEngine::ApplyFinding(std::string_view tenant, const Finding& f, absl::Time now,
                                       EvaluationSummary* s) {
  const std::string slot = SlotKey(tenant, f.rule_id, f.subject_id);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> held, store_.Get(slot));
  std::optional<Alert> alert;
  if (held) {
    CS_ASSIGN_OR_RETURN(alert, LoadAlert(tenant, *held));
  }
  if (alert && alert->state() == coachstream::v1::ALERT_STATE_RESOLVED) {
    // Resolved by hand: the slot stays taken until the condition clears.
    return f.firing ? absl::OkStatus() : store_.Write({StoreWrite::Delete(slot)});
  }
  if (alert) {
    if (f.firing) {
      // One alert per rule and subject; it says what the latest evaluation
      // found, not what was true when it opened (e.g. while the metrics
      // service was still catching up). The message's numbers are rounded,
      // so this is a change only when they move visibly, not every pass.
      if (alert->message() == f.message) return absl::OkStatus();
      alert->set_message(f.message);
      alert->clear_facts();
      for (const auto& fact : f.facts) *alert->add_facts() = fact;
      CS_RETURN_IF_ERROR(Commit(*alert, {}, AlertChange::kUpdated, now));
      ++s->updated;
      return absl::OkStatus();
    }
    CS_RETURN_IF_ERROR(AutoResolve(*alert, "condition cleared", now));
    ++s->resolved;
    return absl::OkStatus();
  }
  if (!f.firing) return held ? store_.Write({StoreWrite::Delete(slot)}) : absl::OkStatus();
  Alert a;
  CS_ASSIGN_OR_RETURN(std::string id, NewAlertId(tenant, f, now));
  a.set_alert_id(id);
  a.set_tenant_id(std::string(tenant));
  a.set_rule_id(f.rule_id);
  a.set_subject_id(f.subject_id);
  a.set_recipient_id(f.recipient_id);
  a.set_state(coachstream::v1::ALERT_STATE_OPEN);
  a.set_message(f.message);
  for (const auto& fact : f.facts) *a.add_facts() = fact;
  *a.mutable_opened_at() = ToTimestamp(now);
  coachstream::v1::Escalation* first = a.add_escalations();
  first->set_level(0);
  first->set_recipient_id(f.recipient_id);
  *first->mutable_at() = ToTimestamp(now);
  first->set_reason("opened");
  CS_RETURN_IF_ERROR(Commit(a, {StoreWrite::Put(slot, id)}, AlertChange::kOpened, now));
  ++s->opened;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Alert>> AlertEngine::AllAlerts(std::string_view tenant) const {
  std::vector<Alert> out;
  bool corrupt = false;
  std::string bad_key;
  CS_RETURN_IF_ERROR(store_.Scan(AlertPrefix(tenant), [&](std::string_view key, std::string_view value) {
    Alert a;
    if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      corrupt = true;
      bad_key = std::string(key);
      return false;
    }
    out.push_back(std::move(a));
    return true;
  }));
  if (corrupt) return absl::DataLossError(absl::StrCat("coaching state at key \"", bad_key, "\" does not parse"));
  return out;
}

absl::Status AlertEngine::EscalateLocked(std::string_view tenant, absl::Time now, EvaluationSummary* s) {
  CS_ASSIGN_OR_RETURN(std::vector<Alert> alerts, AllAlerts(tenant));
  for (Alert& alert : alerts) {
    // One step per missed deadline, each published.
    while (alert.state() != coachstream::v1::ALERT_STATE_RESOLVED && alert.has_next_escalation_at() &&
           FromTimestamp(alert.next_escalation_at()) <= now) {
      const std::string next = FirstActiveManager(tenant, alert.recipient_id());
      if (next.empty()) break;
      const RuleCommon defaults;
      const RuleCommon* rule = options_.Rule(alert.rule_id());
      if (rule == nullptr) rule = &defaults;
      const bool open = alert.state() == coachstream::v1::ALERT_STATE_OPEN;
      coachstream::v1::Escalation* step = alert.add_escalations();
      step->set_level(alert.escalation_level() + 1);
      step->set_recipient_id(next);
      *step->mutable_at() = alert.next_escalation_at();
      step->set_reason(open ? absl::StrCat("not acknowledged within ", absl::FormatDuration(rule->ack_sla))
                            : absl::StrCat("acknowledged but not resolved within ",
                                           absl::FormatDuration(rule->resolve_sla)));
      alert.set_escalation_level(step->level());
      alert.set_recipient_id(next);
      alert.set_state(coachstream::v1::ALERT_STATE_OPEN);
      alert.clear_acknowledged_at();
      CS_RETURN_IF_ERROR(Commit(alert, {}, AlertChange::kEscalated, now));
      ++s->escalated;
    }
  }
  return absl::OkStatus();
}

absl::Status AlertEngine::SweepLocked(std::string_view tenant,
                                      const std::set<std::pair<std::string, std::string>>& judged,
                                      const std::set<std::string>& unknown, absl::Time now, EvaluationSummary* s) {
  std::vector<std::pair<std::string, std::string>> slots;  // key, alert id
  CS_RETURN_IF_ERROR(store_.Scan(SlotPrefix(tenant), [&](std::string_view key, std::string_view value) {
    slots.emplace_back(std::string(key), std::string(value));
    return true;
  }));
  for (const auto& [key, id] : slots) {
    CS_ASSIGN_OR_RETURN(std::optional<Alert> alert, LoadAlert(tenant, id));
    if (!alert) {
      CS_RETURN_IF_ERROR(store_.Write({StoreWrite::Delete(key)}));
      continue;
    }
    if (judged.contains({alert->rule_id(), alert->subject_id()}) || unknown.contains(alert->subject_id())) continue;
    // No team judged it: the rule is disabled, or the subject left the team
    // or the directory.
    if (alert->state() == coachstream::v1::ALERT_STATE_RESOLVED) {
      CS_RETURN_IF_ERROR(store_.Write({StoreWrite::Delete(key)}));
      continue;
    }
    CS_RETURN_IF_ERROR(AutoResolve(*alert, "no longer applies (rule disabled or subject left the team)", now));
    ++s->resolved;
  }
  return absl::OkStatus();
}

}  // namespace cs::coaching::alerts
