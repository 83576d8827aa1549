#include "tools/simulate/org_model.h"

#include <algorithm>
#include <map>

#include "tools/simulate/ids.h"
#include "tools/simulate/names.h"
#include "tools/simulate/org_weakness.h"
#include "tools/simulate/rng.h"

namespace cs::simulate {
namespace {

constexpr std::string_view kZones[] = {"America/Chicago", "America/New_York", "America/Denver",
                                       "America/Los_Angeles"};
// Full-productivity monthly quota of an account executive, USD.
constexpr int64_t kSmbQuotaUsd = 50000;
constexpr int64_t kEnterpriseQuotaUsd = 120000;

// Unique (first, last) pairs in a seeded order; a number is appended once the
// 3600 combinations run out.
class NameDeck {
 public:
  explicit NameDeck(Rng& rng) {
    const size_t f = FirstNames().size(), l = LastNames().size();
    for (size_t i = 0; i < f * l; ++i) order_.push_back(i);
    rng.Shuffle(order_);
  }
  void Next(Person* p) {
    const size_t n = next_++;
    const size_t pair = order_[n % order_.size()];
    p->first_name = std::string(FirstNames()[pair / LastNames().size()]);
    p->last_name = std::string(LastNames()[pair % LastNames().size()]);
    if (n >= order_.size()) p->last_name += std::to_string(n / order_.size() + 1);
  }

