#include "tests/services/coaching/alerts_org.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/coaching/core/proto_time.h"
#include "services/coaching/core/records.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching::testing {

using coachstream::v1::Person;

void FakeDirectory::Add(Person p) {
  std::lock_guard<std::mutex> lock(mu_);
  people_[p.person_id()] = std::move(p);
}

void FakeDirectory::SetActive(const std::string& id, bool active) {
  std::lock_guard<std::mutex> lock(mu_);
  people_[id].set_active(active);
}

std::vector<std::string> FakeDirectory::Tenants() const { return {"t1"}; }

std::vector<Person> FakeDirectory::People(std::string_view tenant) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Person> out;
  if (tenant != "t1") return out;
  for (const auto& [id, p] : people_) out.push_back(p);
  return out;
}

std::optional<Person> FakeDirectory::Find(std::string_view tenant, std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = people_.find(std::string(id));
  if (tenant != "t1" || it == people_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> FakeDirectory::Chain(std::string_view tenant, std::string_view id) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  auto it = people_.find(std::string(id));
  while (it != people_.end() && !it->second.manager_id().empty() && out.size() < 16) {
    out.push_back(it->second.manager_id());
    it = people_.find(it->second.manager_id());
  }
  return out;
}

bool FakeDirectory::InSubtree(std::string_view tenant, std::string_view manager, std::string_view person) const {
  if (manager == person) return true;
  for (const std::string& m : Chain(tenant, person)) {
    if (m == manager) return true;
  }
  return false;
}

AlertsOrg::AlertsOrg(alerts::AlertOptions o) : options(std::move(o)) {
  AddPerson("cro", "", coachstream::v1::ROLE_CRO);
  AddPerson("dir-1", "cro", coachstream::v1::ROLE_DIRECTOR);
  AddPerson("dir-2", "cro", coachstream::v1::ROLE_DIRECTOR);
  auto team = [](const std::string& prefix, double minutes_a, double minutes_rest, double micro_a,
                 double micro_rest, bool plan) {
    std::vector<RepPlan> plans;
    const double attainment[5] = {1.3, 0.8, 0.75, 0.72, 0.3};  // A, B, B, B, C
    for (int i = 0; i < 5; ++i) {
      RepPlan r;
      r.id = absl::StrCat(prefix, "-", i == 0 ? "a" : (i == 4 ? "c" : absl::StrCat("b", i)));
      r.attainment = attainment[i];
      r.weekly_minutes = i == 0 ? minutes_a : minutes_rest;
      r.weekly_micro = i == 0 ? micro_a : micro_rest;
      r.plan = plan;
      r.reviewed = plan;
      plans.push_back(r);
    }
    return plans;
  };
  AddPerson("mgr-never", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER);
  AddTeam("mgr-never", team("never", 0, 0, 0, 0, false));
  AddPerson("mgr-stars", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER);
  AddTeam("mgr-stars", team("stars", 240, 0, 8, 0, true));
  AddPerson("mgr-good", "dir-1", coachstream::v1::ROLE_FRONTLINE_MANAGER);
  AddTeam("mgr-good", team("good", 60, 60, 3, 3, true));
  AddPerson("mgr-other", "dir-2", coachstream::v1::ROLE_FRONTLINE_MANAGER);
  AddTeam("mgr-other", {RepPlan{"other-b1", 0.8}, RepPlan{"other-b2", 0.9}});
  Restart();
}

void AlertsOrg::Restart() {
  engine.reset();
  absl::StatusOr<std::unique_ptr<alerts::AlertEngine>> created =
      alerts::AlertEngine::Create(options, metrics, store, directory, clock);
  EXPECT_TRUE(created.ok()) << created.status();
  if (created.ok()) engine = *std::move(created);
}

void AlertsOrg::AddPerson(const std::string& id, const std::string& manager, coachstream::v1::Role role) {
  Person p;
  p.set_tenant_id("t1");
  p.set_person_id(id);
  p.set_display_name(id);
  p.set_manager_id(manager);
  p.set_role(role);
  p.set_active(true);
  p.mutable_start_date()->set_year(2023);
  p.mutable_start_date()->set_month(1);
  p.mutable_start_date()->set_day(9);
  directory.Add(p);
  if (role != coachstream::v1::ROLE_ACCOUNT_EXECUTIVE) metrics.SetManager(id, manager);
}

void AlertsOrg::AddTeam(const std::string& manager, const std::vector<RepPlan>& plans) {
  for (const RepPlan& r : plans) {
    AddPerson(r.id, manager, coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
    manager_of[r.id] = manager;
    reps[r.id] = r;
    WriteRepData(r);
  }
}

void AlertsOrg::SetCoaching(const std::string& rep, double weekly_minutes, double weekly_micro) {
  reps[rep].weekly_minutes = weekly_minutes;
  reps[rep].weekly_micro = weekly_micro;
  WriteRepData(reps[rep]);
}

void AlertsOrg::WriteRepData(const RepPlan& r) {
  auto drivers = [&](double minutes, double micro, double bookings) {
    coachstream::v1::RepDrivers d;
    d.set_rep_id(r.id);
    d.set_display_name(r.id);
    d.set_manager_id(manager_of[r.id]);
    d.set_role(coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
    d.set_segment("mid-market");
    *d.add_drivers() = Count("coaching_minutes", minutes);
    *d.add_drivers() = Count("sessions_micro", micro);
    *d.add_drivers() = Count("quota", 9'000'000);
    *d.add_drivers() = Count("bookings", bookings);
    return d;
  };
  for (const char* week : {"2024-W20", "2024-W21", "2024-W22", "2024-W23", "2024-W24", "2024-W25"}) {
    metrics.SetRep(week, drivers(r.weekly_minutes, r.weekly_micro, 0));
  }
  const double quota = 9'000'000;
  metrics.SetRep("2024-04", drivers(r.weekly_minutes * 4.3, r.weekly_micro * 4.3, r.attainment * quota));
  metrics.SetRep("2024-05", drivers(r.weekly_minutes * 4.4, r.weekly_micro * 4.4, r.attainment * quota));
  const double june = ElapsedFraction(*ParsePeriod("2024-06"), AlertsNow(), absl::UTCTimeZone());
  metrics.SetRep("2024-06", drivers(r.weekly_minutes * 19.5 / 7, r.weekly_micro * 19.5 / 7,
                                    r.attainment * quota * june));
  if (!r.plan) return;
  FocusRecord focus{"closing", "plan", "", 0, AlertsNow() - absl::Hours(24 * 19), std::nullopt};
  coachstream::v1::CoachingPlan plan;
  plan.set_tenant_id("t1");
  plan.set_rep_id(r.id);
  plan.set_month("2024-06");
  plan.set_competency_id("closing");
  *plan.mutable_created_at() = ToTimestamp(AlertsNow() - absl::Hours(24 * 19));
  auto* o = plan.add_objectives();
  o->set_objective_id("obj-1");
  o->set_competency_id("closing");
  o->set_target_driver("win_rate_count");
  o->set_target_value(0.3);
  o->set_deadline_period("2024-06");
  if (r.reviewed) *o->mutable_last_reviewed_at() = ToTimestamp(AlertsNow() - absl::Hours(24 * 3));
  ASSERT_TRUE(store
                  .Write({StoreWrite::Put(FocusKey("t1", "2024-06", r.id), EncodeFocusRecord(focus)),
                          StoreWrite::Put(PlanKey("t1", r.id, "2024-06"), plan.SerializeAsString())})
                  .ok());
}

std::vector<coachstream::v1::Alert> AlertsOrg::All(bool include_resolved) {
  std::vector<coachstream::v1::Alert> out;
  coachstream::v1::ListAlertsRequest request;
  request.set_tenant_id("t1");
  request.set_recipient_id("cro");
  request.set_include_subtree(true);
  request.add_states(coachstream::v1::ALERT_STATE_OPEN);
  request.add_states(coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
  if (include_resolved) request.add_states(coachstream::v1::ALERT_STATE_RESOLVED);
  absl::StatusOr<coachstream::v1::ListAlertsResponse> r = engine->ListAlerts(request);
  EXPECT_TRUE(r.ok()) << r.status();
  if (r.ok()) out.assign(r->alerts().begin(), r->alerts().end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.alert_id() < b.alert_id(); });
  return out;
}

std::vector<std::string> AlertsOrg::Held(const std::string& recipient) {
  std::vector<std::string> out;
  for (const auto& a : All(/*include_resolved=*/false)) {
    if (a.recipient_id() == recipient) out.push_back(absl::StrCat(a.rule_id(), ":", a.subject_id()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<coachstream::v1::Alert> AlertsOrg::Find(const std::string& rule, const std::string& subject) {
  std::optional<coachstream::v1::Alert> found;
  for (const auto& a : All()) {
    if (a.rule_id() == rule && a.subject_id() == subject) found = a;  // the latest id wins
  }
  return found;
}

std::vector<alerts::OutboxEntry> AlertsOrg::Publish() {
  absl::StatusOr<std::vector<alerts::OutboxEntry>> entries = engine->PendingOutbox(100000);
  EXPECT_TRUE(entries.ok()) << entries.status();
  if (!entries.ok()) return {};
  std::vector<std::string> keys;
  for (const auto& e : *entries) keys.push_back(e.store_key);
  EXPECT_TRUE(engine->MarkPublished(keys).ok());
  return *entries;
}

}  // namespace cs::coaching::testing