 private:
  std::vector<size_t> order_;
  size_t next_ = 0;
};

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

void AssignIdentity(const VendorTenant& vt, int index, Person* p) {
  p->person_id = "E" + std::to_string(10001 + index);
  p->email = Lower(p->first_name) + "." + Lower(p->last_name);
  const uint64_t s = vt.id_salt;
  const auto i = static_cast<uint64_t>(index);
  p->ids.salesforce = SalesforceId("005", 1000 + i);
  p->ids.hubspot = DecimalId(s ^ 0x1, i, 8);
  p->ids.gong = DecimalId(s ^ 0x2, i, 19);
  p->ids.salesloft = DecimalId(s ^ 0x3, i, 6);
  p->ids.outreach = std::to_string(100 + i);
  p->ids.microsoft = Uuid(s ^ 0x5, i);
}

// Team systems: smb teams sell through HubSpot and dial with Salesloft,
// enterprise teams use Salesforce and Outreach; calendars alternate by pairs
// of teams so both segments have Google and Microsoft teams.
void AssignSystems(int team, const std::string& segment, Person* p) {
  const bool smb = segment == "smb";
  p->crm = smb ? CrmSystem::kHubspot : CrmSystem::kSalesforce;
  p->dialer = smb ? DialerSystem::kSalesloft : DialerSystem::kOutreach;
  p->calendar = team % 4 < 2 ? CalendarSystem::kGoogle : CalendarSystem::kMicrosoft;
}

absl::CivilDay TenureStart(Rng& rng, const Window& w, int min_days, int max_days) {
  return w.first_day - static_cast<int>(rng.Int(min_days, max_days));
}

Person& AddPerson(Org& org, NameDeck& names, Role role) {
  Person p;
  p.index = static_cast<int>(org.people.size());
  p.role = role;
  names.Next(&p);
  AssignIdentity(org.vendor, p.index, &p);
  org.people.push_back(std::move(p));
  return org.people.back();
}

// VP (index 0), directors (1..D), managers; managers alternate segments and
// report to directors round-robin.
void AddLeaders(Org& org, Rng& rng, NameDeck& names) {
  const SimOptions& o = org.options;
  Person& vp = AddPerson(org, names, Role::kVp);
  vp.time_zone = "America/New_York";
  vp.start_date = TenureStart(rng, org.window, 900, 2500);
  for (int d = 0; d < o.directors; ++d) {
    Person& p = AddPerson(org, names, Role::kDirector);
    p.manager = 0;
    p.team = d;
    p.start_date = TenureStart(rng, org.window, 500, 2000);
  }
  for (int m = 0; m < o.managers; ++m) {
    Person& p = AddPerson(org, names, Role::kManager);
    p.manager = 1 + m % o.directors;
    p.team = m;
    p.segment = (m % 2 == 0 || o.managers == 1) ? "smb" : "enterprise";
    p.time_zone = std::string(kZones[m % 4]);
    p.start_date = TenureStart(rng, org.window, 300, 1800);
    AssignSystems(m, p.segment, &p);
  }
}

// Directors take the zone and calendar of their first manager, and its
// segment if all their managers share it; the VP the first director's calendar.
void DirectorsFollowManagers(Org& org) {
  const int first_manager = 1 + org.options.directors;
  for (int d = 0; d < org.options.directors; ++d) {
    Person& dir = org.people[1 + d];
    const Person& first = org.people[first_manager + d];
    dir.time_zone = first.time_zone;
    dir.calendar = first.calendar;
    dir.segment = first.segment;
    for (int m = d; m < org.options.managers; m += org.options.directors) {
      if (org.people[first_manager + m].segment != dir.segment) dir.segment = "";
    }
  }
  org.people[0].calendar = org.people[1].calendar;
}

// Reps join managers round-robin and take their team's segment and systems.
void AddReps(Org& org, Rng& rng, NameDeck& names) {
  const int first_manager = 1 + org.options.directors;
  for (int r = 0; r < org.options.reps; ++r) {
    Person& p = AddPerson(org, names, Role::kAccountExecutive);
    const Person& mgr = org.people[first_manager + r % org.options.managers];
    p.manager = mgr.index;
    p.team = mgr.team;
    p.segment = mgr.segment;
    p.crm = mgr.crm;
    p.dialer = mgr.dialer;
    p.calendar = mgr.calendar;
    p.time_zone = rng.Chance(0.2) ? std::string(kZones[rng.Int(0, 3)]) : mgr.time_zone;
    p.start_date = TenureStart(rng, org.window, 120, 1500);
  }
}

// About a quarter of each team are SDRs (the first members by index).
void AssignRepRoles(Org& org) {
  for (int m : org.Managers()) {
    std::vector<int> team = org.ReportsOf(m);
    const size_t sdrs = team.size() / 4;
    for (size_t i = 0; i < team.size(); ++i) {
      Person& p = org.people[team[i]];
      p.role = i < sdrs ? Role::kSdr : Role::kAccountExecutive;
      p.monthly_quota_usd = p.role == Role::kSdr ? 0
                            : p.segment == "smb" ? kSmbQuotaUsd
                                                 : kEnterpriseQuotaUsd;
    }
  }
}

void AssignHabits(Org& org, Rng& rng) {
  std::vector<int> managers = org.Managers();
  rng.Shuffle(managers);
  const CoachingHabit first[] = {CoachingHabit::kHeavy, CoachingHabit::kBarely,
                                 CoachingHabit::kStarsOnly};
  for (size_t i = 0; i < managers.size(); ++i) {
    org.people[managers[i]].habit = i < 3 ? first[i] : CoachingHabit::kModerate;
  }
}

}  // namespace

std::vector<int> Org::Reps() const {
  std::vector<int> out;
  for (const Person& p : people) {
    if (IsRep(p.role)) out.push_back(p.index);
  }
  return out;
}

std::vector<int> Org::Managers() const {
  std::vector<int> out;
  for (const Person& p : people) {
    if (p.role == Role::kManager) out.push_back(p.index);
  }
  return out;
}

std::vector<int> Org::ReportsOf(int manager) const {
  std::vector<int> out;
  for (const Person& p : people) {
    if (p.manager == manager) out.push_back(p.index);
  }
  return out;
}

Org BuildOrg(const SimOptions& options) {
  Org org;
  org.options = options;
  org.window = WindowOf(options);
  Rng rng = Rng::Derive(options.seed, "org");
  VendorTenant& vt = org.vendor;
  vt.id_salt = Mix64(options.seed ^ StableHash(options.tenant));
  vt.salesforce_org_id = SalesforceId("00D", vt.id_salt % 100000);
  vt.hubspot_portal_id = std::stoll(DecimalId(vt.id_salt ^ 0x10, 0, 8));
  vt.gong_workspace_id = DecimalId(vt.id_salt ^ 0x11, 0, 19);
  vt.salesloft_team_id = std::stoll(DecimalId(vt.id_salt ^ 0x12, 0, 5));
  vt.outreach_org = options.tenant;
  vt.microsoft_tenant_id = Uuid(vt.id_salt ^ 0x13, 0);
  NameDeck names(rng);
  AddLeaders(org, rng, names);
  DirectorsFollowManagers(org);
  AddReps(org, rng, names);
  for (Person& p : org.people) p.email += "@" + options.email_domain;
  AssignRepRoles(org);
  AssignHabits(org, rng);
  AssignWeaknesses(org, rng);
  return org;
}

}  // namespace cs::simulate
